"""Forms for the årshjul. Choices are limited to the user's own organisation."""

from __future__ import annotations

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from trygg.lib.dates import today
from trygg.org.models import Committee, Person, Unit

from .models import TemplateItem, YearKind, figure_choices

MONTH_CHOICES = [(m, MONTHS[m]) for m in range(1, 13)]


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


class FilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    committee = forms.ModelChoiceField(
        label=_("Committee"), queryset=Committee.objects.none(), required=False
    )
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, committees, units, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees.order_by("kind", "name")
        self.fields["committee"].empty_label = _("All committees and activities")
        self.fields["unit"].queryset = units.filter(is_active=True).order_by("path")
        self.fields["unit"].empty_label = _("The whole organisation")


class TemplateItemForm(forms.ModelForm):
    """A standing case or HMS activity of the organisation's template."""

    month = forms.TypedChoiceField(
        label=_("Month"),
        choices=[("", "–"), *MONTH_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
    )
    end_month = forms.TypedChoiceField(
        label=_("Last month"),
        choices=[("", "–"), *MONTH_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
    )
    extra_months = forms.TypedMultipleChoiceField(
        label=_("Further months"),
        choices=MONTH_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For items that recur several times a year: the other months they fall in."),
    )
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    figure_kind = forms.ChoiceField(label=_("Live data"), required=False)

    class Meta:
        model = TemplateItem
        fields = [
            "title",
            "category",
            "committee_kind",
            "case_type",
            "timing",
            "month",
            "end_month",
            "period_number",
            "deadline_day",
            "meeting_label",
            "recurrence",
            "extra_months",
            "first_year",
            "figure_kind",
            "figure_period",
            "owner",
            "owner_role",
            "unit",
            "participants",
            "recipients",
            "forward_to_parent",
            "guidance",
            "is_active",
        ]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, people, units, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people.order_by("last_name", "first_name")
        self.fields["unit"].queryset = units.filter(is_active=True).order_by("path")
        self.fields["extra_months"].initial = self.instance.extra_months if self.instance.pk else []
        self.fields["figure_kind"].choices = figure_choices()

    def clean_extra_months(self) -> list[int]:
        return sorted(set(self.cleaned_data.get("extra_months") or []))


class DoneForm(forms.Form):
    done_on = forms.DateField(
        label=_("Done on"),
        input_formats=["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"],
        widget=DateInput(),
        initial=today,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AdoptForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class SettingsForm(forms.Form):
    year_kind = forms.ChoiceField(
        label=_("The plan's year"), choices=YearKind.choices, widget=forms.RadioSelect
    )


class SuggestionForm(forms.Form):
    """Add one of the suggested HMS activities (seed 004) with an owner and a unit."""

    key = forms.CharField(widget=forms.HiddenInput)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.none(), required=False)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, people, units, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people.order_by("last_name", "first_name")
        self.fields["unit"].queryset = units.filter(is_active=True).order_by("path")
