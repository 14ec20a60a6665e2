"""Pages for risk assessments (ROS): the risk picture, the assessments with their hazards and
bow-ties, measures, versions, the matrix, the templates and the exports.

Each view parses input, asks risk/access.py, calls a service or query, and renders.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from trygg.actions.queries import owner_choices
from trygg.audit.queries import cached_for_organisation
from trygg.lib.dates import today
from trygg.lib.forms import add_service_errors, submit
from trygg.lib.htmx import template_for
from trygg.org.models import Person
from trygg.org.queries import CachedCountPaginator, kept_html, query_digest
from trygg.risk import access, queries, services, svg
from trygg.risk.forms import (
    AssessmentForm,
    HazardForm,
    MatrixForm,
    MeasureForm,
    NewAssessmentForm,
    ParticipantForm,
    ReassessForm,
)
from trygg.risk.library import (
    FUA_23A_1_FACTORS,
    Template,
    shipped_file,
    shipped_templates,
    template_document,
)
from trygg.risk.models import Assessment

PAGE_SIZE = 50
OVERVIEW_DUE = 10
FILTERS = {
    "": None,
    "active": Q(status=Assessment.Status.COMPLETED),
    "draft": Q(status=Assessment.Status.DRAFT),
    "superseded": Q(status=Assessment.Status.SUPERSEDED),
}


def _assessment_table(
    request: HttpRequest, organisation_id: int, rows: QuerySet[Assessment], empty_text: str
) -> str:
    """A table of assessments, kept until the organisation's data changes (or the day turns: the
    "overdue" badges)."""
    return kept_html(
        organisation_id,
        "risk-table",
        rows,
        lambda: render_to_string(
            "risk/_assessment_table.html",
            {"rows": rows, "today": today(), "empty_text": empty_text},
            request=request,
        ),
        empty_text,
    )


def _form_page(
    request: HttpRequest, form: Any, title: str, back: str, **extra: Any
) -> HttpResponse:
    return render(request, "risk/form.html", {"form": form, "title": title, "back": back, **extra})


# --- The risk picture ----------------------------------------------------------------------
@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    principal = access.require_member(request.user)
    organisation_id = principal.organisation_id
    day = today()
    residual = request.GET.get("etter") == "1"
    visible = access.visible_assessments(request.user)
    # The picture and the counts are the same for everyone with the same scope (the key is the
    # SQL of what the user may see) until the organisation's data changes.
    scope = query_digest(visible)
    picture = cached_for_organisation(
        organisation_id,
        f"risk-map:{residual}:{scope}",
        lambda: queries.heat_map(
            organisation_id, access.reader_condition(principal), residual=residual
        ),
    )
    due = _assessment_table(
        request,
        organisation_id,
        queries.due_for_review(visible, day)[:OVERVIEW_DUE],
        _("No assessments are due for review."),
    )
    title = _("Risk after measures") if residual else _("Risk before measures")
    context = {
        "picture": picture,
        "residual": residual,
        "map": svg.heat_map(picture.matrix, picture.cells, element_id="org-map", title=title)
        if picture.matrix
        else "",
        "due": due,
        "counts": cached_for_organisation(
            organisation_id,
            f"risk-counts:{scope}",
            lambda: queries.assessment_counts(visible, day),
        ),
        "may_create": access.may_create(request.user),
        "may_manage_matrix": access.can_manage_matrix(request.user),
    }
    return render(request, template_for(request, "risk/overview.html", "map"), context)


@login_required
@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    principal = access.require_member(request.user)
    status = request.GET.get("status", "")
    if status not in FILTERS:
        status = ""
    text = request.GET.get("q", "").strip()[:100]
    assessments = access.visible_assessments(request.user).select_related("unit")
    if FILTERS[status] is not None:
        assessments = assessments.filter(FILTERS[status])
    if text:
        assessments = assessments.filter(Q(title__icontains=text) | Q(unit__name__icontains=text))
    page = CachedCountPaginator(
        assessments.order_by("-assessed_on", "-pk"),
        PAGE_SIZE,
        organisation_id=principal.organisation_id,
    ).get_page(request.GET.get("side"))
    context = {
        "page": page,
        "table": _assessment_table(
            request, principal.organisation_id, page.object_list, _("No risk assessments match.")
        ),
        "query": urlencode({k: v for k, v in (("status", status), ("q", text)) if v}),
        "status": status,
        "q": text,
        "may_create": access.may_create(request.user),
        "filters": [
            ("", _("All")),
            ("active", _("Current")),
            ("draft", _("Drafts")),
            ("superseded", _("Earlier versions")),
        ],
    }
    return render(request, template_for(request, "risk/assessment_list.html", "results"), context)


@login_required
@require_GET
def due_list(request: HttpRequest) -> HttpResponse:
    principal = access.require_member(request.user)
    day = today()
    page = CachedCountPaginator(
        queries.due_for_review(access.visible_assessments(request.user), day),
        PAGE_SIZE,
        organisation_id=principal.organisation_id,
    ).get_page(request.GET.get("side"))
    table = _assessment_table(
        request,
        principal.organisation_id,
        page.object_list,
        _("No assessments are due for review."),
    )
    return render(request, "risk/due_list.html", {"page": page, "table": table})


# --- One assessment ------------------------------------------------------------------------
def _template_choice(form: NewAssessmentForm) -> Template | None:
    uploaded = form.cleaned_data.get("template_file")
    if uploaded is not None:
        return uploaded
    chosen = form.cleaned_data.get("template")
    return shipped_templates().get(chosen) if chosen else None


@login_required
def assessment_create(request: HttpRequest) -> HttpResponse:
    access.require_creator(request.user)
    initial: dict[str, Any] = {}
    chosen = shipped_templates().get(request.GET.get("mal", ""))
    if chosen is not None:
        initial = {"template": chosen.id, "title": chosen.title, "scope": chosen.scope}
    form = NewAssessmentForm(
        request.POST or None,
        request.FILES or None,
        units=access.writable_units(request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        if not access.can_write_unit(request.user, unit):
            raise Http404
        try:
            assessment = services.create_assessment(
                actor=request.user,
                unit=unit,
                title=form.cleaned_data["title"],
                scope=form.cleaned_data["scope"],
                description=form.cleaned_data["description"],
                assessed_on=form.cleaned_data["assessed_on"],
                review_due=form.cleaned_data["review_due"],
                template=_template_choice(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The risk assessment was started."))
            return redirect(assessment.get_absolute_url())
    return _form_page(
        request, form, _("New risk assessment"), "risk:assessment_list", multipart=True
    )


def _detail_context(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    hazards = queries.hazards_of(assessment)
    measures = queries.measures_of(hazards)
    for number, hazard in enumerate(hazards, start=1):
        hazard.number = number  # type: ignore[attr-defined]
        hazard.band = assessment.matrix.band(hazard.score)  # type: ignore[attr-defined]
        hazard.residual_band = assessment.matrix.band(hazard.residual_score)  # type: ignore[attr-defined]
        hazard.measures = measures.get(hazard.pk, [])  # type: ignore[attr-defined]
    key = f"a{assessment.pk}"
    return {
        "assessment": assessment,
        "matrix": assessment.matrix,
        "hazards": hazards,
        "participants": list(assessment.participants.select_related("person")),
        "versions": queries.versions_of(assessment),
        "map_before": svg.heat_map(
            assessment.matrix,
            queries.assessment_cells(hazards, residual=False),
            element_id=f"{key}-before",
            title=_("Risk before measures"),
        ),
        "map_after": svg.heat_map(
            assessment.matrix,
            queries.assessment_cells(hazards, residual=True),
            element_id=f"{key}-after",
            title=_("Risk after measures"),
        ),
        "has_residual": any(h.residual_score is not None for h in hazards),
        "today": today(),
    }


@login_required
@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk)
    context = _detail_context(request, assessment)
    context["may_write"] = access.can_write(request.user, assessment)
    context["editable"] = context["may_write"] and assessment.is_draft
    return render(request, "risk/assessment_detail.html", context)


@login_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk, write=True)
    form = AssessmentForm(
        request.POST or None,
        units=access.writable_units(request.user),
        initial={
            "unit": assessment.unit,
            "title": assessment.title,
            "scope": assessment.scope,
            "description": assessment.description,
            "assessed_on": assessment.assessed_on,
            "review_due": assessment.review_due,
        },
    )
    done = submit(
        request,
        form,
        lambda data: services.update_assessment(actor=request.user, assessment=assessment, **data),
        success=_("The risk assessment was saved."),
        then=lambda a: a.get_absolute_url(),
    )
    return done or _form_page(request, form, _("Edit the risk assessment"), "", obj=assessment)


@login_required
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk, write=True)
    people = Person.objects.filter(organisation_id=assessment.organisation_id).order_by(
        "last_name", "first_name", "pk"
    )
    form = ParticipantForm(request.POST or None, people=people)
    done = submit(
        request,
        form,
        lambda data: services.add_participant(
            actor=request.user,
            assessment=assessment,
            role=data["role"],
            person=data["person"],
            name=data["name"],
        ),
        success=_("The participant was added."),
        then=lambda p: assessment.get_absolute_url(),
    )
    return done or _form_page(request, form, _("Add a participant"), "", obj=assessment)


@login_required
@require_POST
def participant_remove(request: HttpRequest, pk: int) -> HttpResponse:
    participant = access.get_participant_for_user(request.user, pk)
    assessment = participant.assessment
    try:
        services.remove_participant(actor=request.user, participant=participant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The participant was removed."))
    return redirect(assessment.get_absolute_url())


@login_required
@require_POST
def assessment_complete(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk, write=True)
    try:
        services.complete_assessment(actor=request.user, assessment=assessment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The risk assessment was completed."))
    return redirect(assessment.get_absolute_url())


@login_required
def assessment_reassess(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk, write=True)
    form = ReassessForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda data: services.reassess(actor=request.user, assessment=assessment, **data),
        success=_("A new version was started. The earlier version stays as it was."),
        then=lambda draft: draft.get_absolute_url(),
    )
    return done or _form_page(request, form, _("Re-assess"), "", obj=assessment)


# --- Hazards and measures ------------------------------------------------------------------
def _hazard_values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in services.HAZARD_FIELDS}


@login_required
def hazard_create(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk, write=True)
    form = HazardForm(request.POST or None, matrix=assessment.matrix)
    done = submit(
        request,
        form,
        lambda data: services.add_hazard(
            actor=request.user, assessment=assessment, **_hazard_values(data)
        ),
        success=_("The hazard was added."),
        then=lambda h: assessment.get_absolute_url(),
    )
    return done or _form_page(
        request, form, _("New hazard"), "", obj=assessment, matrix=assessment.matrix
    )


@login_required
def hazard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = access.get_hazard_for_user(request.user, pk, write=True)
    form = HazardForm(
        request.POST or None,
        matrix=hazard.assessment.matrix,
        initial={name: getattr(hazard, name) for name in services.HAZARD_FIELDS},
    )
    done = submit(
        request,
        form,
        lambda data: services.update_hazard(
            actor=request.user, hazard=hazard, **_hazard_values(data)
        ),
        success=_("The hazard was saved."),
        then=lambda h: h.assessment.get_absolute_url() + f"#fare-{h.pk}",
    )
    return done or _form_page(
        request,
        form,
        _("Score and describe the hazard"),
        "",
        obj=hazard,
        matrix=hazard.assessment.matrix,
    )


@login_required
@require_POST
def hazard_delete(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = access.get_hazard_for_user(request.user, pk, write=True)
    assessment = hazard.assessment
    try:
        services.delete_hazard(actor=request.user, hazard=hazard)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The hazard was removed."))
    return redirect(assessment.get_absolute_url())


@login_required
@require_GET
def hazard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = access.get_hazard_for_user(request.user, pk)
    assessment = hazard.assessment
    matrix = assessment.matrix
    measures = queries.measures_of([hazard]).get(hazard.pk, [])
    context = {
        "hazard": hazard,
        "assessment": assessment,
        "matrix": matrix,
        "band": matrix.band(hazard.score),
        "residual_band": matrix.band(hazard.residual_score),
        "items": measures,
        "today": today(),
        "may_write": access.can_write(request.user, assessment),
    }
    return render(request, "risk/hazard_detail.html", context)


@login_required
def measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = access.get_hazard_for_user(request.user, pk, write=True)
    form = MeasureForm(
        request.POST or None,
        people=owner_choices(hazard.organisation_id),
    )
    done = submit(
        request,
        form,
        lambda data: services.add_measure(actor=request.user, hazard=hazard, **data),
        success=_("The measure was added as an action item."),
        then=lambda item: hazard.get_absolute_url(),
    )
    return done or _form_page(request, form, _("New measure"), "", obj=hazard)


# --- Exports -------------------------------------------------------------------------------
def _filename(assessment: Assessment, extension: str) -> str:
    return f"risikovurdering-{slugify(assessment.title)[:60] or assessment.pk}-v{assessment.version}.{extension}"


@login_required
@require_GET
def assessment_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from trygg.lib.pdf import pdf_response  # WeasyPrint is heavy to import: only when needed

    assessment = access.get_assessment_for_user(request.user, pk)
    html = render_to_string(
        "risk/assessment_pdf.html", _detail_context(request, assessment), request=request
    )
    return pdf_response(request, html, filename=_filename(assessment, "pdf"))


@login_required
@require_GET
def assessment_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    from trygg.risk.exports import assessment_workbook

    assessment = access.get_assessment_for_user(request.user, pk)
    context = _detail_context(request, assessment)
    content = assessment_workbook(assessment, context["hazards"], context["participants"])
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(assessment, "xlsx")}"'
    return response


@login_required
@require_GET
def assessment_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment's hazards as a template in the open format, to share or reuse."""
    from trygg.risk.exports import template_from_assessment

    assessment = access.get_assessment_for_user(request.user, pk)
    document = template_document(
        template_from_assessment(assessment, queries.hazards_of(assessment))
    )
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(assessment, "json")}"'
    return response


# --- The matrix and the templates ----------------------------------------------------------
@login_required
@require_GET
def matrix_detail(request: HttpRequest) -> HttpResponse:
    principal = access.require_member(request.user)
    matrix = queries.current_matrix(principal.organisation_id)
    bands = []
    if matrix is not None:
        bands = [
            (matrix.band(1), 1, matrix.low_max),
            (matrix.band(matrix.low_max + 1), matrix.low_max + 1, matrix.medium_max),
            (matrix.band(matrix.max_score), matrix.medium_max + 1, matrix.max_score),
        ]
    return render(
        request,
        "risk/matrix.html",
        {
            "matrix": matrix,
            "bands": bands,
            "map": svg.heat_map(matrix, {}, element_id="matrix-map", title=_("The risk matrix"))
            if matrix
            else "",
            "may_manage": access.can_manage_matrix(request.user),
        },
    )


@login_required
def matrix_edit(request: HttpRequest) -> HttpResponse:
    access.require_matrix_manager(request.user)
    organisation = request.user.organisation
    current = queries.current_matrix(organisation.pk) or services.ensure_matrix(
        actor=request.user, organisation=organisation
    )
    form = MatrixForm(
        request.POST or None,
        initial={
            "probability_levels": MatrixForm.lines_for(current.probability_levels),
            "consequence_levels": MatrixForm.lines_for(current.consequence_levels),
            "low_max": current.low_max,
            "medium_max": current.medium_max,
            "acceptance_criteria": current.acceptance_criteria,
        },
    )
    done = submit(
        request,
        form,
        lambda data: services.set_matrix(actor=request.user, organisation=organisation, **data),
        success=_(
            "The risk matrix was saved. Assessments already made keep the matrix they were made on."
        ),
        then=lambda m: reverse("risk:matrix"),
    )
    return done or _form_page(
        request,
        form,
        _("Change the risk matrix"),
        "risk:matrix",
        note=_(
            "Assessments already made stay on their matrix version; the change applies to new assessments and re-assessments."
        ),
    )


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    access.require_member(request.user)
    return render(
        request,
        "risk/template_list.html",
        {
            "templates": list(shipped_templates().values()),
            "may_create": access.may_create(request.user),
        },
    )


@login_required
@require_GET
def template_detail(request: HttpRequest, slug: str) -> HttpResponse:
    access.require_member(request.user)
    template = shipped_templates().get(slug)
    if template is None:
        raise Http404
    covered = template.factors()
    return render(
        request,
        "risk/template_detail.html",
        {
            "template": template,
            "factors": [(label, code in covered) for code, label in FUA_23A_1_FACTORS.items()]
            if covered
            else [],
            "factor_labels": FUA_23A_1_FACTORS,
            "may_create": access.may_create(request.user),
        },
    )


@login_required
@require_GET
def template_file(request: HttpRequest, slug: str) -> HttpResponse:
    access.require_member(request.user)
    content = shipped_file(slug)
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{slug}.json"'
    return response
