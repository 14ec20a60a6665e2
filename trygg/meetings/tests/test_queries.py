"""The agenda, a meeting, the committee page and the overview keep a constant number of SQL
queries however many cases, meetings and years there are."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trygg.meetings import services
from trygg.meetings.tests.factories import make_case, make_meeting
from trygg.org.models import Committee
from trygg.org.tests import factories as f


def count(client, url: str) -> int:
    client.get(url)  # warm the per-organisation caches the same way for both counts
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def add_rows(world, meeting, n: int, year: int) -> None:
    other = make_meeting(world.amu, dt.date(year, 11, 10))
    for i in range(n):
        case = make_case(world.amu, meeting, title=f"Sak {i}")
        make_case(world.amu, other, title=f"Annen sak {i}")
        services.add_attachment(
            actor=None, case=case, upload=SimpleUploadedFile(f"v{i}.pdf", b"%PDF-1.4 test")
        )
        services.record_case_minutes(actor=None, case=case, discussion="d", decision="v")
    services.record_attendance(
        actor=None,
        meeting=meeting,
        present=[world.amu_member.person.pk],
        absent=[world.secretary.person.pk],
    )


def test_meeting_page_and_agenda_pdf_html(client, world, django_assert_num_queries):
    meeting = make_meeting(world.amu, dt.date(2026, 3, 10))
    client.force_login(world.secretary)
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    add_rows(world, meeting, 1, 2026)
    few = count(client, url)
    add_rows(world, meeting, 12, 2027)
    assert count(client, url) == few
    minutes = reverse("meetings:minutes", args=[meeting.pk])
    few_minutes = count(client, minutes)
    add_rows(world, meeting, 5, 2028)
    assert count(client, minutes) == few_minutes
    client.get(url)
    with django_assert_num_queries(few):
        client.get(url)


def test_committee_page_and_overview(client, world):
    client.force_login(world.hms)
    committee_url = reverse("meetings:committee_detail", args=[world.amu.pk]) + "?year=2026"
    overview = reverse("meetings:overview")
    make_meeting(world.amu, dt.date(2026, 2, 10))
    few = (count(client, committee_url), count(client, overview))
    for year in (2024, 2025, 2026):
        for month in (3, 4, 5, 6):
            meeting = make_meeting(world.amu, dt.date(year, month, 12))
            make_case(world.amu, meeting)
        services.propose_case(actor=world.colleague, committee=world.amu, title=f"Forslag {year}")
        make_case(world.amu)
    for name in ("AMU Oppvekst", "AMU Teknisk"):
        committee = f.make_committee(world.org, world.school_area, Committee.Kind.AMU, name)
        make_meeting(committee, dt.date(2030, 1, 8))
    assert (count(client, committee_url), count(client, overview)) == few


def test_incoming_cases(client, world):
    client.force_login(world.secretary)
    url = reverse("meetings:incoming", args=[world.amu.pk])
    services.propose_case(actor=world.colleague, committee=world.amu, title="En")
    few = count(client, url)
    for i in range(8):
        services.propose_case(actor=world.employee, committee=world.amu, title=f"Flere {i}")
    assert count(client, url) == few
