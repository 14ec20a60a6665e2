"""Forms for action items; other modules reuse ActionItemForm for the measures on their pages."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from trygg.actions.models import ActionItem
from trygg.org.forms import DateInput, UnitChoiceField
from trygg.org.models import Person, Unit


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:  # type: ignore[override]
        return obj.full_name


class ActionItemForm(forms.Form):
    """Title, description, responsible person and deadline. `people` limits the owners (see
    queries.owner_choices); `units`, when given, adds a unit choice."""

    title = forms.CharField(label=_("Action"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("No health information or diagnoses."),
    )
    owner = PersonChoiceField(
        label=_("Responsible"), queryset=Person.objects.none(), required=False
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput, required=False)

    def __init__(
        self,
        *args,  # type: ignore[no-untyped-def]
        people: QuerySet[Person],
        units: QuerySet[Unit] | None = None,
        **kwargs,  # type: ignore[no-untyped-def]
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        if units is not None:
            self.fields["unit"] = UnitChoiceField(
                label=_("Unit"), queryset=units.order_by("path"), required=False
            )


class ActionItemEditForm(ActionItemForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    result = forms.CharField(
        label=_("Result"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What was done, and whether it worked."),
    )


class ItemFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            ("open", _("Open")),
            ("overdue", _("Overdue")),
            *ActionItem.Status.choices,
        ],
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)
