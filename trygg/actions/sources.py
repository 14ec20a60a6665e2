"""What an action item can come from, as a registry.

An app whose records create action items (deviations, meeting decisions, risk assessments,
safety rounds, action plans...) registers its model with `register_source(Model, can_view=...,
can_edit=...)` in AppConfig.ready(). Whoever may see the source may see its items, and whoever
may edit the source may change them; the item page links back to the source through its
`get_absolute_url()`. The actions app never imports those apps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from trygg.lib.typing import AnyUser

Check = Callable[[AnyUser, Any], bool]


@dataclass(frozen=True)
class SourceType:
    model: type[models.Model]
    can_view: Check
    can_edit: Check


_sources: dict[str, SourceType] = {}


def register_source(model: type[models.Model], *, can_view: Check, can_edit: Check) -> None:
    _sources[model._meta.label_lower] = SourceType(model, can_view, can_edit)


def source_type_for(label: str) -> SourceType | None:
    return _sources.get(label)


def can_view_source(user: AnyUser, source: models.Model | None) -> bool:
    if source is None:
        return False
    kind = _sources.get(source._meta.label_lower)
    return bool(kind and kind.can_view(user, source))


def can_edit_source(user: AnyUser, source: models.Model | None) -> bool:
    if source is None:
        return False
    kind = _sources.get(source._meta.label_lower)
    return bool(kind and kind.can_edit(user, source))
