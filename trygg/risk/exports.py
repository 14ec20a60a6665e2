"""An assessment as a spreadsheet (XLSX, openpyxl) and as a template in the open format."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from trygg.risk.library import Template, TemplateHazard
from trygg.risk.models import Assessment, Band, Hazard, Participant

BAND_FILL = {Band.LOW: "CDECCF", Band.MEDIUM: "FFE9A8", Band.HIGH: "F6C1C1"}


def _date(value) -> str:  # type: ignore[no-untyped-def]
    return value.strftime("%d.%m.%Y") if value else ""


def _safe(value: object) -> object:
    """Text that a spreadsheet would read as a formula is written as plain text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def assessment_workbook(
    assessment: Assessment, hazards: list[Hazard], participants: list[Participant]
) -> bytes:
    matrix = assessment.matrix
    book = Workbook()
    sheet = book.active
    sheet.title = _("Hazards")[:31]
    header = [
        _("No."),
        _("Category"),
        _("What can go wrong"),
        _("Possible causes"),
        _("Possible consequences"),
        _("Barriers that reduce the probability"),
        _("Barriers that reduce the consequence"),
        _("Probability"),
        _("Consequence"),
        _("Score"),
        _("Band"),
        _("Probability after measures"),
        _("Consequence after measures"),
        _("Score after measures"),
        _("Band after measures"),
        _("Measures"),
    ]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    labels = dict(Band.choices)
    for number, hazard in enumerate(hazards, start=1):
        band = matrix.band(hazard.score)
        residual_band = matrix.band(hazard.residual_score)
        measures = getattr(hazard, "measures", [])
        sheet.append(
            [
                number,
                _safe(hazard.category_label),
                _safe(hazard.title),
                _safe(hazard.causes),
                _safe(hazard.consequences),
                _safe(hazard.preventive_barriers),
                _safe(hazard.mitigating_barriers),
                hazard.probability,
                hazard.consequence,
                hazard.score,
                str(labels[band]) if band else "",
                hazard.residual_probability,
                hazard.residual_consequence,
                hazard.residual_score,
                str(labels[residual_band]) if residual_band else "",
                _safe(
                    "\n".join(
                        f"{item.title} ({item.owner.full_name if item.owner else '–'}, "
                        f"{_date(item.deadline) or '–'}, {item.get_status_display()})"
                        for item in measures
                    )
                ),
            ]
        )
        row = sheet.max_row
        for column, value in ((11, band), (15, residual_band)):
            if value:
                sheet.cell(row, column).fill = PatternFill("solid", fgColor=BAND_FILL[value])
        for cell in sheet[row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip(
        "ABCDEFGHIJKLMNOP",
        (5, 18, 40, 30, 30, 30, 30, 11, 11, 8, 22, 11, 11, 8, 22, 40),
        strict=True,
    ):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"

    about = book.create_sheet(_("Assessment")[:31])
    rows = [
        (_("Title"), assessment.title),
        (_("Unit"), assessment.unit.name),
        (_("What is assessed"), str(assessment.get_scope_display())),
        (_("Description"), assessment.description),
        (_("Date of the assessment"), _date(assessment.assessed_on)),
        (_("Review by"), _date(assessment.review_due)),
        (_("Version"), assessment.version),
        (_("Status"), str(assessment.get_status_display())),
        (_("Matrix"), f"{matrix.size_label}, {_('version')} {matrix.version}"),
        (_("Acceptance criteria"), matrix.acceptance_criteria),
    ]
    rows += [(str(p.get_role_display()), p.name) for p in participants]
    for label, value in rows:
        about.append([label, _safe(value)])
    about.column_dimensions["A"].width = 30
    about.column_dimensions["B"].width = 80

    levels = book.create_sheet(_("Matrix")[:31])
    levels.append(
        [_("Level"), _("Probability"), _("Definition"), _("Consequence"), _("Definition")]
    )
    for number in range(1, max(matrix.rows, matrix.columns) + 1):
        p = matrix.probability_levels[number - 1] if number <= matrix.rows else {}
        c = matrix.consequence_levels[number - 1] if number <= matrix.columns else {}
        levels.append(
            [
                number,
                p.get("name", ""),
                p.get("definition", ""),
                c.get("name", ""),
                c.get("definition", ""),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_from_assessment(assessment: Assessment, hazards: list[Hazard]) -> Template:
    return Template(
        id=f"trygg-{assessment.pk}-v{assessment.version}",
        title=assessment.title,
        scope=assessment.scope,
        description=assessment.description,
        hazards=tuple(
            TemplateHazard(
                category=h.category,
                title=h.title,
                description=h.description,
                own_category=h.own_category,
                causes=tuple(Hazard.lines(h.causes)),
                consequences=tuple(Hazard.lines(h.consequences)),
                preventive_barriers=tuple(Hazard.lines(h.preventive_barriers)),
                mitigating_barriers=tuple(Hazard.lines(h.mitigating_barriers)),
            )
            for h in hazards
        ),
    )
