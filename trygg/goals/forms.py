"""Forms for goals, action plans and the internal-control statuses. Choices are limited to what the
user may edit in their own organisation."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from trygg.goals.measure import indicator_choices
from trygg.goals.models import ControlStatus, Goal
from trygg.org.forms import DateInput, UnitChoiceField
from trygg.org.models import Committee, Person, Unit


def parse_decimal(value: Any) -> Decimal | None:
    """A number as people write it in Norway: "5,4", "5.4", "5,4 %", "1 234,5". Raises
    ValueError for text that is not a number."""
    if value is None:
        return None
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(value))
    text = str(value).strip().replace("\xa0", "").replace(" ", "").rstrip("%").strip()
    if not text:
        return None
    text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise ValueError(value) from error


class NumberField(forms.CharField):
    """A decimal that accepts a comma or a point, and a trailing percent sign."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update(inputmode="decimal", maxlength="30")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if len(text) > 30:
            raise ValidationError(_("Enter a number, such as 5,4."))
        try:
            number = parse_decimal(text)
        except ValueError as error:
            raise ValidationError(_("Enter a number, such as 5,4.")) from error
        if number is not None and abs(number) >= Decimal("1e10"):
            raise ValidationError(_("Enter a number, such as 5,4."))
        return number


def year_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=2000, max_value=2100)


class CommitteeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Committee) -> str:  # type: ignore[override]
        return obj.name


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Goal) -> str:  # type: ignore[override]
        return f"{obj.number}. {obj.title[:100]}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:  # type: ignore[override]
        return obj.full_name


class GoalForm(forms.Form):
    title = forms.CharField(
        label=_("Goal"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the organisation, unit or committee wants to achieve."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    start_year = year_field(_("From year"))
    end_year = year_field(_("To year"))
    indicator_code = forms.ChoiceField(
        label=_("How the goal is measured"),
        required=False,
        help_text=_("Live data in Trygg, or a measure you enter by hand (such as a survey)."),
    )
    measure = forms.CharField(
        label=_("What is measured (by hand)"),
        max_length=300,
        required=False,
        help_text=_("For example “share who answer that they have not been bullied”."),
    )
    measure_unit = forms.CharField(label=_("Unit of measure"), max_length=20, initial="%")
    lower_is_better = forms.BooleanField(label=_("Lower is better"), required=False)
    baseline = NumberField(label=_("Baseline"), required=False)
    target = NumberField(
        label=_("Target"),
        required=False,
        help_text=_("The value the indicator should reach by the end of the period."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", str(_("Entered by hand")))]
        for choice in indicator_choices():
            label = str(choice.label)
            if not choice.available:
                label = str(_("%(label)s (data source not available yet)") % {"label": label})
            choices.append((choice.code, label))
        self.fields["indicator_code"].choices = choices


class EditGoalForm(GoalForm):
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("An inactive goal is kept, but no longer shown among the goals in force."),
    )


class NewGoalForm(GoalForm):
    """A goal for the organisation, or a local goal that breaks down an overarching one."""

    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("For a local goal. Leave unit and committee empty for the organisation."),
    )
    committee = CommitteeChoiceField(
        label=_("Committee"), queryset=Committee.objects.none(), required=False
    )
    parent = GoalChoiceField(
        label=_("Breaks down the overarching goal"), queryset=Goal.objects.none(), required=False
    )

    field_order = ["unit", "committee", "parent"]

    def __init__(self, *args: Any, units: Any, committees: Any, parents: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["committee"].queryset = committees.order_by("kind", "name")
        self.fields["parent"].queryset = parents.order_by("number", "pk")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("unit") and data.get("committee"):
            self.add_error("committee", _("Choose a unit or a committee, not both."))
        return data


class MeasurementForm(forms.Form):
    measured_on = forms.DateField(label=_("Date"), widget=DateInput())
    value = NumberField(label=_("Value"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    start_year = year_field(_("From year"))
    end_year = year_field(_("To year"))
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NewPlanForm(PlanForm):
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Leave unit and committee empty for the organisation's plan."),
    )
    committee = CommitteeChoiceField(
        label=_("Committee"), queryset=Committee.objects.none(), required=False
    )
    field_order = ["title", "unit", "committee"]

    def __init__(self, *args: Any, units: Any, committees: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["committee"].queryset = committees.order_by("kind", "name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("unit") and data.get("committee"):
            self.add_error("committee", _("Choose a unit or a committee, not both."))
        return data


class PlanRowForm(forms.Form):
    number = forms.IntegerField(label=_("No."), min_value=1, max_value=999, required=False)
    focus_area = forms.CharField(label=_("Focus area (innsatsområde)"), max_length=300)
    goal = GoalChoiceField(label=_("Goal"), queryset=Goal.objects.none(), required=False)
    goal_text = forms.CharField(
        label=_("Goal (text)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("When the row's goal is not one of the HMS goals above."),
    )
    activity = forms.CharField(
        label=_("Activity"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    when = forms.CharField(label=_("When"), max_length=300, required=False)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    responsible = forms.CharField(
        label=_("Responsible (as written in the plan)"), max_length=300, required=False
    )
    owner = PersonChoiceField(
        label=_("Responsible person"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Gets the activity as an action item under “My tasks”."),
    )
    reporting = forms.CharField(label=_("Reporting"), max_length=300, required=False)

    def __init__(self, *args: Any, goals: Any, people: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals.order_by("number", "pk")
        self.fields["owner"].queryset = people


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx)"),
        help_text=_(
            "Columns NR, INNSATSOMRÅDE, MÅL, AKTIVITET, NÅR, ANSVAR, RAPPORTERING; optionally "
            "ANSVARLIG PERSON (email, employee number or full name) and FRIST (dd.mm.yyyy)."
        ),
    )


class ControlStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=ControlStatus.Status.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How the point is taken care of, and where it is documented."),
    )
