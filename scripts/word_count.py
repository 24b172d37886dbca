"""Count the prose of each page: English words, Chinese characters.

Math ($…$, $$…$$), code fences, front matter, HTML tags, link targets
and include lines are left out; headings, captions and exercises count.

Usage: python -m scripts.word_count [DOCS_DIR]
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRIP = [
    re.compile(r"\A---\n.*?\n---\n", re.S),          # front matter
    re.compile(r"^```.*?^```", re.S | re.M),          # code fences
    re.compile(r"\$\$.*?\$\$", re.S),                 # display math
    re.compile(r"\$[^$\n]+\$"),                       # inline math
    re.compile(r"<[^>]+>"),                           # HTML tags
    re.compile(r"\]\([^)]*\)"),                       # link targets
    re.compile(r"\{[^}]*#[^}]*\}"),                   # heading ids
]
CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def prose(markdown: str) -> str:
    for pattern in STRIP:
        markdown = pattern.sub(" ", markdown)
    return markdown


def count(markdown: str) -> tuple[int, int]:
    """(English words, Chinese characters) of the page's prose.

    >>> count("Two words $x^2$ 和两个字\\n```\\ncode here\\n```\\n")
    (2, 4)
    """
    text = prose(markdown)
    return len(WORD.findall(text)), len(CJK.findall(text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.word_count",
        description="Words (en) and characters (zh) of every page.")
    parser.add_argument("docs", nargs="?", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    print("| page | en words | zh characters |\n|---|---|---|")
    for page in sorted((args.docs / "en").glob("*.md")):
        en_words, _ = count(page.read_text(encoding="utf-8"))
        zh_page = args.docs / "zh" / page.name
        zh_chars = (count(zh_page.read_text(encoding="utf-8"))[1]
                    if zh_page.is_file() else 0)
        print(f"| {page.stem} | {en_words:,} | {zh_chars:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
