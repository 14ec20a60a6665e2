"""Handling a case to closed: root cause, a measure in the owner's "Mine oppgaver", closing
evaluation, the reporter told; reassignment, classification, comments, history, escalation;
and query counts of the list and the case page that do not grow with the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trygg.actions.models import ActionItem
from trygg.deviations import registry, services
from trygg.deviations.models import Comment, Deviation
from trygg.deviations.tests.factories import listed_ids, make_deviation
from trygg.lib.dates import today
from trygg.lib.mytasks import tasks_for
from trygg.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_leader_handles_a_case_to_closed(client, world):
    deviation = make_deviation(world)
    client.force_login(world.leader)
    assert any(t.url == deviation.get_absolute_url() for t in tasks_for(world.leader))
    url = lambda name: reverse(f"deviations:{name}", args=[deviation.pk])  # noqa: E731
    assert client.post(url("root_cause"), {"root_cause": "Manglende matte"}).status_code == 302
    deadline = (today() + dt.timedelta(days=7)).strftime("%d.%m.%Y")
    response = client.post(
        url("add_measure"),
        {"title": "Kjøpe sklimatte", "owner": world.employee.person.pk, "deadline": deadline},
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert item.source == deviation and item.owner == world.employee.person
    assert any(t.url == item.get_absolute_url() for t in tasks_for(world.employee))
    deviation.refresh_from_db()
    assert deviation.status == Deviation.Status.MEASURES
    response = client.post(url("close"), {"measures_effective": "yes", "evaluation": "Matte lagt"})
    assert response.status_code == 302
    deviation.refresh_from_db()
    assert deviation.is_closed and deviation.closed_by == world.leader and deviation.closed_in_time
    assert Notification.objects.filter(user=world.employee, key__contains=":closed:").exists()
    client.force_login(world.employee)
    page = client.get(deviation.get_absolute_url()).content.decode()
    assert "Matte lagt" in page
    client.force_login(world.leader)
    history = client.get(deviation.get_absolute_url()).context["history"]
    assert len(history) >= 4 and history[0].actor == "employee"


def test_closing_needs_an_evaluation_and_a_verdict(client, world):
    deviation = make_deviation(world)
    client.force_login(world.leader)
    response = client.post(reverse("deviations:close", args=[deviation.pk]), {"evaluation": ""})
    assert response.status_code == 400
    assert response.context["close_form"].errors
    deviation.refresh_from_db()
    assert not deviation.is_closed


def test_a_measure_in_the_past_is_refused(client, world):
    deviation = make_deviation(world)
    client.force_login(world.leader)
    response = client.post(
        reverse("deviations:add_measure", args=[deviation.pk]),
        {"title": "x", "owner": world.employee.person.pk, "deadline": "01.01.2020"},
    )
    assert response.status_code == 400 and not ActionItem.objects.exists()


def test_reopen_reassign_and_classify(client, world):
    deviation = make_deviation(world)
    services.close_deviation(
        actor=world.leader, deviation=deviation, evaluation="ok", measures_effective="not_needed"
    )
    with pytest.raises(ValidationError):
        services.add_comment(actor=world.leader, deviation=deviation, body=" ")
    client.force_login(world.hms)
    client.post(reverse("deviations:reopen", args=[deviation.pk]))
    deviation.refresh_from_db()
    assert deviation.status == Deviation.Status.IN_PROGRESS and deviation.closed_on is None
    response = client.post(
        reverse("deviations:reassign", args=[deviation.pk]), {"handler": world.hms.pk}
    )
    assert response.status_code == 302
    deviation.refresh_from_db()
    assert deviation.handler == world.hms
    response = client.post(
        reverse("deviations:reassign", args=[deviation.pk]), {"handler": world.colleague.pk}
    )
    assert response.status_code == 400  # not a leader above the unit nor a coordinator
    response = client.post(
        reverse("deviations:classify", args=[deviation.pk]),
        {"category": "injury", "severity": "critical", "unit": world.nursing_home.pk},
    )
    assert response.status_code == 302
    deviation.refresh_from_db()
    assert deviation.unit == world.nursing_home and deviation.unit_path == world.nursing_home.path
    assert deviation.deadline == deviation.reported_on + dt.timedelta(days=1)
    assert deviation.injury is not None


def test_comments_questions_and_the_reporters_answer(client, world):
    deviation = make_deviation(world)
    client.force_login(world.safety_rep)
    response = client.post(
        reverse("deviations:comment", args=[deviation.pk]), {"body": "Sett på dette"}
    )
    assert response.status_code == 302
    client.force_login(world.leader)
    client.post(
        reverse("deviations:comment", args=[deviation.pk]),
        {"body": "Hvor skjedde det?", "question": "on"},
    )
    assert Notification.objects.filter(user=world.employee, subject__contains="question").exists()
    client.force_login(world.employee)
    page = client.get(deviation.get_absolute_url())
    kinds = [c.kind for c in page.context["comments"]]
    assert kinds == [Comment.Kind.QUESTION]  # notes between handlers are not for the reporter
    assert (
        client.post(reverse("deviations:comment", args=[deviation.pk]), {"body": "x"}).status_code
        == 403
    )
    client.post(reverse("deviations:answer", args=[deviation.pk]), {"body": "På badet"})
    assert Comment.objects.filter(kind=Comment.Kind.ANSWER, author=world.employee).exists()


def test_violence_prompts_a_review_and_records_the_follow_up(client, world):
    deviation = make_deviation(world, category=Deviation.Category.VIOLENCE)
    client.force_login(world.leader)
    page = client.get(deviation.get_absolute_url()).content.decode()
    assert "23A-1" in page
    client.post(
        reverse("deviations:violence", args=[deviation.pk]),
        {
            "violence_situation": "Stell",
            "working_alone": "yes",
            "aftercare_offered": "yes",
            "debrief_offered": "no",
            "reported_to_police": "",
        },
    )
    deviation.refresh_from_db()
    assert deviation.working_alone is True and deviation.debrief_offered is False
    assert deviation.reported_to_police is None


def test_overdue_cases_are_reminded_and_escalated_to_the_next_leader(world):
    from trygg.org.tests import factories as f

    area_leader = f.make_user(world.org, "area_leader")
    f.make_person(
        world.org, "Anne", "Områdeleder", user=area_leader, unit=world.health, is_leader=True
    )
    deviation = make_deviation(world)
    assert deviation.handler == world.leader
    day = deviation.deadline + dt.timedelta(days=1)
    reminders = list(registry.overdue_reminders(day))
    assert [r.user for r in reminders] == [world.leader]
    later = deviation.deadline + dt.timedelta(days=registry.ESCALATE_AFTER_DAYS)
    assert list(registry.overdue_reminders(later)) == []
    deviation.refresh_from_db()
    assert deviation.handler == area_leader and deviation.escalation_level == 1
    assert Notification.objects.filter(user=area_leader).exists()


def test_the_list_filters_and_pages_by_keyset(client, world):
    violence = make_deviation(world, category="violence")
    for _ in range(2):
        make_deviation(world)
    kindergarten = make_deviation(world, unit=world.kindergarten)
    client.force_login(world.hms)
    response = client.get(reverse("deviations:list"), {"category": "violence"})
    assert listed_ids(response) == [violence.pk]
    response = client.get(reverse("deviations:list"), {"unit": world.kindergarten.pk})
    assert listed_ids(response) == [kindergarten.pk]
    response = client.get(reverse("deviations:list"), {"status": "closed"})
    assert listed_ids(response) == [] and not response.context["next_url"]
    from trygg.deviations import queries

    size = queries.PAGE_SIZE
    queries.PAGE_SIZE = 2
    try:
        first = client.get(reverse("deviations:list"))
        assert len(listed_ids(first)) == 2 and first.context["next_url"]
        second = client.get(reverse("deviations:list") + first.context["next_url"])
        assert len(listed_ids(second)) == 2
        assert set(listed_ids(second)).isdisjoint(listed_ids(first))
    finally:
        queries.PAGE_SIZE = size


def _count(client, url):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_list_and_case_page_queries_do_not_grow_with_rows(client, world):
    client.force_login(world.leader)
    first = make_deviation(world)
    _count(client, reverse("deviations:list"))  # warm caches
    few = _count(client, reverse("deviations:list"))
    _count(client, first.get_absolute_url())  # warm the caches of this data version
    detail_few = _count(client, first.get_absolute_url())
    for _ in range(5):
        make_deviation(world)
    for n in range(4):
        services.add_comment(actor=world.leader, deviation=first, body=f"c{n}")
    services.add_measure(
        actor=world.leader,
        deviation=first,
        title="a",
        owner=world.employee.person,
        deadline=today(),
    )
    services.add_measure(
        actor=world.leader,
        deviation=first,
        title="b",
        owner=world.leader.person,
        deadline=today(),
    )
    _count(client, reverse("deviations:list"))
    assert _count(client, reverse("deviations:list")) == few
    _count(client, first.get_absolute_url())
    assert _count(client, first.get_absolute_url()) == detail_few


def test_a_reporter_without_an_account_is_emailed_when_the_case_closes(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    deviation = make_deviation(
        world, reporter=None, reporter_name="Per", reporter_email="per@example.no"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.close_deviation(
            actor=world.leader, deviation=deviation, evaluation="ok", measures_effective="yes"
        )
    assert [m.to for m in mailoutbox] == [["per@example.no"]]
    assert deviation.reference in mailoutbox[0].subject
