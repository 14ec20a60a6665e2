"""Live indicators for HMS goals as a registry.

A goal's measurable indicator may be bound to data Trygg keeps (sick-leave percent, share of
deviations closed in time, share of units with a current risk assessment, training coverage).
Each module registers the indicators it can compute; the goals app lists them and asks for a
value without importing the module. `compute(organisation_id, unit_paths, start, end)` returns
the value (a Decimal in the indicator's unit) or None when there is no data or it is masked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise

Compute = Callable[[int, tuple[str, ...], dt.date, dt.date], Decimal | None]


@dataclass(frozen=True)
class Indicator:
    code: str  # stable, e.g. "absence.percent"
    label: str | Promise
    unit: str  # "%" or a count unit
    lower_is_better: bool
    compute: Compute


_indicators: dict[str, Indicator] = {}


def register(
    code: str, label: str | Promise, *, unit: str, lower_is_better: bool, compute: Compute
) -> None:
    _indicators[code] = Indicator(code, label, unit, lower_is_better, compute)


def get(code: str) -> Indicator | None:
    return _indicators.get(code)


def all_indicators() -> list[Indicator]:
    return sorted(_indicators.values(), key=lambda i: i.code)
