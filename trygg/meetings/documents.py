"""The documents of committee work, rendered from the same templates as the pages: the agenda
(innkalling), the minutes (protokoll) and the annual report, as HTML or PDF."""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from trygg.lib import figures
from trygg.meetings import queries
from trygg.meetings.models import AnnualReport, Meeting
from trygg.org.models import Committee

logger = logging.getLogger(__name__)


def meeting_context(meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "committee": meeting.committee,
        "cases": queries.agenda(meeting),
        "attendance": queries.attendance(meeting),
        "constitution": queries.constitution(meeting.committee, meeting.year),
        "now": timezone.now(),
    }


def agenda_html(meeting: Meeting) -> str:
    return render_to_string("meetings/agenda_pdf.html", meeting_context(meeting))


def minutes_html(meeting: Meeting) -> str:
    return render_to_string("meetings/minutes_pdf.html", meeting_context(meeting))


def pdf(html: str) -> bytes:
    from trygg.lib.pdf import render_pdf  # WeasyPrint loads only when a PDF is made

    return render_pdf(html)


# The key figures of the annual report (seed 000): sick leave, deviations, safety rounds, risk
# assessments, training, goals and action items, for the committee's units and year.
REPORT_FIGURES = (
    "sick_leave",
    "deviations",
    "safety_rounds",
    "risk_assessments",
    "training",
    "hms_goals",
    "action_items",
)


def report_figures(committee: Committee, year: int, user: Any = None) -> list[dict[str, Any]]:
    """The live figures for the report as plain data (kept as they are when it is adopted)."""
    import datetime as dt

    request = figures.FigureRequest(
        organisation_id=committee.organisation_id,
        unit_paths=(committee.unit.path,),
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
        user=user,
    )
    found: list[dict[str, Any]] = []
    for kind in REPORT_FIGURES:
        try:
            figure = figures.figure_for(kind, request)
        except Exception:  # one module's broken figure must not take the report down
            logger.exception("figure supplier for %s failed", kind)
            figure = None
        if figure is None:
            found.append({"kind": kind, "missing": str(figures.KINDS[kind])})
        else:
            found.append(
                {
                    "kind": kind,
                    "title": str(figure.title),
                    "rows": [[str(a), str(b)] for a, b in figure.rows],
                    "note": str(figure.note),
                }
            )
    return found


def report_context(
    committee: Committee, year: int, report: AnnualReport | None, user: Any = None
) -> dict[str, Any]:
    if report is not None and report.status == AnnualReport.Status.ADOPTED:
        key_figures = report.frozen_figures
    else:
        key_figures = report_figures(committee, year, user)
    return {
        "committee": committee,
        "year": year,
        "report": report,
        "key_figures": key_figures,
        "summary": queries.year_summary(committee, year),
        "children": queries.child_reports(committee, year),
        "decided": queries.decided_cases(committee, year),
    }


def report_html(context: dict[str, Any]) -> str:
    return render_to_string("meetings/report_pdf.html", context)
