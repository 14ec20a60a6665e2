"""Minutes: attendance, decisions with majority and minority views, approval by the chair,
frozen approved minutes, reopening with a trace, and decisions that create action items."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from trygg.actions.models import ActionItem
from trygg.audit.models import AuditEntry
from trygg.lib.mytasks import tasks_for
from trygg.meetings import services
from trygg.meetings.models import Case
from trygg.meetings.tests.factories import add_member, make_case, make_chair, make_meeting

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def held(world):
    with time_machine.travel(NOW, tick=False):
        make_chair(world, 2026)
        add_member(world)
        meeting = make_meeting(world.amu, dt.date(2026, 3, 10))
        case = make_case(world.amu, meeting, title="Turnus på Avdeling A")
        info = services.add_case(
            actor=None,
            committee=world.amu,
            title="Orientering om sykefravær",
            case_type=Case.Type.INFORMATION,
            meeting=meeting,
        )
        yield world, meeting, case, info


def test_a_split_decision_keeps_the_minority_view(held):
    world, meeting, case, _info = held
    with pytest.raises(ValidationError) as error:
        services.record_case_minutes(
            actor=world.secretary, case=case, discussion="", decision="", unanimous=True
        )
    assert "decision" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_case_minutes(
            actor=world.secretary, case=case, discussion="d", decision="Vedtatt", unanimous=False
        )
    assert "minority_view" in error.value.message_dict
    services.record_case_minutes(
        actor=world.secretary,
        case=case,
        discussion="Drøftet",
        decision="Ny turnus innføres fra 1. mai.",
        unanimous=False,
        majority_view="Arbeidsgiversiden og ett medlem: for.",
        minority_view="Arbeidstakersiden: ønsker utsettelse.",
    )
    case.refresh_from_db()
    assert not case.unanimous and case.minority_view.startswith("Arbeidstakersiden")
    meeting.refresh_from_db()
    assert meeting.minutes_started


def test_only_the_chair_approves_and_approved_minutes_are_frozen(client, held):
    world, meeting, case, _info = held
    services.record_attendance(
        actor=world.secretary,
        meeting=meeting,
        present=[world.amu_member.person.pk, world.secretary.person.pk],
        absent=[world.leader.person.pk],
    )
    services.record_case_minutes(
        actor=world.secretary, case=case, discussion="", decision="Vedtatt."
    )
    url = reverse("meetings:approve", args=[meeting.pk])
    for persona in ("secretary", "leader", "hms"):
        client.force_login(getattr(world, persona))
        assert client.post(url).status_code == 403, persona
    client.force_login(world.colleague)
    assert client.post(url).status_code == 404
    client.force_login(world.amu_member)
    with time_machine.travel(NOW, tick=False):
        assert client.get(meeting.get_absolute_url()).context["can_approve"]
        assert client.post(url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_approved_by == world.amu_member and meeting.minutes_version == 1
    assert set(meeting.cases.values_list("status", flat=True)) == {Case.Status.DECIDED}
    with pytest.raises(ValidationError):
        services.record_case_minutes(
            actor=world.secretary, case=case, discussion="", decision="Endret"
        )
    with pytest.raises(ValidationError):
        services.record_minutes_notes(actor=world.secretary, meeting=meeting, notes="x")
    client.force_login(world.secretary)
    response = client.post(
        reverse("meetings:case_minutes", args=[case.pk]), {"decision": "Endret", "unanimous": "on"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    case.refresh_from_db()
    assert case.decision == "Vedtatt."


def test_reopening_needs_a_reason_leaves_a_trace_and_a_new_approval(client, held):
    world, meeting, case, _info = held
    services.record_case_minutes(actor=None, case=case, discussion="", decision="Vedtatt.")
    with time_machine.travel(NOW, tick=False):
        services.approve_minutes(actor=world.amu_member, meeting=meeting)
    client.force_login(world.secretary)
    url = reverse("meetings:reopen", args=[meeting.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "Feil dato i vedtaket"}).status_code == 302
    entry = AuditEntry.objects.filter(object_type="meetings.meeting").latest("id")
    assert entry.changes["after"]["reopen_reason"] == "Feil dato i vedtaket"
    services.record_case_minutes(actor=None, case=case, discussion="", decision="Vedtatt 2.")
    with time_machine.travel(NOW, tick=False):
        services.approve_minutes(actor=world.amu_member, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.minutes_version == 2


def test_minutes_cannot_be_approved_before_the_meeting_or_without_decisions(held):
    world, meeting, case, _info = held
    future = make_meeting(world.amu, dt.date(2026, 12, 8))
    with pytest.raises(ValidationError):
        services.approve_minutes(actor=world.amu_member, meeting=future)
    with pytest.raises(ValidationError) as error:
        services.approve_minutes(actor=world.amu_member, meeting=meeting)
    assert case.number_display in str(error.value)


def test_html_in_the_minutes_is_shown_as_text_on_the_page_and_in_the_pdf(client, held):
    world, meeting, case, _info = held
    services.record_case_minutes(
        actor=None,
        case=case,
        discussion='<script>alert("x")</script> Ærlig talt',
        decision="<b>Vedtatt</b>",
    )
    client.force_login(world.amu_member)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "&lt;b&gt;Vedtatt&lt;/b&gt;" in page
    pdf = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk])).content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "<b>Vedtatt</b>" in text and "Ærlig talt" in text


def test_a_decision_creates_an_action_item_for_my_tasks(client, held):
    world, _meeting, case, _info = held
    client.force_login(world.secretary)
    url = reverse("meetings:case_action", args=[case.pk])
    response = client.post(
        url, {"title": "", "owner": world.leader.person.pk, "deadline": "01.05.2026"}
    )
    assert response.status_code == 200 and not ActionItem.objects.exists()
    response = client.post(
        url,
        {"title": "Lage ny turnus", "owner": world.leader.person.pk, "deadline": "01.05.2026"},
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert item.owner == world.leader.person and item.deadline == dt.date(2026, 5, 1)
    assert item.source == case and item.unit == world.amu.unit
    with time_machine.travel(NOW, tick=False):
        assert any(t.title == "Lage ny turnus" for t in tasks_for(world.leader))
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Lage ny turnus" in page
    client.force_login(world.leader)
    assert client.get(item.get_absolute_url()).status_code == 200


def test_the_minutes_page_records_attendance(client, held):
    world, meeting, _case, _info = held
    client.force_login(world.secretary)
    url = reverse("meetings:minutes", args=[meeting.pk])
    response = client.get(url)
    assert response.status_code == 200
    response = client.post(url, {"present_form": "1", "present": [world.amu_member.person.pk]})
    assert response.status_code == 302
    statuses = dict(meeting.attendance.values_list("person_id", "status"))
    assert statuses[world.amu_member.person.pk] == "present"
    assert statuses[world.leader.person.pk] == "absent"
    response = client.post(url, {"notes_form": "1", "notes": "Eventuelt: ingen saker."})
    meeting.refresh_from_db()
    assert meeting.minutes_notes == "Eventuelt: ingen saker."
