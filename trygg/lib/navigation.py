"""The main menu (and the sub-menus under its entries) as a registry: each app adds its
entries in AppConfig.ready().

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
    section: str = ""  # the url_name of the main entry this one sits under ("" = main menu)


_entries: dict[tuple[str, str], MenuEntry] = {}


def register(
    position: int,
    label: str | Promise,
    url_name: str,
    visible: Callable[[AnyUser], bool] = _everyone,
    *,
    section: str = "",
) -> None:
    """Add a menu entry (label lazily translated, e.g. `gettext_lazy("Deviations")`). With
    `section`, the entry belongs to the sub-menu shown on the pages of that main entry."""
    _entries[(section, url_name)] = MenuEntry(position, label, url_name, visible, section)


def entries_for(user: AnyUser, section: str = "") -> list[MenuEntry]:
    return [
        entry
        for entry in sorted(_entries.values(), key=lambda e: (e.position, e.url_name))
        if entry.section == section and entry.visible(user)
    ]


def sections() -> set[str]:
    return {entry.section for entry in _entries.values() if entry.section}
