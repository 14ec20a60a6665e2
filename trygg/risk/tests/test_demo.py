"""The demo step: risk assessments in "Demo kommune", some overdue, one being re-assessed."""

from __future__ import annotations

import time

import pytest

from trygg.actions.models import ActionItem
from trygg.lib import demo as registry
from trygg.lib.dates import today
from trygg.org.demo import build_demo
from trygg.risk import demo, queries
from trygg.risk.models import Assessment, Hazard, RiskCell

pytestmark = pytest.mark.django_db


def test_it_fills_the_demo_with_assessments_measures_and_overdue_reviews(monkeypatch):
    assert demo.add_demo_risk_assessments in registry._steps
    timings: list[float] = []

    def timed(organisation, year):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        demo.add_demo_risk_assessments(organisation, year)
        timings.append(time.perf_counter() - started)

    monkeypatch.setattr(registry, "_steps", [timed])
    organisation = build_demo()
    assessments = Assessment.objects.filter(organisation=organisation)
    assert assessments.filter(status=Assessment.Status.COMPLETED).count() >= 8
    assert assessments.filter(template="vold-og-trusler", status="completed").exists()
    assert (
        assessments.filter(status=Assessment.Status.COMPLETED, review_due__lt=today()).count() >= 2
    )
    assert assessments.filter(status=Assessment.Status.DRAFT, version=2).count() == 1
    assert not Hazard.objects.filter(
        assessment__organisation=organisation, assessment__status="completed", probability=None
    ).exists()
    assert ActionItem.objects.filter(organisation=organisation, owner__isnull=False).count() >= 8
    assert RiskCell.objects.filter(organisation=organisation).exists()
    statuses = {s.status for s in queries.unit_statuses(organisation.pk, ())}
    assert statuses == {"current", "due", "missing"}
    assert timings and timings[0] < 5
