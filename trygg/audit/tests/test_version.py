"""The organisation's data version: the newest audit entry, which every write leaves."""

from __future__ import annotations

from django.core.signals import request_finished, request_started

from trygg.accounts.models import Organisation
from trygg.audit.models import AuditEntry
from trygg.audit.queries import latest_entry_id
from trygg.audit.services import record_change, record_event


def _event(organisation: Organisation) -> AuditEntry:
    return record_event(
        actor=None,
        organisation_id=organisation.pk,
        action=AuditEntry.Action.UPDATE,
        object_type="test.change",
        description="A change",
    )


def test_an_entry_whose_time_is_withheld_is_still_the_newest(db):
    organisation = Organisation.objects.create(name="Testkommune", slug="test")
    _event(organisation)
    withheld = record_change(
        actor=None,
        instance=organisation,
        action=AuditEntry.Action.UPDATE,
        organisation_id=organisation.pk,
        date_only=True,
    )
    assert withheld.time_withheld
    assert latest_entry_id(organisation.pk) == withheld.pk


def test_a_request_reads_the_version_once_and_again_after_it_writes(db, django_assert_num_queries):
    organisation = Organisation.objects.create(name="Testkommune", slug="test")
    first = _event(organisation)
    request_started.send(sender=None)
    try:
        with django_assert_num_queries(1):
            assert latest_entry_id(organisation.pk) == first.pk
            assert latest_entry_id(organisation.pk) == first.pk
        second = _event(organisation)
        assert latest_entry_id(organisation.pk) == second.pk
    finally:
        request_finished.send(sender=None)


def test_the_next_request_sees_changes_made_between_requests(db):
    organisation = Organisation.objects.create(name="Testkommune", slug="test")
    request_started.send(sender=None)
    first = latest_entry_id(organisation.pk)
    request_finished.send(sender=None)
    change = _event(organisation)  # another process, or a command
    request_started.send(sender=None)
    try:
        assert latest_entry_id(organisation.pk) == change.pk != first
    finally:
        request_finished.send(sender=None)
