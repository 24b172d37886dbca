"""Bad input: a short error naming the file, nothing half-written."""
import pytest

from helpers import run

pytestmark = pytest.mark.slow


def build(project):
    """Build the copy; return (result, the marker the old site keeps)."""
    site = project / "site"
    site.mkdir(exist_ok=True)
    marker = site / "previous-build.txt"
    marker.write_text("the last good site")
    done = run(["-m", "scripts.build_site", "--site-dir", str(site),
                "--config", str(project / "mkdocs.yml"), "--quiet"],
               cwd=project)
    return done, marker


def assert_failed_cleanly(project, done, marker, *needles):
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    for needle in needles:
        assert needle in output, f"{needle!r} not in:\n{output}"
    assert marker.read_text() == "the last good site", "site/ was touched"
    assert not list(project.glob(".site.partial-*")), "partial build left"
    cache = project / ".cache" / "figures"
    assert not list(cache.glob(".*.tmp")), "half-written figure left"


def test_the_copy_builds(project_copy):
    done, marker = build(project_copy)
    assert done.returncode == 0, done.stderr
    assert not marker.exists(), "the new site replaces the old one"
    assert (project_copy / "site" / "en" / "index.html").is_file()


def test_snippet_that_raises(project_copy):
    path = project_copy / "snippets" / "basic_algorithms.py"
    path.write_text(path.read_text() + "\nraise RuntimeError('boom')\n")
    done, marker = build(project_copy)
    assert_failed_cleanly(project_copy, done, marker,
                          "failed (snippets/figures/", "RuntimeError: boom")
    svgs = list((project_copy / ".cache" / "figures").glob("*.svg"))
    assert not any("basic_algorithms" in p.name for p in svgs), \
        "figures that use the broken snippet must not stay stale"


def test_page_links_a_missing_figure(project_copy):
    page = project_copy / "docs" / "en" / "basic-algorithms.md"
    page.write_text(page.read_text().replace(
        "basic_algorithms_schedules.svg", "no_such_figure.svg"))
    zh = project_copy / "docs" / "zh" / "basic-algorithms.md"
    zh.write_text(zh.read_text().replace(
        "basic_algorithms_schedules.svg", "no_such_figure.svg"))
    done, marker = build(project_copy)
    assert_failed_cleanly(project_copy, done, marker,
                          "basic-algorithms.md", "no_such_figure.svg")


def test_missing_translation(project_copy):
    (project_copy / "docs" / "zh" / "notation.md").unlink()
    done, marker = build(project_copy)
    assert_failed_cleanly(project_copy, done, marker,
                          "en/notation.md: no zh version")


def test_malformed_mkdocs_yml(project_copy):
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "docs_dir: docs", "docs_dir: [docs"))
    done, marker = build(project_copy)
    assert_failed_cleanly(project_copy, done, marker, "mkdocs.yml")


def test_figure_module_without_its_function(project_copy):
    (project_copy / "snippets" / "figures" / "orphan.py").write_text(
        "X = 1\n")
    done, marker = build(project_copy)
    assert_failed_cleanly(project_copy, done, marker,
                          "orphan.py defines no function figure()")


def test_missing_snippet_section(project_copy):
    for lang in ("zh", "en"):
        page = project_copy / "docs" / lang / "basic-algorithms.md"
        page.write_text(page.read_text().replace(
            "basic_algorithms.py:momentum", "basic_algorithms.py:nope"))
    done, marker = build(project_copy)
    assert_failed_cleanly(project_copy, done, marker, "nope")


def test_dangling_equation_reference(project_copy):
    for lang in ("zh", "en"):
        page = project_copy / "docs" / lang / "basic-algorithms.md"
        page.write_text(page.read_text() + "\nSee $\\eqref{eq:nope}$.\n")
    done, marker = build(project_copy)
    assert_failed_cleanly(project_copy, done, marker,
                          "basic-algorithms.md", "eq:nope")
