"""Several periods in one pass (an HMS goal's trend and its last 12 months): every figure
equals the one computed for its period alone, masking included."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from trygg.absence import aggregates, figures, statistics
from trygg.absence.models import AbsenceSettings, AbsenceSpell
from trygg.absence.tests.factories import make_spell
from trygg.org import services as org_services
from trygg.org.models import Employment, Unit
from trygg.org.tests import factories as f

D = dt.date


def _goal_spans(until: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Six quarters up to `until` and the 12 months up to it, as a goal asks."""
    start = D(until.year, 3 * ((until.month - 1) // 3) + 1, 1)
    spans = [(start, until)]
    for _i in range(5):
        start = (
            D(start.year - 1, 10, 1) if start.month == 1 else start.replace(month=start.month - 3)
        )
        end = (
            D(start.year + 1, 1, 1) if start.month == 10 else start.replace(month=start.month + 3)
        ) - dt.timedelta(days=1)
        spans.append((start, end))
    return [*reversed(spans), (until.replace(year=until.year - 1) + dt.timedelta(days=1), until)]


@pytest.fixture
def organisation(db):
    """Two units under a top unit: people who come and go, change position share, one employed
    over a weekend only (a person with no workdays); random spells over two years."""
    rng = random.Random(11)
    org = f.make_organisation()
    top = f.make_unit(org, "Top", kind=Unit.Kind.TOP)
    big = f.make_unit(org, "Stor", parent=top)
    small = f.make_unit(org, "Liten", parent=top)  # four persons: masked
    people = []
    for i in range(9):
        people.append(
            f.make_person(
                org,
                f"P{i}",
                "Stor",
                unit=big,
                percent=rng.choice(["100", "80", "33.33", "50"]),
                start_date=D(2024, rng.randint(1, 12), rng.randint(1, 28)),
            )
        )
    for i in range(4):
        people.append(f.make_person(org, f"L{i}", "Liten", unit=small, start_date=D(2024, 1, 1)))
    weekend = f.make_person(org, "Helg", "Vikar", unit=big, start_date=D(2025, 3, 8))
    org_services.end_employment(
        actor=None, employment=Employment.objects.get(person=weekend), end_date=D(2025, 3, 9)
    )
    leaving = people[0]
    org_services.end_employment(
        actor=None, employment=Employment.objects.get(person=leaving), end_date=D(2025, 5, 14)
    )
    changing = people[1]
    org_services.end_employment(
        actor=None, employment=Employment.objects.get(person=changing), end_date=D(2025, 6, 17)
    )
    org_services.add_employment(
        actor=None,
        person=changing,
        unit=big,
        position_percent=Decimal("40"),
        start_date=D(2025, 6, 18),
        is_leader=False,
        title="",
        employment_type=Employment.Type.PERMANENT,
    )
    for person in people:
        employed = Employment.objects.filter(person=person)
        day = min(e.start_date for e in employed) + dt.timedelta(days=rng.randint(0, 30))
        last = D(2025, 5, 14) if person == leaving else D(2026, 3, 1)
        while day < last:
            length = min(rng.choice([1, 2, 3, 5, 12, 20, 40]), (last - day).days + 1)
            kind = (
                AbsenceSpell.Kind.SELF_CERTIFIED
                if length <= 3
                else AbsenceSpell.Kind.DOCTOR_CERTIFIED
            )
            grade = rng.choice([100, 50, 20]) if length > 3 else 100
            make_spell(person, day, day + dt.timedelta(days=length - 1), kind, grade)
            day += dt.timedelta(days=length + rng.choice([1, 5, 20, 60]))
    aggregates.rebuild(org.pk)
    return org, top, big, small


UNTIL = [D(2025, 11, 14), D(2025, 9, 30), D(2026, 2, 1), D(2025, 6, 17)]


@pytest.mark.parametrize("until", UNTIL, ids=str)
def test_each_figure_equals_the_figure_of_its_period_alone(organisation, until):
    org, top, big, small = organisation
    spans = [*_goal_spans(until), (D(2025, 3, 8), D(2025, 3, 9)), (D(2025, 1, 15), D(2025, 2, 20))]
    for vacation in (False, True):
        settings = AbsenceSettings(organisation=org, subtract_vacation=vacation)
        for units in ([top], [big], [small], [big, small]):
            for subunits in (True, False):
                together = statistics.span_figures(
                    org.pk, units, spans, subunits=subunits, settings=settings
                )
                alone = [
                    statistics.unit_figures(
                        org.pk, units, start, end, subunits=subunits, settings=settings
                    )
                    for start, end in spans
                ]
                assert together == alone, (vacation, units, subunits)
    # Four persons: masked, except over a weekend, which has no workdays (no data, not masked).
    masked = statistics.span_figures(org.pk, [small], spans, settings=settings)
    assert [figure.masked for figure in masked] == [True] * 7 + [False, True]
    assert all(figure.percent is None for figure in masked)
    shown = statistics.span_figures(org.pk, [big], spans[:7], settings=settings)
    assert any(figure.percent for figure in shown)


def test_the_indicator_series_equals_the_indicator_span_by_span(organisation):
    org, top, big, small = organisation
    spans = _goal_spans(D(2025, 11, 14))
    for paths in ((), (top.path,), (big.path,), (small.path,), ("0000/none/",)):
        assert figures.absence_percent_series(org.pk, paths, spans) == [
            figures.absence_percent(org.pk, paths, start, end) for start, end in spans
        ], paths
    assert figures.absence_percent_series(org.pk, (big.path,), []) == []
