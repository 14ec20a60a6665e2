"""Risk-assessment templates in an open data format organisations can share (docs/risk.md).

A template is a JSON document `{"format": "trygg-risk-template", "format_version": 1, "id",
"title", "scope", "description", "legal_basis", "language", "hazards": [...]}`; each hazard
has a `category`, a `title` and optional `description`, `causes`, `consequences`,
`preventive_barriers`, `mitigating_barriers` (lists of strings), `own_category` and `factors`.
Trygg ships the files in `trygg/risk/library/`; `parse_template` validates any document.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.risk.models import Assessment, Hazard

FORMAT = "trygg-risk-template"
FORMAT_VERSION = 1
LIBRARY = Path(__file__).resolve().parent / "library"
MAX_HAZARDS = 200
LIST_FIELDS = ("causes", "consequences", "preventive_barriers", "mitigating_barriers")

# Forskrift om utførelse av arbeid § 23A-1 (and § 23A-4 on calling for help): what the employer
# must especially consider. The violence-and-threats template covers every one.
FUA_23A_1_FACTORS = {
    "organisation": gettext_lazy("Organisation and adaptation of the work"),
    "situations": gettext_lazy("Where, when and in which situations"),
    "alone": gettext_lazy("Working alone"),
    "working_hours": gettext_lazy("Placement and organisation of working hours"),
    "staffing": gettext_lazy("Staffing"),
    "competence": gettext_lazy("Competence"),
    "premises": gettext_lazy("Design of premises and technical solutions"),
    "measures_effect": gettext_lazy("Effect of implemented and planned measures"),
    "call_for_help": gettext_lazy("Ability to call for help, and maintained alarms"),
}


@dataclass(frozen=True)
class TemplateHazard:
    category: str
    title: str
    description: str = ""
    own_category: str = ""
    causes: tuple[str, ...] = ()
    consequences: tuple[str, ...] = ()
    preventive_barriers: tuple[str, ...] = ()
    mitigating_barriers: tuple[str, ...] = ()
    factors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    scope: str
    description: str = ""
    legal_basis: str = ""
    language: str = "nb"
    hazards: tuple[TemplateHazard, ...] = field(default_factory=tuple)

    def factors(self) -> set[str]:
        return {factor for hazard in self.hazards for factor in hazard.factors}


def _text(data: dict[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ValidationError(
            _("%(where)s: “%(key)s” must be text.") % {"where": where, "key": key}
        )
    value = value.strip()
    if required and not value:
        raise ValidationError(_("%(where)s: “%(key)s” is missing.") % {"where": where, "key": key})
    return value


def _lines(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(
            _("%(where)s: “%(key)s” must be a list of texts.") % {"where": where, "key": key}
        )
    return tuple(item.strip() for item in value if item.strip())


def parse_template(data: Any) -> Template:
    """A validated template, or a ValidationError that says what is wrong and where."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(
            _("This is not a Trygg risk-assessment template (“format” must be “%(format)s”).")
            % {"format": FORMAT}
        )
    if data.get("format_version") != FORMAT_VERSION:
        raise ValidationError(
            _("Template format version %(version)s is not supported.")
            % {"version": data.get("format_version")}
        )
    where = _("The template")
    template_id = _text(data, "id", where, required=True)
    title = _text(data, "title", where, required=True)
    scope = _text(data, "scope", where) or Assessment.Scope.THEME
    if scope not in Assessment.Scope.values:
        raise ValidationError(
            _("The template: unknown scope “%(scope)s”; use one of %(choices)s.")
            % {"scope": scope, "choices": ", ".join(Assessment.Scope.values)}
        )
    raw_hazards = data.get("hazards")
    if not isinstance(raw_hazards, list) or not raw_hazards:
        raise ValidationError(_("The template has no hazards."))
    if len(raw_hazards) > MAX_HAZARDS:
        raise ValidationError(
            _("The template has more than %(max)s hazards.") % {"max": MAX_HAZARDS}
        )
    hazards = []
    for number, raw in enumerate(raw_hazards, start=1):
        where = _("Hazard %(number)s") % {"number": number}
        if not isinstance(raw, dict):
            raise ValidationError(_("%(where)s is not an object.") % {"where": where})
        category = _text(raw, "category", where, required=True)
        if category not in Hazard.Category.values:
            raise ValidationError(
                _("%(where)s: unknown category “%(category)s”; use one of %(choices)s.")
                % {
                    "where": where,
                    "category": category,
                    "choices": ", ".join(Hazard.Category.values),
                }
            )
        factors = _lines(raw, "factors", where)
        unknown = [factor for factor in factors if factor not in FUA_23A_1_FACTORS]
        if unknown:
            raise ValidationError(
                _("%(where)s: unknown factor “%(factor)s”.")
                % {"where": where, "factor": unknown[0]}
            )
        hazards.append(
            TemplateHazard(
                category=category,
                title=_text(raw, "title", where, required=True)[:300],
                description=_text(raw, "description", where),
                own_category=_text(raw, "own_category", where)[:100],
                factors=factors,
                **{key: _lines(raw, key, where) for key in LIST_FIELDS},
            )
        )
    return Template(
        id=template_id[:80],
        title=title[:200],
        scope=scope,
        description=_text(data, "description", _("The template")),
        legal_basis=_text(data, "legal_basis", _("The template")),
        language=_text(data, "language", _("The template")) or "nb",
        hazards=tuple(hazards),
    )


def read_template(content: bytes) -> Template:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(
            _("The file is not valid JSON: %(error)s") % {"error": error}
        ) from error
    return parse_template(data)


@cache
def shipped_templates() -> dict[str, Template]:
    """The templates that come with Trygg, by id, in title order."""
    found = [read_template(path.read_bytes()) for path in sorted(LIBRARY.glob("*.json"))]
    return {template.id: template for template in sorted(found, key=lambda t: t.title)}


def shipped_file(template_id: str) -> bytes | None:
    for path in LIBRARY.glob("*.json"):
        if json.loads(path.read_bytes()).get("id") == template_id:
            return path.read_bytes()
    return None


def template_document(template: Template) -> dict[str, Any]:
    """The template as the open format's JSON document (for sharing an assessment)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "id": template.id,
        "language": template.language,
        "title": template.title,
        "scope": template.scope,
        "description": template.description,
        "legal_basis": template.legal_basis,
        "hazards": [
            {
                "category": h.category,
                "title": h.title,
                **({"own_category": h.own_category} if h.own_category else {}),
                "description": h.description,
                **({"factors": list(h.factors)} if h.factors else {}),
                **{key: list(getattr(h, key)) for key in LIST_FIELDS},
            }
            for h in template.hazards
        ],
    }
