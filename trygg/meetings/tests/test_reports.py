"""Annual reports: the AMU report with the content of seed 000, editable until adopted, as PDF;
the HAMU report aggregates the AMU reports; adopted reports document § 5 no. 8."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from trygg.lib import controls
from trygg.meetings import services
from trygg.meetings.models import AnnualReport
from trygg.meetings.tests.factories import make_case, make_meeting
from trygg.org import services as org_services
from trygg.org.models import Committee
from trygg.org.tests import factories as f


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_amu_report_is_started_edited_adopted_and_printed(client, world):
    meeting = make_meeting(world.amu, dt.date(2025, 5, 6))
    case = make_case(world.amu, meeting, title="Ny turnus")
    services.record_case_minutes(actor=None, case=case, discussion="", decision="Innført.")
    services.approve_minutes(actor=None, meeting=meeting)
    client.force_login(world.secretary)
    url = reverse("meetings:annual_report", args=[world.amu.pk, 2025])
    page = client.get(url)
    assert page.status_code == 200 and page.context["report"] is None
    client.post(url)
    report = AnnualReport.objects.get(committee=world.amu, year=2025)
    assert "Ny turnus" in report.measures and "Innført." in report.measures
    page = client.get(url)
    kinds = [f["kind"] for f in page.context["key_figures"]]
    assert {"sick_leave", "deviations", "safety_rounds", "risk_assessments", "training"} <= set(
        kinds
    )
    client.post(
        url,
        {
            "measures": report.measures,
            "goal_attainment": "Målet om sykefravær under 5,4 % ble nådd.",
            "training": "12 av 14 medlemmer har 40-timerskurset.",
            "input_to_parent": "Felles opplæring i vold og trusler.",
        },
    )
    report.refresh_from_db()
    assert report.goal_attainment.startswith("Målet")
    response = client.get(reverse("meetings:annual_report_pdf", args=[world.amu.pk, 2025]))
    text = pdf_text(response.content)
    assert "Målet om sykefravær under 5,4 % ble nådd." in text and "Ny turnus" in text
    client.post(reverse("meetings:annual_report_adopt", args=[world.amu.pk, 2025]))
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.ADOPTED and report.frozen_figures
    with pytest.raises(ValidationError):
        services.update_annual_report(actor=None, report=report, training="x")
    records = controls.records_for(8, world.org.pk)
    assert [r.url for r in records] == [report.get_absolute_url()]
    assert controls.records_for(8, world.org.pk, world.school_area.path) == []


def test_members_read_and_others_do_not(client, world):
    services.start_annual_report(actor=None, committee=world.amu, year=2025)
    url = reverse("meetings:annual_report", args=[world.amu.pk, 2025])
    client.force_login(world.amu_member)
    assert client.get(url).status_code == 200
    assert client.post(url, {"training": "x"}).status_code == 403
    assert (
        client.post(reverse("meetings:annual_report_adopt", args=[world.amu.pk, 2025])).status_code
        == 403
    )
    for persona in ("colleague", "outsider"):
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 404
        assert (
            client.get(reverse("meetings:annual_report_pdf", args=[world.amu.pk, 2025])).status_code
            == 404
        )


def test_the_hamu_report_aggregates_the_amu_reports(client, world):
    hamu = f.make_committee(world.org, world.top, Committee.Kind.HAMU, "HAMU")
    org_services.update_committee(
        actor=None,
        committee=world.amu,
        kind=world.amu.kind,
        name=world.amu.name,
        unit=world.amu.unit,
        parent=hamu,
    )
    amu_report = services.start_annual_report(actor=None, committee=world.amu, year=2025)
    services.update_annual_report(
        actor=None, report=amu_report, input_to_parent="Mer BHT-tid til hjemmetjenesten."
    )
    services.start_annual_report(actor=None, committee=hamu, year=2025)
    client.force_login(world.hms)
    page = client.get(reverse("meetings:annual_report", args=[hamu.pk, 2025]))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.amu.name in html and "Mer BHT-tid til hjemmetjenesten." in html
    assert "input_to_parent" not in page.context["form"].fields
    text = pdf_text(client.get(reverse("meetings:annual_report_pdf", args=[hamu.pk, 2025])).content)
    assert "Mer BHT-tid til hjemmetjenesten." in text


def test_a_report_is_started_once(world):
    services.start_annual_report(actor=None, committee=world.amu, year=2025)
    with pytest.raises(ValidationError):
        services.start_annual_report(actor=None, committee=world.amu, year=2025)


def test_a_year_out_of_range_is_not_found(client, world):
    client.force_login(world.secretary)
    assert (
        client.get(reverse("meetings:annual_report", args=[world.amu.pk, 1800])).status_code == 404
    )
    assert (
        client.post(reverse("meetings:annual_report", args=[world.amu.pk, 30000])).status_code
        == 404
    )
    assert not AnnualReport.objects.exists()
