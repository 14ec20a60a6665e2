"""The committee year as a new user walks it (issue 3, "Done when"): the HMS coordinator makes
next year's meeting plan and finds the January AMU agenda from the årshjul; the secretary adds
a case, writes minutes with a decision that creates an action item; the chair approves; the
minutes PDF downloads; a case goes to HAMU and onto its next agenda; the AMU annual report is
produced as PDF. Every page is checked with axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from trygg.meetings import services
from trygg.meetings.models import Case, Meeting
from trygg.meetings.tests.factories import make_chair, make_meeting
from trygg.org import services as org_services
from trygg.org.models import Committee, CommitteeMember
from trygg.org.tests import factories as f

pytestmark = pytest.mark.browser

JANUARY_AMU = [
    "Konstituering AMU",
    "Status HMS-opplæring",
    "Arbeidsgivers samarbeidsplan med BHT",
    "Vedta HMS-mål plan med bakgrunn i overordnede mål",
]


@pytest.fixture
def committees(world):
    today = timezone.localdate()
    hamu = f.make_committee(world.org, world.top, Committee.Kind.HAMU, "Hovedarbeidsmiljøutvalget")
    f.make_member(hamu, world.hr.person, CommitteeMember.Side.EMPLOYER)
    org_services.update_committee(
        actor=None,
        committee=world.amu,
        kind=world.amu.kind,
        name=world.amu.name,
        unit=world.amu.unit,
        parent=hamu,
    )
    f.make_member(world.amu, world.leader.person, CommitteeMember.Side.EMPLOYER)
    make_chair(world, today.year)
    past = make_meeting(world.amu, today - dt.timedelta(days=14))
    hamu_next = make_meeting(hamu, today + dt.timedelta(days=21))
    return hamu, past, hamu_next


def submit(browse) -> None:
    with browse.page.expect_navigation():
        browse.page.locator("main form.stacked button[type=submit]").first.click()
    browse.check()


def click(browse, selector: str) -> None:
    with browse.page.expect_navigation():
        browse.page.locator(selector).first.click()
    browse.check()


def test_the_committee_year_walk(browse, world, committees):
    hamu, past, hamu_next = committees
    next_year = timezone.localdate().year + 1
    page = browse.page

    # The HMS coordinator makes next year's meeting plan for the AMU
    browse.login(world.hms)
    click(browse, 'nav.main-nav a[href="/moter/"]')
    click(browse, f'main a[href="/moter/utvalg/{world.amu.pk}/"]')
    click(browse, f'a[href="/moter/utvalg/{world.amu.pk}/moteplan/?year={next_year}"]')
    page.fill("#id_place", "Rådhuset, møterom Fjord")
    submit(browse)
    assert Meeting.objects.filter(committee=world.amu, year=next_year).count() == 10
    january = Meeting.objects.filter(committee=world.amu, year=next_year).order_by("starts_at")[0]
    click(browse, f'main table a[href="/moter/{january.pk}/"]')
    agenda = page.locator("ol.agenda").inner_text()
    for title in JANUARY_AMU:
        assert title in agenda, title
    browse.logout()

    # The secretary adds an ad-hoc case to the meeting just held and writes the minutes
    browse.login(world.secretary)
    browse.visit(f"/moter/{past.pk}/")
    click(browse, f'a[href="/moter/utvalg/{world.amu.pk}/sak/ny/?meeting={past.pk}"]')
    page.fill("#id_title", "Støy i kantina – «stille soner»")
    page.fill("#id_description", "Meldt av ansatte på Avdeling A.")
    submit(browse)
    case = Case.objects.get(title="Støy i kantina – «stille soner»")
    assert case.number_display.endswith(f"/{(next_year - 1) % 100:02d}")
    assert "Støy i kantina" in page.locator("ol.agenda").inner_text()
    click(browse, f'a[href="/moter/{past.pk}/protokoll/"]')
    with page.expect_navigation():
        page.locator("form:has(input[name=present_form]) button[type=submit]").click()
    browse.check()
    click(browse, f'a[href="/moter/sak/{case.pk}/protokoll/"]')
    page.fill("#id_discussion", "Utvalget drøftet tiltak mot støy.")
    page.fill("#id_decision", "Det skal lages stille soner i kantina.")
    submit(browse)
    browse.visit(f"/moter/sak/{case.pk}/")
    click(browse, f'a[href="/moter/sak/{case.pk}/tiltak/"]')
    page.fill("#id_title", "Lage stille soner i kantina")
    page.select_option("#id_owner", str(world.leader.person.pk))
    page.fill("#id_deadline", f"01.03.{next_year}")
    submit(browse)
    assert "Lage stille soner i kantina" in page.locator("main").inner_text()
    browse.logout()

    # The chair approves the minutes; the PDF downloads
    browse.login(world.amu_member)
    browse.visit(f"/moter/{past.pk}/")
    click(browse, f'form[action="/moter/{past.pk}/godkjenn/"] button')
    past.refresh_from_db()
    assert past.minutes_approved_at is not None
    pdf = page.request.get(browse.url(f"/moter/{past.pk}/protokoll.pdf"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    browse.logout()

    # The secretary sends the case to HAMU; HAMU puts it on its next agenda
    browse.login(world.secretary)
    browse.visit(f"/moter/sak/{case.pk}/")
    click(browse, f'a[href="/moter/sak/{case.pk}/send-videre/"]')
    page.fill("#id_statement", "AMU ber HAMU vurdere stille soner i alle kantiner.")
    submit(browse)
    browse.logout()
    browse.login(world.hms)
    browse.visit(f"/moter/utvalg/{hamu.pk}/innkommende/")
    incoming = Case.objects.get(committee=hamu, origin=case)
    click(browse, f'a[href="/moter/sak/{incoming.pk}/registrer/"]')
    assert page.locator("#id_meeting").input_value() == str(hamu_next.pk)
    submit(browse)
    assert browse.path == f"/moter/{hamu_next.pk}/"
    assert "Støy i kantina" in page.locator("ol.agenda").inner_text()
    assert "stille soner i alle kantiner" in page.locator("ol.agenda").inner_text()

    # The AMU annual report, as PDF
    year = timezone.localdate().year
    browse.visit(f"/moter/utvalg/{world.amu.pk}/arsrapport/{year}/")
    with page.expect_navigation():
        page.locator("main form.card button[type=submit]").click()
    browse.check()
    assert "Det skal lages stille soner i kantina." in page.locator("main").inner_text()
    report = page.request.get(
        browse.url(f"/moter/utvalg/{world.amu.pk}/arsrapport/{year}/arsrapport.pdf")
    )
    assert report.status == 200 and report.body().startswith(b"%PDF")


def test_members_and_the_postkasse(browse, world, committees):
    _hamu, past, _hamu_next = committees
    services.propose_case(actor=world.colleague, committee=world.amu, title="Trekk fra vinduene")
    browse.login(world.colleague)
    browse.visit("/moter/postkasse/")
    browse.page.select_option("#id_committee", str(world.amu.pk))
    browse.page.fill("#id_title", "Dårlig lys i gangen")
    submit(browse)
    assert "Dårlig lys i gangen" in browse.page.locator("main h1").inner_text()
    browse.visit("/moter/")
    browse.logout()
    browse.login(world.leader)
    browse.visit(f"/moter/{past.pk}/")
    browse.visit(f"/moter/utvalg/{world.amu.pk}/")
    browse.visit(f"/moter/utvalg/{world.amu.pk}/innkommende/")
