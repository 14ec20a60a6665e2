"""What risk gives the årshjul, HMS goals, internal control, "Mine oppgaver" and reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from trygg.lib import controls, figures, indicators, mytasks, navigation
from trygg.lib.figures import FigureRequest
from trygg.notifications.reminders import due_reminders
from trygg.risk import queries, services
from trygg.risk.tests.factories import make_assessment, make_completed

TODAY = dt.date(2026, 4, 15)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def test_unit_status_is_current_due_or_missing(world):
    make_completed(world.ward, "Avdelingens ROS", review_due=dt.date(2027, 1, 1))  # under the home
    make_completed(world.kindergarten, "Barnehagen", review_due=dt.date(2026, 4, 1))  # overdue
    statuses = {s.unit.name: s.status for s in queries.unit_statuses(world.org.pk, ())}
    assert statuses == {"Solbakken sykehjem": "current", "Lia barnehage": "due"}
    make_assessment(world.nursing_home, "Utkast")  # a draft does not count
    assert queries.current_share(world.org.pk, (), TODAY) == (1, 2)


def test_the_figure_for_the_annual_cycle(world):
    make_completed(world.nursing_home, scores=((5, 5), (1, 2)))
    request = FigureRequest(
        organisation_id=world.org.pk,
        unit_paths=(world.top.path,),
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
    )
    figure = figures.figure_for("risk_assessments", request)
    rows = dict(figure.rows)
    assert rows["Units with a current risk assessment"] == "1 / 2"
    assert rows["Units without a risk assessment"] == "1"
    assert rows["Assessments completed in the period"] == "1"
    assert rows["High risks in current assessments"] == "1"
    assert "Lia barnehage" in figure.note
    assert figure.svg.startswith("<svg") and figure.url == "/risiko/"
    # A committee for the health area sees only its units.
    health = FigureRequest(
        world.org.pk, (world.health.path,), dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    )
    assert (
        dict(figures.figure_for("risk_assessments", health).rows)[
            "Units with a current risk assessment"
        ]
        == "1 / 1"
    )


def test_the_live_indicator_for_hms_goals(world):
    indicator = indicators.get("risk.current_share")
    assert indicator is not None and indicator.unit == "%" and not indicator.lower_is_better
    assert indicator.compute(world.org.pk, (), TODAY, TODAY) == Decimal("0.0")
    make_completed(world.nursing_home)
    assert indicator.compute(world.org.pk, (), TODAY, TODAY) == Decimal("50.0")
    assert indicator.compute(world.other_org.pk, (), TODAY, TODAY) is None


def test_internal_control_point_6_records(world):
    assert controls.records_for(6, world.org.pk, world.nursing_home.path) == []
    assessment = make_completed(world.nursing_home, "ROS Solbakken")
    records = controls.records_for(6, world.org.pk, world.nursing_home.path)
    assert records[0].ok and "1 of 1" in records[0].title
    assert records[1].url == assessment.get_absolute_url()
    whole = controls.records_for(6, world.org.pk, "")
    assert not whole[0].ok  # the kindergarten has none


def test_reviews_and_drafts_land_in_my_tasks(world):
    due = make_completed(world.nursing_home, "Snart revisjon", review_due=dt.date(2026, 5, 1))
    make_completed(world.nursing_home, "Langt fram", review_due=dt.date(2027, 5, 1))
    titles = [t.title for t in mytasks.tasks_for(world.leader)]
    assert any("Snart revisjon" in t for t in titles)
    assert not any("Langt fram" in t for t in titles)
    assert not any("Snart revisjon" in t for t in mytasks.tasks_for(world.employee))
    assert not any("Snart revisjon" in t for t in mytasks.tasks_for(world.colleague))
    assert due.review_due > TODAY


def test_review_reminders_go_to_the_units_leader_once_per_occasion(world):
    assessment = make_completed(world.nursing_home, review_due=dt.date(2026, 5, 1))
    make_completed(world.kindergarten, review_due=dt.date(2027, 5, 1))
    mine = [r for r in due_reminders(TODAY) if r.key.startswith("risk-review:")]
    assert [(r.user, r.key) for r in mine] == [
        (world.leader, f"risk-review:{assessment.pk}:2026-05-01:notice")
    ]
    later = [r for r in due_reminders(dt.date(2026, 5, 2)) if r.key.startswith("risk-review:")]
    assert [r.key for r in later] == [f"risk-review:{assessment.pk}:2026-05-01:overdue"]
    services.reassess(
        actor=None, assessment=assessment, assessed_on=TODAY, review_due=dt.date(2027, 4, 1)
    )
    # A draft re-assessment does not stop the reminder: the current version is still overdue.
    assert [r for r in due_reminders(dt.date(2026, 5, 2)) if r.key.startswith("risk-review:")]


def test_the_menu_entry(world):
    entries = {e.url_name: e for e in navigation.entries_for(world.employee)}
    assert entries["risk:overview"].position == 40
    from django.contrib.auth.models import AnonymousUser

    assert "risk:overview" not in {e.url_name for e in navigation.entries_for(AnonymousUser())}
