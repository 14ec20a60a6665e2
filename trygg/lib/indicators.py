"""Live indicators for HMS goals as a registry.

A goal's measurable indicator may be bound to data Trygg keeps (sick-leave percent, share of
deviations closed in time, share of units with a current risk assessment, training coverage).
Each module registers the indicators it can compute; the goals app lists them and asks for a
value without importing the module. `compute(organisation_id, unit_paths, start, end)` returns
the value (a Decimal in the indicator's unit) or None when there is no data or it is masked.

A goal's reading asks for several periods at once (six quarters of trend and the last 12
months). A module whose data is expensive to walk may also register `compute_series(
organisation_id, unit_paths, spans)`, which answers every span in one pass; its values must
equal `compute` span by span. `Indicator.series` uses it when it is there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise

Span = tuple[dt.date, dt.date]
Compute = Callable[[int, tuple[str, ...], dt.date, dt.date], Decimal | None]
ComputeSeries = Callable[[int, tuple[str, ...], Sequence[Span]], Sequence[Decimal | None]]


@dataclass(frozen=True)
class Indicator:
    code: str  # stable, e.g. "absence.percent"
    label: str | Promise
    unit: str  # "%" or a count unit
    lower_is_better: bool
    compute: Compute
    compute_series: ComputeSeries | None = None

    def series(
        self, organisation_id: int, unit_paths: tuple[str, ...], spans: Sequence[Span]
    ) -> list[Decimal | None]:
        """The value for each of `spans`, in their order: in one pass when the module offers
        it, else one `compute` per span."""
        if self.compute_series is not None:
            return list(self.compute_series(organisation_id, unit_paths, spans))
        return [self.compute(organisation_id, unit_paths, start, end) for start, end in spans]


_indicators: dict[str, Indicator] = {}


def register(
    code: str,
    label: str | Promise,
    *,
    unit: str,
    lower_is_better: bool,
    compute: Compute,
    compute_series: ComputeSeries | None = None,
) -> None:
    _indicators[code] = Indicator(code, label, unit, lower_is_better, compute, compute_series)


def get(code: str) -> Indicator | None:
    return _indicators.get(code)


def all_indicators() -> list[Indicator]:
    return sorted(_indicators.values(), key=lambda i: i.code)
