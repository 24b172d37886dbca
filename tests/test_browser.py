"""Every built page in headless Chromium (Playwright, system Chromium).

Fails on a MathJax error, untypeset TeX, an unresolved reference, a
request to any host but the site's own, a broken image, a script error,
or a language switch that does not land on the same page and section.
"""
import re
from urllib.parse import urlparse

import pytest

from scripts.browser import MATHJAX_DONE
from scripts.site_pages import site_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]
RAW_TEX = re.compile(r"\\\(|\\\[|\$\$|\\begin\{|\\frac|\\label")
CHECK_PAGE = """() => {
  const article = document.querySelector("article");
  const clone = article.cloneNode(true);
  // code blocks may legitimately show backslashes and dollars
  clone.querySelectorAll("pre, code, mjx-container").forEach(
      (el) => el.remove());
  return {
    mathErrors: document.querySelectorAll("mjx-merror").length,
    unresolved: [...document.querySelectorAll("mjx-container")]
        .filter((m) => m.textContent.includes("???")).length,
    math: document.querySelectorAll("mjx-container").length,
    text: clone.innerText,
    // same-page links (equations, figures, sections) must have a target
    brokenAnchors: [...document.querySelectorAll("article a[href*='#']")]
        .filter((a) => new URL(a.href).pathname === location.pathname
                && a.hash.length > 1
                && !document.getElementById(
                    decodeURIComponent(a.hash.slice(1))))
        .map((a) => a.getAttribute("href")),
    brokenImages: [...document.images]
        .filter((img) => !img.complete || img.naturalWidth === 0)
        .map((img) => img.src),
  };
}"""


def counterpart(path):
    return path[3:] if path.startswith("en/") else "en/" + path


@pytest.fixture(scope="module")
def pages(built_site):
    found = site_pages(built_site)
    assert len(found) >= 8
    return found


def test_every_page_renders_cleanly(browser, site_url, pages):
    page = browser.new_page()
    foreign, errors = [], []

    def route(r):
        if urlparse(r.request.url).hostname not in ("127.0.0.1",
                                                    "localhost"):
            foreign.append(r.request.url)
            return r.abort()
        return r.continue_()

    page.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in pages:
        page.goto(site_url + path)
        assert page.evaluate(MATHJAX_DONE), f"{path}: MathJax not loaded"
        page.wait_for_load_state("networkidle")
        info = page.evaluate(CHECK_PAGE)
        assert info["mathErrors"] == 0, f"{path}: MathJax error"
        assert info["unresolved"] == 0, f"{path}: (???) reference"
        raw = RAW_TEX.search(info["text"])
        assert raw is None, f"{path}: untypeset TeX {raw.group(0)!r}"
        assert not info["brokenImages"], f"{path}: {info['brokenImages']}"
        assert not info["brokenAnchors"], f"{path}: {info['brokenAnchors']}"
        if "basic-algorithms" in path:
            assert info["math"] > 50, f"{path}: math did not typeset"
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not errors, f"script errors: {errors}"
    page.close()


def test_language_switch_lands_on_the_same_section(browser, site_url,
                                                    pages):
    page = browser.new_page()
    for path in pages:
        other = counterpart(path)
        page.goto(site_url + path + "#exercises")
        lang = "en" if other.startswith("en/") else "zh"
        link = page.locator(f'a.md-select__link[hreflang="{lang}"]')
        with page.expect_navigation():
            link.evaluate("a => a.click()")
        landed = urlparse(page.url)
        assert landed.path == "/" + other, f"{path} -> {page.url}"
        assert landed.fragment == "exercises", f"{path} lost the anchor"
    page.close()


def test_dark_scheme_keeps_figures_on_white(browser, site_url):
    page = browser.new_page(color_scheme="dark")
    page.goto(site_url + "en/basic-algorithms/")
    scheme = page.evaluate(
        "document.body.getAttribute('data-md-color-scheme')")
    assert scheme == "slate"
    background = page.evaluate(
        "getComputedStyle(document.querySelector('figure img'))"
        ".backgroundColor")
    assert background == "rgb(255, 255, 255)"
    page.close()


@pytest.mark.parametrize("query", ["动量", "学习率", "随机梯度下降",
                                   "余弦退火", "Nesterov"])
def test_chinese_search_finds_the_chapter(browser, site_url, query):
    """jieba + the \\u200b separator: Chinese words are found."""
    page = browser.new_page()
    page.goto(site_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # Wait for the index, then type as a reader does: Material searches
    # on key events, which a programmatic fill does not send.
    page.wait_for_function(
        "() => { const m = document.querySelector("
        "'.md-search-result__meta'); "
        "return m && m.textContent && !m.textContent.includes('初始化'); }")
    box = page.locator("input.md-search__input")
    box.press_sequentially(query)
    box.press("End")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10_000)
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item a", "els => els.map(a => a.href)")
    assert any("basic-algorithms" in h for h in hrefs), (query, hrefs)
    page.close()
