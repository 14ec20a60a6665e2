"""Background tasks of the scheduler (run by the worker, `trygg db_worker`)."""

from __future__ import annotations

from django_tasks import task

from trygg.notifications import services


@task()
def run_reminders() -> int:
    return services.run_reminders()
