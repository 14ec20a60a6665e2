"""The open checklist format ("trygg-checklist/1", docs/safety_rounds.md): reading, checking
and writing it, and the checklists shipped with Trygg (the JSON files in checklists/).

`parse_checklist` is the one gate every checklist passes (built-in, imported file, API): it
returns clean content or raises a ValidationError that names each problem in the user's language.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FORMAT = "trygg-checklist/1"
KINDS = ("safety_round", "internal_audit")
QUESTION_TYPES = ("check", "number", "text")
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
MAX_BYTES = 512 * 1024
MAX_QUESTIONS = 500
BUILT_IN_DIR = Path(__file__).resolve().parent / "checklists"
# The order the built-in checklists are offered in.
BUILT_IN = ("kontor", "barnehage", "sykehjem", "skole", "verksted", "kjokken", "internrevisjon-ik")


def _text(value: Any, limit: int) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if value and len(value) <= limit else None


def parse_checklist(data: Any) -> dict[str, Any]:
    """Check a checklist (decoded JSON) and return its clean content; all problems at once."""
    errors: list[str] = []
    if not isinstance(data, dict):
        raise ValidationError(_("The checklist must be a JSON object."))
    if data.get("format") != FORMAT:
        errors.append(_('The field "format" must be "%(format)s".') % {"format": FORMAT})
    key = data.get("key")
    if not isinstance(key, str) or not KEY.match(key):
        errors.append(_('The field "key" must be 1–60 lowercase letters, digits, "-" or "_".'))
    name = _text(data.get("name"), 200)
    if name is None:
        errors.append(_('The field "name" must be a text of 1–200 characters.'))
    kind = data.get("kind", "safety_round")
    if kind not in KINDS:
        errors.append(_('The field "kind" must be "safety_round" or "internal_audit".'))
    description = data.get("description", "")
    if not isinstance(description, str):
        errors.append(_('The field "description" must be a text.'))
        description = ""
    sections_in = data.get("sections")
    sections: list[dict[str, Any]] = []
    keys: set[str] = set()
    count = 0
    if not isinstance(sections_in, list) or not sections_in:
        errors.append(_('The field "sections" must be a list with at least one section.'))
        sections_in = []
    for s_no, section in enumerate(sections_in, start=1):
        where = _("Section %(number)s") % {"number": s_no}
        if not isinstance(section, dict):
            errors.append(_("%(where)s must be an object.") % {"where": where})
            continue
        title = _text(section.get("title"), 200)
        if title is None:
            errors.append(_("%(where)s needs a title of 1–200 characters.") % {"where": where})
        s_key = section.get("key") or f"section-{s_no}"
        if not isinstance(s_key, str) or not KEY.match(s_key):
            errors.append(_("%(where)s has an invalid key.") % {"where": where})
        questions_in = section.get("questions")
        if not isinstance(questions_in, list) or not questions_in:
            errors.append(_("%(where)s needs at least one question.") % {"where": where})
            questions_in = []
        questions: list[dict[str, Any]] = []
        for q_no, question in enumerate(questions_in, start=1):
            q_where = _("question %(number)s in section %(section)s") % {
                "number": q_no,
                "section": s_no,
            }
            if not isinstance(question, dict):
                errors.append(_("The %(where)s must be an object.") % {"where": q_where})
                continue
            q_key = question.get("key")
            if not isinstance(q_key, str) or not KEY.match(q_key):
                errors.append(
                    _('The %(where)s needs a "key" of lowercase letters, digits, "-" or "_".')
                    % {"where": q_where}
                )
            elif q_key in keys:
                errors.append(
                    _('The key "%(key)s" is used by more than one question.') % {"key": q_key}
                )
            else:
                keys.add(q_key)
            text = _text(question.get("text"), 500)
            if text is None:
                errors.append(
                    _("The %(where)s needs a text of 1–500 characters.") % {"where": q_where}
                )
            q_type = question.get("type", "check")
            if q_type not in QUESTION_TYPES:
                errors.append(
                    _('The %(where)s has the type "%(type)s"; use check, number or text.')
                    % {"where": q_where, "type": str(q_type)[:30]}
                )
            guidance = question.get("guidance", "")
            unit = question.get("unit", "")
            if not isinstance(guidance, str) or not isinstance(unit, str) or len(unit) > 20:
                errors.append(
                    _('The %(where)s has an invalid "guidance" or "unit".') % {"where": q_where}
                )
                guidance, unit = "", ""
            clean = {"key": q_key, "text": text, "type": q_type}
            if guidance.strip():
                clean["guidance"] = guidance.strip()[:2000]
            if unit.strip() and q_type == "number":
                clean["unit"] = unit.strip()
            questions.append(clean)
            count += 1
        sections.append({"key": s_key, "title": title, "questions": questions})
    if count > MAX_QUESTIONS:
        errors.append(
            _("A checklist may have at most %(limit)s questions.") % {"limit": MAX_QUESTIONS}
        )
    if errors:
        raise ValidationError(errors)
    return {
        "format": FORMAT,
        "key": key,
        "name": name,
        "kind": kind,
        "language": str(data.get("language", "nb"))[:10],
        "description": description.strip()[:2000],
        "sections": sections,
    }


def read_checklist_file(raw: bytes) -> dict[str, Any]:
    """Decode an uploaded checklist file (UTF-8 JSON, at most 512 KB) and check it."""
    if len(raw) > MAX_BYTES:
        raise ValidationError(
            _("The file is too large: a checklist may be at most %(kb)s KB.")
            % {"kb": MAX_BYTES // 1024}
        )
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(
            _("The file is not valid JSON in UTF-8: %(error)s") % {"error": str(error)[:200]}
        ) from error
    return parse_checklist(data)


def question_count(content: dict[str, Any]) -> int:
    return sum(len(section["questions"]) for section in content["sections"])


def export_checklist(content: dict[str, Any], *, version: int) -> str:
    """The checklist as a file for sharing; `version` says which version it was."""
    return json.dumps({**content, "version": version}, ensure_ascii=False, indent=2) + "\n"


def built_in_checklists() -> list[dict[str, Any]]:
    """The checklists shipped with Trygg, checked like any other."""
    return [read_checklist_file((BUILT_IN_DIR / f"{key}.json").read_bytes()) for key in BUILT_IN]
