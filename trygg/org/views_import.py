"""Import from the HR or payroll system: upload, check (preview), then commit.

The uploaded file is kept in the user's own folder of the default storage between the preview
and the commit, and the session remembers its hash; the commit checks the file again and writes
only if every row is still valid. Only HR or administrators for the whole organisation may import.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.org import access, importing
from trygg.org.forms_import import ImportForm
from trygg.org.importing import Kind, Outcome, PendingUpload, Status
from trygg.org.principal import Principal


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    principal = access.require_importer(request.user)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        pending = importing.store_upload(
            session=request.session,
            user_id=request.user.pk,
            organisation_id=principal.organisation_id,
            kind=form.cleaned_data["kind"],
            filename=upload.name or "",
            data=upload.read(),
        )
        return redirect("org:import_preview", token=pending.token)
    return render(request, "org/import_start.html", {"form": form, "kinds": _column_guide()})


@login_required
@require_GET
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    principal = access.require_importer(request.user)
    upload = _upload_or_404(request, principal, token)
    data = importing.read_upload(upload)
    if data is None:
        return _start_again(request, upload)
    outcome = importing.preview_import(
        organisation=request.user.organisation,  # type: ignore[union-attr]
        kind=upload.kind,
        data=data,
        filename=upload.filename,
    )
    return render(request, "org/import_preview.html", _preview_context(upload, outcome))


@login_required
@require_POST
def import_commit(request: HttpRequest, token: str) -> HttpResponse:
    principal = access.require_importer(request.user)
    upload = _upload_or_404(request, principal, token)
    data = importing.read_upload(upload)
    if data is None:
        return _start_again(request, upload)
    outcome = importing.commit_import(
        actor=request.user,
        organisation=request.user.organisation,  # type: ignore[union-attr]
        kind=upload.kind,
        data=data,
        filename=upload.filename,
    )
    if not outcome.ok:
        # The database changed since the preview; show what is wrong now, nothing was written.
        return render(request, "org/import_preview.html", _preview_context(upload, outcome))
    importing.discard_upload(session=request.session, upload=upload)
    if outcome.committed:
        messages.success(
            request, _("The import is done: %(summary)s") % {"summary": outcome.summary()}
        )
    else:
        messages.info(request, _("Nothing was changed: the file matches what Trygg already has."))
    return redirect("org:import_start")


@login_required
@require_POST
def import_cancel(request: HttpRequest, token: str) -> HttpResponse:
    principal = access.require_importer(request.user)
    upload = _upload_or_404(request, principal, token)
    importing.discard_upload(session=request.session, upload=upload)
    messages.info(request, _("The import was cancelled and the file deleted. Nothing was changed."))
    return redirect("org:import_start")


@login_required
@require_GET
def import_example(request: HttpRequest, kind: str) -> HttpResponse:
    access.require_importer(request.user)
    if kind not in Kind.values:
        raise Http404
    filename = {Kind.UNITS: "eksempel-enheter.csv", Kind.EMPLOYEES: "eksempel-ansatte.csv"}[
        Kind(kind)
    ]
    return HttpResponse(
        importing.example_file(kind),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _upload_or_404(request: HttpRequest, principal: Principal, token: str) -> PendingUpload:
    """Only the user who uploaded the file may see or commit it; anyone else gets 404."""
    upload = importing.find_upload(
        session=request.session,
        token=token,
        user_id=request.user.pk,
        organisation_id=principal.organisation_id or 0,
    )
    if upload is None:
        raise Http404
    return upload


def _start_again(request: HttpRequest, upload: PendingUpload) -> HttpResponse:
    importing.discard_upload(session=request.session, upload=upload)
    messages.error(
        request,
        _("The uploaded file is no longer available or has changed. Upload it again."),
    )
    return redirect("org:import_start")


def _preview_context(upload: PendingUpload, outcome: Outcome) -> dict[str, object]:
    titles = {
        Status.NEW: _("New"),
        Status.CHANGED: _("Changed"),
        Status.ENDED: _("Positions that end"),
    }
    sections = []
    for status, title in titles.items():
        total = outcome.count(status)
        if total:
            sections.append(
                {
                    "status": status.value,
                    "title": title,
                    "total": total,
                    "changes": outcome.first(status),
                    "shown": min(total, importing.PREVIEW_ROWS),
                }
            )
    return {
        "upload": upload,
        "kind_label": Kind(upload.kind).label,
        "is_units": upload.kind == Kind.UNITS,
        "outcome": outcome,
        "counts": outcome.counts,
        "sections": sections,
    }


def _column_guide() -> list[dict[str, object]]:
    guide = []
    for kind, columns in importing.COLUMNS.items():
        rows = [
            {
                "heading": column.heading,
                "aliases": [alias for alias in column.aliases if alias != column.heading],
                "required": column.required,
            }
            for column in columns
        ]
        guide.append({"kind": kind.value, "label": kind.label, "columns": rows})
    return guide
