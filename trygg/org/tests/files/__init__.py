"""Import test files: builders for the shapes HR systems and Excel produce, and a few samples.

`FILES / name` opens a sample; the builders write a file from rows in any encoding and
delimiter, or as an Excel workbook.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

from trygg.accounts.models import Organisation
from trygg.lib.dates import format_date, today
from trygg.org.models import Employment, Person

FILES = Path(__file__).parent


@pytest.fixture(autouse=True)
def english(settings) -> Iterator[None]:
    """The tests read messages in English, the msgids, whatever translations exist."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


EMPLOYEE_HEADER = [
    "Ansattnummer",
    "Fornavn",
    "Etternavn",
    "E-post",
    "Enhetskode",
    "Stilling",
    "Stillingsprosent",
    "Ansettelsestype",
    "Startdato",
    "Sluttdato",
    "Personalansvar",
]
UNIT_HEADER = ["Enhetskode", "Navn", "Overordnet enhetskode", "Nivå"]

TYPE_WORDS = {
    Employment.Type.PERMANENT: "fast",
    Employment.Type.TEMPORARY: "midlertidig",
    Employment.Type.ON_CALL: "tilkalling",
}


def employee(
    number: str,
    first: str = "Kari",
    last: str = "Nordmann",
    *,
    email: str = "",
    unit: str = "2100",
    title: str = "Sykepleier",
    percent: str = "100",
    kind: str = "fast",
    start: str = "01.01.2020",
    end: str = "",
    leader: str = "nei",
) -> list[str]:
    return [number, first, last, email, unit, title, percent, kind, start, end, leader]


def unit(code: str, name: str, parent: str = "", level: str = "enhet") -> list[str]:
    return [code, name, parent, level]


def csv_file(
    rows: list[list[str]],
    header: list[str] | None = None,
    *,
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
) -> bytes:
    """The file as Excel saves it: CRLF line ends, a BOM for UTF-8."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header or EMPLOYEE_HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_file(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or EMPLOYEE_HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_from_database(organisation: Organisation) -> list[list[str]]:
    """An employee file that matches the database exactly, so importing it changes nothing."""
    rows = []
    people = Person.objects.filter(organisation=organisation).exclude(employee_number="")
    for person in people.order_by("employee_number"):
        open_positions = [
            e
            for e in person.employments.select_related("unit")
            if e.end_date is None or e.end_date >= today()
        ]
        for e in open_positions:
            rows.append(
                employee(
                    person.employee_number,
                    person.first_name,
                    person.last_name,
                    email=person.email,
                    unit=e.unit.code,
                    title=e.title,
                    percent=f"{e.position_percent:f}".replace(".", ","),
                    kind=TYPE_WORDS[e.employment_type],
                    start=format_date(e.start_date),
                    end=format_date(e.end_date),
                    leader="ja" if e.is_leader else "nei",
                )
            )
    return rows


def day(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d.%m.%Y").date()
