"""Equation numbers, computed when the book is built.

Labelled display equations get explicit tags, ``\\tag{3.2}`` (chapter 3,
second labelled equation of the chapter), and ``$\\eqref{eq:x}$`` becomes
a plain link "(3.2)" to ``#eq:x``. Numbering in Python rather than in
MathJax makes the numbers the same on the web and in the PDF, lets a
reference point to another page, and makes a dangling reference a build
error instead of "(???)" on the page.
"""
from __future__ import annotations

import re
# A $$ block on lines of its own (optionally indented).
DISPLAY = re.compile(r"^([ \t]*)\$\$\n(.*?)\n[ \t]*\$\$[ \t]*$",
                     re.S | re.M)
LABEL = re.compile(r"\\label\{([^}]+)\}")
EQREF = re.compile(r"\$\\eqref\{([^}]+)\}\$")
MULTILINE = re.compile(r"\\begin\{(align|gather|multline)\*?\}")


def _tag_row(row: str, numbers: dict[str, str], prefix: str) -> str:
    """Tag the row's label with the next number; \\notag a bare row."""
    match = LABEL.search(row)
    if match:
        number = f"{prefix}{len(numbers) + 1}"
        numbers[match.group(1)] = number
        at, insert = match.end(), rf"\tag{{{number}}}"
    else:
        end = row.find("\\end{")
        at, insert = (end if end >= 0 else len(row)), r"\notag "
    return row[:at] + insert + row[at:]


def number_equations(markdown: str, chapter=None
                     ) -> tuple[str, dict[str, str]]:
    """Add ``\\tag{…}`` to labelled equations; return text and numbers.

    >>> text = "$$\\nx = 1\\n\\\\label{eq:x}\\n$$"
    >>> out, numbers = number_equations(text, chapter=3)
    >>> numbers
    {'eq:x': '3.1'}
    >>> "\\\\tag{3.1}" in out
    True
    """
    prefix = f"{chapter}." if chapter else ""
    numbers: dict[str, str] = {}

    def tag(match: re.Match) -> str:
        indent, body = match.group(1), match.group(2)
        if not LABEL.search(body):
            return match.group(0)
        if MULTILINE.search(body):
            # Each row of an align is numbered on its own; rows without
            # a label get \notag so MathJax does not number them itself.
            rows = body.split("\\\\")
            body = "\\\\".join(_tag_row(r, numbers, prefix) for r in rows)
        else:
            body = _tag_row(body, numbers, prefix)
        return f"{indent}$$\n{body}\n{indent}$$"

    return DISPLAY.sub(tag, markdown), numbers


def link_references(markdown: str, here: dict[str, str],
                    elsewhere: dict[str, tuple[str, str]], where: str
                    ) -> str:
    """Replace ``$\\eqref{eq:x}$`` with a link "(3.2)" to the equation.

    ``here`` maps labels of this page to numbers; ``elsewhere`` maps the
    labels of other pages to (relative URL of that page, number).
    Raises KeyError naming ``where`` for a label no page defines.
    """
    def link(match: re.Match) -> str:
        label = match.group(1)
        if label in here:
            url, number = "", here[label]
        elif label in elsewhere:
            url, number = elsewhere[label]
        else:
            raise KeyError(
                f"{where}: \\eqref{{{label}}} refers to an equation that "
                f"no page labels; check the label's spelling")
        return f'<a class="eqref" href="{url}#{label}">({number})</a>'

    return EQREF.sub(link, markdown)
