"""The MkDocs hooks' own helpers."""
import importlib.util

import pytest
from mkdocs.exceptions import PluginError

from helpers import ROOT

spec = importlib.util.spec_from_file_location("book_hook",
                                              ROOT / "hooks" / "book.py")
book = importlib.util.module_from_spec(spec)
spec.loader.exec_module(book)


def test_glossary_terms_feed_the_search():
    terms = book.glossary_terms(
        (ROOT / "docs" / "zh" / "glossary.md").read_text(encoding="utf-8"))
    assert {"学习率", "动量", "随机梯度下降", "余弦退火"} <= set(terms)
    assert "中文" not in terms  # the header is not a term
    assert all("（" not in t for t in terms)


def test_chinese_line_breaks_are_joined_but_not_others():
    text = "第一句。\n第二句\nEnglish line\n中文"
    assert book.CJK_BREAK.sub("", text) == "第一句。第二句\nEnglish line\n中文"


def test_pdf_links_are_relative_to_the_page():
    class Page:
        url = "en/basic-algorithms/"

        class file:
            locale = "en"

    html = book._pdf_links("<p><!-- pdf-links --></p>", Page, None)
    assert ('href="../../pdf/optimization-for-deep-models-zh.pdf"'
            in html)
    assert "Download the PDF" in html


def test_figure_links_get_the_figure_number():
    numbers = {"fig-a": "Figure 6.1", "fig-b": "Figure 6.2"}
    html = ('<a href="#fig-b">Figure</a>, <a href="#fig-a">figure</a> '
            'and <a href="#fig-a">the figure above</a>')
    out = book.number_figure_links(html, numbers, "Figure", "x.md")
    assert out == ('<a href="#fig-b">Figure 6.2</a>, '
                   '<a href="#fig-a">Figure 6.1</a> and '
                   '<a href="#fig-a">the figure above</a>')
    zh = book.number_figure_links('在<a href="#fig-a">图</a>中',
                                  {"fig-a": "图 6.1"}, "图", "x.md")
    assert zh == '在<a href="#fig-a">图 6.1</a> 中'
    zh = book.number_figure_links('（<a href="#fig-a">图</a>）',
                                  {"fig-a": "图 6.1"}, "图", "x.md")
    assert zh == '（<a href="#fig-a">图 6.1</a>）'


def test_a_link_to_a_missing_figure_names_the_page():
    with pytest.raises(PluginError, match=r"x\.md: link to #fig-c"):
        book.number_figure_links('<a href="#fig-c">Figure</a>',
                                 {"fig-a": "Figure 6.1"}, "Figure", "x.md")
