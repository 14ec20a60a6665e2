"""The registry behind "Mine oppgaver": each app registers a provider of the user's open tasks.

A provider is a function `(user) -> list[TaskItem]`; apps register theirs in AppConfig.ready(),
so the start page needs no knowledge of the modules that feed it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from trygg.lib.typing import AnyUser


@dataclass(frozen=True)
class TaskItem:
    title: str
    url: str
    due: dt.date | None = None
    context: str = ""
    overdue: bool = False


Provider = Callable[[AnyUser], list[TaskItem]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def tasks_for(user: AnyUser) -> list[TaskItem]:
    items = [item for provider in _providers for item in provider(user)]
    return sorted(items, key=lambda item: (item.due is None, item.due or dt.date.max, item.title))
