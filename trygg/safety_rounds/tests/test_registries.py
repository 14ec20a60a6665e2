"""What the module gives the rest of Trygg: "Mine oppgaver", reminders, the årshjul figure,
the internal-control records, the menu and the demo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import override

from trygg.lib import controls, figures, mytasks, navigation
from trygg.lib.figures import FigureRequest
from trygg.safety_rounds import services
from trygg.safety_rounds.demo import demo_step
from trygg.safety_rounds.models import ChecklistTemplate, SafetyRound
from trygg.safety_rounds.mytasks import round_reminders
from trygg.safety_rounds.tests.factories import YEAR, answer_all, make_checklist, make_round

pytestmark = pytest.mark.django_db


def _close(round_, world):  # type: ignore[no-untyped-def]
    answer_all(round_, deviations=("q1",))
    services.sign_round(actor=None, round_=round_, person=world.leader.person)
    services.sign_round(actor=None, round_=round_, person=world.safety_rep.person)


def test_participants_have_the_round_in_their_tasks_until_they_sign(world):
    round_ = make_round(world)
    titles = [t.title for t in mytasks.tasks_for(world.safety_rep)]
    assert round_.title in titles
    assert round_.title not in [t.title for t in mytasks.tasks_for(world.employee)]
    answer_all(round_)
    services.sign_round(actor=None, round_=round_, person=world.safety_rep.person)
    assert round_.title not in [t.title for t in mytasks.tasks_for(world.safety_rep)]
    assert round_.title in [t.title for t in mytasks.tasks_for(world.leader)]


def test_reminders_come_before_and_after_the_deadline_once_each(world):
    round_ = make_round(world)  # deadline 1 March
    assert list(round_reminders(dt.date(YEAR, 2, 1))) == []
    before = list(round_reminders(dt.date(YEAR, 2, 20)))
    assert {r.user for r in before} == {world.leader, world.safety_rep}
    assert {r.key for r in before} == {f"safety-round:{round_.pk}:soon:{YEAR}-03-01"}
    after = list(round_reminders(dt.date(YEAR, 3, 5)))
    assert {r.key for r in after} == {f"safety-round:{round_.pk}:overdue:{YEAR}-03-01"}
    _close(round_, world)
    assert list(round_reminders(dt.date(YEAR, 3, 5))) == []


@override("en")
def test_the_annual_plan_figure_shows_live_status(world):
    done = make_round(world)
    make_round(world, world.kindergarten)
    _close(done, world)
    request = FigureRequest(
        organisation_id=world.org.pk,
        unit_paths=(),
        start=dt.date(YEAR, 1, 1),
        end=dt.date(YEAR, 12, 31),
    )
    figure = figures.figure_for("safety_rounds", request)
    rows = dict(figure.rows)
    assert rows[f"Safety rounds {YEAR}"] == "2"
    assert (rows["Done"], rows["Findings"], rows["Open findings"]) == ("1", "1", "1")
    assert "01.03." in figure.title and figure.svg.startswith("<svg")
    health_only = FigureRequest(
        organisation_id=world.org.pk,
        unit_paths=(world.health.path,),
        start=dt.date(YEAR, 1, 1),
        end=dt.date(YEAR, 12, 31),
    )
    assert (
        dict(figures.figure_for("safety_rounds", health_only).rows)[f"Safety rounds {YEAR}"] == "1"
    )


@override("en")
def test_internal_control_records_for_points_6_and_8(world):
    this_year = timezone.localdate().year
    make_round(world, year=this_year)
    records = controls.records_for(6, world.org.pk)
    assert any("Safety rounds" in r.title for r in records)
    template = make_checklist(world.org, "internrevisjon-ik")
    services.create_audit(
        actor=None,
        organisation=world.org,
        unit=world.top,
        template=template,
        title="Internrevisjon",
        scope="Alt",
        deadline=dt.date(this_year, 12, 31),
        lead_auditor=world.hms.person,
    )
    assert [r.title for r in controls.records_for(8, world.org.pk)] == ["Internrevisjon"]


def test_the_menu_entry_is_for_those_who_read_rounds(world):
    def urls(user):  # type: ignore[no-untyped-def]
        return [e.url_name for e in navigation.entries_for(user)]

    assert "safety_rounds:index" in urls(world.hms)
    assert "safety_rounds:index" in urls(world.safety_rep)
    assert "safety_rounds:index" not in urls(world.employee)


def test_the_demo_step_plans_and_completes_rounds(world):
    demo_step(world.org, YEAR)
    assert ChecklistTemplate.objects.filter(organisation=world.org).count() == 7
    rounds = SafetyRound.objects.filter(organisation=world.org, kind="safety_round")
    # The world's two units (enheter): the nursing home is half done, as in the demo.
    assert {(r.unit, r.deadline) for r in rounds} == {
        (world.nursing_home, dt.date(YEAR, 3, 1)),
        (world.kindergarten, dt.date(YEAR, 3, 1)),
    }
    started = rounds.get(unit=world.nursing_home)
    assert started.status == SafetyRound.Status.IN_PROGRESS
    assert started.template_version.template.key == "sykehjem"
    assert started.answers.count() == 15
