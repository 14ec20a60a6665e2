"""Background tasks of the goals app, run by the worker (`trygg db_worker`)."""

from __future__ import annotations

from django_tasks import task

from trygg.goals import readings


@task()
def refresh_readings(*, goal_ids: list[int]) -> int:
    """Compute the stored readings of these goals again (asked for by a page that showed an
    older one, or by the scheduler for readings of an earlier day)."""
    return readings.refresh(goal_ids)
