"""The meeting pages for each role: chair, secretary, member, HMS coordinator, a non-member in
the same organisation and someone from another organisation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from trygg.audit.models import AuditEntry
from trygg.meetings import services
from trygg.meetings.models import Case, Meeting
from trygg.meetings.tests.factories import add_member, make_case, make_chair, make_meeting

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)
READERS = ["amu_member", "secretary", "leader", "hms", "admin"]
OUTSIDERS = ["colleague", "outsider", "employee"]
MANAGERS = ["secretary", "hms", "admin"]
READ_ONLY = ["amu_member", "leader"]


@pytest.fixture
def setup(world):
    with time_machine.travel(NOW, tick=False):
        make_chair(world, 2026)
        add_member(world)
        past = make_meeting(world.amu, dt.date(2026, 3, 10))
        future = make_meeting(world.amu, dt.date(2026, 4, 14))
        case = make_case(world.amu, past, title="Støy på kjøkkenet")
        make_case(world.amu, future, title="Inneklima")
        yield world, past, future, case


def login(client, user):
    client.force_login(user)
    return client


def read_urls(world, meeting, case):
    return [
        reverse("meetings:committee_detail", args=[world.amu.pk]),
        reverse("meetings:meeting_detail", args=[meeting.pk]),
        reverse("meetings:case_detail", args=[case.pk]),
        reverse("meetings:incoming", args=[world.amu.pk]),
        reverse("meetings:annual_report", args=[world.amu.pk, 2025]),
    ]


def write_urls(world, meeting, case):
    return [
        reverse("meetings:plan", args=[world.amu.pk]),
        reverse("meetings:case_create", args=[world.amu.pk]),
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        reverse("meetings:minutes", args=[meeting.pk]),
        reverse("meetings:case_edit", args=[case.pk]),
        reverse("meetings:case_minutes", args=[case.pk]),
        reverse("meetings:case_action", args=[case.pk]),
    ]


@pytest.mark.parametrize("persona", READERS)
def test_members_and_managers_read_every_page(client, setup, persona):
    world, past, _future, case = setup
    login(client, getattr(world, persona))
    with time_machine.travel(NOW, tick=False):
        for url in read_urls(world, past, case):
            response = client.get(url)
            assert response.status_code == 200, (persona, url)
        page = client.get(reverse("meetings:meeting_detail", args=[past.pk])).content.decode()
    assert "Støy på kjøkkenet" in page and "01/26" in page


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_others_get_404(client, setup, persona):
    world, past, _future, case = setup
    login(client, getattr(world, persona))
    for url in read_urls(world, past, case) + write_urls(world, past, case):
        assert client.get(url).status_code == 404, (persona, url)
    for name in ("agenda_pdf", "minutes_pdf"):
        assert client.get(reverse(f"meetings:{name}", args=[past.pk])).status_code == 404


@pytest.mark.parametrize("persona", READ_ONLY)
def test_members_may_not_run_the_committee(client, setup, persona):
    world, past, future, case = setup
    login(client, getattr(world, persona))
    for url in write_urls(world, past, case):
        assert client.get(url).status_code == 403, (persona, url)
    assert client.post(reverse("meetings:meeting_invite", args=[past.pk])).status_code == 403
    assert client.post(reverse("meetings:meeting_cancel", args=[future.pk])).status_code == 403


@pytest.mark.parametrize("persona", MANAGERS)
def test_managers_open_every_form(client, setup, persona):
    world, past, _future, case = setup
    login(client, getattr(world, persona))
    with time_machine.travel(NOW, tick=False):
        for url in write_urls(world, past, case):
            assert client.get(url).status_code == 200, (persona, url)


def test_the_secretary_adds_a_case_to_the_agenda(client, setup):
    world, _past, future, _case = setup
    login(client, world.secretary)
    url = reverse("meetings:case_create", args=[world.amu.pk])
    response = client.post(url, {"title": "", "case_type": "vedtak", "meeting": future.pk})
    assert response.status_code == 200 and "title" in response.context["form"].errors
    response = client.post(
        url,
        {
            "title": "Ny turnus",
            "description": "<b>fet</b>",
            "case_type": "vedtak",
            "meeting": future.pk,
        },
    )
    assert response.status_code == 302
    added = Case.objects.get(title="Ny turnus")
    assert added.meeting == future and added.number == 3
    page = client.get(future.get_absolute_url()).content.decode()
    assert "&lt;b&gt;fet&lt;/b&gt;" in page and "<b>fet</b>" not in page


def test_the_meeting_plan_form_warns_then_plans(client, setup):
    world, *_ = setup
    login(client, world.hms)
    url = reverse("meetings:plan", args=[world.amu.pk])
    data = {
        "year": 2027,
        "dates": "12.01.2027\n06.07.2027\n09.02.2027\n09.03.2027",
        "start": "09:00",
        "duration": 120,
        "place": "Rådhuset",
        "video_url": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert any("July" in w for w in response.context["warnings"])
    assert not Meeting.objects.filter(year=2027).exists()
    response = client.post(url, {**data, "confirm": "on"})
    assert response.status_code == 302
    assert Meeting.objects.filter(committee=world.amu, year=2027).count() == 4
    bad = client.post(url, {**data, "dates": "32.01.2027"})
    assert "dates" in bad.context["form"].errors


def test_the_menu_shows_meetings_to_members_only(client, setup):
    world, *_ = setup
    from trygg.meetings.access import uses_meetings

    assert uses_meetings(world.secretary) and uses_meetings(world.amu_member)
    assert uses_meetings(world.hms) and not uses_meetings(world.colleague)
    assert not uses_meetings(world.outsider) or world.outsider.organisation_id != world.org.pk


def test_anyone_in_the_organisation_sends_a_case_to_the_secretary(client, setup):
    world, *_ = setup
    login(client, world.colleague)
    url = reverse("meetings:propose")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"committee": world.amu.pk, "title": "Trekk i garderoben", "case_type": "uttalelse"}
    )
    assert response.status_code == 302
    case = Case.objects.get(title="Trekk i garderoben")
    assert case.status == Case.Status.PROPOSED and case.submitted_by == world.colleague
    assert client.get(case.get_absolute_url()).status_code == 200  # the sender follows it
    assert client.get(reverse("meetings:overview")).status_code == 200
    login(client, world.outsider)
    assert client.get(case.get_absolute_url()).status_code == 404
    response = client.post(url, {"committee": world.amu.pk, "title": "x", "case_type": "vedtak"})
    assert response.status_code == 200 and "committee" in response.context["form"].errors


def test_the_secretary_takes_up_an_incoming_case(client, setup):
    world, _past, future, _case = setup
    proposal = services.propose_case(actor=world.colleague, committee=world.amu, title="Lys")
    login(client, world.secretary)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("meetings:incoming", args=[world.amu.pk]))
        assert "Lys" in page.content.decode()
        response = client.post(
            reverse("meetings:case_register", args=[proposal.pk]), {"meeting": future.pk}
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.meeting == future and proposal.number is not None


def test_cancelling_a_meeting_takes_its_cases_off(client, setup):
    world, _past, future, _case = setup
    login(client, world.secretary)
    client.post(reverse("meetings:meeting_cancel", args=[future.pk]))
    future.refresh_from_db()
    assert future.cancelled and not future.cases.exists()
    assert AuditEntry.objects.filter(object_type="meetings.meeting", action="update").exists()


def test_the_invitation_is_emailed_with_the_agenda_pdf(client, setup, mailoutbox, settings):
    world, _past, future, _case = setup
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    login(client, world.secretary)
    with time_machine.travel(NOW, tick=False):
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(reverse("meetings:meeting_invite", args=[future.pk]))
    assert response.status_code == 302
    future.refresh_from_db()
    assert future.invitation_sent_at is not None
    mail = mailoutbox[-1]
    assert set(mail.to) == {world.secretary.email, world.amu_member.email, world.leader.email}
    _name, content, kind = mail.attachments[0]
    assert kind == "application/pdf" and content.startswith(b"%PDF")
    assert "Inneklima" in mail.body


def test_pdfs_of_agenda_and_minutes(client, setup):
    world, past, _future, _case = setup
    login(client, world.amu_member)
    for name in ("agenda_pdf", "minutes_pdf"):
        response = client.get(reverse(f"meetings:{name}", args=[past.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_the_meeting_settings(client, world):
    url = reverse("meetings:settings")
    for persona, status in (("secretary", 403), ("amu_member", 403), ("colleague", 403)):
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == status, persona
    client.force_login(world.hms)
    assert client.get(url).status_code == 200
    data = {
        "minimum_meetings_per_year": 6,
        "agenda_reminder_days": 14,
        "invitation_days_before": 7,
        "attachment_max_mb": 20,
    }
    assert client.post(url, {**data, "attachment_max_mb": 0}).status_code == 200
    assert client.post(url, data).status_code == 302
    assert services.settings_for(world.org.pk).minimum_meetings_per_year == 6
    assert services.settings_for(world.other_org.pk).minimum_meetings_per_year == 4
