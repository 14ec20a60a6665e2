"""The demo municipality's safety rounds: this year's rounds with the deadline 1 March, in every
unit, with the checklist that fits the unit. Lia barnehage and Solbakken sykehjem's neighbour
units are done with findings that became deviations; the rest are in progress or overdue."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from trygg.accounts.models import Organisation
from trygg.org.models import Person, Unit
from trygg.safety_rounds import services
from trygg.safety_rounds.models import Answer, ChecklistTemplate, Participant, SafetyRound

# Unit code → checklist key; other units get the office checklist.
CHECKLIST_BY_CODE = {
    "2100": "sykehjem",
    "3100": "skole",
    "3200": "skole",
    "3300": "barnehage",
    "3400": "barnehage",
    "4100": "verksted",
    "4200": "verksted",
}
# Rounds finished in the demo, with the questions (by position in the checklist) found wanting.
DONE = {"3300": (4, 12), "3400": (), "4100": (6,), "1100": ()}
STARTED = {"2100": 15}  # answered questions in a round still in progress


def demo_step(organisation: Organisation, year: int) -> None:
    services.install_built_in_checklists(actor=None, organisation=organisation)
    templates = {t.key: t for t in ChecklistTemplate.objects.filter(organisation=organisation)}
    units = list(
        Unit.objects.filter(
            organisation=organisation, kind__in=[Unit.Kind.UNIT], is_active=True
        ).order_by("path")
    )
    by_checklist: dict[str, list[Unit]] = {}
    for unit in units:
        by_checklist.setdefault(CHECKLIST_BY_CODE.get(unit.code, "kontor"), []).append(unit)
    rounds: list[SafetyRound] = []
    for key, group in by_checklist.items():
        rounds += services.plan_rounds(
            actor=None, organisation=organisation, year=year, template=templates[key], units=group
        )
    by_code = {r.unit.code: r for r in rounds}
    moment = timezone.make_aware(dt.datetime(year, 2, 10, 10, 0))
    for code, wanting in DONE.items():
        if code in by_code:
            _walk(by_code[code], moment, wanting=wanting, sign=True)
    for code, answered in STARTED.items():
        if code in by_code:
            _walk(by_code[code], moment, wanting=(3,), limit=answered, sign=False)
    top = Unit.objects.filter(organisation=organisation, depth=0).first()
    lead = Person.objects.filter(organisation=organisation, user__username__endswith="hms").first()
    if top is not None and lead is not None and "internrevisjon-ik" in templates:
        services.create_audit(
            actor=None,
            organisation=organisation,
            unit=top,
            template=templates["internrevisjon-ik"],
            title=f"Internrevisjon av internkontrollen {year}",
            scope="Internkontrollforskriften § 5 nr. 1–8 for hele kommunen; stikkprøver i "
            "Helse og omsorg og Oppvekst.",
            deadline=dt.date(year, 11, 30),
            lead_auditor=lead,
        )


def _walk(
    round_: SafetyRound,
    moment: dt.datetime,
    *,
    wanting: tuple[int, ...],
    sign: bool,
    limit: int | None = None,
) -> None:
    questions = list(round_.template_version.questions().values())
    items = []
    for number, question in enumerate(questions[:limit] if limit else questions):
        item = {
            "id": str(uuid.uuid4()),
            "question": question["key"],
            "answered_at": moment.isoformat(),
        }
        if question["type"] == "check":
            item["value"] = Answer.Value.DEVIATION if number in wanting else Answer.Value.OK
            if number in wanting:
                item["comment"] = "Påpekt under runden; må følges opp."
        elif question["type"] == "number":
            item["number"] = "4"
        else:
            item["text"] = "Godt samarbeid og trivsel i personalgruppen."
        items.append(item)
    services.record_answers(actor=None, round_=round_, items=items)
    if not sign:
        return
    signers = Participant.objects.filter(round=round_, role__in=Participant.SIGNING_ROLES)
    for participant in signers.select_related("person"):
        services.sign_round(actor=None, round_=round_, person=participant.person)
