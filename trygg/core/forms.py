from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.audit.models import AuditEntry


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All")), *AuditEntry.Action.choices]
    )
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    date_from = forms.DateField(label=_("From (dd.mm.yyyy)"), required=False)
    date_to = forms.DateField(label=_("To (dd.mm.yyyy)"), required=False)

    def __init__(self, *args, object_types: list[str], **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("All"))] + [(t, t) for t in object_types]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data
