"""Sick-leave pages: statistics per unit and period, a person's absence, follow-up cases."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from trygg.absence import access, charts, queries, services, statistics
from trygg.absence.figures import vacation_label
from trygg.absence.forms import (
    CommentForm,
    MeasureForm,
    MeetingForm,
    PlanForm,
    SettingsForm,
    SpellForm,
    StatisticsFilter,
)
from trygg.absence.models import AbsenceSpell, FollowUpCase, FollowUpPlan
from trygg.audit.services import record_read
from trygg.lib.dates import today
from trygg.lib.forms import submit
from trygg.org.models import Unit
from trygg.org.principal import get_principal

GET_POST = ["GET", "HEAD", "POST"]


# --- Statistics -----------------------------------------------------------------------------
def resolve_period(data: dict, day: dt.date) -> tuple[str, dt.date, dt.date]:
    kind = data.get("period") or "tertial"
    if kind == "custom" and data.get("start") and data.get("end"):
        return kind, data["start"], data["end"]
    if kind == "custom":
        kind = "tertial"
    first, last = queries.period_bounds(kind, data.get("day") or day)
    return kind, first, last


@login_required
@require_http_methods(["GET", "HEAD"])
def statistics_page(request: HttpRequest) -> HttpResponse:
    principal = access.require_statistics_reader(request.user)
    org_id = principal.organisation_id
    units = list(
        Unit.objects.filter(organisation_id=org_id)
        .order_by("path")
        .only("pk", "name", "path", "depth", "parent_id")
    )
    choices = [(u.pk, "\u00a0\u00a0" * u.depth + u.name) for u in units]
    form = StatisticsFilter(request.GET or None, units=choices)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    by_pk = {u.pk: u for u in units}
    unit = by_pk.get(data.get("unit") or 0) or next((u for u in units if u.parent_id is None), None)
    subunits = data.get("subunits", True) if form.is_bound else True
    kind, start, end = resolve_period(data, today())
    settings = statistics.settings_for(org_id)
    context: dict[str, object] = {
        "form": form,
        "unit": unit,
        "start": start,
        "end": end,
        "period_label": queries.PERIOD_KINDS[kind],
        "settings": settings,
        "vacation_label": vacation_label(settings.subtract_vacation),
        "may_import": access.can_import(request.user),
        "may_manage": access.can_manage_settings(request.user),
        "may_follow_up": access.may_follow_up_anyone(request.user),
        "own_person_id": principal.person_id,
    }
    if unit is not None:
        unmasked = access.sees_people_of(principal, unit)
        figures = statistics.unit_figures(
            org_id, [unit], start, end, subunits=subunits, unmasked=unmasked, settings=settings
        )
        rows = statistics.breakdown(
            org_id,
            unit,
            start,
            end,
            unmasked_paths=access.unmasked_paths(principal),
            settings=settings,
        )
        children = [row for row in rows if row.unit.parent_id == unit.pk]
        chart_start = min(start, (end.replace(day=1) - dt.timedelta(days=335)).replace(day=1))
        series = statistics.monthly_series(
            org_id,
            [unit],
            chart_start,
            end,
            subunits=subunits,
            unmasked=unmasked,
            settings=settings,
        )
        context.update(
            figures=figures,
            children=children,
            chart=charts.trend_chart(series, settings.goal_percent),
            series=series,
            above_goal=figures.percent is not None and figures.percent > settings.goal_percent,
            subunits=subunits,
        )
    return render(request, "absence/statistics.html", context)


# --- People and spells ----------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "HEAD"])
def people_list(request: HttpRequest) -> HttpResponse:
    """The people a leader or HR follows up, with their open cases."""
    access.require_statistics_reader(request.user)
    if not access.may_follow_up_anyone(request.user):
        return redirect(
            "absence:person_detail", person_id=get_principal(request.user).person_id or 0
        )
    people = (
        access.managed_people(request.user)
        .annotate(
            open_cases=Count(
                "follow_up_cases",
                filter=Q(follow_up_cases__status=FollowUpCase.Status.OPEN),
                distinct=True,
            ),
            last_absence=Max("absence_spells__last_day"),
        )
        .order_by("-open_cases", "last_name", "first_name", "pk")
    )
    page = Paginator(people, 50).get_page(request.GET.get("side"))
    return render(request, "absence/people_list.html", {"page": page})


def _person_context(request: HttpRequest, person_id: int) -> dict[str, object]:
    person = access.get_person_for_user(request.user, person_id)
    record_read(actor=request.user, instance=person, purpose="sick leave")
    spells = list(AbsenceSpell.objects.filter(person=person).order_by("-first_day"))
    cases = list(queries.with_details(access.visible_cases(request.user).filter(person=person)))
    return {
        "person": person,
        "spells": spells,
        "cases": cases,
        "may_edit": access.managed_people(request.user).filter(pk=person.pk).exists(),
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    return render(request, "absence/person_detail.html", _person_context(request, person_id))


@login_required
@require_http_methods(["GET", "HEAD"])
def person_export(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person's spells as CSV (semicolons, dd.mm.yyyy): for the same people as the page."""
    context = _person_context(request, person_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sykefravaer-{person_id}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["ansattnummer", "fra og med", "til og med", "type", "grad"])
    person = context["person"]
    for spell in context["spells"]:  # type: ignore[attr-defined]
        writer.writerow(
            [
                person.employee_number,  # type: ignore[attr-defined]
                f"{spell.first_day:%d.%m.%Y}",
                f"{spell.last_day:%d.%m.%Y}",
                "egenmelding" if spell.kind == AbsenceSpell.Kind.SELF_CERTIFIED else "sykmelding",
                spell.effective_grade,
            ]
        )
    return response


@login_required
@require_http_methods(GET_POST)
def spell_create(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access.get_person_for_user(request.user, person_id, write=True)
    form = SpellForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda data: services.register_spell(actor=request.user, person=person, **data),
        success=_("The absence was registered."),
        then=lambda spell: reverse("absence:person_detail", args=[person.pk]),
    )
    return done or render(
        request,
        "absence/form.html",
        {"form": form, "person": person, "title": _("Register absence")},
    )


@login_required
@require_http_methods(GET_POST)
def spell_edit(request: HttpRequest, pk: int) -> HttpResponse:
    spell = access.get_spell_for_user(request.user, pk, write=True)
    form = SpellForm(
        request.POST or None,
        initial={
            "first_day": spell.first_day,
            "last_day": spell.last_day,
            "kind": spell.kind,
            "grade": spell.grade,
        },
    )
    done = submit(
        request,
        form,
        lambda data: services.correct_spell(actor=request.user, spell=spell, **data),
        success=_("The absence was corrected."),
        then=lambda s: reverse("absence:person_detail", args=[s.person_id]),
    )
    return done or render(
        request,
        "absence/form.html",
        {"form": form, "person": spell.person, "title": _("Correct absence"), "spell": spell},
    )


@login_required
@require_POST
def spell_delete(request: HttpRequest, pk: int) -> HttpResponse:
    spell = access.get_spell_for_user(request.user, pk, write=True)
    person_id = spell.person_id
    services.delete_spell(actor=request.user, spell=spell)
    messages.success(request, _("The absence was deleted."))
    return redirect("absence:person_detail", person_id=person_id)


# --- Follow-up cases ------------------------------------------------------------------------
def _case(request: HttpRequest, pk: int, *, write: bool = False) -> FollowUpCase:
    return access.get_case_for_user(request.user, pk, write=write)


@login_required
@require_http_methods(["GET", "HEAD"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.with_details(access.visible_cases(request.user).filter(pk=pk)).first()
    if case is None:
        case = _case(request, pk)  # raises 404
    record_read(actor=request.user, instance=case, purpose="follow-up case")
    settings = statistics.settings_for(case.organisation_id)
    plan = queries._plan(case)
    day = today()
    milestones = queries.milestones(case, settings)
    return render(
        request,
        "absence/case_detail.html",
        {
            "case": case,
            "plan": plan,
            "comments": list(plan.comments.select_related("author")) if plan else [],
            "meetings": list(case.meetings.all()),
            "measures": list(case.measures.all()),
            "milestones": [(m, m.overdue(day)) for m in milestones],
            "may_follow_up": access.can_follow_up(request.user, case),
            "may_comment": plan is not None and access.may_comment(request.user, case),
            "comment_form": CommentForm(),
            "settings": settings,
        },
    )


@login_required
@require_http_methods(GET_POST)
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, write=True)
    plan = FollowUpPlan.objects.filter(case=case).first()
    form = PlanForm(request.POST or None, instance=plan, initial={"made_on": today()})
    done = submit(
        request,
        form,
        lambda data: services.save_plan(actor=request.user, case=case, **data),
        success=_("The follow-up plan was saved."),
        then=lambda p: case.get_absolute_url(),
    )
    return done or render(
        request, "absence/form.html", {"form": form, "case": case, "title": _("Follow-up plan")}
    )


@login_required
@require_POST
def plan_comment(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    plan = FollowUpPlan.objects.filter(case=case).first()
    if plan is None or not access.may_comment(request.user, case):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    form = CommentForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: services.comment_on_plan(actor=request.user, plan=plan, text=data["text"]),
        success=_("Your comment was saved."),
        then=lambda c: case.get_absolute_url(),
    )
    return done or render(
        request,
        "absence/form.html",
        {"form": form, "case": case, "title": _("Comment on the plan")},
    )


@login_required
@require_http_methods(GET_POST)
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, write=True)
    form = MeetingForm(request.POST or None, initial={"held_on": today()})
    done = submit(
        request,
        form,
        lambda data: services.record_meeting(actor=request.user, case=case, **data),
        success=_("The dialogue meeting was recorded."),
        then=lambda m: case.get_absolute_url(),
    )
    return done or render(
        request, "absence/form.html", {"form": form, "case": case, "title": _("Dialogue meeting")}
    )


@login_required
@require_http_methods(GET_POST)
def measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, write=True)
    form = MeasureForm(request.POST or None, initial={"start_date": today()})
    done = submit(
        request,
        form,
        lambda data: services.add_measure(actor=request.user, case=case, **data),
        success=_("The adaptation measure was added."),
        then=lambda m: case.get_absolute_url(),
    )
    return done or render(
        request, "absence/form.html", {"form": form, "case": case, "title": _("Adaptation measure")}
    )


# --- Settings -------------------------------------------------------------------------------
@login_required
@require_http_methods(GET_POST)
def settings_edit(request: HttpRequest) -> HttpResponse:
    access.require_settings_manager(request.user)
    organisation = request.user.organisation  # type: ignore[union-attr]
    current = services.get_settings(organisation)
    form = SettingsForm(request.POST or None, instance=current)
    done = submit(
        request,
        form,
        lambda data: services.update_settings(
            actor=request.user, organisation=organisation, **data
        ),
        success=_("The settings were saved."),
        then=lambda s: reverse("absence:statistics"),
    )
    return done or render(
        request, "absence/form.html", {"form": form, "title": _("Sick-leave settings")}
    )
