"""Forms for the occupational health service (BHT) and union representatives.

The rules (organisation numbers, term dates, tenancy) live in the services; these forms only
parse input and limit choices to the user's own organisation.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.lib.dates import today
from trygg.org.forms import DateInput, PersonChoiceField, UnitChoiceField
from trygg.org.models import Person, Unit


class OHSProviderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    org_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        required=False,
        help_text=_("Nine digits, from the Brønnøysund Register Centre."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    approved = forms.BooleanField(
        label=_("Approved by Arbeidstilsynet"), required=False, initial=True
    )
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    agreement_start = forms.DateField(label=_("Agreement since"), widget=DateInput, required=False)


class OHSContactForm(forms.Form):
    """Either an existing person, or the name of a new external person (a BHT adviser who is
    not in the HR data), never both."""

    NEW_PERSON_FIELDS = ("first_name", "last_name", "email", "phone")

    person = PersonChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Someone already registered, e.g. an adviser added earlier."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    profession = forms.CharField(
        label=_("Profession"),
        max_length=100,
        required=False,
        help_text=_("For example occupational physician, nurse or ergonomist."),
    )

    def __init__(self, *args, people, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people.order_by("last_name", "first_name")

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        new_person = any((data.get(name) or "").strip() for name in self.NEW_PERSON_FIELDS)
        if data.get("person") and new_person:
            raise forms.ValidationError(
                _("Choose an existing person or enter a new one, not both."), code="both"
            )
        if not data.get("person") and not new_person and not self.has_error("person"):
            raise forms.ValidationError(
                _("Choose an existing person or enter the name of a new one."), code="neither"
            )
        if new_person:
            for name in ("first_name", "last_name"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("A new person needs a first and a last name."))
        return data

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (str(_("An existing person")), [self["person"]]),
            (
                str(_("Or a new external person")),
                [self[name] for name in self.NEW_PERSON_FIELDS],
            ),
            (str(_("Role at the BHT")), [self["profession"]]),
        ]


class UnionRepresentativeForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none())
    union = forms.CharField(
        label=_("Union"),
        max_length=100,
        help_text=_("For example Fagforbundet, Utdanningsforbundet or NSF."),
    )
    is_main = forms.BooleanField(
        label=_("Main union representative (hovedtillitsvalgt)"), required=False
    )
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Empty for the whole organisation."),
    )
    start_date = forms.DateField(label=_("Term starts"), widget=DateInput, initial=today)
    end_date = forms.DateField(
        label=_("Term ends"),
        widget=DateInput,
        required=False,
        help_text=_("Leave empty if the term has no fixed end."),
    )

    def __init__(self, *args, people, units, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people.order_by("last_name", "first_name")
        self.fields["unit"].queryset = units.filter(is_active=True).order_by("path")


class EndTermForm(forms.Form):
    end_date = forms.DateField(
        label=_("Term ends"),
        widget=DateInput,
        initial=today,
        help_text=_("The last day of the term."),
    )
