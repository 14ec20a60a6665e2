"""Demo data as a registry: each app adds a step that fills its part of the demo municipality.

`trygg demo` builds the organisation (units, people, committees) and then runs every registered
step in the order the apps are installed, inside the same transaction. A step is a function
`(organisation, year) -> None` that writes through its app's services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Step = Callable[[Any, int], None]
_steps: list[Step] = []


def register(step: Step) -> Step:
    if step not in _steps:
        _steps.append(step)
    return step


def run_steps(organisation: Any, year: int) -> None:
    for step in _steps:
        step(organisation, year)
