"""Figures for the årshjul's standing cases (and the annual reports) as a registry.

Each module registers a supplier for the kinds of figure it owns (`register("sick_leave", fn)`).
A standing case of that kind asks `figures_for(kind, request)` for the figure about its
committee's units and period; when no module supplies a kind, the case says which data is
missing (`KINDS[kind]` names it). The meetings app never imports the modules behind the figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from trygg.lib.typing import AnyUser

# The kinds of live data standing cases are about, with the data each needs.
KINDS = {
    "sick_leave": _("sick-leave statistics"),
    "deviations": _("deviation statistics"),
    "injuries": _("the injury register"),
    "safety_rounds": _("safety rounds"),
    "risk_assessments": _("risk assessments"),
    "hms_goals": _("HMS goals"),
    "action_plan": _("action plans"),
    "action_items": _("action items"),
    "training": _("HMS training records"),
    "internal_control": _("the internal-control overview"),
}


@dataclass(frozen=True)
class FigureRequest:
    """What a standing case asks about: whose units (paths of the unit tree; a unit includes its
    subunits) over which period, seen by whom (masking and access are the supplier's job)."""

    organisation_id: int
    unit_paths: tuple[str, ...]
    start: dt.date
    end: dt.date  # inclusive
    user: AnyUser | None = None


@dataclass(frozen=True)
class Figure:
    """A figure ready to show: a title, label/value rows, an optional server-rendered SVG chart
    (safe markup), a link to the module's page and a note (e.g. "masked: fewer than 5")."""

    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    svg: str = ""
    url: str = ""
    note: str = ""


Supplier = Callable[[FigureRequest], Figure | None]
_suppliers: dict[str, Supplier] = {}


def register(kind: str, supplier: Supplier) -> Supplier:
    if kind not in KINDS:
        raise ValueError(f"unknown figure kind {kind!r}; add it to trygg.lib.figures.KINDS")
    _suppliers[kind] = supplier
    return supplier


def is_supplied(kind: str) -> bool:
    return kind in _suppliers


def figure_for(kind: str, request: FigureRequest) -> Figure | None:
    """The figure of one kind, or None when no module supplies it yet."""
    supplier = _suppliers.get(kind)
    return supplier(request) if supplier else None
