"""The demo municipality's risk assessments, written through the services.

Several units get a completed assessment from a matching template, scored and with measures;
some are overdue for review, one is being re-assessed, and a nursing home has its violence and
threats assessment (FUA ch. 23 A), which the årshjul sends to HAMU in October.
"""

from __future__ import annotations

import datetime as dt
import random

from trygg.accounts.models import Organisation
from trygg.org.models import Employment, Unit
from trygg.risk import services
from trygg.risk.library import shipped_templates
from trygg.risk.models import Assessment, Participant

PLAN = (
    # unit code, template, months since the assessment, review interval (months)
    ("2100", "vold-og-trusler", 5, 12),
    ("2100", "hjemmetjeneste", 14, 12),  # overdue for review
    ("2200", "hjemmetjeneste", 3, 12),
    ("2500", "vold-og-trusler", 13, 12),  # overdue for review
    ("3100", "kontorarbeid", 2, 12),
    ("3300", "barnehage", 6, 12),
    ("3400", "barnehage", 15, 12),  # overdue for review
    ("4100", "verksted", 1, 12),
    ("4200", "verksted", 11, 12),  # due within a month
    ("1100", "kontorarbeid", 4, 24),
)


def _months_back(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 - months
    year = day.year + month // 12
    return dt.date(year, month % 12 + 1, min(day.day, 28))


def add_demo_risk_assessments(organisation: Organisation, year: int) -> None:
    from trygg.lib.dates import today

    rng = random.Random(f"risk-{organisation.slug}-{year}")
    day = today()
    units = {u.code: u for u in Unit.objects.filter(organisation=organisation).exclude(code="")}
    leaders = {
        e.unit.code: e.person
        for e in Employment.objects.current(day)
        .filter(organisation=organisation, is_leader=True)
        .select_related("unit", "person")
    }
    templates = shipped_templates()
    services.ensure_matrix(actor=None, organisation=organisation)
    for index, (code, template_id, months, interval) in enumerate(PLAN):
        unit = units.get(code)
        template = templates.get(template_id)
        if unit is None or template is None:
            continue
        assessed = _months_back(day, months)
        assessment = services.create_assessment(
            actor=None,
            unit=unit,
            title=f"{template.title} – {unit.name}",
            scope=template.scope,
            assessed_on=assessed,
            review_due=_months_back(assessed, -interval),
            description=template.description,
            template=template,
        )
        leader = leaders.get(code)
        if leader is not None:
            services.add_participant(
                actor=None, assessment=assessment, role=Participant.Role.LEADER, person=leader
            )
        services.add_participant(
            actor=None,
            assessment=assessment,
            role=Participant.Role.SAFETY_REP,
            name="Verneombud for enheten",
        )
        services.add_participant(
            actor=None,
            assessment=assessment,
            role=Participant.Role.EMPLOYEE,
            name="Ansattrepresentant",
        )
        if index % 3 == 0:
            services.add_participant(
                actor=None, assessment=assessment, role=Participant.Role.BHT, name="BHT-rådgiver"
            )
        hazards = list(assessment.hazards.select_related("assessment__matrix"))
        for hazard in hazards:
            p, c = rng.randint(1, 5), rng.randint(1, 5)
            services.update_hazard(
                actor=None,
                hazard=hazard,
                probability=p,
                consequence=c,
                residual_probability=max(1, p - rng.randint(0, 2)),
                residual_consequence=max(1, c - rng.randint(0, 1)),
            )
        services.complete_assessment(actor=None, assessment=assessment)
        worst = max(hazards, key=lambda h: (h.probability or 0) * (h.consequence or 0))
        services.add_measure(
            actor=None,
            hazard=worst,
            title=f"Tiltak: {worst.title[:150]}",
            owner=leader,
            deadline=day + dt.timedelta(days=30 + 15 * index),
            description="Fra risikovurderingen: " + assessment.title,
        )
    # One overdue assessment is being re-assessed: the earlier version stays readable.
    overdue = (
        Assessment.objects.filter(organisation=organisation, review_due__lt=day)
        .order_by("pk")
        .first()
    )
    if overdue is not None:
        services.reassess(
            actor=None,
            assessment=overdue,
            assessed_on=day,
            review_due=_months_back(day, -12),
        )
