"""Forms for the organisation pages. Choices are limited to the user's own organisation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trygg.accounts.models import User
from trygg.lib.dates import today
from trygg.org.models import (
    Committee,
    CommitteeMember,
    Employment,
    Person,
    RoleGrant,
    SafetyRepresentative,
    Unit,
)


class DateInput(forms.DateInput):
    """dd.mm.yyyy text input: works the same in every browser and language."""

    input_type = "text"

    def __init__(self, attrs=None):  # type: ignore[no-untyped-def]
        super().__init__(
            attrs={"placeholder": "dd.mm.åååå", "inputmode": "numeric", **(attrs or {})},
            format="%d.%m.%Y",
        )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:  # type: ignore[override]
        return "\u2003" * obj.depth + obj.name


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(
        label=_("Unit code"),
        max_length=50,
        required=False,
        help_text=_("The unit's number in the HR or payroll system, used by imports."),
    )
    kind = forms.ChoiceField(label=_("Level"), choices=Unit.Kind.choices)
    parent = UnitChoiceField(
        label=_("Parent unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Empty for a top-level unit."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, units, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units.order_by("path")


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    employee_number = forms.CharField(label=_("Employee number"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    is_external = forms.BooleanField(
        label=_("External (not employed here, e.g. a BHT adviser)"), required=False
    )


class EmploymentForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=pgettext_lazy("job", "Title"), max_length=150, required=False)
    position_percent = forms.DecimalField(
        label=_("Position percentage"),
        max_digits=5,
        decimal_places=2,
        min_value=0.01,
        max_value=100,
        localize=True,
        help_text=_("More than 0 and at most 100, e.g. 80 or 62,5."),
    )
    employment_type = forms.ChoiceField(label=_("Employment type"), choices=Employment.Type.choices)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    end_date = forms.DateField(label=_("End date"), widget=DateInput, required=False)
    is_leader = forms.BooleanField(
        label=_("Personnel responsibility (leader of the unit)"), required=False
    )

    def __init__(self, *args, units, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(is_active=True).order_by("path")

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class SafetyAreaForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The units the safety representatives of this area cover."),
    )

    def __init__(self, *args, units, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units.filter(is_active=True).order_by("path")
        self.fields["units"].label_from_instance = UnitChoiceField.label_from_instance.__get__(
            self.fields["units"]
        )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:  # type: ignore[override]
        suffix = f" ({obj.employee_number})" if obj.employee_number else ""
        return f"{obj.last_name}, {obj.first_name}{suffix}"


class TermForm(forms.Form):
    """A person appointed for a term: two years unless another end date is given."""

    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none())
    start_date = forms.DateField(label=_("Term starts"), widget=DateInput, initial=today)
    end_date = forms.DateField(
        label=_("Term ends"),
        widget=DateInput,
        required=False,
        help_text=_("Leave empty for the normal term of two years."),
    )

    def __init__(self, *args, people, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people.order_by("last_name", "first_name")


class SafetyRepresentativeForm(TermForm):
    role = forms.ChoiceField(label=_("Role"), choices=SafetyRepresentative.Role.choices)
    field_order = ["person", "role", "start_date", "end_date"]


class CommitteeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Level"), choices=Committee.Kind.choices)
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        help_text=_("The part of the organisation the committee covers."),
    )
    parent = forms.ModelChoiceField(
        label=_("Reports to"),
        queryset=Committee.objects.none(),
        required=False,
        help_text=_("Cases flow from this committee to the one it reports to."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, units, committees, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(is_active=True).order_by("path")
        self.fields["parent"].queryset = committees.order_by("kind", "name")


class MemberForm(TermForm):
    side = forms.ChoiceField(label=_("Side"), choices=CommitteeMember.Side.choices)
    office = forms.ChoiceField(label=_("Office"), choices=CommitteeMember.Office.choices)
    field_order = ["person", "side", "office", "start_date", "end_date"]


class ConstitutionForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=CommitteeMember.objects.none())
    deputy_chair = forms.ModelChoiceField(
        label=_("Deputy chair"), queryset=CommitteeMember.objects.none(), required=False
    )
    constituted_on = forms.DateField(label=_("Constituted on"), widget=DateInput, initial=today)
    deviation_reason = forms.CharField(
        label=_("Reason for not alternating"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Only needed when the chair comes from the side whose turn it is not."),
    )

    def __init__(self, *args, members, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        voting = members.filter(office=CommitteeMember.Office.MEMBER).exclude(
            side=CommitteeMember.Side.BHT
        )
        for name in ("chair", "deputy_chair"):
            self.fields[name].queryset = voting.select_related("person")
            self.fields[name].label_from_instance = lambda m: (
                f"{m.person.full_name} – {m.get_side_display()}"
            )


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[User.username_validator],
        help_text=_("Letters, digits and @ . + - _ only."),
    )
    email = forms.EmailField(
        label=_("Email"), help_text=_("The welcome email with the password link is sent here.")
    )


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=RoleGrant.Role.choices)
    unit = UnitChoiceField(
        label=_("For unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Empty for the whole organisation; otherwise the unit and its subunits."),
    )

    def __init__(self, *args, units, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(is_active=True).order_by("path")

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("role") == RoleGrant.Role.ADMIN and data.get("unit"):
            self.add_error("unit", _("System administrators always cover the whole organisation."))
        return data
