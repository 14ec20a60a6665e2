"""Every page and endpoint, role by role: readers, participants, outsiders, read-only roles."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.deviations.models import Deviation
from trygg.safety_rounds import services
from trygg.safety_rounds.models import Answer, ChecklistTemplate, Photo, SafetyRound, Settings
from trygg.safety_rounds.tests.factories import (
    YEAR,
    answer,
    answer_all,
    jpeg,
    make_round,
    small_checklist,
)

pytestmark = pytest.mark.django_db

READERS = ["leader", "safety_rep", "hms", "bht", "admin"]
PARTICIPANTS = ["leader", "safety_rep"]
READ_ONLY = ["hms", "bht", "admin"]  # may see the round, may not do it
OUTSIDERS = ["employee", "colleague", "secretary", "amu_member", "hr", "outsider", "other_rep"]


def _user(world, other_rep, persona):  # type: ignore[no-untyped-def]
    return other_rep if persona == "other_rep" else getattr(world, persona)


def _sync(client, round_, items):  # type: ignore[no-untyped-def]
    return client.post(
        f"/vernerunder/{round_.pk}/svar/",
        json.dumps({"answers": items}),
        content_type="application/json",
    )


@pytest.mark.parametrize("persona", READERS)
def test_readers_and_participants_see_the_round(world, client_as, persona):
    round_ = make_round(world)
    client = client_as(persona)
    for url in ("", "sjekkliste/"):
        response = client.get(f"/vernerunder/{round_.pk}/{url}")
        assert response.status_code == 200, url
        assert round_.title in response.content.decode()
    listing = client.get(f"/vernerunder/?aar={YEAR}").content.decode()
    assert round_.title in listing


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404(world, client_as, other_rep, persona):
    round_ = make_round(world)
    photo, _ = services.add_photo(
        actor=None, round_=round_, question_key="q1", client_id=uuid.uuid4(), upload=jpeg()
    )
    client = client_as(_user(world, other_rep, persona))
    base = f"/vernerunder/{round_.pk}/"
    for url in ("", "sjekkliste/", "rapport.pdf", f"bilder/{photo.pk}/"):
        assert client.get(base + url).status_code == 404, url
    assert _sync(client, round_, [answer("q1")]).status_code == 404
    assert client.post(base + "signer/").status_code == 404
    assert client.post(base + "bilder/", {"question": "q1", "photo": jpeg()}).status_code == 404
    assert not Answer.objects.exists()
    if persona != "outsider":
        listing = client.get(f"/vernerunder/?aar={YEAR}")
        assert listing.status_code == 200
        assert round_.title not in listing.content.decode()


def test_the_verneombud_of_another_area_sees_that_areas_round(world, client_as, other_rep):
    round_ = make_round(world, world.kindergarten)
    assert client_as(other_rep).get(f"/vernerunder/{round_.pk}/").status_code == 200
    assert client_as("safety_rep").get(f"/vernerunder/{round_.pk}/").status_code == 404


@pytest.mark.parametrize("persona", READ_ONLY)
def test_read_only_roles_get_403_on_writes(world, client_as, persona):
    round_ = make_round(world)
    answer_all(round_, deviations=("q1",))
    stored = Answer.objects.count()
    client = client_as(persona)
    base = f"/vernerunder/{round_.pk}/"
    assert _sync(client, round_, [answer("q2")]).status_code == 403
    assert (
        client.post(base + "sjekkliste/", {"v-q2": "ok", "id-q2": str(uuid.uuid4())}).status_code
        == 403
    )
    assert client.post(base + "signer/").status_code == 403
    assert client.post(base + "funn/q1/", {"f-q1-follow_up": "deviation"}).status_code == 403
    assert client.post(base + "bilder/", {"question": "q1", "photo": jpeg()}).status_code == 403
    assert Answer.objects.count() == stored
    assert not Photo.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "employee", "safety_rep", "bht"])
def test_only_planners_plan(world, client_as, persona):
    client = client_as(persona)
    expected = 403
    for url in ("planlegg/", "revisjon/ny/", "innstillinger/"):
        assert client.get(f"/vernerunder/{url}").status_code == expected, url
    assert client.post("/vernerunder/sjekklister/standard/").status_code == expected
    assert not ChecklistTemplate.objects.filter(organisation=world.org).exists()


# --- Doing a round -------------------------------------------------------------------------
def test_a_device_syncs_answers_once(world, client_as):
    round_ = make_round(world)
    client = client_as("leader")
    batch = [answer("q1", "deviation", comment="Esker i rømningsveien"), answer("q2")]
    first = _sync(client, round_, batch).json()
    again = _sync(client, round_, batch).json()
    assert [r["status"] for r in first["results"]] == ["saved", "saved"]
    assert [r["status"] for r in again["results"]] == ["duplicate", "duplicate"]
    assert Answer.objects.filter(round=round_).count() == 2
    bad = client.post(
        f"/vernerunder/{round_.pk}/svar/", "not json", content_type="application/json"
    )
    assert bad.status_code == 400 and "JSON" in bad.json()["error"]


def test_answers_sent_after_closing_are_refused_and_kept_visible(world, client_as):
    round_ = make_round(world)
    answer_all(round_)
    services.sign_round(actor=None, round_=round_, person=world.leader.person)
    services.sign_round(actor=None, round_=round_, person=world.safety_rep.person)
    body = _sync(
        client_as("safety_rep"), round_, [answer("q2", "deviation", comment="Sent")]
    ).json()
    assert body["closed"] is True
    assert body["results"][0]["status"] == "late"
    assert "was closed" in body["results"][0]["message"]
    page = client_as("leader").get(f"/vernerunder/{round_.pk}/").content.decode()
    assert "Sent after closing" in page and "Sent)" in page


def test_the_form_without_javascript_saves_and_a_second_post_adds_nothing(world, client_as):
    round_ = make_round(world)
    client = client_as("safety_rep")
    form = {
        "id-q1": str(uuid.uuid4()),
        "v-q1": "deviation",
        "c-q1": "Lager i gangen",
        "id-q3": str(uuid.uuid4()),
        "n-q3": "21,5",
        "id-q2": str(uuid.uuid4()),
        "id-q4": str(uuid.uuid4()),
    }
    response = client.post(f"/vernerunder/{round_.pk}/sjekkliste/", form)
    assert response.status_code == 302
    client.post(f"/vernerunder/{round_.pk}/sjekkliste/", form)
    # The page again, with fresh ids and the same values: nothing changed, nothing stored.
    client.post(
        f"/vernerunder/{round_.pk}/sjekkliste/",
        {**form, "id-q1": str(uuid.uuid4()), "id-q3": str(uuid.uuid4()), "n-q3": "21.50"},
    )
    assert sorted(Answer.objects.filter(round=round_).values_list("question_key", flat=True)) == [
        "q1",
        "q3",
    ]
    page = client.get(f"/vernerunder/{round_.pk}/sjekkliste/").content.decode()
    assert 'value="deviation" checked' in page and 'value="21.5"' in page


def test_photos_upload_and_are_served_only_through_the_round(world, client_as):
    round_ = make_round(world)
    client = client_as("leader")
    response = client.post(
        f"/vernerunder/{round_.pk}/bilder/",
        {"question": "q1", "id": str(uuid.uuid4()), "photo": jpeg()},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200 and response.json()["status"] == "saved"
    photo = Photo.objects.get()
    served = client_as("hms").get(response.json()["url"])
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content)[:2] == b"\xff\xd8"
    fake = SimpleUploadedFile("x.jpg", b"<html>", content_type="image/jpeg")
    refused = client.post(
        f"/vernerunder/{round_.pk}/bilder/",
        {"question": "q1", "id": str(uuid.uuid4()), "photo": fake},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 422 and "not a photo" in refused.json()["message"]
    # Without JavaScript: one file field per question, and a message on the page.
    plain = client.post(f"/vernerunder/{round_.pk}/bilder/", {"photo-q2": jpeg()})
    assert plain.status_code == 302
    assert Photo.objects.filter(round=round_).count() == 2
    assert photo.image.name.startswith("safety_rounds/")


def test_findings_are_followed_up_and_both_sign(world, client_as):
    round_ = make_round(world)
    answer_all(round_, deviations=("q1", "q2"))
    leader = client_as("leader")
    invalid = leader.post(
        f"/vernerunder/{round_.pk}/funn/q2/",
        {"f-q2-follow_up": "action", "f-q2-severity": "medium", "f-q2-category": "routine"},
    )
    assert invalid.status_code == 422
    assert "needs a responsible person" in invalid.content.decode()
    ok = leader.post(
        f"/vernerunder/{round_.pk}/funn/q2/",
        {
            "f-q2-follow_up": "action",
            "f-q2-severity": "medium",
            "f-q2-category": "routine",
            "f-q2-owner": world.employee.person.pk,
            "f-q2-deadline": "2026-05-01",
        },
    )
    assert ok.status_code == 302
    assert leader.post(f"/vernerunder/{round_.pk}/signer/").status_code == 302
    assert client_as("safety_rep").post(f"/vernerunder/{round_.pk}/signer/").status_code == 302
    again = client_as("safety_rep").post(f"/vernerunder/{round_.pk}/signer/", follow=True)
    assert "already closed" in again.content.decode()
    round_.refresh_from_db()
    assert round_.status == SafetyRound.Status.COMPLETED
    deviation = Deviation.objects.get(organisation=world.org)
    page = leader.get(f"/vernerunder/{round_.pk}/").content.decode()
    assert deviation.reference in page and "Lars Leder" in page
    assert "Eva Ansatt" in page  # the action item's owner


def test_the_report_is_a_pdf_with_the_photos(world, client_as):
    round_ = make_round(world)
    answer_all(round_, deviations=("q1",))
    services.add_photo(
        actor=None, round_=round_, question_key="q1", client_id=uuid.uuid4(), upload=jpeg()
    )
    response = client_as("hms").get(f"/vernerunder/{round_.pk}/rapport.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"/Subtype /Image" in response.content


# --- Checklists and settings ---------------------------------------------------------------
def test_planners_install_import_and_export_checklists(world, client_as):
    client = client_as("hms")
    client.post("/vernerunder/sjekklister/standard/")
    assert ChecklistTemplate.objects.filter(organisation=world.org).count() == 7
    listing = client.get("/vernerunder/sjekklister/").content.decode()
    assert "Vernerunde barnehage" in listing
    content = small_checklist()
    upload = SimpleUploadedFile("mini.json", json.dumps(content).encode(), "application/json")
    response = client.post("/vernerunder/sjekklister/importer/", {"file": upload})
    template = ChecklistTemplate.objects.get(organisation=world.org, key="mini")
    assert response.status_code == 302
    exported = client.get(f"/vernerunder/sjekklister/{template.pk}/eksport/")
    assert exported.status_code == 200
    assert json.loads(exported.content)["sections"] == content["sections"]
    broken = SimpleUploadedFile("x.json", b'{"format": "x"}', "application/json")
    refused = client.post("/vernerunder/sjekklister/importer/", {"file": broken})
    assert refused.status_code == 422 and "trygg-checklist/1" in refused.content.decode()
    assert client_as("employee").get(f"/vernerunder/sjekklister/{template.pk}/").status_code == 200
    assert client_as("outsider").get(f"/vernerunder/sjekklister/{template.pk}/").status_code == 404
    forbidden = client_as("leader").post(
        "/vernerunder/sjekklister/importer/",
        {"file": SimpleUploadedFile("m.json", json.dumps(content).encode())},
    )
    assert forbidden.status_code == 403


def test_planners_plan_rounds_and_set_the_deadline(world, client_as):
    client = client_as("hms")
    response = client.post(
        "/vernerunder/innstillinger/",
        {"deadline_day": "31", "deadline_month": "2", "remind_days_before": "14"},
    )
    assert response.status_code == 200 and "does not exist" in response.content.decode()
    client.post(
        "/vernerunder/innstillinger/",
        {"deadline_day": "15", "deadline_month": "2", "remind_days_before": "14"},
    )
    assert Settings.objects.get(organisation=world.org).deadline_month == 2
    template, _ = services.save_checklist(
        actor=None, organisation=world.org, content=small_checklist()
    )
    response = client.post(
        "/vernerunder/planlegg/",
        {"year": YEAR, "template": template.pk, "under": world.health.pk, "level": "unit"},
    )
    assert response.status_code == 302
    (round_,) = SafetyRound.objects.filter(organisation=world.org)
    assert (round_.unit, str(round_.deadline)) == (world.nursing_home, f"{YEAR}-02-15")


def test_planners_create_an_internal_audit(world, client_as):
    from trygg.safety_rounds.tests.factories import make_checklist

    template = make_checklist(world.org, "internrevisjon-ik")
    response = client_as("hms").post(
        "/vernerunder/revisjon/ny/",
        {
            "title": "Internrevisjon 2026",
            "unit": world.top.pk,
            "scope": "Hele kommunen",
            "template": template.pk,
            "deadline": "2026-11-30",
            "lead_auditor": world.hms.person.pk,
            "team": [world.safety_rep.person.pk],
        },
    )
    assert response.status_code == 302
    audit = SafetyRound.objects.get(kind="internal_audit")
    assert audit.scope == "Hele kommunen"
    assert client_as("safety_rep").get(audit.get_absolute_url()).status_code == 200


# --- Query counts --------------------------------------------------------------------------
def _count(client, url):  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_and_status_take_a_constant_number_of_queries(world, client_as):
    from trygg.org.tests import factories as f

    template, _ = services.save_checklist(
        actor=None, organisation=world.org, content=small_checklist()
    )
    units = [f.make_unit(world.org, f"Enhet {i}", parent=world.health) for i in range(3)]
    services.plan_rounds(
        actor=None, organisation=world.org, year=YEAR, template=template, units=units
    )
    client = client_as("hms")
    few = _count(client, f"/vernerunder/?aar={YEAR}")
    more = [f.make_unit(world.org, f"Flere {i}", parent=world.nursing_home) for i in range(25)]
    rounds = services.plan_rounds(
        actor=None, organisation=world.org, year=YEAR, template=template, units=more
    )
    answer_all(rounds[0], deviations=("q1",))
    services.sign_round(actor=None, round_=rounds[0], person=world.leader.person)
    services.sign_round(actor=None, round_=rounds[0], person=world.safety_rep.person)
    assert rounds[0].findings.count() == 1
    assert _count(client, f"/vernerunder/?aar={YEAR}") == few


def test_the_round_page_takes_a_constant_number_of_queries(world, client_as):
    round_ = make_round(world)
    client = client_as("leader")
    services.record_answers(actor=None, round_=round_, items=[answer("q1", "deviation")])
    few = _count(client, f"/vernerunder/{round_.pk}/")
    checklist_few = _count(client, f"/vernerunder/{round_.pk}/sjekkliste/")
    answer_all(round_, deviations=("q1", "q2"))
    for _ in range(3):
        services.add_photo(
            actor=None, round_=round_, question_key="q2", client_id=uuid.uuid4(), upload=jpeg()
        )
    assert _count(client, f"/vernerunder/{round_.pk}/") == few
    assert _count(client, f"/vernerunder/{round_.pk}/sjekkliste/") == checklist_few


def test_the_status_drills_down_from_areas_to_units(world, client_as):
    done = make_round(world)
    make_round(world, world.ward)
    make_round(world, world.kindergarten)
    answer_all(done)
    services.sign_round(actor=None, round_=done, person=world.leader.person)
    services.sign_round(actor=None, round_=done, person=world.safety_rep.person)
    client = client_as("hms")
    top = client.get(f"/vernerunder/?aar={YEAR}").content.decode()
    assert f"enhet={world.health.pk}" in top and f"enhet={world.school_area.pk}" in top
    health = client.get(f"/vernerunder/?aar={YEAR}&enhet={world.health.pk}")
    areas = {a.label: (a.total, a.done) for a in health.context["areas"]}
    assert areas == {"Solbakken sykehjem": (2, 1)}
    assert {r.unit for r in health.context["page"].object_list} == {world.nursing_home, world.ward}
    # A leader drilling into the whole organisation still sees only their own units.
    leader = client_as("leader").get(f"/vernerunder/?aar={YEAR}&enhet={world.top.pk}")
    assert leader.context["total"].total == 2
    # Another organisation's unit is not a scope.
    outsider = client_as("outsider").get(f"/vernerunder/?aar={YEAR}&enhet={world.health.pk}")
    assert outsider.status_code == 200 and outsider.context["unit"] is None
