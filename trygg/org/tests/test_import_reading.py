"""Reading HR exports: encodings, delimiters, Excel workbooks, numbers and dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from trygg.org.importing import (
    EMPLOYEE_COLUMNS,
    Kind,
    example_file,
    map_columns,
    parse_date,
    parse_percent,
    preview_import,
    read_table,
)
from trygg.org.tests.files import (
    EMPLOYEE_HEADER,
    FILES,
    csv_file,
    employee,
    english,  # noqa: F401 (autouse fixture)
    xlsx_file,
)

ROW = employee("90001", "Åse", "Ødegård", unit="2110", percent="80,5", start="01.02.2025")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_it_reads_every_encoding_and_delimiter(encoding, delimiter):
    table = read_table(csv_file([ROW], delimiter=delimiter, encoding=encoding), "ansatte.csv")

    assert table.headers == EMPLOYEE_HEADER
    assert table.rows == [(2, ROW)]


def test_it_reads_a_file_saved_by_excel_in_windows_1252():
    data = (FILES / "ansatte-excel-cp1252.csv").read_bytes()
    assert b"\xc5se" in data  # Å in Windows-1252, which is not valid UTF-8

    table = read_table(data, "ansatte-excel-cp1252.csv")

    assert table.rows[0][1][1:3] == ["Åse", "Ødegård"]
    assert table.rows[0][1][6] == "80,5"


def test_it_obeys_an_excel_separator_line_and_does_not_count_it_as_a_row():
    data = b"sep=,\r\n" + csv_file([ROW, employee("90002")], delimiter=",", encoding="utf-8")

    table = read_table(data)

    assert table.headers == EMPLOYEE_HEADER
    assert table.rows == [(2, ROW), (3, employee("90002"))]


def test_it_keeps_commas_inside_quoted_values():
    table = read_table(
        csv_file([employee("90001", "Kari", "Nordmann, jr.", percent="80,5")], delimiter=",")
    )

    assert table.rows[0][1][2] == "Nordmann, jr."
    assert table.rows[0][1][6] == "80,5"


def test_it_reads_an_excel_workbook_with_typed_cells():
    row = [
        90001,
        "Åse",
        "Ødegård",
        None,
        2110,
        "Sykepleier",
        80.5,
        "fast",
        dt.datetime(2025, 2, 1),
        None,
        True,
    ]

    table = read_table(xlsx_file([row]), "ansatte.xlsx")

    assert table.headers == EMPLOYEE_HEADER
    assert table.rows[0][0] == 2
    assert table.rows[0][1][:3] == [90001, "Åse", "Ødegård"]


def test_it_imports_an_excel_workbook(world):
    row = [
        90001,
        "Åse",
        "Ødegård",
        None,
        2110,
        "Sykepleier",
        80.5,
        "fast",
        dt.datetime(2025, 2, 1),
        None,
        True,
    ]

    outcome = preview_import(
        organisation=world.org, kind=Kind.EMPLOYEES, data=xlsx_file([row]), filename="a.xlsx"
    )

    assert outcome.ok, outcome.errors
    new = [change for change in outcome.changes if change.key == "90001"]
    assert new and "80,5 %" in new[0].details[0] and "01.02.2025" in new[0].details[0]


def test_it_reads_percent_formatted_excel_cells_as_percent():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Stillingsprosent"])
    sheet.append([0.805])
    sheet["A2"].number_format = "0.0%"
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)

    table = read_table(buffer.getvalue(), "prosent.xlsx")

    assert parse_percent(table.rows[0][1][0], "Stillingsprosent") == Decimal("80.5")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("80", "80"),
        ("80,5", "80.5"),
        ("80.5", "80.5"),
        (" 80,5 % ", "80.5"),
        ("100", "100"),
        ("33,333", "33.33"),
        (50, "50"),
        (62.5, "62.5"),
    ],
)
def test_it_reads_decimal_comma_and_point(text, expected):
    assert parse_percent(text, "Stillingsprosent") == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31.01.2025", dt.date(2025, 1, 31)),
        ("1.2.2025", dt.date(2025, 2, 1)),
        ("2025-02-01", dt.date(2025, 2, 1)),
        ("01.02.2025 00:00", dt.date(2025, 2, 1)),
        (dt.datetime(2025, 2, 1, 0, 0), dt.date(2025, 2, 1)),
        (dt.date(2025, 2, 1), dt.date(2025, 2, 1)),
        ("", None),
    ],
)
def test_it_reads_norwegian_and_iso_dates(text, expected):
    assert parse_date(text, "Startdato") == expected


def test_it_matches_headings_case_insensitively_in_norwegian_and_english():
    headers = [
        "EMPLOYEE_NUMBER",
        "First name",
        "Last Name",
        "E-post",
        "Enhet",
        "Stillingstittel",
        "Stillingsprosent",
        "Employment type",
        "Fra dato",
        "Sluttdato",
        "Leder",
    ]

    columns = map_columns(headers, EMPLOYEE_COLUMNS)

    assert columns.missing == []
    assert columns.index == {
        "number": 0,
        "first_name": 1,
        "last_name": 2,
        "email": 3,
        "unit_code": 4,
        "title": 5,
        "percent": 6,
        "employment_type": 7,
        "start_date": 8,
        "end_date": 9,
        "is_leader": 10,
    }


def test_it_prefers_the_unit_code_over_the_unit_name():
    columns = map_columns(["Enhet", "Enhetskode"], EMPLOYEE_COLUMNS)

    assert columns.index["unit_code"] == 1
    assert columns.ignored == ["Enhet"]


@pytest.mark.parametrize("kind", [Kind.UNITS, Kind.EMPLOYEES])
def test_it_offers_example_files_that_import_cleanly(kind):
    table = read_table(example_file(kind), "eksempel.csv")

    assert example_file(kind).startswith(b"\xef\xbb\xbf")
    assert len(table.rows) >= 3
