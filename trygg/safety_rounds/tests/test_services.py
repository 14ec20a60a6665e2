"""Planning, answers from devices, photos, findings and sign-off."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from trygg.actions.models import ActionItem
from trygg.annual_plan.models import Category, TemplateItem
from trygg.deviations.models import Deviation
from trygg.safety_rounds import queries, services
from trygg.safety_rounds.models import Answer, Finding, Participant, Photo, SafetyRound
from trygg.safety_rounds.tests.factories import (
    YEAR,
    answer,
    answer_all,
    jpeg,
    make_checklist,
    make_round,
)

pytestmark = pytest.mark.django_db


def _people(round_):  # type: ignore[no-untyped-def]
    return sorted((p.role, p.person.full_name) for p in round_.participants.all())


# --- Planning ------------------------------------------------------------------------------
def test_it_plans_a_round_per_unit_with_leader_and_verneombud(world):
    template = make_checklist(world.org, "sykehjem")
    rounds = services.plan_rounds(
        actor=world.hms,
        organisation=world.org,
        year=YEAR,
        template=template,
        units=[world.nursing_home, world.ward, world.kindergarten],
    )
    assert [r.deadline for r in rounds] == [dt.date(YEAR, 3, 1)] * 3
    by_unit = {r.unit: r for r in rounds}
    assert _people(by_unit[world.nursing_home]) == [
        ("leader", "Lars Leder"),
        ("safety_rep", "Vera Verneombud"),
    ]
    # The ward has no leader of its own: the nursing home's leader leads it.
    assert _people(by_unit[world.ward]) == _people(by_unit[world.nursing_home])
    # No verneombud covers the kindergarten, and no one leads it.
    assert _people(by_unit[world.kindergarten]) == []
    assert all(r.template_version == template.current_version for r in rounds)


def test_it_skips_units_that_already_have_this_years_round(world):
    template = make_checklist(world.org)
    services.plan_rounds(
        actor=None, organisation=world.org, year=YEAR, template=template, units=[world.ward]
    )
    again = services.plan_rounds(
        actor=None,
        organisation=world.org,
        year=YEAR,
        template=template,
        units=[world.ward, world.kindergarten],
    )
    assert [r.unit for r in again] == [world.kindergarten]


def test_the_deadline_is_the_organisations_setting(world):
    services.update_settings(
        actor=world.hms,
        organisation=world.org,
        deadline_day=15,
        deadline_month=4,
        remind_days_before=7,
    )
    round_ = make_round(world)
    assert round_.deadline == dt.date(YEAR, 4, 15)
    with pytest.raises(ValidationError):
        services.update_settings(
            actor=None,
            organisation=world.org,
            deadline_day=31,
            deadline_month=2,
            remind_days_before=7,
        )


def test_rounds_and_audits_appear_in_the_annual_plan(world):
    make_round(world)
    items = TemplateItem.objects.filter(organisation=world.org, category=Category.SAFETY_ROUND)
    assert [(i.month, i.deadline_day, i.figure_kind) for i in items] == [(3, 1, "safety_rounds")]
    make_round(world, world.kindergarten)
    assert items.count() == 1  # added once
    audit_template = make_checklist(world.org, "internrevisjon-ik")
    audit = services.create_audit(
        actor=world.hms,
        organisation=world.org,
        unit=world.top,
        template=audit_template,
        title="Internrevisjon",
        scope="§ 5 nr. 1–8",
        deadline=dt.date(YEAR, 11, 30),
        lead_auditor=world.hms.person,
        team=[world.safety_rep.person, world.hms.person],
    )
    assert _people(audit) == [("auditor", "Vera Verneombud"), ("lead_auditor", "Hanne Koordinator")]
    assert TemplateItem.objects.filter(
        organisation=world.org, category=Category.INTERNAL_AUDIT
    ).exists()


def test_it_refuses_a_checklist_of_the_wrong_kind_or_organisation(world):
    audit_template = make_checklist(world.org, "internrevisjon-ik")
    with pytest.raises(ValidationError):
        services.plan_rounds(
            actor=None, organisation=world.org, year=YEAR, template=audit_template, units=[]
        )
    other = make_checklist(world.other_org)
    with pytest.raises(ValidationError):
        services.plan_rounds(
            actor=None, organisation=world.org, year=YEAR, template=other, units=[world.ward]
        )


# --- Answers -------------------------------------------------------------------------------
def test_a_batch_sent_twice_is_stored_once(world):
    round_ = make_round(world)
    batch = [answer("q1", "deviation", comment="Lager i gangen"), answer("q2")]
    first = services.record_answers(actor=world.leader, round_=round_, items=batch)
    second = services.record_answers(actor=world.leader, round_=round_, items=batch)
    assert [r.status for r in first] == ["saved", "saved"]
    assert [r.status for r in second] == ["duplicate", "duplicate"]
    assert Answer.objects.filter(round=round_).count() == 2
    round_.refresh_from_db()
    assert round_.status == SafetyRound.Status.IN_PROGRESS


def test_the_newest_answer_counts(world):
    round_ = make_round(world)
    services.record_answers(
        actor=world.safety_rep,
        round_=round_,
        items=[answer("q1", "ok", answered_at="2026-02-01T10:05:00+01:00")],
    )
    # Sent later from the other phone, but given earlier: it does not win.
    services.record_answers(
        actor=world.leader,
        round_=round_,
        items=[answer("q1", "deviation", answered_at="2026-02-01T10:00:00+01:00")],
    )
    assert queries.current_answers(round_)["q1"].value == "ok"
    assert Answer.objects.filter(round=round_).count() == 2  # nothing is lost


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"question": "nope", "value": "ok"}, "not in this round"),
        ({"question": "q1", "value": "maybe"}, "OK, deviation or not relevant"),
        ({"question": "q3", "number": "tjue"}, "Write a number"),
        ({"question": "q1", "value": "ok", "comment": "x" * 5001}, "at most 5000"),
    ],
)
def test_it_explains_invalid_answers(world, item, message):
    round_ = make_round(world)
    (result,) = services.record_answers(
        actor=None, round_=round_, items=[{"id": str(uuid.uuid4()), **item}]
    )
    assert result.status == "invalid" and message in result.message
    assert not Answer.objects.filter(round=round_).exists()


def test_answers_after_closing_are_kept_but_refused(world):
    round_ = make_round(world)
    answer_all(round_)
    services.sign_round(actor=None, round_=round_, person=world.leader.person)
    services.sign_round(actor=None, round_=round_, person=world.safety_rep.person)
    (late,) = services.record_answers(
        actor=world.leader, round_=round_, items=[answer("q1", "deviation")]
    )
    assert late.status == "late" and "closed" in late.message
    stored = Answer.objects.get(client_id=late.client_id)
    assert stored.is_late
    assert queries.current_answers(round_)["q1"].value == "ok"
    assert [a.pk for a in queries.round_view(round_).late_answers] == [stored.pk]


def test_a_changed_answer_needs_new_signatures(world):
    round_ = make_round(world)
    answer_all(round_)
    assert services.sign_round(actor=None, round_=round_, person=world.leader.person) == "signed"
    services.record_answers(actor=world.safety_rep, round_=round_, items=[answer("q2", "ok")])
    assert not Participant.objects.filter(round=round_, signed_at__isnull=False).exists()


# --- Photos --------------------------------------------------------------------------------
def test_a_photo_is_reencoded_without_exif(world):
    round_ = make_round(world)
    photo, status = services.add_photo(
        actor=world.leader, round_=round_, question_key="q1", client_id=uuid.uuid4(), upload=jpeg()
    )
    assert status == "saved"
    with photo.image.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert image.size == (40, 30)


def test_a_photo_sent_twice_is_stored_once(world):
    round_ = make_round(world)
    client_id = uuid.uuid4()
    first, _ = services.add_photo(
        actor=None, round_=round_, question_key="q1", client_id=client_id, upload=jpeg()
    )
    second, status = services.add_photo(
        actor=None, round_=round_, question_key="q1", client_id=client_id, upload=jpeg()
    )
    assert status == "duplicate" and first.pk == second.pk
    assert Photo.objects.filter(round=round_).count() == 1


def test_it_refuses_a_file_that_is_not_a_photo(world):
    round_ = make_round(world)
    fake = SimpleUploadedFile("bilde.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="not a photo"):
        services.add_photo(
            actor=None, round_=round_, question_key="q1", client_id=uuid.uuid4(), upload=fake
        )
    assert not Photo.objects.exists()


def test_it_refuses_a_huge_photo(world, monkeypatch):
    round_ = make_round(world)
    monkeypatch.setattr(services, "MAX_PHOTO_PIXELS", 100)
    with pytest.raises(ValidationError, match="too many pixels"):
        services.add_photo(
            actor=None, round_=round_, question_key="q1", client_id=uuid.uuid4(), upload=jpeg()
        )
    monkeypatch.setattr(services, "MAX_PHOTO_BYTES", 10)
    with pytest.raises(ValidationError, match="too large"):
        services.add_photo(
            actor=None, round_=round_, question_key="q1", client_id=uuid.uuid4(), upload=jpeg()
        )
    assert not Photo.objects.exists()


def test_a_large_photo_is_made_smaller(world):
    round_ = make_round(world)
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (10, 120, 10)).save(out, format="PNG")
    upload = SimpleUploadedFile("stor.png", out.getvalue(), content_type="image/png")
    photo, _ = services.add_photo(
        actor=None, round_=round_, question_key="q1", client_id=uuid.uuid4(), upload=upload
    )
    assert (photo.width, photo.height) == (1600, 1200)


# --- Sign-off and findings -----------------------------------------------------------------
def test_signing_needs_every_question_answered(world):
    round_ = make_round(world)
    services.record_answers(actor=None, round_=round_, items=[answer("q1")])
    with pytest.raises(ValidationError, match="1 questions have no answer"):
        services.sign_round(actor=None, round_=round_, person=world.leader.person)


def test_only_the_leader_and_the_verneombud_sign(world):
    round_ = make_round(world)
    answer_all(round_)
    with pytest.raises(ValidationError):
        services.sign_round(actor=None, round_=round_, person=world.employee.person)


def test_both_sign_and_each_deviation_answer_becomes_a_deviation(world):
    round_ = make_round(world)
    answer_all(round_, world.leader, deviations=("q1", "q2"))
    assert services.sign_round(actor=None, round_=round_, person=world.leader.person) == "signed"
    assert (
        services.sign_round(actor=None, round_=round_, person=world.leader.person)
        == "already_signed"
    )
    assert (
        services.sign_round(actor=None, round_=round_, person=world.safety_rep.person)
        == "completed"
    )
    assert (
        services.sign_round(actor=None, round_=round_, person=world.safety_rep.person)
        == "already_completed"
    )
    round_.refresh_from_db()
    assert round_.status == SafetyRound.Status.COMPLETED and round_.finding_count == 2
    deviations = Deviation.objects.filter(organisation=world.org).order_by("pk")
    assert [d.title for d in deviations] == [
        "Er rømningsveiene ryddige?",
        "Er førstehjelpsskrinet komplett?",
    ]
    assert {d.handler for d in deviations} == {world.leader}
    assert {d.unit for d in deviations} == {world.nursing_home}
    answers = queries.current_answers(round_)
    assert {d.source for d in deviations} == {answers["q1"], answers["q2"]}


def test_a_finding_can_become_an_action_item_with_owner_and_deadline(world):
    round_ = make_round(world)
    answer_all(round_, deviations=("q1",))
    with pytest.raises(ValidationError, match="owner and a deadline"):
        services.set_follow_up(
            actor=None,
            round_=round_,
            question_key="q1",
            follow_up=Finding.FollowUp.ACTION,
            owner=None,
            deadline=None,
        )
    with pytest.raises(ValidationError, match="deviation"):
        services.set_follow_up(
            actor=None,
            round_=round_,
            question_key="q2",
            follow_up=Finding.FollowUp.DEVIATION,
            owner=None,
            deadline=None,
        )
    services.set_follow_up(
        actor=None,
        round_=round_,
        question_key="q1",
        follow_up=Finding.FollowUp.ACTION,
        owner=world.employee.person,
        deadline=dt.date(YEAR, 5, 1),
        title="Rydd lageret i gangen",
    )
    services.sign_round(actor=None, round_=round_, person=world.leader.person)
    services.sign_round(actor=None, round_=round_, person=world.safety_rep.person)
    item = ActionItem.objects.get(organisation=world.org)
    assert (item.title, item.owner, item.deadline, item.unit) == (
        "Rydd lageret i gangen",
        world.employee.person,
        dt.date(YEAR, 5, 1),
        world.nursing_home,
    )
    assert item.source == queries.current_answers(round_)["q1"]
    assert not Deviation.objects.exists()


def test_a_photo_after_closing_is_kept_but_not_part_of_the_round(world):
    round_ = make_round(world)
    answer_all(round_)
    services.sign_round(actor=None, round_=round_, person=world.leader.person)
    services.sign_round(actor=None, round_=round_, person=world.safety_rep.person)
    photo, status = services.add_photo(
        actor=None, round_=round_, question_key="q1", client_id=uuid.uuid4(), upload=jpeg()
    )
    assert status == "late" and photo.is_late
    view = queries.round_view(round_)
    assert view.late_photos == [photo]
    assert all(not q.photos for s in view.sections for q in s.questions)
