"""The årshjul's pages, role by role: everyone in the organisation reads, the HMS coordinator
edits the template, owners and the committee level's secretaries mark items done; outsiders
get 404 and read-only users 403."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from trygg.annual_plan import services
from trygg.annual_plan.models import Category, PlanItem, TemplateItem, Timing
from trygg.audit.models import AuditEntry

MEMBERS = [
    "admin",
    "hms",
    "hr",
    "bht",
    "leader",
    "safety_rep",
    "employee",
    "secretary",
    "amu_member",
    "colleague",
]
YEAR = 2026


@pytest.fixture
def plan(world):
    return services.adopt_plan(actor=None, organisation=world.org, year=YEAR)


def _amu_item(plan) -> PlanItem:
    return plan.items.get(template_item__key="amu-jan-hms-opplaering")


@pytest.mark.parametrize("persona", MEMBERS)
@pytest.mark.parametrize("name", ["annual_plan:wheel", "annual_plan:list"])
def test_it_shows_the_plan_to_everyone_in_the_organisation(client, world, plan, persona, name):
    client.force_login(getattr(world, persona))
    response = client.get(reverse(name), {"year": YEAR})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Konstituering AMU" in body
    assert "Møteplan neste år" in body


@pytest.mark.parametrize("persona", MEMBERS)
def test_it_shows_an_item_to_everyone_in_the_organisation(client, world, plan, persona):
    client.force_login(getattr(world, persona))
    response = client.get(_amu_item(plan).get_absolute_url())
    assert response.status_code == 200
    assert (
        "Arbeidsgiver fremlegger oversikt over gjennomført HMS-opplæring"
        in response.content.decode()
    )


@pytest.mark.parametrize("name", ["annual_plan:wheel", "annual_plan:list", "annual_plan:template"])
def test_another_organisation_sees_only_its_own_plan(client, world, plan, name):
    client.force_login(world.outsider)
    response = client.get(reverse(name), {"year": YEAR})
    assert response.status_code == 200
    assert "Konstituering AMU" not in response.content.decode()


def test_a_user_without_an_organisation_gets_404(client, world, plan):
    from trygg.org.tests import factories as f

    client.force_login(f.make_user(None, "loose"))
    assert client.get(reverse("annual_plan:wheel")).status_code == 404
    assert client.get(_amu_item(plan).get_absolute_url()).status_code == 404


def test_it_hides_an_item_from_another_organisation(client, world, plan):
    client.force_login(world.outsider)
    item = _amu_item(plan)
    assert client.get(item.get_absolute_url()).status_code == 404
    assert client.post(item.get_absolute_url(), {"done_on": "10.01.2026"}).status_code == 404
    template_item = item.template_item
    assert (
        client.get(reverse("annual_plan:template_edit", args=[template_item.pk])).status_code == 404
    )


def test_it_sends_anonymous_visitors_to_the_login(client, plan):
    response = client.get(reverse("annual_plan:wheel"))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_the_wheel_is_an_accessible_svg_with_links(client, world, plan):
    client.force_login(world.employee)
    response = client.get(reverse("annual_plan:wheel"), {"year": YEAR})
    body = response.content.decode()
    assert body.count('class="annual-sector') == 12
    assert 'aria-labelledby="wheel-title wheel-desc"' in body
    assert '<title id="wheel-title">' in body
    item = _amu_item(plan)
    assert f'href="{item.get_absolute_url()}"' in body
    # Each AMU and HAMU case is a dot; the March/April cases are one in each month.
    dots = body.count('class="annual-dot ')
    expected = sum(len(i.months()) for i in plan.items.all())
    assert dots == expected


def test_the_wheel_marks_today_only_in_the_current_year(client, world, plan):
    from trygg.lib.dates import today

    client.force_login(world.employee)
    services.adopt_plan(actor=None, organisation=world.org, year=today().year)
    current = client.get(reverse("annual_plan:wheel")).content.decode()
    other = client.get(reverse("annual_plan:wheel"), {"year": today().year + 1}).content.decode()
    assert 'class="annual-today"' in current
    assert 'class="annual-today"' not in other
    assert "No annual plan has been adopted" in other


@pytest.mark.parametrize("persona", ["hms", "admin"])
def test_the_hms_coordinator_edits_the_template(client, world, plan, persona):
    client.force_login(getattr(world, persona))
    item = TemplateItem.objects.get(organisation=world.org, key="amu-jan-hms-opplaering")
    url = reverse("annual_plan:template_edit", args=[item.pk])
    assert client.get(url).status_code == 200
    data = {
        "title": "Status HMS-opplæring (40 timer)",
        "category": Category.COMMITTEE_CASE,
        "committee_kind": "amu",
        "case_type": "orientering",
        "timing": Timing.MONTH,
        "month": "2",
        "recurrence": "yearly",
        "figure_kind": "training",
        "figure_period": "last_year",
        "guidance": item.guidance,
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Status HMS-opplæring (40 timer)"
    assert item.month == 2
    entry = AuditEntry.objects.filter(
        object_type="annual_plan.templateitem", object_id=str(item.pk)
    ).first()
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes["before"]["month"] == 1
    assert entry.changes["after"]["month"] == 2


@pytest.mark.parametrize(
    "persona",
    ["hr", "bht", "leader", "safety_rep", "employee", "secretary", "amu_member", "colleague"],
)
def test_others_may_not_edit_the_template(client, world, plan, persona):
    client.force_login(getattr(world, persona))
    item = TemplateItem.objects.get(organisation=world.org, key="amu-jan-hms-opplaering")
    assert client.get(reverse("annual_plan:template")).status_code == 200
    assert client.get(reverse("annual_plan:template_edit", args=[item.pk])).status_code == 403
    assert (
        client.post(
            reverse("annual_plan:template_edit", args=[item.pk]), {"title": "x"}
        ).status_code
        == 403
    )
    assert client.get(reverse("annual_plan:template_create")).status_code == 403
    assert client.post(reverse("annual_plan:template"), {"year": "2027"}).status_code == 403
    assert (
        client.post(reverse("annual_plan:template_suggestion"), {"key": "vernerunder"}).status_code
        == 403
    )
    assert client.post(reverse("annual_plan:template_load")).status_code == 403
    assert (
        client.post(reverse("annual_plan:settings"), {"year_kind": "academic"}).status_code == 403
    )


def test_an_invalid_item_is_explained_and_nothing_is_saved(client, world, plan):
    client.force_login(world.hms)
    before = TemplateItem.objects.count()
    response = client.post(
        reverse("annual_plan:template_create") + "?kind=activity",
        {
            "title": "Vernerunde",
            "category": "safety_round",
            "timing": "deadline",
            "month": "2",
            "recurrence": "yearly",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Give the day of the deadline." in response.content.decode()
    assert TemplateItem.objects.count() == before


def test_the_coordinator_adds_an_activity_with_owner_and_unit(client, world, plan):
    client.force_login(world.hms)
    response = client.post(
        reverse("annual_plan:template_create") + "?kind=activity",
        {
            "title": "Vernerunde <b>Solbakken</b>",
            "category": "safety_round",
            "timing": "deadline",
            "month": "3",
            "deadline_day": "1",
            "recurrence": "yearly",
            "owner": world.leader.person.pk,
            "unit": world.nursing_home.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    item = TemplateItem.objects.get(organisation=world.org, category="safety_round")
    assert (item.owner, item.unit) == (world.leader.person, world.nursing_home)
    # The activity joins this year's plan at once (the plan fixture is for 2026).
    listed = client.get(reverse("annual_plan:list"), {"year": YEAR}).content.decode()
    assert "Vernerunde &lt;b&gt;Solbakken&lt;/b&gt;" in listed
    assert "<b>Solbakken</b>" not in listed


def test_the_coordinator_adopts_a_new_version(client, world, plan):
    client.force_login(world.hms)
    response = client.post(reverse("annual_plan:template"), {"year": str(YEAR), "note": "Revidert"})
    assert response.status_code == 302
    assert world.org.annual_plans.filter(year=YEAR).count() == 2


def test_the_coordinator_adds_a_suggested_activity(client, world, plan):
    client.force_login(world.hms)
    response = client.post(reverse("annual_plan:template_suggestion"), {"key": "internrevisjon"})
    assert response.status_code == 302
    assert TemplateItem.objects.filter(organisation=world.org, category="internal_audit").exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("hms", 302), ("secretary", 302), ("amu_member", 403), ("employee", 403), ("leader", 403)],
)
def test_who_marks_a_committee_case_done(client, world, plan, persona, status):
    client.force_login(getattr(world, persona))
    item = _amu_item(plan)
    response = client.post(item.get_absolute_url(), {"done_on": "20.01.2026", "note": "Behandlet"})
    assert response.status_code == status
    item.refresh_from_db()
    assert (item.done_on == dt.date(2026, 1, 20)) is (status == 302)


def test_the_owner_marks_an_activity_done_and_undoes_it(client, world, plan):
    activity = services.add_suggested_activity(
        actor=None,
        organisation=world.org,
        key="vernerunder",
        owner=world.leader.person,
        unit=world.nursing_home,
    )
    item = plan.items.get(template_item=activity)
    client.force_login(world.leader)
    assert client.post(item.get_absolute_url(), {"done_on": "01.02.2026"}).status_code == 302
    item.refresh_from_db()
    assert item.done_on == dt.date(2026, 2, 1)
    assert item.done_by == world.leader.person
    assert client.post(reverse("annual_plan:item_undo", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.done_on is None
    client.force_login(world.employee)
    assert client.post(reverse("annual_plan:item_undo", args=[item.pk])).status_code == 403


def test_a_done_date_in_the_wrong_format_is_refused(client, world, plan):
    client.force_login(world.hms)
    item = _amu_item(plan)
    response = client.post(item.get_absolute_url(), {"done_on": "2026/31/01"})
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.done_on is None


def test_it_filters_by_committee_and_unit(client, world, plan):
    services.add_suggested_activity(
        actor=None,
        organisation=world.org,
        key="vernerunder",
        owner=world.colleague.person,
        unit=world.kindergarten,
    )
    client.force_login(world.employee)
    by_committee = client.get(
        reverse("annual_plan:list"), {"year": YEAR, "committee": world.amu.pk}
    ).content.decode()
    assert "Konstituering AMU" in by_committee
    assert "Konstituering HAMU" not in by_committee
    assert "Vernerunder" not in by_committee
    by_unit = client.get(
        reverse("annual_plan:list"), {"year": YEAR, "unit": world.nursing_home.pk}
    ).content.decode()
    assert "Vernerunder" not in by_unit  # the kindergarten's activity
    assert "Konstituering HAMU" in by_unit  # whole-organisation items stay
    by_other_unit = client.get(
        reverse("annual_plan:list"), {"year": YEAR, "unit": world.kindergarten.pk}
    ).content.decode()
    assert "Vernerunder" in by_other_unit


def _grow(world, plan, n: int) -> None:
    for i in range(n):
        services.add_plan_item(
            actor=None,
            plan=plan,
            title=f"Ekstra sak {i}",
            committee_kind="amu",
            timing=Timing.MONTH,
            month=i % 12 + 1,
            owner=world.leader.person,
            unit=world.nursing_home,
        )


@pytest.mark.parametrize("name", ["annual_plan:wheel", "annual_plan:list"])
def test_the_wheel_and_list_keep_a_constant_number_of_queries(client, world, plan, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.employee)
    url = reverse(name)
    client.get(url, {"year": YEAR})  # warm the principal cache
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"year": YEAR})
    _grow(world, plan, 40)
    services.adopt_plan(actor=None, organisation=world.org, year=YEAR - 1)
    client.get(url, {"year": YEAR})
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"year": YEAR})
    assert "Ekstra sak 39" in response.content.decode()
    assert len(many) == len(few)


def test_an_item_page_keeps_a_constant_number_of_queries(client, world, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.employee)
    item = _amu_item(plan)
    client.get(item.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(item.get_absolute_url())
    for year in (2022, 2023, 2024, 2025):
        services.adopt_plan(actor=None, organisation=world.org, year=year)
    client.get(item.get_absolute_url())
    with CaptureQueriesContext(connection) as many:
        response = client.get(item.get_absolute_url())
    assert "2022" in response.content.decode()
    assert len(many) == len(few)


def test_the_template_page_keeps_a_constant_number_of_queries(client, world, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.hms)
    url = reverse("annual_plan:template")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(25):
        services.add_activity(
            actor=None,
            organisation=world.org,
            title=f"Aktivitet {i}",
            category=Category.OTHER,
            month=i % 12 + 1,
            owner=world.leader.person,
            unit=world.nursing_home,
            add_to_plans=False,
        )
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "Aktivitet 24" in response.content.decode()
    assert len(many) == len(few)


def test_the_year_kind_setting_is_saved_and_audited(client, world, plan):
    client.force_login(world.hms)
    response = client.post(reverse("annual_plan:settings"), {"year_kind": "academic"})
    assert response.status_code == 302
    from trygg.annual_plan.models import PlanSettings

    assert PlanSettings.objects.get(organisation=world.org).year_kind == "academic"
    assert AuditEntry.objects.filter(object_type="annual_plan.plansettings").exists()
    client.post(reverse("annual_plan:settings"), {"year_kind": "lunar"})
    assert PlanSettings.objects.get(organisation=world.org).year_kind == "academic"
