"""Measure the build in one run and print a table.

Works on a throw-away copy of the project, so the real .cache/ and
site/ are untouched: clean full build (no figure cache), no-op rebuild,
rebuild after touching one figure module, bare mkdocs build with the
figures cached, PDF export, and page weight.

Usage: python -m scripts.bench [--figure NAME] [--no-pdf]
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.project import copy_project

ROOT = Path(__file__).resolve().parent.parent
RAN = re.compile(r"figures: built\s+(\S+)")


def _timed(args: list[str], cwd: Path) -> tuple[float, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(cwd))
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(args)} failed:\n"
                         f"{done.stdout}{done.stderr}")
    return seconds, done.stdout + done.stderr


def _kib(n: int) -> str:
    return f"{n / 1024:,.0f} KiB"


def _linked_assets(html: Path) -> list[Path]:
    """The script and stylesheet files an HTML page links to."""
    text = html.read_text(encoding="utf-8")
    urls = re.findall(r'<script[^>]+src="([^"]+)"', text) + re.findall(
        r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', text)
    files = [(html.parent / url.split("?")[0]).resolve() for url in urls]
    return [f for f in files if f.is_file()]


def measure(figure: str | None, pdf: bool) -> list[tuple[str, str]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="book-bench-") as tmp:
        work = Path(tmp)
        copy_project(work)
        build = ["-m", "scripts.build_site", "--site-dir",
                 str(work / "site")]
        seconds, out = _timed(build, work)
        rows.append(("clean full build (no figure cache)",
                     f"{seconds:.1f} s, {len(RAN.findall(out))} "
                     f"figures ran"))
        seconds, out = _timed(build, work)
        rows.append(("no-op rebuild",
                     f"{seconds:.1f} s, {len(RAN.findall(out))} "
                     f"figures ran"))
        from scripts.build_figures import discover
        name = figure or discover(work)[0]
        module = work / "snippets" / "figures" / f"{name}.py"
        module.write_text(module.read_text() + "\n# touched by bench\n")
        seconds, out = _timed(build, work)
        rows.append((f"rebuild after touching {name}.py",
                     f"{seconds:.1f} s, ran: "
                     f"{', '.join(RAN.findall(out)) or 'none'}"))
        seconds, _ = _timed(["-m", "mkdocs", "build", "--strict",
                             "--quiet", "--site-dir",
                             str(work / "bare")], work)
        rows.append(("bare `mkdocs build`, figures cached",
                     f"{seconds:.1f} s"))
        if pdf:
            seconds, _ = _timed(["-m", "scripts.export_pdf", "--site-dir",
                                 str(work / "site")], work)
            rows.append(("PDF export, both languages", f"{seconds:.1f} s"))
        site = work / "site"
        html = max(site.rglob("*.html"), key=lambda p: p.stat().st_size)
        linked = _linked_assets(html)
        svg = max((site / "figures").glob("*.svg"),
                  key=lambda p: p.stat().st_size)
        rows += [
            ("largest HTML page", f"{_kib(html.stat().st_size)} "
                                  f"({html.relative_to(site)})"),
            ("JS+CSS the largest page links (MathJax incl.)",
             _kib(sum(p.stat().st_size for p in linked))),
            ("largest figure", f"{_kib(svg.stat().st_size)} ({svg.name})"),
        ]
        for pdf_file in sorted((site / "pdf").glob("*.pdf")):
            rows.append((f"PDF {pdf_file.name}",
                         _kib(pdf_file.stat().st_size)))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench",
        description="Time clean/no-op/touched builds, the PDF export, and "
                    "report page weight, on a temporary copy.")
    parser.add_argument("--figure", help="figure module to touch "
                        "(default: the first)")
    parser.add_argument("--no-pdf", action="store_true",
                        help="skip the PDF export")
    args = parser.parse_args(argv)
    rows = measure(args.figure, not args.no_pdf)
    width = max(len(k) for k, _ in rows)
    print(f"| {'measure':<{width}} | result |")
    print(f"|{'-' * (width + 2)}|--------|")
    for key, value in rows:
        print(f"| {key:<{width}} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
