"""The figure builder: cache keys, failures, determinism, atomicity."""
import filecmp
import signal
import subprocess
import sys
import time

import pytest

from scripts import build_figures
from helpers import ROOT, run

FIGURE = """from matplotlib.figure import Figure
from snippets import helper_for_test


def figure():
    fig = Figure(figsize=(2, 2))
    fig.add_subplot().plot([0, 1], [0, helper_for_test.VALUE])
    return fig
"""


@pytest.fixture
def tree(tmp_path):
    """A tiny project: one figure that imports one snippet module."""
    figures = tmp_path / "snippets" / "figures"
    figures.mkdir(parents=True)
    (tmp_path / "snippets" / "__init__.py").write_text("")
    (figures / "__init__.py").write_text("")
    (tmp_path / "snippets" / "helper_for_test.py").write_text("VALUE = 1\n")
    (tmp_path / "snippets" / "unrelated.py").write_text("X = 1\n")
    (figures / "demo.py").write_text(FIGURE)
    return tmp_path


def build(tree, **kwargs):
    logs = []
    results = build_figures.build(root=tree, jobs=1, log=logs.append,
                                  **kwargs)
    return {r.name: r.status for r in results}, logs


def test_dependencies_follow_project_imports(tree):
    deps = {p.relative_to(tree).as_posix()
            for p in build_figures.dependencies("demo", tree)}
    assert deps == {"snippets/figures/demo.py", "snippets/__init__.py",
                    "snippets/figures/__init__.py",
                    "snippets/helper_for_test.py"}


def test_real_figures_depend_on_their_snippets():
    for name in build_figures.discover(ROOT):
        deps = {p.name for p in build_figures.dependencies(name, ROOT)}
        assert f"{name}.py" in deps
        assert "style.py" in deps, f"{name} does not use the shared style"


def test_cache_hits_and_misses(tree):
    assert build(tree)[0] == {"demo": "built"}
    statuses, logs = build(tree)
    assert statuses == {"demo": "cached"}
    assert logs == ["figures: 1 cached, 0 ran (cached: demo)"]
    (tree / "snippets" / "unrelated.py").write_text("X = 2\n")
    assert build(tree)[0] == {"demo": "cached"}
    (tree / "snippets" / "helper_for_test.py").write_text("VALUE = 2\n")
    assert build(tree)[0] == {"demo": "built"}


def test_failing_figure_names_itself_and_leaves_no_svg(tree):
    build(tree)
    svg = tree / ".cache" / "figures" / "demo.svg"
    assert svg.is_file()
    (tree / "snippets" / "helper_for_test.py").write_text(
        "VALUE = 1 / 0\n")
    with pytest.raises(build_figures.FigureError) as info:
        build(tree)
    message = str(info.value)
    assert "figure 'demo' failed (snippets/figures/demo.py)" in message
    assert "ZeroDivisionError" in message  # the traceback is shown
    assert not svg.exists(), "a stale SVG must not survive a failure"


def test_module_without_figure_function(tree):
    (tree / "snippets" / "figures" / "empty.py").write_text("X = 1\n")
    with pytest.raises(build_figures.FigureError,
                       match=r"empty.py defines no function figure\(\)"):
        build(tree)


def test_figure_returning_something_else(tree):
    (tree / "snippets" / "figures" / "bad.py").write_text(
        "def figure():\n    return 42\n")
    with pytest.raises(build_figures.FigureError,
                       match="returned int, not a matplotlib Figure"):
        build(tree)


def test_unknown_name(tree):
    with pytest.raises(build_figures.FigureError, match="no figure module"):
        build(tree, names=["nope"])


def test_interrupted_cache_is_usable(tree):
    """An SVG without its key (killed between the writes) re-runs."""
    build(tree)
    out = tree / ".cache" / "figures"
    (out / "demo.key").unlink()
    (out / ".demo.svg.999.tmp").write_text("half")  # a killed write
    assert build(tree)[0] == {"demo": "built"}


@pytest.mark.slow
def test_killed_build_leaves_a_cache_the_next_build_uses(project_copy):
    """SIGKILL mid-build; the next build succeeds and keeps what's done."""
    cmd = [sys.executable, "-m", "scripts.build_figures", "--force"]
    proc = subprocess.Popen(cmd, cwd=project_copy,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    time.sleep(2.5)
    import os
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = run(["-m", "scripts.build_figures"], cwd=project_copy)
    assert done.returncode == 0, done.stderr
    out = project_copy / ".cache" / "figures"
    for name in build_figures.discover(project_copy):
        text = (out / f"{name}.svg").read_text()
        assert text.rstrip().endswith("</svg>"), f"{name}.svg is truncated"


@pytest.mark.slow
def test_clean_builds_are_byte_identical(tmp_path):
    """Every real figure, built twice from scratch: identical bytes."""
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        build_figures.build(out_dir=out, force=True, log=lambda _: None)
    names = [f"{n}.svg" for n in build_figures.discover(ROOT)]
    match, mismatch, errors = filecmp.cmpfiles(first, second, names,
                                               shallow=False)
    assert not mismatch and not errors and len(match) == len(names) > 0


def test_cli_list_and_help():
    done = run(["-m", "scripts.build_figures", "--list"])
    assert done.returncode == 0
    assert set(done.stdout.split()) == set(build_figures.discover(ROOT))
