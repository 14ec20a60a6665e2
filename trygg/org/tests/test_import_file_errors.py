"""Files that are not spreadsheets, or are empty or too large, get one clear message."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from trygg.org.importing import Kind, preview_import
from trygg.org.tests.files import (
    EMPLOYEE_HEADER,
    FILES,
    csv_file,
    employee,
    english,  # noqa: F401 (autouse fixture)
    xlsx_file,
)


def only_error(world, data, filename="ansatte.csv"):
    outcome = preview_import(
        organisation=world.org, kind=Kind.EMPLOYEES, data=data, filename=filename
    )
    assert not outcome.ok and outcome.changes == []
    assert len(outcome.errors) == 1
    assert outcome.errors[0].row is None
    return str(outcome.errors[0])


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n", b"\xef\xbb\xbf", b";;;\r\n;;\r\n"])
def test_it_refuses_an_empty_file(world, data):
    assert only_error(world, data) == "The file is empty."


def test_it_refuses_a_file_with_headings_only(world):
    assert only_error(world, csv_file([])) == "The file has column headings but no rows below them."


def test_it_refuses_a_file_over_the_size_limit(world, settings):
    settings.TRYGG_IMPORT_MAX_BYTES = 1024
    data = csv_file([employee(str(90000 + i)) for i in range(40)])

    assert only_error(world, data).startswith("The file is too large")


def test_it_refuses_binary_garbage(world):
    assert only_error(world, os.urandom(2048)) == (
        "The file is not a spreadsheet. Upload a CSV file or an Excel workbook (.xlsx)."
    )


def test_it_refuses_a_pdf_renamed_to_csv(world):
    data = (FILES / "not-a-spreadsheet.pdf.csv").read_bytes()

    assert "is a PDF, not a spreadsheet" in only_error(world, data)


def test_it_refuses_a_broken_workbook(world):
    data = xlsx_file([employee("90001")])[:3000]

    assert "damaged or is not a real .xlsx workbook" in only_error(world, data, "ansatte.xlsx")


def test_it_refuses_a_text_file_named_xlsx(world):
    assert "damaged" in only_error(world, csv_file([employee("90001")]), "ansatte.xlsx")


def test_it_refuses_a_zip_that_is_not_a_workbook(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hei")

    assert "damaged" in only_error(world, buffer.getvalue(), "ansatte.xlsx")


def test_it_explains_that_old_xls_files_must_be_saved_again(world):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)

    assert "Old Excel files (.xls) cannot be read" in only_error(world, data, "ansatte.xls")


def test_it_refuses_too_many_rows(world, settings):
    settings.TRYGG_IMPORT_MAX_ROWS = 10
    data = csv_file([employee(str(90000 + i)) for i in range(11)])

    assert "more than 10 rows" in only_error(world, data)


def test_it_reads_the_heading_even_after_a_bom_and_blank_lines(world):
    data = (
        b"\xef\xbb\xbf\r\n" + csv_file([employee("90001", unit="2110")], header=EMPLOYEE_HEADER)[3:]
    )

    outcome = preview_import(organisation=world.org, kind=Kind.EMPLOYEES, data=data)

    assert outcome.ok, outcome.errors
