"""The organisation's data version: the newest audit entry, which every write leaves."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.core.signals import request_finished, request_started
from django.db import close_old_connections

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


@contextlib.contextmanager
def _request() -> Iterator[None]:
    """The signals of one request, without closing the test's database connection (as the
    test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        request_started.send(sender=None)
        try:
            yield
        finally:
            request_finished.send(sender=None)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


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
    with _request():
        with django_assert_num_queries(1):
            assert latest_entry_id(organisation.pk) == first.pk
            assert latest_entry_id(organisation.pk) == first.pk
        second = _event(organisation)
        assert latest_entry_id(organisation.pk) == second.pk


def test_the_next_request_sees_changes_made_between_requests(db):
    organisation = Organisation.objects.create(name="Testkommune", slug="test")
    with _request():
        first = latest_entry_id(organisation.pk)
    change = _event(organisation)  # another process, or a command
    with _request():
        assert latest_entry_id(organisation.pk) == change.pk != first
