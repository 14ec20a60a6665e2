"""Every sick-leave page per role: who sees people, who sees masked aggregates, who may write,
that every person-level read is in the audit log, and query counts that do not grow."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trygg.absence.models import (
    AbsenceSpell,
    AdaptationMeasure,
    DialogueMeeting,
    FollowUpCase,
    FollowUpPlan,
    PlanComment,
)
from trygg.absence.tests.factories import make_spell
from trygg.audit.models import AuditEntry
from trygg.org.tests import factories as f

D = dt.date
TODAY = D(2025, 3, 1)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2025, 3, 1, 12, 0), tick=False):
        yield


@pytest.fixture
def sick(world):
    """The employee in the ward is fully sick from Monday 6 January 2025 into April."""
    spell = make_spell(world.employee.person, D(2025, 1, 6), D(2025, 4, 30))
    case = FollowUpCase.objects.get(person=world.employee.person)
    return spell, case


def login(client, user):
    client.force_login(user)
    return client


def reads(user, object_type: str) -> int:
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, actor=user, object_type=object_type
    ).count()


# --- Statistics: everyone in the organisation, masked unless they may see the people ---------
@pytest.mark.parametrize(
    "persona", ["admin", "hms", "hr", "leader", "safety_rep", "employee", "colleague"]
)
def test_it_shows_statistics_to_everyone_in_the_organisation(client, world, sick, persona):
    response = login(client, getattr(world, persona)).get(reverse("absence:statistics"))
    assert response.status_code == 200
    assert "Ferie" in response.content.decode() or "acation" in response.content.decode()


def test_it_never_shows_another_organisations_units(client, world, sick):
    assert client.get(reverse("absence:statistics")).status_code == 302
    url = reverse("absence:statistics") + f"?unit={world.nursing_home.pk}&period=year"
    response = login(client, world.outsider).get(url)
    assert response.status_code == 200
    assert response.context["unit"].organisation_id == world.other_org.pk
    assert "Solbakken" not in response.content.decode()


def test_it_masks_a_small_unit_for_the_safety_representative_but_not_for_its_leader(
    client, world, sick
):
    url = (
        reverse("absence:statistics")
        + f"?unit={world.nursing_home.pk}&period=quarter&day=2025-02-01&subunits=on"
    )
    masked = login(client, world.safety_rep).get(url)
    assert masked.context["figures"].masked and masked.context["figures"].percent is None
    shown = login(client, world.leader).get(url)
    assert not shown.context["figures"].masked and shown.context["figures"].percent is not None
    hr = login(client, world.hr).get(url)
    assert not hr.context["figures"].masked


def test_it_labels_the_vacation_setting_on_the_page(client, world, sick):
    response = login(client, world.hr).get(reverse("absence:statistics"))
    assert response.context["vacation_label"]
    assert str(response.context["vacation_label"]) in response.content.decode()


def test_it_rejects_a_custom_period_ending_before_it_starts(client, world):
    url = reverse("absence:statistics") + "?period=custom&start=2025-03-01&end=2025-02-01"
    response = login(client, world.hr).get(url)
    assert response.status_code == 200 and response.context["form"].errors


def test_it_keeps_the_statistics_page_to_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    login(client, world.hr)
    url = reverse("absence:statistics") + f"?unit={world.top.pk}&period=year"
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    baseline = len(first)
    assert baseline <= 25
    for n in range(8):
        person = f.make_person(world.org, f"P{n}", "Q", unit=world.kindergarten)
        make_spell(person, D(2025, 1, 6 + n), D(2025, 1, 20 + n))
    client.get(url)  # the organisation changed: cached roles and figures are computed again
    with django_assert_max_num_queries(baseline):
        client.get(url)


# --- A person's absence: the employee, their leader(s) and HR only ---------------------------
@pytest.mark.parametrize("persona", ["employee", "leader", "hr"])
def test_it_shows_a_persons_absence_to_them_their_leader_and_hr(client, world, sick, persona):
    user = getattr(world, persona)
    response = login(client, user).get(
        reverse("absence:person_detail", args=[world.employee.person.pk])
    )
    assert response.status_code == 200
    assert reads(user, "org.person") == 1


@pytest.mark.parametrize(
    "persona", ["admin", "hms", "safety_rep", "colleague", "amu_member", "outsider"]
)
def test_it_hides_a_persons_absence_from_everyone_else(client, world, sick, persona):
    response = login(client, getattr(world, persona)).get(
        reverse("absence:person_detail", args=[world.employee.person.pk])
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("employee", 200),
        ("leader", 200),
        ("hr", 200),
        ("admin", 404),
        ("safety_rep", 404),
        ("outsider", 404),
    ],
)
def test_it_limits_the_export_to_the_same_people(client, world, sick, persona, status):
    response = login(client, getattr(world, persona)).get(
        reverse("absence:person_export", args=[world.employee.person.pk])
    )
    assert response.status_code == status
    if status == 200:
        assert "06.01.2025;30.04.2025;sykmelding;100" in response.content.decode()


def test_it_lets_the_leader_register_and_correct_absence(client, world):
    login(client, world.leader)
    person = world.employee.person
    response = client.post(
        reverse("absence:spell_create", args=[person.pk]),
        {"first_day": "10.02.2025", "last_day": "12.02.2025", "kind": "self", "grade": "100"},
    )
    assert response.status_code == 302
    spell = AbsenceSpell.objects.get(person=person)
    response = client.post(
        reverse("absence:spell_edit", args=[spell.pk]),
        {"first_day": "10.02.2025", "last_day": "20.02.2025", "kind": "doctor", "grade": "50"},
    )
    assert response.status_code == 302
    spell.refresh_from_db()
    assert (spell.last_day, spell.grade) == (D(2025, 2, 20), 50)
    assert client.post(reverse("absence:spell_delete", args=[spell.pk])).status_code == 302
    assert not AbsenceSpell.objects.filter(person=person).exists()


def test_it_explains_bad_absence_and_saves_nothing(client, world, sick):
    login(client, world.leader)
    url = reverse("absence:spell_create", args=[world.employee.person.pk])
    for data, message in [
        (
            {"first_day": "10.05.2025", "last_day": "01.05.2025", "kind": "doctor", "grade": "100"},
            "before the first day",
        ),
        (
            {"first_day": "10.04.2025", "last_day": "12.05.2025", "kind": "doctor", "grade": "100"},
            "overlaps",
        ),
        (
            {"first_day": "10.05.2025", "last_day": "12.05.2025", "kind": "doctor", "grade": "10"},
            "grade",
        ),
        (
            {"first_day": "10.05.2019", "last_day": "12.05.2019", "kind": "doctor", "grade": "100"},
            "before the employment",
        ),
        (
            {"first_day": "10.05.2027", "last_day": "12.05.2027", "kind": "doctor", "grade": "100"},
            "year ahead",
        ),
        (
            {"first_day": "10.05.2025", "last_day": "20.05.2025", "kind": "self", "grade": "100"},
            "egenmelding",
        ),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert (
            message.lower() in response.content.decode().lower() or response.context["form"].errors
        ), data
    assert AbsenceSpell.objects.count() == 1


@pytest.mark.parametrize("persona", ["employee", "safety_rep", "admin"])
def test_it_refuses_absence_registration_by_others(client, world, sick, persona):
    response = login(client, getattr(world, persona)).post(
        reverse("absence:spell_create", args=[world.employee.person.pk]),
        {"first_day": "10.05.2025", "last_day": "11.05.2025", "kind": "self", "grade": "100"},
    )
    assert response.status_code == (403 if persona == "employee" else 404)


def test_it_lists_the_leaders_people_in_constant_queries(
    client, world, sick, django_assert_max_num_queries
):
    login(client, world.leader)
    client.get(reverse("absence:people"))
    with CaptureQueriesContext(connection) as first:
        response = client.get(reverse("absence:people"))
    baseline = len(first)
    assert baseline <= 20
    assert [p.pk for p in response.context["page"].object_list] == [
        world.employee.person.pk,
        world.safety_rep.person.pk,
    ]
    for n in range(5):
        f.make_person(world.org, f"N{n}", "Ny", unit=world.ward)
    client.get(reverse("absence:people"))
    with django_assert_max_num_queries(baseline):
        client.get(reverse("absence:people"))


# --- Follow-up cases -------------------------------------------------------------------------
def test_it_follows_a_case_through_plan_dialogue_meeting_and_adaptation(client, world, sick):
    _spell, case = sick
    login(client, world.leader)
    detail = client.get(case.get_absolute_url())
    milestones = {m.code: (m.due, overdue) for m, overdue in detail.context["milestones"]}
    assert milestones["follow_up_plan"] == (D(2025, 2, 2), True)
    assert milestones["dialogue_meeting_1"][0] == D(2025, 2, 23)
    assert milestones["activity_requirement"][0] == D(2025, 3, 2)
    response = client.post(
        reverse("absence:plan_edit", args=[case.pk]),
        {
            "work_tasks": "Lettere oppgaver på dagtid.",
            "measures": "Kortere vakter.",
            "follow_up": "Ny samtale om to uker.",
            "made_on": "2025-02-01",
            "sent_to_doctor_on": "2025-02-02",
            "sent_to_nav_on": "",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("absence:meeting_create", args=[case.pk]),
        {
            "number": 1,
            "held_on": "2025-02-20",
            "participants": "Eva Ansatt, Lars Leder, BHT",
            "summary": "Avtalt gradert retur.",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("absence:measure_create", args=[case.pk]),
        {
            "kind": "physical",
            "description": "Hev-senk-pult",
            "start_date": "2025-02-21",
            "end_date": "",
        },
    )
    assert response.status_code == 302
    assert FollowUpPlan.objects.filter(case=case).exists()
    assert DialogueMeeting.objects.filter(case=case, number=1).exists()
    assert AdaptationMeasure.objects.filter(case=case, kind="physical").exists()
    done = {m.code: m.done for m, _o in client.get(case.get_absolute_url()).context["milestones"]}
    assert done["follow_up_plan"] and done["plan_to_doctor"] and done["dialogue_meeting_1"]


def test_it_lets_the_employee_see_and_comment_on_their_own_plan(client, world, sick):
    _spell, case = sick
    from trygg.absence import services

    services.save_plan(
        actor=world.leader, case=case, work_tasks="Lettere oppgaver", made_on=D(2025, 2, 1)
    )
    login(client, world.employee)
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200 and response.context["may_comment"]
    assert not response.context["may_follow_up"]
    assert (
        client.post(
            reverse("absence:plan_comment", args=[case.pk]), {"text": "Jeg ønsker kortere dager."}
        ).status_code
        == 302
    )
    assert PlanComment.objects.get().author == world.employee
    assert client.get(reverse("absence:plan_edit", args=[case.pk])).status_code == 403
    assert reads(world.employee, "absence.followupcase") == 1


@pytest.mark.parametrize("persona", ["admin", "hms", "safety_rep", "colleague", "outsider"])
def test_it_hides_cases_from_everyone_else(client, world, sick, persona):
    _spell, case = sick
    assert login(client, getattr(world, persona)).get(case.get_absolute_url()).status_code == 404


def test_it_refuses_a_meeting_before_the_absence(client, world, sick):
    _spell, case = sick
    response = login(client, world.leader).post(
        reverse("absence:meeting_create", args=[case.pk]),
        {
            "number": 1,
            "held_on": "2024-12-01",
            "participants": "Lars",
            "summary": "",
        },
    )
    assert response.status_code == 200 and not DialogueMeeting.objects.exists()


def test_it_shows_the_leaders_milestones_as_tasks(world, sick):
    from trygg.lib.mytasks import tasks_for

    titles = [t.title for t in tasks_for(world.leader)]
    assert any("Eva Ansatt" in t for t in titles)
    assert not [t for t in tasks_for(world.safety_rep) if "Eva" in t.title]
    assert not [t for t in tasks_for(world.employee) if "Eva" in t.title]


# --- Settings --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "status"),
    [("hr", 200), ("admin", 200), ("leader", 403), ("employee", 403), ("safety_rep", 403)],
)
def test_it_lets_hr_and_admins_change_the_settings(client, world, persona, status):
    assert (
        login(client, getattr(world, persona)).get(reverse("absence:settings")).status_code
        == status
    )


def test_it_saves_the_settings(client, world):
    response = login(client, world.hr).post(
        reverse("absence:settings"),
        {
            "goal_percent": "6.0",
            "subtract_vacation": "on",
            "vacation_days": "25",
            "deadline_convention": "nav",
            "dm1_only_when_fully_absent": "on",
            "self_certified_max_days": "8",
            "retention_months": "36",
            "disposal": "delete",
        },
    )
    assert response.status_code == 302
    settings = world.org.absence_settings
    assert settings.subtract_vacation and settings.self_certified_max_days == 8


def test_it_keeps_the_case_page_to_a_constant_number_of_queries(
    client, world, sick, django_assert_max_num_queries
):
    from trygg.absence import services

    _spell, case = sick
    login(client, world.leader)
    client.get(case.get_absolute_url())
    with CaptureQueriesContext(connection) as first:
        client.get(case.get_absolute_url())
    baseline = len(first)
    services.save_plan(
        actor=world.leader, case=case, work_tasks="Lette oppgaver", made_on=D(2025, 2, 1)
    )
    for n in range(4):
        services.record_meeting(
            actor=world.leader,
            case=case,
            number=1,
            held_on=D(2025, 2, 10 + n),
            participants="Eva, Lars",
        )
        services.add_measure(
            actor=world.leader,
            case=case,
            kind="physical",
            description=f"Tiltak {n}",
            start_date=D(2025, 2, 10),
        )
        services.comment_on_plan(actor=world.employee, plan=case.plan, text=f"Merknad {n}")
    client.get(case.get_absolute_url())
    with django_assert_max_num_queries(baseline + 3):  # the plan, its comments and measures appear
        client.get(case.get_absolute_url())


def test_it_explains_an_incomplete_plan_or_measure_and_saves_nothing(client, world, sick):
    _spell, case = sick
    login(client, world.leader)
    response = client.post(
        reverse("absence:plan_edit", args=[case.pk]), {"work_tasks": "", "made_on": "2025-02-01"}
    )
    assert response.status_code == 200 and "work_tasks" in response.context["form"].errors
    response = client.post(
        reverse("absence:measure_create", args=[case.pk]),
        {
            "kind": "physical",
            "description": "Pult",
            "start_date": "2025-02-10",
            "end_date": "2025-02-01",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(reverse("absence:settings"), {"goal_percent": "150"})
    assert not FollowUpPlan.objects.exists() and not AdaptationMeasure.objects.exists()


@pytest.mark.parametrize("persona", ["safety_rep", "employee"])
def test_it_refuses_follow_up_writes_to_others(client, world, sick, persona):
    _spell, case = sick
    client.force_login(getattr(world, persona))
    for name in ("plan_edit", "meeting_create", "measure_create"):
        assert client.post(reverse(f"absence:{name}", args=[case.pk]), {}).status_code == (
            403 if persona == "employee" else 404
        )
