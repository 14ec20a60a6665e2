"""Cases: numbers NN/YY per committee and year, never duplicated, and the postkasse."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from trygg.audit.models import AuditEntry
from trygg.meetings import services
from trygg.meetings.models import Case
from trygg.meetings.tests.factories import make_case, make_meeting
from trygg.org.models import Committee
from trygg.org.tests import factories as f


def test_it_numbers_cases_per_committee_and_year(world):
    meeting = make_meeting(world.amu, dt.date(2026, 3, 10))
    first = make_case(world.amu, meeting)
    second = make_case(world.amu, meeting)
    other = f.make_committee(world.org, world.school_area, Committee.Kind.AMU, "AMU Oppvekst")
    elsewhere = make_case(other)
    next_year = make_case(world.amu, make_meeting(world.amu, dt.date(2027, 1, 12)))
    assert (first.number, second.number) == (1, 2)
    assert first.number_display == "01/26"
    assert str(first.label) == "Case 01/26" or "01/26" in str(first.label)
    assert elsewhere.number == 1
    assert (next_year.year, next_year.number_display) == (2027, "01/27")
    assert [c.position for c in (first, second)] == [1, 2]
    assert AuditEntry.objects.filter(object_type="meetings.case", action="create").count() == 4


def test_it_refuses_a_case_without_a_title(world):
    with pytest.raises(ValidationError) as error:
        services.add_case(actor=world.secretary, committee=world.amu, title="   ")
    assert "title" in error.value.message_dict
    assert not Case.objects.exists()


def test_the_database_refuses_a_duplicate_number(world):
    case = make_case(world.amu)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            organisation=world.org,
            committee=world.amu,
            title="Kopi",
            year=case.year,
            number=case.number,
            status=Case.Status.REGISTERED,
        )


def test_a_proposal_gets_its_number_when_the_secretary_takes_it_up(world):
    meeting = make_meeting(world.amu, dt.date(2026, 5, 12))
    make_case(world.amu, meeting)
    proposal = services.propose_case(
        actor=world.colleague, committee=world.amu, title="Støy i barnehagen"
    )
    assert proposal.number is None and proposal.status == Case.Status.PROPOSED
    registered = services.register_case(actor=world.secretary, case=proposal, meeting=meeting)
    assert registered.number == 2 and registered.meeting == meeting
    assert registered.status == Case.Status.REGISTERED
    with pytest.raises(ValidationError):
        services.register_case(actor=world.secretary, case=registered, meeting=meeting)


def test_a_proposal_can_be_turned_down_with_a_reason(world):
    proposal = services.propose_case(actor=world.colleague, committee=world.amu, title="Kaffe")
    with pytest.raises(ValidationError):
        services.reject_case(actor=world.secretary, case=proposal, reason=" ")
    services.reject_case(actor=world.secretary, case=proposal, reason="Hører til personalmøtet.")
    proposal.refresh_from_db()
    assert proposal.status == Case.Status.REJECTED and proposal.number is None


@pytest.mark.django_db(transaction=True)
def test_two_people_adding_cases_at_once_get_different_numbers(world):
    """The counter row is locked FOR UPDATE. SQLite's in-memory test database cannot run two
    writers at once, so this runs on PostgreSQL (scripts/with_postgres.py)."""
    if connection.vendor == "sqlite":
        pytest.skip("needs a database server that runs two transactions at once")
    committee_id = world.amu.pk
    barrier = threading.Barrier(2)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def add(title: str) -> None:
        try:
            committee = Committee.objects.get(pk=committee_id)
            barrier.wait(timeout=10)
            for i in range(5):
                case = services.add_case(actor=None, committee=committee, title=f"{title} {i}")
                numbers.append(case.number)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(name,)) for name in ("Anne", "Bjørn")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sorted(numbers) == list(range(1, 11)), connection.vendor
    assert Case.objects.filter(committee_id=committee_id).count() == 10
