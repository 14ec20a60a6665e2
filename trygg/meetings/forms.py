"""Forms for committee work. Choices are limited to the committee and organisation at hand."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.lib.dates import format_date, parse_norwegian_date
from trygg.meetings.models import Case, Meeting
from trygg.org.forms import DateInput
from trygg.org.models import Person

TEXT = forms.Textarea(attrs={"rows": 4})


class NorwegianDateField(forms.DateField):
    widget = DateInput

    def to_python(self, value):  # type: ignore[no-untyped-def]
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return parse_norwegian_date(str(value))
        except ValueError:
            raise ValidationError(_("Write the date as dd.mm.yyyy."), code="invalid") from None


class TimeField(forms.TimeField):
    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("input_formats", ["%H:%M", "%H.%M", "%H"])
        kwargs.setdefault(
            "widget",
            forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric", "placeholder": "tt:mm"}),
        )
        kwargs.setdefault("error_messages", {"invalid": _("Write the time as hh:mm.")})
        super().__init__(**kwargs)


class MeetingPlanForm(forms.Form):
    dates = forms.CharField(
        label=_("Dates"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "One date per line, dd.mm.yyyy. Suggested: the second Tuesday of each month except July and August."
        ),
    )
    start = TimeField(label=_("Starts at"))
    duration = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=600, initial=120
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    confirm = forms.BooleanField(label=_("Plan the meetings despite the warnings"), required=False)

    def clean_dates(self) -> list[dt.date]:
        days: list[dt.date] = []
        bad: list[str] = []
        for line in self.cleaned_data["dates"].replace(",", "\n").splitlines():
            if not line.strip():
                continue
            try:
                days.append(parse_norwegian_date(line))
            except ValueError:
                bad.append(line.strip())
        if bad:
            raise ValidationError(
                _("Not a date (dd.mm.yyyy): %(dates)s") % {"dates": ", ".join(bad[:5])}
            )
        if not days:
            raise ValidationError(_("Give at least one date."))
        if len(days) > 24:
            raise ValidationError(_("Plan at most 24 meetings at a time."))
        return days

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if not data.get("place", "").strip() and not data.get("video_url", "").strip():
            self.add_error("place", _("Give a place or a video link."))
        return data

    @staticmethod
    def initial_dates(days: list[dt.date]) -> str:
        return "\n".join(format_date(d) for d in days)


class MeetingForm(forms.Form):
    date = NorwegianDateField(label=_("Date"))
    start = TimeField(label=_("Starts at"))
    end = TimeField(label=_("Ends at"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    confirm = forms.BooleanField(label=_("Save despite the warnings"), required=False)

    @staticmethod
    def initial_for(meeting: Meeting) -> dict:
        starts = timezone.localtime(meeting.starts_at)
        ends = timezone.localtime(meeting.ends_at)
        return {
            "date": starts.date(),
            "start": starts.time(),
            "end": ends.time(),
            "place": meeting.place,
            "video_url": meeting.video_url,
        }


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:  # type: ignore[override]
        local = timezone.localtime(obj.starts_at)
        return f"{format_date(local.date())} {local:%H:%M}"


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=TEXT, required=False)
    case_type = forms.ChoiceField(label=_("Type of case"), choices=Case.Type.choices)
    meeting = MeetingChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("Not on an agenda yet"),
    )

    def __init__(self, *args, meetings=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if meetings is None:
            del self.fields["meeting"]
        else:
            self.fields["meeting"].queryset = meetings


class ProposalForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=None)  # type: ignore[arg-type]
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("What is the case about?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    case_type = forms.ChoiceField(
        label=_("What do you ask the committee for?"), choices=Case.Type.choices
    )

    def __init__(self, *args, committees, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees.order_by("kind", "name")


class RegisterForm(forms.Form):
    meeting = MeetingChoiceField(
        label=_("Put on the agenda of"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("Not on an agenda yet"),
    )

    def __init__(self, *args, meetings, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXT)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Attachment"))


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Present"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (
                m.person_id,
                f"{m.person.full_name} ({m.get_side_display()}, {m.get_office_display()})",
            )
            for m in members
        ]
        self.member_ids = [m.person_id for m in members]


class CaseMinutesForm(forms.Form):
    discussion = forms.CharField(label=_("Discussion"), widget=TEXT, required=False)
    decision = forms.CharField(label=_("Decision (vedtak)"), widget=TEXT, required=False)
    unanimous = forms.BooleanField(label=_("Unanimous"), required=False, initial=True)
    majority_view = forms.CharField(label=_("Majority view"), widget=TEXT, required=False)
    minority_view = forms.CharField(label=_("Minority view"), widget=TEXT, required=False)


class NotesForm(forms.Form):
    notes = forms.CharField(label=_("Other matters and notes"), widget=TEXT, required=False)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:  # type: ignore[override]
        return obj.full_name


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action item"), max_length=300)
    owner = PersonChoiceField(label=_("Responsible"), queryset=Person.objects.none())
    deadline = NorwegianDateField(label=_("Deadline"))
    description = forms.CharField(label=_("Description"), widget=TEXT, required=False)

    def __init__(self, *args, people, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class ForwardForm(forms.Form):
    statement = forms.CharField(
        label=_("The committee's statement"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the committee above should know or decide."),
    )


class ReportForm(forms.Form):
    measures = forms.CharField(label=_("Measures carried out"), widget=TEXT, required=False)
    goal_attainment = forms.CharField(label=_("Goal attainment"), widget=TEXT, required=False)
    key_figures_comment = forms.CharField(
        label=_("Comments on the key figures"), widget=TEXT, required=False
    )
    safety_rounds_and_risk = forms.CharField(
        label=_("Status of safety rounds and risk assessments"), widget=TEXT, required=False
    )
    training = forms.CharField(label=_("Training"), widget=TEXT, required=False)
    input_to_parent = forms.CharField(label=_("Input to HAMU"), widget=TEXT, required=False)
    assessments = forms.CharField(
        label=_("Own assessments and recommendations"), widget=TEXT, required=False
    )

    def __init__(self, *args, is_top: bool = False, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if is_top:
            del self.fields["input_to_parent"]
            self.fields["assessments"].label = _(
                "System assessments and recommendations to the chief executive"
            )


class SettingsForm(forms.Form):
    minimum_meetings_per_year = forms.IntegerField(
        label=_("Minimum meetings per year"),
        min_value=1,
        max_value=24,
        help_text=_("FOLM § 3-16: a committee normally meets four times a year."),
    )
    agenda_reminder_days = forms.IntegerField(
        label=_("Remind the secretary to finish the agenda (days before)"),
        min_value=1,
        max_value=60,
    )
    invitation_days_before = forms.IntegerField(
        label=_("Tell the members of the meeting (days before)"), min_value=1, max_value=60
    )
    attachment_max_mb = forms.IntegerField(
        label=_("Largest attachment (MB)"), min_value=1, max_value=50
    )
