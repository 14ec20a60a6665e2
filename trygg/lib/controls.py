"""The records that document internal control (internkontrollforskriften § 5) as a registry.

The internal-control overview shows, for each of the 8 points of § 5, the records that document
it. Modules register a supplier for the points their records document (deviations → no. 7,
meetings' annual review → no. 8, ...); `records_for(point, organisation_id, unit_path)` gathers
them without the overview importing those modules. A unit path includes the unit's subunits;
an empty path means the whole organisation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Record:
    title: str
    url: str
    date: dt.date | None = None
    ok: bool = True  # False: the record exists but shows a gap (e.g. overdue)


Supplier = Callable[[int, str], list[Record]]
_suppliers: dict[int, list[Supplier]] = {}


def register(point: int, supplier: Supplier) -> Supplier:
    if not 1 <= point <= 8:
        raise ValueError("internkontrollforskriften § 5 has points 1 to 8")
    suppliers = _suppliers.setdefault(point, [])
    if supplier not in suppliers:
        suppliers.append(supplier)
    return supplier


def records_for(point: int, organisation_id: int, unit_path: str = "") -> list[Record]:
    return [
        record
        for supplier in _suppliers.get(point, [])
        for record in supplier(organisation_id, unit_path)
    ]
