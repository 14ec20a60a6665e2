"""Statistics, exports, hours worked and what the registries give the rest of Trygg."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from trygg.deviations import queries, registry, services
from trygg.deviations.models import Deviation
from trygg.deviations.tests.factories import make_deviation
from trygg.lib import controls, figures, indicators
from trygg.lib.dates import today
from trygg.lib.figures import FigureRequest
from trygg.org.principal import ALL

pytestmark = pytest.mark.django_db


def _at(year: int, month: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, 10, 12, 0))


@pytest.fixture
def cases(world):
    year = today().year - 1
    a = make_deviation(
        world, occurred_at=_at(year, 2), category="injury", reported_on=dt.date(year, 2, 10)
    )
    services.update_injury(actor=world.leader, injury=a.injury, absence=True, absence_days=2)
    b = make_deviation(
        world,
        occurred_at=_at(year, 6),
        category="violence",
        severity="high",
        reported_on=dt.date(year, 6, 10),
    )
    make_deviation(
        world, occurred_at=_at(year, 10), unit=world.kindergarten, reported_on=dt.date(year, 10, 10)
    )
    services.close_deviation(
        actor=world.leader,
        deviation=a,
        evaluation="ok",
        measures_effective="yes",
        closed_on=dt.date(year, 2, 12),
    )
    services.close_deviation(
        actor=world.leader,
        deviation=b,
        evaluation="ok",
        measures_effective="yes",
        closed_on=dt.date(year, 8, 1),
    )
    services.record_work_hours(
        actor=world.hms, organisation=world.org, unit=world.health, year=year, hours=500_000
    )
    return year


def test_it_counts_per_month_tertial_unit_and_closed_in_time(world, cases):
    stats = queries.statistics(world.org.pk, (ALL,), cases)
    assert stats.total == 3
    assert stats.category_month["injury"] == {2: 1}
    assert stats.by_tertial(stats.by_month) == {1: 1, 2: 1, 3: 1}
    units = {u.name: counts for u, counts, _total in stats.unit_tertial}
    assert units["Lia barnehage"] == {1: 0, 2: 0, 3: 1}
    assert stats.closed_in_time == {1: (1, 1), 2: (0, 1), 3: (0, 1)}
    assert str(stats.share_in_time()) == "33.3"
    assert stats.h_value == 2  # 1 injury with absence per 500,000 hours


def test_the_scope_limits_the_statistics(world, cases):
    stats = queries.statistics(world.org.pk, (world.kindergarten.path,), cases)
    assert stats.total == 1 and stats.hours == 0 and stats.h_value is None


def test_the_statistics_page_and_its_query_count(
    client, world, cases, django_assert_max_num_queries
):
    client.force_login(world.hms)
    url = reverse("deviations:statistics") + f"?ar={cases}"
    response = client.get(url)
    assert response.status_code == 200 and "<svg" in response.content.decode()
    with django_assert_max_num_queries(20):
        client.get(url)
    client.force_login(world.employee)
    assert client.get(url).status_code == 404
    client.force_login(world.amu_member)
    assert client.get(url).status_code == 200


def test_csv_and_xlsx_exports_leave_out_the_reporter(client, world, cases):
    from openpyxl import load_workbook

    make_deviation(
        world, occurred_at=_at(cases, 3), title="=HYPERLINK(1)", reported_on=dt.date(cases, 3, 10)
    )
    client.force_login(world.hms)
    csv = client.get(reverse("deviations:export", args=["csv"]) + f"?ar={cases}")
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv")
    assert "AV-1" in text and "employee" not in text and "Eva" not in text
    assert "'=HYPERLINK" in text
    xlsx = client.get(reverse("deviations:export", args=["xlsx"]) + f"?ar={cases}")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 5
    assert client.get(reverse("deviations:export", args=["pdf"])).status_code == 404


def test_hours_and_settings_are_for_the_hms_coordinator(client, world):
    client.force_login(world.leader)
    assert client.get(reverse("deviations:settings")).status_code == 403
    client.force_login(world.hms)
    response = client.post(
        reverse("deviations:work_hours"), {"unit": world.health.pk, "year": 2025, "hours": 1000}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("deviations:settings"),
        {
            "deadline_critical_days": 9,
            "deadline_high_days": 5,
            "deadline_medium_days": 14,
            "deadline_low_days": 30,
        },
    )
    assert response.status_code == 400  # critical later than high
    response = client.post(
        reverse("deviations:settings"),
        {
            "deadline_critical_days": 1,
            "deadline_high_days": 3,
            "deadline_medium_days": 10,
            "deadline_low_days": 20,
            "public_reporting": "on",
        },
    )
    assert response.status_code == 302
    assert services.settings_for(world.org.pk).deadline_high_days == 3


def test_the_registries(world, cases):
    request = FigureRequest(
        world.org.pk, (world.health.path,), dt.date(cases, 1, 1), dt.date(cases, 12, 31)
    )
    figure = figures.figure_for("deviations", request)
    rows = dict(figure.rows)
    assert rows["Total"] == "2" and "<svg" in figure.svg
    injuries = dict(figures.figure_for("injuries", request).rows)
    assert injuries["Injuries"] == "1" and injuries["H-value for the year"] == "2.0"
    value = indicators.get("deviations.closed_in_time").compute(
        world.org.pk, (world.health.path,), dt.date(cases, 1, 1), dt.date(cases, 12, 31)
    )
    assert value == 50
    records = controls.records_for(7, world.org.pk, "")
    assert records and records[0].url == reverse("deviations:statistics")
    assert not records[0].ok  # one case is overdue
    assert (
        registry.closed_in_time_indicator(
            world.other_org.pk, (), dt.date(cases, 1, 1), dt.date(cases, 12, 31)
        )
        is None
    )


def test_only_the_deviations_own_organisation_counts(world, cases):
    stats = queries.statistics(world.other_org.pk, (ALL,), cases)
    assert stats.total == 0
    assert Deviation.objects.filter(organisation=world.other_org).count() == 0
