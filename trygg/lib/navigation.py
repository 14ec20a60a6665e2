"""The main menu as a registry: each app adds its entries in AppConfig.ready().

An entry is a label, a URL name and a test of whether the user may see it. The menu is built
in `trygg.core.context_processors.navigation_context` in the order of `position`, so the shell needs no
knowledge of the modules behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from trygg.lib.typing import AnyUser


def _everyone(user: AnyUser) -> bool:
    return True


@dataclass(frozen=True)
class MenuEntry:
    position: int
    label: str | Promise
    url_name: str
    visible: Callable[[AnyUser], bool] = _everyone


_entries: dict[str, MenuEntry] = {}


def register(
    position: int,
    label: str | Promise,
    url_name: str,
    visible: Callable[[AnyUser], bool] = _everyone,
) -> None:
    """Add a main-menu entry (label lazily translated, e.g. `gettext_lazy("Deviations")`)."""
    _entries[url_name] = MenuEntry(position, label, url_name, visible)


def entries_for(user: AnyUser) -> list[MenuEntry]:
    return [
        entry
        for entry in sorted(_entries.values(), key=lambda e: (e.position, e.url_name))
        if entry.visible(user)
    ]
