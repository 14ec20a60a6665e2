"""Plain `make_<thing>()` functions for the safety-round tests; every write goes through services."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from trygg.safety_rounds import checklists, services
from trygg.safety_rounds.models import ChecklistTemplate, SafetyRound

YEAR = 2026


def make_checklist(organisation, key: str = "barnehage") -> ChecklistTemplate:  # type: ignore[no-untyped-def]
    content = next(c for c in checklists.built_in_checklists() if c["key"] == key)
    template, _added = services.save_checklist(
        actor=None, organisation=organisation, content=content
    )
    return template


def small_checklist(key: str = "mini", **changes: Any) -> dict[str, Any]:
    content = {
        "format": "trygg-checklist/1",
        "key": key,
        "name": "Mini",
        "kind": "safety_round",
        "sections": [
            {
                "key": "a",
                "title": "Del A",
                "questions": [
                    {"key": "q1", "text": "Er rømningsveiene ryddige?", "type": "check"},
                    {"key": "q2", "text": "Er førstehjelpsskrinet komplett?", "type": "check"},
                    {"key": "q3", "text": "Temperatur", "type": "number", "unit": "°C"},
                    {"key": "q4", "text": "Andre forhold", "type": "text"},
                ],
            }
        ],
    }
    content.update(changes)
    return content


def make_round(world, unit=None, *, content: dict | None = None, year: int = YEAR) -> SafetyRound:  # type: ignore[no-untyped-def]
    template, _ = services.save_checklist(
        actor=None, organisation=world.org, content=content or small_checklist()
    )
    (round_,) = services.plan_rounds(
        actor=None,
        organisation=world.org,
        year=year,
        template=template,
        units=[unit or world.nursing_home],
    )
    return round_


def answer(question: str, value: str = "ok", **fields: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "question": question, "value": value, **fields}


def answer_all(round_: SafetyRound, user=None, deviations: tuple[str, ...] = ()) -> None:  # type: ignore[no-untyped-def]
    items = []
    for key, question in round_.template_version.questions().items():
        if question["type"] == "check":
            items.append(answer(key, "deviation" if key in deviations else "ok", comment="Sett"))
        elif question["type"] == "number":
            items.append({"id": str(uuid.uuid4()), "question": key, "number": "21,5"})
    services.record_answers(actor=user, round_=round_, items=items)


def jpeg(size: tuple[int, int] = (40, 30), exif: bool = True) -> SimpleUploadedFile:
    from PIL import Image

    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "Kamerafabrikk"  # Make
        data[0x0131] = "Telefon med GPS"  # Software
        kwargs["exif"] = data
    image.save(out, format="JPEG", **kwargs)
    return SimpleUploadedFile("bilde.jpg", out.getvalue(), content_type="image/jpeg")
