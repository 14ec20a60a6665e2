"""Import absence from the HR or payroll system (CSV or Excel), all or nothing.

The file is read with the employee import's readers (`trygg.org.importing`: `;` or `,`, decimal
comma, dd.mm.yyyy, UTF-8 with or without BOM or Windows-1252, .xlsx), every row is checked
against the database and the other rows, and only a clean file is written: in one transaction,
in bulk, followed by one refresh of the aggregates and follow-up cases of every person touched
and one audit event for the import. A spell is identified by employee number and first day, so
importing the same file again changes nothing (docs/import.md describes the columns).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.absence import aggregates
from trygg.absence.models import AbsenceSpell
from trygg.absence.services import check_spell, get_settings
from trygg.accounts.models import Organisation
from trygg.audit.models import AuditEntry
from trygg.audit.services import record_event
from trygg.lib.dates import format_date, today
from trygg.lib.typing import AnyUser
from trygg.org.importing import (
    Cell,
    Column,
    FileProblem,
    RowError,
    _Invalid,
    _RowReader,
    _text,
    _words,
    map_columns,
    parse_date,
    read_table,
    sha256,
)
from trygg.org.models import Employment, Person

Progress = Callable[[Iterable[Any], int, str], Iterable[Any]]
SOURCE = str(AbsenceSpell.Source.IMPORT)
SPELL_FIELDS = (
    "organisation",
    "person",
    "first_day",
    "last_day",
    "kind",
    "grade",
    "source",
    "chain_days",
    "created_at",
    "updated_at",
)
PREVIEW_ROWS = 50
MAX_ERRORS = 500

COLUMNS = (
    Column(
        "number",
        "ansattnummer",
        required=True,
        aliases=_words(
            "ansattnummer|ansattnr|ansatt nr|ansatt nummer|ansattid|employee number|employee no|"
            "employee id|ressursnummer|ressursnr|lønnsnummer"
        ),
    ),
    Column(
        "first_day",
        "fra og med",
        required=True,
        aliases=_words(
            "fra og med|fom|fra|fra dato|første dag|første fraværsdag|start|first day|from"
        ),
    ),
    Column(
        "last_day",
        "til og med",
        required=True,
        aliases=_words("til og med|tom|til|til dato|siste dag|siste fraværsdag|slutt|last day|to"),
    ),
    Column(
        "kind",
        "type",
        required=True,
        aliases=_words("type|fraværstype|fravarstype|fraværsart|kind|absence type"),
    ),
    Column(
        "grade",
        "grad",
        aliases=_words("grad|sykmeldingsgrad|uføregrad|prosent|grade|percent"),
    ),
)

_KINDS = {
    AbsenceSpell.Kind.SELF_CERTIFIED: _words("egenmelding|egenmeldt|em|e|self|self-certified"),
    AbsenceSpell.Kind.DOCTOR_CERTIFIED: _words(
        "sykmelding|sykemelding|sjukmelding|legemeldt|sm|s|l|doctor|doctor-certified|sick note"
    ),
}


def parse_kind(cell: Cell, heading: str) -> str | None:
    text = _text(cell).casefold()
    if not text:
        return None
    for value, words in _KINDS.items():
        if text in words:
            return str(value)
    raise _Invalid(
        _("«%(heading)s» is «%(value)s». Use egenmelding or sykmelding.")
        % {"heading": heading, "value": _text(cell)}
    )


def parse_grade(cell: Cell, heading: str) -> int | None:
    text = _text(cell).replace("%", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        text = str(cell)
    if not text:
        return None
    try:
        value = float(text)
    except ValueError as exc:
        raise _Invalid(
            _(
                "«%(heading)s» is «%(value)s», which is not a number. Write the grade as for example 50."
            )
            % {"heading": heading, "value": _text(cell)}
        ) from exc
    if not value.is_integer() or not 20 <= value <= 100:
        raise _Invalid(
            _("«%(heading)s» is %(value)s %%. The grade must be a whole number from 20 to 100.")
            % {"heading": heading, "value": _text(cell)}
        )
    return int(value)


@dataclass
class SpellRow:
    row: int
    number: str
    person_id: int
    first_day: dt.date
    last_day: dt.date
    kind: str
    grade: int


@dataclass
class Outcome:
    filename: str = ""
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    new: list[SpellRow] = field(default_factory=list)
    changed: list[tuple[SpellRow, int]] = field(default_factory=list)  # (row, spell id)
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    committed: bool = False
    names: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed)

    def summary(self) -> str:
        return _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged.") % {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
        }


def _no_progress(items: Iterable[Any], total: int, description: str) -> Iterable[Any]:
    return items


def plan_import(
    *,
    organisation: Organisation,
    data: bytes,
    filename: str = "",
    progress: Progress = _no_progress,
    day: dt.date | None = None,
) -> Outcome:
    """Read and check the file; nothing is written."""
    outcome = Outcome(filename=filename)
    try:
        table = read_table(data, filename)
    except FileProblem as problem:
        outcome.errors.append(RowError(None, problem.message))
        return outcome
    outcome.rows = len(table.rows)
    columns = map_columns(table.headers, COLUMNS)
    outcome.ignored_columns = columns.ignored
    if columns.missing:
        outcome.errors.append(
            RowError(
                1,
                _("The file is missing required columns: %(columns)s.")
                % {"columns": ", ".join(f"«{c.heading}»" for c in columns.missing)},
            )
        )
        return outcome
    settings = get_settings(organisation)
    people = {
        number: (pk, name_first, name_last)
        for pk, number, name_first, name_last in Person.objects.filter(organisation=organisation)
        .exclude(employee_number="")
        .values_list("pk", "employee_number", "first_name", "last_name")
    }
    rows: list[SpellRow] = []
    for number, cells in progress(table.rows, len(table.rows), _("Checking rows")):
        reader = _RowReader(columns, cells)
        employee = _text(reader.cell("number"))
        first_day = reader.read("first_day", parse_date)
        last_day = reader.read("last_day", parse_date)
        kind = reader.read("kind", parse_kind)
        grade = reader.read("grade", parse_grade)
        if not employee:
            reader.errors.append(
                _("«%(heading)s» is empty.") % {"heading": reader.heading("number")}
            )
        elif employee not in people:
            reader.errors.append(
                _("No employee has the employee number «%(number)s».") % {"number": employee}
            )
        for name in ("first_day", "last_day", "kind"):
            if not _text(reader.cell(name)):
                reader.errors.append(
                    _("«%(heading)s» is empty.") % {"heading": reader.heading(name)}
                )
        if kind == AbsenceSpell.Kind.SELF_CERTIFIED or (
            kind == AbsenceSpell.Kind.DOCTOR_CERTIFIED and grade is None and not reader.errors
        ):
            grade = 100
        if reader.errors:
            outcome.errors.extend(RowError(number, message) for message in reader.errors)
        elif first_day and last_day and kind and grade:
            person_id = people[employee][0]
            rows.append(SpellRow(number, employee, person_id, first_day, last_day, kind, grade))
            outcome.names[person_id] = f"{people[employee][1]} {people[employee][2]}"
        if len(outcome.errors) >= MAX_ERRORS:
            break
    # Rows that read well are checked against Trygg and each other even when others did not,
    # so one upload lists every problem.
    _check_rows(organisation, rows, settings, outcome, day or today(), progress)
    if outcome.errors:
        outcome.new, outcome.changed, outcome.unchanged = [], [], 0
    return outcome


def _check_rows(
    organisation: Organisation,
    rows: list[SpellRow],
    settings: Any,
    outcome: Outcome,
    day: dt.date,
    progress: Progress,
) -> None:
    person_ids = sorted({row.person_id for row in rows})
    employments: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    existing: dict[int, dict[dt.date, tuple[int, dt.date, str, int]]] = defaultdict(dict)
    for i in range(0, len(person_ids), 5000):
        batch = person_ids[i : i + 5000]
        for person_id, start, end in Employment.objects.filter(person_id__in=batch).values_list(
            "person_id", "start_date", "end_date"
        ):
            employments[person_id].append((start, end))
        for pk, person_id, first, last, kind, grade in AbsenceSpell.objects.filter(
            person_id__in=batch
        ).values_list("pk", "person_id", "first_day", "last_day", "kind", "grade"):
            existing[person_id][first] = (pk, last, kind, grade)
    by_person: dict[int, list[SpellRow]] = defaultdict(list)
    for row in rows:
        by_person[row.person_id].append(row)
    for person_id, person_rows in progress(
        list(by_person.items()), len(by_person), _("Checking overlaps")
    ):
        person_rows.sort(key=lambda r: (r.first_day, r.row))
        in_file = {r.first_day for r in person_rows}
        # Spells in Trygg that the file does not mention stay, so they count for overlaps.
        kept = [
            (first, last)
            for first, (_pk, last, _k, _g) in existing[person_id].items()
            if first not in in_file
        ]
        previous: SpellRow | None = None
        for row in person_rows:
            if previous is not None and previous.first_day == row.first_day:
                outcome.errors.append(
                    RowError(
                        row.row,
                        _("Row %(other)s has the same employee and first day.")
                        % {"other": previous.row},
                    )
                )
                continue
            messages = check_spell(
                first_day=row.first_day,
                last_day=row.last_day,
                kind=row.kind,
                grade=row.grade,
                employments=employments.get(person_id, []),
                others=[o for o in kept if o[0] <= row.last_day and o[1] >= row.first_day],
                settings=settings,
                day=day,
            )
            if previous is not None and previous.last_day >= row.first_day:
                messages.append(
                    _(
                        "The absence overlaps row %(other)s (%(first)s–%(last)s) for the same person."
                    )
                    % {
                        "other": previous.row,
                        "first": format_date(previous.first_day),
                        "last": format_date(previous.last_day),
                    }
                )
            outcome.errors.extend(RowError(row.row, message) for message in messages)
            if not messages:
                found = existing[person_id].get(row.first_day)
                if found is None:
                    outcome.new.append(row)
                elif (found[1], found[2], found[3]) == (row.last_day, row.kind, row.grade):
                    outcome.unchanged += 1
                else:
                    outcome.changed.append((row, found[0]))
            if previous is None or row.last_day > previous.last_day:
                previous = row
        if len(outcome.errors) >= MAX_ERRORS:
            break
    outcome.errors.sort(key=lambda e: e.row or 0)


def commit_import(
    *,
    actor: AnyUser | None,
    organisation: Organisation,
    data: bytes,
    filename: str = "",
    progress: Progress = _no_progress,
) -> Outcome:
    """Check the file again and write it if every row is valid; otherwise write nothing."""
    outcome = plan_import(
        organisation=organisation, data=data, filename=filename, progress=progress
    )
    if not outcome.ok or not outcome.has_changes:
        return outcome
    with transaction.atomic():
        now = timezone.now()
        aggregates.insert_rows(
            AbsenceSpell,
            SPELL_FIELDS,
            [
                (
                    organisation.pk,
                    row.person_id,
                    row.first_day,
                    row.last_day,
                    row.kind,
                    row.grade,
                    SOURCE,
                    0,
                    now,
                    now,
                )
                for row in outcome.new
            ],
        )
        updates = []
        for row, pk in outcome.changed:
            updates.append(
                AbsenceSpell(pk=pk, last_day=row.last_day, kind=row.kind, grade=row.grade)
            )
        AbsenceSpell.objects.bulk_update(updates, ["last_day", "kind", "grade"], batch_size=2000)
        touched = {row.person_id for row in outcome.new} | {
            row.person_id for row, _pk in outcome.changed
        }
        ids = sorted(touched)
        step = aggregates.PERSON_BATCH
        for i in progress(
            range(0, len(ids), step), (len(ids) + step - 1) // step, _("Updating statistics")
        ):
            aggregates.refresh_people(organisation.pk, ids[i : i + step])
        record_event(
            actor=actor,
            organisation_id=organisation.pk,
            action=AuditEntry.Action.IMPORT,
            object_type="absence.absencespell",
            description=f"Absence import {filename}: {outcome.summary()}",
            details={
                "filename": filename,
                "sha256": sha256(data),
                "new": len(outcome.new),
                "changed": [pk for _row, pk in outcome.changed],
                "unchanged": outcome.unchanged,
            },
        )
    outcome.committed = True
    return outcome


def example_file() -> bytes:
    lines = [
        "ansattnummer;fra og med;til og med;type;grad",
        "100001;06.01.2025;08.01.2025;egenmelding;",
        "100002;03.02.2025;28.02.2025;sykmelding;100",
        "100002;01.03.2025;31.03.2025;sykmelding;50",
    ]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
