"""Plain make_<model>() functions for risk tests."""

from __future__ import annotations

import datetime as dt

from trygg.org.models import Unit
from trygg.risk import services
from trygg.risk.library import shipped_templates
from trygg.risk.models import Assessment, Hazard

DAY = dt.date(2026, 3, 2)


def make_assessment(
    unit: Unit,
    title: str = "ROS Solbakken",
    *,
    assessed_on: dt.date = DAY,
    review_due: dt.date = dt.date(2027, 3, 1),
    template: str | None = None,
) -> Assessment:
    return services.create_assessment(
        actor=None,
        unit=unit,
        title=title,
        scope=Assessment.Scope.UNIT,
        assessed_on=assessed_on,
        review_due=review_due,
        template=shipped_templates()[template] if template else None,
    )


def make_hazard(assessment: Assessment, title: str = "Fall", **values) -> Hazard:
    values.setdefault("category", Hazard.Category.PHYSICAL)
    return services.add_hazard(actor=None, assessment=assessment, title=title, **values)


def make_completed(unit: Unit, title: str = "ROS", scores=((2, 3), (4, 4)), **kwargs) -> Assessment:
    assessment = make_assessment(unit, title, **kwargs)
    for number, (p, c) in enumerate(scores, start=1):
        make_hazard(assessment, f"Fare {number}", probability=p, consequence=c)
    return services.complete_assessment(actor=None, assessment=assessment)
