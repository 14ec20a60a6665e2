"""Periodic jobs as a registry: work a module wants done on every tick of the scheduler.

The tick (`trygg scheduler` enqueues it every few minutes; the worker runs it) belongs to
notifications, which may not import the modules above it. A module registers its job in
`AppConfig.ready()`; the tick runs every registered job after the reminders. A job is cheap when
there is nothing to do, safe to run twice, and hands long work to background tasks of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

Job = Callable[[], object]
_jobs: list[Job] = []


def register(job: Job) -> Job:
    if job not in _jobs:
        _jobs.append(job)
    return job


def run_jobs() -> None:
    """Run every registered job; one that fails is logged and does not stop the others."""
    for job in _jobs:
        try:
            job()
        except Exception:
            log.exception("periodic job %s failed", getattr(job, "__qualname__", job))
