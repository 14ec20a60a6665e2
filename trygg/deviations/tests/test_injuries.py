"""The injury and illness register (AML § 5-1): who may read it, consent before medical
details, the duty to notify for serious injuries, and reads of health data in the audit log."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from trygg.audit.models import AuditEntry
from trygg.deviations import services
from trygg.deviations.models import Deviation, Injury
from trygg.deviations.tests.factories import make_deviation

pytestmark = pytest.mark.django_db


@pytest.fixture
def injury(world) -> Injury:
    return make_deviation(world, category=Deviation.Category.INJURY).injury


@pytest.mark.parametrize(
    "persona,status",
    [
        ("bht", 200),
        ("amu_member", 200),
        ("safety_rep", 200),
        ("leader", 200),
        ("hms", 200),
        ("employee", 404),
        ("colleague", 404),
        ("outsider", 404),
        ("hr", 404),
    ],
)
def test_who_may_read_the_register(client, world, injury, persona, status):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("deviations:injury_register")).status_code == status
    assert client.get(reverse("deviations:injury", args=[injury.pk])).status_code == status


@pytest.mark.parametrize(
    "persona,status", [("bht", 403), ("safety_rep", 403), ("leader", 302), ("hms", 302)]
)
def test_who_may_edit_an_entry(client, world, injury, persona, status):
    client.force_login(getattr(world, persona))
    response = client.post(
        reverse("deviations:injury", args=[injury.pk]),
        {"kind": "injury", "work_being_done": "Forflytning", "absence": "on", "absence_days": "3"},
    )
    assert response.status_code == status
    injury.refresh_from_db()
    assert (injury.absence_days == 3) is (status == 302)


def test_medical_details_need_recorded_consent(client, world, injury):
    client.force_login(world.leader)
    url = reverse("deviations:injury_consent", args=[injury.pk])
    response = client.post(url, {"medical_details": "Brudd i håndledd"})
    assert response.status_code == 400
    injury.refresh_from_db()
    assert injury.medical_details == ""
    with pytest.raises(IntegrityError), transaction.atomic():
        Injury.objects.filter(pk=injury.pk).update(medical_details="x")
    client.post(url, {"consent": "on", "medical_details": "Brudd i håndledd"})
    injury.refresh_from_db()
    assert injury.consent_given and injury.consent_recorded_by == world.leader
    client.force_login(world.bht)
    page = client.get(reverse("deviations:injury", args=[injury.pk]))
    assert "Brudd i håndledd" in page.content.decode()
    assert AuditEntry.objects.filter(
        action="read", object_type="deviations.injury", actor=world.bht
    ).exists()
    services.record_medical_consent(actor=world.leader, injury=injury, consent=False)
    injury.refresh_from_db()
    assert injury.medical_details == "" and not injury.consent_given


def test_a_serious_injury_shows_the_duty_to_notify_and_records_who_did_it(client, world, injury):
    services.update_injury(actor=world.leader, injury=injury, serious=True)
    client.force_login(world.leader)
    page = client.get(injury.deviation.get_absolute_url()).content.decode()
    assert "AML § 5-2" in page and "Notifications missing" in page
    for kind in ("labour_inspection", "police", "nav"):
        response = client.post(
            reverse("deviations:injury_notified", args=[injury.pk, kind]),
            {"on": "02.01.2026", "at": "10:15"},
        )
        assert response.status_code == 302
    injury.refresh_from_db()
    assert injury.police_notified_by == world.leader
    assert injury.labour_inspection_notified_at.year == 2026
    assert not injury.notifications_missing
    response = client.post(
        reverse("deviations:injury_notified", args=[injury.pk, "nav"]),
        {"on": "01.01.2099", "at": "10:00"},
    )
    assert response.status_code == 400


def test_absence_days_need_absence(world, injury):
    with pytest.raises(ValidationError):
        services.update_injury(actor=world.leader, injury=injury, absence=False, absence_days=4)
