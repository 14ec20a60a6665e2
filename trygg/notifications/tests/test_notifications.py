import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from trygg.notifications.models import Notification
from trygg.notifications.reminders import Reminder, register
from trygg.notifications.reminders import _sources as sources
from trygg.notifications.services import notify, run_reminders


def test_notify_stores_once_and_emails_after_commit(world, django_capture_on_commit_callbacks):
    world.employee.email = "eva@example.org"
    world.employee.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user=world.employee, key="k1", subject="Møte i AMU", url="/moter/")
        again = notify(user=world.employee, key="k1", subject="Møte i AMU", url="/moter/")
    assert first is not None and again is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Møte i AMU"
    assert "http://" in mail.outbox[0].body


def test_users_without_organisation_or_email_get_no_email(
    world, django_capture_on_commit_callbacks
):
    world.employee.email = ""
    world.employee.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(user=world.employee, key="k", subject="Hei")
    assert mail.outbox == []


@pytest.fixture
def source(world):
    def due(day):
        yield Reminder(key=f"test:{day.isoformat()}", user=world.leader, subject="Frist")

    register(due)
    yield due
    sources.remove(due)


def test_the_scheduler_enqueues_the_run_that_sends_due_reminders(world, source):
    call_command("scheduler", "--once")  # the immediate task backend runs it at once
    assert Notification.objects.filter(user=world.leader, key__startswith="test:").count() == 1
    assert run_reminders() == 0


def test_the_inbox_lists_only_my_notifications(client, world):
    notify(user=world.leader, key="a", subject="Til Lars")
    notify(user=world.employee, key="b", subject="Til Eva")
    client.force_login(world.leader)
    body = client.get(reverse("notifications:list")).content.decode()
    assert "Til Lars" in body and "Til Eva" not in body


def test_opening_marks_read_and_goes_to_the_target(client, world):
    mine = notify(user=world.leader, key="a", subject="Sak", url="/tiltak/")
    other = notify(user=world.employee, key="b", subject="Annen")
    client.force_login(world.leader)
    response = client.post(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/tiltak/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.post(reverse("notifications:open", args=[other.pk])).status_code == 404


def test_an_outside_url_is_never_followed(client, world):
    evil = notify(user=world.leader, key="a", subject="Sak", url="https://evil.example/")
    client.force_login(world.leader)
    response = client.post(reverse("notifications:open", args=[evil.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_read_all_and_outsiders(client, world):
    notify(user=world.leader, key="a", subject="En")
    notify(user=world.leader, key="b", subject="To")
    client.force_login(world.leader)
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.unread().exists()
    client.logout()
    assert client.get(reverse("notifications:list")).status_code == 302  # to the login page


def test_the_start_page_shows_unread_notifications(client, world):
    notify(user=world.leader, key="a", subject="Innkalling til AMU")
    client.force_login(world.leader)
    assert "Innkalling til AMU" in client.get(reverse("core:home")).content.decode()


@pytest.mark.parametrize(
    ("arguments", "runs"), [((), 1), (("--date", "01.03.2026"), 0)], ids=["today", "another day"]
)
def test_remind_from_cron_also_runs_the_periodic_jobs(db, monkeypatch, arguments, runs):
    from trygg.lib import periodic

    ran = []
    monkeypatch.setattr(periodic, "_jobs", [lambda: ran.append(1)])
    call_command("remind", *arguments)
    assert len(ran) == runs  # the jobs work on today's data only


def test_the_scheduler_tick_runs_the_periodic_jobs_and_survives_one_that_fails(db, monkeypatch):
    from trygg.lib import periodic

    ran = []

    def broken() -> None:
        raise RuntimeError("broken job")

    monkeypatch.setattr(periodic, "_jobs", [broken, lambda: ran.append(1)])
    call_command("scheduler", "--once")
    assert ran == [1]
