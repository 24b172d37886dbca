"""Code is printed in the PDF: lines must fit (≤ 79 characters)."""
import subprocess

import pytest

from helpers import ROOT

LIMIT = 79


def tracked(*patterns):
    out = subprocess.run(["git", "ls-files", *patterns], cwd=ROOT,
                         capture_output=True, text=True).stdout.split()
    if not out:  # not a git checkout: fall back to the tree
        out = [p.relative_to(ROOT).as_posix() for pat in patterns
               for p in ROOT.glob(f"**/{pat}")
               if ".venv" not in p.parts and "vendor" not in p.parts]
    return sorted(p for p in out if "/vendor/" not in p)


FILES = tracked("*.py", "*.js", "Makefile", ".ci/run")


def test_there_is_code_to_check():
    assert any(f.startswith("snippets/") for f in FILES)


@pytest.mark.parametrize("path", FILES)
def test_lines_fit_the_page(path):
    long = [f"{path}:{n}: {len(line)} characters"
            for n, line in enumerate(
                (ROOT / path).read_text(encoding="utf-8").splitlines(), 1)
            if len(line) > LIMIT]
    assert not long, "\n".join(long)


PAGES = tracked("docs/*.md")
# "\t" or "\b" in a Python string turns \times or \boldsymbol in
# LaTeX into a control character; the page then shows "d imes d".
CONTROL = {chr(c) for c in range(32)} - {"\n"}


def test_there_are_pages_to_check():
    assert any(p.startswith("docs/zh/") for p in PAGES)


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_control_characters(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    bad = [f"{path}:{n}: {sorted(repr(c) for c in set(line) & CONTROL)}"
           for n, line in enumerate(text.split("\n"), 1)
           if set(line) & CONTROL]
    assert not bad, "\n".join(bad)
