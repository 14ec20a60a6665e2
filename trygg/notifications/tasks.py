"""Background tasks of the scheduler (run by the worker, `trygg db_worker`)."""

from __future__ import annotations

from django_tasks import task

from trygg.lib import periodic
from trygg.notifications import services


@task()
def run_reminders() -> int:
    """One tick: the due reminders, then the periodic jobs other modules registered
    (`trygg.lib.periodic`, e.g. refreshing the HMS goals' readings of an earlier day)."""
    sent = services.run_reminders()
    periodic.run_jobs()
    return sent
