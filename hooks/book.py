"""MkDocs hook: equation and figure numbers, PDF links.

* Labelled equations get build-time numbers (3.1, 3.2, …) and
  ``$\\eqref{eq:x}$`` becomes a link "(3.2)", also across pages
  (scripts/equations.py says why).
* Figures ``<figure id="fig-…">`` get "Figure 3.1" / "图 3.1" in front of
  their caption, numbered in page order within the chapter. A link
  ``[Figure](#fig-x)`` / ``[图](#fig-x)`` gets the number as its text; a
  link to a figure id the page lacks is a build error.
* ``<!-- pdf-links -->`` in a page becomes links to both PDFs.
"""
from __future__ import annotations

import posixpath
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.equations import link_references, number_equations  # noqa

PDF_NAME = "optimization-for-deep-models-{lang}.pdf"
PDF_LINKS = "<!-- pdf-links -->"
FIGURE_WORD = {"zh": "图", "en": "Figure"}
# Raw HTML, not Markdown: the PDFs exist only after `make pdf`, so the
# strict link check must not see them.
PDF_TEXT = {
    "zh": '下载 PDF：<a href="{zh}">中文版</a> · '
          '<a href="{en}">English</a>',
    "en": 'Download the PDF: <a href="{en}">English</a> · '
          '<a href="{zh}">中文版</a>',
}
# A line break between two Chinese characters renders as a space;
# authors may write a sentence per line, so such breaks are joined.
CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
CJK_BREAK = re.compile(f"(?<=[{CJK}])\n(?=[{CJK}])")
# A link to a figure; the lookahead sees whether a Chinese character
# follows.
FIGURE_REF = re.compile(
    r'<a href="#(fig-[^"]+)">([^<]*)</a>(?=([\u4e00-\u9fff])?)')
FIGURE = re.compile(r'<figure\b[^>]*\bid="(fig-[^"]+)"[^>]*>(.*?)</figure>',
                    re.S)
IMG = re.compile(r'<img\b[^>]*\bsrc="([^"]+)"')
# label -> (file, number) for every page of the language being built
_labels: dict[str, tuple[object, str]] = {}


def on_config(config):
    """Teach jieba the glossary's terms before the search index is cut.

    The search splits Chinese text with jieba at build time but not the
    query a reader types, so "学习率" must be one word in the index.
    """
    try:
        import jieba
    except ImportError:
        return config
    glossary = Path(config.docs_dir) / "zh" / "glossary.md"
    if glossary.is_file():
        for term in glossary_terms(glossary.read_text(encoding="utf-8")):
            jieba.add_word(term)
    return config


def glossary_terms(markdown: str) -> list[str]:
    """The runs of Chinese characters in the first column of the table.

    >>> glossary_terms("| 中文 | English |\\n|--|--|\\n| 学习率 | rate |")
    ['学习率']
    """
    terms = []
    for line in markdown.splitlines():
        cells = line.strip().strip("|").split("|")
        if line.startswith("|") and len(cells) > 1:
            terms += re.findall("[\\u4e00-\\u9fff]{2,}", cells[0])
    return [t for t in terms if t != "中文"]


def _lang(file, config) -> str:
    return getattr(file, "locale", None) or config.theme["language"]


def on_nav(nav, config, files):
    """Collect every page's equation numbers. Runs after static-i18n has
    moved each language's files to their final URLs (on_files is too
    early: links would point at /zh/…)."""
    _labels.clear()
    for file in files.documentation_pages():
        markdown, meta = get_data(file.content_string)
        _, numbers = number_equations(markdown, meta.get("chapter"))
        for label, number in numbers.items():
            _labels[f"{_lang(file, config)}:{label}"] = (file, number)
    return nav


def on_page_markdown(markdown, page, config, files):
    lang = _lang(page.file, config)
    if lang == "zh":
        markdown = CJK_BREAK.sub("", markdown)
    markdown, here = number_equations(markdown, page.meta.get("chapter"))
    elsewhere = {
        key.split(":", 1)[1]: (get_relative_url(file.url, page.url),
                               number)
        for key, (file, number) in _labels.items()
        if key.startswith(f"{lang}:") and file is not page.file}
    try:
        return link_references(markdown, here, elsewhere,
                               page.file.src_path)
    except KeyError as exc:
        raise PluginError(exc.args[0]) from None


def _pdf_links(html: str, page, config) -> str:
    if PDF_LINKS not in html:
        return html
    urls = {lang: get_relative_url(f"pdf/{PDF_NAME.format(lang=lang)}",
                                   page.url or ".")
            for lang in FIGURE_WORD}
    links = PDF_TEXT[_lang(page.file, config)].format(**urls)
    return html.replace(PDF_LINKS, f'<span class="pdf-links">{links}</span>')


def _check_images(html: str, page, files) -> None:
    """Fail on a missing image; md_in_html hides <figure> images from
    MkDocs' own link check."""
    urls = {file.url for file in files}
    base = posixpath.dirname(page.url.rstrip("/") + "/x")
    for src in IMG.findall(html):
        if urlsplit(src).scheme or src.startswith(("/", "data:")):
            continue
        target = posixpath.normpath(posixpath.join(base, src))
        if target not in urls:
            hint = ""
            if target.startswith("figures/"):
                name = Path(target).stem
                hint = (f" (figures come from snippets/figures/{name}.py; "
                        f"add that module or fix the name)")
            raise PluginError(
                f"{page.file.src_path}: image {src} not found{hint}")


def on_page_content(html, page, config, files):
    _check_images(html, page, files)
    html = _pdf_links(html, page, config)
    chapter = page.meta.get("chapter")
    word = FIGURE_WORD[_lang(page.file, config)]
    count = 0
    numbers: dict[str, str] = {}

    def number(match: re.Match) -> str:
        nonlocal count
        count += 1
        label = f"{word} {chapter}.{count}" if chapter else f"{word} {count}"
        numbers[match.group(1)] = label
        body = match.group(0)
        if "<figcaption>" not in body:
            raise PluginError(
                f"{page.file.src_path}: figure {match.group(1)} has no "
                f"<figcaption>; every figure needs a caption")
        return body.replace(
            "<figcaption>",
            f'<figcaption><span class="fig-number">{label}</span> ', 1)

    html = FIGURE.sub(number, html)
    return number_figure_links(html, numbers, word, page.file.src_path)


def number_figure_links(html, numbers, word, src_path):
    """[Figure](#fig-x) -> "Figure 6.2"; other link texts stay."""
    def link(match: re.Match) -> str:
        fig_id, text = match.group(1), match.group(2)
        if fig_id not in numbers:
            raise PluginError(
                f"{src_path}: link to #{fig_id}, but the page has no "
                f"figure with that id; fix the link or the figure's id")
        if text.strip().lower() != word.lower():
            return match.group(0)
        # "图 7.1 中", not "图 7.1中": a number is set off from Chinese.
        space = " " if match.group(3) else ""
        return f'<a href="#{fig_id}">{numbers[fig_id]}</a>{space}'

    return FIGURE_REF.sub(link, html)
