"""Cases flow up: L-AMU → AMU → HAMU, with the statement; both sides see where a case went
and what was decided."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from trygg.meetings import services
from trygg.meetings.models import Case
from trygg.meetings.tests.factories import make_case, make_meeting
from trygg.org import services as org_services
from trygg.org.models import Committee, CommitteeMember
from trygg.org.tests import factories as f

NOW = dt.datetime(2026, 10, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def levels(world):
    with time_machine.travel(NOW, tick=False):
        hamu = f.make_committee(world.org, world.top, Committee.Kind.HAMU, "HAMU")
        f.make_member(
            hamu, world.hms.person, CommitteeMember.Side.EMPLOYER, CommitteeMember.Office.SECRETARY
        )
        org_services.update_committee(
            actor=None,
            committee=world.amu,
            kind=world.amu.kind,
            name=world.amu.name,
            unit=world.amu.unit,
            parent=hamu,
        )
        world.amu.refresh_from_db()
        amu_meeting = make_meeting(world.amu, dt.date(2026, 10, 6))
        hamu_next = make_meeting(hamu, dt.date(2026, 10, 20))
        case = services.add_case(
            actor=None,
            committee=world.amu,
            title="ROS-vold og trusler",
            case_type=Case.Type.STATEMENT,
            meeting=amu_meeting,
        )
        yield world, hamu, case, hamu_next


def test_an_amu_case_goes_to_hamu_and_onto_its_next_agenda(client, levels):
    world, hamu, case, hamu_next = levels
    client.force_login(world.secretary)
    url = reverse("meetings:case_forward", args=[case.pk])
    assert client.post(url, {"statement": ""}).status_code == 200
    response = client.post(url, {"statement": "AMU ber om felles opplæring i vold og trusler."})
    assert response.status_code == 302
    incoming = Case.objects.get(committee=hamu)
    assert incoming.origin == case and incoming.status == Case.Status.PROPOSED
    with pytest.raises(ValidationError):
        services.forward_case(actor=None, case=case, statement="igjen")
    # HAMU's secretary sees it and puts it on the next agenda
    client.force_login(world.hms)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("meetings:incoming", args=[hamu.pk])).content.decode()
        assert "ROS-vold og trusler" in page and world.amu.name in page
        form = client.get(reverse("meetings:case_register", args=[incoming.pk])).context["form"]
        assert form.initial["meeting"] == hamu_next
        client.post(
            reverse("meetings:case_register", args=[incoming.pk]), {"meeting": hamu_next.pk}
        )
        agenda = client.get(hamu_next.get_absolute_url()).content.decode()
    assert "ROS-vold og trusler" in agenda and "felles opplæring" in agenda
    incoming.refresh_from_db()
    services.record_case_minutes(
        actor=None, case=incoming, discussion="", decision="HAMU setter i gang felles kurs."
    )
    with time_machine.travel(dt.datetime(2026, 10, 21, tzinfo=dt.UTC), tick=False):
        services.approve_minutes(actor=None, meeting=hamu_next)
    # The AMU side sees where it went and what was decided
    client.force_login(world.amu_member)
    page = client.get(case.get_absolute_url()).content.decode()
    assert hamu.name in page and "HAMU setter i gang felles kurs." in page
    assert client.get(incoming.get_absolute_url()).status_code == 404  # not a HAMU member


def test_a_case_needs_a_committee_above(world):
    case = make_case(world.amu)
    with pytest.raises(ValidationError):
        services.forward_case(actor=None, case=case, statement="x")


def test_lamu_cases_go_to_the_amu(world):
    lamu = f.make_committee(
        world.org, world.nursing_home, Committee.Kind.LAMU, "L-AMU Solbakken", parent=world.amu
    )
    case = make_case(lamu, title="Løfteutstyr")
    incoming = services.forward_case(actor=None, case=case, statement="Trenger midler.")
    assert incoming.committee == world.amu and incoming.statement == "Trenger midler."
