"""The monthly aggregates (AbsenceMonth) and follow-up cases, recomputed per person.

Every write of a spell recomputes its person's rows in the same transaction (`refresh_people`),
and `rebuild` recomputes every person of an organisation; a test proves the two agree. The unit
of work is the person because one spell changes its neighbours: whether absence is short or long
term depends on the whole unbroken run of spells, and cases merge spells up to 16 days apart.
Employments come from the org app and may change there; a change to one refreshes the person too
(apps.py connects that), and `trygg rebuild-absence` repairs anything else.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef

from trygg.absence import rules
from trygg.absence.models import (
    AbsenceMonth,
    AbsenceSpell,
    AdaptationMeasure,
    DialogueMeeting,
    FollowUpCase,
    FollowUpPlan,
)
from trygg.lib.dates import today
from trygg.org.models import Employment

DAY = rules.DAY
PERSON_BATCH = 2000
MONTH_FIELDS = (
    "organisation",
    "person",
    "employment",
    "unit",
    "month",
    "lost",
    "lost_self",
    "lost_long",
)
CASE_FIELDS = (
    "organisation",
    "person",
    "start",
    "end",
    "sick_days",
    "graded_at_end",
    "fully_absent_from",
    "status",
    "closed_on",
)


@dataclass(frozen=True)
class SpellFacts:
    id: int
    person_id: int
    first: dt.date
    last: dt.date
    kind: str
    grade: int
    chain_days: int = 0

    @property
    def effective_grade(self) -> int:
        return 100 if self.kind == SELF else self.grade


SELF = str(AbsenceSpell.Kind.SELF_CERTIFIED)


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple]) -> None:
    """Insert plain tuples without building model instances: an import writes millions of rows,
    and the instances cost more than the database. COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    meta = model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in fields)
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 — quoted model names
        for i in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[i : i + 5000])


@dataclass(frozen=True)
class EmploymentFacts:
    id: int
    person_id: int
    unit_id: int
    percent100: int  # hundredths of a percent: 80.00 % → 8000
    start: dt.date
    end: dt.date | None


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def month_segments(first: dt.date, last: dt.date) -> Iterable[tuple[dt.date, dt.date, dt.date]]:
    """(month, segment first, segment last) for each month the interval touches."""
    month = month_start(first)
    while month <= last:
        following = next_month(month)
        yield month, max(first, month), min(last, following - DAY)
        month = following


def lost_units(
    spell: SpellFacts, employment: EmploymentFacts, first: dt.date, last: dt.date
) -> int:
    """Tapte dagsverk of `spell` in `employment` between `first` and `last` (inclusive), in
    rules.DAY_UNITS: workdays × position share × grade."""
    a = max(first, spell.first, employment.start)
    b = min(last, spell.last, employment.end or last)
    if a > b:
        return 0
    return rules.workdays(a, b) * employment.percent100 * spell.effective_grade


def with_chain_days(spells: Sequence[SpellFacts]) -> list[SpellFacts]:
    runs = rules.chains(rules.Interval(s.first, s.last) for s in spells)
    result = []
    for spell in spells:
        length = next((b - a).days + 1 for a, b in runs if a <= spell.first and spell.last <= b)
        result.append(
            SpellFacts(
                spell.id, spell.person_id, spell.first, spell.last, spell.kind, spell.grade, length
            )
        )
    return result


def month_rows(
    spells: Sequence[SpellFacts], employments: Sequence[EmploymentFacts]
) -> dict[tuple[int, dt.date], list[int]]:
    """{(employment id, month): [lost, lost_self, lost_long]} for one person's spells."""
    rows: dict[tuple[int, dt.date], list[int]] = defaultdict(lambda: [0, 0, 0])
    for spell in spells:
        for employment in employments:
            a = max(spell.first, employment.start)
            b = min(spell.last, employment.end or spell.last)
            if a > b:
                continue
            for month, first, last in month_segments(a, b):
                units = rules.workdays(first, last) * employment.percent100 * spell.effective_grade
                if not units:
                    continue
                row = rows[(employment.id, month)]
                row[0] += units
                if spell.kind == AbsenceSpell.Kind.SELF_CERTIFIED:
                    row[1] += units
                if rules.is_long_term(spell.chain_days):
                    row[2] += units
    return rows


def _employment_facts(person_ids: Sequence[int]) -> dict[int, list[EmploymentFacts]]:
    found: dict[int, list[EmploymentFacts]] = defaultdict(list)
    for pk, person_id, unit_id, percent, start, end in Employment.objects.filter(
        person_id__in=person_ids
    ).values_list("pk", "person_id", "unit_id", "position_percent", "start_date", "end_date"):
        found[person_id].append(
            EmploymentFacts(pk, person_id, unit_id, int(percent * 100), start, end)
        )
    return found


def _spell_facts(person_ids: Sequence[int]) -> dict[int, list[SpellFacts]]:
    found: dict[int, list[SpellFacts]] = defaultdict(list)
    for row in (
        AbsenceSpell.objects.filter(person_id__in=person_ids)
        .order_by("first_day")
        .values_list("pk", "person_id", "first_day", "last_day", "kind", "grade", "chain_days")
    ):
        found[row[1]].append(SpellFacts(*row))
    return found


@transaction.atomic
def refresh_people(organisation_id: int, person_ids: Iterable[int]) -> None:
    """Recompute chain lengths, monthly aggregates and follow-up cases of these people."""
    ids = sorted(set(person_ids))
    for i in range(0, len(ids), PERSON_BATCH):
        _refresh_batch(organisation_id, ids[i : i + PERSON_BATCH])


def _refresh_batch(organisation_id: int, person_ids: list[int]) -> None:
    spells_by_person = _spell_facts(person_ids)
    employments_by_person = _employment_facts(person_ids)
    changed_chains: list[tuple[int, int]] = []
    months: list[tuple] = []
    unit_of = {e.id: e.unit_id for facts in employments_by_person.values() for e in facts}
    for person_id in person_ids:
        spells = spells_by_person.get(person_id, [])
        chained = with_chain_days(spells)
        for old, new in zip(spells, chained, strict=True):
            if old.chain_days != new.chain_days:
                changed_chains.append((new.id, new.chain_days))
        for (employment_id, month), (lost, lost_self, lost_long) in month_rows(
            chained, employments_by_person.get(person_id, [])
        ).items():
            months.append(
                (
                    organisation_id,
                    person_id,
                    employment_id,
                    unit_of[employment_id],
                    month,
                    lost,
                    lost_self,
                    lost_long,
                )
            )
    # One UPDATE per distinct length: bulk_update's CASE per row is slow for an import.
    by_length: dict[int, list[int]] = defaultdict(list)
    for pk, length in changed_chains:
        by_length[length].append(pk)
    for length, ids in by_length.items():
        for i in range(0, len(ids), 5000):
            AbsenceSpell.objects.filter(pk__in=ids[i : i + 5000]).update(chain_days=length)
    AbsenceMonth.objects.filter(person_id__in=person_ids).delete()
    insert_rows(AbsenceMonth, MONTH_FIELDS, months)
    _sync_cases(organisation_id, person_ids, spells_by_person)


def _sync_cases(
    organisation_id: int, person_ids: list[int], spells_by_person: dict[int, list[SpellFacts]]
) -> None:
    day = today()
    existing: dict[int, list[FollowUpCase]] = defaultdict(list)
    has_content = (
        Exists(FollowUpPlan.objects.filter(case_id=OuterRef("pk")))
        | Exists(DialogueMeeting.objects.filter(case_id=OuterRef("pk")))
        | Exists(AdaptationMeasure.objects.filter(case_id=OuterRef("pk")))
    )
    for case in (
        FollowUpCase.objects.filter(person_id__in=person_ids, anonymised_on__isnull=True)
        .annotate(has_content=has_content)
        .order_by("start")
    ):
        existing[case.person_id].append(case)
    create: list[tuple] = []
    update: list[FollowUpCase] = []
    delete: list[int] = []
    fields = [
        "start",
        "end",
        "sick_days",
        "graded_at_end",
        "fully_absent_from",
        "status",
        "closed_on",
    ]
    for person_id in person_ids:
        spells = spells_by_person.get(person_id, [])
        spans = rules.follow_up_cases(
            rules.Interval(s.first, s.last, s.effective_grade) for s in spells
        )
        free = list(existing.get(person_id, []))
        index = 0
        for span in spans:
            full: list[dt.date] = []
            while index < len(spells) and spells[index].first <= span.end:
                if spells[index].first >= span.start and spells[index].effective_grade == 100:
                    full.append(spells[index].first)
                index += 1
            closed = span.end + dt.timedelta(days=rules.NEW_CASE_GAP_DAYS) < day
            values = {
                "start": span.start,
                "end": span.end,
                "sick_days": span.sick_days,
                "graded_at_end": span.graded_at_end,
                "fully_absent_from": min(full) if full else None,
                "status": str(FollowUpCase.Status.CLOSED if closed else FollowUpCase.Status.OPEN),
                "closed_on": span.end + dt.timedelta(days=rules.NEW_CASE_GAP_DAYS)
                if closed
                else None,
            }
            match = next((c for c in free if c.start <= span.end and c.end >= span.start), None)
            if match is None:
                create.append((organisation_id, person_id, *(values[f] for f in CASE_FIELDS[2:])))
                continue
            free.remove(match)
            if any(getattr(match, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(match, key, value)
                update.append(match)
        for case in free:
            if case.has_content:
                # The spells are gone but the leader's records stay, as a closed case.
                if case.status != FollowUpCase.Status.CLOSED:
                    case.status = FollowUpCase.Status.CLOSED
                    case.closed_on = day
                    update.append(case)
            else:
                delete.append(case.pk)
    if delete:
        FollowUpCase.objects.filter(pk__in=delete).delete()
    if update:
        FollowUpCase.objects.bulk_update(update, fields, batch_size=2000)
    insert_rows(FollowUpCase, CASE_FIELDS, create)


def rebuilt_rows(organisation_id: int) -> set[tuple]:
    """What the aggregates of an organisation should be, computed afresh from the spells."""
    person_ids = list(
        AbsenceSpell.objects.filter(organisation_id=organisation_id)
        .values_list("person_id", flat=True)
        .distinct()
    )
    rows: set[tuple] = set()
    for i in range(0, len(person_ids), PERSON_BATCH):
        batch = person_ids[i : i + PERSON_BATCH]
        spells_by_person = _spell_facts(batch)
        employments_by_person = _employment_facts(batch)
        for person_id in batch:
            chained = with_chain_days(spells_by_person.get(person_id, []))
            for (employment_id, month), values in month_rows(
                chained, employments_by_person.get(person_id, [])
            ).items():
                rows.add((person_id, employment_id, month, *values))
    return rows


def stored_rows(organisation_id: int) -> set[tuple]:
    return set(
        AbsenceMonth.objects.filter(organisation_id=organisation_id).values_list(
            "person_id", "employment_id", "month", "lost", "lost_self", "lost_long"
        )
    )


@transaction.atomic
def rebuild(organisation_id: int) -> int:
    """Recompute every aggregate and case of the organisation from the raw spells."""
    person_ids = set(
        AbsenceSpell.objects.filter(organisation_id=organisation_id).values_list(
            "person_id", flat=True
        )
    ) | set(
        AbsenceMonth.objects.filter(organisation_id=organisation_id).values_list(
            "person_id", flat=True
        )
    )
    refresh_people(organisation_id, person_ids)
    return len(person_ids)


def employment_changed(sender: object, instance: Employment, **kwargs: object) -> None:
    """An employment was saved or deleted in the org app: refresh its person's figures."""
    if kwargs.get("raw"):
        return
    if AbsenceSpell.objects.filter(person_id=instance.person_id).exists():
        refresh_people(instance.organisation_id, [instance.person_id])
