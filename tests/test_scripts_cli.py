"""Every script in scripts/ is a command-line tool with --help."""

import pytest

from helpers import ROOT, run

TOOLS = sorted(p.stem for p in (ROOT / "scripts").glob("*.py")
               if p.stem not in {"__init__", "browser", "site_pages",
                                 "equations", "project"})


def test_there_are_tools():
    assert {"build_figures", "build_site", "check_parity", "export_pdf",
            "bench", "screenshot"} <= set(TOOLS)


@pytest.mark.parametrize("tool", TOOLS)
def test_help(tool):
    done = run(["-m", f"scripts.{tool}", "--help"])
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout


def test_export_pdf_without_site(tmp_path):
    done = run(["-m", "scripts.export_pdf", "--site-dir", str(tmp_path)])
    assert done.returncode == 2
    assert "run `make build` first" in done.stderr


def test_screenshot_without_site(tmp_path):
    done = run(["-m", "scripts.screenshot", "--site-dir", str(tmp_path)])
    assert done.returncode == 2
    assert "make build" in done.stderr


def test_missing_browser_skips_for_readers_and_fails_in_ci(monkeypatch):
    """Without Chromium: skip on a reader's machine, fail in CI."""
    import helpers
    import scripts.browser
    monkeypatch.setattr(scripts.browser, "chromium_path", lambda: None)
    monkeypatch.delenv("BOOK_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no Chromium"):
        helpers.require_browser()
    monkeypatch.setenv("BOOK_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="required"):
        helpers.require_browser()
