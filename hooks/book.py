"""MkDocs hook: figure numbers, PDF links and the chapter number.

* Figures ``<figure id="fig-…">`` get "Figure 3.1" / "图 3.1" in front of
  their caption, numbered in page order within the chapter.
* ``<!-- pdf-links -->`` in a page becomes links to both PDFs.
"""
from __future__ import annotations

import re

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

PDF_NAME = "optimization-for-deep-models-{lang}.pdf"
PDF_LINKS = "<!-- pdf-links -->"
FIGURE_WORD = {"zh": "图", "en": "Figure"}
# Raw HTML, not Markdown: the PDFs exist only after `make pdf`, so the
# strict link check must not see them.
PDF_TEXT = {
    "zh": '下载 PDF：<a href="{zh}">中文版</a> · <a href="{en}">English</a>',
    "en": 'Download the PDF: <a href="{en}">English</a> · '
          '<a href="{zh}">中文版</a>',
}
# A $$ block on its own lines; AMS numbering only numbers environments,
# so a labelled block that is not one is wrapped in `equation`.
DISPLAY = re.compile(r"^([ \t]*)\$\$\n(.*?)\n[ \t]*\$\$[ \t]*$", re.S | re.M)
FIGURE = re.compile(r'<figure\b[^>]*\bid="(fig-[^"]+)"[^>]*>(.*?)</figure>',
                    re.S)


def _lang(page, config) -> str:
    return getattr(page.file, "locale", None) or config.theme.language


def _number_equation(match: re.Match) -> str:
    indent, body = match.group(1), match.group(2)
    if "\\label{" in body and "\\begin{" not in body:
        body = (f"{indent}\\begin{{equation}}\n{body}\n"
                f"{indent}\\end{{equation}}")
    return f"{indent}$$\n{body}\n{indent}$$"


def on_page_markdown(markdown, page, config, files):
    return DISPLAY.sub(_number_equation, markdown)


def _pdf_links(html: str, page, config) -> str:
    if PDF_LINKS not in html:
        return html
    urls = {lang: get_relative_url(f"pdf/{PDF_NAME.format(lang=lang)}",
                                   page.url or ".")
            for lang in FIGURE_WORD}
    links = PDF_TEXT[_lang(page, config)].format(**urls)
    return html.replace(PDF_LINKS, f'<span class="pdf-links">{links}</span>')


def on_page_content(html, page, config, files):
    html = _pdf_links(html, page, config)
    chapter = page.meta.get("chapter")
    word = FIGURE_WORD[_lang(page, config)]
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        count += 1
        label = f"{word} {chapter}.{count}" if chapter else f"{word} {count}"
        body = match.group(0)
        if "<figcaption>" not in body:
            raise PluginError(
                f"{page.file.src_path}: figure {match.group(1)} has no "
                f"<figcaption>; every figure needs a caption")
        return body.replace(
            "<figcaption>",
            f'<figcaption><span class="fig-number">{label}</span> ', 1)

    return FIGURE.sub(number, html)
