"""Avvik og uønskede hendelser (internkontrollforskriften § 5 second paragraph no. 7), the
injury and illness register (arbeidsmiljøloven § 5-1) and violence and threats (FUA ch. 23 A).

A deviation belongs to the unit where it happened; `unit_path` copies the unit's path so that
"the deviations of this unit and everything under it" is one indexed prefix query, as for the
unit tree itself. An anonymous report keeps no account, no address and no exact time.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import Organisation, User
from trygg.org.models import Person, Unit


class DeviationSettings(models.Model):
    """Avviksinnstillinger: the organisation's deadlines per severity and its public link.

    No law fixes the deadlines (rules.md does not name any); the defaults are a design choice
    each organisation may change.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="deviation_settings"
    )
    deadline_low_days = models.PositiveSmallIntegerField(
        _("deadline, low severity (days)"), default=30
    )
    deadline_medium_days = models.PositiveSmallIntegerField(
        _("deadline, medium severity (days)"), default=14
    )
    deadline_high_days = models.PositiveSmallIntegerField(
        _("deadline, high severity (days)"), default=5
    )
    deadline_critical_days = models.PositiveSmallIntegerField(
        _("deadline, critical severity (days)"), default=1
    )
    public_reporting = models.BooleanField(
        _("reporting without an account"),
        default=True,
        help_text=_("Anyone with the organisation's public link may report, also anonymously."),
    )
    public_key = models.CharField(max_length=32, unique=True)

    class Meta:
        verbose_name = _("deviation settings")
        verbose_name_plural = _("deviation settings")

    def __str__(self) -> str:
        return str(self.organisation)

    def days_for(self, severity: str) -> int:
        return {
            Deviation.Severity.LOW: self.deadline_low_days,
            Deviation.Severity.MEDIUM: self.deadline_medium_days,
            Deviation.Severity.HIGH: self.deadline_high_days,
            Deviation.Severity.CRITICAL: self.deadline_critical_days,
        }[severity]


class DeviationQuerySet(models.QuerySet["Deviation"]):
    def open(self) -> DeviationQuerySet:
        return self.exclude(status=Deviation.Status.CLOSED)

    def overdue(self, on: dt.date) -> DeviationQuerySet:
        return self.open().filter(deadline__lt=on)


class Deviation(models.Model):
    """Avvik eller uønsket hendelse, reported by anyone and handled by the unit's leader
    (internkontrollforskriften § 5 no. 7; AML § 2-3 duty to report)."""

    class Category(models.TextChoices):
        INJURY = "injury", _("Personal injury")
        ILLNESS = "illness", _("Work-related illness")
        NEAR_MISS = "near_miss", _("Near miss")
        VIOLENCE = "violence", _("Violence and threats")
        HARASSMENT = "harassment", _("Harassment or unwanted sexual attention")
        MATERIAL = "material", _("Material damage")
        ENVIRONMENT = "environment", _("Environment")
        ROUTINE = "routine", _("Breach of routine")
        IMPROVEMENT = "improvement", _("Suggestion for improvement")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        IN_PROGRESS = "in_progress", _("Being handled")
        MEASURES = "measures", _("Measures")
        CLOSED = "closed", _("Closed")

    class Effect(models.TextChoices):
        YES = "yes", _("Yes, the measures worked")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")
        NOT_NEEDED = "not_needed", _("No measures were needed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="deviations"
    )
    number = models.PositiveIntegerField(_("number"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="deviations", verbose_name=_("unit")
    )
    unit_path = models.CharField(max_length=900, editable=False)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what happened"))
    location = models.CharField(_("where"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("when"))
    occurred_time_known = models.BooleanField(default=True)
    immediate_action = models.TextField(_("immediate action taken"), blank=True)

    # Who reported. Anonymous reports keep none of these; the reporter follows the case
    # through a receipt code, of which only a hash is stored.
    reporter = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reporter_name = models.CharField(_("your name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("your email"), blank=True)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    receipt_hash = models.CharField(max_length=64, blank=True)
    reported_on = models.DateField(_("reported"))
    reported_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)

    handler = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handler"),
    )
    deadline = models.DateField(_("deadline"))
    escalation_level = models.PositiveSmallIntegerField(default=0)
    root_cause = models.TextField(_("root cause"), blank=True)
    closing_evaluation = models.TextField(_("closing evaluation"), blank=True)
    measures_effective = models.CharField(
        _("did the measures work?"), max_length=12, choices=Effect.choices, blank=True
    )
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Violence and threats (FUA § 23A-1, § 23A-5)
    violence_situation = models.TextField(_("the situation"), blank=True)
    working_alone = models.BooleanField(_("working alone"), null=True, blank=True)
    aftercare_offered = models.BooleanField(_("aftercare offered"), null=True, blank=True)
    debrief_offered = models.BooleanField(_("debrief offered"), null=True, blank=True)
    reported_to_police = models.BooleanField(_("reported to the police"), null=True, blank=True)

    # What the deviation was found through, e.g. an answer in a safety round.
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    objects = DeviationQuerySet.as_manager()

    class Meta:
        verbose_name = _("deviation")
        verbose_name_plural = _("deviations")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="deviation_number_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="deviation_idempotency_unique",
            ),
            models.CheckConstraint(
                condition=Q(is_anonymous=False)
                | Q(reporter__isnull=True, reported_at__isnull=True),
                name="deviation_anonymous_has_no_reporter",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "unit_path", "id"], name="deviation_org_path"),
            # PostgreSQL uses a btree for LIKE 'prefix%' only with the pattern operator class.
            models.Index(
                fields=["unit_path"], opclasses=["varchar_pattern_ops"], name="deviation_path_like"
            ),
            models.Index(fields=["organisation", "status", "id"], name="deviation_org_status"),
            models.Index(fields=["organisation", "category", "id"], name="deviation_org_cat"),
            models.Index(fields=["organisation", "occurred_at"], name="deviation_org_when"),
            models.Index(fields=["organisation", "reporter"], name="deviation_org_reporter"),
            models.Index(fields=["organisation", "handler", "status"], name="deviation_handler"),
            models.Index(fields=["receipt_hash"], name="deviation_receipt"),
            models.Index(fields=["source_type", "source_id"], name="deviation_source"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("deviations:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"AV-{self.number}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_injury(self) -> bool:
        return self.category in (self.Category.INJURY, self.Category.ILLNESS)

    @property
    def is_violence(self) -> bool:
        return self.category == self.Category.VIOLENCE

    def is_overdue(self, on: dt.date) -> bool:
        return not self.is_closed and self.deadline < on

    @property
    def closed_in_time(self) -> bool:
        return self.closed_on is not None and self.closed_on <= self.deadline


class Attachment(models.Model):
    """Vedlegg: a photo or file with a report. Served only through an access-checked view."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="deviation_attachments"
    )
    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="deviations/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Comment(models.Model):
    """Kommentar: a note by a handler, a question to the reporter or the reporter's answer."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Comment")
        QUESTION = "question", _("Question to the reporter")
        ANSWER = "answer", _("Answer from the reporter")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="deviation_comments"
    )
    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NOTE)
    body = models.TextField(_("comment"))
    # An anonymous reporter's answer keeps only its date.
    created_on = models.DateField()
    created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.body[:50]


class Injury(models.Model):
    """Skade- og sykdomsregister (AML § 5-1): a personal injury or work-related illness, with
    the fields Arbeidstilsynet recommends. Medical details only with the person's recorded
    consent (§ 5-1 (2)); a serious injury or death must be notified to Arbeidstilsynet and the
    police at once (§ 5-2) and reported to NAV (folketrygdloven § 13-14)."""

    class Kind(models.TextChoices):
        INJURY = "injury", _("Injury")
        ILLNESS = "illness", _("Work-related illness")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="injuries"
    )
    deviation = models.OneToOneField(Deviation, on_delete=models.CASCADE, related_name="injury")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INJURY)
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("injured or ill person"),
    )
    person_name = models.CharField(
        _("name, if not in the register of people"), max_length=200, blank=True
    )
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    work_being_done = models.TextField(_("what work was being done"), blank=True)
    sequence_of_events = models.TextField(_("sequence of events"), blank=True)
    presumed_causes = models.TextField(_("presumed causes"), blank=True)
    injury_description = models.TextField(
        _("description of the injury"),
        blank=True,
        help_text=_("Which part of the body and what kind of injury, without medical details."),
    )
    became_ill_on = models.DateField(_("became ill on"), null=True, blank=True)
    contributing_tasks = models.TextField(_("tasks that may have contributed"), blank=True)
    workplace_factors = models.TextField(_("factors in the workplace"), blank=True)
    absence = models.BooleanField(_("led to absence"), default=False)
    absence_days = models.PositiveSmallIntegerField(_("days of absence"), null=True, blank=True)
    serious = models.BooleanField(_("serious injury"), default=False)
    fatal = models.BooleanField(_("death"), default=False)

    consent_given = models.BooleanField(_("consent to medical details recorded"), default=False)
    consent_recorded_on = models.DateField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    medical_details = models.TextField(_("medical details (diagnosis)"), blank=True)

    labour_inspection_notified_at = models.DateTimeField(null=True, blank=True)
    labour_inspection_notified_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    police_notified_at = models.DateTimeField(null=True, blank=True)
    police_notified_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nav_reported_at = models.DateTimeField(null=True, blank=True)
    nav_reported_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("injury or illness")
        verbose_name_plural = _("injury and illness register")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_given=True) | Q(medical_details=""),
                name="injury_medical_details_need_consent",
            ),
        ]

    def __str__(self) -> str:
        return str(self.deviation)

    @property
    def needs_notification(self) -> bool:
        """AML § 5-2: death or serious injury must be notified at once."""
        return self.serious or self.fatal

    @property
    def notifications_missing(self) -> bool:
        if not self.needs_notification:
            return self.nav_reported_at is None
        return (
            self.labour_inspection_notified_at is None
            or self.police_notified_at is None
            or self.nav_reported_at is None
        )


class WorkHours(models.Model):
    """Utførte timeverk: hours worked in a unit in a year, for the injury frequency (H-value)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="deviation_work_hours"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    hours = models.PositiveBigIntegerField(_("hours worked"))

    class Meta:
        verbose_name = _("hours worked")
        verbose_name_plural = _("hours worked")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="work_hours_unit_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {self.hours}"
