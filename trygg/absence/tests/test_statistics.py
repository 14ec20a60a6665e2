"""Statistics exactly as rules.md §2: the worked example, position changes, spells crossing
period ends, holidays, graded spells, vacation, subunits, and the aggregates against a rebuild."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from trygg.absence import aggregates, rules, services, statistics
from trygg.absence.models import AbsenceMonth, AbsenceSettings, AbsenceSpell
from trygg.absence.tests.factories import make_spell
from trygg.lib.holidays import is_workday
from trygg.org import services as org_services
from trygg.org.models import Employment, Unit
from trygg.org.tests import factories as f

D = dt.date
SELF = AbsenceSpell.Kind.SELF_CERTIFIED
DOCTOR = AbsenceSpell.Kind.DOCTOR_CERTIFIED


@pytest.fixture
def q1(db):
    """rules.md §2.5: A 100 %, B 50 %, C 80 % in one unit, Q1 2025."""
    org = f.make_organisation()
    unit = f.make_unit(org, "Enhet", kind=Unit.Kind.TOP)
    a = f.make_person(org, "A", "A", unit=unit, percent="100")
    b = f.make_person(org, "B", "B", unit=unit, percent="50")
    c = f.make_person(org, "C", "C", unit=unit, percent="80")
    make_spell(a, D(2025, 2, 3), D(2025, 2, 14), DOCTOR, 100)
    make_spell(a, D(2025, 3, 10), D(2025, 3, 11), SELF)
    make_spell(b, D(2025, 1, 6), D(2025, 1, 31), DOCTOR, 50)
    return org, unit, (a, b, c)


def test_it_computes_the_worked_example_exactly(q1):
    org, unit, _people = q1
    figures = statistics.unit_figures(org.pk, [unit], D(2025, 1, 1), D(2025, 3, 31), unmasked=True)
    assert figures.agreed_workdays == Decimal("144.90")
    assert figures.lost_workdays == Decimal("17.00")
    assert figures.percent == Decimal("11.7")
    assert figures.percent_doctor_certified == Decimal("10.4")
    assert figures.percent_self_certified == Decimal("1.4")
    assert figures.percent_short_term == Decimal("8.3")
    assert figures.percent_long_term == Decimal("3.5")
    assert figures.persons == 3 and not figures.masked


def test_it_masks_the_worked_example_for_three_persons(q1):
    org, unit, _people = q1
    figures = statistics.unit_figures(org.pk, [unit], D(2025, 1, 1), D(2025, 3, 31))
    assert figures.masked and figures.persons == 3
    assert figures.percent is None and figures.percent_long_term is None


def test_it_shows_five_persons_unmasked(q1):
    org, unit, _people = q1
    f.make_person(org, "D", "D", unit=unit)
    f.make_person(org, "E", "E", unit=unit)
    figures = statistics.unit_figures(org.pk, [unit], D(2025, 1, 1), D(2025, 3, 31))
    assert not figures.masked and figures.persons == 5
    assert figures.percent == rules.percent(17, Decimal("144.9") + 126)


def test_it_follows_a_position_change_within_the_period(db):
    org = f.make_organisation()
    unit = f.make_unit(org, kind=Unit.Kind.TOP)
    person = f.make_person(org, unit=unit, percent="100")
    first = Employment.objects.get(person=person)
    org_services.end_employment(actor=None, employment=first, end_date=D(2025, 1, 31))
    org_services.add_employment(
        actor=None,
        person=person,
        unit=unit,
        position_percent=Decimal("50"),
        start_date=D(2025, 2, 1),
        is_leader=False,
        title="",
        employment_type=Employment.Type.PERMANENT,
    )
    make_spell(person, D(2025, 1, 20), D(2025, 2, 10), DOCTOR, 100)
    aggregates.refresh_people(org.pk, [person.pk])
    figures = statistics.unit_figures(org.pk, [unit], D(2025, 1, 1), D(2025, 2, 28), unmasked=True)
    jan, feb = (
        rules.workdays(D(2025, 1, 1), D(2025, 1, 31)),
        rules.workdays(D(2025, 2, 1), D(2025, 2, 28)),
    )
    assert figures.agreed_workdays == Decimal(jan) + Decimal(feb) / 2
    lost = rules.workdays(D(2025, 1, 20), D(2025, 1, 31)) + Fraction(
        rules.workdays(D(2025, 2, 3), D(2025, 2, 10)), 2
    )
    assert figures.lost_workdays == rules.round_half_up(lost, 2)
    assert figures.percent_long_term == figures.percent  # 22 calendar days: long term


def test_it_counts_only_the_days_inside_the_period_but_classifies_by_the_whole_spell(db):
    org = f.make_organisation()
    unit = f.make_unit(org, kind=Unit.Kind.TOP)
    person = f.make_person(org, unit=unit)
    make_spell(person, D(2025, 3, 24), D(2025, 4, 4), DOCTOR, 100)  # 12 days: short term
    make_spell(person, D(2025, 4, 5), D(2025, 4, 9), DOCTOR, 60)  # joins it: 17 days, long term
    q1 = statistics.unit_figures(org.pk, [unit], D(2025, 1, 1), D(2025, 3, 31), unmasked=True)
    assert q1.lost_workdays == Decimal("6.00")  # 24–31 March
    assert q1.percent_long_term == q1.percent and q1.percent_short_term == Decimal("0.0")


def test_it_skips_easter_holidays_and_weights_by_grade(db):
    org = f.make_organisation()
    unit = f.make_unit(org, kind=Unit.Kind.TOP)
    person = f.make_person(org, unit=unit, percent="80")
    make_spell(person, D(2025, 4, 14), D(2025, 4, 25), DOCTOR, 50)  # 10 weekdays, 3 holidays
    april = statistics.unit_figures(org.pk, [unit], D(2025, 4, 1), D(2025, 4, 30), unmasked=True)
    assert april.lost_workdays == Decimal("2.80")  # 7 × 0.8 × 0.5
    assert april.agreed_workdays == Decimal("15.20")  # 19 × 0.8


def test_it_counts_egenmelding_at_full_grade(db):
    org = f.make_organisation()
    unit = f.make_unit(org, kind=Unit.Kind.TOP)
    person = f.make_person(org, unit=unit)
    spell = services.register_spell(
        actor=None,
        person=person,
        first_day=D(2025, 3, 3),
        last_day=D(2025, 3, 4),
        kind=SELF,
        grade=40,
    )
    assert spell.grade == 100
    figures = statistics.unit_figures(org.pk, [unit], D(2025, 3, 1), D(2025, 3, 31), unmasked=True)
    assert figures.lost_workdays == Decimal("2.00")


def test_it_subtracts_vacation_only_when_set(q1):
    org, unit, _people = q1
    AbsenceSettings.objects.create(organisation=org, subtract_vacation=True, vacation_days=25)
    figures = statistics.unit_figures(org.pk, [unit], D(2025, 1, 1), D(2025, 3, 31), unmasked=True)
    year = rules.workdays(D(2025, 1, 1), D(2025, 12, 31))
    agreed = Fraction(1449, 10) * (1 - Fraction(25, year))
    assert figures.vacation_subtracted
    assert figures.percent == rules.percent(17, agreed)
    assert figures.percent > Decimal("11.7")


def test_it_includes_subunits_only_when_asked(db):
    org = f.make_organisation()
    top = f.make_unit(org, "Top", kind=Unit.Kind.TOP)
    child = f.make_unit(org, "Child", parent=top)
    a = f.make_person(org, unit=top)
    b = f.make_person(org, unit=child)
    make_spell(a, D(2025, 3, 3), D(2025, 3, 7))
    make_spell(b, D(2025, 3, 3), D(2025, 3, 14))
    march = (D(2025, 3, 1), D(2025, 3, 31))
    only = statistics.unit_figures(org.pk, [top], *march, subunits=False, unmasked=True)
    both = statistics.unit_figures(org.pk, [top], *march, subunits=True, unmasked=True)
    assert (only.persons, only.lost_workdays) == (1, Decimal("5.00"))
    assert (both.persons, both.lost_workdays) == (2, Decimal("15.00"))
    rows = {
        row.unit.pk: row.figures
        for row in statistics.breakdown(org.pk, None, *march, unmasked_paths=("",))
    }
    assert rows[top.pk] == both and rows[child.pk].lost_workdays == Decimal("10.00")


def _naive(org_id: int, start: dt.date, end: dt.date) -> tuple[Fraction, Fraction, Fraction]:
    """Day by day, straight from the definitions: (agreed, lost, long-term lost) in dagsverk."""
    employments = list(Employment.objects.filter(organisation_id=org_id))
    spells = list(AbsenceSpell.objects.filter(organisation_id=org_id))
    runs = {}
    for person_id in {s.person_id for s in spells}:
        runs[person_id] = rules.chains(
            rules.Interval(s.first_day, s.last_day) for s in spells if s.person_id == person_id
        )
    agreed = lost = long_ = Fraction(0)
    day = start
    while day <= end:
        if is_workday(day):
            for e in employments:
                if e.start_date <= day and (e.end_date is None or day <= e.end_date):
                    share = Fraction(e.position_percent) / 100
                    agreed += share
                    for s in spells:
                        if s.person_id == e.person_id and s.first_day <= day <= s.last_day:
                            value = share * Fraction(s.effective_grade, 100)
                            lost += value
                            a, b = next(r for r in runs[s.person_id] if r[0] <= s.first_day <= r[1])
                            if (b - a).days + 1 > 16:
                                long_ += value
        day += rules.DAY
    return agreed, lost, long_


def test_it_agrees_with_a_naive_day_by_day_count_for_any_period(db):
    rng = random.Random(7)
    org = f.make_organisation()
    unit = f.make_unit(org, kind=Unit.Kind.TOP)
    people = [
        f.make_person(
            org,
            unit=unit,
            percent=rng.choice(["100", "80", "33.33", "50"]),
            start_date=D(2024, rng.randint(1, 6), 1),
        )
        for _ in range(6)
    ]
    for person in people:
        day = D(2024, 7, 1) + dt.timedelta(days=rng.randint(0, 20))
        while day < D(2025, 6, 1):
            length = rng.choice([1, 2, 3, 5, 12, 20, 40])
            kind = SELF if length <= 3 else DOCTOR
            make_spell(
                person,
                day,
                day + dt.timedelta(days=length - 1),
                kind,
                rng.choice([100, 50, 20]) if kind == DOCTOR else 100,
            )
            day += dt.timedelta(days=length + rng.choice([0, 1, 5, 20]))
    for start, end in [
        (D(2024, 9, 1), D(2024, 12, 31)),
        (D(2024, 10, 15), D(2025, 2, 11)),
        (D(2025, 1, 7), D(2025, 1, 20)),
        (D(2024, 7, 1), D(2025, 6, 30)),
    ]:
        figures = statistics.unit_figures(org.pk, [unit], start, end, unmasked=True)
        agreed, lost, long_ = _naive(org.pk, start, end)
        assert figures.agreed_workdays == rules.round_half_up(agreed, 2)
        assert figures.lost_workdays == rules.round_half_up(lost, 2)
        assert figures.percent == rules.percent(lost, agreed)
        assert figures.percent_long_term == rules.percent(long_, agreed)
        for vacation in (False, True):
            settings = AbsenceSettings(organisation=org, subtract_vacation=vacation)
            by_unit = statistics.collect(org.pk, [unit], start, end, settings=settings)
            by_month = statistics.collect(
                org.pk, [unit], start, end, settings=settings, key="month"
            )
            assert sum(t.agreed for t in by_month.values()) == sum(
                t.agreed for t in by_unit.values()
            )
            assert sum(t.lost for t in by_month.values()) == sum(t.lost for t in by_unit.values())
            assert sum(t.lost_long for t in by_month.values()) == sum(
                t.lost_long for t in by_unit.values()
            )


def test_it_keeps_the_aggregates_equal_to_a_rebuild_through_every_write(q1):
    org, _unit, (a, b, c) = q1
    spell = make_spell(c, D(2025, 1, 6), D(2025, 1, 10))
    services.correct_spell(
        actor=None,
        spell=spell,
        first_day=D(2025, 1, 6),
        last_day=D(2025, 1, 30),
        kind=DOCTOR,
        grade=60,
    )
    joined = make_spell(c, D(2025, 1, 31), D(2025, 2, 2), SELF)  # joins the chain: long term
    services.delete_spell(
        actor=None, spell=AbsenceSpell.objects.get(person=a, first_day=D(2025, 3, 10))
    )
    Employment.objects.filter(person=b).first().save()  # an employment change refreshes B
    assert aggregates.stored_rows(org.pk) == aggregates.rebuilt_rows(org.pk)
    assert AbsenceSpell.objects.get(pk=joined.pk).chain_days == 28
    AbsenceMonth.objects.filter(person=c).delete()
    assert aggregates.stored_rows(org.pk) != aggregates.rebuilt_rows(org.pk)
    aggregates.rebuild(org.pk)
    assert aggregates.stored_rows(org.pk) == aggregates.rebuilt_rows(org.pk)


def test_it_gives_one_figure_per_month_for_the_trend(q1):
    org, unit, _people = q1
    series = statistics.monthly_series(org.pk, [unit], D(2025, 1, 1), D(2025, 3, 31), unmasked=True)
    assert [s.start for s in series] == [D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1)]
    assert series[0].lost_workdays == Decimal("5.00") and series[1].lost_workdays == Decimal(
        "10.00"
    )
