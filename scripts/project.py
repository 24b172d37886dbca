"""The files a build needs, and throw-away copies of them.

Used by the benchmark and by the tests that break a copy on purpose.
"""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ["mkdocs.yml", "docs", "snippets", "hooks", "scripts",
                 "CITATION.bib", "CITATION.cff"]


def copy_project(dest: Path, root: Path = ROOT,
                 figure_cache: bool = False) -> Path:
    """Copy what a build needs into ``dest`` (and the figure cache)."""
    names = PROJECT_FILES + ([".cache/figures"] if figure_cache else [])
    for name in names:
        src, target = root / name, dest / name
        if src.is_dir():
            shutil.copytree(src, target,
                            ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest
