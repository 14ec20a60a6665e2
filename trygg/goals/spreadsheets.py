"""Action plans as spreadsheets: reading an uploaded .xlsx and writing one.

The columns are the seed plan's: NR, INNSATSOMRÅDE, MÅL, AKTIVITET, NÅR, ANSVAR, RAPPORTERING,
and optionally ANSVARLIG PERSON (email, employee number or full name of a person in the
organisation: the activity becomes their action item) and FRIST (the deadline). Headings are
found in the first rows whatever their case, with or without the Norwegian letters, in bokmål,
nynorsk or English, so a plan typed in Excel with a title above the table reads as it is.
Reading checks every row and reports every problem; nothing is saved unless all rows are good.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from trygg.goals.models import ActionPlan, ActionPlanRow, Goal
from trygg.lib.dates import parse_norwegian_date
from trygg.org.models import Person

MAX_ROWS = 1000
HEADER_SEARCH_ROWS = 15
MAX_BYTES = 5 * 1024 * 1024

# The plan's own columns, in order, with the headings the export writes.
COLUMNS = (
    ("number", "NR"),
    ("focus_area", "INNSATSOMRÅDE"),
    ("goal", "MÅL"),
    ("activity", "AKTIVITET"),
    ("when", "NÅR"),
    ("responsible", "ANSVAR"),
    ("reporting", "RAPPORTERING"),
)
EXTRA_COLUMNS = (
    ("owner", "ANSVARLIG PERSON"),
    ("deadline", "FRIST"),
    ("status", "STATUS"),
)
ALIASES = {
    "number": {"nr", "no", "number", "nummer", "lopenummer"},
    "focus_area": {"innsatsomrade", "innsatsomrader", "focus area", "omrade", "tema"},
    "goal": {"mal", "goal", "maal", "delmal"},
    "activity": {"aktivitet", "aktiviteter", "activity", "tiltak"},
    "when": {"nar", "when", "naar", "tidspunkt", "tid"},
    "responsible": {"ansvar", "responsible", "ansvarleg", "ansvarlig"},
    "reporting": {"rapportering", "reporting", "rapportere"},
    "owner": {
        "ansvarlig person",
        "ansvarleg person",
        "responsible person",
        "person",
        "eier",
        "owner",
    },
    "deadline": {"frist", "deadline", "dato"},
    "status": {"status"},
}
REQUIRED = tuple(name for name, _heading in COLUMNS)


def _normalise(text: Any) -> str:
    """ "Innsats­område." → "innsatsomrade": lower case, no accents or Norwegian letters, no
    punctuation at the ends, single spaces."""
    value = str(text or "").strip().casefold()
    value = value.replace("å", "a").replace("ø", "o").replace("æ", "ae")
    value = unicodedata.normalize("NFKD", value)
    value = "".join(c for c in value if not unicodedata.combining(c) and c != "\xad")
    value = re.sub(r"\s+", " ", value).strip(" .:;*")
    return value


def _column_for(heading: Any) -> str | None:
    text = _normalise(heading)
    for name, aliases in ALIASES.items():
        if text in aliases:
            return name
    return None


@dataclass
class ReadResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_number(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        if float(value).is_integer() and value >= 1:
            return int(value)
        raise ValueError(value)
    text = str(value).strip().rstrip(".")
    if text.isdigit() and int(text) >= 1:
        return int(text)
    raise ValueError(value)


def _parse_deadline(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date typed into a cell without a date format is Excel's serial day number.
        if 20000 <= value <= 80000:
            return from_excel(value).date()
        raise ValueError(value)
    return parse_norwegian_date(str(value))


class PersonIndex:
    """People of the organisation by email, employee number and full name (one query)."""

    def __init__(self, people: QuerySet[Person]) -> None:
        self.by_key: dict[str, list[Person]] = {}
        for person in people:
            keys = {_normalise(person.full_name)}
            if person.email:
                keys.add(person.email.strip().casefold())
            if person.employee_number:
                keys.add(person.employee_number.strip().casefold())
            for key in keys:
                self.by_key.setdefault(key, []).append(person)

    def find(self, text: str) -> list[Person]:
        return self.by_key.get(text.strip().casefold()) or self.by_key.get(_normalise(text), [])


def read_plan(
    data: bytes, *, plan: ActionPlan, people: QuerySet[Person], goals: QuerySet[Goal]
) -> ReadResult:
    """Read and check the rows of an uploaded plan. Every problem is reported with its row."""
    result = ReadResult()
    if len(data) > MAX_BYTES:
        result.errors.append(_("The file is larger than 5 MB."))
        return result
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        result.errors.append(
            _(
                "The file could not be read as an Excel workbook (.xlsx). Save it as .xlsx and try again."
            )
        )
        return result
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header: dict[int, str] | None = None
    header_row = 0
    for index, values in enumerate(rows, start=1):
        found = {i: _column_for(v) for i, v in enumerate(values)}
        found = {i: name for i, name in found.items() if name}
        if "activity" in found.values() and len(found) >= 3:
            header, header_row = found, index
            break
        if index >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        result.errors.append(
            _("No heading row was found. The first rows must hold the columns %(columns)s.")
            % {"columns": ", ".join(h for _n, h in COLUMNS)}
        )
        workbook.close()
        return result
    present = set(header.values())
    missing = [heading for name, heading in COLUMNS if name not in present]
    if missing:
        result.errors.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        workbook.close()
        return result

    person_index = PersonIndex(people)
    goals_by_title = {_normalise(g.title): g for g in goals}
    taken = set(ActionPlanRow.objects.filter(plan=plan).values_list("number", flat=True))
    seen: dict[int, int] = {}
    for index, values in enumerate(rows, start=header_row + 1):
        cells = {name: values[i] if i < len(values) else None for i, name in header.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        if len(result.rows) >= MAX_ROWS:
            result.errors.append(_("The plan has more than %(max)s rows.") % {"max": MAX_ROWS})
            break
        problems: list[str] = []
        try:
            number = _parse_number(cells.get("number"))
        except ValueError:
            number = None
            problems.append(
                _("NR “%(value)s” is not a whole number.") % {"value": _text(cells.get("number"))}
            )
        if number is not None:
            if number in taken:
                problems.append(
                    _("The plan already has a row number %(number)s.") % {"number": number}
                )
            elif number in seen:
                problems.append(
                    _("NR %(number)s is also used in row %(row)s.")
                    % {"number": number, "row": seen[number]}
                )
            else:
                seen[number] = index
        focus_area = _text(cells.get("focus_area"))
        activity = _text(cells.get("activity"))
        if not focus_area:
            problems.append(_("INNSATSOMRÅDE is empty."))
        elif len(focus_area) > 300:
            problems.append(_("INNSATSOMRÅDE is longer than 300 characters."))
        if not activity:
            problems.append(_("AKTIVITET is empty."))
        for name, heading, limit in (
            ("when", "NÅR", 300),
            ("responsible", "ANSVAR", 300),
            ("reporting", "RAPPORTERING", 300),
            ("goal", "MÅL", 2000),
        ):
            if len(_text(cells.get(name))) > limit:
                problems.append(
                    _("%(column)s is longer than %(limit)s characters.")
                    % {"column": heading, "limit": limit}
                )
        owner = None
        owner_text = _text(cells.get("owner"))
        if owner_text:
            matches = person_index.find(owner_text)
            if not matches:
                problems.append(
                    _(
                        "Unknown person “%(name)s”: use an email, an employee number or the full "
                        "name of a person in the organisation."
                    )
                    % {"name": owner_text}
                )
            elif len({p.pk for p in matches}) > 1:
                problems.append(
                    _("“%(name)s” matches more than one person: use the email or employee number.")
                    % {"name": owner_text}
                )
            else:
                owner = matches[0]
        try:
            deadline = _parse_deadline(cells.get("deadline"))
        except ValueError:
            deadline = None
            problems.append(
                _("FRIST “%(value)s” is not a date (dd.mm.yyyy).")
                % {"value": _text(cells.get("deadline"))}
            )
        if problems:
            result.errors.extend(
                _("Row %(row)s: %(problem)s") % {"row": index, "problem": p} for p in problems
            )
            continue
        goal_text = _text(cells.get("goal"))
        goal = goals_by_title.get(_normalise(goal_text)) if goal_text else None
        result.rows.append(
            {
                "number": number,
                "focus_area": focus_area,
                "goal": goal,
                "goal_text": "" if goal else goal_text,
                "activity": activity,
                "when": _text(cells.get("when")),
                "responsible": _text(cells.get("responsible")),
                "reporting": _text(cells.get("reporting")),
                "owner": owner,
                "deadline": deadline,
            }
        )
    workbook.close()
    if not result.rows and not result.errors:
        result.errors.append(_("The spreadsheet has no rows below the headings."))
    return result


def _person_key(person: Person) -> str:
    """How the export names a responsible person so that the import finds exactly them."""
    return person.email or person.employee_number or person.full_name


def write_plan(plan: ActionPlan, rows: list[ActionPlanRow], *, subtitle: str) -> bytes:
    """The plan as an .xlsx workbook: a title, then the seed's columns, then the responsible
    person, deadline and status of each activity. Reads back with read_plan."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Action plan")[:31]
    sheet.append([plan.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([subtitle])
    sheet.append([])
    headings = [h for _n, h in COLUMNS] + [h for _n, h in EXTRA_COLUMNS]
    sheet.append(headings)
    header_row = sheet.max_row
    fill = PatternFill("solid", fgColor="D9EAD3")
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = fill
    for row in rows:
        item = row.action_item
        sheet.append(
            [
                row.number,
                row.focus_area,
                row.goal.title if row.goal else row.goal_text,
                row.activity,
                row.when,
                row.responsible,
                row.reporting,
                _person_key(item.owner) if item and item.owner else "",
                item.deadline if item else None,
                str(item.get_status_display()) if item else "",
            ]
        )
        date_cell = sheet.cell(row=sheet.max_row, column=len(COLUMNS) + 2)
        date_cell.number_format = "DD.MM.YYYY"
    widths = (6, 24, 34, 44, 20, 26, 24, 26, 12, 14)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    for line in sheet.iter_rows(min_row=header_row):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
