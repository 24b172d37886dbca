"""Run the `>>>` examples of every page, in both languages (Sybil)."""
import doctest

from sybil import Sybil
from sybil.parsers.doctest import DocTestParser

pytest_collect_file = Sybil(
    parsers=[
        DocTestParser(optionflags=doctest.ELLIPSIS
                      | doctest.NORMALIZE_WHITESPACE),
    ],
    patterns=["*.md"],
).pytest()
