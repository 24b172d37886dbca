"""Fixtures: a built site, a breakable project copy, a browser."""
import sys

import pytest

from helpers import ROOT, require_browser, run
from scripts.project import copy_project

# make `import snippets` work however pytest is started
sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The book built from this checkout into a temporary site/."""
    site = tmp_path_factory.mktemp("build") / "site"
    done = run(["-m", "scripts.build_site", "--site-dir", str(site),
                "--quiet"])
    assert done.returncode == 0, done.stdout + done.stderr
    return site


@pytest.fixture
def project_copy(tmp_path):
    """A copy of the project (with the warm figure cache) to break."""
    return copy_project(tmp_path, figure_cache=True)


@pytest.fixture(scope="session")
def browser():
    require_browser()
    from scripts.browser import chromium
    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def site_url(built_site):
    from scripts.browser import serve
    with serve(built_site) as base:
        yield base
