"""Reporting: logged in with a photo, through the public link (honeypot, rate limit, double
submit) and anonymously with a receipt code the reporter follows and answers through."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from trygg.audit.models import AuditEntry
from trygg.deviations import services
from trygg.deviations.models import Attachment, Comment, Deviation
from trygg.deviations.tests.factories import jpeg_with_gps

pytestmark = pytest.mark.django_db


def _data(world, **kw):  # type: ignore[no-untyped-def]
    data = {
        "category": "near_miss",
        "description": "Vått gulv <script>alert(1)</script>",
        "unit": world.ward.pk,
        "location": "Bad 2",
        "occurred_on": "01.02.2026",
        "occurred_time": "14:30",
        "severity": "medium",
        "token": "tok-1",
    }
    data.update(kw)
    return data


def test_the_form_is_prefilled_from_the_qr_link(client, world):
    client.force_login(world.employee)
    response = client.get(reverse("deviations:report") + f"?enhet={world.ward.pk}&sted=Bad+2")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["unit"] == world.ward.pk and form.initial["location"] == "Bad 2"


def test_a_report_with_a_photo_loses_its_location_data(client, world):
    client.force_login(world.employee)
    photo = SimpleUploadedFile("IMG_1.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(reverse("deviations:report"), _data(world, files=[photo]))
    deviation = Deviation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("deviations:receipt", args=[deviation.pk])
    assert deviation.reporter == world.employee and deviation.handler == world.leader
    assert deviation.title.startswith("Vått gulv")
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as stored:
        data = stored.read()
    assert b"SpyCam" not in data
    assert not Image.open(io.BytesIO(data)).getexif()
    page = client.get(response.url)
    assert deviation.reference in page.content.decode()
    detail = client.get(deviation.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in detail and "&lt;script&gt;" in detail
    served = client.get(reverse("deviations:attachment", args=[deviation.pk, attachment.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    client.force_login(world.colleague)
    assert (
        client.get(reverse("deviations:attachment", args=[deviation.pk, attachment.pk])).status_code
        == 404
    )


def test_it_refuses_a_file_that_only_pretends_to_be_a_photo(client, world):
    client.force_login(world.employee)
    fake = SimpleUploadedFile(
        "photo.jpg", b"<html><script>x</script></html>", content_type="image/jpeg"
    )
    response = client.post(reverse("deviations:report"), _data(world, files=[fake]))
    assert response.status_code == 200
    assert "files" in response.context["form"].errors
    assert not Deviation.objects.exists()


def test_it_explains_missing_fields_and_a_future_date(client, world):
    client.force_login(world.employee)
    response = client.post(
        reverse("deviations:report"), _data(world, description="", occurred_on="01.01.2099")
    )
    errors = response.context["form"].errors
    assert "description" in errors and "occurred_on" in errors
    assert not Deviation.objects.exists()


def test_a_double_submit_creates_one_case(client, world):
    client.force_login(world.employee)
    client.post(reverse("deviations:report"), _data(world))
    client.post(reverse("deviations:report"), _data(world))
    assert Deviation.objects.count() == 1


def test_an_anonymous_report_from_a_logged_in_user_keeps_no_trace_of_them(client, world):
    client.force_login(world.employee)
    response = client.post(reverse("deviations:report"), _data(world, anonymous="on"))
    assert response.status_code == 302
    receipt = client.get(response.url)
    code = receipt.context["code"]
    deviation = Deviation.objects.get()
    assert deviation.is_anonymous and deviation.reporter is None and deviation.reported_at is None
    assert not deviation.occurred_time_known
    for entry in AuditEntry.objects.filter(object_type__startswith="deviations."):
        assert entry.actor_id is None and "employee" not in str(entry.changes)
    client.force_login(world.leader)
    page = client.get(deviation.get_absolute_url()).content.decode()
    facts = page.split('<dl class="dev-facts">')[1].split("</dl>")[0]
    assert "Eva Ansatt" not in facts and "14:30" not in facts and "Anonymous" in facts
    history = page.split('id="history-h"')[1]
    assert "employee" not in history and "Eva" not in history
    assert services.hash_receipt(code) == deviation.receipt_hash


def _public_url(world, **params):  # type: ignore[no-untyped-def]
    key = services.settings_for(world.org.pk).public_key
    url = reverse("deviations:public_report", args=[key])
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


def test_the_public_link_reports_without_an_account_and_follows_with_the_code(client, world):
    url = _public_url(world, enhet=world.ward.pk)
    assert client.get(url).context["form"].initial["unit"] == world.ward.pk
    response = client.post(url, _data(world, anonymous="on", token="pub-1"))
    assert response.status_code == 302
    code = client.get(response.url).context["code"]
    deviation = Deviation.objects.get()
    assert deviation.is_anonymous and deviation.handler == world.leader

    services.add_comment(
        actor=world.leader, deviation=deviation, body="Hvilket bad?", kind=Comment.Kind.QUESTION
    )
    services.add_comment(actor=world.leader, deviation=deviation, body="Intern merknad")
    fresh = client.__class__()
    assert fresh.post(reverse("deviations:follow"), {"code": "WRONG-CODE"}).status_code == 200
    response = fresh.post(reverse("deviations:follow"), {"code": code.lower()})
    assert response.status_code == 302
    page = fresh.get(reverse("deviations:follow_case"))
    text = page.content.decode()
    assert "Hvilket bad?" in text and "Intern merknad" not in text
    fresh.post(reverse("deviations:follow_case"), {"body": "Badet i 2. etasje"})
    answer = Comment.objects.get(kind=Comment.Kind.ANSWER)
    assert answer.author is None and answer.created_at is None


def test_a_double_submit_on_the_public_form_shows_the_first_receipt(client, world):
    url = _public_url(world)
    first = client.post(url, _data(world, token="pub-2"))
    second = client.post(url, _data(world, token="pub-2"))
    assert first.url == second.url
    assert Deviation.objects.count() == 1


def test_the_honeypot_stores_nothing(client, world):
    response = client.post(_public_url(world), _data(world, website="http://spam"))
    assert response.status_code == 200
    assert not Deviation.objects.exists()


def test_the_public_form_is_rate_limited(client, world):
    url = _public_url(world)
    for n in range(10):
        client.post(url, _data(world, token=f"t{n}"))
    response = client.post(url, _data(world, token="t-last"))
    assert "Too many" in str(response.context["form"].non_field_errors())
    assert Deviation.objects.count() == 10


def test_a_closed_or_unknown_public_link_is_404(client, world):
    assert client.get(reverse("deviations:public_report", args=["nope"])).status_code == 404
    row = services.settings_for(world.org.pk)
    row.public_reporting = False
    row.save()
    assert client.get(_public_url(world)).status_code == 404


def test_a_member_opening_the_public_link_gets_the_logged_in_form(client, world):
    client.force_login(world.employee)
    response = client.get(_public_url(world, enhet=world.ward.pk))
    assert response.status_code == 302 and response.url.startswith(reverse("deviations:report"))


def test_the_poster_has_a_qr_code_for_the_unit(client, world):
    client.force_login(world.leader)
    response = client.get(reverse("deviations:poster") + f"?enhet={world.ward.pk}&sted=Bad")
    assert response.status_code == 200
    assert "<svg" in response.context["qr_svg"]
    assert f"enhet={world.ward.pk}" in response.context["url"]
    client.force_login(world.outsider)
    assert client.get(reverse("deviations:poster") + f"?enhet={world.ward.pk}").status_code == 404


def test_a_report_today_without_a_time_is_accepted_just_after_midnight(client, world, settings):
    import datetime as dt

    from django.utils import timezone

    just_after_midnight = timezone.make_aware(dt.datetime(2026, 3, 2, 0, 20))
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=just_after_midnight):
        client.force_login(world.employee)
        response = client.post(
            reverse("deviations:report"),
            _data(world, occurred_on="02.03.2026", occurred_time="", anonymous="on"),
        )
    assert response.status_code == 302, response.context["form"].errors
    assert Deviation.objects.get().occurred_at < just_after_midnight
