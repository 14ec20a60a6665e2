"""Pages for HMS goals, action plans and the internal-control overview.

Each view parses input, asks goals/access.py, calls a service or query, and renders.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from trygg.actions.queries import owner_choices
from trygg.goals import access, queries, readings, services, spreadsheets
from trygg.goals.forms import (
    ControlStatusForm,
    EditGoalForm,
    ImportForm,
    MeasurementForm,
    NewGoalForm,
    NewPlanForm,
    PlanForm,
    PlanRowForm,
)
from trygg.goals.measure import indicator_label
from trygg.goals.models import ActionPlan, ActionPlanRow, Goal
from trygg.lib.dates import today
from trygg.lib.forms import add_service_errors, submit
from trygg.org import access as org_access
from trygg.org.models import Committee, Unit
from trygg.org.principal import ALL, Role, get_principal
from trygg.org.queries import kept_html


def _form_page(
    request: HttpRequest, form: Any, title: str, *, back: str, intro: str = ""
) -> HttpResponse:
    return render(
        request, "goals/form.html", {"form": form, "title": title, "back": back, "intro": intro}
    )


def _year(request: HttpRequest) -> int:
    value = request.GET.get("ar", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else today().year


def _owner_label(obj: Goal | ActionPlan) -> str:
    return queries.owner_name(obj) or _("The organisation")


# --- Owners the user may set goals and plans for ----------------------------------------------
def _editable_units(request: HttpRequest) -> QuerySet[Unit]:
    principal = get_principal(request.user)
    units = org_access.visible_units(request.user).filter(is_active=True)
    paths = principal.paths(Role.ADMIN, Role.HMS_COORDINATOR) + principal.leader_paths
    if ALL in paths:
        return units
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return units.filter(condition)


def _editable_committees(request: HttpRequest) -> QuerySet[Committee]:
    principal = get_principal(request.user)
    committees = org_access.visible_committees(request.user).filter(is_active=True)
    if access.is_hms_manager(request.user):
        return committees
    return committees.filter(pk__in=principal.secretary_committee_ids)


# --- Goals ----------------------------------------------------------------------------------
def _kept(request: HttpRequest, name: str, template: str, context: Callable[[], dict]) -> str:
    """A part of a goal page, kept (`kept_html`) for those who see the same goals (today every
    member sees all) and drawn again when the stored readings change (`readings.stamp`): the
    goals' many readings are the goal pages' main cost."""
    organisation_id = request.user.organisation_id
    return kept_html(
        organisation_id,
        name,
        access.visible_goals(request.user),
        lambda: render_to_string(template, context()),
        readings.stamp(organisation_id),
    )


@login_required
@require_GET
def goal_list(request: HttpRequest) -> HttpResponse:
    access.require_member(request.user)
    year = _year(request)

    def tree() -> dict[str, Any]:
        found = queries.goal_tree(access.visible_goals(request.user), year)
        return {"tree": found.goals, "more_loose": found.more_loose}

    context = {
        "year": year,
        "years": [year - 1, year + 1],
        "body": _kept(request, f"goal-list:{year}", "goals/_goal_tree.html", tree),
        "can_create": access.may_edit_somewhere(request.user),
        "can_create_overall": access.is_hms_manager(request.user),
    }
    return render(request, "goals/goal_list.html", context)


@login_required
@require_GET
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.get_goal_for_user(request.user, pk)
    (view,) = queries.view_goals([goal], trend=True)

    def lists() -> dict[str, Any]:
        local = (
            access.visible_goals(request.user)
            .filter(parent=goal, is_active=True)
            .with_related()
            .select_related("committee__unit")
            .order_by("unit__name", "committee__name", "number")
        )
        children = queries.view_goals(list(local[: queries.CHILDREN_ON_PAGE]), trend=False)
        full = len(children) == queries.CHILDREN_ON_PAGE
        return {
            "goal": goal,
            "children": children,
            "more": local.count() - len(children) if full else 0,
            "rows": ActionPlanRow.objects.filter(goal=goal)
            .select_related("plan", "action_item")
            .order_by("plan__title", "number"),
            "today": today(),
        }

    can_edit = access.can_edit_goal(request.user, goal)
    context = {
        "goal": goal,
        "view": view,
        "owner": _owner_label(goal),
        "indicator": indicator_label(goal.indicator_code) if goal.indicator_code else "",
        "lists": _kept(request, f"goal-detail:{goal.pk}", "goals/_goal_detail_lists.html", lists),
        "measurements": list(reversed(goal.measurement_list)),
        "can_edit": can_edit,
        "can_break_down": access.may_edit_somewhere(request.user) and goal.is_organisation_goal,
        "today": today(),
        "measurement_form": MeasurementForm(initial={"measured_on": today()})
        if can_edit and not goal.indicator_code
        else None,
    }
    return render(request, "goals/goal_detail.html", context)


@login_required
def goal_create(request: HttpRequest) -> HttpResponse:
    access.require_editor_somewhere(request.user)
    visible = access.visible_goals(request.user)
    parents = queries.goals_in_force(visible.organisation_level(), today().year)
    initial: dict[str, Any] = {
        "start_year": today().year,
        "end_year": today().year,
        "measure_unit": "%",
    }
    parent_id = request.GET.get("overordnet", "")
    if parent_id.isdigit():
        parent = visible.organisation_level().filter(pk=int(parent_id)).first()
        if parent is not None:
            initial.update(
                parent=parent.pk,
                start_year=parent.start_year,
                end_year=parent.end_year,
                indicator_code=parent.indicator_code,
                measure=parent.measure,
                measure_unit=parent.measure_unit,
                lower_is_better=parent.lower_is_better,
            )
    form = NewGoalForm(
        request.POST or None,
        initial=initial,
        units=_editable_units(request),
        committees=_editable_committees(request),
        parents=parents,
    )

    def create(data: dict[str, Any]) -> Goal:
        access.require_owner_editor(request.user, unit=data["unit"], committee=data["committee"])
        return services.create_goal(
            actor=request.user, organisation=request.user.organisation, **data
        )

    done = submit(
        request,
        form,
        create,
        success=_("The goal was saved."),
        then=lambda goal: goal.get_absolute_url(),
    )
    return done or _form_page(
        request,
        form,
        _("New HMS goal"),
        back=reverse("goals:goal_list"),
        intro=_(
            "A goal must be measurable: bind it to live data in Trygg or describe a measure you "
            "enter by hand, and give the target."
        ),
    )


@login_required
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.get_goal_for_user(request.user, pk, write=True)
    fields = (
        "title",
        "description",
        "start_year",
        "end_year",
        "indicator_code",
        "measure",
        "measure_unit",
        "lower_is_better",
        "baseline",
        "target",
        "is_active",
    )
    form = EditGoalForm(request.POST or None, initial={f: getattr(goal, f) for f in fields})
    done = submit(
        request,
        form,
        lambda data: services.update_goal(actor=request.user, goal=goal, **data),
        success=_("The goal was saved."),
        then=lambda g: g.get_absolute_url(),
    )
    return done or _form_page(request, form, _("Edit goal"), back=goal.get_absolute_url())


@login_required
@require_POST
def measurement_create(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.get_goal_for_user(request.user, pk, write=True)
    form = MeasurementForm(request.POST)
    if form.is_valid():
        try:
            services.record_measurement(actor=request.user, goal=goal, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The measurement was saved."))
            return redirect(goal.get_absolute_url())
    return _form_page(request, form, _("New measurement"), back=goal.get_absolute_url())


# --- Action plans -----------------------------------------------------------------------------
@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    access.require_member(request.user)
    plans = list(queries.plans_with_progress(access.visible_plans(request.user), today()))
    context = {
        "plans": [(plan, queries.progress_of(plan)) for plan in plans],
        "can_create": access.may_edit_somewhere(request.user),
    }
    return render(request, "goals/plan_list.html", context)


def _plan_progress(plan: ActionPlan) -> queries.PlanProgress:
    return queries.progress_of(
        queries.plans_with_progress(ActionPlan.objects.filter(pk=plan.pk), today()).get()
    )


def _plan_context(request: HttpRequest, plan: ActionPlan) -> dict[str, Any]:
    return {
        "plan": plan,
        "owner": _owner_label(plan),
        "rows": queries.plan_rows(plan),
        "progress": _plan_progress(plan),
        "today": today(),
    }


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk)
    can_edit = access.can_edit_plan(request.user, plan)

    def rows() -> dict[str, Any]:
        return {
            "plan": plan,
            "rows": queries.plan_rows(plan),
            "can_edit": can_edit,
            "today": today(),
        }

    context = {
        "plan": plan,
        "owner": _owner_label(plan),
        "progress": _plan_progress(plan),
        "can_edit": can_edit,
        # A plan of a few hundred rows costs more to draw than everything else on the page.
        "table": _kept(request, f"plan-rows:{plan.pk}:{can_edit}", "goals/_plan_rows.html", rows),
    }
    return render(request, "goals/plan_detail.html", context)


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    access.require_editor_somewhere(request.user)
    year = today().year
    form = NewPlanForm(
        request.POST or None,
        initial={"start_year": year, "end_year": year},
        units=_editable_units(request),
        committees=_editable_committees(request),
    )

    def create(data: dict[str, Any]) -> ActionPlan:
        access.require_owner_editor(request.user, unit=data["unit"], committee=data["committee"])
        return services.create_plan(
            actor=request.user, organisation=request.user.organisation, **data
        )

    done = submit(
        request,
        form,
        create,
        success=_("The action plan was created."),
        then=lambda p: p.get_absolute_url(),
    )
    return done or _form_page(request, form, _("New action plan"), back=reverse("goals:plan_list"))


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk, write=True)
    form = PlanForm(
        request.POST or None,
        initial={f: getattr(plan, f) for f in ("title", "start_year", "end_year", "description")},
    )
    done = submit(
        request,
        form,
        lambda data: services.update_plan(actor=request.user, plan=plan, **data),
        success=_("The action plan was saved."),
        then=lambda p: p.get_absolute_url(),
    )
    return done or _form_page(request, form, _("Edit action plan"), back=plan.get_absolute_url())


def _row_form(request: HttpRequest, plan: ActionPlan, **kwargs: Any) -> PlanRowForm:
    return PlanRowForm(
        request.POST or None,
        goals=queries.goals_in_force(access.visible_goals(request.user), plan.start_year),
        people=owner_choices(plan.organisation_id),
        **kwargs,
    )


@login_required
def row_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk, write=True)
    form = _row_form(request, plan)
    done = submit(
        request,
        form,
        lambda data: services.add_plan_row(actor=request.user, plan=plan, **data),
        success=_("The row was added."),
        then=lambda row: row.get_absolute_url(),
    )
    return done or _form_page(
        request, form, _("New row in %(plan)s") % {"plan": plan.title}, back=plan.get_absolute_url()
    )


@login_required
def row_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = (
        ActionPlanRow.objects.filter(pk=pk, plan__in=access.visible_plans(request.user))
        .select_related("plan", "action_item")
        .first()
    )
    if row is None:
        raise Http404
    plan = access.get_plan_for_user(request.user, row.plan_id, write=True)
    item = row.action_item
    initial = {
        name: getattr(row, name)
        for name in (
            "number",
            "focus_area",
            "goal",
            "goal_text",
            "activity",
            "when",
            "responsible",
            "reporting",
        )
    }
    initial.update(owner=item.owner_id if item else None, deadline=item.deadline if item else None)
    form = _row_form(request, plan, initial=initial)
    form.fields["number"].disabled = True

    def save(data: dict[str, Any]) -> ActionPlanRow:
        data.pop("number", None)
        return services.update_plan_row(actor=request.user, row=row, **data)

    done = submit(
        request, form, save, success=_("The row was saved."), then=lambda r: r.get_absolute_url()
    )
    return done or _form_page(
        request,
        form,
        _("Row %(number)s: %(area)s") % {"number": row.number, "area": row.focus_area},
        back=plan.get_absolute_url(),
    )


@login_required
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk, write=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = spreadsheets.read_plan(
            upload.read(),
            plan=plan,
            people=owner_choices(plan.organisation_id),
            goals=access.visible_goals(request.user).filter(is_active=True),
        )
        errors = result.errors
        if result.ok:
            try:
                rows = services.import_plan_rows(actor=request.user, plan=plan, rows=result.rows)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(
                    request,
                    _("%(count)s rows were imported.") % {"count": len(rows)},
                )
                return redirect(plan.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "goals/plan_import.html",
        {"plan": plan, "form": form, "errors": errors},
        status=status,
    )


def _subtitle(plan: ActionPlan) -> str:
    period = (
        f"{plan.start_year}"
        if plan.start_year == plan.end_year
        else f"{plan.start_year}–{plan.end_year}"
    )
    return f"{_owner_label(plan)} · {period}"


@login_required
@require_GET
def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk)
    content = spreadsheets.write_plan(plan, queries.plan_rows(plan), subtitle=_subtitle(plan))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="handlingsplan-{plan.pk}.xlsx"'
    return response


@login_required
@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from trygg.lib.pdf import pdf_response  # WeasyPrint is heavy to import: only when needed

    plan = access.get_plan_for_user(request.user, pk)
    context = _plan_context(request, plan)
    context["subtitle"] = _subtitle(plan)
    html = render_to_string("goals/plan_pdf.html", context, request=request)
    return pdf_response(request, html, filename=f"handlingsplan-{plan.pk}.pdf")


# --- Internal control ---------------------------------------------------------------------------
def _control_unit(request: HttpRequest) -> Unit | None:
    value = request.GET.get("enhet", "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return org_access.get_unit_for_user(request.user, int(value))


def _control_context(request: HttpRequest) -> dict[str, Any]:
    principal = access.require_member(request.user)
    unit = _control_unit(request)
    return {
        "unit": unit,
        "points": queries.control_overview(principal.organisation_id, unit),
        "can_assess": access.may_assess_control(request.user, unit),
        "organisation": request.user.organisation,
        "today": today(),
    }


@login_required
@require_GET
def control_overview(request: HttpRequest) -> HttpResponse:
    context = _control_context(request)
    unit = context["unit"]
    # The choice of units (about 400 in a large organisation), kept like the records.
    units = (
        org_access.visible_units(request.user).filter(is_active=True, depth__lte=2).order_by("path")
    )
    context["unit_options"] = kept_html(
        request.user.organisation_id,
        "control-units",
        units,
        lambda: render_to_string("goals/_control_units.html", {"unit": unit, "units": units}),
        unit.pk if unit else None,
    )
    return render(request, "goals/control_overview.html", context)


@login_required
@require_GET
def control_pdf(request: HttpRequest) -> HttpResponse:
    from trygg.lib.pdf import pdf_response

    context = _control_context(request)
    html = render_to_string("goals/control_pdf.html", context, request=request)
    return pdf_response(request, html, filename="internkontroll.pdf")


@login_required
def control_edit(request: HttpRequest, point: int) -> HttpResponse:
    if not 1 <= point <= 8:
        raise Http404
    unit = _control_unit(request)
    access.require_control_assessor(request.user, unit)
    org_id = request.user.organisation_id
    current = next(p for p in queries.control_overview(org_id, unit) if p.number == point)
    initial = (
        {"status": current.assessed.status, "note": current.assessed.note}
        if current.assessed
        else {}
    )
    form = ControlStatusForm(request.POST or None, initial=initial)
    back = reverse("goals:control_overview") + (f"?enhet={unit.pk}" if unit else "")
    done = submit(
        request,
        form,
        lambda data: services.set_control_status(
            actor=request.user,
            organisation=request.user.organisation,
            point=point,
            unit=unit,
            **data,
        ),
        success=_("The status was saved."),
        then=lambda _row: back + f"#punkt-{point}",
    )
    if done:
        return done
    return render(
        request,
        "goals/control_edit.html",
        {"form": form, "point": current, "unit": unit, "back": back},
    )


@login_required
@require_GET
def laws(request: HttpRequest) -> HttpResponse:
    access.require_member(request.user)
    return render(request, "goals/laws.html")
