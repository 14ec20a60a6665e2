"""Pages for the organisation: overview and org chart, units, people, safety areas, committees.

Each view parses input, asks org/access.py, calls a service or query, and renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db.models import Model, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from trygg.accounts.services import send_welcome_email
from trygg.audit.queries import cached_for_organisation
from trygg.lib.dates import today
from trygg.lib.forms import add_service_errors, submit
from trygg.lib.htmx import template_for
from trygg.org import access, queries, services
from trygg.org.forms import (
    CommitteeForm,
    ConstitutionForm,
    EmploymentForm,
    LoginForm,
    MemberForm,
    PersonForm,
    RoleGrantForm,
    SafetyAreaForm,
    SafetyRepresentativeForm,
    UnitForm,
)
from trygg.org.models import Committee, Employment, SafetyRepresentative, Unit

PAGE_SIZE = 50
CHART_LIMIT = 150  # units: above this the overview page shows the top of the chart
TREE_LIMIT = 60  # units shown at once on the units page before one drills down


def _form_page(
    request: HttpRequest, form: Form, title: str, *, obj: Model | None = None, back: str = ""
) -> HttpResponse:
    return render(
        request, "org/form.html", {"form": form, "title": title, "object": obj, "back": back}
    )


def _organisation(request: HttpRequest):  # type: ignore[no-untyped-def]
    return request.user.organisation


# --- Overview and org chart ----------------------------------------------------------------
def _overview_context(request: HttpRequest, *, complete: bool) -> dict:
    """The overview's content. On screen a large organisation gets the top of the chart and a
    summary of its safety areas; the PDF (`complete`) always holds everything."""
    principal = access.require_member(request.user)
    org_id = principal.organisation_id
    units = access.visible_units(request.user)
    partial = not complete and units.count() > CHART_LIMIT
    visible_areas = access.visible_safety_areas(request.user)
    if partial:
        # Large organisations: count the areas and list only those that need attention.
        reps = queries.representatives_by_area(org_id, main_only=True)
        areas_total, areas_uncovered, areas = queries.safety_area_summary(visible_areas)
    else:
        reps = queries.representatives_by_area(org_id)
        areas = list(visible_areas.order_by("name"))
        deputy = SafetyRepresentative.Role.DEPUTY
        areas_total = len(areas)
        areas_uncovered = sum(1 for a in areas if all(t.role == deputy for t in reps.get(a.pk, [])))
    for area in areas:
        area.current_reps = reps.get(area.pk, [])
    return {
        "organisation": _organisation(request),
        "thresholds": queries.thresholds(org_id),
        "chart": queries.unit_tree(units, max_units=CHART_LIMIT)
        if partial
        else queries.full_chart(org_id),
        "chart_is_partial": partial,
        "committees": queries.committees_with_counts(
            access.visible_committees(request.user).filter(is_active=True)
        ),
        "main_reps": reps.get(None, []),
        "areas": areas,
        "areas_total": areas_total,
        "areas_uncovered": areas_uncovered,
        "areas_are_partial": partial,
        "providers": access.visible_ohs_providers(request.user).prefetch_related(
            "contacts__person"
        ),
        "union_reps": queries.union_representatives(org_id),
        "today": today(),
    }


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The written overview of the organisation (internkontrollforskriften § 5 no. 5).

    Its body is the same for everyone in the organisation, so it is rendered once and kept
    until the organisation's next change (or the next day)."""
    principal = access.require_member(request.user)
    org_id = principal.organisation_id
    body = cached_for_organisation(
        org_id,
        f"html:overview:{get_language()}",
        lambda: render_to_string(
            "org/_overview_body.html", _overview_context(request, complete=False), request=request
        ),
    )
    context = {
        "organisation": _organisation(request),
        "body": mark_safe(body),
        "thresholds": queries.thresholds(org_id),
        "committee_count": access.visible_committees(request.user).filter(is_active=True).count(),
        "today": today(),
    }
    return render(request, "org/overview.html", context)


def _people_table(request: HttpRequest, organisation_id: int, page: Page, query: str = "") -> str:
    """The people table for one page of results, kept until the organisation changes."""
    return queries.kept_html(
        organisation_id,
        "people",
        page.object_list,
        lambda: render_to_string(
            "org/_people_table.html", {"page": page, "query": query}, request=request
        ),
        query,
    )


@login_required
@require_GET
def overview_pdf(request: HttpRequest) -> HttpResponse:
    from trygg.lib.pdf import pdf_response  # WeasyPrint is heavy to import: only when needed

    context = _overview_context(request, complete=True)
    html = render_to_string("org/overview_pdf.html", context, request=request)
    return pdf_response(
        request, html, filename=f"organisasjonskart-{context['organisation'].slug}.pdf"
    )


# --- Units ---------------------------------------------------------------------------------
@login_required
@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    principal = access.require_member(request.user)
    units = access.visible_units(request.user)
    text = request.GET.get("q", "").strip()[:100]
    context = {
        "q": text,
        "results": queries.search_units(units, text) if text else None,
        # The chart is the same for everyone in the organisation.
        "tree": []
        if text
        else cached_for_organisation(
            principal.organisation_id,
            "tree-top",
            lambda: queries.unit_tree(units, max_units=TREE_LIMIT),
        ),
        "can_create": access.can_edit_unit(request.user),
    }
    return render(request, template_for(request, "org/unit_list.html", "results"), context)


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for_user(request.user, pk)
    units = access.visible_units(request.user)
    # The unit's place in the organisation is the same for everyone who may see it.
    facts = cached_for_organisation(
        unit.organisation_id, f"unit:{unit.pk}", lambda: _unit_facts(unit, units)
    )
    children = facts["children"]
    if request.htmx and request.GET.get("fragment") == "children":
        return render(request, "org/unit_detail.html#children", {"children": children})
    people = queries.people_list(access.visible_people(request.user), unit=unit, subunits=False)
    paginator = queries.CachedCountPaginator(
        people, PAGE_SIZE, organisation_id=unit.organisation_id
    )
    page = paginator.get_page(request.GET.get("side"))
    context = {
        **facts,
        "people_table": _people_table(request, unit.organisation_id, page),
        "unit": unit,
        "page": page,
        "can_edit": access.can_edit_unit(request.user, unit),
    }
    return render(request, "org/unit_detail.html", context)


def _unit_facts(unit: Unit, units: QuerySet[Unit]) -> dict:
    node, *children = queries.build_nodes(
        unit.organisation_id, [unit, *units.filter(parent=unit).order_by("name")]
    )
    return {
        "node": node,
        "children": children,
        "ancestors": queries.ancestors(unit),
        "committees": list(unit.committees.filter(is_active=True).order_by("kind", "name")),
        "areas": list(unit.safety_areas.order_by("name")),
    }


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    access.require_unit_editor(request.user)
    parent_id = request.GET.get("parent", "")
    initial = {"parent": parent_id, "kind": Unit.Kind.UNIT} if parent_id.isdigit() else {}
    form = UnitForm(request.POST or None, units=access.visible_units(request.user), initial=initial)

    def create(data: dict) -> Unit:
        access.require_unit_creation(request.user, data["parent"])
        return services.create_unit(
            actor=request.user,
            organisation=_organisation(request),
            name=data["name"],
            parent=data["parent"],
            kind=data["kind"],
            code=data["code"],
        )

    done = submit(
        request,
        form,
        create,
        success=lambda unit: _("The unit “%(name)s” was created.") % {"name": unit.name},
        then=lambda unit: unit.get_absolute_url(),
    )
    return done or _form_page(request, form, _("New unit"), back="org:unit_list")


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for_user(request.user, pk, write=True)
    fields = ("name", "code", "kind", "parent", "is_active")
    form = UnitForm(
        request.POST or None,
        units=access.visible_units(request.user),
        initial={f: getattr(unit, f) for f in fields},
    )

    def save(data: dict) -> Unit:
        if (data["parent"].pk if data["parent"] else None) != unit.parent_id:
            access.require_unit_creation(request.user, data["parent"])
        return services.update_unit(actor=request.user, unit=unit, **data)

    done = submit(
        request, form, save, success=_("The unit was saved."), then=lambda u: u.get_absolute_url()
    )
    return done or _form_page(request, form, _("Edit %(name)s") % {"name": unit.name}, obj=unit)


# --- People --------------------------------------------------------------------------------
@login_required
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    principal = access.require_member(request.user)
    text = request.GET.get("q", "").strip()[:100]
    unit = None
    unit_id = request.GET.get("enhet", "")
    if unit_id.isdigit():
        unit = access.visible_units(request.user).filter(pk=int(unit_id)).first()
    include_former = request.GET.get("tidligere") == "1"
    people = queries.people_list(
        access.visible_people(request.user), text=text, unit=unit, include_former=include_former
    )
    paginator = queries.CachedCountPaginator(
        people, PAGE_SIZE, organisation_id=principal.organisation_id
    )
    page = paginator.get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    context = {
        "page": page,
        "people_table": _people_table(request, principal.organisation_id, page, query.urlencode()),
        "q": text,
        "unit": unit,
        "include_former": include_former,
        "query": query.urlencode(),
        "can_create": access.can_edit_people(request.user),
    }
    return render(request, template_for(request, "org/person_list.html", "results"), context)


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for_user(request.user, pk)
    return render(request, "org/person_detail.html", _person_context(request, person))


def _person_context(request: HttpRequest, person, login_form=None, grant_form=None) -> dict:  # type: ignore[no-untyped-def]
    """The person page; administrators also get the login and role forms (with errors, when
    a POST to one of them failed)."""
    context = {
        "person": person,
        "employments": person.employments.select_related("unit").order_by("-start_date"),
        "roles": queries.person_roles(person),
        "can_edit": access.can_edit_people(request.user),
        "today": today(),
    }
    if access.can_manage_logins(request.user):
        suggestion = (
            person.email.split("@")[0] if person.email else person.employee_number
        ).lower()
        context.update(
            can_manage_logins=True,
            login_form=login_form
            or LoginForm(initial={"username": suggestion, "email": person.email}),
            grants=queries.grants_of(person),
            grant_form=grant_form or RoleGrantForm(units=access.visible_units(request.user)),
        )
    return context


def _person_page_with(request: HttpRequest, person, **forms) -> HttpResponse:  # type: ignore[no-untyped-def]
    """Show the person page again with a form's errors (status 400)."""
    return render(
        request, "org/person_detail.html", _person_context(request, person, **forms), status=400
    )


@login_required
@require_POST
def login_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for_login(request.user, pk)
    form = LoginForm(request.POST)
    if form.is_valid():
        try:
            user = services.create_login(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            send_welcome_email(user=user, site_url=request.build_absolute_uri("/"))
            messages.success(
                request,
                _("%(name)s has a login. A welcome email was sent to %(email)s.")
                % {"name": person.full_name, "email": user.email},
            )
            return redirect("org:person_detail", pk=person.pk)
    return _person_page_with(request, person, login_form=form)


@login_required
@require_POST
def login_active(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for_login(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_login_active(actor=request.user, person=person, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The login was activated.") if active else _("The login was deactivated.")
        )
    return redirect("org:person_detail", pk=person.pk)


@login_required
@require_POST
def grant_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for_login(request.user, pk)
    form = RoleGrantForm(request.POST, units=access.visible_units(request.user))
    if person.user is None:
        form.add_error(None, _("Give %(name)s a login first.") % {"name": person.full_name})
    if form.is_valid():
        try:
            services.grant_role(
                actor=request.user,
                organisation=_organisation(request),
                user=person.user,
                role=form.cleaned_data["role"],
                unit=form.cleaned_data["unit"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The role was granted."))
            return redirect("org:person_detail", pk=person.pk)
    return _person_page_with(request, person, grant_form=form)


@login_required
@require_POST
def grant_delete(request: HttpRequest, pk: int) -> HttpResponse:
    grant = access.get_grant_for_admin(request.user, pk)
    person = grant.user.person
    try:
        services.revoke_role(actor=request.user, grant=grant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role was removed."))
    return redirect("org:person_detail", pk=person.pk)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    access.require_person_creation(request.user)
    form = PersonForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda data: services.create_person(
            actor=request.user, organisation=_organisation(request), **data
        ),
        success=lambda person: (
            _("%(name)s was added. Add an employment next.") % {"name": person.full_name}
        ),
        then=lambda person: reverse("org:employment_create", args=[person.pk]),
    )
    return done or _form_page(request, form, _("New person"), back="org:person_list")


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for_user(request.user, pk, write=True)
    fields = ("first_name", "last_name", "employee_number", "email", "phone", "is_external")
    form = PersonForm(request.POST or None, initial={f: getattr(person, f) for f in fields})
    done = submit(
        request,
        form,
        lambda data: services.update_person(actor=request.user, person=person, **data),
        success=_("The person was saved."),
        then=lambda p: p.get_absolute_url(),
    )
    return done or _form_page(
        request, form, _("Edit %(name)s") % {"name": person.full_name}, obj=person
    )


@login_required
def employment_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for_user(request.user, pk)
    access.require_person_creation(request.user)
    form = EmploymentForm(
        request.POST or None,
        units=access.visible_units(request.user),
        initial={"start_date": today()},
    )

    def add(data: dict) -> Employment:
        _check_unit_scope(request, data["unit"])
        return services.add_employment(actor=request.user, person=person, **data)

    done = submit(
        request,
        form,
        add,
        success=_("The employment was registered."),
        then=lambda e: person.get_absolute_url(),
    )
    title = _("New employment for %(name)s") % {"name": person.full_name}
    return done or _form_page(request, form, title, obj=person)


@login_required
def employment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employment = access.get_employment_for_user(request.user, pk, write=True)
    fields = (
        "unit",
        "title",
        "position_percent",
        "employment_type",
        "start_date",
        "end_date",
        "is_leader",
    )
    form = EmploymentForm(
        request.POST or None,
        units=access.visible_units(request.user),
        initial={f: getattr(employment, f) for f in fields},
    )

    def save(data: dict) -> Employment:
        _check_unit_scope(request, data["unit"])
        return services.update_employment(actor=request.user, employment=employment, **data)

    done = submit(
        request,
        form,
        save,
        success=_("The employment was saved."),
        then=lambda e: e.person.get_absolute_url(),
    )
    title = _("Employment for %(name)s") % {"name": employment.person.full_name}
    return done or _form_page(request, form, title, obj=employment.person)


def _check_unit_scope(request: HttpRequest, unit: Unit) -> None:
    """HR for part of the tree registers employments only there (shown on the unit field)."""
    if not access.may_employ_in(request.user, unit):
        raise ValidationError({"unit": _("You may not register employments in this unit.")})


# --- Safety areas --------------------------------------------------------------------------
@login_required
@require_GET
def safety_area_list(request: HttpRequest) -> HttpResponse:
    principal = access.require_member(request.user)
    areas = list(
        access.visible_safety_areas(request.user).prefetch_related("units").order_by("name")
    )
    reps = queries.representatives_by_area(principal.organisation_id)
    for area in areas:
        area.current_reps = reps.get(area.pk, [])
    context = {
        "areas": areas,
        "main_reps": reps.get(None, []),
        "can_manage": access.can_manage_hms(request.user),
    }
    return render(request, "org/safety_area_list.html", context)


@login_required
@require_GET
def safety_area_detail(request: HttpRequest, pk: int) -> HttpResponse:
    area = access.get_safety_area_for_user(request.user, pk)
    terms = area.representatives.select_related("person").order_by("-end_date", "role")
    context = {
        "area": area,
        "terms": terms,
        "units": area.units.order_by("path"),
        "today": today(),
        "can_manage": access.can_manage_hms(request.user),
    }
    return render(request, "org/safety_area_detail.html", context)


@login_required
def safety_area_create(request: HttpRequest) -> HttpResponse:
    access.require_hms_manager(request.user)
    form = SafetyAreaForm(request.POST or None, units=access.visible_units(request.user))
    done = submit(
        request,
        form,
        lambda data: services.create_safety_area(
            actor=request.user,
            organisation=_organisation(request),
            name=data["name"],
            units=list(data["units"]),
        ),
        success=_("The safety area was created."),
        then=lambda area: area.get_absolute_url(),
    )
    return done or _form_page(request, form, _("New safety area"), back="org:safety_area_list")


@login_required
def safety_area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    area = access.get_safety_area_for_user(request.user, pk, write=True)
    form = SafetyAreaForm(
        request.POST or None,
        units=access.visible_units(request.user),
        initial={"name": area.name, "units": list(area.units.all())},
    )
    done = submit(
        request,
        form,
        lambda data: services.update_safety_area(
            actor=request.user, area=area, name=data["name"], units=list(data["units"])
        ),
        success=_("The safety area was saved."),
        then=lambda a: a.get_absolute_url(),
    )
    return done or _form_page(request, form, _("Edit %(name)s") % {"name": area.name}, obj=area)


@login_required
def safety_rep_create(request: HttpRequest, pk: int) -> HttpResponse:
    area = access.get_safety_area_for_user(request.user, pk, write=True)
    form = SafetyRepresentativeForm(
        request.POST or None, people=access.visible_people(request.user)
    )
    done = submit(
        request,
        form,
        lambda data: services.appoint_safety_representative(actor=request.user, area=area, **data),
        success=_("The safety representative was registered."),
        then=lambda term: area.get_absolute_url(),
    )
    title = _("New safety representative for %(name)s") % {"name": area.name}
    return done or _form_page(request, form, title, obj=area)


# --- Committees ----------------------------------------------------------------------------
@login_required
@require_GET
def committee_list(request: HttpRequest) -> HttpResponse:
    access.require_member(request.user)
    committees = queries.committees_with_counts(access.visible_committees(request.user))
    context = {"committees": committees, "can_manage": access.can_manage_hms(request.user)}
    return render(request, "org/committee_list.html", context)


@login_required
@require_GET
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = access.get_committee_for_user(request.user, pk)
    year = today().year
    members = queries.committee_members(committee)
    context = {
        "committee": committee,
        "members": members,
        "employer": [m for m in members if m.side == "employer"],
        "employee": [m for m in members if m.side == "employee"],
        "bht": [m for m in members if m.side == "bht"],
        "constitution": queries.constitution(committee, year),
        "history": committee.years.select_related("chair__person").order_by("-year")[:6],
        "due_side": services.chair_side_due(committee, year),
        "year": year,
        "children": committee.children.order_by("name"),
        "can_manage": access.can_manage_hms(request.user),
        "can_constitute": access.can_constitute(request.user, committee),
    }
    return render(request, "org/committee_detail.html", context)


@login_required
def committee_create(request: HttpRequest) -> HttpResponse:
    access.require_hms_manager(request.user)
    form = CommitteeForm(
        request.POST or None,
        units=access.visible_units(request.user),
        committees=access.visible_committees(request.user),
    )

    def create(data: dict) -> Committee:
        return services.create_committee(
            actor=request.user,
            organisation=_organisation(request),
            kind=data["kind"],
            name=data["name"],
            unit=data["unit"],
            parent=data["parent"],
        )

    done = submit(
        request,
        form,
        create,
        success=_("The committee was created."),
        then=lambda c: c.get_absolute_url(),
    )
    return done or _form_page(request, form, _("New committee"), back="org:committee_list")


@login_required
def committee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = access.get_committee_for_user(request.user, pk, write=True)
    fields = ("name", "kind", "unit", "parent", "is_active")
    form = CommitteeForm(
        request.POST or None,
        units=access.visible_units(request.user),
        committees=access.visible_committees(request.user).exclude(pk=committee.pk),
        initial={f: getattr(committee, f) for f in fields},
    )
    done = submit(
        request,
        form,
        lambda data: services.update_committee(actor=request.user, committee=committee, **data),
        success=_("The committee was saved."),
        then=lambda c: c.get_absolute_url(),
    )
    return done or _form_page(
        request, form, _("Edit %(name)s") % {"name": committee.name}, obj=committee
    )


@login_required
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    committee = access.get_committee_for_user(request.user, pk, write=True)
    form = MemberForm(request.POST or None, people=access.visible_people(request.user))
    done = submit(
        request,
        form,
        lambda data: services.add_committee_member(actor=request.user, committee=committee, **data),
        success=_("The member was added."),
        then=lambda member: committee.get_absolute_url(),
    )
    title = _("New member of %(name)s") % {"name": committee.name}
    return done or _form_page(request, form, title, obj=committee)


@login_required
def constitute(request: HttpRequest, pk: int) -> HttpResponse:
    """Konstituering: chair and deputy for the year, with the alternation rule enforced."""
    committee: Committee = access.get_committee_to_constitute(request.user, pk)
    year = today().year
    form = ConstitutionForm(
        request.POST or None, members=committee.members.current(), initial={"year": year}
    )
    done = submit(
        request,
        form,
        lambda data: services.constitute_committee(actor=request.user, committee=committee, **data),
        success=lambda record: (
            _("The committee is constituted for %(year)s.") % {"year": record.year}
        ),
        then=lambda record: committee.get_absolute_url(),
    )
    if done:
        return done
    posted_year = request.POST.get("year", "")
    due = services.chair_side_due(committee, int(posted_year) if posted_year.isdigit() else year)
    context = {"form": form, "committee": committee, "due_side": due, "year": year}
    return render(request, "org/constitute.html", context)
