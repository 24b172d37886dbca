"""Shared by the tests: the project root and a command runner."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(args, cwd=ROOT, **kwargs):
    """Run ``python args…`` with the test's Python; capture text output."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(cwd))
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, **kwargs)
