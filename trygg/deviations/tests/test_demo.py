"""The demo step: realistic deviations, injuries and violence cases in "Demo kommune"."""

from __future__ import annotations

import time

import pytest

from trygg.actions.models import ActionItem
from trygg.deviations import demo
from trygg.deviations.models import Deviation, Injury, WorkHours
from trygg.org.demo import build_demo

pytestmark = pytest.mark.django_db


def test_it_fills_the_demo_with_cases_across_categories_units_and_months(monkeypatch):
    timings: list[float] = []
    original = demo.fill_demo

    def timed(organisation, year):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        original(organisation, year)
        timings.append(time.perf_counter() - started)

    monkeypatch.setattr(demo, "fill_demo", timed)
    from trygg.lib import demo as registry

    monkeypatch.setattr(
        registry, "_steps", [timed if s is original else s for s in registry._steps]
    )
    organisation = build_demo()
    cases = Deviation.objects.filter(organisation=organisation)
    assert cases.filter(source_id__isnull=True).count() >= demo.COUNT
    assert set(cases.values_list("category", flat=True)) == set(Deviation.Category.values)
    assert cases.values("unit").distinct().count() > 5
    months = {d.occurred_at.month for d in cases}
    assert len(months) >= 10
    assert cases.filter(status=Deviation.Status.CLOSED).exists()
    assert cases.filter(status=Deviation.Status.REGISTERED).exists()
    assert cases.filter(is_anonymous=True, reporter__isnull=True).exists()
    assert Injury.objects.filter(organisation=organisation, serious=True).exists()
    assert cases.filter(category="violence", aftercare_offered=True).exists()
    assert ActionItem.objects.filter(organisation=organisation, source_id__isnull=False).exists()
    assert WorkHours.objects.filter(organisation=organisation).exists()
    assert timings  # the step ran (its time is printed by `trygg demo`)
