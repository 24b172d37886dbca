"""Check that the Chinese and English trees are the same book.

Fails when a page, a heading id, a labelled equation, a figure or a
snippet include exists in one language only, when a labelled equation's
LaTeX or order differs between the languages (the order sets its
number), when a heading has no explicit
``{ #id }``, when an equation label is used twice in the book, or when a
page pastes a code block instead of including it from snippets/.

Usage: python -m scripts.check_parity [DOCS_DIR]
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from scripts.equations import LABEL

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("zh", "en")
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
HEADING_ID = re.compile(r"\{[^}]*#([\w:.-]+)[^}]*\}\s*$")
FIGURE = re.compile(r"<figure\b[^>]*\bid=\"([^\"]+)\"")
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")
INCLUDE = re.compile(r"--8<--\s+\"([^\"]+)\"")
CHAPTER = re.compile(r"^chapter:\s*(\S+)\s*$", re.M)


@dataclass
class Page:
    """What must agree between the two languages of one page."""
    path: Path
    heading_ids: list[tuple[int, str]] = field(default_factory=list)
    equations: dict[tuple[str, ...], tuple[int, str]] = field(
        default_factory=dict)
    figures: list[tuple[int, str]] = field(default_factory=list)
    images: list[tuple[int, str]] = field(default_factory=list)
    includes: list[tuple[int, str]] = field(default_factory=list)
    chapter: str | None = None
    problems: list[str] = field(default_factory=list)


def parse(path: Path) -> Page:
    """Read one Markdown page into the parts the languages must share."""
    page = Page(path)
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        match = CHAPTER.search(text[:end]) if end > 0 else None
        page.chapter = match.group(1) if match else None
    lines = text.splitlines()
    fence, fence_start, fence_body = None, 0, []
    math_start, math_body = None, []
    for no, line in enumerate(lines, 1):
        if fence:
            if line.strip().startswith(fence) and not line.strip()[
                    len(fence):].strip():
                _check_block(page, fence_start, fence_body)
                fence = None
            else:
                fence_body.append(line)
                page.includes.extend(
                    (no, m) for m in INCLUDE.findall(line))
            continue
        if math_start is not None:
            if line.strip() == "$$":
                _add_equation(page, math_start, math_body)
                math_start = None
            else:
                math_body.append(line.strip())
            continue
        if m := FENCE.match(line):
            fence, fence_start, fence_body = m.group(2), no, []
            continue
        if line.strip() == "$$":
            math_start, math_body = no, []
            continue
        if m := HEADING.match(line):
            if idm := HEADING_ID.search(m.group(2)):
                page.heading_ids.append((no, idm.group(1)))
            else:
                page.problems.append(
                    f"{path}:{no}: heading without an explicit id; write "
                    f"it as `{line.strip()} {{ #some-id }}` with the same "
                    f"id in both languages")
        page.figures.extend((no, f) for f in FIGURE.findall(line))
        page.images.extend((no, i) for i in IMAGE.findall(line))
        page.includes.extend((no, i) for i in INCLUDE.findall(line))
        if LABEL.search(line):
            page.problems.append(
                f"{path}:{no}: \\label outside a $$ … $$ block; put "
                f"labelled equations in a display block on their own lines")
    if fence:
        page.problems.append(f"{path}:{fence_start}: unclosed code fence")
    if math_start is not None:
        page.problems.append(f"{path}:{math_start}: unclosed $$ block")
    return page


def _check_block(page: Page, start: int, body: list[str]) -> None:
    """Code shown in a page must be included from snippets/ or be >>>."""
    code = [line for line in body if line.strip()]
    if not code:
        return
    if all(INCLUDE.search(line) for line in code):
        return
    if code[0].lstrip().startswith(">>>"):
        return  # a doctest example: Sybil runs it
    page.problems.append(
        f"{page.path}:{start}: pasted code block; put the code in "
        f"snippets/ between `# --8<-- [start:name]` / `[end:name]` "
        f"markers and include it with `--8<-- \"snippets/file.py:name\"`"
        f" (only `>>>` examples may be written inline)")


def _add_equation(page: Page, start: int, body: list[str]) -> None:
    latex = "\n".join(body)
    labels = tuple(LABEL.findall(latex))
    if labels:
        page.equations[labels] = (start, latex)


def _pairs(found: list[tuple[int, str]]) -> list[str]:
    return [value for _, value in found]


def _compare_lists(what: str, zh: Page, en: Page, a: list, b: list,
                   problems: list[str]) -> None:
    if _pairs(a) == _pairs(b):
        return
    only_zh = [v for v in _pairs(a) if v not in _pairs(b)]
    only_en = [v for v in _pairs(b) if v not in _pairs(a)]
    if only_zh or only_en:
        for value, here, there in [(v, zh, en) for v in only_zh] + [
                (v, en, zh) for v in only_en]:
            line = next(n for n, v in (a if here is zh else b)
                        if v == value)
            problems.append(
                f"{here.path}:{line}: {what} '{value}' is missing from "
                f"{there.path}; add it there (same {what}) or remove it")
    else:
        problems.append(
            f"{zh.path} and {en.path}: the {what}s appear in a different "
            f"order ({', '.join(_pairs(a))} vs {', '.join(_pairs(b))})")


def compare(zh: Page, en: Page) -> list[str]:
    problems = zh.problems + en.problems
    _compare_lists("heading id", zh, en, zh.heading_ids, en.heading_ids,
                   problems)
    _compare_lists("figure", zh, en, zh.figures, en.figures, problems)
    _compare_lists("image", zh, en, zh.images, en.images, problems)
    _compare_lists("snippet include", zh, en, zh.includes, en.includes,
                   problems)
    if zh.chapter != en.chapter:
        problems.append(
            f"{zh.path} and {en.path}: front matter `chapter:` differs "
            f"({zh.chapter} vs {en.chapter})")
    for labels in sorted(set(zh.equations) | set(en.equations)):
        name = ", ".join(labels)
        if labels not in en.equations or labels not in zh.equations:
            here, there = (zh, en) if labels in zh.equations else (en, zh)
            problems.append(
                f"{here.path}:{here.equations[labels][0]}: equation "
                f"{name} is missing from {there.path}; copy its $$ block "
                f"there unchanged")
        elif zh.equations[labels][1] != en.equations[labels][1]:
            problems.append(
                f"{zh.path}:{zh.equations[labels][0]} and "
                f"{en.path}:{en.equations[labels][0]}: the LaTeX of "
                f"{name} differs between the languages; labelled "
                f"equations must be identical")
    order_zh = [labels for labels in zh.equations if labels in en.equations]
    order_en = [labels for labels in en.equations if labels in zh.equations]
    if order_zh != order_en:
        first = next(i for i, (a, b) in enumerate(zip(order_zh, order_en))
                     if a != b)
        a, b = order_zh[first], order_en[first]
        problems.append(
            f"{zh.path}:{zh.equations[a][0]} and "
            f"{en.path}:{en.equations[b][0]}: the labelled equations "
            f"appear in a different order ({', '.join(a)} vs "
            f"{', '.join(b)}), so their numbers would differ; put them "
            f"in the same order")
    return problems


def check(docs: Path = ROOT / "docs") -> list[str]:
    """All parity problems in ``docs``; an empty list means in step."""
    docs = Path(docs)
    trees = {lang: docs / lang for lang in LANGUAGES}
    problems = [f"{tree}: missing language folder"
                for tree in trees.values() if not tree.is_dir()]
    if problems:
        return problems
    pages = {lang: {p.relative_to(tree) for p in tree.rglob("*.md")}
             for lang, tree in trees.items()}
    for lang, other in (("zh", "en"), ("en", "zh")):
        for rel in sorted(pages[lang] - pages[other]):
            problems.append(
                f"{trees[lang] / rel}: no {other} version; write "
                f"{trees[other] / rel} (same file name) or remove the page")
    labels_seen: dict[str, Path] = {}
    for rel in sorted(pages["zh"] & pages["en"]):
        zh, en = parse(trees["zh"] / rel), parse(trees["en"] / rel)
        problems += compare(zh, en)
        for labels in zh.equations:
            for label in labels:
                if label in labels_seen:
                    problems.append(
                        f"{zh.path}: equation label {label} is also used "
                        f"in {labels_seen[label]}; labels are book-wide")
                labels_seen[label] = zh.path
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.check_parity",
        description="Check that docs/zh and docs/en have the same pages, "
                    "heading ids, labelled equations (identical LaTeX), "
                    "figures and snippet includes.")
    parser.add_argument("docs", nargs="?", type=Path, default=ROOT / "docs",
                        help="the docs directory (default: docs/)")
    args = parser.parse_args(argv)
    problems = check(args.docs)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} parity problem(s)", file=sys.stderr)
        return 1
    print(f"parity: {args.docs} in step")
    return 0


if __name__ == "__main__":
    sys.exit(main())
