"""docs/import.md describes every column, alias and value the import understands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trygg.org.importing import _EMPLOYMENT_TYPES, _UNIT_KINDS, COLUMNS, EXAMPLES, Kind, read_table

DOC = (Path(__file__).resolve().parents[3] / "docs" / "import.md").read_text(encoding="utf-8")


SECTIONS = {
    Kind.UNITS: DOC.split("## The units file")[1].split("## The employee file")[0],
    Kind.EMPLOYEES: DOC.split("## The employee file")[1].split("## Errors the whole file")[0],
}


def table_row(kind, heading):
    row = re.search(rf"^\| `{re.escape(heading)}` \|.*$", SECTIONS[kind], re.MULTILINE)
    assert row, f"docs/import.md has no row for the column «{heading}»"
    return row.group(0)


@pytest.mark.parametrize("kind", list(Kind))
def test_it_documents_every_column_with_all_its_aliases(kind):
    for column in COLUMNS[kind]:
        row = table_row(kind, column.heading)
        assert ("| yes |" in row) is column.required, row
        documented = {alias.strip() for alias in row.split("|")[3].split(",")}
        assert set(column.aliases) - {column.heading} == documented, column.heading


def test_it_documents_the_main_words_for_types_and_levels():
    for words in [*_EMPLOYMENT_TYPES.values(), *_UNIT_KINDS.values()]:
        assert f"`{words[0]}`" in DOC


@pytest.mark.parametrize("kind", list(Kind))
def test_it_shows_the_example_files_in_the_docs(kind):
    example = EXAMPLES[kind].replace("\r\n", "\n")

    assert example in DOC
    assert read_table(example.encode()).rows
