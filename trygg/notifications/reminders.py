"""The one reminder scheduler (DESIGN.md): modules register sources of due reminders.

A source is `source(day) -> Iterable[Reminder]`: everything that is due on `day` (deadlines,
meetings, milestones). The periodic tick (`trygg scheduler`, started by `make run`, or
`trygg remind` from cron) collects them and hands each to `services.notify`, which stores it
once per user and key and queues the email. A source may return the same reminder on every
tick; the key makes sending it once the engine's job, not the source's.

Keys name the thing and the occasion, e.g. `action-item:42:overdue:2026-03-01`: a new deadline
gives a new reminder, the same deadline never a second one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from trygg.lib.typing import AnyUser


@dataclass(frozen=True)
class Reminder:
    key: str
    user: AnyUser
    subject: str
    body: str = ""
    url: str = ""


Source = Callable[[dt.date], Iterable[Reminder]]
_sources: list[Source] = []


def register(source: Source) -> Source:
    if source not in _sources:
        _sources.append(source)
    return source


def due_reminders(day: dt.date) -> Iterable[Reminder]:
    for source in _sources:
        yield from source(day)
