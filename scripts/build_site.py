"""Build the site atomically: into a temporary folder, then swap it in.

A failed or killed build leaves the previous site/ untouched and no
half-written folder behind (the temporary folder is removed; a leftover
from a killed build is removed by the next run).

Usage: python -m scripts.build_site [--site-dir DIR] [--config FILE]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(site_dir: Path, config: Path, quiet: bool = False) -> int:
    site_dir = site_dir.resolve()
    parent = site_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    for leftover in parent.glob(f".{site_dir.name}.partial-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    tmp = parent / f".{site_dir.name}.partial-{os.getpid()}"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict",
           "--config-file", str(config), "--site-dir", str(tmp)]
    if quiet:
        cmd.append("--quiet")
    start = time.perf_counter()
    try:
        done = subprocess.run(cmd, env=env, cwd=config.parent)
        if done.returncode != 0:
            print(f"build failed: {site_dir} left unchanged "
                  f"(see the error above)", file=sys.stderr)
            return done.returncode
        old = parent / f".{site_dir.name}.old-{os.getpid()}"
        if site_dir.exists():
            site_dir.rename(old)
        tmp.rename(site_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"site: built {site_dir} in {time.perf_counter() - start:.1f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.build_site",
        description="Strict mkdocs build of both languages into site/, "
                    "swapped in only when the whole build succeeds.")
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml")
    parser.add_argument("--quiet", action="store_true",
                        help="only print warnings and errors")
    args = parser.parse_args(argv)
    if not args.config.is_file():
        print(f"error: {args.config} not found", file=sys.stderr)
        return 2
    return build(args.site_dir, args.config.resolve(), args.quiet)


if __name__ == "__main__":
    sys.exit(main())
