"""Build the book's figures: one SVG per module in snippets/figures/.

Each figure module defines ``figure()`` returning a matplotlib Figure.
A figure is rebuilt only when its cache key changes: the key hashes the
module, every project module it imports (transitively), this builder and
the versions of Python and the plotting libraries. Stale figures run in
parallel processes. Output is deterministic SVG, written atomically: the
SVG first, then its key, so a build killed halfway leaves a cache that
the next build can use (a figure without a matching key simply re-runs).

Usage: python -m scripts.build_figures [--only NAME ...] [--force]
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import os
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURE_PACKAGE = "snippets.figures"
FIGURE_FUNCTION = "figure"
# Modules in snippets/figures/ that are helpers, not figures.
HELPER_MODULES = {"__init__", "style"}
LIBRARIES = ("numpy", "scipy", "matplotlib", "scikit-learn", "torch")
# Bump when the SVG settings below change: it invalidates every figure.
BUILDER_VERSION = "1"
SVG_RC = {
    "svg.hashsalt": "optimization-for-deep-models",
    "svg.fonttype": "path",  # glyphs as paths: no font needed to view
    "path.simplify": True,
}


class FigureError(RuntimeError):
    """One or more figures failed; the message names each and what to do."""


@dataclass
class Result:
    name: str
    status: str  # "built", "cached" or "failed"
    seconds: float = 0.0
    error: str = ""


def figure_dir(root: Path = ROOT) -> Path:
    return root / "snippets" / "figures"


def discover(root: Path = ROOT) -> list[str]:
    """Names of the figure modules, sorted."""
    return sorted(
        p.stem for p in figure_dir(root).glob("*.py")
        if p.stem not in HELPER_MODULES
    )


def _project_imports(path: Path, root: Path) -> set[Path]:
    """Files of the project modules that ``path`` imports directly."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = path.relative_to(root).with_suffix("").parts[:-1]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import: resolve against the package
                parent = package[: len(package) - node.level + 1]
                base = ".".join(filter(None, [*parent, base]))
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names)
    files = set()
    for name in names:
        parts = name.split(".")
        if parts[0] != "snippets":
            continue
        for candidate in (root.joinpath(*parts).with_suffix(".py"),
                          root.joinpath(*parts, "__init__.py")):
            if candidate.is_file():
                files.add(candidate)
    return files


def dependencies(name: str, root: Path = ROOT) -> list[Path]:
    """The figure module and every project module it imports, recursively."""
    start = figure_dir(root) / f"{name}.py"
    seen: set[Path] = set()
    todo = [start]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        todo.extend(_project_imports(path, root) - seen)
    # Importing a submodule runs its packages' __init__ files too.
    for path in list(seen):
        for parent in path.relative_to(root).parents:
            init = root / parent / "__init__.py"
            if parent.parts and init.is_file():
                seen.add(init)
    return sorted(seen)


def cache_key(name: str, root: Path = ROOT) -> str:
    h = hashlib.sha256()
    h.update(f"builder {BUILDER_VERSION} {sys.version}\n".encode())
    h.update(Path(__file__).read_bytes())
    for lib in LIBRARIES:
        h.update(f"{lib} {metadata.version(lib)}\n".encode())
    for path in dependencies(name, root):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _render(name: str, root: str, out_dir: str) -> Result:
    """Run one figure module in a worker process and save its SVG."""
    start = time.perf_counter()
    try:
        import importlib
        import io

        import matplotlib
        matplotlib.use("svg")
        matplotlib.rcParams.update(SVG_RC)
        from matplotlib.figure import Figure

        if root not in sys.path:
            sys.path.insert(0, root)
        module = importlib.import_module(f"{FIGURE_PACKAGE}.{name}")
        make = getattr(module, FIGURE_FUNCTION, None)
        if not callable(make):
            raise FigureError(
                f"snippets/figures/{name}.py defines no function "
                f"{FIGURE_FUNCTION}(); every figure module must define "
                f"`def {FIGURE_FUNCTION}() -> matplotlib.figure.Figure`.")
        fig = make()
        if not isinstance(fig, Figure):
            raise FigureError(
                f"snippets/figures/{name}.py: {FIGURE_FUNCTION}() returned "
                f"{type(fig).__name__}, not a matplotlib Figure.")
        buf = io.BytesIO()
        # No date and a fixed hash salt: clean builds are byte-identical.
        fig.savefig(buf, format="svg", metadata={"Date": None})
        _write_atomic(Path(out_dir) / f"{name}.svg", buf.getvalue())
    except BaseException as exc:  # report every failure with its traceback
        if isinstance(exc, FigureError):
            detail = str(exc)
        else:
            detail = traceback.format_exc()
        return Result(name, "failed", time.perf_counter() - start, detail)
    return Result(name, "built", time.perf_counter() - start)


def build(names: list[str] | None = None, *, root: Path = ROOT,
          out_dir: Path | None = None, force: bool = False,
          jobs: int | None = None, log=print) -> list[Result]:
    """Bring every figure (or ``names``) up to date in ``out_dir``.

    Raises FigureError naming each failed figure; a failed figure leaves
    no SVG behind, so no page can show a stale one.
    """
    root = Path(root)
    out_dir = Path(out_dir or root / ".cache" / "figures")
    out_dir.mkdir(parents=True, exist_ok=True)
    known = discover(root)
    names = known if names is None else names
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise FigureError(
            f"no figure module for {', '.join(unknown)}: expected "
            f"snippets/figures/<name>.py (known: {', '.join(known)})")
    results, stale, keys = [], [], {}
    for name in names:
        keys[name] = cache_key(name, root)
        svg, key = out_dir / f"{name}.svg", out_dir / f"{name}.key"
        fresh = (svg.is_file() and key.is_file()
                 and key.read_text() == keys[name])
        if fresh and not force:
            results.append(Result(name, "cached"))
        else:
            stale.append(name)
    if stale:
        # Workers must hash identically to each other and to clean builds,
        # and import the project however the parent was started.
        os.environ["PYTHONHASHSEED"] = "0"
        paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
        if str(root) not in paths:
            os.environ["PYTHONPATH"] = os.pathsep.join(
                [str(root), *filter(None, paths)])
        workers = max(1, min(jobs or os.cpu_count() or 1, len(stale)))
        import multiprocessing
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            futures = [pool.submit(_render, n, str(root), str(out_dir))
                       for n in stale]
            for name, future in zip(stale, futures):
                try:
                    result = future.result()
                except Exception as exc:  # the worker process died
                    result = Result(name, "failed", 0.0,
                                    f"worker process died: {exc!r}")
                results.append(result)
                svg = out_dir / f"{result.name}.svg"
                key = out_dir / f"{result.name}.key"
                if result.status == "built":
                    _write_atomic(key, keys[result.name].encode())
                else:
                    svg.unlink(missing_ok=True)
                    key.unlink(missing_ok=True)
    order = {n: i for i, n in enumerate(names)}
    results.sort(key=lambda r: order[r.name])
    for r in results:
        if r.status != "cached":
            log(f"figures: {r.status:6} {r.name} ({r.seconds:.1f} s)")
    cached = [r.name for r in results if r.status == "cached"]
    if cached:
        log(f"figures: {len(cached)} cached, {len(results) - len(cached)} "
            f"ran (cached: {', '.join(cached)})")
    failed = [r for r in results if r.status == "failed"]
    if failed:
        raise FigureError("\n".join(
            f"figure '{r.name}' failed (snippets/figures/{r.name}.py); "
            f"fix it and rebuild, or iterate with "
            f"`python -m scripts.build_figures --only {r.name}`:\n"
            f"{r.error.rstrip()}" for r in failed))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.build_figures",
        description="Build the figures in snippets/figures/ into "
                    ".cache/figures/ (only those whose inputs changed).")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="build only these figures")
    parser.add_argument("--force", action="store_true",
                        help="rebuild even when the cache is fresh")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="output directory (default .cache/figures)")
    parser.add_argument("--jobs", type=int, help="parallel processes")
    parser.add_argument("--list", action="store_true",
                        help="list figure names and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(discover()))
        return 0
    try:
        build(args.only, out_dir=args.out, force=args.force, jobs=args.jobs)
    except FigureError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
