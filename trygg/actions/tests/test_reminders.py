import datetime as dt

from django.core.management import call_command

from trygg.actions.mytasks import action_item_reminders, action_item_tasks, action_items_figure
from trygg.actions.services import complete_action_item
from trygg.actions.tests.factories import make_item
from trygg.lib.figures import FigureRequest
from trygg.notifications.models import Notification
from trygg.notifications.services import run_reminders

DAY = dt.date(2026, 11, 20)


def _keys(day):
    return sorted((r.user.username, r.key.split(":")[2]) for r in action_item_reminders(day))


def test_owners_are_reminded_before_and_owner_and_creator_after_the_deadline(world):
    soon = make_item(actor=world.leader, owner=world.employee.person, deadline=DAY)
    late = make_item(actor=world.leader, owner=world.employee.person, deadline=DAY)
    make_item(actor=world.leader, owner=world.employee.person, deadline=DAY + dt.timedelta(10))
    assert _keys(DAY - dt.timedelta(days=3)) == [("employee", "soon"), ("employee", "soon")]
    complete_action_item(actor=world.employee, item=soon)
    assert _keys(DAY + dt.timedelta(days=1)) == [("employee", "overdue"), ("leader", "overdue")]
    assert late.pk


def test_the_tick_sends_each_reminder_once(world):
    make_item(actor=world.leader, owner=world.employee.person, deadline=DAY)
    assert run_reminders(day=DAY + dt.timedelta(days=2)) == 2
    assert run_reminders(day=DAY + dt.timedelta(days=2)) == 0
    call_command("remind", "--date", "23.11.2026")
    assert Notification.objects.filter(key__contains=":overdue:").count() == 2


def test_a_new_deadline_gives_a_new_reminder(world):
    item = make_item(actor=world.leader, owner=world.employee.person, deadline=DAY)
    run_reminders(day=DAY + dt.timedelta(days=1))
    item.deadline = DAY + dt.timedelta(days=5)
    item.save()
    assert run_reminders(day=DAY + dt.timedelta(days=6)) == 2


def test_my_tasks_lists_open_items_owned_by_the_user(world, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC))
    make_item(actor=world.leader, owner=world.employee.person, deadline=DAY, title="Gammel")
    done = make_item(actor=world.leader, owner=world.employee.person, title="Ferdig")
    complete_action_item(actor=world.employee, item=done)
    make_item(actor=world.leader, owner=world.leader.person, title="Ikke din")
    tasks = action_item_tasks(world.employee)
    assert [(t.title, t.overdue) for t in tasks] == [("Gammel", True)]


def test_the_figure_counts_items_in_the_committee_units_and_period(world):
    make_item(actor=world.leader, unit=world.ward, deadline=DAY)
    make_item(actor=world.leader, unit=world.kindergarten, deadline=DAY)
    make_item(actor=world.leader, unit=world.ward, deadline=dt.date(2025, 1, 1))
    figure = action_items_figure(
        FigureRequest(
            organisation_id=world.org.pk,
            unit_paths=(world.health.path,),
            start=dt.date(2026, 9, 1),
            end=dt.date(2026, 12, 31),
        )
    )
    assert figure.rows[0][1] == "1"
