"""The pages of a built site, as URL paths relative to its root."""
from __future__ import annotations

from pathlib import Path


def site_pages(site_dir: Path) -> list[str]:
    """Every HTML page but 404.html, e.g. ["", "en/", "en/notation/"]."""
    pages = []
    for html in sorted(Path(site_dir).rglob("index.html")):
        rel = html.parent.relative_to(site_dir).as_posix()
        if rel.startswith(("assets", "search", "pdf")):
            continue
        pages.append("" if rel == "." else rel + "/")
    return pages
