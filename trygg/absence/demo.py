"""The demo municipality's sick leave: about 18 months of realistic absence for every
employee, written in bulk and then aggregated once (the same code as every write)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from trygg.absence import aggregates
from trygg.absence.models import AbsenceSettings, AbsenceSpell
from trygg.audit.models import AuditEntry
from trygg.audit.services import record_event
from trygg.lib.dates import today
from trygg.org.models import Employment

SEED = 5405


def generate_spells(
    rng: random.Random,
    person_id: int,
    first: dt.date,
    last: dt.date,
    *,
    long_term_share: float = 0.06,
    mean_gap: int = 90,
) -> list[tuple[dt.date, dt.date, str, int]]:
    """Plausible spells for one person: a few egenmeldinger of 1–3 days a year, some short
    sykmeldinger, and now and then a long (often graded) one, never overlapping."""
    spells: list[tuple[dt.date, dt.date, str, int]] = []
    day = first + dt.timedelta(days=rng.randint(0, mean_gap))
    while day <= last:
        roll = rng.random()
        if roll < 0.55:
            length, kind, grade = rng.randint(1, 3), AbsenceSpell.Kind.SELF_CERTIFIED, 100
        elif roll < 1 - long_term_share:
            length, kind, grade = rng.randint(4, 16), AbsenceSpell.Kind.DOCTOR_CERTIFIED, 100
        else:
            length = rng.randint(17, 120)
            kind = AbsenceSpell.Kind.DOCTOR_CERTIFIED
            grade = rng.choice((100, 100, 50, 60, 80))
        end = min(day + dt.timedelta(days=length - 1), last)
        spells.append((day, end, kind, grade))
        day = end + dt.timedelta(days=rng.randint(max(1, mean_gap // 4), mean_gap * 7 // 4))
    return spells


def fill_demo(organisation: Any, year: int) -> None:
    """A year and a half of absence up to today for Demo kommune, and its settings."""
    AbsenceSettings.objects.get_or_create(organisation=organisation)
    rng = random.Random(SEED)
    end = min(today(), dt.date(year, 12, 31))
    start = dt.date(year - 1, 7, 1)
    spells = []
    employments = Employment.objects.filter(organisation=organisation).values_list(
        "person_id", "start_date", "end_date"
    )
    spans: dict[int, tuple[dt.date, dt.date]] = {}
    for person_id, e_start, e_end in employments:
        first = max(start, e_start)
        last = min(end, e_end or end)
        if first > last:
            continue
        known = spans.get(person_id)
        spans[person_id] = (min(first, known[0]), max(last, known[1])) if known else (first, last)
    for person_id, (first, last) in sorted(spans.items()):
        for s_first, s_last, kind, grade in generate_spells(rng, person_id, first, last):
            spells.append(
                AbsenceSpell(
                    organisation=organisation,
                    person_id=person_id,
                    first_day=s_first,
                    last_day=s_last,
                    kind=kind,
                    grade=grade,
                    source=AbsenceSpell.Source.IMPORT,
                )
            )
    AbsenceSpell.objects.bulk_create(spells, batch_size=2000)
    aggregates.refresh_people(organisation.pk, spans.keys())
    _follow_up_long_cases(organisation, rng)
    record_event(
        actor=None,
        organisation_id=organisation.pk,
        action=AuditEntry.Action.CREATE,
        object_type="absence.absencespell",
        description=f"Demo: {len(spells)} absence spells",
        details={"spells": len(spells), "generator": "trygg demo"},
    )


def _follow_up_long_cases(organisation: Any, rng: random.Random) -> None:
    """Plans, dialogue meetings and adaptation for most long cases, as a leader would record
    them, so the case pages show a follow-up in progress (through the services)."""
    from trygg.absence import services
    from trygg.absence.models import AdaptationMeasure, FollowUpCase

    kinds = list(AdaptationMeasure.Kind.values)
    measures = {
        "psychosocial": "Faste samtaler med leder hver uke",
        "physical": "Hev-senk-pult og avlastning for tunge løft",
        "organisational": "Dagvakter i stedet for turnus i en periode",
    }
    for case in FollowUpCase.objects.filter(organisation=organisation, sick_days__gte=28).order_by(
        "start"
    ):
        if rng.random() < 0.2:
            continue  # some plans are missing: they show as overdue
        made = case.start + dt.timedelta(days=rng.randint(14, 27))
        services.save_plan(
            actor=None,
            case=case,
            work_tasks="Kan utføre lettere oppgaver på dagtid, ikke tunge løft.",
            measures="Redusert arbeidstid og tilpassede oppgaver i en periode.",
            follow_up="Ny samtale om to uker; vurdere gradert sykmelding.",
            made_on=made,
            sent_to_doctor_on=made + dt.timedelta(days=1),
        )
        if case.sick_days >= 49 and case.fully_absent_from:
            services.record_meeting(
                actor=None,
                case=case,
                number=1,
                held_on=case.start + dt.timedelta(days=rng.randint(35, 48)),
                participants="Den ansatte, nærmeste leder, BHT",
                summary="Gjennomgikk planen og muligheter for gradert tilbakekomst.",
            )
        kind = rng.choice(kinds)
        services.add_measure(
            actor=None, case=case, kind=kind, description=measures[kind], start_date=made
        )
