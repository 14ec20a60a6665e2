"""Pages for safety rounds and internal audits: status, planning, the checklist on a phone,
findings, sign-off, the PDF report, checklists and settings.

Each view parses input, asks safety_rounds/access.py, calls a service or query, and renders.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.actions.queries import owner_choices
from trygg.audit.queries import cached_for_organisation
from trygg.lib.dates import today
from trygg.lib.forms import add_service_errors, submit
from trygg.org.models import Person, Unit
from trygg.safety_rounds import access, checklists, queries, services
from trygg.safety_rounds.forms import (
    AuditForm,
    FollowUpForm,
    ImportForm,
    ParticipantForm,
    PlanForm,
    SettingsForm,
)
from trygg.safety_rounds.models import Answer, Kind, SafetyRound

PAGE_SIZE = 50
MAX_BATCH = 500  # answers in one sync request


def _organisation(request: HttpRequest):  # type: ignore[no-untyped-def]
    return request.user.organisation


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("aar", ""))
    except ValueError:
        return today().year
    return year if 2000 <= year <= 2100 else today().year


def _same_number(stored: Decimal | None, sent: str) -> bool:
    sent = sent.strip().replace(",", ".").replace(" ", "")
    if stored is None or not sent:
        return stored is None and not sent
    try:
        return Decimal(sent) == stored
    except InvalidOperation:
        return False


# --- Status and lists ----------------------------------------------------------------------
@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    principal, paths = access.require_status_reader(request.user)
    year = _year(request)
    day = today()
    status_filter = request.GET.get("status", "")
    if status_filter not in {"", "overdue", *SafetyRound.Status.values}:
        status_filter = ""
    kind = request.GET.get("type", "")
    if kind not in {"", *Kind.values}:
        kind = ""
    # Drilling down: the status of one unit's subtree, grouped by the units right under it.
    unit = None
    depth = 1
    if request.GET.get("enhet", "").isdigit():
        unit = Unit.objects.filter(
            organisation_id=principal.organisation_id, pk=int(request.GET["enhet"])
        ).first()
    if unit is not None:
        if principal.covers(unit.path, paths):
            paths = (unit.path,)
        else:
            paths = tuple(p for p in paths if p.startswith(unit.path))
        depth = unit.depth + 1
    rounds = queries.filter_rounds(
        access.visible_rounds(request.user),
        queries.RoundFilter(year=year, kind=kind, status=status_filter, unit=unit),
        on=day,
    )
    page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("side"))
    total = areas = None
    if paths:
        # Kept until the organisation's next change (every write is audited), per scope.
        total, areas = cached_for_organisation(
            principal.organisation_id,
            f"safety-round-status:{year}:{depth}:{'|'.join(sorted(paths))}",
            lambda: queries.status_by_area(
                principal.organisation_id, year, day, paths=paths, depth=depth
            ),
        )
    query = urlencode(
        {
            k: v
            for k, v in {
                "aar": year,
                "status": status_filter,
                "type": kind,
                "enhet": unit.pk if unit else "",
            }.items()
            if v
        }
    )
    mine = list(queries.rounds_of_person(principal.person_id)[:20])
    years = sorted(
        {*queries.years_with_rounds(principal.organisation_id), day.year, year}, reverse=True
    )
    return render(
        request,
        "safety_rounds/index.html",
        {
            "year": year,
            "years": years,
            "total": total,
            "areas": areas,
            "page": page,
            "mine": mine,
            "today": day,
            "status_filter": status_filter,
            "kind": kind,
            "unit": unit,
            "query": query,
            "statuses": SafetyRound.Status.choices,
            "kinds": Kind.choices,
            "can_plan": access.can_plan(request.user),
        },
    )


# --- Planning ------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest) -> HttpResponse:
    principal = access.require_planner(request.user)
    organisation = _organisation(request)
    form = PlanForm(request.POST or None, organisation_id=principal.organisation_id)

    def action(data: dict) -> list[SafetyRound]:
        under: Unit = data["under"]
        units = list(
            Unit.objects.filter(
                organisation_id=principal.organisation_id,
                path__startswith=under.path,
                kind=data["level"],
                is_active=True,
            )
        )
        if not units:
            raise ValidationError({"under": _("There are no units of that level under it.")})
        return services.plan_rounds(
            actor=request.user,
            organisation=organisation,
            year=data["year"],
            template=data["template"],
            units=units,
            deadline=data["deadline"],
        )

    response = submit(
        request,
        form,
        action,
        success=lambda rounds: _("%(count)s safety rounds planned.") % {"count": len(rounds)},
        then=lambda rounds: reverse("safety_rounds:index") + f"?aar={form.cleaned_data['year']}",
    )
    if response:
        return response
    return render(
        request,
        "safety_rounds/form.html",
        {
            "form": form,
            "title": _("Plan safety rounds"),
            "intro": _(
                "Each unit gets a round with the checklist's current version. The leader "
                "(personnel responsibility) and the verneombud of the unit's safety area are "
                "added as participants. Units that already have a round that year are skipped."
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_create(request: HttpRequest) -> HttpResponse:
    principal = access.require_planner(request.user)
    organisation = _organisation(request)
    form = AuditForm(request.POST or None, organisation_id=principal.organisation_id)
    response = submit(
        request,
        form,
        lambda data: services.create_audit(
            actor=request.user,
            organisation=organisation,
            unit=data["unit"],
            template=data["template"],
            title=data["title"],
            scope=data["scope"],
            deadline=data["deadline"],
            lead_auditor=data["lead_auditor"],
            team=list(data["team"]),
        ),
        success=_("The internal audit is planned."),
        then=lambda audit: audit.get_absolute_url(),
    )
    if response:
        return response
    return render(
        request,
        "safety_rounds/form.html",
        {"form": form, "title": _("New internal audit")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_planner(request.user)
    round_ = access.get_round_for_user(request.user, pk)
    form = ParticipantForm(request.POST or None, organisation_id=round_.organisation_id)
    response = submit(
        request,
        form,
        lambda data: services.add_participant(
            actor=request.user, round_=round_, person=data["person"], role=data["role"]
        ),
        success=_("The participant is added."),
        then=lambda _p: round_.get_absolute_url(),
    )
    if response:
        return response
    return render(
        request,
        "safety_rounds/form.html",
        {"form": form, "title": _("Add participant"), "back_url": round_.get_absolute_url()},
    )


# --- One round -----------------------------------------------------------------------------
def _follow_up_forms(round_: SafetyRound, view: queries.RoundView, data=None) -> dict:  # type: ignore[no-untyped-def]
    owners = list(owner_choices(round_.organisation_id, round_.unit))
    forms = {}
    for question in queries.deviation_questions(view):
        finding = question.finding
        initial = {"follow_up": "deviation", "title": question.text[:200]}
        if finding is not None:
            initial = {
                "follow_up": finding.follow_up,
                "title": finding.title,
                "severity": finding.severity or "medium",
                "category": finding.category or "routine",
                "owner": str(finding.owner_id or ""),
                "deadline": finding.deadline,
            }
        forms[question.key] = FollowUpForm(
            data, owners=owners, prefix_key=question.key, initial=initial
        )
    return forms


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_for_user(request.user, pk)
    view = queries.round_view(round_)
    may_do = access.is_participant(request.user, round_)
    forms = _follow_up_forms(round_, view) if may_do and not round_.is_closed else {}
    return _render_detail(request, round_, view, forms)


def _render_detail(request, round_, view, forms, status: int = 200) -> HttpResponse:  # type: ignore[no-untyped-def]
    from trygg.actions.models import ActionItem

    items = ActionItem.objects.filter(
        pk__in=[f.action_item_id for f in view.findings if f.action_item_id]
    ).select_related("owner")
    deviation_questions = queries.deviation_questions(view)
    for question in deviation_questions:
        question.form = forms.get(question.key)
    return render(
        request,
        "safety_rounds/round_detail.html",
        {
            "round": round_,
            "view": view,
            "deviation_questions": deviation_questions,
            "may_do": access.is_participant(request.user, round_),
            "signer_id": access.signing_person_id(request.user, round_),
            "can_plan": access.can_plan(request.user),
            "items": items,
            "today": today(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    """The checklist to fill in on a phone. Without JavaScript it is one form; with it, each
    answer is kept on the device and sent to `sync` (static/safety_rounds/checklist.js)."""
    round_ = access.get_round_for_user(request.user, pk)
    may_do = access.is_participant(request.user, round_)
    if request.method == "POST":
        if not may_do:
            raise PermissionDenied
        questions = round_.template_version.questions()
        items = []
        current = queries.current_answers(round_)
        for key, question in questions.items():
            item = {
                "id": request.POST.get(f"id-{key}", ""),
                "question": key,
                "value": request.POST.get(f"v-{key}", ""),
                "number": request.POST.get(f"n-{key}", ""),
                "text": request.POST.get(f"t-{key}", ""),
                "comment": request.POST.get(f"c-{key}", ""),
            }
            old = current.get(key)
            same = (
                old is not None
                and old.value == item["value"]
                and old.comment == item["comment"].strip()
                and old.text == (item["text"].strip() if question["type"] == "text" else "")
                and _same_number(old.number, item["number"])
            )
            empty = not any(item[k] for k in ("value", "number", "text", "comment"))
            if same or (old is None and empty):
                continue
            items.append(item)
        results = services.record_answers(actor=request.user, round_=round_, items=items)
        late = [r for r in results if r.status == "late"]
        invalid = [r for r in results if r.status == "invalid"]
        if late:
            messages.error(request, late[0].message)
        elif invalid:
            messages.error(request, invalid[0].message)
        else:
            messages.success(request, _("The answers are saved."))
        return redirect(round_.get_absolute_url() if late else request.path)
    view = queries.round_view(round_)
    for section in view.sections:
        for question in section.questions:
            # A fresh id per question, so that the same form posted twice stores nothing twice.
            question.new_id = uuid.uuid4()  # type: ignore[attr-defined]
    return render(
        request,
        "safety_rounds/checklist.html",
        {
            "round": round_,
            "view": view,
            "may_do": may_do and not round_.is_closed,
            "values": Answer.Value.choices,
        },
    )


@login_required
@require_POST
def sync(request: HttpRequest, pk: int) -> JsonResponse:
    """Answers from a device's queue, as JSON: {"answers": [{"id", "question", "value",
    "number", "text", "comment", "answered_at"}]}. Answers {"results": [{"id", "status",
    "message"}]}; the device forgets an answer once it is "saved", "duplicate" or "late"."""
    round_ = access.get_round_for_user(request.user, pk, write=True)
    try:
        body = json.loads(request.body.decode("utf-8"))
        items = body["answers"]
        if not isinstance(items, list) or len(items) > MAX_BATCH:
            raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return JsonResponse(
            {"error": _("The request must be JSON with a list of at most 500 answers.")},
            status=400,
        )
    results = services.record_answers(
        actor=request.user, round_=round_, items=[i for i in items if isinstance(i, dict)]
    )
    return JsonResponse(
        {
            "closed": round_.is_closed or any(r.status == "late" for r in results),
            "results": [
                {"id": r.client_id, "status": r.status, "message": r.message} for r in results
            ],
        }
    )


@login_required
@require_POST
def photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_for_user(request.user, pk, write=True)
    wants_json = "application/json" in request.headers.get("Accept", "")
    upload = request.FILES.get("photo")
    key = request.POST.get("question", "")
    if upload is None:  # the page without JavaScript: one file field per question
        for name, candidate in request.FILES.items():
            if name.startswith("photo-"):
                upload, key = candidate, name.removeprefix("photo-")
                break
    client_id = request.POST.get("id") or str(uuid.uuid4())
    try:
        if upload is None:
            raise ValidationError(_("Choose a photo."))
        photo, status = services.add_photo(
            actor=request.user,
            round_=round_,
            question_key=key,
            client_id=client_id,
            upload=upload,
        )
    except ValidationError as error:
        if wants_json:
            return JsonResponse(
                {"id": client_id, "status": "invalid", "message": " ".join(error.messages)},
                status=422,
            )
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("safety_rounds:checklist", args=[round_.pk]) + f"#q-{key}")
    message = ""
    if status == "late":
        message = _("The round is closed; the photo is kept under “Sent after closing”.")
    if wants_json:
        return JsonResponse(
            {
                "id": client_id,
                "status": status,
                "message": message,
                "url": photo.get_absolute_url(),
            }
        )
    messages.success(request, message or _("The photo is saved."))
    return redirect(reverse("safety_rounds:checklist", args=[round_.pk]) + f"#q-{key}")


@login_required
@require_GET
def photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    found = access.get_photo_for_user(request.user, pk, photo_pk)
    try:
        handle = found.image.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def follow_up(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    round_ = access.get_round_for_user(request.user, pk, write=True)
    view = queries.round_view(round_)
    forms = _follow_up_forms(round_, view, request.POST)
    form = forms.get(key)
    if form is None:
        messages.error(request, _("Only a question answered “deviation” is a finding."))
        return redirect(round_.get_absolute_url())
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_follow_up(
                actor=request.user,
                round_=round_,
                question_key=key,
                follow_up=data["follow_up"],
                owner=data["owner"],
                deadline=data["deadline"],
                title=data["title"],
                severity=data["severity"],
                category=data["category"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up is saved."))
            return redirect(round_.get_absolute_url() + f"#finding-{key}")
    others = _follow_up_forms(round_, view)
    others[key] = form
    return _render_detail(request, round_, view, others, status=422)


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_for_user(request.user, pk, write=True)
    person_id = access.signing_person_id(request.user, round_)
    if person_id is None:
        raise PermissionDenied
    try:
        result = services.sign_round(
            actor=request.user, round_=round_, person=Person.objects.get(pk=person_id)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(round_.get_absolute_url())
    texts = {
        "signed": _("You have signed. The round closes when the other participant signs."),
        "already_signed": _("You had already signed; nothing changed."),
        "completed": _("The round is signed and closed. Its findings are followed up."),
        "already_completed": _("The round was already closed; nothing changed."),
    }
    messages.success(request, texts[result])
    return redirect(round_.get_absolute_url())


@login_required
@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's report as a PDF, with findings and embedded photos."""
    import base64

    from trygg.lib.pdf import pdf_response

    round_ = access.get_round_for_user(request.user, pk)
    view = queries.round_view(round_)
    for question in queries.deviation_questions(view):
        for found in question.photos:
            # Embedded, so the PDF never fetches a photo over the network.
            try:
                with found.image.open("rb") as handle:
                    found.data_uri = "data:image/jpeg;base64," + base64.b64encode(  # type: ignore[attr-defined]
                        handle.read()
                    ).decode("ascii")
            except FileNotFoundError:
                continue
    html = render_to_string(
        "safety_rounds/report_pdf.html",
        {
            "round": round_,
            "view": view,
            "deviation_questions": queries.deviation_questions(view),
            "today": today(),
        },
        request=request,
    )
    return pdf_response(request, html, filename=f"vernerunde-{round_.pk}.pdf")


# --- Checklists ----------------------------------------------------------------------------
@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    access.require_status_reader(request.user)
    templates = access.visible_templates(request.user).select_related("current_version")
    return render(
        request,
        "safety_rounds/template_list.html",
        {
            "templates": templates,
            "can_plan": access.can_plan(request.user),
            "import_form": ImportForm(),
        },
    )


@login_required
@require_GET
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = access.get_template_for_user(request.user, pk)
    versions = list(template.versions.order_by("-number").only("pk", "number", "created_at"))
    version = template.current_version
    wanted = request.GET.get("versjon")
    if wanted:
        version = template.versions.filter(number=wanted if wanted.isdigit() else 0).first()
        if version is None:
            raise Http404
    return render(
        request,
        "safety_rounds/template_detail.html",
        {
            "template": template,
            "version": version,
            "versions": versions,
            "can_plan": access.can_plan(request.user),
        },
    )


@login_required
@require_GET
def template_export(request: HttpRequest, pk: int) -> HttpResponse:
    template = access.get_template_for_user(request.user, pk)
    version = template.current_version
    wanted = request.GET.get("versjon", "")
    if wanted.isdigit():
        version = template.versions.filter(number=int(wanted)).first()
    if version is None:
        raise Http404
    response = HttpResponse(
        checklists.export_checklist(version.content, version=version.number),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{template.key}-v{version.number}.json"'
    )
    return response


@login_required
@require_POST
def template_import(request: HttpRequest) -> HttpResponse:
    principal = access.require_planner(request.user)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            content = checklists.read_checklist_file(form.cleaned_data["file"].read())
            template, added = services.save_checklist(
                actor=request.user, organisation=_organisation(request), content=content
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The checklist is imported as version %(number)s.")
                % {"number": template.current_version.number}
                if added
                else _("The checklist is the same as the current version; nothing changed."),
            )
            return redirect(template.get_absolute_url())
    templates = access.visible_templates(request.user).select_related("current_version")
    return render(
        request,
        "safety_rounds/template_list.html",
        {"templates": templates, "can_plan": True, "import_form": form, "org": principal},
        status=422,
    )


@login_required
@require_POST
def templates_install(request: HttpRequest) -> HttpResponse:
    access.require_planner(request.user)
    installed = services.install_built_in_checklists(
        actor=request.user, organisation=_organisation(request)
    )
    messages.success(request, _("%(count)s checklists added.") % {"count": len(installed)})
    return redirect("safety_rounds:template_list")


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest) -> HttpResponse:
    principal = access.require_planner(request.user)
    current = queries.settings_for(principal.organisation_id)
    form = SettingsForm(
        request.POST or None,
        initial={
            "deadline_day": current.deadline_day,
            "deadline_month": current.deadline_month,
            "remind_days_before": current.remind_days_before,
        },
    )
    response = submit(
        request,
        form,
        lambda data: services.update_settings(
            actor=request.user, organisation=_organisation(request), **data
        ),
        success=_("The settings are saved."),
        then=lambda _s: reverse("safety_rounds:index"),
    )
    if response:
        return response
    return render(
        request,
        "safety_rounds/form.html",
        {
            "form": form,
            "title": _("Settings for safety rounds"),
            "intro": _(
                "The yearly deadline for safety rounds (1 March in many municipalities) is a "
                "choice of the organisation, not a rule of law."
            ),
        },
    )
