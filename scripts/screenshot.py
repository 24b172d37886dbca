"""Render built pages to PNG in light and dark mode, to look at them.

Usage: python -m scripts.screenshot [PAGE ...] [--site-dir site]
       [--out .cache/screenshots] [--full]
PAGE is a URL path such as "" (the Chinese home page) or
"en/basic-algorithms/"; with no PAGE, every page of the site.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scripts.browser import MATHJAX_DONE, chromium, serve
from scripts.site_pages import site_pages

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.screenshot",
        description="Screenshot built pages (light and dark) to PNG.")
    parser.add_argument("pages", nargs="*", help="URL paths, e.g. en/")
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    parser.add_argument("--out", type=Path,
                        default=ROOT / ".cache" / "screenshots")
    parser.add_argument("--full", action="store_true",
                        help="whole page, not just the first screen")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args(argv)
    if not (args.site_dir / "index.html").is_file():
        print(f"error: no built site in {args.site_dir}; run `make build`",
              file=sys.stderr)
        return 2
    pages = args.pages or site_pages(args.site_dir)
    args.out.mkdir(parents=True, exist_ok=True)
    with serve(args.site_dir) as base, chromium() as browser:
        for scheme in ("light", "dark"):
            page = browser.new_page(
                viewport={"width": args.width, "height": args.height},
                color_scheme=scheme)
            for path in pages:
                page.goto(base + path)
                page.evaluate(MATHJAX_DONE)
                name = (path.strip("/").replace("/", "_") or "index")
                out = args.out / f"{name}-{scheme}.png"
                page.screenshot(path=str(out), full_page=args.full)
                print(out)
            page.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
