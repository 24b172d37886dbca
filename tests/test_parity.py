"""The parity check: the real book passes, each kind of drift fails."""
import shutil

import pytest

from scripts import check_parity
from helpers import ROOT

PAGE = """---
chapter: 3
---
# Title {lang} {{ #top }}

Text {lang}.

$$
x = 1
\\label{{eq:x}}
$$

<figure markdown="span" id="fig-a">
  ![a](../figures/a.svg)
  <figcaption>cap</figcaption>
</figure>

## Part {lang} {{ #part }}

```python
--8<-- "snippets/basic_algorithms.py:sgd"
```
"""


def test_the_book_is_in_step():
    assert check_parity.check(ROOT / "docs") == []


@pytest.fixture
def docs(tmp_path):
    for lang in ("zh", "en"):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "p.md").write_text(PAGE.format(lang=lang))
    assert check_parity.check(tmp_path) == []
    return tmp_path


def edit(docs, lang, old, new):
    path = docs / lang / "p.md"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def problems(docs):
    found = check_parity.check(docs)
    assert found, "the check should have failed"
    return "\n".join(found)


def test_missing_page(docs):
    (docs / "en" / "extra.md").write_text("# Extra { #extra }\n")
    assert "en/extra.md: no zh version" in problems(docs)


def test_heading_id_only_in_one_language(docs):
    edit(docs, "en", "{ #part }", "{ #section }")
    out = problems(docs)
    assert "heading id 'part'" in out and "heading id 'section'" in out


def test_heading_without_id(docs):
    edit(docs, "zh", "## Part zh { #part }", "## Part zh")
    assert "heading without an explicit id" in problems(docs)


def test_equation_latex_differs(docs):
    edit(docs, "zh", "x = 1", "x = 2")
    assert "LaTeX of eq:x differs" in problems(docs)


def test_equations_in_a_different_order(docs):
    second = "$$\ny = 2\n\\label{eq:y}\n$$\n\n"
    edit(docs, "zh", "$$\nx = 1", second + "$$\nx = 1")
    edit(docs, "en", "## Part en", second + "## Part en")
    assert "equations appear in a different order (eq:y vs eq:x)" in (
        problems(docs))


def test_equation_only_in_one_language(docs):
    edit(docs, "en", "\\label{eq:x}", "")
    assert "equation eq:x is missing from" in problems(docs)


def test_figure_only_in_one_language(docs):
    edit(docs, "zh", 'id="fig-a"', 'id="fig-b"')
    assert "figure 'fig-b'" in problems(docs)


def test_snippet_include_differs(docs):
    edit(docs, "en", "basic_algorithms.py:sgd", "basic_algorithms.py:x")
    assert "snippet include" in problems(docs)


def test_pasted_code_block(docs):
    edit(docs, "en", '--8<-- "snippets/basic_algorithms.py:sgd"',
         '--8<-- "snippets/basic_algorithms.py:sgd"\nprint("pasted")')
    assert "pasted code block" in problems(docs)


def test_doctest_block_is_allowed(docs):
    for lang in ("zh", "en"):
        path = docs / lang / "p.md"
        path.write_text(path.read_text()
                        + "\n```pycon\n>>> 1 + 1\n2\n```\n")
    assert check_parity.check(docs) == []


def test_label_used_twice_in_the_book(docs):
    for lang in ("zh", "en"):
        shutil.copy(docs / lang / "p.md", docs / lang / "q.md")
    assert "eq:x is also used" in problems(docs)


def test_chapter_number_differs(docs):
    edit(docs, "en", "chapter: 3", "chapter: 4")
    assert "`chapter:` differs" in problems(docs)


def test_cli_exit_codes(docs, capsys):
    assert check_parity.main([str(docs)]) == 0
    edit(docs, "zh", "x = 1", "x = 2")
    assert check_parity.main([str(docs)]) == 1
    assert "differs" in capsys.readouterr().err


def test_page_examples_are_collected_in_both_languages():
    """Sybil must really run the pages' >>> examples (not collect 0)."""
    from helpers import run
    done = run(["-m", "pytest", "--collect-only", "-q", "docs"])
    assert done.returncode == 0, done.stdout + done.stderr
    for lang in ("zh", "en"):
        assert f"docs/{lang}/basic-algorithms.md::line:" in done.stdout
