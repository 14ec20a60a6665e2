"""Head counts, thresholds (rules.md §4.5) and constant query counts on the list pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trygg.org import queries, services
from trygg.org.models import SafetyRepresentative, Unit
from trygg.org.tests import factories as f


def test_it_counts_people_in_each_subtree(world):
    nodes = {
        n.unit.pk: n
        for n in queries.build_nodes(
            world.org.pk, list(Unit.objects.filter(organisation=world.org))
        )
    }
    assert nodes[world.ward.pk].headcount == 1  # employee
    assert nodes[world.nursing_home.pk].direct_headcount == 2  # leader, safety rep
    assert nodes[world.nursing_home.pk].headcount == 3
    assert nodes[world.health.pk].headcount == 4  # + the AMU member
    assert nodes[world.top.pk].headcount == 9  # every employee; the BHT adviser has no employment


def _org_with(count: int, percent: str = "100", start: dt.date = dt.date(2020, 1, 1)):
    org = f.make_organisation("Teller AS")
    top = f.make_unit(org, "Teller AS", kind=Unit.Kind.TOP)
    for i in range(count):
        f.make_person(org, "Ola", f"Nr{i}", unit=top, percent=percent, start_date=start)
    return org, top


@time_machine.travel(dt.date(2026, 3, 1))
@pytest.mark.parametrize(("employees", "required"), [(4, False), (5, True)])
def test_it_requires_a_safety_representative_from_five_employees(db, employees, required):
    org, _top = _org_with(employees)
    result = queries.thresholds(org.pk)
    assert result.employees_now == employees
    assert result.verneombud_required is required
    assert result.has_verneombud is False


@time_machine.travel(dt.date(2026, 3, 1))
def test_it_makes_amu_mandatory_from_30_on_average(db):
    org, top = _org_with(29)
    # One more person employed from 1 July 2025 at 15 June... counts in 6 of 12 samples: 29.5.
    f.make_person(org, "Halv", "År", unit=top, start_date=dt.date(2025, 7, 1))
    result = queries.thresholds(org.pk)
    assert result.average_last_year == Decimal("29.5")
    assert result.amu_required is False
    assert result.amu_on_demand is True
    f.make_person(org, "Hel", "År", unit=top, start_date=dt.date(2024, 1, 1))
    f.make_person(org, "Hel", "To", unit=top, start_date=dt.date(2024, 1, 1))
    assert queries.thresholds(org.pk).average_last_year == Decimal("31.5")
    assert queries.thresholds(org.pk).amu_required is True


@time_machine.travel(dt.date(2026, 3, 1))
def test_it_counts_only_those_working_20_hours_a_week_for_amu(db):
    org, _top = _org_with(30, percent="50")  # 18.75 hours a week: does not count
    result = queries.thresholds(org.pk)
    assert result.employees_now == 30
    assert result.average_last_year == Decimal("0.0")
    assert result.amu_required is False


@time_machine.travel(dt.date(2026, 3, 1))
def test_it_sees_the_main_safety_representative(world):
    services.appoint_safety_representative(
        actor=None,
        person=world.hms.person,
        role=SafetyRepresentative.Role.MAIN,
        start_date=dt.date(2025, 1, 1),
    )
    result = queries.thresholds(world.org.pk)
    assert result.verneombud_count == 2
    assert result.has_main_verneombud is True


def _grow(world, units: int, people_per_unit: int) -> None:
    for u in range(units):
        unit = f.make_unit(world.org, f"Ekstra {u}", parent=world.health)
        child = f.make_unit(world.org, f"Avdeling {u}", parent=unit)
        f.make_person(world.org, "Leder", f"L{u}", unit=unit, is_leader=True)
        for p in range(people_per_unit):
            f.make_person(world.org, "Per", f"P{u}-{p}", unit=child)


def _count(client, url: str) -> int:
    cache.clear()  # measure the cold page, with every cached figure computed again
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "page",
    [
        ("org:unit_list", None),
        ("org:person_list", None),
        ("org:overview", None),
        ("org:committee_list", None),
        ("org:safety_area_list", None),
        ("org:unit_detail", "health"),
        ("core:audit_log", None),
    ],
)
def test_it_keeps_query_counts_constant_as_the_organisation_grows(client, world, page):
    name, arg = page
    url = reverse(name, args=[getattr(world, arg).pk] if arg else [])
    client.force_login(world.admin)
    client.get(url)  # warm up per-process caches
    before = _count(client, url)
    _grow(world, units=6, people_per_unit=4)
    after = _count(client, url)
    assert after == before, f"{name}: {before} queries before, {after} after growing"


def test_it_summarises_the_overview_of_a_large_organisation(client, world, monkeypatch):
    from trygg.org import views

    monkeypatch.setattr(views, "CHART_LIMIT", 3)
    f.make_safety_area(world.org, [world.kindergarten], "Lia uten verneombud")
    client.force_login(world.hms)
    page = client.get(reverse("org:overview"), headers={"Accept-Language": "en"}).content.decode()
    assert "top of the chart is shown" in page
    assert "Avdeling A" not in page  # depth 3 is left for the unit pages
    assert "1 has no safety representative" in page
    assert "Lia uten verneombud" in page
    pdf_context = client.get(reverse("org:overview_pdf"))
    assert pdf_context["Content-Type"] == "application/pdf"


def test_it_shows_the_whole_chart_when_it_fits(client, world):
    client.force_login(world.hms)
    page = client.get(reverse("org:overview"), headers={"Accept-Language": "en"}).content.decode()
    assert "Avdeling A" in page
    assert "top of the chart is shown" not in page


def test_it_recounts_cached_totals_after_a_change(client, world):
    client.force_login(world.admin)
    first = client.get(reverse("org:person_list")).context["page"].paginator.count
    f.make_person(world.org, "Ny", "Person", unit=world.ward)
    assert client.get(reverse("org:person_list")).context["page"].paginator.count == first + 1


def test_it_recounts_positions_after_a_change(world):
    before = queries.tree_figures(world.org.pk).counts[world.top.pk]
    f.make_person(world.org, "Ny", "Person", unit=world.ward)
    assert queries.tree_figures(world.org.pk).counts[world.top.pk] == (before[0], before[1] + 1)


def test_it_writes_the_whole_overview_as_a_pdf(client, world):
    import io

    from pypdf import PdfReader

    client.force_login(world.employee)
    response = client.get(reverse("org:overview_pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in [
        "Testkommune",
        "Solbakken sykehjem",
        "Avdeling A",
        "Lars Leder",
        "AMU Helse og omsorg",
    ]:
        assert expected in text


def test_it_shows_a_change_on_cached_pages_at_once(client, world):
    client.force_login(world.admin)
    assert "Ansatt, Eva" in client.get(reverse("org:person_list")).content.decode()
    assert "Solbakken sykehjem" in client.get(reverse("org:overview")).content.decode()
    services.update_person(actor=world.hr, person=world.employee.person, last_name="Endret")
    services.update_unit(
        actor=world.admin,
        unit=world.nursing_home,
        name="Solbakken bo- og omsorgssenter",
        kind=Unit.Kind.UNIT,
        code="2100",
        parent=world.health,
    )
    people = client.get(reverse("org:person_list")).content.decode()
    assert "Endret, Eva" in people and "Ansatt, Eva" not in people
    assert "Solbakken bo- og omsorgssenter" in client.get(reverse("org:overview")).content.decode()


def test_it_keeps_each_users_people_table_to_their_own_scope(client, world):
    client.force_login(world.admin)
    assert "Kollega, Kåre" in client.get(reverse("org:person_list")).content.decode()
    client.force_login(world.leader)
    assert "Kollega, Kåre" not in client.get(reverse("org:person_list")).content.decode()
