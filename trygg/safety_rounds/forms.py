"""Forms for planning rounds and audits, checklists, findings and settings."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.deviations.models import Deviation
from trygg.lib.dates import today
from trygg.org.models import Person, Unit
from trygg.safety_rounds.models import ChecklistTemplate, Finding, Kind, Participant

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    template = forms.ModelChoiceField(
        label=_("Checklist"), queryset=ChecklistTemplate.objects.none()
    )
    under = forms.ModelChoiceField(
        label=_("Units under"),
        queryset=Unit.objects.none(),
        help_text=_("Every unit of the chosen level under this unit gets a round."),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[(Unit.Kind.UNIT, _("Units (enheter)")), (Unit.Kind.DEPARTMENT, _("Departments"))],
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Empty: the organisation's yearly deadline."),
    )

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ChecklistTemplate.objects.filter(
            organisation_id=organisation_id,
            kind=Kind.SAFETY_ROUND,
            is_active=True,
            current_version__isnull=False,
        )
        self.fields["under"].queryset = Unit.objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            kind__in=[Unit.Kind.TOP, Unit.Kind.AREA, Unit.Kind.UNIT],
        )
        self.fields["year"].initial = today().year


class AuditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    scope = forms.CharField(
        label=_("Scope"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the audit covers: routines, units, period."),
    )
    template = forms.ModelChoiceField(
        label=_("Checklist"), queryset=ChecklistTemplate.objects.none()
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_INPUT)
    lead_auditor = forms.ModelChoiceField(label=_("Lead auditor"), queryset=Person.objects.none())
    team = forms.ModelMultipleChoiceField(
        label=_("Audit team"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            organisation_id=organisation_id, is_active=True
        )
        self.fields["template"].queryset = ChecklistTemplate.objects.filter(
            organisation_id=organisation_id,
            kind=Kind.INTERNAL_AUDIT,
            is_active=True,
            current_version__isnull=False,
        )
        people = Person.objects.filter(organisation_id=organisation_id, user__isnull=False)
        self.fields["lead_auditor"].queryset = people
        self.fields["team"].queryset = people

    def clean_deadline(self) -> dt.date:
        value = self.cleaned_data["deadline"]
        if value < today() - dt.timedelta(days=365):
            raise forms.ValidationError(_("The deadline is more than a year ago."))
        return value


class ParticipantForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Participant.Role.choices)

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            organisation_id=organisation_id, user__isnull=False
        )


class FollowUpForm(forms.Form):
    follow_up = forms.ChoiceField(
        label=_("Follow up as"), choices=Finding.FollowUp.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    severity = forms.ChoiceField(
        label=_("Severity (deviation)"),
        choices=Deviation.Severity.choices,
        initial=Deviation.Severity.MEDIUM,
    )
    category = forms.ChoiceField(
        label=_("Category (deviation)"),
        choices=Deviation.Category.choices,
        initial=Deviation.Category.ROUTINE,
    )
    owner = forms.ChoiceField(label=_("Responsible (action item)"), required=False)
    deadline = forms.DateField(label=_("Deadline (action item)"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, owners: list[Person], prefix_key: str, **kwargs) -> None:  # type: ignore[no-untyped-def]
        # The same people for every finding of the round: read once, not once per form.
        super().__init__(*args, prefix=f"f-{prefix_key}", **kwargs)
        self.owners = {str(person.pk): person for person in owners}
        self.fields["owner"].choices = [("", "–")] + [
            (pk, person.full_name) for pk, person in self.owners.items()
        ]

    def clean_owner(self) -> Person | None:
        value = self.cleaned_data.get("owner")
        return self.owners.get(value) if value else None

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("follow_up") == Finding.FollowUp.ACTION:
            if not data.get("owner"):
                self.add_error("owner", _("An action item needs a responsible person."))
            if not data.get("deadline"):
                self.add_error("deadline", _("An action item needs a deadline."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Checklist file (JSON)"),
        help_text=_("The open checklist format described in the documentation."),
    )


class SettingsForm(forms.Form):
    deadline_day = forms.IntegerField(label=_("Deadline, day"), min_value=1, max_value=31)
    deadline_month = forms.IntegerField(label=_("Deadline, month"), min_value=1, max_value=12)
    remind_days_before = forms.IntegerField(
        label=_("Remind participants this many days before the deadline"),
        min_value=0,
        max_value=120,
    )
