"""The PDFs: chapter titles, rendered math, outline, Chinese glyphs."""
import re
import shutil
import subprocess

import pytest

from scripts import export_pdf

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def pdfs(built_site, browser):
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext missing: apt-get install poppler-utils")
    return dict(zip(export_pdf.LANGS,
                    export_pdf.export(built_site, list(export_pdf.LANGS),
                                      log=lambda _: None,
                                      browser=browser)))


def titles(built_site, lang):
    """The H1 of every page of one language, from the built site."""
    prefix = built_site / export_pdf.LANGS[lang]
    found = []
    for html in sorted(prefix.glob("*/index.html")) + [prefix /
                                                        "index.html"]:
        if html.parent.name in ("en", "assets", "search", "pdf",
                                "figures"):
            continue
        h1 = re.search(r"<h1[^>]*>(.*?)<a", html.read_text("utf-8"), re.S)
        found.append(re.sub(r"<[^>]+>", "", h1.group(1)).strip())
    return found


def text_of(pdf):
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"],
                          capture_output=True, text=True,
                          check=True).stdout


def outline_of(pdf):
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", str(pdf)],
                         capture_output=True, text=True, check=True).stdout
    return re.findall(r"<item[^>]*>(.*?)</item>", xml)


@pytest.mark.parametrize("lang", list(export_pdf.LANGS))
def test_pdf_has_every_chapter_and_no_raw_tex(pdfs, built_site, lang):
    text = text_of(pdfs[lang])
    squashed = re.sub(r"\s+", "", text)
    for title in titles(built_site, lang):
        assert re.sub(r"\s+", "", title) in squashed, title
    for raw in ("\\frac", "$$", "\\begin{", "\\label", "(???)"):
        assert raw not in text, f"raw TeX {raw!r} in the {lang} PDF"
    assert re.search(r"\(3\.\d+\)", text), "no equation reference"
    if lang == "zh":
        assert "随机梯度下降" in text


@pytest.mark.parametrize("lang", list(export_pdf.LANGS))
def test_pdf_outline_lists_the_chapters(pdfs, built_site, lang):
    outline = [re.sub(r"\s+", "", t) for t in outline_of(pdfs[lang])]
    for title in titles(built_site, lang):
        assert re.sub(r"\s+", "", title) in outline, title


@pytest.mark.parametrize("lang", list(export_pdf.LANGS))
def test_pdf_math_is_drawn(pdfs, lang):
    """Typeset math is text in the PDF; math printed before MathJax's
    fonts loaded is blank and extracts as nothing."""
    text = text_of(pdfs[lang])
    assert "θ ← θ" in text, "eq:sgd-update is not drawn"
    tags = set(re.findall(r"\(3\.(\d+)\)", text))
    assert len(tags) >= 20, f"only equation numbers {sorted(tags)}"


def test_pdf_pages_have_numbers_and_a_cover(pdfs):
    text = text_of(pdfs["en"])
    pages = text.split("\f")
    assert len(pages) > 10
    assert "OptimizationforTrainingDeepModels" in re.sub(r"\s+", "",
                                                           pages[0])
    assert re.search(r"Version \S+ · Date \d{4}-\d\d-\d\d", pages[0])
    assert re.search(r"\b2 / \d+\b", pages[1])
