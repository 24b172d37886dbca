"""references.bib is well-formed and covers every chapter's list."""
import re
import unicodedata

import pytest

from helpers import ROOT

ENTRY = re.compile(r"@(\w+)\{([^,\s]+),(.*?)\n\}", re.S)
REQUIRED = {"author", "title", "year"}
ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302",
           "~": "\u0303", "c": "\u0327"}


def unlatex(text):
    """{\\"o} -> ö, so a bib may spell names either way."""
    text = re.sub(r"\{\\(.)\s*\{?(\w)\}?\}",
                  lambda m: m.group(2) + ACCENTS.get(m.group(1), ""), text)
    return unicodedata.normalize("NFC", text)


def entries():
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    found = {}
    for kind, key, body in ENTRY.findall(text):
        assert key not in found, f"duplicate key {key}"
        fields = dict(re.findall(r"(\w+)\s*=\s*\{(.*?)\},?\s*$", body,
                                 re.S | re.M))
        found[key] = fields
    return found


def surname_years():
    """(first author's surname, year) of every entry."""
    pairs = set()
    for fields in entries().values():
        first = unlatex(fields["author"]).split(" and ")[0].strip()
        surname = first.split()[-1]
        pairs.add((surname, fields["year"]))
    return pairs


def test_every_entry_has_author_title_year():
    found = entries()
    assert found
    assert unlatex(r'Sj{\"o}berg') == "Sjöberg"
    for key, fields in found.items():
        missing = REQUIRED - set(fields)
        assert not missing, f"{key} lacks {missing}"
        assert re.fullmatch(r"\d{4}", fields["year"]), key


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chapter_references_are_in_the_bib(lang):
    known = surname_years()
    for page in (ROOT / "docs" / lang).glob("*.md"):
        text = page.read_text(encoding="utf-8")
        if "{ #references }" not in text:
            continue
        refs = text.split("{ #references }", 1)[1]
        items = re.findall(r"^- ([^(]+)\((\d{4})\)", refs, re.M)
        assert items, f"{page.name}: no '- Author (year)' items found"
        for item in items:
            surname = re.split(r"[,\s]", item[0].strip())[0]
            assert (surname, item[1]) in known, (
                f"{page.name}: {surname} ({item[1]}) is not in "
                f"references.bib")
