"""Plain make_<model>() helpers for the absence tests; writes go through the services."""

from __future__ import annotations

import datetime as dt

from trygg.absence import services
from trygg.absence.models import AbsenceSpell
from trygg.org.models import Person

D = dt.date


def make_spell(
    person: Person,
    first: dt.date,
    last: dt.date,
    kind: str = AbsenceSpell.Kind.DOCTOR_CERTIFIED,
    grade: int = 100,
) -> AbsenceSpell:
    return services.register_spell(
        actor=None, person=person, first_day=first, last_day=last, kind=kind, grade=grade
    )
