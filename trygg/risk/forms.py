"""Forms for risk assessments. They parse input; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.lib.dates import add_years, today
from trygg.org.models import Person, Unit
from trygg.risk import matrix as defaults
from trygg.risk.library import shipped_templates
from trygg.risk.models import Assessment, Hazard, Participant, RiskMatrix

DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
MAX_TEMPLATE_BYTES = 512 * 1024


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self) -> None:
        super().__init__(
            format="%d.%m.%Y", attrs={"inputmode": "numeric", "placeholder": "dd.mm.åååå"}
        )


def date_field(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_FORMATS, widget=DateInput(), **kwargs)


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return "\u2003" * obj.depth + obj.name


class AssessmentForm(forms.Form):
    unit = UnitChoice(label=gettext_lazy("Unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    scope = forms.ChoiceField(
        label=gettext_lazy("What is assessed"), choices=Assessment.Scope.choices
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "The activity, the work situations or the theme the assessment covers."
        ),
    )
    assessed_on = date_field(gettext_lazy("Date of the assessment"))
    review_due = date_field(
        gettext_lazy("Review by"),
        help_text=gettext_lazy("When the assessment must be reviewed again (dd.mm.yyyy)."),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, review = data.get("assessed_on"), data.get("review_due")
        if start and review and review < start:
            self.add_error("review_due", _("The review date cannot be before the assessment."))
        return data


class NewAssessmentForm(AssessmentForm):
    template = forms.ChoiceField(
        label=gettext_lazy("Start from a template"), required=False, choices=()
    )
    template_file = forms.FileField(
        label=gettext_lazy("Or upload a template file (JSON)"),
        required=False,
        help_text=gettext_lazy(
            "A template in Trygg's open format, e.g. shared by another organisation."
        ),
    )
    field_order = [
        "template",
        "template_file",
        "unit",
        "title",
        "scope",
        "description",
        "assessed_on",
        "review_due",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", _("No template: start empty"))] + [
            (template.id, template.title) for template in shipped_templates().values()
        ]
        if not self.is_bound:
            day = today()
            self.initial.setdefault("assessed_on", day)
            self.initial.setdefault("review_due", add_years(day, 1))

    def clean_template_file(self) -> Any:
        upload = self.cleaned_data.get("template_file")
        if upload is None:
            return None
        if upload.size > MAX_TEMPLATE_BYTES:
            raise ValidationError(_("The template file is larger than 512 KB."))
        from trygg.risk.library import read_template

        return read_template(upload.read())


class ParticipantForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Participant.Role.choices)
    person = forms.ModelChoiceField(
        label=gettext_lazy("Person"), queryset=Person.objects.none(), required=False
    )
    name = forms.CharField(
        label=gettext_lazy("Or name"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For someone not in the list, e.g. an adviser from the BHT."),
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("person") and not data.get("name", "").strip():
            raise ValidationError(_("Choose a person or write a name."))
        return data


def _level_choices(levels: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [("", "–")] + [
        (str(number), f"{number} – {level['name']}") for number, level in enumerate(levels, start=1)
    ]


class HazardForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Hazard.Category.choices)
    own_category = forms.CharField(
        label=gettext_lazy("Own category"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Only for the category “The organisation's own”."),
    )
    title = forms.CharField(label=gettext_lazy("What can go wrong?"), max_length=300)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    causes = forms.CharField(
        label=gettext_lazy("Possible causes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line."),
    )
    consequences = forms.CharField(
        label=gettext_lazy("Possible consequences"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line."),
    )
    preventive_barriers = forms.CharField(
        label=gettext_lazy("What prevents it? (barriers that reduce the probability)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line."),
    )
    mitigating_barriers = forms.CharField(
        label=gettext_lazy("What limits the harm? (barriers that reduce the consequence)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line."),
    )
    probability = forms.TypedChoiceField(
        label=gettext_lazy("Probability"), coerce=int, empty_value=None, required=False, choices=()
    )
    consequence = forms.TypedChoiceField(
        label=gettext_lazy("Consequence"), coerce=int, empty_value=None, required=False, choices=()
    )
    residual_probability = forms.TypedChoiceField(
        label=gettext_lazy("Probability after measures"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=(),
    )
    residual_consequence = forms.TypedChoiceField(
        label=gettext_lazy("Consequence after measures"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=(),
    )

    def __init__(self, *args: Any, matrix: RiskMatrix, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("probability", "residual_probability"):
            self.fields[name].choices = _level_choices(matrix.probability_levels)
        for name in ("consequence", "residual_consequence"):
            self.fields[name].choices = _level_choices(matrix.consequence_levels)


class MeasureForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Measure"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Responsible"), queryset=Person.objects.none(), required=False
    )
    deadline = date_field(gettext_lazy("Deadline"), required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class ReassessForm(forms.Form):
    assessed_on = date_field(gettext_lazy("Date of the new assessment"))
    review_due = date_field(gettext_lazy("Review by"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            day = today()
            self.initial.setdefault("assessed_on", day)
            self.initial.setdefault("review_due", add_years(day, 1))


class MatrixForm(forms.Form):
    """The size, the level names and definitions, and the bands. Levels are edited as one
    line each: `name | definition`."""

    probability_levels = forms.CharField(
        label=gettext_lazy("Probability levels"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "One level per line, the least likely first: name | written definition. 3 to 6 levels."
        ),
    )
    consequence_levels = forms.CharField(
        label=gettext_lazy("Consequence levels"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "One level per line, the least severe first: name | written definition. 3 to 6 levels."
        ),
    )
    low_max = forms.IntegerField(
        label=gettext_lazy("Highest score in the green band (acceptable)"), min_value=1
    )
    medium_max = forms.IntegerField(
        label=gettext_lazy("Highest score in the yellow band"),
        min_value=1,
        help_text=gettext_lazy("Scores above this are red: not acceptable."),
    )
    acceptance_criteria = forms.CharField(
        label=gettext_lazy("Acceptance criteria"), widget=forms.Textarea(attrs={"rows": 4})
    )

    @staticmethod
    def lines_for(levels: list[dict[str, str]]) -> str:
        return "\n".join(f"{level['name']} | {level['definition']}" for level in levels)

    @staticmethod
    def _parse(text: str) -> list[dict[str, str]]:
        levels = []
        for number, line in enumerate([ln for ln in text.splitlines() if ln.strip()], start=1):
            name, bar, definition = line.partition("|")
            if not bar or not name.strip() or not definition.strip():
                raise ValidationError(
                    _("Line %(number)s: write the name, a “|” and the definition.")
                    % {"number": number}
                )
            levels.append({"name": name.strip(), "definition": definition.strip()})
        if not defaults.MIN_LEVELS <= len(levels) <= defaults.MAX_LEVELS:
            raise ValidationError(
                _("Choose between %(min)s and %(max)s levels.")
                % {"min": defaults.MIN_LEVELS, "max": defaults.MAX_LEVELS}
            )
        return levels

    def clean_probability_levels(self) -> list[dict[str, str]]:
        return self._parse(self.cleaned_data["probability_levels"])

    def clean_consequence_levels(self) -> list[dict[str, str]]:
        return self._parse(self.cleaned_data["consequence_levels"])
