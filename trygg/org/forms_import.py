"""The upload form for imports from the HR or payroll system."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.org.importing import FileProblem, Kind, check_size, max_bytes


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What does the file contain?"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A CSV file (semicolons or commas) or an Excel workbook (.xlsx), at most %(max)s MB. "
            "Row 1 must hold the column headings."
        ) % {"max": max_bytes() // (1024 * 1024)}

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        try:
            check_size(upload.size or 0)
        except FileProblem as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload
