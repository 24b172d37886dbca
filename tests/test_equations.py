"""Build-time equation numbers and references."""
import pytest

from scripts.equations import link_references, number_equations

ALIGN = """$$
\\begin{align}
a &= 1 \\label{eq:a}\\\\
b &= 2\\\\
c &= 3 \\label{eq:c}
\\end{align}
$$"""


def test_numbers_follow_page_order_with_chapter_prefix():
    text = "$$\nx\n\\label{eq:x}\n$$\n\n$$\ny\n$$\n\n$$\nz\n\\label{eq:z}\n$$"
    out, numbers = number_equations(text, chapter=3)
    assert numbers == {"eq:x": "3.1", "eq:z": "3.2"}
    assert "\\label{eq:x}\\tag{3.1}" in out
    assert "$$\ny\n$$" in out  # unlabelled: untouched, unnumbered


def test_pages_without_chapter_number_plainly():
    _, numbers = number_equations("$$\nx\n\\label{eq:x}\n$$")
    assert numbers == {"eq:x": "1"}


def test_align_rows_numbered_and_bare_rows_notag():
    out, numbers = number_equations(ALIGN, chapter=5)
    assert numbers == {"eq:a": "5.1", "eq:c": "5.2"}
    assert "b &= 2\\notag " in out
    assert "\\notag \\end{align}" not in out


def test_references_link_here_and_elsewhere():
    text = "see $\\eqref{eq:a}$ and $\\eqref{eq:b}$"
    out = link_references(text, {"eq:a": "3.1"},
                          {"eq:b": ("../other/", "4.2")}, "p.md")
    assert '<a class="eqref" href="#eq:a">(3.1)</a>' in out
    assert '<a class="eqref" href="../other/#eq:b">(4.2)</a>' in out


def test_dangling_reference_names_the_page():
    with pytest.raises(KeyError, match="p.md.*eq:nope"):
        link_references("$\\eqref{eq:nope}$", {}, {}, "p.md")
