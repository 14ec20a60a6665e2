"""Import units and employees from HR and payroll exports (CSV or Excel).

Three steps: `read_table` turns the uploaded bytes into numbered rows, a planner compares every
row with the database and collects every error, and `commit_import` writes a clean plan through
the org services in one transaction, so each change is audit-logged like a change by hand.
Nothing is written unless every row is valid, and a file that matches the database writes
nothing at all (docs/import.md describes the columns and the rules).

Row numbers are the ones the user sees in Excel: the heading row is row 1.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import secrets
import zipfile
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.accounts.models import Organisation
from trygg.audit.models import AuditEntry
from trygg.audit.services import record_event
from trygg.lib import dates
from trygg.lib.typing import AnyUser
from trygg.org import services
from trygg.org.models import Employment, Person, Unit

T = TypeVar("T")
Cell = str | int | float | Decimal | dt.date | dt.datetime | bool | None
Progress = Callable[[Iterable[Any], int, str], Iterable[Any]]

# Whole workbooks are unpacked in memory; this bounds a small .xlsx that unpacks to gigabytes.
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
PREVIEW_ROWS = 50


def max_bytes() -> int:
    return int(settings.TRYGG_IMPORT_MAX_BYTES)


def max_rows() -> int:
    return int(getattr(settings, "TRYGG_IMPORT_MAX_ROWS", 100_000))


class Kind(models.TextChoices):
    UNITS = "units", gettext_lazy("Units")
    EMPLOYEES = "employees", gettext_lazy("Employees")


class Status(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    ENDED = "ended"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RowError:
    """One problem in the file; `row` is None for problems with the whole file."""

    row: int | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class Change:
    """What the import does to one unit or person, for the preview and the summary."""

    row: int | None
    status: Status
    key: str
    name: str
    place: str = ""
    details: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    kind: str
    filename: str = ""
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, status: Status) -> int:
        return sum(1 for change in self.changes if change.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {status.value: self.count(status) for status in Status}

    @property
    def has_changes(self) -> bool:
        return any(change.status != Status.UNCHANGED for change in self.changes)

    def first(self, status: Status, limit: int = PREVIEW_ROWS) -> list[Change]:
        return [change for change in self.changes if change.status == status][:limit]

    def summary(self) -> str:
        counts = self.counts
        return (
            _("%(new)s new, %(changed)s changed, %(ended)s ended, %(unchanged)s unchanged.")
            % counts
        )


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _no_progress(items: Iterable[T], total: int, description: str) -> Iterable[T]:
    return items


# --- Reading the file ----------------------------------------------------------------------
@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Cell]]]  # (row number as in Excel, cells)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_size(size: int) -> None:
    if size == 0:
        raise FileProblem(_("The file is empty."))
    if size > max_bytes():
        raise FileProblem(
            _("The file is too large (%(size)s MB). The limit is %(max)s MB.")
            % {"size": _megabytes(size), "max": _megabytes(max_bytes())}
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def read_table(data: bytes, filename: str = "") -> Table:
    """The file's heading row and its non-empty rows. Raises FileProblem."""
    check_size(len(data))
    name = filename.lower()
    if data.startswith(b"%PDF"):
        raise FileProblem(
            _(
                "The file is a PDF, not a spreadsheet. Export the list from the HR system as CSV or Excel (.xlsx)."
            )
        )
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise FileProblem(
            _(
                "Old Excel files (.xls) cannot be read. Open the file in Excel and save it as .xlsx or CSV."
            )
        )
    if data.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        rows = _read_xlsx(data)
    else:
        rows = _read_csv(_decode(data))
    return _table(rows)


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        # UTF-8 is strict: Windows-1252 text almost never decodes as UTF-8 by accident.
        encodings = ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _looks_binary(text):
            return text
        break
    raise FileProblem(_not_a_spreadsheet())


def _not_a_spreadsheet() -> str:
    return _("The file is not a spreadsheet. Upload a CSV file or an Excel workbook (.xlsx).")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SEP_LINE = re.compile(r"sep=(.)[ \t]*(\r\n|\r|\n)", re.IGNORECASE)


def _looks_binary(text: str) -> bool:
    return _CONTROL.search(text) is not None


def _delimiter(text: str) -> str:
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _read_csv(text: str) -> Iterator[list[Cell]]:
    # Excel writes and obeys a first line "sep=;", and does not show it as a row.
    if sep := _SEP_LINE.match(text):
        delimiter, text = sep.group(1), text[sep.end() :]
    else:
        delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise FileProblem(_not_a_spreadsheet()) from exc


def _read_xlsx(data: bytes) -> Iterator[list[Cell]]:
    import openpyxl

    broken = _(
        "The Excel file is damaged or is not a real .xlsx workbook, so it could not be opened."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise FileProblem(broken) from exc
    if b"opendocument" in mimetype:
        raise FileProblem(
            _("OpenDocument spreadsheets (.ods) cannot be read. Save the file as .xlsx or CSV.")
        )
    if "xl/workbook.xml" not in names:
        raise FileProblem(broken)
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileProblem(
            _("The Excel file is too large when unpacked. Save it as CSV and try again.")
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise FileProblem(broken) from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some exporters write a wrong size; read every row there is
        rows = [[_xlsx_value(cell) for cell in cells] for cells in sheet.iter_rows()]
    except FileProblem:
        raise
    except Exception as exc:
        raise FileProblem(broken) from exc
    finally:
        workbook.close()
    return iter(rows)


def _xlsx_value(cell: Any) -> Cell:
    value = cell.value
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and "%" in (getattr(cell, "number_format", "") or "")
    ):
        # A cell formatted as percent holds 0.8 for 80 %.
        return Decimal(str(value)) * 100
    return value


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _table(rows: Iterable[list[Cell]]) -> Table:
    headers: list[str] | None = None
    body: list[tuple[int, list[Cell]]] = []
    for number, cells in enumerate(rows, start=1):
        if all(_blank(cell) for cell in cells):
            continue
        if headers is None:
            headers = [_text(cell) for cell in cells]
            continue
        body.append((number, cells))
        if len(body) > max_rows():
            raise FileProblem(
                _("The file has more than %(max)s rows. Split it into smaller files.")
                % {"max": max_rows()}
            )
    if headers is None:
        raise FileProblem(_("The file is empty."))
    if not body:
        raise FileProblem(_("The file has column headings but no rows below them."))
    return Table(headers=headers, rows=body)


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip()


# --- Columns -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    field: str
    heading: str  # the Norwegian heading shown in messages and docs/import.md
    aliases: tuple[str, ...]  # in priority order, compared after _normalise_heading
    required: bool = False


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


# Aliases in priority order: a file with both «enhetskode» and «enhet» (often the unit's name)
# takes the code from «enhetskode» and ignores «enhet».
EMPLOYEE_COLUMNS = (
    Column(
        "number",
        "ansattnummer",
        required=True,
        aliases=_words(
            "ansattnummer|ansattnr|ansatt nr|ansatt nummer|ansattid|ansatt id|employee number|"
            "employee no|employee id|employee nr|emp no|ressursnummer|ressursnr|lønnsnummer"
        ),
    ),
    Column(
        "first_name",
        "fornavn",
        required=True,
        aliases=_words("fornavn|first name|firstname|given name"),
    ),
    Column(
        "last_name",
        "etternavn",
        required=True,
        aliases=_words("etternavn|last name|lastname|surname|family name"),
    ),
    Column(
        "email",
        "e-post",
        aliases=_words(
            "e-post|epost|e-postadresse|epostadresse|email|e-mail|email address|e-mail address|mail"
        ),
    ),
    Column(
        "unit_code",
        "enhetskode",
        required=True,
        aliases=_words(
            "enhetskode|enhetsnummer|enhetsnr|enhet kode|enhet nr|avdelingskode|unit code|"
            "unit number|unit no|department code|enhet|unit"
        ),
    ),
    Column(
        "title",
        "stilling",
        aliases=_words(
            "stillingstittel|stillingsnavn|stilling|tittel|job title|title|position title"
        ),
    ),
    Column(
        "percent",
        "stillingsprosent",
        required=True,
        aliases=_words(
            "stillingsprosent|stillingsprosent %|stilling %|stillings %|prosent|position percentage|"
            "position percent|percentage|percent|fte %"
        ),
    ),
    Column(
        "employment_type",
        "ansettelsestype",
        aliases=_words(
            "ansettelsestype|ansettelsesform|tilsettingsform|tilsettingstype|employment type|"
            "type of employment|contract type"
        ),
    ),
    Column(
        "start_date",
        "startdato",
        required=True,
        aliases=_words(
            "startdato|fra dato|fradato|start dato|gyldig fra|ansatt fra|tiltredelse|start date|"
            "from date|valid from|start"
        ),
    ),
    Column(
        "end_date",
        "sluttdato",
        aliases=_words(
            "sluttdato|til dato|tildato|slutt dato|gyldig til|fratredelse|end date|to date|valid to|end"
        ),
    ),
    Column(
        "is_leader",
        "personalansvar",
        aliases=_words(
            "personalansvar|leder|er leder|personnel responsibility|leader|manager|is manager"
        ),
    ),
)

UNIT_COLUMNS = (
    Column(
        "code",
        "enhetskode",
        required=True,
        aliases=_words(
            "enhetskode|enhetsnummer|enhetsnr|enhet kode|kode|unit code|unit number|code"
        ),
    ),
    Column(
        "name", "navn", required=True, aliases=_words("navn|enhetsnavn|enhet navn|name|unit name")
    ),
    Column(
        "parent_code",
        "overordnet enhetskode",
        aliases=_words(
            "overordnet enhetskode|overordnet kode|overordnet enhet|overordnet|parent code|"
            "parent unit code|parent unit|parent"
        ),
    ),
    Column("kind", "nivå", aliases=_words("nivå|niva|enhetstype|type|level|kind|unit type")),
)
COLUMNS = {Kind.UNITS: UNIT_COLUMNS, Kind.EMPLOYEES: EMPLOYEE_COLUMNS}


def _normalise_heading(text: str) -> str:
    text = text.replace("\ufeff", "").casefold()
    return re.sub(r"[\s_.:\-]+", " ", text).strip()


@dataclass
class ColumnMap:
    index: dict[str, int]
    headings: dict[str, str]  # field → the heading as written in the file
    missing: list[Column]
    ignored: list[str]

    def has(self, name: str) -> bool:
        return name in self.index


def map_columns(headers: list[str], columns: tuple[Column, ...]) -> ColumnMap:
    normalised = [_normalise_heading(header) for header in headers]
    index: dict[str, int] = {}
    taken: set[int] = set()
    for column in columns:
        for alias in column.aliases:
            wanted = _normalise_heading(alias)
            found = next(
                (i for i, h in enumerate(normalised) if h == wanted and i not in taken), None
            )
            if found is not None:
                index[column.field] = found
                taken.add(found)
                break
    missing = [column for column in columns if column.required and column.field not in index]
    ignored = [header for i, header in enumerate(headers) if i not in taken and header]
    return ColumnMap(
        index=index,
        headings={name: headers[i] for name, i in index.items()},
        missing=missing,
        ignored=ignored,
    )


def _missing_columns_error(columns: ColumnMap) -> RowError:
    return RowError(
        1,
        _(
            "The file is missing required columns: %(columns)s. Row 1 must hold the column headings; "
            "see the list of columns and the names they may have."
        )
        % {"columns": ", ".join(f"«{column.heading}»" for column in columns.missing)},
    )


# --- Reading values ------------------------------------------------------------------------
class _Invalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def parse_date(cell: Cell, heading: str) -> dt.date | None:
    """dd.mm.yyyy, d.m.yyyy or yyyy-mm-dd, or an Excel date; None when empty."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = _text(cell)
    if not text:
        return None
    text = _TIME.sub("", text)
    match = _DMY.fullmatch(text)
    parts = (match.group(3), match.group(2), match.group(1)) if match else None
    if parts is None and (iso := _ISO.fullmatch(text)):
        parts = (iso.group(1), iso.group(2), iso.group(3))
    try:
        if parts is None:
            raise ValueError(text)
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError as exc:
        raise _Invalid(
            _(
                "«%(heading)s» is «%(value)s», which is not a date. Write dates as dd.mm.yyyy, for example 31.01.2025."
            )
            % {"heading": heading, "value": _text(cell)}
        ) from exc


_HUNDREDTH = Decimal("0.01")


def parse_percent(cell: Cell, heading: str) -> Decimal:
    """80, 80,5, 80.5 or 80 %; must be more than 0 and at most 100."""
    text = _text(cell)
    if isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
        text = str(cell)
    cleaned = text.replace("\xa0", "").replace(" ", "").removesuffix("%").replace(",", ".")
    if not cleaned:
        raise _Invalid(_("«%(heading)s» is empty.") % {"heading": heading})
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise _Invalid(
            _(
                "«%(heading)s» is «%(value)s», which is not a number. Write the percentage as for example 80 or 80,5."
            )
            % {"heading": heading, "value": text}
        )
    value = value.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)
    if not Decimal("0") < value <= Decimal("100"):
        raise _Invalid(
            _(
                "«%(heading)s» is %(value)s %%. The position percentage must be more than 0 and at most 100."
            )
            % {"heading": heading, "value": text.removesuffix("%").strip()}
        )
    return value


_YES = {"ja", "j", "yes", "y", "1", "x", "true", "sann"}
_NO = {"nei", "n", "no", "0", "false", "usann", "", "-"}


def parse_yes_no(cell: Cell, heading: str) -> bool:
    if isinstance(cell, bool):
        return cell
    text = _text(cell).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise _Invalid(
        _("«%(heading)s» is «%(value)s». Write ja or nei (or 1 and 0, or x for yes).")
        % {"heading": heading, "value": _text(cell)}
    )


_EMPLOYMENT_TYPES = {
    Employment.Type.PERMANENT: _words("fast|fast ansatt|fast stilling|f|permanent|perm"),
    Employment.Type.TEMPORARY: _words(
        "midlertidig|midlertidig ansatt|vikar|engasjement|m|temporary|temp|fixed term|fixed-term"
    ),
    Employment.Type.ON_CALL: _words(
        "tilkalling|tilkallingsvakt|tilkallingshjelp|ekstrahjelp|t|on call|on-call|oncall|casual"
    ),
}


def _parse_choice(cell: Cell, heading: str, choices: dict, hint: str) -> str | None:
    """The choice whose words include the cell's text (any case); `hint` says what to write."""
    text = _text(cell).casefold()
    if not text:
        return None
    for value, words in choices.items():
        if text in words:
            return str(value)
    raise _Invalid(
        _("«%(heading)s» is «%(value)s». %(hint)s")
        % {"heading": heading, "value": _text(cell), "hint": hint}
    )


def parse_employment_type(cell: Cell, heading: str) -> str | None:
    return _parse_choice(
        cell, heading, _EMPLOYMENT_TYPES, _("Use fast, midlertidig or tilkalling.")
    )


_UNIT_KINDS = {
    Unit.Kind.TOP: _words(
        "kommune|fylkeskommune|toppnivå|toppniva|topp|virksomhet|konsern|top|top level|"
        "organisation|organization|municipality|company"
    ),
    Unit.Kind.AREA: _words(
        "kommunalområde|kommunalomrade|område|omrade|sektor|tjenesteområde|tenesteområde|area|"
        "service area|sector|division"
    ),
    Unit.Kind.UNIT: _words("enhet|eining|tjeneste|unit"),
    Unit.Kind.DEPARTMENT: _words("avdeling|seksjon|team|department|section"),
}


def parse_unit_kind(cell: Cell, heading: str) -> str | None:
    return _parse_choice(
        cell, heading, _UNIT_KINDS, _("Use kommune, kommunalområde, enhet or avdeling.")
    )


def _required_text(cell: Cell, heading: str, max_length: int) -> str:
    text = _text(cell)
    if not text:
        raise _Invalid(_("«%(heading)s» is empty.") % {"heading": heading})
    return _limited(text, heading, max_length)


def _limited(text: str, heading: str, max_length: int) -> str:
    if len(text) > max_length:
        raise _Invalid(
            _("«%(heading)s» is too long: at most %(max)s characters are allowed.")
            % {"heading": heading, "max": max_length}
        )
    return text


def _fmt_date(day: dt.date | None) -> str:
    return dates.format_date(day) or "–"


def _fmt_percent(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",") + " %"


class _RowReader:
    """Reads one row's cells by field, collecting an error for each bad value."""

    def __init__(self, columns: ColumnMap, cells: list[Cell]) -> None:
        self.columns = columns
        self.cells = cells
        self.errors: list[str] = []

    def cell(self, name: str) -> Cell:
        i = self.columns.index.get(name)
        return self.cells[i] if i is not None and i < len(self.cells) else None

    def heading(self, name: str) -> str:
        return self.columns.headings.get(name, name)

    def read(self, name: str, parse: Callable[[Cell, str], T]) -> T | None:
        try:
            return parse(self.cell(name), self.heading(name))
        except _Invalid as exc:
            self.errors.append(exc.message)
            return None


# --- Employees -----------------------------------------------------------------------------
@dataclass
class EmployeeRow:
    row: int
    number: str
    first_name: str
    last_name: str
    email: str
    unit_code: str
    title: str
    percent: Decimal
    employment_type: str | None
    start_date: dt.date
    end_date: dt.date | None
    is_leader: bool | None


def _read_employee(
    columns: ColumnMap, number: int, cells: list[Cell], known_units: Container[str]
) -> tuple[EmployeeRow | None, list[str]]:
    r = _RowReader(columns, cells)

    def unit_code_of(cell: Cell, heading: str) -> str:
        code = _required_text(cell, heading, 50)
        if code not in known_units:
            raise _Invalid(_unknown_unit(code))
        return code

    employee_number = r.read("number", lambda c, h: _required_text(c, h, 30))
    first_name = r.read("first_name", lambda c, h: _required_text(c, h, 100))
    last_name = r.read("last_name", lambda c, h: _required_text(c, h, 100))
    email = r.read("email", _parse_email) or ""
    unit_code = r.read("unit_code", unit_code_of)
    title = r.read("title", lambda c, h: _limited(_text(c), h, 150)) or ""
    percent = r.read("percent", parse_percent)
    employment_type = r.read("employment_type", parse_employment_type)
    start_date = r.read("start_date", _required_date)
    end_date = r.read("end_date", parse_date)
    is_leader = r.read("is_leader", parse_yes_no) if columns.has("is_leader") else None
    if start_date and end_date and end_date < start_date:
        r.errors.append(
            _("The end date %(end)s is before the start date %(start)s.")
            % {"end": _fmt_date(end_date), "start": _fmt_date(start_date)}
        )
    if r.errors:
        return None, r.errors
    assert employee_number and first_name and last_name and unit_code and percent and start_date
    return EmployeeRow(
        row=number,
        number=employee_number,
        first_name=first_name,
        last_name=last_name,
        email=email,
        unit_code=unit_code,
        title=title,
        percent=percent,
        employment_type=employment_type,
        start_date=start_date,
        end_date=end_date,
        is_leader=is_leader,
    ), []


def _unknown_unit(code: str) -> str:
    return _(
        "Unit code %(code)s does not exist in Trygg. Import the units file first, or correct the code."
    ) % {"code": code}


def _required_date(cell: Cell, heading: str) -> dt.date:
    day = parse_date(cell, heading)
    if day is None:
        raise _Invalid(_("«%(heading)s» is empty.") % {"heading": heading})
    return day


def _parse_email(cell: Cell, heading: str) -> str:
    text = _limited(_text(cell), heading, 254)
    if text:
        try:
            validate_email(text)
        except ValidationError as exc:
            raise _Invalid(
                _("«%(heading)s» is «%(value)s», which is not an email address.")
                % {"heading": heading, "value": text}
            ) from exc
    return text


@dataclass
class _PersonAction:
    row: int
    data: EmployeeRow
    person: Person | None
    person_changes: dict[str, Any]
    unit: Unit
    employment: Employment | None
    employment_changes: dict[str, Any]
    new_employment: dict[str, Any] | None
    endings: list[tuple[Employment, dt.date]]

    @property
    def changed(self) -> bool:
        return bool(
            self.person is None
            or self.person_changes
            or self.employment_changes
            or self.new_employment
            or self.endings
        )


@dataclass
class _LeaverAction:
    person: Person
    endings: list[tuple[Employment, dt.date]]


def _is_open(employment: Employment, today: dt.date) -> bool:
    return employment.end_date is None or employment.end_date >= today


DAY = dt.timedelta(days=1)


class _EmployeePlan:
    def __init__(self, organisation: Organisation, today: dt.date) -> None:
        self.organisation = organisation
        self.today = today
        self.actions: list[_PersonAction] = []
        self.leavers: list[_LeaverAction] = []
        units = list(Unit.objects.filter(organisation=organisation))
        self.units_by_id = {unit.pk: unit for unit in units}
        self.units_by_code = {unit.code: unit for unit in units if unit.code}
        people = list(Person.objects.filter(organisation=organisation))
        people_by_id = {person.pk: person for person in people}
        self.people = {
            person.employee_number: person for person in people if person.employee_number
        }
        self.employments: dict[int, list[Employment]] = defaultdict(list)
        for employment in Employment.objects.filter(organisation=organisation).order_by(
            "start_date", "pk"
        ):
            # Set the relations the services read, so that no row costs a query of its own.
            employment.person = people_by_id[employment.person_id]
            employment.unit = self.units_by_id[employment.unit_id]
            self.employments[employment.person_id].append(employment)

    def plan_row(self, data: EmployeeRow, columns: ColumnMap) -> list[str]:
        unit = self.units_by_code.get(data.unit_code)
        if unit is None:
            return [_unknown_unit(data.unit_code)]
        person = self.people.get(data.number)
        person_changes: dict[str, Any] = {}
        if person is not None:
            wanted = {"first_name": data.first_name, "last_name": data.last_name}
            if columns.has("email"):
                wanted["email"] = data.email
            person_changes = {
                name: value for name, value in wanted.items() if getattr(person, name) != value
            }
        employments = self.employments.get(person.pk, []) if person else []
        match = self._match(employments, unit, data.start_date)
        others = [e for e in employments if e is not match]
        open_others = [e for e in others if _is_open(e, self.today)]
        endings: list[tuple[Employment, dt.date]] = []
        new_employment: dict[str, Any] | None = None
        employment_changes: dict[str, Any] = {}
        end_date = data.end_date if columns.has("end_date") else None
        if match is None:
            start = max(
                [data.start_date]
                + [
                    e.end_date + DAY
                    for e in others
                    if not _is_open(e, self.today)
                    and e.end_date is not None
                    and e.end_date >= data.start_date
                ]
            )
            if open_others:
                # A move: the old position ends the day before the new one starts. When the file's
                # start date is not after the old position's, the new one starts today.
                latest = max(e.start_date for e in open_others)
                if start <= latest:
                    start = max(self.today, latest + DAY)
                endings = [
                    (e, start - DAY)
                    for e in open_others
                    if e.end_date is None or e.end_date >= start
                ]
            if end_date is not None and end_date < start:
                return [
                    _(
                        "%(name)s has a position in Trygg until %(until)s, so the new position would start "
                        "on %(start)s, after its end date %(end)s."
                    )
                    % {
                        "name": f"{data.first_name} {data.last_name}",
                        "until": _fmt_date(start - DAY),
                        "start": _fmt_date(start),
                        "end": _fmt_date(end_date),
                    }
                ]
            new_employment = {
                "unit": unit,
                "title": data.title,
                "position_percent": data.percent,
                "employment_type": data.employment_type or Employment.Type.PERMANENT,
                "start_date": start,
                "end_date": end_date,
                "is_leader": bool(data.is_leader),
            }
            period = (start, end_date, data.percent)
        else:
            # Keep a start date that an earlier move set: the file still holds the older date.
            start = max(
                [data.start_date]
                + [
                    e.end_date + DAY
                    for e in others
                    if e.end_date is not None and data.start_date <= e.end_date < match.start_date
                ]
            )
            wanted_employment: dict[str, Any] = {
                "position_percent": data.percent,
                "start_date": start,
            }
            if columns.has("title"):
                wanted_employment["title"] = data.title
            if columns.has("employment_type"):
                wanted_employment["employment_type"] = (
                    data.employment_type or Employment.Type.PERMANENT
                )
            if columns.has("end_date"):
                wanted_employment["end_date"] = end_date
            if data.is_leader is not None:
                wanted_employment["is_leader"] = data.is_leader
            employment_changes = {
                name: value
                for name, value in wanted_employment.items()
                if getattr(match, name) != value
            }
            yesterday = self.today - DAY
            endings = [(e, max(yesterday, e.start_date)) for e in open_others]
            merged = {
                **{n: getattr(match, n) for n in ("start_date", "end_date")},
                **employment_changes,
            }
            period = (merged["start_date"], merged["end_date"], data.percent)
            if merged["end_date"] is not None and merged["end_date"] < merged["start_date"]:
                return [
                    _("The end date %(end)s is before the start date %(start)s.")
                    % {
                        "end": _fmt_date(merged["end_date"]),
                        "start": _fmt_date(merged["start_date"]),
                    }
                ]
        if new_employment is not None or employment_changes:
            problem = self._over_full_time(data, others, endings, period)
            if problem:
                return [problem]
        self.actions.append(
            _PersonAction(
                row=data.row,
                data=data,
                person=person,
                person_changes=person_changes,
                unit=unit,
                employment=match,
                employment_changes=employment_changes,
                new_employment=new_employment,
                endings=endings,
            )
        )
        return []

    def _match(
        self, employments: list[Employment], unit: Unit, start: dt.date
    ) -> Employment | None:
        """The position in the file's unit that the row describes: an open one (with the same start
        date if there are several), else an ended one with the same start date as long as the
        person has no open position elsewhere (then the row is a move, not a reopening)."""
        same_unit = [e for e in employments if e.unit_id == unit.pk]
        open_same = [e for e in same_unit if _is_open(e, self.today)]
        if open_same:
            return next((e for e in open_same if e.start_date == start), open_same[-1])
        if any(_is_open(e, self.today) for e in employments):
            return None
        return next((e for e in same_unit if e.start_date == start), None)

    @staticmethod
    def _over_full_time(
        data: EmployeeRow,
        others: list[Employment],
        endings: list[tuple[Employment, dt.date]],
        period: tuple[dt.date, dt.date | None, Decimal],
    ) -> str | None:
        """The services' 100 % ceiling, checked against the state after this row's changes."""
        start, end, percent = period
        planned_end = {e.pk: day for e, day in endings}
        total = percent
        for other in others:
            other_end = planned_end.get(other.pk, other.end_date)
            if (other_end is None or other_end >= start) and (
                end is None or other.start_date <= end
            ):
                total += other.position_percent
        if total <= 100:
            return None
        return _(
            "%(name)s has other positions in Trygg in the same period; together with this one they "
            "would be %(total)s, more than 100 %%."
        ) % {"name": f"{data.first_name} {data.last_name}", "total": _fmt_percent(total)}

    def plan_leavers(self, numbers_in_file: set[str]) -> None:
        yesterday = self.today - DAY
        for number, person in sorted(
            self.people.items(), key=lambda item: (item[1].last_name, item[1].first_name)
        ):
            if number in numbers_in_file or person.is_external:
                continue
            endings = [
                (e, max(yesterday, e.start_date))
                for e in self.employments.get(person.pk, [])
                if _is_open(e, self.today)
            ]
            if endings:
                self.leavers.append(_LeaverAction(person=person, endings=endings))

    def changes(self) -> list[Change]:
        found: list[Change] = []
        for action in self.actions:
            data = action.data
            status = (
                Status.NEW
                if action.person is None
                else (Status.CHANGED if action.changed else Status.UNCHANGED)
            )
            found.append(
                Change(
                    row=action.row,
                    status=status,
                    key=data.number,
                    name=f"{data.first_name} {data.last_name}",
                    place=action.unit.name,
                    details=self._details(action),
                )
            )
        for leaver in self.leavers:
            found.append(
                Change(
                    row=None,
                    status=Status.ENDED,
                    key=leaver.person.employee_number,
                    name=leaver.person.full_name,
                    place=", ".join(e.unit.name for e, _day in leaver.endings),
                    details=[
                        _("Position in %(unit)s ends %(date)s.")
                        % {"unit": e.unit.name, "date": _fmt_date(day)}
                        for e, day in leaver.endings
                    ],
                )
            )
        return found

    def _details(self, action: _PersonAction) -> list[str]:
        details: list[str] = []
        if action.person is not None:
            for name, value in action.person_changes.items():
                details.append(_describe(Person, name, getattr(action.person, name), value))
        for employment, day in action.endings:
            details.append(
                _("Position in %(unit)s ends %(date)s.")
                % {"unit": employment.unit.name, "date": _fmt_date(day)}
            )
        if action.new_employment is not None:
            new = action.new_employment
            details.append(
                _("New position in %(unit)s, %(percent)s, from %(start)s.")
                % {
                    "unit": action.unit.name,
                    "percent": _fmt_percent(new["position_percent"]),
                    "start": _fmt_date(new["start_date"]),
                }
            )
        if action.employment is not None:
            for name, value in action.employment_changes.items():
                details.append(_describe(Employment, name, getattr(action.employment, name), value))
        return details

    def apply(self, actor: AnyUser | None, progress: Progress) -> None:
        work: list[_PersonAction | _LeaverAction] = [a for a in self.actions if a.changed]
        work += self.leavers
        for item in progress(work, len(work), _("Writing")):
            try:
                if isinstance(item, _LeaverAction):
                    for employment, day in item.endings:
                        services.end_employment(actor=actor, employment=employment, end_date=day)
                else:
                    self._apply_row(actor, item)
            except ValidationError as exc:
                row = item.row if isinstance(item, _PersonAction) else None
                raise _ApplyFailed(row, exc) from exc

    def _apply_row(self, actor: AnyUser | None, action: _PersonAction) -> None:
        data = action.data
        person = action.person
        if person is None:
            person = services.create_person(
                actor=actor,
                organisation=self.organisation,
                first_name=data.first_name,
                last_name=data.last_name,
                employee_number=data.number,
                email=data.email,
            )
        elif action.person_changes:
            services.update_person(actor=actor, person=person, **action.person_changes)
        for employment, day in action.endings:
            services.end_employment(actor=actor, employment=employment, end_date=day)
        if action.new_employment is not None:
            services.add_employment(actor=actor, person=person, **action.new_employment)
        elif action.employment is not None and action.employment_changes:
            services.update_employment(
                actor=actor, employment=action.employment, **action.employment_changes
            )


def _describe(model: type[models.Model], name: str, before: Any, after: Any) -> str:
    field = model._meta.get_field(name)
    label = str(field.verbose_name)
    choices = dict(field.flatchoices) if field.choices else {}  # type: ignore[union-attr]
    return _("%(field)s: %(before)s → %(after)s") % {
        "field": label[:1].upper() + label[1:],
        "before": _display(choices.get(before, before)),
        "after": _display(choices.get(after, after)),
    }


def _display(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return _fmt_percent(value)
    if isinstance(value, dt.date):
        return _fmt_date(value)
    return str(value)


class _ApplyFailed(Exception):
    def __init__(self, row: int | None, error: ValidationError) -> None:
        super().__init__(str(error))
        self.row = row
        self.error = error


# --- Units ---------------------------------------------------------------------------------
@dataclass
class UnitRow:
    row: int
    code: str
    name: str
    parent_code: str | None  # None: the file has no parent column
    kind: str | None


def _read_unit(
    columns: ColumnMap, number: int, cells: list[Cell]
) -> tuple[UnitRow | None, list[str]]:
    r = _RowReader(columns, cells)
    code = r.read("code", lambda c, h: _required_text(c, h, 50))
    name = r.read("name", lambda c, h: _required_text(c, h, 200))
    parent_code = (
        r.read("parent_code", lambda c, h: _text(c)) if columns.has("parent_code") else None
    )
    kind = r.read("kind", parse_unit_kind)
    if r.errors:
        return None, r.errors
    assert code and name
    return UnitRow(row=number, code=code, name=name, parent_code=parent_code, kind=kind), []


@dataclass
class _UnitAction:
    data: UnitRow
    unit: Unit | None  # None: a new unit
    parent_key: str | None
    kind: str
    changes: dict[str, Any]


def _unit_key(unit: Unit) -> str:
    return unit.code or f"#{unit.pk}"


class _UnitPlan:
    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        units = list(Unit.objects.filter(organisation=organisation))
        self.by_pk = {unit.pk: unit for unit in units}
        self.by_key = {_unit_key(unit): unit for unit in units}
        self.rows: dict[str, UnitRow] = {}
        self.codes_in_file: set[str] = set()  # also those of rows with errors
        self.actions: dict[str, _UnitAction] = {}

    def add_row(self, data: UnitRow) -> None:
        self.rows[data.code] = data

    def _db_parent_key(self, unit: Unit) -> str | None:
        parent = self.by_pk.get(unit.parent_id) if unit.parent_id else None
        return _unit_key(parent) if parent else None

    def plan(self) -> dict[int, list[str]]:
        errors: dict[int, list[str]] = defaultdict(list)
        final_parent = {_unit_key(unit): self._db_parent_key(unit) for unit in self.by_pk.values()}
        for code, data in self.rows.items():
            unit = self.by_key.get(code)
            parent_key: str | None
            if data.parent_code is None:
                parent_key = self._db_parent_key(unit) if unit else None
            elif data.parent_code == "":
                # The file cannot name a parent without a code, so such a parent is kept.
                current = self._db_parent_key(unit) if unit else None
                parent_key = current if current and current.startswith("#") else None
            elif data.parent_code == code:
                errors[data.row].append(
                    _("Unit %(code)s cannot be its own parent unit.") % {"code": code}
                )
                continue
            elif data.parent_code in self.codes_in_file or data.parent_code in self.by_key:
                parent_key = data.parent_code
            else:
                errors[data.row].append(
                    _("The parent unit %(parent)s is neither in the file nor in Trygg.")
                    % {"parent": data.parent_code}
                )
                continue
            final_parent[code] = parent_key
            kind = data.kind or (
                unit.kind if unit else (Unit.Kind.TOP if parent_key is None else Unit.Kind.UNIT)
            )
            changes: dict[str, Any] = {}
            if unit is not None:
                if unit.name != data.name:
                    changes["name"] = data.name
                if unit.kind != kind:
                    changes["kind"] = kind
                if self._db_parent_key(unit) != parent_key:
                    changes["parent"] = parent_key
            self.actions[code] = _UnitAction(
                data=data, unit=unit, parent_key=parent_key, kind=kind, changes=changes
            )
        for code, action in self.actions.items():
            cycle = _cycle_from(code, final_parent)
            if cycle:
                errors[action.data.row].append(
                    _(
                        "Unit %(code)s would end up under itself: %(chain)s. Check the parent unit codes."
                    )
                    % {"code": code, "chain": " → ".join(self._label(key) for key in cycle)}
                )
        return errors

    def _label(self, key: str) -> str:
        if key.startswith("#"):
            return self.by_key[key].name
        return key

    def changes(self) -> list[Change]:
        found = []
        for action in sorted(self.actions.values(), key=lambda a: a.data.row):
            data = action.data
            if action.unit is None:
                status = Status.NEW
            else:
                status = Status.CHANGED if action.changes else Status.UNCHANGED
            details = []
            if action.unit is not None:
                for name, value in action.changes.items():
                    if name == "parent":
                        before = self._db_parent_key(action.unit)
                        details.append(
                            _("Parent unit: %(before)s → %(after)s")
                            % {
                                "before": self._parent_name(before),
                                "after": self._parent_name(value),
                            }
                        )
                    else:
                        details.append(_describe(Unit, name, getattr(action.unit, name), value))
            found.append(
                Change(
                    row=data.row,
                    status=status,
                    key=data.code,
                    name=data.name,
                    place=self._parent_name(action.parent_key),
                    details=details,
                )
            )
        return found

    def _parent_name(self, key: str | None) -> str:
        if key is None:
            return "–"
        if key in self.rows:
            return self.rows[key].name
        return self.by_key[key].name

    def apply(self, actor: AnyUser | None, progress: Progress) -> None:
        order: list[str] = []
        seen: set[str] = set()

        def visit(code: str) -> None:
            if code in seen:
                return
            seen.add(code)
            parent = self.actions[code].parent_key
            if parent in self.actions:
                visit(parent)
            order.append(code)

        for code in self.actions:
            visit(code)
        work = [
            code for code in order if self.actions[code].unit is None or self.actions[code].changes
        ]
        stored: dict[str, Unit] = dict(self.by_key)
        moved = False
        for code in progress(work, len(work), _("Writing")):
            action = self.actions[code]
            parent = stored[action.parent_key] if action.parent_key else None
            if parent is not None and moved:
                # An earlier move rewrote paths; the services read the parent's path.
                parent = Unit.objects.get(pk=parent.pk)
            try:
                if action.unit is None:
                    stored[code] = services.create_unit(
                        actor=actor,
                        organisation=self.organisation,
                        name=action.data.name,
                        parent=parent,
                        kind=action.kind,
                        code=code,
                    )
                else:
                    stored[code] = services.update_unit(
                        actor=actor,
                        unit=action.unit,
                        name=action.data.name,
                        kind=action.kind,
                        code=code,
                        parent=parent,
                        is_active=action.unit.is_active,
                    )
                    moved = moved or "parent" in action.changes
            except ValidationError as exc:
                raise _ApplyFailed(action.data.row, exc) from exc


def _cycle_from(start: str, parents: dict[str, str | None]) -> list[str]:
    """The chain start → … → start when `start` ends up among its own ancestors, else []."""
    chain = [start]
    seen = {start}
    current = parents.get(start)
    while current is not None:
        chain.append(current)
        if current == start:
            return chain
        if current in seen:
            return []  # a cycle further up, reported on its own rows
        seen.add(current)
        current = parents.get(current)
    return []


# --- Running an import ---------------------------------------------------------------------
@dataclass
class _Plan:
    outcome: Outcome
    employees: _EmployeePlan | None = None
    units: _UnitPlan | None = None

    def apply(self, actor: AnyUser | None, progress: Progress) -> None:
        if self.employees is not None:
            self.employees.apply(actor, progress)
        if self.units is not None:
            self.units.apply(actor, progress)


def _plan(
    *,
    organisation: Organisation,
    kind: str,
    data: bytes,
    filename: str,
    today: dt.date,
    progress: Progress,
) -> _Plan:
    outcome = Outcome(kind=kind, filename=filename)
    plan = _Plan(outcome=outcome)
    try:
        table = read_table(data, filename)
    except FileProblem as exc:
        outcome.errors.append(RowError(None, exc.message))
        return plan
    outcome.rows = len(table.rows)
    columns = map_columns(table.headers, COLUMNS[Kind(kind)])
    outcome.ignored_columns = columns.ignored
    if columns.missing:
        outcome.errors.append(_missing_columns_error(columns))
        return plan
    rows = progress(table.rows, len(table.rows), _("Checking"))
    if kind == Kind.EMPLOYEES:
        plan.employees = _plan_employees(organisation, columns, rows, today, outcome)
    else:
        plan.units = _plan_units(organisation, columns, rows, outcome)
    outcome.errors.sort(key=lambda error: error.row or 0)
    return plan


def _plan_employees(
    organisation: Organisation,
    columns: ColumnMap,
    rows: Iterable[tuple[int, list[Cell]]],
    today: dt.date,
    outcome: Outcome,
) -> _EmployeePlan:
    plan = _EmployeePlan(organisation, today)
    first_row: dict[str, int] = {}
    for number, cells in rows:
        data, problems = _read_employee(columns, number, cells, plan.units_by_code)
        key = _text(_RowReader(columns, cells).cell("number"))
        if key in first_row:
            problems.append(
                _(
                    "Employee number %(number)s is in the file more than once (first on row %(first)s). "
                    "Each person must have one row."
                )
                % {"number": key, "first": first_row[key]}
            )
        elif key:
            first_row[key] = number
        if data is not None and not problems:
            problems = plan.plan_row(data, columns)
        outcome.errors.extend(RowError(number, problem) for problem in problems)
    if not outcome.errors:
        plan.plan_leavers(set(first_row))
        outcome.changes = plan.changes()
    return plan


def _plan_units(
    organisation: Organisation,
    columns: ColumnMap,
    rows: Iterable[tuple[int, list[Cell]]],
    outcome: Outcome,
) -> _UnitPlan:
    plan = _UnitPlan(organisation)
    first_row: dict[str, int] = {}
    for number, cells in rows:
        data, problems = _read_unit(columns, number, cells)
        key = _text(_RowReader(columns, cells).cell("code"))
        if key in first_row:
            problems.append(
                _("Unit code %(code)s is in the file more than once (first on row %(first)s).")
                % {"code": key, "first": first_row[key]}
            )
        elif key:
            first_row[key] = number
            plan.codes_in_file.add(key)
        if data is not None and not problems:
            plan.add_row(data)
        outcome.errors.extend(RowError(number, problem) for problem in problems)
    for number, problems in plan.plan().items():
        outcome.errors.extend(RowError(number, problem) for problem in problems)
    if not outcome.errors:
        outcome.changes = plan.changes()
    return plan


def preview_import(
    *,
    organisation: Organisation,
    kind: str,
    data: bytes,
    filename: str = "",
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """Check the file against the database and describe what an import would do. Writes nothing."""
    return _plan(
        organisation=organisation,
        kind=kind,
        data=data,
        filename=filename,
        today=today or dates.today(),
        progress=progress or _no_progress,
    ).outcome


def commit_import(
    *,
    actor: AnyUser | None,
    organisation: Organisation,
    kind: str,
    data: bytes,
    filename: str = "",
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """Check the file again and, if every row is valid, write all of it in one transaction."""
    progress = progress or _no_progress
    outcome = Outcome(kind=kind, filename=filename)
    try:
        with transaction.atomic():
            plan = _plan(
                organisation=organisation,
                kind=kind,
                data=data,
                filename=filename,
                today=today or dates.today(),
                progress=progress,
            )
            outcome = plan.outcome
            if not outcome.ok or not outcome.has_changes:
                return outcome
            plan.apply(actor, progress)
            record_event(
                actor=actor,
                organisation_id=organisation.pk,
                action=AuditEntry.Action.IMPORT,
                object_type=f"org.import.{kind}",
                description=_("Import of %(kind)s from %(file)s: %(summary)s")
                % {
                    "kind": Kind(kind).label.lower(),
                    "file": filename or "–",
                    "summary": outcome.summary(),
                },
                details={
                    "kind": kind,
                    "filename": filename,
                    "sha256": sha256(data),
                    "rows": outcome.rows,
                    "counts": outcome.counts,
                },
            )
            outcome.committed = True
    except _ApplyFailed as exc:
        outcome.committed = False
        outcome.changes = []
        outcome.errors = [RowError(exc.row, message) for message in exc.error.messages]
    return outcome


# --- Uploads kept between the preview and the commit ---------------------------------------
SESSION_KEY = "org_imports"
UPLOAD_MAX_AGE = dt.timedelta(days=1)


@dataclass(frozen=True)
class PendingUpload:
    token: str
    path: str
    sha256: str
    kind: str
    filename: str
    organisation_id: int
    user_id: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "kind": self.kind,
            "filename": self.filename,
            "organisation_id": self.organisation_id,
            "user_id": self.user_id,
        }


def _user_folder(user_id: int) -> str:
    return f"imports/{user_id}/"


def store_upload(
    *,
    session: Any,
    user_id: int,
    organisation_id: int,
    kind: str,
    filename: str,
    data: bytes,
) -> PendingUpload:
    """Keep an uploaded file under a random name in the user's own folder until it is committed."""
    _prune_old_uploads(user_id)
    token = secrets.token_urlsafe(24)
    path = default_storage.save(f"{_user_folder(user_id)}{token}.upload", ContentFile(data))
    upload = PendingUpload(
        token=token,
        path=path,
        sha256=sha256(data),
        kind=kind,
        filename=filename[:200],
        organisation_id=organisation_id,
        user_id=user_id,
    )
    pending = dict(session.get(SESSION_KEY, {}))
    pending[token] = upload.as_dict()
    session[SESSION_KEY] = pending
    return upload


def find_upload(
    *, session: Any, token: str, user_id: int, organisation_id: int
) -> PendingUpload | None:
    """The user's own pending upload; None for anyone else's, an unknown token or a moved file."""
    stored = session.get(SESSION_KEY, {}).get(token)
    if not stored:
        return None
    upload = PendingUpload(token=token, **stored)
    if (
        upload.user_id != user_id
        or upload.organisation_id != organisation_id
        or not upload.path.startswith(_user_folder(user_id))
    ):
        return None
    return upload


def read_upload(upload: PendingUpload) -> bytes | None:
    """The stored bytes, or None when the file is gone or no longer the one that was checked."""
    try:
        with default_storage.open(upload.path, "rb") as stored:
            data = stored.read()
    except (FileNotFoundError, OSError):
        return None
    return data if secrets.compare_digest(sha256(data), upload.sha256) else None


def discard_upload(*, session: Any, upload: PendingUpload) -> None:
    default_storage.delete(upload.path)
    pending = dict(session.get(SESSION_KEY, {}))
    pending.pop(upload.token, None)
    session[SESSION_KEY] = pending


def _prune_old_uploads(user_id: int) -> None:
    folder = _user_folder(user_id)
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    limit = timezone.now() - UPLOAD_MAX_AGE
    for name in files:
        path = folder + name
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue


# --- Example files -------------------------------------------------------------------------
EXAMPLES = {
    Kind.UNITS: (
        "enhetskode;navn;overordnet enhetskode;nivå\r\n"
        "1000;Eksempel kommune;;kommune\r\n"
        "2000;Helse og omsorg;1000;kommunalområde\r\n"
        "2100;Solbakken sykehjem;2000;enhet\r\n"
        "2110;Avdeling A;2100;avdeling\r\n"
    ),
    Kind.EMPLOYEES: (
        "ansattnummer;fornavn;etternavn;e-post;enhetskode;stilling;stillingsprosent;"
        "ansettelsestype;startdato;sluttdato;personalansvar\r\n"
        "10001;Kari;Nordmann;kari.nordmann@eksempel.no;2100;Enhetsleder;100;fast;01.03.2019;;ja\r\n"
        "10002;Ola;Hansen;ola.hansen@eksempel.no;2110;Sykepleier;80,5;fast;15.08.2021;;nei\r\n"
        "10003;Aisha;Khan;;2110;Helsefagarbeider;50;midlertidig;01.01.2025;31.12.2025;nei\r\n"
    ),
}


def example_file(kind: str) -> bytes:
    """A small example in the format Excel writes for Norwegian users (semicolons, BOM)."""
    return EXAMPLES[Kind(kind)].encode("utf-8-sig")
