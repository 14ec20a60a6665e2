"""Import absence from the HR or payroll system: upload, check (preview), then commit.

The upload is kept in the user's own folder between the preview and the commit, exactly as the
employee import does (the pending-upload helpers of trygg.org.importing); the commit checks the
file again and writes only if every row is still valid. Only HR for the whole organisation.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.absence import access, importing
from trygg.org import importing as org_importing
from trygg.org.importing import FileProblem, PendingUpload, check_size

KIND = "absence"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
        help_text=gettext_lazy(
            "A CSV file (semicolons or commas) or an Excel workbook (.xlsx). Row 1 must hold the "
            "column headings."
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        try:
            check_size(upload.size or 0)
        except FileProblem as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    principal = access.require_importer(request.user)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        pending = org_importing.store_upload(
            session=request.session,
            user_id=request.user.pk,
            organisation_id=principal.organisation_id,
            kind=KIND,
            filename=upload.name or "",
            data=upload.read(),
        )
        return redirect("absence:import_preview", token=pending.token)
    columns = [
        {
            "heading": c.heading,
            "aliases": [a for a in c.aliases if a != c.heading],
            "required": c.required,
        }
        for c in importing.COLUMNS
    ]
    return render(request, "absence/import_start.html", {"form": form, "columns": columns})


def _upload(request: HttpRequest, token: str) -> PendingUpload:
    principal = access.require_importer(request.user)
    upload = org_importing.find_upload(
        session=request.session,
        token=token,
        user_id=request.user.pk,
        organisation_id=principal.organisation_id or 0,
    )
    if upload is None or upload.kind != KIND:
        raise Http404
    return upload


def _start_again(request: HttpRequest, upload: PendingUpload) -> HttpResponse:
    org_importing.discard_upload(session=request.session, upload=upload)
    messages.error(
        request, _("The uploaded file is no longer available or has changed. Upload it again.")
    )
    return redirect("absence:import_start")


def _context(upload: PendingUpload, outcome: importing.Outcome) -> dict[str, object]:
    return {
        "upload": upload,
        "outcome": outcome,
        "new": outcome.new[: importing.PREVIEW_ROWS],
        "changed": [row for row, _pk in outcome.changed[: importing.PREVIEW_ROWS]],
        "names": outcome.names,
    }


@login_required
@require_GET
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    upload = _upload(request, token)
    data = org_importing.read_upload(upload)
    if data is None:
        return _start_again(request, upload)
    outcome = importing.plan_import(
        organisation=request.user.organisation,  # type: ignore[union-attr]
        data=data,
        filename=upload.filename,
    )
    return render(request, "absence/import_preview.html", _context(upload, outcome))


@login_required
@require_POST
def import_commit(request: HttpRequest, token: str) -> HttpResponse:
    upload = _upload(request, token)
    data = org_importing.read_upload(upload)
    if data is None:
        return _start_again(request, upload)
    outcome = importing.commit_import(
        actor=request.user,
        organisation=request.user.organisation,  # type: ignore[union-attr]
        data=data,
        filename=upload.filename,
    )
    if not outcome.ok:
        return render(request, "absence/import_preview.html", _context(upload, outcome))
    org_importing.discard_upload(session=request.session, upload=upload)
    if outcome.committed:
        messages.success(
            request, _("The import is done: %(summary)s") % {"summary": outcome.summary()}
        )
    else:
        messages.info(request, _("Nothing was changed: the file matches what Trygg already has."))
    return redirect("absence:statistics")


@login_required
@require_POST
def import_cancel(request: HttpRequest, token: str) -> HttpResponse:
    upload = _upload(request, token)
    org_importing.discard_upload(session=request.session, upload=upload)
    messages.info(request, _("The import was cancelled and the file deleted. Nothing was changed."))
    return redirect("absence:import_start")
