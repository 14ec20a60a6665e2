"""Attachments: documents only (checked from the content), a size limit, access-checked
downloads."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trygg.meetings import services
from trygg.meetings.models import Attachment
from trygg.meetings.tests.factories import make_case, make_meeting

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def case(world):
    return make_case(world.amu, make_meeting(world.amu, dt.date(2026, 3, 10)))


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("referat.pdf", PDF, "application/pdf"),
        (
            "plan.docx",
            docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("notat.txt", "Møtenotat for AMU – æøå".encode(), "text/plain"),
        ("bilde.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "image/png"),
    ],
)
def test_it_accepts_documents_by_their_content(world, case, name, content, kind):
    attachment = services.add_attachment(
        actor=world.secretary,
        case=case,
        upload=SimpleUploadedFile(name, content, "application/octet-stream"),
    )
    assert attachment.content_type == kind and attachment.filename == name
    assert name not in attachment.file.name  # stored under a random name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"),
        ("side.html", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("bilde.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"),
        ("arkiv.zip", b"PK\x03\x04" + b"\0" * 30),
    ],
)
def test_it_refuses_what_is_not_a_document(world, case, name, content):
    with pytest.raises(ValidationError) as error:
        services.add_attachment(
            actor=world.secretary,
            case=case,
            upload=SimpleUploadedFile(name, content, "application/pdf"),
        )
    assert "file" in error.value.message_dict
    assert not Attachment.objects.exists()


def test_it_refuses_an_oversized_file(world, case):
    services.update_settings(actor=None, organisation_id=world.org.pk, attachment_max_mb=1)
    big = SimpleUploadedFile("stor.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
    with pytest.raises(ValidationError) as error:
        services.add_attachment(actor=world.secretary, case=case, upload=big)
    assert "1 MB" in str(error.value)


def test_downloads_are_access_checked(client, world, case):
    attachment = services.add_attachment(
        actor=world.secretary, case=case, upload=SimpleUploadedFile("referat.pdf", PDF)
    )
    url = reverse("meetings:attachment", args=[attachment.pk])
    client.force_login(world.amu_member)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    for persona in ("colleague", "outsider"):
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 404, persona
    client.force_login(world.amu_member)
    assert (
        client.post(reverse("meetings:attachment_delete", args=[attachment.pk])).status_code == 403
    )


def test_the_case_page_uploads_and_removes(client, world, case):
    client.force_login(world.secretary)
    url = reverse("meetings:case_attach", args=[case.pk])
    response = client.post(url, {"file": SimpleUploadedFile("x.exe", b"MZ\x90\x00")}, follow=True)
    assert "not a document" in response.content.decode()
    client.post(url, {"file": SimpleUploadedFile("referat.pdf", PDF)})
    attachment = Attachment.objects.get()
    client.post(reverse("meetings:attachment_delete", args=[attachment.pk]))
    assert not Attachment.objects.exists()
