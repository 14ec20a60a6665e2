"""Loading the shipped template, adopting versioned plans, done states and activities."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from trygg.annual_plan import queries, services
from trygg.annual_plan.models import Category, Plan, PlanItem, TemplateItem, Timing, YearKind
from trygg.audit.models import AuditEntry

SEED = "/work/shared/seeds/000_205b8a2c5228e6f8.txt"


def test_the_shipped_file_is_valid_json_with_every_case_of_seed_000():
    data = json.loads(services.DATA_FILE.read_text(encoding="utf-8"))
    assert data["format"] == "trygg-annual-plan"
    items = data["items"]
    assert len(items) == 41
    assert len({i["key"] for i in items}) == 41
    amu = [i for i in items if i["committee_kind"] == "amu"]
    hamu = [i for i in items if i["committee_kind"] == "hamu"]
    assert (len(amu), len(hamu)) == (21, 20)
    # No meetings in July and August, and no AMU cases in June.
    assert not [i for i in items if i["month"] in (7, 8)]
    assert not [i for i in amu if i["month"] == 6]


def test_titles_and_guidance_are_taken_from_the_seed_word_for_word():
    try:
        with open(SEED, encoding="utf-8") as handle:
            seed = " ".join(handle.read().split())
    except FileNotFoundError:
        pytest.fail("seed 000 is needed to check the template against it")
    for item in services.default_data()["items"]:
        assert item["title"] in seed, item["title"]
        # The description is in the seed once the line breaks and hyphenation are undone.
        for paragraph in item["guidance"].split("\n\n"):
            words = paragraph.split()
            assert " ".join(words[:8]) in seed, paragraph[:60]


def test_it_loads_the_template_once_and_keeps_edits(world):
    assert services.load_default_template(actor=world.hms, organisation=world.org) == 41
    item = TemplateItem.objects.get(organisation=world.org, key="amu-jan-konstituering")
    services.update_template_item(actor=world.hms, item=item, title="Konstituering")
    assert services.load_default_template(actor=world.hms, organisation=world.org) == 0
    item.refresh_from_db()
    assert item.title == "Konstituering"
    assert AuditEntry.objects.filter(object_type="annual_plan.templateitem").count() == 42


def test_adopting_again_makes_a_new_version_and_keeps_done_states(world):
    first = services.adopt_plan(actor=world.hms, organisation=world.org, year=2026)
    item = first.items.get(template_item__key="amu-jan-hms-opplaering")
    services.mark_done(actor=world.hms, item=item, year=2026, on=dt.date(2026, 1, 20), note="OK")
    second = services.adopt_plan(actor=world.hms, organisation=world.org, year=2026)
    assert (first.version, second.version) == (1, 2)
    copied = second.items.get(template_item__key="amu-jan-hms-opplaering")
    assert (copied.done_on, copied.done_note) == (dt.date(2026, 1, 20), "OK")
    assert queries.plan_in_force(world.org.pk, 2026) == second
    assert services.ensure_plan(actor=None, organisation=world.org, year=2026) == second


def test_mark_done_refuses_another_year_and_a_future_date(world):
    plan = services.adopt_plan(actor=None, organisation=world.org, year=2026)
    item = plan.items.first()
    with pytest.raises(ValidationError):
        services.mark_done(actor=None, item=item, year=2025)
    with pytest.raises(ValidationError):
        services.mark_done(
            actor=None, item=item, year=2026, on=timezone.localdate() + dt.timedelta(days=2)
        )
    item.refresh_from_db()
    assert item.done_on is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"timing": Timing.MONTH}, "month"),
        ({"timing": Timing.MONTHS, "month": 3}, "end_month"),
        ({"timing": Timing.DEADLINE, "month": 2, "deadline_day": 30}, "deadline_day"),
        ({"timing": Timing.MEETING, "month": 1}, "meeting_label"),
        ({"timing": Timing.TERTIAL, "period_number": 4}, "period_number"),
        ({"timing": Timing.MONTH, "month": 5, "recurrence": "biennial"}, "first_year"),
        ({"timing": Timing.MONTH, "month": 5, "recurrence": "several"}, "extra_months"),
    ],
)
def test_an_activity_needs_what_its_timing_needs(world, fields, field):
    with pytest.raises(ValidationError) as error:
        services.add_activity(
            actor=None,
            organisation=world.org,
            title="Vernerunde",
            category=Category.SAFETY_ROUND,
            **fields,
        )
    assert field in error.value.message_dict
    assert not TemplateItem.objects.filter(organisation=world.org).exists()


def test_an_activity_joins_the_plan_in_force(world):
    plan = services.adopt_plan(actor=None, organisation=world.org, year=timezone.localdate().year)
    activity = services.add_activity(
        actor=world.hms,
        organisation=world.org,
        title="Risikovurdering kjøkken",
        category=Category.RISK_ASSESSMENT,
        timing=Timing.QUARTER,
        period_number=2,
        owner=world.leader.person,
        unit=world.nursing_home,
    )
    item = plan.items.get(template_item=activity)
    assert item.months() == (4, 5, 6)
    assert item.owner == world.leader.person


def test_another_organisations_owner_is_refused(world):
    from trygg.org.models import Person

    stranger = Person.objects.get(organisation=world.other_org)
    with pytest.raises(ValidationError) as error:
        services.add_activity(
            actor=None,
            organisation=world.org,
            title="X",
            category=Category.OTHER,
            month=3,
            owner=stranger,
        )
    assert "owner" in error.value.message_dict


def test_a_biennial_item_is_in_every_second_years_plan(world):
    services.add_suggested_activity(
        actor=None, organisation=world.org, key="internrevisjon", first_year=2026
    )
    services.load_default_template(actor=None, organisation=world.org)
    titles = {
        year: set(
            services.adopt_plan(actor=None, organisation=world.org, year=year).items.values_list(
                "title", flat=True
            )
        )
        for year in (2026, 2027, 2028)
    }
    assert "Internrevisjon" in titles[2026]
    assert "Internrevisjon" not in titles[2027]
    assert "Internrevisjon" in titles[2028]


def test_an_academic_year_runs_august_to_july(world):
    services.set_year_kind(actor=world.hms, organisation=world.org, year_kind=YearKind.ACADEMIC)
    plan = services.adopt_plan(actor=None, organisation=world.org, year=2026)
    assert plan.label == "2026/27"
    assert plan.month_order()[:2] == [8, 9]
    # January 2027 belongs to the 2026/27 plan.
    cases = queries.standing_cases(committee=world.amu, year=2027, month=1)
    assert "Konstituering AMU" in [c.title for c in cases]
    assert cases[0].plan == plan
    item = plan.items.get(template_item__key="amu-marapr-status-ros")
    assert item.due_date() == dt.date(2027, 4, 30)


def test_the_demo_step_adopts_the_full_wheel_with_activities(world):
    from trygg.annual_plan.demo import demo_step

    demo_step(world.org, 2026)
    plan = Plan.objects.get(organisation=world.org, year=2026)
    assert plan.items.filter(category=Category.COMMITTEE_CASE).count() == 41
    assert plan.items.exclude(category=Category.COMMITTEE_CASE).count() == 9
    assert PlanItem.objects.filter(plan=plan, owner__isnull=False).exists()


def test_an_unknown_kind_of_live_data_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.add_activity(
            actor=None,
            organisation=world.org,
            title="X",
            category=Category.OTHER,
            month=3,
            figure_kind="weather",
        )
    assert "figure_kind" in error.value.message_dict
