"""standing_cases(), the periods statistics items report and figure_for_item()."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.annual_plan import queries, services
from trygg.annual_plan.models import RelativePeriod
from trygg.lib import figures
from trygg.org.models import Committee
from trygg.org.tests import factories as f


@pytest.fixture
def plan(world):
    return services.adopt_plan(actor=None, organisation=world.org, year=2026)


@pytest.fixture
def hamu(world):
    return f.make_committee(world.org, world.top, Committee.Kind.HAMU, "HAMU Testkommune")


def _titles(cases) -> list[str]:
    return [c.title for c in cases]


def test_the_january_amu_agenda_has_the_four_cases_of_seed_000(world, plan):
    assert _titles(queries.standing_cases(committee=world.amu, year=2026, month=1)) == [
        "Konstituering AMU",
        "Status HMS-opplæring",
        "Arbeidsgivers samarbeidsplan med BHT",
        "Vedta HMS-mål plan med bakgrunn i overordnede mål",
    ]


def test_march_april_cases_fall_in_both_months(world, plan, hamu):
    march = _titles(queries.standing_cases(committee=world.amu, year=2026, month=3))
    assert march == _titles(queries.standing_cases(committee=world.amu, year=2026, month=4))
    assert march == [
        "Årsrapport AMU",
        "Status ROS-analyser",
        "Økonomiplan innspill arbeidsmiljøperspektiv",
        "Status vernerunder",
    ]
    assert "Årsrapport HAMU" in _titles(queries.standing_cases(committee=hamu, year=2026, month=4))


def test_no_cases_in_july_and_august_and_none_for_amu_in_june(world, plan, hamu):
    for month in (7, 8):
        assert queries.standing_cases(committee=world.amu, year=2026, month=month) == []
        assert queries.standing_cases(committee=hamu, year=2026, month=month) == []
    assert queries.standing_cases(committee=world.amu, year=2026, month=6) == []
    assert _titles(queries.standing_cases(committee=hamu, year=2026, month=6)) == [
        "Virksomhetsstyring tertial"
    ]
    assert _titles(queries.standing_cases(committee=hamu, year=2026, month=9)) == [
        "Møteplan neste år"
    ]


def test_no_plan_no_cases(world):
    assert queries.standing_cases(committee=world.amu, year=2030, month=1) == []


def test_another_organisations_plan_never_leaks(world, plan):
    other_unit = f.make_unit(world.other_org, "Nabo AMU-enhet")
    other_amu = f.make_committee(world.other_org, other_unit, Committee.Kind.AMU, "AMU Nabo")
    assert queries.standing_cases(committee=other_amu, year=2026, month=1) == []


@pytest.mark.parametrize(
    ("relative", "meeting", "period"),
    [
        (
            RelativePeriod.PREVIOUS_TERTIAL,
            dt.date(2026, 5, 20),
            (dt.date(2026, 1, 1), dt.date(2026, 4, 30)),
        ),
        (
            RelativePeriod.PREVIOUS_TERTIAL,
            dt.date(2026, 9, 15),
            (dt.date(2026, 5, 1), dt.date(2026, 8, 31)),
        ),
        (
            RelativePeriod.PREVIOUS_TERTIAL,
            dt.date(2026, 2, 1),
            (dt.date(2025, 9, 1), dt.date(2025, 12, 31)),
        ),
        (
            RelativePeriod.PREVIOUS_QUARTER,
            dt.date(2026, 1, 10),
            (dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        ),
        (
            RelativePeriod.PREVIOUS_MONTH,
            dt.date(2026, 3, 31),
            (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ),
        (
            RelativePeriod.LAST_YEAR,
            dt.date(2026, 2, 12),
            (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ),
        (
            RelativePeriod.YEAR_TO_DATE,
            dt.date(2026, 3, 5),
            (dt.date(2026, 1, 1), dt.date(2026, 3, 5)),
        ),
        (
            RelativePeriod.LAST_12_MONTHS,
            dt.date(2026, 10, 5),
            (dt.date(2025, 10, 1), dt.date(2026, 9, 30)),
        ),
    ],
)
def test_the_period_is_counted_from_the_meeting(relative, meeting, period):
    assert queries.period_for(relative, meeting) == period


def test_a_case_says_which_data_is_missing(world, plan, monkeypatch):
    monkeypatch.setattr(figures, "_suppliers", {})
    item = plan.items.get(template_item__key="amu-mai-sykefravaer")
    assert (
        queries.figure_for_item(
            item=item, committee=world.amu, meeting_date=dt.date(2026, 5, 20), user=None
        )
        is None
    )
    assert queries.missing_data(item) == "sick-leave statistics"
    no_figure = plan.items.get(template_item__key="amu-jan-konstituering")
    assert queries.missing_data(no_figure) == ""


def test_a_supplied_figure_is_asked_for_the_committees_units_and_period(world, plan, monkeypatch):
    asked = []

    def supplier(request: figures.FigureRequest) -> figures.Figure:
        asked.append(request)
        return figures.Figure(title="Sykefravær", rows=[("Prosent", "5,1 %")])

    monkeypatch.setattr(figures, "_suppliers", {"sick_leave": supplier})
    item = plan.items.get(template_item__key="amu-mai-sykefravaer")
    figure = queries.figure_for_item(
        item=item, committee=world.amu, meeting_date=dt.date(2026, 5, 20), user=world.hms
    )
    assert figure.title == "Sykefravær"
    assert asked == [
        figures.FigureRequest(
            organisation_id=world.org.pk,
            unit_paths=(world.health.path,),
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 4, 30),
            user=world.hms,
        )
    ]
    assert queries.missing_data(item) == ""


def test_the_figure_partial_renders_a_figure_or_what_is_missing():
    from django.template.loader import render_to_string

    html = render_to_string(
        "annual_plan/_figure.html",
        {
            "figure": figures.Figure(title="Avvik <i>", rows=[("Antall", "12")], note="maskert"),
            "missing": "",
        },
    )
    assert "Avvik &lt;i&gt;" in html and "Antall" in html and "maskert" in html
    html = render_to_string(
        "annual_plan/_figure.html", {"figure": None, "missing": "sick-leave statistics"}
    )
    assert "sick-leave statistics" in html


def test_owners_get_due_items_in_my_tasks_and_reminders(world, plan):
    from django.utils import timezone

    from trygg.annual_plan.mytasks import tasks_for
    from trygg.annual_plan.reminders import due_reminders

    day = timezone.localdate()
    this_year = services.ensure_plan(actor=None, organisation=world.org, year=day.year)
    activity = services.add_activity(
        actor=None,
        organisation=world.org,
        title="Vernerunde Solbakken",
        category="safety_round",
        timing="deadline",
        month=day.month,
        deadline_day=day.day,
        owner=world.leader.person,
        unit=world.nursing_home,
    )
    item = this_year.items.get(template_item=activity)
    assert [t.title for t in tasks_for(world.leader)] == ["Vernerunde Solbakken"]
    assert tasks_for(world.employee) == []
    reminders = [r for r in due_reminders(day) if r.key.startswith(f"annual-plan-item:{item.pk}:")]
    assert [r.user for r in reminders] == [world.leader]
    later = [
        r
        for r in due_reminders(day + dt.timedelta(days=3))
        if r.key.startswith(f"annual-plan-item:{item.pk}:")
    ]
    assert later[0].key.endswith(f"overdue:{day.isoformat()}")
    services.mark_done(actor=world.leader, item=item, year=day.year)
    assert [r for r in due_reminders(day) if r.key.startswith(f"annual-plan-item:{item.pk}:")] == []


def test_a_failing_supplier_is_logged_and_the_case_says_so(world, plan, monkeypatch, caplog):
    def broken(request: figures.FigureRequest) -> figures.Figure:
        raise TypeError("bug in another module")

    monkeypatch.setattr(figures, "_suppliers", {"sick_leave": broken})
    item = plan.items.get(template_item__key="amu-mai-sykefravaer")
    figure = queries.figure_for_item(
        item=item, committee=world.amu, meeting_date=dt.date(2026, 5, 20), user=None
    )
    assert figure.note == "The figures could not be computed. The error has been logged."
    assert "figure supplier for sick_leave failed" in caplog.text
