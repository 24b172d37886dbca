"""Export one PDF per language from the built site.

The PDF is made from the same HTML as the web pages, so the two cannot
disagree: a print shell page in the site fetches every page of one
language in navigation order, keeps each page's article, makes its ids
unique (``page--id``), typesets the math (numbers were fixed at build
time, so they match the web: 3.1, 3.2, …) and Chromium prints it with
an outline (bookmarks), page numbers and a cover.

Usage: python -m scripts.export_pdf [--site-dir site] [--lang zh en]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from scripts.browser import chromium, serve

ROOT = Path(__file__).resolve().parent.parent
PDF_NAME = "optimization-for-deep-models-{lang}.pdf"
LANGS = {"zh": "", "en": "en/"}  # language -> URL prefix in the site
COVER = {
    "zh": ("深度模型的优化", "Optimization for Training Deep Models",
           "版本", "日期"),
    "en": ("Optimization for Training Deep Models", "深度模型的优化",
           "Version", "Date"),
}
PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
html, body { background: #fff; }
body { margin: 0; }
.md-typeset { font-size: 10.5pt; line-height: 1.6; }
.md-typeset h1 { break-before: page; font-size: 20pt; color: #111; }
.md-typeset h2 { font-size: 14pt; }
.md-typeset h3 { font-size: 12pt; }
.md-typeset h1, .md-typeset h2, .md-typeset h3 { break-after: avoid; }
.md-typeset pre > code { white-space: pre-wrap; font-size: 8.5pt; }
.md-typeset figure, .md-typeset .admonition, .md-typeset details,
.md-typeset table, mjx-container[display] { break-inside: avoid; }
.md-typeset .headerlink, .md-clipboard { display: none !important; }
.md-typeset figure img { max-width: 88%; }
.cover { height: 230mm; display: flex; flex-direction: column;
         justify-content: center; text-align: center; }
.cover .title { font-size: 30pt; font-weight: 700; margin: 0; }
.cover .subtitle { font-size: 16pt; color: #444; margin: 6mm 0 24mm; }
.cover .meta { font-size: 11pt; color: #333; }
.toc { break-before: page; }
.toc ol { font-size: 12pt; }
"""
FOOTER = ('<div style="width:100%;font-size:8px;color:#666;'
          'text-align:center;"><span class="pageNumber"></span> / '
          '<span class="totalPages"></span></div>')
# Runs in the print shell: fetch the pages, keep their articles,
# namespace ids and links, then typeset the math.
ASSEMBLE_JS = r"""
async ({pages, tocTitle}) => {
  const book = document.getElementById("book");
  const slugOf = (url) => new URL(url).pathname.replace(/\/$/, "")
      .split("/").pop() || "home";
  const local = new Map(pages.map((p) => [new URL(p.url).pathname,
                                          slugOf(p.url)]));
  const toc = [];
  for (const p of pages) {
    const html = await (await fetch(p.url)).text();
    const doc = new DOMParser().parseFromString(html, "text/html");
    const article = doc.querySelector("article.md-content__inner");
    const slug = slugOf(p.url);
    const section = document.createElement("section");
    section.className = "chapter md-typeset";
    section.id = slug;
    for (const el of article.querySelectorAll("[id]")) {
      el.id = slug + "--" + el.id;
    }
    for (const img of article.querySelectorAll("img[src]")) {
      img.src = new URL(img.getAttribute("src"), p.url).href;
    }
    for (const a of article.querySelectorAll("a[href]")) {
      const target = new URL(a.getAttribute("href"), p.url);
      const page = local.get(target.pathname);
      if (target.origin === location.origin && page) {
        const id = target.hash ? decodeURIComponent(target.hash.slice(1))
                               : "";
        // Equation ids come from MathJax (book-wide unique labels).
        a.setAttribute("href", "#" + (id.startsWith("eq:") ? id
                                      : page + (id ? "--" + id : "")));
      }
    }
    for (const d of article.querySelectorAll("details")) d.open = true;
    const h1 = article.querySelector("h1");
    toc.push([slug, h1 ? h1.textContent.replace("¶", "").trim() : slug]);
    section.append(...article.childNodes);
    book.append(section);
  }
  const list = document.querySelector(".toc ol");
  for (const [slug, title] of toc) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = "#" + slug; a.textContent = title;
    li.append(a); list.append(li);
  }
  document.querySelector(".toc h2").textContent = tocTitle;
  await MathJax.startup.promise;
  await MathJax.typesetPromise([book]);
  await Promise.all([...document.images].map((img) => img.decode()
      .catch(() => { throw new Error("broken image " + img.src); })));
  // MathJax draws glyphs with web fonts that load lazily: lay the page
  // out, then wait for them, or the PDF gets blank math.
  void document.body.offsetHeight;
  await document.fonts.ready;
  const mathFonts = [...document.fonts].filter(
      (f) => f.family.includes("MJX") && f.status === "loaded").length;
  const errors = document.querySelectorAll("mjx-merror");
  return {chapters: toc.length, mathErrors: errors.length, mathFonts};
}
"""


def _version() -> str:
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    match = re.search(r'^version:\s*"?([^"\n]+)"?', text, re.M)
    return match.group(1) if match else "unversioned"


def _date() -> str:
    """The date of the last commit, so re-exports of it agree."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs"],
                             cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        out = ""
    return out or dt.date.today().isoformat()


def _shell(site_dir: Path, lang: str) -> str:
    css = sorted((site_dir / "assets" / "stylesheets").glob("main.*.css"))
    if not css:
        raise SystemExit(f"error: {site_dir} has no Material stylesheet; "
                         f"run `make build` first")
    title, subtitle, version_word, date_word = COVER[lang]
    return f"""<!doctype html>
<html lang="{lang}" data-md-color-scheme="default">
<head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="../assets/stylesheets/{css[-1].name}">
<link rel="stylesheet" href="../assets/stylesheets/book.css">
<style>{PRINT_CSS}</style>
<script src="../assets/javascripts/mathjax-config.js"></script>
<script>window.MathJax.startup = {{typeset: false}};</script>
<script src="../assets/vendor/mathjax/tex-chtml.js"></script>
</head>
<body><div class="md-typeset">
<section class="cover">
  <p class="title">{title}</p>
  <p class="subtitle">{subtitle}</p>
  <p class="meta">{version_word} {_version()} · {date_word} {_date()}</p>
</section>
<nav class="toc"><h2></h2><ol></ol></nav>
</div>
<main id="book"></main>
</body></html>"""


def export(site_dir: Path, langs: list[str], log=print,
           browser=None) -> list[Path]:
    """Write one PDF per language; reuse ``browser`` when given."""
    if browser is None:
        with chromium() as browser:
            return export(site_dir, langs, log, browser)
    site_dir = site_dir.resolve()
    out_dir = site_dir / "pdf"
    out_dir.mkdir(exist_ok=True)
    written = []
    with serve(site_dir) as base:
        for lang in langs:
            start = time.perf_counter()
            page = browser.new_page(color_scheme="light")
            home = base + LANGS[lang]
            page.goto(home)
            urls = page.eval_on_selector_all(
                "nav.md-nav--primary a.md-nav__link[href]",
                "els => [...new Set(els.map(a => a.href.split('#')[0]))]")
            shell = out_dir / f".print-{lang}.html"
            shell.write_text(_shell(site_dir, lang), encoding="utf-8")
            try:
                page.goto(base + f"pdf/{shell.name}")
                toc_title = "目录" if lang == "zh" else "Contents"
                info = page.evaluate(
                    ASSEMBLE_JS,
                    {"pages": [{"url": u} for u in urls],
                     "tocTitle": toc_title})
                if info["mathErrors"]:
                    raise SystemExit(
                        f"error: {info['mathErrors']} MathJax error(s) in "
                        f"the {lang} print page; run `make test` to find "
                        f"them")
                if info["mathFonts"] == 0:
                    raise SystemExit(
                        f"error: MathJax's fonts did not load in the {lang} "
                        f"print page; the PDF would show blank math")
                target = out_dir / PDF_NAME.format(lang=lang)
                tmp = target.with_name(f".{target.name}.tmp")
                page.pdf(path=str(tmp), format="A4", outline=True,
                         tagged=True, print_background=True,
                         display_header_footer=True,
                         header_template="<span></span>",
                         footer_template=FOOTER,
                         margin={"top": "18mm", "bottom": "20mm",
                                 "left": "16mm", "right": "16mm"})
                os.replace(tmp, target)
            finally:
                shell.unlink(missing_ok=True)
                page.close()
            written.append(target)
            log(f"pdf: {target.relative_to(site_dir.parent)} "
                f"({info['chapters']} pages of the site, "
                f"{time.perf_counter() - start:.1f} s)")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.export_pdf",
        description="Write site/pdf/optimization-for-deep-models-<lang>.pdf"
                    " for each language from the built site.")
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    parser.add_argument("--lang", nargs="+", choices=sorted(LANGS),
                        default=list(LANGS))
    args = parser.parse_args(argv)
    if not (args.site_dir / "index.html").is_file():
        print(f"error: no built site in {args.site_dir}; run `make build` "
              f"first", file=sys.stderr)
        return 2
    export(args.site_dir, args.lang)
    return 0


if __name__ == "__main__":
    sys.exit(main())
