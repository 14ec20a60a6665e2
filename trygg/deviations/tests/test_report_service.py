"""report_deviation: the contract other modules (safety rounds) call."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from trygg.audit.models import AuditEntry
from trygg.deviations import services
from trygg.deviations.models import Deviation, Injury
from trygg.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _when(days: int = 1) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def report(world, **kw) -> Deviation:
    args = dict(
        organisation=world.org,
        reporter=world.employee,
        unit=world.ward,
        category=Deviation.Category.NEAR_MISS,
        title="Vått gulv",
        description="Sklei nesten på badet",
        occurred_at=_when(),
        severity=Deviation.Severity.MEDIUM,
    )
    args.update(kw)
    return services.report_deviation(**args)


def test_it_registers_and_hands_the_case_to_the_nearest_leader(world):
    deviation = report(world, location="Bad 2", immediate_action="Tørket opp")
    assert deviation.status == Deviation.Status.REGISTERED
    assert deviation.number == 1
    assert deviation.reference == "AV-1"
    assert deviation.unit_path == world.ward.path
    assert deviation.handler == world.leader  # leads the nursing home above the ward
    assert deviation.deadline == deviation.reported_on + dt.timedelta(days=14)
    assert Notification.objects.filter(user=world.leader).count() == 1
    assert AuditEntry.objects.filter(
        object_type="deviations.deviation", object_id=str(deviation.pk), action="create"
    ).exists()
    assert report(world).number == 2


def test_it_links_the_source_object(world):
    deviation = report(world, source=world.amu)
    assert deviation.source == world.amu


def test_it_takes_the_deadline_from_the_organisations_settings(world):
    row = services.settings_for(world.org.pk)
    row.deadline_critical_days = 2
    row.save()
    deviation = report(world, severity=Deviation.Severity.CRITICAL)
    assert deviation.deadline == deviation.reported_on + dt.timedelta(days=2)


def test_it_refuses_a_unit_of_another_organisation_and_a_future_time(world):
    other_unit = world.outsider.person.employments.first().unit
    with pytest.raises(ValidationError) as error:
        report(world, unit=other_unit)
    assert "unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        report(world, occurred_at=timezone.now() + dt.timedelta(hours=2))
    assert "occurred_at" in error.value.message_dict
    assert Deviation.objects.count() == 0


def test_an_anonymous_report_keeps_no_reporter_time_or_name(world):
    code = services.new_receipt_code()
    deviation = report(
        world, anonymous=True, reporter_name="Eva", receipt_code=code, occurred_at=_when(2)
    )
    deviation.refresh_from_db()
    assert deviation.reporter is None and deviation.reporter_name == ""
    assert deviation.reported_at is None
    local = timezone.localtime(deviation.occurred_at)
    assert (local.hour, local.minute) == (0, 0)
    assert deviation.receipt_hash == services.hash_receipt(code.lower().replace("-", ""))
    entry = AuditEntry.objects.get(object_type="deviations.deviation", action="create")
    assert entry.actor is None and entry.actor_name == ""
    assert "receipt_hash" not in entry.changes["after"]
    # Nor does the audit log keep the time of day the report came in.
    assert entry.time_withheld
    logged = timezone.localtime(entry.created_at)
    assert (logged.hour, logged.minute, logged.second) == (0, 0, 0)
    assert str(entry).startswith(f"{logged:%d.%m.%Y} ") and ":" not in str(entry)[:17]


def test_a_named_report_keeps_its_time_in_the_audit_log(world):
    report(world)
    entry = AuditEntry.objects.get(object_type="deviations.deviation", action="create")
    assert not entry.time_withheld


def test_a_repeated_idempotency_key_gives_the_same_case(world):
    first = report(world, idempotency_key="abc")
    second = report(world, idempotency_key="abc")
    assert first.pk == second.pk
    assert Deviation.objects.count() == 1


def test_an_injury_opens_a_register_entry(world):
    deviation = report(world, category=Deviation.Category.INJURY)
    assert Injury.objects.get(deviation=deviation).kind == Injury.Kind.INJURY
    illness = report(world, category=Deviation.Category.ILLNESS)
    assert illness.injury.kind == Injury.Kind.ILLNESS


def test_violence_details_are_kept_for_the_violence_category(world):
    deviation = report(
        world,
        category=Deviation.Category.VIOLENCE,
        violence={"violence_situation": "Stell", "working_alone": True},
    )
    assert deviation.violence_situation == "Stell" and deviation.working_alone is True
