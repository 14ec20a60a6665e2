"""The default risk matrix and the rules every matrix follows (rules.md § 10, ⚠️ convention).

Arbeidstilsynet prescribes no matrix; the organisation fixes its own before assessing. Trygg
offers 5×5 with a written definition of each level and the bands green ≤ 4, yellow 5–9,
red ≥ 10; any size from 3×3 to 6×6 may be chosen.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MIN_LEVELS = 3
MAX_LEVELS = 6
DEFAULT_LOW_MAX = 4
DEFAULT_MEDIUM_MAX = 9

DEFAULT_PROBABILITY = (
    (_("Very unlikely"), _("Less often than every ten years; not known to have happened here.")),
    (_("Unlikely"), _("Once every one to ten years.")),
    (_("Possible"), _("About once a year.")),
    (_("Likely"), _("About once a month.")),
    (_("Very likely"), _("Weekly or more often.")),
)
DEFAULT_CONSEQUENCE = (
    (_("Insignificant"), _("No injury; brief discomfort or inconvenience.")),
    (_("Minor"), _("Minor injury or strain without absence from work.")),
    (_("Moderate"), _("Injury or illness with short absence (days) or medical treatment.")),
    (_("Serious"), _("Serious injury or illness with long absence or lasting strain.")),
    (_("Very serious"), _("Death, permanent disability or severe psychological harm.")),
)
DEFAULT_ACCEPTANCE = _(
    "Green (score 1–4): acceptable; keep the barriers in place. "
    "Yellow (5–9): reduce the risk where it is reasonable; measures are considered and "
    "the risk is followed up. Red (10 and above): not acceptable; measures must be carried "
    "out before or while the work goes on."
)


def levels(pairs: tuple[tuple[object, object], ...]) -> list[dict[str, str]]:
    return [{"name": str(name), "definition": str(text)} for name, text in pairs]


def scaled_bands(rows: int, columns: int) -> tuple[int, int]:
    """Bands for another size, in the same proportions as the default's 4 and 9 of 25."""
    top = rows * columns
    low = max(1, round(top * DEFAULT_LOW_MAX / 25))
    medium = max(low, round(top * DEFAULT_MEDIUM_MAX / 25))
    return low, min(medium, top - 1)
