"""Pages for deviations: reporting (logged in, through the public link and anonymously), the
receipt and follow page, handling, the injury register, statistics, posters and settings.

Each view parses input, asks deviations/access.py, calls a service or query, and renders.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.accounts.models import Organisation, User
from trygg.audit.queries import cached_for_organisation
from trygg.audit.services import record_read
from trygg.deviations import access, forms, queries, services
from trygg.deviations.models import Comment, Deviation, DeviationSettings, Injury
from trygg.deviations.ratelimit import too_many
from trygg.lib.dates import today
from trygg.lib.forms import add_service_errors, submit
from trygg.org.access import visible_units
from trygg.org.models import Employment, Person, Unit

RECEIPTS_KEY = "deviation_receipts"  # session: idempotency token → receipt code
FOLLOW_KEY = "deviation_follow"  # session: the receipt code being followed


def _unit_from_query(request: HttpRequest, units) -> Unit | None:  # type: ignore[no-untyped-def]
    try:
        pk = int(request.GET.get("enhet", ""))
    except ValueError:
        return None
    return units.filter(pk=pk, is_active=True).first()


def _prefill(request: HttpRequest, units) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    initial: dict[str, Any] = {}
    unit = _unit_from_query(request, units)
    if unit is not None:
        initial["unit"] = unit.pk
    place = request.GET.get("sted", "").strip()[:200]
    if place:
        initial["location"] = place
    return initial


def _save_report(
    form: forms.ReportForm, *, organisation: Organisation, reporter: User | None, **extra: Any
) -> tuple[Deviation, str]:
    """Report and attach the files in one transaction; returns the case and the receipt code
    (empty for a logged-in, named report, and for a repeated submit of the same form)."""
    args = form.report_arguments()
    token = args["idempotency_key"]
    earlier = (
        Deviation.objects.filter(organisation=organisation, idempotency_key=token).first()
        if token
        else None
    )
    if earlier is not None:
        return earlier, ""
    code = services.new_receipt_code() if (args["anonymous"] or reporter is None) else ""
    try:
        with transaction.atomic():
            deviation = services.report_deviation(
                organisation=organisation, reporter=reporter, receipt_code=code, **args, **extra
            )
            for clean in form.cleaned_data.get("clean_files", []):
                services.add_attachment(
                    actor=reporter,
                    deviation=deviation,
                    name=clean.name,
                    content=clean.content,
                    content_type=clean.content_type,
                )
    except IntegrityError:  # the same form submitted twice at once
        return Deviation.objects.get(organisation=organisation, idempotency_key=token), ""
    return deviation, code


def _remember_receipt(request: HttpRequest, token: str, deviation: Deviation, code: str) -> None:
    receipts = request.session.get(RECEIPTS_KEY, {})
    if code:
        receipts[token or str(deviation.pk)] = {"code": code, "pk": deviation.pk}
        request.session[RECEIPTS_KEY] = dict(list(receipts.items())[-5:])


def _receipt_from_session(request: HttpRequest, token: str) -> dict[str, Any] | None:
    return request.session.get(RECEIPTS_KEY, {}).get(token)


# --- Reporting, logged in ------------------------------------------------------------------
@login_required
def index(request: HttpRequest) -> HttpResponse:
    principal = access.require_reporter_access(request.user)
    return render(
        request,
        "deviations/index.html",
        {
            "mine": queries.mine(request.user.pk, principal.organisation_id),
            "can_handle": access.can_see_handling(request.user),
            "can_read_register": access.can_read_register(request.user),
            "can_manage": access.can_manage(request.user),
            "open_count": access.handled_deviations(request.user).open().count()
            if access.can_see_handling(request.user)
            else 0,
        },
    )


@login_required
def report(request: HttpRequest) -> HttpResponse:
    access.require_reporter_access(request.user)
    units = visible_units(request.user)
    form = forms.ReportForm(
        request.POST or None, request.FILES or None, units=units, initial=_prefill(request, units)
    )
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data.get("token", "")
        try:
            deviation, code = _save_report(
                form, organisation=request.user.organisation, reporter=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _remember_receipt(request, token, deviation, code)
            if deviation.is_anonymous:
                return redirect(reverse("deviations:public_receipt") + f"?t={token}")
            return redirect("deviations:receipt", pk=deviation.pk)
    return render(request, "deviations/report.html", {"form": form, "public": False})


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    deviation = access.get_deviation_for_user(request.user, pk)
    if not access.is_reporter(request.user, deviation):
        return redirect(deviation)
    return render(request, "deviations/receipt.html", {"deviation": deviation})


# --- Reporting without an account ------------------------------------------------------------
def _public_settings(key: str) -> DeviationSettings:
    row = (
        DeviationSettings.objects.filter(public_key=key, public_reporting=True)
        .select_related("organisation")
        .first()
    )
    if row is None:
        raise Http404
    return row


def public_report(request: HttpRequest, key: str) -> HttpResponse:
    config = _public_settings(key)
    organisation = config.organisation
    user = request.user
    if getattr(user, "is_authenticated", False) and user.organisation_id == organisation.pk:
        query = request.GET.urlencode()
        return redirect(reverse("deviations:report") + (f"?{query}" if query else ""))
    units = Unit.objects.filter(organisation=organisation)
    form = forms.PublicReportForm(
        request.POST or None, request.FILES or None, units=units, initial=_prefill(request, units)
    )
    if request.method == "POST":
        token = request.POST.get("token", "")
        earlier = _receipt_from_session(request, token) if token else None
        if earlier:  # a double submit: show the first receipt
            return redirect(reverse("deviations:public_receipt") + f"?t={token}")
        if request.POST.get("website"):
            # A robot filled the honeypot: look like success, store nothing.
            return render(request, "deviations/public_thanks.html", {"organisation": organisation})
        if too_many(request, scope=f"report:{organisation.pk}"):
            form.add_error(None, _("Too many reports from this network. Try again in a while."))
        elif form.is_valid():
            try:
                deviation, code = _save_report(
                    form,
                    organisation=organisation,
                    reporter=None,
                    reporter_name=form.cleaned_data.get("reporter_name", ""),
                    reporter_email=form.cleaned_data.get("reporter_email", ""),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                _remember_receipt(request, token, deviation, code)
                return redirect(reverse("deviations:public_receipt") + f"?t={token}")
    return render(
        request,
        "deviations/report.html",
        {"form": form, "public": True, "organisation": organisation},
    )


def public_receipt(request: HttpRequest) -> HttpResponse:
    """The receipt after a report without an account or an anonymous one: the code is shown
    from the reporter's own session, never stored in clear text."""
    found = _receipt_from_session(request, request.GET.get("t", ""))
    if not found:
        return redirect("deviations:follow")
    deviation = Deviation.objects.filter(pk=found["pk"]).select_related("unit").first()
    if deviation is None:
        raise Http404
    return render(
        request,
        "deviations/public_receipt.html",
        {"deviation": deviation, "code": found["code"]},
    )


def follow(request: HttpRequest) -> HttpResponse:
    """Enter a receipt code to follow a case and answer questions, without an account."""
    form = forms.ReceiptForm(request.POST or None)
    if request.method == "POST":
        if too_many(request, scope="receipt", limit=20):
            form.add_error(None, _("Too many attempts. Try again in a while."))
        elif form.is_valid():
            deviation = queries.for_receipt(form.cleaned_data["code"])
            if deviation is None:
                form.add_error("code", _("No case has this receipt code."))
            else:
                request.session[FOLLOW_KEY] = form.cleaned_data["code"]
                request.session.cycle_key()
                return redirect("deviations:follow_case")
    return render(request, "deviations/follow.html", {"form": form})


def follow_case(request: HttpRequest) -> HttpResponse:
    code = request.session.get(FOLLOW_KEY, "")
    deviation = queries.for_receipt(code) if code else None
    if deviation is None:
        return redirect("deviations:follow")
    form = forms.AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_as_reporter(deviation=deviation, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your answer has been sent."))
            return redirect("deviations:follow_case")
    comments = [
        c
        for c in deviation.comments.all()
        if c.kind in (Comment.Kind.QUESTION, Comment.Kind.ANSWER)
    ]
    return render(
        request,
        "deviations/follow_case.html",
        {"deviation": deviation, "comments": comments, "form": form},
    )


@require_POST
def follow_stop(request: HttpRequest) -> HttpResponse:
    request.session.pop(FOLLOW_KEY, None)
    return redirect("deviations:follow")


# --- Handling --------------------------------------------------------------------------------
@login_required
def handling_list(request: HttpRequest) -> HttpResponse:
    principal = access.require_reporter_access(request.user)
    if not access.can_see_handling(request.user):
        raise Http404
    units = visible_units(request.user)
    form = forms.FilterForm(request.GET or None, units=units)
    flt = queries.ListFilter()
    if form.is_valid():
        flt = queries.ListFilter(
            unit=form.cleaned_data.get("unit"),
            status=form.cleaned_data.get("status") or "",
            category=form.cleaned_data.get("category") or "",
        )
    try:
        before = int(request.GET.get("for", "")) or None
    except ValueError:
        before = None
    qs = access.handled_deviations(request.user)
    org_id = principal.organisation_id

    def compute() -> tuple[str, int | None]:
        page = queries.list_page(qs, flt, before=before, organisation_id=org_id)
        html = render_to_string(
            "deviations/_list_table.html", {"page": page, "today": today()}, request=request
        )
        return html, page.next_before

    # A page of the table is the same for everyone whose scope gives the same SQL, until the
    # organisation's data changes (decision 0004), like the people table.
    sql, sql_params = flt.apply(qs, today()).values("id").query.sql_with_params()
    key = hashlib.sha256(repr((sql, sql_params, before, get_language())).encode()).hexdigest()
    table, next_before = cached_for_organisation(org_id, f"deviation-list:{key[:32]}", compute)
    params = {k: v for k, v in request.GET.items() if k in ("unit", "status", "category") and v}
    next_url = f"?{urlencode({**params, 'for': next_before})}" if next_before else ""
    return render(
        request,
        "deviations/list.html",
        {
            "form": form,
            "table": mark_safe(table),
            "next_url": next_url,
            "first_url": f"?{urlencode(params)}" if before else "",
        },
    )


def _people_for(deviation: Deviation):  # type: ignore[no-untyped-def]
    """Who can own a measure or be the injured person: people employed now in the case's
    enhet (its unit, or the unit at level 2 above it) and the case's handler. A large
    organisation has tens of thousands of people; a list of all of them is no choice."""
    from trygg.actions.queries import owner_choices

    paths = deviation.unit.ancestor_paths()
    scope_path = paths[min(2, len(paths) - 1)]
    scope = Unit.objects.filter(organisation_id=deviation.organisation_id, path=scope_path).first()
    nearby = owner_choices(deviation.organisation_id, scope or deviation.unit)
    condition = Q(pk__in=nearby.values("pk"))
    if deviation.handler_id:
        condition |= Q(user_id=deviation.handler_id)
    return (
        Person.objects.filter(organisation_id=deviation.organisation_id)
        .filter(condition)
        .order_by("last_name", "first_name", "pk")
    )


def _handlers_for(deviation: Deviation):  # type: ignore[no-untyped-def]
    """Who a case can be passed to: people with a login who lead a unit of the case or above,
    and the organisation's HMS coordinators."""
    from trygg.org.models import RoleGrant

    leaders = Employment.objects.current().filter(
        organisation_id=deviation.organisation_id,
        is_leader=True,
        unit__path__in=deviation.unit.ancestor_paths(),
    )
    coordinators = RoleGrant.objects.filter(
        organisation_id=deviation.organisation_id, role=RoleGrant.Role.HMS_COORDINATOR
    )
    return (
        User.objects.filter(organisation_id=deviation.organisation_id, is_active=True)
        .filter(Q(person__in=leaders.values("person")) | Q(pk__in=coordinators.values("user")))
        .order_by("last_name", "first_name", "pk")
        .distinct()
    )


def _detail_context(request: HttpRequest, deviation: Deviation) -> dict[str, Any]:
    from trygg.actions.queries import items_for_source

    user = request.user
    can_handle = access.can_handle(user, deviation)
    can_comment = access.can_comment(user, deviation)
    reporter = access.is_reporter(user, deviation)
    injury = None
    if deviation.is_injury and access.can_read_injury(user, deviation):
        injury = Injury.objects.filter(deviation=deviation).first()
        if injury is not None and (injury.consent_given or injury.medical_details):
            record_read(actor=user, instance=injury, purpose="deviation page")
    comments = list(deviation.comments.select_related("author"))
    if not (can_comment or can_handle):
        comments = [c for c in comments if c.kind != Comment.Kind.NOTE]
    context: dict[str, Any] = {
        "deviation": deviation,
        "can_handle": can_handle,
        "can_comment": can_comment,
        "is_reporter": reporter,
        "injury": injury,
        "comments": comments,
        "attachments": list(deviation.attachments.all()),
        "items": list(items_for_source(deviation)),
        "history": queries.history(deviation) if (can_handle or can_comment) else [],
        "today": today(),
        "overdue": deviation.is_overdue(today()),
        "show_reporter": not deviation.is_anonymous and (can_handle or can_comment or reporter),
    }
    if can_handle and not deviation.is_closed:
        context.update(
            root_form=forms.RootCauseForm(initial={"root_cause": deviation.root_cause}),
            measure_form=forms.MeasureForm(people=_people_for(deviation)),
            close_form=forms.CloseForm(),
            reassign_form=forms.ReassignForm(
                users=_handlers_for(deviation), initial={"handler": deviation.handler_id}
            ),
            classify_form=forms.ClassifyForm(
                units=visible_units(user),
                initial={
                    "category": deviation.category,
                    "severity": deviation.severity,
                    "unit": deviation.unit_id,
                },
            ),
        )
        if deviation.is_violence:
            context["violence_form"] = forms.ViolenceForm(
                initial=forms.ViolenceForm.initial_from(deviation)
            )
    if can_comment:
        context["comment_form"] = forms.CommentForm()
    if reporter and not deviation.is_closed:
        context["answer_form"] = forms.AnswerForm()
    return context


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    deviation = access.get_deviation_for_user(request.user, pk)
    return render(request, "deviations/detail.html", _detail_context(request, deviation))


def _case_action(
    request: HttpRequest,
    pk: int,
    form_class: type,
    action: Any,
    success: str,
    *,
    form_kwargs: Any = None,
    context_key: str,
    write: bool = True,
) -> HttpResponse:
    """The write half of the forms on a case's page: on an error the page is shown again
    with the form and its messages."""
    deviation = (
        access.get_deviation_for_user(request.user, pk, write=True)
        if write
        else access.get_deviation_to_comment(request.user, pk)
    )
    if request.method != "POST":
        return redirect(deviation)
    kwargs = form_kwargs(deviation) if form_kwargs else {}
    form = form_class(request.POST, **kwargs)
    response = submit(
        request,
        form,
        lambda data: action(deviation, data, form),
        success=success,
        then=lambda _result: deviation.get_absolute_url(),
    )
    if response is not None:
        return response
    context = _detail_context(request, deviation)
    context[context_key] = form
    return render(request, "deviations/detail.html", context, status=400)


@login_required
def root_cause(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        forms.RootCauseForm,
        lambda d, data, _f: services.record_root_cause(
            actor=request.user, deviation=d, root_cause=data["root_cause"]
        ),
        _("The root cause has been saved."),
        context_key="root_form",
    )


@login_required
def add_measure(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        forms.MeasureForm,
        lambda d, data, _f: services.add_measure(
            actor=request.user,
            deviation=d,
            title=data["title"],
            owner=data["owner"],
            deadline=data["deadline"],
            description=data["description"],
        ),
        _("The measure has been added."),
        form_kwargs=lambda d: {"people": _people_for(d)},
        context_key="measure_form",
    )


@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        forms.CloseForm,
        lambda d, data, _f: services.close_deviation(
            actor=request.user,
            deviation=d,
            evaluation=data["evaluation"],
            measures_effective=data["measures_effective"],
        ),
        _("The case has been closed."),
        context_key="close_form",
    )


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    deviation = access.get_deviation_for_user(request.user, pk, write=True)
    try:
        services.reopen_deviation(actor=request.user, deviation=deviation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The case has been reopened."))
    return redirect(deviation)


@login_required
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        forms.ReassignForm,
        lambda d, data, _f: services.reassign_deviation(
            actor=request.user, deviation=d, handler=data["handler"]
        ),
        _("The case has a new handler."),
        form_kwargs=lambda d: {"users": _handlers_for(d)},
        context_key="reassign_form",
    )


@login_required
def classify(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        forms.ClassifyForm,
        lambda d, data, _f: services.change_classification(
            actor=request.user,
            deviation=d,
            category=data["category"],
            severity=data["severity"],
            unit=data["unit"],
        ),
        _("The classification has been changed."),
        form_kwargs=lambda d: {"units": visible_units(request.user)},
        context_key="classify_form",
    )


@login_required
def violence(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        forms.ViolenceForm,
        lambda d, _data, f: services.record_violence_details(
            actor=request.user, deviation=d, **f.values()
        ),
        _("The details have been saved."),
        context_key="violence_form",
    )


@login_required
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        forms.CommentForm,
        lambda d, data, _f: services.add_comment(
            actor=request.user,
            deviation=d,
            body=data["body"],
            kind=Comment.Kind.QUESTION if data["question"] else Comment.Kind.NOTE,
        ),
        _("The comment has been added."),
        context_key="comment_form",
        write=False,
    )


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    deviation = access.get_deviation_for_user(request.user, pk)
    if not access.is_reporter(request.user, deviation):
        raise PermissionDenied
    if request.method != "POST":
        return redirect(deviation)
    form = forms.AnswerForm(request.POST)
    response = submit(
        request,
        form,
        lambda data: services.answer_as_reporter(
            deviation=deviation, body=data["body"], actor=request.user
        ),
        success=_("Your answer has been sent."),
        then=lambda _r: deviation.get_absolute_url(),
    )
    if response is not None:
        return response
    context = _detail_context(request, deviation)
    context["answer_form"] = form
    return render(request, "deviations/detail.html", context, status=400)


def _serve(attachment) -> FileResponse:  # type: ignore[no-untyped-def]
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,
        filename=attachment.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    deviation = access.get_deviation_for_user(request.user, pk)
    found = deviation.attachments.filter(pk=attachment_pk).first()
    if found is None:
        raise Http404
    return _serve(found)


def follow_attachment(request: HttpRequest, attachment_pk: int) -> FileResponse:
    code = request.session.get(FOLLOW_KEY, "")
    deviation = queries.for_receipt(code) if code else None
    if deviation is None:
        raise Http404
    found = deviation.attachments.filter(pk=attachment_pk).first()
    if found is None:
        raise Http404
    return _serve(found)


# --- Injury register ---------------------------------------------------------------------------
@login_required
def injury_register(request: HttpRequest) -> HttpResponse:
    access.require_register_reader(request.user)
    try:
        year = int(request.GET.get("ar", today().year))
    except ValueError:
        year = today().year
    rows = list(queries.injury_rows(access.visible_injuries(request.user), year)[:500])
    return render(
        request,
        "deviations/injury_register.html",
        {"rows": rows, "year": year, "years": range(today().year, today().year - 6, -1)},
    )


def _injury_context(request: HttpRequest, injury: Injury, **forms_: Any) -> dict[str, Any]:
    deviation = injury.deviation
    can_edit = access.can_handle(request.user, deviation)
    if injury.consent_given or injury.medical_details:
        record_read(actor=request.user, instance=injury, purpose="injury register")
    context: dict[str, Any] = {
        "injury": injury,
        "deviation": deviation,
        "can_edit": can_edit,
        "notifications": [
            (
                "labour_inspection",
                _("Arbeidstilsynet notified"),
                injury.labour_inspection_notified_at,
                injury.labour_inspection_notified_by,
            ),
            ("police", _("Police notified"), injury.police_notified_at, injury.police_notified_by),
            ("nav", _("NAV injury report sent"), injury.nav_reported_at, injury.nav_reported_by),
        ],
    }
    if can_edit:
        people = _people_for(deviation)
        context["form"] = forms_.get("form") or forms.InjuryForm(
            people=people,
            initial={
                name: getattr(injury, name) for name in services.INJURY_FIELDS if name != "person"
            }
            | {"person": injury.person_id},
        )
        context["consent_form"] = forms_.get("consent_form") or forms.ConsentForm(
            initial={"consent": injury.consent_given, "medical_details": injury.medical_details}
        )
        context["notified_form"] = forms_.get("notified_form") or forms.NotifiedForm(
            initial={"at": timezone.localtime().strftime("%H:%M")}
        )
    return context


@login_required
def injury_detail(request: HttpRequest, pk: int) -> HttpResponse:
    injury = access.get_injury_for_user(request.user, pk)
    if request.method == "POST":
        injury = access.get_injury_for_user(request.user, pk, write=True)
        form = forms.InjuryForm(request.POST, people=_people_for(injury.deviation))
        response = submit(
            request,
            form,
            lambda data: services.update_injury(actor=request.user, injury=injury, **data),
            success=_("The register entry has been saved."),
            then=lambda _r: reverse("deviations:injury", args=[injury.pk]),
        )
        if response is not None:
            return response
        return render(
            request,
            "deviations/injury_detail.html",
            _injury_context(request, injury, form=form),
            status=400,
        )
    return render(request, "deviations/injury_detail.html", _injury_context(request, injury))


@login_required
def injury_consent(request: HttpRequest, pk: int) -> HttpResponse:
    injury = access.get_injury_for_user(request.user, pk, write=True)
    if request.method != "POST":
        return redirect("deviations:injury", pk=pk)
    form = forms.ConsentForm(request.POST)
    response = submit(
        request,
        form,
        lambda data: services.record_medical_consent(
            actor=request.user,
            injury=injury,
            consent=data["consent"],
            medical_details=data["medical_details"],
        ),
        success=_("The consent has been recorded."),
        then=lambda _r: reverse("deviations:injury", args=[injury.pk]),
    )
    if response is not None:
        return response
    return render(
        request,
        "deviations/injury_detail.html",
        _injury_context(request, injury, consent_form=form),
        status=400,
    )


@login_required
def injury_notified(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    injury = access.get_injury_for_user(request.user, pk, write=True)
    if kind not in services.NOTIFICATION_KINDS:
        raise Http404
    if request.method != "POST":
        return redirect("deviations:injury", pk=pk)
    form = forms.NotifiedForm(request.POST)
    response = submit(
        request,
        form,
        lambda _data: services.record_notification(
            actor=request.user, injury=injury, kind=kind, at=form.moment()
        ),
        success=_("Recorded."),
        then=lambda _r: reverse("deviations:injury", args=[injury.pk]),
    )
    if response is not None:
        return response
    return render(
        request,
        "deviations/injury_detail.html",
        _injury_context(request, injury, notified_form=form),
        status=400,
    )


# --- Posters and QR codes ----------------------------------------------------------------------
def _public_url(
    request: HttpRequest, config: DeviationSettings, unit: Unit | None, place: str
) -> str:
    params: dict[str, Any] = {}
    if unit is not None:
        params["enhet"] = unit.pk
    if place:
        params["sted"] = place
    path = reverse("deviations:public_report", args=[config.public_key])
    return request.build_absolute_uri(path + (f"?{urlencode(params)}" if params else ""))


@login_required
def poster(request: HttpRequest) -> HttpResponse:
    """A printable poster with a QR code that opens the form for the unit (and place)."""
    import segno

    access.require_reporter_access(request.user)
    units = visible_units(request.user).filter(is_active=True)
    unit = _unit_from_query(request, units)
    if unit is None:
        if request.GET.get("enhet"):
            raise Http404
        select = forms.unit_select("enhet", units, "", blank="---------", element_id="unit")
        return render(request, "deviations/poster_choose.html", {"unit_select": select})
    config = services.settings_for(unit.organisation_id)
    place = request.GET.get("sted", "").strip()[:200]
    url = _public_url(request, config, unit, place)
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=8, dark="#000", light="#fff", omitsize=False, title=_("QR code"))
    return render(
        request,
        "deviations/poster.html",
        {
            "unit": unit,
            "place": place,
            "url": url,
            "qr_svg": svg,
            "public": config.public_reporting,
        },
    )


# --- Settings and hours worked -----------------------------------------------------------------
@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    access.require_manager(request.user)
    organisation = request.user.organisation
    config = services.settings_for(organisation.pk)
    form = forms.SettingsForm(
        request.POST or None,
        initial={
            "deadline_critical_days": config.deadline_critical_days,
            "deadline_high_days": config.deadline_high_days,
            "deadline_medium_days": config.deadline_medium_days,
            "deadline_low_days": config.deadline_low_days,
            "public_reporting": config.public_reporting,
        },
    )
    hours_form = forms.WorkHoursForm(
        units=visible_units(request.user), initial={"year": today().year - 1}
    )
    response = submit(
        request,
        form,
        lambda data: services.update_settings(
            actor=request.user, organisation=organisation, **data
        ),
        success=_("The settings have been saved."),
        then=lambda _r: reverse("deviations:settings"),
    )
    if response is not None:
        return response
    from trygg.deviations.models import WorkHours

    return render(
        request,
        "deviations/settings.html",
        {
            "form": form,
            "hours_form": hours_form,
            "config": config,
            "public_url": _public_url(request, config, None, ""),
            "hours": WorkHours.objects.filter(organisation=organisation)
            .select_related("unit")
            .order_by("-year", "unit__path")[:200],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def renew_link(request: HttpRequest) -> HttpResponse:
    access.require_manager(request.user)
    services.renew_public_key(actor=request.user, organisation=request.user.organisation)
    messages.success(request, _("The public link has been renewed. Print new posters."))
    return redirect("deviations:settings")


@login_required
@require_POST
def work_hours(request: HttpRequest) -> HttpResponse:
    access.require_manager(request.user)
    organisation = request.user.organisation
    form = forms.WorkHoursForm(request.POST, units=visible_units(request.user))
    response = submit(
        request,
        form,
        lambda data: services.record_work_hours(
            actor=request.user, organisation=organisation, **data
        ),
        success=_("The hours worked have been saved."),
        then=lambda _r: reverse("deviations:settings"),
    )
    if response is not None:
        return response
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return HttpResponseRedirect(reverse("deviations:settings"))


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        return today().year
    return year if 2000 <= year <= today().year + 1 else today().year


def _stat_scope(request: HttpRequest) -> tuple[int, tuple[str, ...], Unit | None]:
    principal, paths = access.require_statistics_reader(request.user)
    unit = _unit_from_query(request, visible_units(request.user))
    if unit is not None:
        if not principal.covers(unit.path, paths) and "" not in paths:
            raise Http404
        paths = (unit.path,)
    return principal.organisation_id, paths, unit


MONTHS = ["jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des"]


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    org_id, paths, unit = _stat_scope(request)
    year = _year(request)
    # The figures and their tables are kept until the organisation's data changes
    # (decision 0004): the same for everyone with the same scope.
    key = hashlib.sha256(f"{'|'.join(paths)}:{year}:{get_language()}".encode()).hexdigest()
    body = cached_for_organisation(
        org_id,
        f"deviation-stats:{key[:32]}",
        lambda: render_to_string(
            "deviations/_statistics_body.html", _statistics_context(org_id, paths, year)
        ),
    )
    return render(
        request,
        "deviations/statistics.html",
        {
            "body": mark_safe(body),
            "year": year,
            "unit": unit,
            "unit_select": forms.unit_select(
                "enhet",
                visible_units(request.user).filter(depth__lte=2),
                unit.pk if unit else "",
                blank=_("All I can see"),
                element_id="unit",
            ),
            "years": range(today().year, today().year - 6, -1),
            "query": urlencode({"ar": year, **({"enhet": unit.pk} if unit else {})}),
        },
    )


def _statistics_context(org_id: int, paths: tuple[str, ...], year: int) -> dict[str, Any]:
    from trygg.deviations.charts import bar_chart

    stats = queries.statistics(org_id, paths, year)
    months = list(range(1, 13))
    trend = bar_chart(
        title=_("Deviations per month, %(year)s and %(previous)s")
        % {"year": year, "previous": year - 1},
        description=_("Bars per month; the table below has the same numbers."),
        labels=MONTHS,
        series=[
            (str(year - 1), [stats.previous_by_month.get(m, 0) for m in months]),
            (str(year), [stats.by_month.get(m, 0) for m in months]),
        ],
    )
    categories = [
        (label, [stats.category_month.get(value, {}).get(m, 0) for m in months])
        for value, label in Deviation.Category.choices
    ]
    severities = [
        (label, [stats.severity_month.get(value, {}).get(m, 0) for m in months])
        for value, label in Deviation.Severity.choices
    ]
    tertial_chart = bar_chart(
        title=_("Deviations per tertial by severity, %(year)s") % {"year": year},
        description=_("Bars per tertial; the table below has the same numbers."),
        labels=["T1", "T2", "T3"],
        series=[
            (
                str(label),
                [stats.by_tertial(stats.severity_month.get(value, {}))[t] for t in (1, 2, 3)],
            )
            for value, label in Deviation.Severity.choices
        ],
    )
    return {
        "stats": stats,
        "months": MONTHS,
        "categories": [(label, row, sum(row), _tertials(row)) for label, row in categories],
        "severities": [(label, row, sum(row), _tertials(row)) for label, row in severities],
        "trend": trend,
        "tertial_chart": tertial_chart,
        "in_time": [
            (t, stats.closed_in_time.get(t, (0, 0)), stats.share_in_time(t)) for t in (1, 2, 3)
        ],
    }


def _tertials(row: list[int]) -> list[int]:
    return [sum(row[0:4]), sum(row[4:8]), sum(row[8:12])]


EXPORT_HEADER = [
    "Nummer",
    "Dato",
    "Enhet",
    "Kategori",
    "Alvorlighet",
    "Status",
    "Tittel",
    "Frist",
    "Lukket",
]


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every case in the year and scope, without who reported them."""
    org_id, paths, _unit = _stat_scope(request)
    year = _year(request)
    qs = queries.in_period(org_id, paths, dt.date(year, 1, 1), dt.date(year, 12, 31))
    rows = queries.export_rows(qs)
    name = f"avvik-{year}"
    if fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(EXPORT_HEADER)
        for row in rows:
            writer.writerow([_csv_safe(v) for v in row])
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        import io

        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Avvik")
        sheet.append(EXPORT_HEADER)
        for row in rows:
            sheet.append([_csv_safe(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _csv_safe(value: str) -> str:
    """Cells starting with = + - @ are formulas to a spreadsheet; neutralise them."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
