"""Shared by the tests: the project root and a command runner."""
import os
import subprocess

import pytest
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(args, cwd=ROOT, **kwargs):
    """Run ``python args…`` with the test's Python; capture text output."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(cwd))
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, **kwargs)


def require_browser():
    """Skip without Chromium, or fail when BOOK_REQUIRE_BROWSER=1 (CI)."""
    import scripts.browser
    if scripts.browser.chromium_path() is None:
        if os.environ.get("BOOK_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (BOOK_REQUIRE_BROWSER=1) "
                        "but not installed: apt-get install chromium")
        pytest.skip("no Chromium on this machine: browser and PDF tests "
                    "skipped (install chromium to run them)")
