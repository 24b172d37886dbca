"""MkDocs hook: check language parity, then build figures into .cache/.

Figures are written outside docs/ (to .cache/figures/) and added to the
build as generated files, so `mkdocs serve` rebuilds once per edit and
never loops on its own output; `--strict` still validates image links.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import build_figures, check_parity  # noqa: E402

log = logging.getLogger("mkdocs.hooks.figures")
FIGURES_URL = "figures"
# static-i18n runs a whole build per language with the same config
# object; the figures only need to be brought up to date once.
_done_for: list[int] = []


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_pre_build(config) -> None:
    if _done_for == [id(config)]:
        return
    root = _root(config)
    problems = check_parity.check(Path(config.docs_dir))
    if problems:
        raise PluginError(
            "the two languages are out of step:\n  "
            + "\n  ".join(problems)
            + "\n(run `python -m scripts.check_parity` to re-check)")
    try:
        build_figures.build(root=root, out_dir=root / ".cache" / "figures",
                            log=log.info)
    except build_figures.FigureError as exc:
        raise PluginError(str(exc)) from None
    _done_for[:] = [id(config)]


def on_files(files, config):
    root = _root(config)
    out = root / ".cache" / "figures"
    for name in build_figures.discover(root):
        files.append(File.generated(
            config, f"{FIGURES_URL}/{name}.svg",
            abs_src_path=str(out / f"{name}.svg")))
    return files
