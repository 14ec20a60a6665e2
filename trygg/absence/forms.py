"""Forms for sick leave. No field asks for a diagnosis; free-text fields say not to write one."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.absence.models import (
    AbsenceSettings,
    AbsenceSpell,
    AdaptationMeasure,
    DialogueMeeting,
    FollowUpPlan,
)
from trygg.absence.queries import PERIOD_KINDS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class DateField(forms.DateField):
    widget = DATE_INPUT

    def __init__(self, **kwargs: object) -> None:
        super().__init__(input_formats=DATE_FORMATS, **kwargs)  # type: ignore[arg-type]


class SpellForm(forms.Form):
    first_day = DateField(label=_("First day"))
    last_day = DateField(label=_("Last day"))
    kind = forms.ChoiceField(label=_("Type"), choices=AbsenceSpell.Kind.choices)
    grade = forms.IntegerField(
        label=_("Grade (%)"),
        initial=100,
        min_value=20,
        max_value=100,
        help_text=_("20–100 % for a sykmelding; an egenmelding is always 100 %."),
    )


class PlanForm(forms.ModelForm):
    made_on = DateField(label=_("Made on"))
    sent_to_doctor_on = DateField(label=_("Sent to the doctor on"), required=False)
    sent_to_nav_on = DateField(label=_("Sent to NAV on"), required=False)

    class Meta:
        model = FollowUpPlan
        fields = [
            "work_tasks",
            "measures",
            "follow_up",
            "made_on",
            "sent_to_doctor_on",
            "sent_to_nav_on",
        ]
        widgets = {
            "work_tasks": forms.Textarea(attrs={"rows": 4}),
            "measures": forms.Textarea(attrs={"rows": 4}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Never write a diagnosis or other health information here: only what is needed to "
            "adapt the work."
        ),
    )


class MeetingForm(forms.ModelForm):
    held_on = DateField(label=_("Held on"))

    class Meta:
        model = DialogueMeeting
        fields = ["number", "held_on", "participants", "summary"]
        widgets = {
            "participants": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }


class MeasureForm(forms.ModelForm):
    start_date = DateField(label=_("From"))
    end_date = DateField(label=_("Until"), required=False)

    class Meta:
        model = AdaptationMeasure
        fields = ["kind", "description", "start_date", "end_date"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SettingsForm(forms.ModelForm):
    class Meta:
        model = AbsenceSettings
        fields = [
            "goal_percent",
            "subtract_vacation",
            "vacation_days",
            "deadline_convention",
            "dm1_only_when_fully_absent",
            "self_certified_max_days",
            "retention_months",
            "disposal",
        ]


class StatisticsFilter(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False)
    period = forms.ChoiceField(
        label=_("Period"), choices=list(PERIOD_KINDS.items()), initial="tertial", required=False
    )
    day = DateField(label=_("Period containing"), required=False)
    start = DateField(label=_("From"), required=False)
    end = DateField(label=_("To"), required=False)
    subunits = forms.BooleanField(label=_("Include subunits"), required=False, initial=True)

    def __init__(self, *args: object, units: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].choices = units  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                self.add_error("start", _("Give both the first and the last day."))
            elif end < start:
                self.add_error("end", _("The last day is before the first day."))
            elif (end - start).days > 3660:
                self.add_error("end", _("The period may be at most ten years."))
        return data


def default_day() -> dt.date:
    from trygg.lib.dates import today

    return today()
