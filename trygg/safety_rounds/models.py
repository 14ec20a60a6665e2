"""Vernerunder (safety rounds) and internrevisjon (internal audits) with versioned checklists.

A safety round is the employer's and the verneombud's walk through a unit with a checklist
(arbeidsmiljøloven § 6-2, internkontrollforskriften § 5 second paragraph no. 6 and 7); an
internal audit checks that the internal control itself works (internkontrollforskriften § 5
second paragraph no. 8). Both use the same checklist engine, so they share one model with a kind.
"""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import Organisation, User
from trygg.actions.models import ActionItem
from trygg.deviations.models import Deviation
from trygg.org.models import Person, Unit


class Kind(models.TextChoices):
    SAFETY_ROUND = "safety_round", _("Safety round")
    INTERNAL_AUDIT = "internal_audit", _("Internal audit")


class Settings(models.Model):
    """Innstillinger for vernerunder: the organisation's yearly deadline (1 March in the
    municipality of seed 000) and when reminders go out. A product convention, not law."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="safety_round_settings"
    )
    deadline_month = models.PositiveSmallIntegerField(
        _("deadline month"), default=3, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    deadline_day = models.PositiveSmallIntegerField(
        _("deadline day"), default=1, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("reminder, days before the deadline"),
        default=14,
        validators=[MaxValueValidator(120)],
    )

    class Meta:
        verbose_name = _("safety round settings")
        verbose_name_plural = _("safety round settings")

    def __str__(self) -> str:
        return f"{self.organisation} {self.deadline_day:02d}.{self.deadline_month:02d}"

    def deadline_for(self, year: int) -> dt.date:
        """The deadline in `year`; a day past the month's end falls back to its last day."""
        day = self.deadline_day
        while True:
            try:
                return dt.date(year, self.deadline_month, day)
            except ValueError:
                day -= 1


class ChecklistTemplate(models.Model):
    """Sjekklistemal: a named checklist whose content lives in numbered versions."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="checklist_templates"
    )
    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    current_version = models.ForeignKey(
        "TemplateVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="checklist_key_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("safety_rounds:template_detail", args=[self.pk])


class TemplateVersion(models.Model):
    """Versjon av en sjekklistemal: the full content (sections and questions) as the open JSON
    format of docs/safety_rounds.md. Never changed once written: a round keeps its version."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="checklist_versions"
    )
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField()
    question_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="checklist_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"

    def questions(self) -> dict[str, dict]:
        """Every question by key, with its section's title."""
        found: dict[str, dict] = {}
        for section in self.content.get("sections", []):
            for question in section.get("questions", []):
                found[question["key"]] = {**question, "section": section.get("title", "")}
        return found


class RoundQuerySet(models.QuerySet["SafetyRound"]):
    def with_people(self) -> RoundQuerySet:
        return self.select_related("unit", "template_version__template").prefetch_related(
            models.Prefetch(
                "participants",
                queryset=Participant.objects.select_related("person"),
            ),
        )

    def open(self) -> RoundQuerySet:
        return self.exclude(status=SafetyRound.Status.COMPLETED)

    def overdue(self, on: dt.date) -> RoundQuerySet:
        return self.open().filter(deadline__lt=on)


class SafetyRound(models.Model):
    """Vernerunde (AML § 6-2, IK-f § 5 no. 6–7) or internrevisjon (IK-f § 5 no. 8) of a unit
    in a year, with a deadline, the checklist version it started with and its participants."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="safety_rounds"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.SAFETY_ROUND
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="safety_rounds", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(
        _("scope"), blank=True, help_text=_("What the audit covers (for internal audits).")
    )
    deadline = models.DateField(_("deadline"))
    template_version = models.ForeignKey(
        TemplateVersion,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("checklist"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    finding_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("safety round")
        verbose_name_plural = _("safety rounds")
        ordering = ["deadline", "unit__path", "id"]
        indexes = [
            models.Index(fields=["organisation", "year", "status"], name="round_org_year_status"),
            models.Index(fields=["organisation", "unit", "year"], name="round_org_unit_year"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("safety_rounds:round_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.COMPLETED

    def is_overdue(self, on: dt.date) -> bool:
        return not self.is_closed and self.deadline < on


class Participant(models.Model):
    """Deltaker: the leader and the verneombud of a safety round (both sign it off), or a member
    of an audit team (revisjonslag)."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        SAFETY_REP = "safety_rep", _("Safety representative")
        LEAD_AUDITOR = "lead_auditor", _("Lead auditor")
        AUDITOR = "auditor", _("Audit team member")
        OTHER = "other", _("Other participant")

    SIGNING_ROLES = (Role.LEADER, Role.SAFETY_REP, Role.LEAD_AUDITOR)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="safety_round_participants"
    )
    round = models.ForeignKey(SafetyRound, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="safety_round_participations"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["round", "role", "person__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person", "role"], name="round_participant_unique"
            )
        ]
        indexes = [models.Index(fields=["person", "signed_at"], name="participant_person")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    @property
    def must_sign(self) -> bool:
        return self.role in self.SIGNING_ROLES


class Answer(models.Model):
    """Svar: one answer to a checklist question, as sent by a device. Rows are never changed:
    the newest answer (by when it was given) counts, and `client_id` (made by the device) makes a
    second delivery of the same answer harmless. Answers that arrive after the round was closed
    are kept, marked `is_late`, and do not count."""

    class Value(models.TextChoices):
        OK = "ok", _("OK")
        DEVIATION = "deviation", _("Deviation")
        NOT_RELEVANT = "not_relevant", _("Not relevant")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="safety_round_answers"
    )
    round = models.ForeignKey(SafetyRound, on_delete=models.CASCADE, related_name="answers")
    question_key = models.CharField(max_length=60)
    client_id = models.UUIDField()
    value = models.CharField(max_length=20, choices=Value.choices, blank=True)
    number = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    text = models.TextField(blank=True)
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_late = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["round", "question_key", "answered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "client_id"], name="answer_client_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.question_key}"

    def get_absolute_url(self) -> str:
        return (
            reverse("safety_rounds:round_detail", args=[self.round_id]) + f"#q-{self.question_key}"
        )


class Photo(models.Model):
    """Bilde: a photo taken during the round, re-encoded as JPEG without EXIF data, kept in
    Django's storage and served only through an access-checked view."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="safety_round_photos"
    )
    round = models.ForeignKey(SafetyRound, on_delete=models.CASCADE, related_name="photos")
    question_key = models.CharField(max_length=60)
    client_id = models.UUIDField()
    image = models.FileField(upload_to="safety_rounds/%Y/%m/", max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_late = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["round", "question_key", "uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "client_id"], name="photo_client_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.question_key}"

    def get_absolute_url(self) -> str:
        return reverse("safety_rounds:photo", args=[self.round_id, self.pk])


class Finding(models.Model):
    """Funn: a "deviation" answer followed up as an avvik (deviation) or a tiltak (action item)
    with an owner and a deadline, linked back to the round and the answer."""

    class FollowUp(models.TextChoices):
        DEVIATION = "deviation", _("Report as a deviation")
        ACTION = "action", _("Create an action item")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="safety_round_findings"
    )
    round = models.ForeignKey(SafetyRound, on_delete=models.CASCADE, related_name="findings")
    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="findings")
    question_key = models.CharField(max_length=60)
    title = models.CharField(_("title"), max_length=200)
    follow_up = models.CharField(
        _("follow-up"), max_length=20, choices=FollowUp.choices, default=FollowUp.DEVIATION
    )
    owner = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    severity = models.CharField(_("severity"), max_length=20, blank=True)
    category = models.CharField(_("category"), max_length=40, blank=True)
    # The deviation or action item made from it when the round is signed off.
    deviation = models.ForeignKey(
        Deviation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action_item = models.ForeignKey(
        ActionItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "question_key"], name="finding_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        if self.deviation_id:
            return not self.deviation.is_closed
        if self.action_item_id:
            return self.action_item.is_open
        return not self.round.is_closed


__all__ = [
    "Answer",
    "ChecklistTemplate",
    "Finding",
    "Kind",
    "Participant",
    "Photo",
    "SafetyRound",
    "Settings",
    "TemplateVersion",
]
