"""Forms for reporting and handling deviations. Choices are limited to the user's organisation."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import User
from trygg.deviations import uploads
from trygg.deviations.models import Deviation, Injury
from trygg.lib.dates import today
from trygg.org.models import Person, Unit

DATE_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]


class DateInput(forms.DateInput):
    """dd.mm.yyyy text input: works the same in every browser and language."""

    input_type = "text"

    def __init__(self, attrs=None):  # type: ignore[no-untyped-def]
        super().__init__(
            attrs={"placeholder": "dd.mm.åååå", "inputmode": "numeric", **(attrs or {})},
            format="%d.%m.%Y",
        )


class UnitSelect(forms.Select):
    """A unit <select> built from a cached list of (id, depth, name) per organisation version:
    a large organisation has thousands of units, and rendering each option through the widget
    templates would cost more than the rest of the page."""

    units_queryset = None
    blank_label = "---------"

    def render(self, name, value, attrs=None, renderer=None):  # type: ignore[no-untyped-def]
        from django.utils.html import escape
        from django.utils.safestring import mark_safe

        from trygg.audit.queries import cached_for_organisation

        qs = self.units_queryset
        if qs is None:
            return super().render(name, value, attrs, renderer)
        sql, params = qs.values_list("pk").query.sql_with_params()
        org_id = qs.values_list("organisation_id", flat=True).first()
        options = ""
        if org_id:
            key = hashlib.sha256(repr((sql, params)).encode()).hexdigest()[:24]
            options = cached_for_organisation(
                org_id,
                f"deviation-unit-options:{key}",
                lambda: "".join(
                    f'<option value="{pk}">{"&emsp;" * depth}{escape(label)}</option>'
                    for pk, depth, label in qs.order_by("path").values_list("pk", "depth", "name")
                ),
            )
        selected = "" if value in (None, "") else str(value)
        if selected.isdigit():
            options = options.replace(f'value="{selected}">', f'value="{selected}" selected>', 1)
        blank = escape(self.blank_label)
        parts = [f'<option value=""{" selected" if not selected else ""}>{blank}</option>', options]
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        attributes = "".join(
            f" {key}" if val is True else f' {key}="{escape(val)}"'
            for key, val in final.items()
            if val not in (False, None)
        )
        return mark_safe(f"<select{attributes}>{''.join(parts)}</select>")


def unit_select(name: str, units, value: Any, *, blank: str, element_id: str) -> str:  # type: ignore[no-untyped-def]
    """A unit <select> outside a form (filters on the statistics and poster pages)."""
    widget = UnitSelect(attrs={"id": element_id})
    widget.units_queryset = units
    widget.blank_label = blank
    return widget.render(name, value)


class UnitChoiceField(forms.ModelChoiceField):
    widget = UnitSelect

    def label_from_instance(self, obj: Unit) -> str:  # type: ignore[override]
        return "\u2003" * obj.depth + obj.name

    def _set_queryset(self, queryset):  # type: ignore[no-untyped-def]
        super()._set_queryset(queryset)
        self.widget.units_queryset = self.queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list:  # type: ignore[override]
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


YES_NO = [("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class ReportForm(forms.Form):
    """The phone-first report: only what happened, where and when are required."""

    category = forms.ChoiceField(
        label=_("What kind of event?"), choices=Deviation.Category.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    title = forms.CharField(
        label=_("Short title"),
        max_length=200,
        required=False,
        help_text=_("Optional; the start of the description is used when empty."),
    )
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    location = forms.CharField(
        label=_("Where exactly?"),
        max_length=200,
        required=False,
        help_text=_("Room, place or address."),
    )
    occurred_on = forms.DateField(
        label=_("Date"), widget=DateInput, input_formats=DATE_FORMATS, initial=today
    )
    occurred_time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(
            attrs={"placeholder": "tt:mm", "inputmode": "numeric"}, format="%H:%M"
        ),
        input_formats=["%H:%M", "%H.%M", "%H"],
    )
    severity = forms.ChoiceField(
        label=_("How serious?"),
        choices=Deviation.Severity.choices,
        initial=Deviation.Severity.MEDIUM,
        widget=forms.RadioSelect,
    )
    immediate_action = forms.CharField(
        label=_("Immediate action taken"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    files = MultipleFileField(
        label=_("Photos or files"),
        required=False,
        help_text=_("Up to 5 photos or PDF files of at most 10 MB each. Location data is removed."),
        widget=MultipleFileInput(attrs={"accept": "image/*,application/pdf"}),
    )
    violence_situation = forms.CharField(
        label=_("Violence and threats: the situation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was going on when it happened (care, transport, meeting...)."),
    )
    working_alone = forms.ChoiceField(
        label=_("Were you working alone?"), choices=YES_NO, required=False
    )
    reported_to_police = forms.ChoiceField(
        label=_("Reported to the police?"), choices=YES_NO, required=False
    )
    anonymous = forms.BooleanField(
        label=_("Report anonymously"),
        required=False,
        help_text=_(
            "Your name, login and the time of day are not stored. You follow the case with "
            "the receipt code you get."
        ),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, units, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(is_active=True).order_by("path")
        if not self.is_bound:
            self.initial.setdefault("token", secrets.token_urlsafe(24))

    def clean_token(self) -> str:
        token = self.cleaned_data.get("token") or ""
        if token and not all(ch.isalnum() or ch in "-_" for ch in token):
            raise ValidationError(_("The form is damaged. Please reload the page."))
        return token

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day = data.get("occurred_on")
        if day is not None:
            when = data.get("occurred_time")
            anonymous = data.get("anonymous")
            known = when is not None and not anonymous
            # Without a time the date alone counts: the start of the day, never in the future.
            moment = dt.datetime.combine(day, when if known else dt.time(0, 0))
            data["occurred_at"] = timezone.make_aware(moment)
            data["occurred_time_known"] = known
            if day > today():
                self.add_error("occurred_on", _("The date cannot be in the future."))
        files = data.get("files") or []
        if files:
            try:
                data["clean_files"] = uploads.clean_uploads(
                    files, keep_names=not data.get("anonymous")
                )
            except ValidationError as error:
                self.add_error("files", error)
        else:
            data["clean_files"] = []
        if not (data.get("title") or "").strip() and data.get("description"):
            text = " ".join(data["description"].split())
            data["title"] = text[:80] + ("…" if len(text) > 80 else "")
        return data

    def report_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        violence = None
        if data["category"] == Deviation.Category.VIOLENCE:
            violence = {
                "violence_situation": data.get("violence_situation", ""),
                "working_alone": _yes_no(data.get("working_alone", "")),
                "reported_to_police": _yes_no(data.get("reported_to_police", "")),
            }
        return {
            "unit": data["unit"],
            "category": data["category"],
            "title": data["title"],
            "description": data["description"],
            "occurred_at": data["occurred_at"],
            "occurred_time_known": data["occurred_time_known"],
            "severity": data["severity"],
            "location": data.get("location", ""),
            "immediate_action": data.get("immediate_action", ""),
            "anonymous": bool(data.get("anonymous")),
            "idempotency_key": data.get("token", ""),
            "violence": violence,
        }


class PublicReportForm(ReportForm):
    """Without an account: an optional name and email, and a honeypot for robots."""

    reporter_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    reporter_email = forms.EmailField(
        label=_("Your email"),
        required=False,
        help_text=_("Optional. Leave both empty, or tick anonymous, to report without a name."),
    )
    # Robots fill every field; people never see this one (hidden by CSS, skipped by tab).
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    field_order = [
        "category",
        "description",
        "title",
        "unit",
        "location",
        "occurred_on",
        "occurred_time",
        "severity",
        "immediate_action",
        "files",
        "violence_situation",
        "working_alone",
        "reported_to_police",
        "reporter_name",
        "reporter_email",
        "anonymous",
        "website",
    ]


class FilterForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            ("open", _("Open")),
            ("overdue", _("Overdue")),
            *list(Deviation.Status.choices),
        ],
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *Deviation.Category.choices]
    )

    def __init__(self, *args, units, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")


class RootCauseForm(forms.Form):
    root_cause = forms.CharField(
        label=_("Root cause"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why did it happen? Look past the person to routines, equipment and staffing."),
    )


class MeasureForm(forms.Form):
    title = forms.CharField(label=_("Measure"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Responsible"), queryset=Person.objects.none())
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput, input_formats=DATE_FORMATS)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, people, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people

    def clean_deadline(self) -> dt.date:
        deadline = self.cleaned_data["deadline"]
        if deadline < today():
            raise ValidationError(_("The deadline cannot be in the past."))
        return deadline


class CloseForm(forms.Form):
    measures_effective = forms.ChoiceField(
        label=_("Did the measures work?"),
        choices=Deviation.Effect.choices,
        widget=forms.RadioSelect,
    )
    evaluation = forms.CharField(
        label=_("Closing evaluation"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done, and how you know it worked."),
    )


class ReassignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("New handler"), queryset=User.objects.none())

    def __init__(self, *args, users, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = users


class ClassifyForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Deviation.Category.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Deviation.Severity.choices)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())

    def __init__(self, *args, units, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(is_active=True).order_by("path")


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    question = forms.BooleanField(
        label=_("This is a question to the reporter"),
        required=False,
        help_text=_("The reporter sees questions and answers, also through the receipt code."),
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class ViolenceForm(forms.Form):
    violence_situation = forms.CharField(
        label=_("The situation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    working_alone = forms.ChoiceField(label=_("Working alone"), choices=YES_NO, required=False)
    aftercare_offered = forms.ChoiceField(
        label=_("Aftercare offered"), choices=YES_NO, required=False
    )
    debrief_offered = forms.ChoiceField(label=_("Debrief offered"), choices=YES_NO, required=False)
    reported_to_police = forms.ChoiceField(
        label=_("Reported to the police"), choices=YES_NO, required=False
    )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "violence_situation": data["violence_situation"],
            **{
                name: _yes_no(data[name])
                for name in (
                    "working_alone",
                    "aftercare_offered",
                    "debrief_offered",
                    "reported_to_police",
                )
            },
        }

    @staticmethod
    def initial_from(deviation: Deviation) -> dict[str, Any]:
        def yn(value: bool | None) -> str:
            return "" if value is None else ("yes" if value else "no")

        return {
            "violence_situation": deviation.violence_situation,
            "working_alone": yn(deviation.working_alone),
            "aftercare_offered": yn(deviation.aftercare_offered),
            "debrief_offered": yn(deviation.debrief_offered),
            "reported_to_police": yn(deviation.reported_to_police),
        }


class InjuryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Injury.Kind.choices)
    person = forms.ModelChoiceField(
        label=_("Injured or ill person"), queryset=Person.objects.none(), required=False
    )
    person_name = forms.CharField(
        label=_("Name, if not in the register of people"), max_length=200, required=False
    )
    occupation = forms.CharField(label=_("Occupation"), max_length=200, required=False)
    work_being_done = forms.CharField(
        label=_("What work was being done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sequence_of_events = forms.CharField(
        label=_("Sequence of events"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    presumed_causes = forms.CharField(
        label=_("Presumed causes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    injury_description = forms.CharField(
        label=_("Description of the injury"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Which part of the body and what kind of injury, without medical details."),
    )
    became_ill_on = forms.DateField(
        label=_("Became ill on"), required=False, widget=DateInput, input_formats=DATE_FORMATS
    )
    contributing_tasks = forms.CharField(
        label=_("Tasks that may have contributed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    workplace_factors = forms.CharField(
        label=_("Factors in the workplace"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    absence = forms.BooleanField(label=_("Led to absence"), required=False)
    absence_days = forms.IntegerField(
        label=_("Days of absence"), required=False, min_value=0, max_value=1000
    )
    serious = forms.BooleanField(
        label=_("Serious injury"),
        required=False,
        help_text=_(
            "E.g. fractures (not a simple finger or toe), loss of consciousness, amputation, "
            "serious burns, or treatment in hospital."
        ),
    )
    fatal = forms.BooleanField(label=_("Death"), required=False)

    def __init__(self, *args, people, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("absence_days") and not data.get("absence"):
            self.add_error("absence_days", _("Days of absence need 'led to absence'."))
        return data


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_("The person has consented to medical details being recorded"), required=False
    )
    medical_details = forms.CharField(
        label=_("Medical details (diagnosis)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("medical_details") or "").strip() and not data.get("consent"):
            self.add_error(
                "medical_details", _("Medical details may only be recorded with consent.")
            )
        return data


class NotifiedForm(forms.Form):
    on = forms.DateField(
        label=_("Date"), widget=DateInput, input_formats=DATE_FORMATS, initial=today
    )
    at = forms.TimeField(
        label=_("Time"),
        widget=forms.TimeInput(attrs={"placeholder": "tt:mm"}, format="%H:%M"),
        input_formats=["%H:%M", "%H.%M"],
    )

    def moment(self) -> dt.datetime:
        return timezone.make_aware(
            dt.datetime.combine(self.cleaned_data["on"], self.cleaned_data["at"])
        )


class SettingsForm(forms.Form):
    deadline_critical_days = forms.IntegerField(
        label=_("Deadline, critical (days)"), min_value=0, max_value=365
    )
    deadline_high_days = forms.IntegerField(
        label=_("Deadline, high (days)"), min_value=0, max_value=365
    )
    deadline_medium_days = forms.IntegerField(
        label=_("Deadline, medium (days)"), min_value=0, max_value=365
    )
    deadline_low_days = forms.IntegerField(
        label=_("Deadline, low (days)"), min_value=0, max_value=365
    )
    public_reporting = forms.BooleanField(
        label=_("Allow reporting without an account through the public link"), required=False
    )


class WorkHoursForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    hours = forms.IntegerField(label=_("Hours worked"), min_value=1, max_value=10**12)

    def __init__(self, *args, units, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")
