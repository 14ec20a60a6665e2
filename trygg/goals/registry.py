"""What the goals app gives the shared registries: the records that document points 1, 3, 4 and 5
of internkontrollforskriften § 5, the årshjul's "hms_goals" and "action_plan" figures, the
action-plan completion indicator, and action-plan rows as a source of action items."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.actions.models import ActionItem
from trygg.goals import queries
from trygg.goals.measure import number
from trygg.goals.models import ActionPlanRow
from trygg.lib import controls, figures, indicators
from trygg.lib.dates import today
from trygg.org.models import Committee, SafetyArea, SafetyRepresentative, Unit


def _url(name: str, *args: object, query: str = "") -> str:
    return reverse(name, args=args) + (f"?{query}" if query else "")


def _unit_id(organisation_id: int, unit_path: str) -> int | None:
    if not unit_path:
        return None
    return int(unit_path.rstrip("/").rsplit("/", 1)[-1])


# --- Internal control ---------------------------------------------------------------------------
def laws_records(organisation_id: int, unit_path: str) -> list[controls.Record]:
    """No. 1: the overview of the laws and regulations that apply, with links to Lovdata."""
    return [controls.Record(_("Overview of HMS laws and regulations"), _url("goals:laws"))]


def participation_records(organisation_id: int, unit_path: str) -> list[controls.Record]:
    """No. 3: employees take part through safety representatives and the committees."""
    day = today()
    areas = SafetyArea.objects.filter(organisation_id=organisation_id)
    committees = Committee.objects.filter(organisation_id=organisation_id, is_active=True)
    if unit_path:
        areas = areas.filter(units__path__startswith=unit_path)
        # A unit's committees are those of the unit or above it, and those below it.
        unit_id = _unit_id(organisation_id, unit_path)
        unit = Unit.objects.filter(pk=unit_id).first()
        above = unit.ancestor_paths() if unit else []
        committees = committees.filter(
            Q(unit__path__startswith=unit_path) | Q(unit__path__in=above)
        )
    covered = Count(
        "representatives",
        filter=Q(
            representatives__start_date__lte=day,
            representatives__end_date__gte=day,
        )
        & ~Q(representatives__role=SafetyRepresentative.Role.DEPUTY),
        distinct=True,
    )
    area_counts = areas.distinct().annotate(reps=covered).values_list("reps", flat=True)
    total = len(area_counts)
    with_rep = sum(1 for reps in area_counts if reps)
    records = [
        controls.Record(
            _("Safety representatives: %(covered)s of %(total)s safety areas have one")
            % {"covered": with_rep, "total": total},
            _url("org:safety_area_list"),
            ok=total > 0 and with_rep == total,
        )
    ]
    names = list(committees.order_by("kind", "name").values_list("name", flat=True)[:6])
    records.append(
        controls.Record(
            _("Working environment committees: %(names)s") % {"names": ", ".join(names)}
            if names
            else _("No working environment committee is registered"),
            _url("org:committee_list"),
            ok=bool(names),
        )
    )
    if not unit_path:
        main = SafetyRepresentative.objects.serving(day).filter(
            organisation_id=organisation_id, role=SafetyRepresentative.Role.MAIN
        )
        records.append(
            controls.Record(
                _("Main safety representative (hovedverneombud)")
                if main.exists()
                else _("No main safety representative is registered"),
                _url("org:safety_area_list"),
                ok=True,
            )
        )
    return records


def goal_records(organisation_id: int, unit_path: str) -> list[controls.Record]:
    """No. 4: the HMS goals in force and the action plans behind them."""
    day = today()
    paths = (unit_path,) if unit_path else ()
    goals = queries.goals_for_paths(organisation_id, paths, day.year)
    counts = goals.aggregate(
        overall=Count("pk", filter=Q(unit__isnull=True, committee__isnull=True)),
        local=Count("pk", filter=Q(unit__isnull=False) | Q(committee__isnull=False)),
    )
    records: list[controls.Record] = []
    if counts["overall"]:
        records.append(
            controls.Record(
                _("%(count)s HMS goals for the organisation in force in %(year)s")
                % {"count": counts["overall"], "year": day.year},
                _url("goals:goal_list"),
            )
        )
    if counts["local"]:
        records.append(
            controls.Record(
                _("%(count)s local HMS goals in force in %(year)s")
                % {"count": counts["local"], "year": day.year},
                _url("goals:goal_list"),
            )
        )
    plans = queries.plans_with_progress(
        queries.plans_for_paths(
            organisation_id, paths, dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
        ),
        day,
    )
    for plan in plans[:5]:
        records.append(
            controls.Record(
                _("Action plan: %(title)s (%(done)s of %(total)s activities done)")
                % {"title": plan.title, "done": plan.row_done, "total": plan.row_total},
                plan.get_absolute_url(),
                ok=plan.row_overdue == 0,
            )
        )
    return records


def organisation_records(organisation_id: int, unit_path: str) -> list[controls.Record]:
    """No. 5: the written overview of the organisation and its HMS roles (trygg.org)."""
    units = Unit.objects.filter(organisation_id=organisation_id, is_active=True)
    if unit_path:
        units = units.filter(path__startswith=unit_path)
    count = units.count()
    if not count:
        return []
    records = [
        controls.Record(
            _("Organisation chart and written overview (%(count)s units)") % {"count": count},
            _url("org:overview"),
        )
    ]
    if unit_path:
        unit_id = _unit_id(organisation_id, unit_path)
        records.append(controls.Record(_("The unit's page"), _url("org:unit_detail", unit_id)))
    return records


# --- Figures for the årshjul --------------------------------------------------------------------
def hms_goals_figure(request: figures.FigureRequest) -> figures.Figure:
    goals = list(
        queries.goals_for_paths(request.organisation_id, request.unit_paths, request.end.year)
        .with_related()
        .select_related("committee__unit")
        .order_by("unit", "committee", "number")[:12]
    )
    # A period not over yet shows the goals' current readings (stored, see goals.readings);
    # an earlier one, the readings as they were at its end.
    on = request.end if request.end < today() else None
    rows = []
    for view in queries.view_goals(goals, on, trend=False):
        goal = view.goal
        owner = queries.owner_name(goal) or _("Organisation")
        rows.append(
            (
                f"{owner}: {goal.title[:90]}",
                _("%(value)s (target %(target)s) – %(status)s")
                % {
                    "value": number(view.reading.value),
                    "target": number(goal.target),
                    "status": view.reading.status_label,
                },
            )
        )
    return figures.Figure(
        title=_("HMS goals %(year)s") % {"year": request.end.year},
        rows=rows,
        url=_url("goals:goal_list", query=f"ar={request.end.year}"),
        note="" if rows else _("No HMS goals are set for these units and this year."),
    )


def _progress_bars(plans: list) -> str:  # type: ignore[type-arg]
    if not plans:
        return ""
    height = 22 * len(plans) + 4
    bars = format_html_join(
        "",
        '<g><rect x="0" y="{}" width="200" height="14" fill="#e5e7eb"/>'
        '<rect x="0" y="{}" width="{}" height="14" fill="#0b5c46"/>'
        '<text x="206" y="{}" font-size="12">{} %</text></g>',
        (
            (
                4 + 22 * i,
                4 + 22 * i,
                round(2 * (plan.row_done * 100 // plan.row_total if plan.row_total else 0)),
                15 + 22 * i,
                plan.row_done * 100 // plan.row_total if plan.row_total else 0,
            )
            for i, plan in enumerate(plans)
        ),
    )
    label = "; ".join(
        _("%(title)s: %(done)s of %(total)s done")
        % {"title": p.title, "done": p.row_done, "total": p.row_total}
        for p in plans
    )
    return format_html(
        '<svg role="img" width="250" height="{h}" viewBox="0 0 250 {h}" aria-label="{label}">'
        "<title>{label}</title>{bars}</svg>",
        h=height,
        label=label,
        bars=bars,
    )


def action_plan_figure(request: figures.FigureRequest) -> figures.Figure:
    plans = list(
        queries.plans_with_progress(
            queries.plans_for_paths(
                request.organisation_id, request.unit_paths, request.start, request.end
            ),
            today(),
        )[:8]
    )
    rows = [
        (
            plan.title,
            _("%(done)s of %(total)s done, %(overdue)s overdue")
            % {"done": plan.row_done, "total": plan.row_total, "overdue": plan.row_overdue},
        )
        for plan in plans
    ]
    return figures.Figure(
        title=_("Action plans"),
        rows=rows,
        svg=mark_safe(_progress_bars(plans)),
        url=plans[0].get_absolute_url() if len(plans) == 1 else _url("goals:plan_list"),
        note="" if plans else _("No action plan covers these units and this period."),
    )


def internal_control_figure(request: figures.FigureRequest) -> figures.Figure:
    """The 8 points of § 5 for the committee's unit (the organisation for a whole-organisation
    request, or when the request covers several units)."""
    unit = None
    if len(request.unit_paths) == 1 and request.unit_paths[0]:
        unit = Unit.objects.filter(
            organisation_id=request.organisation_id, path=request.unit_paths[0]
        ).first()
    points = queries.control_overview(request.organisation_id, unit)
    url = _url("goals:control_overview", query=f"enhet={unit.pk}" if unit else "")
    return figures.Figure(
        title=_("Internal control: %(name)s") % {"name": unit.name}
        if unit
        else _("Internal control"),
        rows=[(f"{p.number}. {p.title}", p.status_label) for p in points],
        url=url,
    )


# --- Indicator ------------------------------------------------------------------------------------
def action_plan_done(
    organisation_id: int, unit_paths: tuple[str, ...], start: dt.date, end: dt.date
) -> Decimal | None:
    """Share (%) of action-plan activities due in the period that are done."""
    rows = ActionPlanRow.objects.filter(
        organisation_id=organisation_id,
        action_item__deadline__gte=start,
        action_item__deadline__lte=end,
    ).exclude(action_item__status=ActionItem.Status.CANCELLED)
    if unit_paths and "" not in unit_paths:  # no paths: the whole organisation
        condition = Q(pk__in=[])
        for path in unit_paths:
            condition |= Q(action_item__unit__path__startswith=path)
        rows = rows.filter(condition)
    figures_ = rows.aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(action_item__status=ActionItem.Status.DONE))
    )
    if not figures_["total"]:
        return None
    return (Decimal(figures_["done"] * 100) / Decimal(figures_["total"])).quantize(Decimal("0.1"))


def register() -> None:
    controls.register(1, laws_records)
    controls.register(3, participation_records)
    controls.register(4, goal_records)
    controls.register(5, organisation_records)
    figures.register("hms_goals", hms_goals_figure)
    figures.register("action_plan", action_plan_figure)
    figures.register("internal_control", internal_control_figure)
    indicators.register(
        "goals.action_plan_done",
        gettext_lazy("Share of action-plan activities done by their deadline"),
        unit="%",
        lower_is_better=False,
        compute=action_plan_done,
    )
