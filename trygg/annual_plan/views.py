"""Pages of the årshjul: the wheel, the list, an item, and the template the HMS coordinator edits.

Each view parses input, asks annual_plan/access.py, calls a service or query, and renders.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from trygg.lib.dates import today
from trygg.lib.forms import add_service_errors, submit
from trygg.org.access import visible_committees, visible_people, visible_units

from . import access, queries, services, wheel
from .forms import AdoptForm, DoneForm, FilterForm, SettingsForm, SuggestionForm, TemplateItemForm
from .labels import timing_text
from .models import Category, Plan, PlanItem, TemplateItem, Timing


def _organisation(request: HttpRequest):  # type: ignore[no-untyped-def]
    return request.user.organisation


def _plan_context(request: HttpRequest) -> dict[str, Any]:
    """The plan of the chosen year with its items, filtered by committee and unit."""
    principal = access.require_reader(request.user)
    org_id = principal.organisation_id
    day = today()
    default_year = queries.plan_year_for(org_id, day.year, day.month)
    form = FilterForm(
        request.GET or None,
        initial={"year": default_year},
        committees=visible_committees(request.user).select_related("unit"),
        units=visible_units(request.user),
    )
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    year = data.get("year") or default_year
    plan = queries.plan_in_force(org_id, year)
    committee = data.get("committee")
    unit = data.get("unit") or (committee.unit if committee else None)
    items: list[PlanItem] = []
    if plan is not None:
        items = list(
            queries.plan_items(plan, committee_kind=committee.kind if committee else "", unit=unit)
        )
    query = request.GET.copy()
    query.pop("view", None)
    return {
        "form": form,
        "year": year,
        "plan": plan,
        "items": items,
        "committee": committee,
        "unit": unit,
        "day": day,
        "query": query.urlencode(),
        "can_edit": access.can_edit(request.user),
        "years": queries.plan_years(org_id),
    }


def _rows(items: list[PlanItem], day) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return [
        {
            "item": item,
            "when": timing_text(item),
            "ring": wheel.ring_label(wheel.ring_key(item)),
            "state": wheel.item_state(item, day),
            "state_label": wheel.state_label(wheel.item_state(item, day)),
        }
        for item in items
    ]


def _by_month(plan: Plan, items: list[PlanItem], day) -> list[tuple[int, str, list]]:  # type: ignore[no-untyped-def]
    return [
        (month, str(MONTHS[month]), _rows(rows, day))
        for month, rows in queries.items_by_month(plan, items)
    ]


@login_required
@require_GET
def wheel_view(request: HttpRequest) -> HttpResponse:
    context = _plan_context(request)
    plan: Plan | None = context["plan"]
    if plan is not None:
        context["wheel"] = wheel.build(plan, context["items"], context["day"])
        context["unplaced"] = _rows([i for i in context["items"] if not i.months()], context["day"])
        context["by_month"] = _by_month(plan, context["items"], context["day"])
    return render(request, "annual_plan/wheel.html", context)


@login_required
@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    context = _plan_context(request)
    plan: Plan | None = context["plan"]
    if plan is not None:
        context["by_month"] = _by_month(plan, context["items"], context["day"])
        context["unplaced"] = _rows([i for i in context["items"] if not i.months()], context["day"])
    return render(request, "annual_plan/list.html", context)


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_plan_item_for_user(request.user, pk)
    can_mark = access.can_mark_done(request.user, item)
    form = DoneForm(request.POST or None)
    if request.method == "POST":
        item = access.get_plan_item_for_user(request.user, pk, write=True)
        done = submit(
            request,
            form,
            lambda data: services.mark_done(
                actor=request.user,
                item=item,
                year=item.plan.year,
                on=data["done_on"],
                note=data["note"],
            ),
            success=_("Marked as done."),
            then=lambda i: i.get_absolute_url(),
        )
        if done:
            return done
    day = today()
    context = {
        "item": item,
        "when": timing_text(item),
        "ring": wheel.ring_label(wheel.ring_key(item)),
        "state": wheel.item_state(item, day),
        "state_label": wheel.state_label(wheel.item_state(item, day)),
        "due": item.due_date(),
        "figure": queries.figure_for_plan_item(item=item, user=request.user),
        "missing": queries.missing_data(item),
        "history": queries.history_of(item),
        "form": form,
        "can_mark": can_mark,
        "can_edit": access.can_edit(request.user),
        "newest": queries.plan_in_force(item.organisation_id, item.plan.year),
    }
    return render(request, "annual_plan/item_detail.html", context)


@login_required
@require_POST
def item_undo(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_plan_item_for_user(request.user, pk, write=True)
    services.mark_not_done(actor=request.user, item=item)
    messages.success(request, _("Marked as not done."))
    return redirect(item.get_absolute_url())


# --- The template (HMS coordinator) ---------------------------------------------------------
@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    principal = access.require_reader(request.user)
    org = _organisation(request)
    adopt = AdoptForm(request.POST or None, initial={"year": today().year})
    settings_form = SettingsForm(initial={"year_kind": services.settings_for(org).year_kind})
    if request.method == "POST":
        access.require_editor(request.user)
        done = submit(
            request,
            adopt,
            lambda data: services.adopt_plan(
                actor=request.user, organisation=org, year=data["year"], note=data["note"]
            ),
            success=lambda plan: _("The annual plan %(plan)s was adopted.") % {"plan": plan},
            then=lambda plan: plan.get_absolute_url(),
        )
        if done:
            return done
    items = list(
        access.visible_template(request.user)
        .select_related("owner", "unit")
        .order_by("category", "committee_kind", "month", "position", "id")
    )
    rows = [
        {"item": i, "when": timing_text(i), "ring": wheel.ring_label(wheel.ring_key(i))}
        for i in items
    ]
    suggestions = [row for row in services.default_data()["activities"]]
    context = {
        "rows": rows,
        "adopt": adopt,
        "settings_form": settings_form,
        "suggestions": suggestions,
        "can_edit": access.can_edit(request.user),
        "is_empty": not items,
        "versions": queries.plan_versions(principal.organisation_id, today().year),
    }
    return render(request, "annual_plan/template_list.html", context)


def _item_form_page(
    request: HttpRequest, form: TemplateItemForm, title: str, back: str
) -> HttpResponse:
    return render(request, "annual_plan/form.html", {"form": form, "title": title, "back": back})


def _form_kwargs(request: HttpRequest) -> dict[str, Any]:
    return {"people": visible_people(request.user), "units": visible_units(request.user)}


@login_required
def template_item_create(request: HttpRequest) -> HttpResponse:
    access.require_editor(request.user)
    org = _organisation(request)
    activity = request.GET.get("kind") == "activity"
    initial = (
        {"category": Category.OTHER, "timing": Timing.MONTH}
        if activity
        else {"category": Category.COMMITTEE_CASE, "timing": Timing.MONTH}
    )
    form = TemplateItemForm(
        request.POST or None,
        instance=TemplateItem(organisation=org),
        initial=initial,
        **_form_kwargs(request),
    )

    def create(data: dict[str, Any]) -> TemplateItem:
        if data["category"] != Category.COMMITTEE_CASE:
            fields = {
                k: v
                for k, v in data.items()
                if k not in ("title", "category", "timing", "month", "owner", "unit", "recurrence")
            }
            return services.add_activity(
                actor=request.user,
                organisation=org,
                title=data["title"],
                category=data["category"],
                timing=data["timing"],
                month=data["month"],
                owner=data["owner"],
                unit=data["unit"],
                recurrence=data["recurrence"],
                **fields,
            )
        return services.create_template_item(actor=request.user, organisation=org, **data)

    done = submit(
        request,
        form,
        create,
        success=_("The item was added to the template."),
        then=lambda _item: reverse("annual_plan:template"),
    )
    title = _("New HMS activity") if activity else _("New standing case")
    return done or _item_form_page(request, form, title, "annual_plan:template")


@login_required
def template_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_template_item_for_user(request.user, pk, write=True)
    # The form works on its own copy, so the service sees the row as it was before the edit.
    form = TemplateItemForm(
        request.POST or None,
        instance=access.get_template_item_for_user(request.user, pk, write=True),
        **_form_kwargs(request),
    )
    done = submit(
        request,
        form,
        lambda data: services.update_template_item(actor=request.user, item=item, **data),
        success=_("The template was changed. Adopt the plan again to use it this year."),
        then=lambda _item: reverse("annual_plan:template"),
    )
    return done or _item_form_page(
        request, form, _("Edit %(title)s") % {"title": item.title}, "annual_plan:template"
    )


@login_required
@require_POST
def template_add_suggestion(request: HttpRequest) -> HttpResponse:
    access.require_editor(request.user)
    form = SuggestionForm(request.POST, **_form_kwargs(request))
    if form.is_valid():
        try:
            item = services.add_suggested_activity(
                actor=request.user,
                organisation=_organisation(request),
                key=form.cleaned_data["key"],
                owner=form.cleaned_data["owner"],
                unit=form.cleaned_data["unit"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(title)s was added.") % {"title": item.title})
    else:
        messages.error(request, _("The activity could not be added."))
    return redirect("annual_plan:template")


@login_required
@require_POST
def template_load_default(request: HttpRequest) -> HttpResponse:
    access.require_editor(request.user)
    count = services.load_default_template(actor=request.user, organisation=_organisation(request))
    messages.success(
        request,
        ngettext(
            "%(count)s standing case was loaded.", "%(count)s standing cases were loaded.", count
        )
        % {"count": count},
    )
    return redirect("annual_plan:template")


@login_required
@require_POST
def settings_save(request: HttpRequest) -> HttpResponse:
    access.require_editor(request.user)
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            services.set_year_kind(
                actor=request.user,
                organisation=_organisation(request),
                year_kind=form.cleaned_data["year_kind"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The settings were saved."))
            return redirect("annual_plan:template")
    messages.error(request, _("Choose a calendar or an academic year."))
    return redirect("annual_plan:template")
