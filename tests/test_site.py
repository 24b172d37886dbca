"""The built site: both languages, figures, math, no other hosts."""
import json
import re

import pytest

from helpers import ROOT, run
from scripts.site_pages import site_pages

pytestmark = pytest.mark.slow

# every page of the book, as built: index.md -> index.html, x.md -> x/
PAGES = sorted("index.html" if p.stem == "index" else f"{p.stem}/index.html"
               for p in (ROOT / "docs" / "en").glob("*.md"))
EXTERNAL = re.compile(
    r"""(?:src|href)=["']((?:https?:)?//(?!127\.0\.0\.1|localhost)[^"']+)""")


def test_both_languages_have_every_page(built_site):
    assert "basic-algorithms/index.html" in PAGES
    for page in PAGES:
        assert (built_site / page).is_file(), page
        assert (built_site / "en" / page).is_file(), "en/" + page
    assert len(site_pages(built_site)) == 2 * len(PAGES)


def test_every_figure_is_in_the_site(built_site):
    from scripts.build_figures import discover
    for name in discover():
        svg = built_site / "figures" / f"{name}.svg"
        assert svg.read_text().lstrip().startswith("<?xml"), name


def test_pages_load_nothing_from_other_hosts(built_site):
    """Scripts, styles, images and fonts are all vendored."""
    for html in built_site.rglob("*.html"):
        for url in EXTERNAL.findall(html.read_text(encoding="utf-8")):
            # <a href> to the literature is fine; loading is not.
            tag = re.search(rf"<(\w+)[^>]*{re.escape(url)}",
                            html.read_text(encoding="utf-8")).group(1)
            assert tag == "a", f"{html}: {tag} loads {url}"
    for css in built_site.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8")


def test_heading_ids_agree_between_languages(built_site):
    ids = re.compile(r'<h[1-6] id="([^"]+)"')
    for page in PAGES:
        zh = ids.findall((built_site / page).read_text(encoding="utf-8"))
        en = ids.findall((built_site / "en" / page).read_text(
            encoding="utf-8"))
        assert zh == en and zh, page


def test_equations_are_numbered_and_referenced(built_site):
    for prefix in ("", "en/"):
        html = (built_site / prefix / "basic-algorithms/index.html"
                ).read_text(encoding="utf-8")
        assert "\\label{eq:sgd-update}\\tag{3." in html
        assert re.search(r'class="eqref" href="#eq:[\w-]+">\(3\.\d+\)',
                         html)
        assert '<span class="fig-number">' in html


def test_chinese_search_index_has_words(built_site):
    index = json.loads((built_site / "search" / "search_index.json")
                       .read_text(encoding="utf-8"))
    zh_text = " ".join(d["text"] for d in index["docs"]
                       if not d["location"].startswith("en/"))
    # jieba joins words with U+200B; without it Chinese search misses.
    assert "\u200b" in zh_text
    assert "\u200b动量\u200b" in zh_text  # a word, not two characters


def test_cross_page_equation_reference(project_copy):
    """A reference to another page's equation links to that page in the
    same language (static-i18n moves files after on_files)."""
    for lang in ("zh", "en"):
        page = project_copy / "docs" / lang / "index.md"
        page.write_text(page.read_text()
                        + "\nSee $\\eqref{eq:sgd-update}$.\n")
    site = project_copy / "site"
    done = run(["-m", "scripts.build_site", "--site-dir", str(site),
                "--quiet"], cwd=project_copy)
    assert done.returncode == 0, done.stderr
    for prefix in ("", "en/"):
        html = (site / prefix / "index.html").read_text(encoding="utf-8")
        href = re.search(r'class="eqref" href="([^"]+)">\(3\.2\)',
                         html).group(1)
        assert href == "basic-algorithms/#eq:sgd-update", (prefix, href)
        target = site / prefix / href.split("#")[0] / "index.html"
        assert "\\label{eq:sgd-update}" in target.read_text(
            encoding="utf-8")
