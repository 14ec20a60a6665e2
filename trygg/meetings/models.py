"""Committee work: meetings (møter), cases (saker), minutes (protokoll) and annual reports.

The working-environment committees (AMU, HAMU, L-AMU; arbeidsmiljøloven § 7-1 and
forskrift om organisering, ledelse og medvirkning (FOLM) § 3-7 ff.) meet through the year. Each
meeting has an agenda (saksliste) of numbered cases; its minutes record attendance and, for each
case, the discussion and the decision with majority and minority views (FOLM § 3-16). Cases flow
from a committee to the one it reports to (L-AMU → AMU → HAMU).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import Organisation
from trygg.org.models import Committee, Person


class MeetingSettings(models.Model):
    """Møteinnstillinger: the organisation's conventions for committee meetings.

    FOLM § 3-16 says a committee "normally" meets four times a year; the sources for that and
    for the annual report (AML § 7-2 (6)) are secondary (rules.md ⚠️), so both are settings.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="meeting_settings"
    )
    minimum_meetings_per_year = models.PositiveSmallIntegerField(
        _("minimum meetings per year"), default=4
    )
    agenda_reminder_days = models.PositiveSmallIntegerField(
        _("remind the secretary to finish the agenda, days before"), default=10
    )
    invitation_days_before = models.PositiveSmallIntegerField(
        _("send the invitation, days before"), default=7
    )
    attachment_max_mb = models.PositiveSmallIntegerField(_("largest attachment (MB)"), default=10)

    class Meta:
        verbose_name = _("meeting settings")
        verbose_name_plural = _("meeting settings")

    def __str__(self) -> str:
        return str(self.organisation)


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def upcoming(self, now: dt.datetime | None = None) -> MeetingQuerySet:
        return self.filter(starts_at__gte=now or timezone.now(), cancelled=False)


class Meeting(models.Model):
    """Møte i arbeidsmiljøutvalg: one meeting of a committee (FOLM § 3-16)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("committee")
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)  # iCalendar SEQUENCE
    invitation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Minutes (protokoll)
    minutes_notes = models.TextField(_("other matters and notes"), blank=True)
    minutes_started = models.BooleanField(default=False, editable=False)
    minutes_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    minutes_version = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["organisation", "starts_at"], name="meeting_org_start"),
            models.Index(fields=["committee", "year"], name="meeting_committee_year"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.committee} {local:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def local_date(self) -> dt.date:
        return timezone.localtime(self.starts_at).date()

    @property
    def minutes_approved(self) -> bool:
        return self.minutes_approved_at is not None


class CaseCounter(models.Model):
    """Saksnummerteller: the last case number used by a committee in a year.

    Numbers are taken by locking this row (SELECT ... FOR UPDATE), so two people adding cases
    at once get different numbers; the unique constraint on Case is the second guard."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="case_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.year}: {self.last_number}"


class Case(models.Model):
    """Sak: a case for a committee, numbered NN/YY per committee and year ("Sak 23/12").

    A case is proposed (sent to the secretary, the committee's "postkasse", or sent on from a
    committee below), registered with a number, put on a meeting's agenda and decided in the
    minutes. A standing case comes from the årshjul.
    """

    class Type(models.TextChoices):
        # The same values as the årshjul's case types (annual_plan.models.CaseType).
        DECISION = "vedtak", _("Decision (vedtak)")
        INFORMATION = "orientering", _("Briefing (orientering)")
        STATEMENT = "uttalelse", _("Statement (uttalelse)")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed, awaiting the secretary")
        REGISTERED = "registered", _("Registered")
        DECIDED = "decided", _("Dealt with")
        REJECTED = "rejected", _("Not taken up")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="cases", verbose_name=_("committee")
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, editable=False)
    number = models.PositiveIntegerField(_("case number"), null=True, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    case_type = models.CharField(
        _("type of case"), max_length=12, choices=Type.choices, default=Type.DECISION
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("meeting"),
    )
    position = models.PositiveSmallIntegerField(default=0)
    # A standing case from the årshjul: the plan item (its guidance and live figure) and the
    # month it was put on the agenda for.
    plan_item = models.ForeignKey(
        "annual_plan.PlanItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    plan_month = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    guidance = models.TextField(_("guidance"), blank=True, editable=False)
    # Case flow: the case in the committee below that this one was sent on from.
    origin = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forwarded_as",
        editable=False,
    )
    statement = models.TextField(_("statement from the committee below"), blank=True)
    # Minutes for this case
    discussion = models.TextField(_("discussion"), blank=True)
    decision = models.TextField(_("decision (vedtak)"), blank=True)
    unanimous = models.BooleanField(_("unanimous"), default=True)
    majority_view = models.TextField(_("majority view"), blank=True)
    minority_view = models.TextField(_("minority view"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["year", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "number"],
                condition=Q(number__isnull=False),
                name="case_number_unique",
                violation_error_message=_("This case number is already taken."),
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(year__isnull=False),
                name="case_number_has_year",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "committee", "status"], name="case_org_status"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:case_detail", args=[self.pk])

    @property
    def label(self) -> str:
        """'Sak 23/12', or '' before the case is registered."""
        if self.number is None or self.year is None:
            return ""
        return _("Case %(number)s") % {"number": self.number_display}

    @property
    def number_display(self) -> str:
        if self.number is None or self.year is None:
            return ""
        return f"{self.number:02d}/{self.year % 100:02d}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is not the uploaded one: files are served only through a view.
    import uuid

    return f"meetings/{instance.organisation_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """Vedlegg til sak: a document attached to a case, served only through an access check."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.filename


class Attendance(models.Model):
    """Oppmøte: whether a member attended a meeting (a deputy may meet for a member)."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent (excused)")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PRESENT)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_status_display()}"


class CalendarFeed(models.Model):
    """Kalenderabonnement: a secret address for subscribing to meetings (iCalendar, RFC 5545).

    Only a SHA-256 digest of the secret is stored; the address is shown once when created.
    A committee feed lists that committee's meetings; a personal feed (committee empty) lists
    the meetings of every committee the person belongs to. The owner's access is checked on
    every fetch, so a feed stops working when the owner leaves the committee."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self) -> str:
        return f"{self.user} {self.committee or ''}".strip()


class AnnualReport(models.Model):
    """Årsrapport for AMU/HAMU (AML § 7-2 (6)), with the content of the municipality's common
    template (seed 000): measures carried out, goal attainment, key figures for sick leave and
    deviations, status of safety rounds and risk assessments, training and input to HAMU. The
    HAMU report adds its own assessments and recommendations to the AMU reports."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    measures = models.TextField(_("measures carried out"), blank=True)
    goal_attainment = models.TextField(_("goal attainment"), blank=True)
    key_figures_comment = models.TextField(_("comments on the key figures"), blank=True)
    safety_rounds_and_risk = models.TextField(
        _("status of safety rounds and risk assessments"), blank=True
    )
    training = models.TextField(_("training"), blank=True)
    input_to_parent = models.TextField(_("input to the committee above"), blank=True)
    assessments = models.TextField(_("own assessments and recommendations"), blank=True)
    # The live figures as they were when the report was adopted.
    frozen_figures = models.JSONField(default=list, blank=True, editable=False)
    adopted_at = models.DateTimeField(null=True, blank=True, editable=False)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="annual_report_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:annual_report", args=[self.committee_id, self.year])
