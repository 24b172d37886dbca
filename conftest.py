"""Run the `>>>` examples of every page, in both languages (Sybil).

Examples live in ```pycon fences; each fence is parsed as a doctest, so
its closing fence is never mistaken for expected output.
"""
import doctest

from sybil import Sybil
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown import CodeBlockParser

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


class PyconParser:
    """Doctest regions from ```pycon fences of a Markdown page."""

    def __init__(self):
        self.blocks = CodeBlockParser("pycon")
        self.doctests = DocTestStringParser(DocTestEvaluator(FLAGS))

    def __call__(self, document):
        for block in self.blocks(document):
            for region in self.doctests(block.parsed, document.path):
                region.adjust(block, block.parsed)
                yield region


pytest_collect_file = Sybil(parsers=[PyconParser()],
                            patterns=["*.md"]).pytest()
