import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from trygg.actions.models import ActionItem
from trygg.actions.services import complete_action_item, create_action_item, update_action_item
from trygg.actions.tests.factories import make_item
from trygg.audit.models import AuditEntry
from trygg.notifications.models import Notification
from trygg.org.tests import factories as f


def test_it_creates_an_item_in_the_source_organisation_and_logs_it(world):
    item = create_action_item(
        actor=world.leader,
        title="  Sikre reolen  ",
        owner=world.employee.person,
        unit=world.ward,
        deadline=dt.date(2026, 12, 1),
        source=world.ward,
    )
    assert item.organisation_id == world.org.pk
    assert item.title == "Sikre reolen"
    assert item.source == world.ward
    assert item.created_by == world.leader
    assert AuditEntry.objects.filter(
        object_type="actions.actionitem", object_id=str(item.pk), action="create"
    ).exists()


def test_the_owner_is_told_once_by_notification_and_email(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world.employee.email = "eva@example.org"
        world.employee.save()
        item = make_item(actor=world.leader, owner=world.employee.person, unit=world.ward)
        update_action_item(actor=world.leader, item=item, title="Sikre reolen i lageret")
    assert Notification.objects.filter(user=world.employee).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["eva@example.org"]


def test_nobody_is_told_about_their_own_item(world):
    make_item(actor=world.employee, owner=world.employee.person, unit=world.ward)
    assert not Notification.objects.exists()


def test_it_refuses_a_blank_title_and_an_owner_from_another_organisation(world):
    stranger = f.make_person(world.other_org, "Otto", "Annen")
    with pytest.raises(ValidationError) as error:
        create_action_item(actor=world.leader, title=" ", owner=stranger, unit=world.ward)
    assert set(error.value.message_dict) == {"title", "owner"}
    assert not ActionItem.objects.exists()


def test_completing_sets_the_time_and_reopening_clears_it(world):
    item = make_item(actor=world.leader, owner=world.employee.person, unit=world.ward)
    complete_action_item(actor=world.employee, item=item, result="Reolen er festet til veggen.")
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE
    assert item.completed_at is not None
    assert item.result == "Reolen er festet til veggen."
    update_action_item(actor=world.employee, item=item, status=ActionItem.Status.OPEN)
    item.refresh_from_db()
    assert item.completed_at is None


def test_update_refuses_unknown_fields(world):
    item = make_item(actor=world.leader, unit=world.ward)
    with pytest.raises(TypeError):
        update_action_item(actor=world.leader, item=item, organisation_id=world.other_org.pk)
