"""Sykefravær: absence spells, the monthly aggregates statistics are read from, and the
follow-up cases (oppfølgingstilfeller) with plan, dialogue meetings and adaptation measures.

There is no diagnosis field anywhere: the employer is not told the diagnosis (rules.md §8), and
every free-text field says so in its help text.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import Organisation, User
from trygg.org.models import Employment, Person, Unit

NO_HEALTH_DATA = _(
    "Never write a diagnosis or other health information here: only what is needed to adapt "
    "the work."
)


class AbsenceSettings(models.Model):
    """Innstillinger for sykefravær: the organisation's conventions where rules.md marks a rule
    ⚠️ or ❌ (vacation in avtalte dagsverk, deadline arithmetic, egenmelding days, retention)."""

    class Convention(models.TextChoices):
        CONSERVATIVE = "conservative", _("Last day of week N (start + 7N − 1 days)")
        NAV = "nav", _("NAV style (start + 7N days)")

    class Disposal(models.TextChoices):
        ANONYMISE = "anonymise", _("Anonymise (keep the dates, remove the person and texts)")
        DELETE = "delete", _("Delete")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="absence_settings"
    )
    subtract_vacation = models.BooleanField(
        _("subtract vacation from agreed workdays"),
        default=False,
        help_text=_(
            "Off by default, as SSB and NAV have counted since 2018. When on, agreed workdays are "
            "reduced by the vacation days below, spread over the year's workdays."
        ),
    )
    vacation_days = models.PositiveSmallIntegerField(
        _("vacation days per year"),
        default=25,
        validators=[MaxValueValidator(60)],
        help_text=_("Workdays of vacation per full-time year (5 weeks = 25)."),
    )
    goal_percent = models.DecimalField(
        _("goal for sick leave (%)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("5.4"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    deadline_convention = models.CharField(
        _("deadline arithmetic"),
        max_length=20,
        choices=Convention.choices,
        default=Convention.CONSERVATIVE,
    )
    self_certified_max_days = models.PositiveSmallIntegerField(
        _("longest egenmelding (calendar days)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(16)],
        help_text=_("3 by law; an employer may allow more, up to 16 (ftrl § 8-24)."),
    )
    dm1_only_when_fully_absent = models.BooleanField(
        _("dialogue meeting 1 only when fully absent"),
        default=True,
        help_text=_("AML § 4-6 (4) speaks of employees fully absent («helt borte»)."),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("keep closed follow-up cases for (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Check the organisation's archive plan (arkivlova) before shortening it."),
    )
    disposal = models.CharField(
        _("after that period"), max_length=20, choices=Disposal.choices, default=Disposal.ANONYMISE
    )

    class Meta:
        verbose_name = _("sick-leave settings")
        verbose_name_plural = _("sick-leave settings")

    def __str__(self) -> str:
        return str(_("Sick-leave settings"))


class AbsenceSpell(models.Model):
    """Fraværsperiode: one spell of sick leave, egenmeldt or legemeldt (sykmelding), with its
    grade (sykmeldingsgrad, ftrl § 8-13: 20–100 %; egenmelding is always 100 %)."""

    class Kind(models.TextChoices):
        SELF_CERTIFIED = "self", _("Self-certified (egenmelding)")
        DOCTOR_CERTIFIED = "doctor", _("Doctor-certified (sykmelding)")

    class Source(models.TextChoices):
        IMPORT = "import", _("Import")
        MANUAL = "manual", _("Registered by hand")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="absence_spells"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="absence_spells")
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    grade = models.PositiveSmallIntegerField(
        _("grade (%)"), default=100, validators=[MinValueValidator(20), MaxValueValidator(100)]
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    # Calendar days of the unbroken run of absence this spell belongs to: short or long term.
    chain_days = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("absence spell")
        verbose_name_plural = _("absence spells")
        ordering = ["-first_day"]
        constraints = [
            models.UniqueConstraint(fields=["person", "first_day"], name="absence_spell_start"),
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")), name="absence_spell_order"
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=20) & Q(grade__lte=100), name="absence_spell_grade"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "first_day"], name="absence_spell_org_first"),
            models.Index(fields=["organisation", "last_day"], name="absence_spell_org_last"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.first_day:%d.%m.%Y}–{self.last_day:%d.%m.%Y}"

    @property
    def effective_grade(self) -> int:
        return 100 if self.kind == self.Kind.SELF_CERTIFIED else self.grade

    @property
    def calendar_days(self) -> int:
        return (self.last_day - self.first_day).days + 1


class AbsenceMonth(models.Model):
    """Månedstall: lost workdays (tapte dagsverk) of one employment in one month, kept in step
    with every write in the same transaction; statistics read these, never the raw spells.
    Units of `rules.DAY_UNITS` (exact integers)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="absence_months"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    employment = models.ForeignKey(Employment, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    lost = models.BigIntegerField(default=0)
    lost_self = models.BigIntegerField(default=0)  # egenmeldt; legemeldt = lost − lost_self
    lost_long = models.BigIntegerField(default=0)  # 17+ days; short term = lost − lost_long

    class Meta:
        verbose_name = _("monthly absence figure")
        verbose_name_plural = _("monthly absence figures")
        constraints = [
            models.UniqueConstraint(fields=["employment", "month"], name="absence_month_unique"),
        ]
        indexes = [
            models.Index(fields=["organisation", "month", "unit"], name="absence_month_org"),
            models.Index(fields=["unit", "month"], name="absence_month_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.employment_id}: {self.month:%m.%Y}"


class FollowUpCase(models.Model):
    """Oppfølgingstilfelle: absence merged by NAV's 16-day rule (rules.md §0.4); its milestones
    are computed from `start` (rules.md §0.3, §1) and the leader's work is recorded on it
    (oppfølgingsplan, dialogmøter, tilrettelegging; AML § 4-6)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="follow_up_cases"
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_up_cases"
    )
    start = models.DateField(_("first sick day"))
    end = models.DateField(_("last sick day"))
    sick_days = models.PositiveIntegerField(default=0)
    graded_at_end = models.BooleanField(default=False)
    fully_absent_from = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    anonymised_on = models.DateField(null=True, blank=True)
    dm2_date = models.DateField(_("dialogue meeting 2 (date set by NAV)"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up case")
        verbose_name_plural = _("follow-up cases")
        ordering = ["-start"]
        indexes = [
            models.Index(fields=["organisation", "status", "start"], name="followup_org_status"),
            models.Index(fields=["person", "start"], name="followup_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id or '—'}: {self.start:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("absence:case_detail", args=[self.pk])


class FollowUpPlan(models.Model):
    """Oppfølgingsplan (AML § 4-6 (3)): made with the employee within 4 weeks; an assessment of
    the work tasks and capacity, the adaptation measures, and the plan for follow-up."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="follow_up_plans"
    )
    case = models.OneToOneField(FollowUpCase, on_delete=models.CASCADE, related_name="plan")
    work_tasks = models.TextField(
        _("assessment of work tasks and work capacity"), help_text=NO_HEALTH_DATA
    )
    measures = models.TextField(
        _("adaptation measures and help from the employer"), blank=True, help_text=NO_HEALTH_DATA
    )
    follow_up = models.TextField(
        _("plan for further follow-up"), blank=True, help_text=NO_HEALTH_DATA
    )
    made_on = models.DateField(_("made on"))
    sent_to_doctor_on = models.DateField(_("sent to the doctor on"), null=True, blank=True)
    sent_to_nav_on = models.DateField(_("sent to NAV on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("follow-up plan")
        verbose_name_plural = _("follow-up plans")

    def __str__(self) -> str:
        return str(_("Follow-up plan"))


class PlanComment(models.Model):
    """Merknad: the employee's (or leader's) comment on the follow-up plan."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="follow_up_comments"
    )
    plan = models.ForeignKey(FollowUpPlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("comment"), max_length=4000, help_text=NO_HEALTH_DATA)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment on the plan")
        verbose_name_plural = _("comments on the plan")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return str(_("Comment on the plan"))


class DialogueMeeting(models.Model):
    """Dialogmøte 1 (AML § 4-6 (4), within 7 weeks), 2 (ftrl § 8-7 a, within 26 weeks, NAV
    convenes) or 3 (on demand)."""

    class Number(models.IntegerChoices):
        FIRST = 1, _("Dialogue meeting 1")
        SECOND = 2, _("Dialogue meeting 2")
        THIRD = 3, _("Dialogue meeting 3")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="dialogue_meetings"
    )
    case = models.ForeignKey(FollowUpCase, on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveSmallIntegerField(_("meeting"), choices=Number.choices)
    held_on = models.DateField(_("held on"))
    participants = models.TextField(
        _("participants"),
        help_text=_("Names and roles, e.g. the employee, the leader, BHT, the doctor, NAV."),
    )
    summary = models.TextField(_("summary"), blank=True, help_text=NO_HEALTH_DATA)

    class Meta:
        verbose_name = _("dialogue meeting")
        verbose_name_plural = _("dialogue meetings")
        ordering = ["held_on"]

    def __str__(self) -> str:
        return f"{self.get_number_display()} {self.held_on:%d.%m.%Y}"


class AdaptationMeasure(models.Model):
    """Tilretteleggingstiltak (AML § 4-6 (1)) of the three kinds the employer course lists:
    psychosocial, physical and organisational."""

    class Kind(models.TextChoices):
        PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
        PHYSICAL = "physical", _("Physical")
        ORGANISATIONAL = "organisational", _("Organisational")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="adaptation_measures"
    )
    case = models.ForeignKey(FollowUpCase, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), help_text=NO_HEALTH_DATA)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("adaptation measure")
        verbose_name_plural = _("adaptation measures")
        ordering = ["start_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:40]}"
