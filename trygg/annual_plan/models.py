"""Årshjul: the organisation's annual plan of standing committee cases and HMS activities.

Three layers (docs/annual_plan.md):
- `TemplateItem` — the organisation's template (mal), loaded from the data file the product ships
  (seed 000: the standing cases of AMU and HAMU month by month) and edited by the HMS
  coordinator; the organisation's own recurring HMS activities (seed 004) live here too.
- `Plan` — the wheel adopted for one year, versioned: adopting again makes a new version.
- `PlanItem` — an item of one adopted plan, copied from the template, with its done state for
  that year.
Internkontrollforskriften § 5 no. 6–8 (planned and systematic follow-up) and arbeidsmiljøloven
§ 7-2 (the committees' work through the year).
"""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import Organisation
from trygg.lib.figures import KINDS
from trygg.org.models import Committee, Person, Unit

MONTHS = range(1, 13)
ACADEMIC_START_MONTH = 8  # an academic (school) year runs August to July


class YearKind(models.TextChoices):
    CALENDAR = "calendar", _("Calendar year (January–December)")
    ACADEMIC = "academic", _("Academic year (August–July)")


class CaseType(models.TextChoices):
    DECISION = "vedtak", _("Decision (vedtak)")
    BRIEFING = "orientering", _("Briefing (orientering)")
    STATEMENT = "uttalelse", _("Statement (uttalelse)")


class Timing(models.TextChoices):
    MONTH = "month", _("In one month")
    MONTHS = "months", _("In a range of months")
    QUARTER = "quarter", _("In a quarter")
    TERTIAL = "tertial", _("In a tertial")
    DEADLINE = "deadline", _("By a fixed deadline")
    MEETING = "meeting", _("At a named meeting")
    ONGOING = "ongoing", _("Ongoing through the year")
    BY_NEED = "by_need", _("By need")


class Recurrence(models.TextChoices):
    YEARLY = "yearly", _("Every year")
    SEVERAL = "several", _("Several times a year")
    BIENNIAL = "biennial", _("Every second year")


class Category(models.TextChoices):
    """The kind of item: a committee's standing case, or one of the HMS activities of an
    årshjul listed in seed 004."""

    COMMITTEE_CASE = "committee_case", _("Committee case")
    HMS_MEETING = "hms_meeting", _("AMU and HMS meetings")
    SAFETY_ROUND = "safety_round", _("Safety rounds")
    RISK_ASSESSMENT = "risk_assessment", _("Risk assessments")
    EMPLOYEE_SURVEY = "employee_survey", _("Employee surveys")
    APPRAISAL = "appraisal", _("Appraisal talks")
    COMPETENCE = "competence", _("Competence mapping")
    DEVIATION_REVIEW = "deviation_review", _("Review of the deviation system")
    INTERNAL_AUDIT = "internal_audit", _("Internal audit")
    HMS_PLAN = "hms_plan", _("Prepare and evaluate the HMS plan")
    OTHER = "other", _("Other HMS activity")


class RelativePeriod(models.TextChoices):
    """The period a statistics item reports, counted back from the meeting date."""

    NONE = "", _("No period")
    PREVIOUS_MONTH = "previous_month", _("The previous month")
    PREVIOUS_QUARTER = "previous_quarter", _("The previous quarter")
    PREVIOUS_TERTIAL = "previous_tertial", _("The previous tertial")
    YEAR_TO_DATE = "year_to_date", _("This year so far")
    LAST_YEAR = "last_year", _("Last year")
    LAST_12_MONTHS = "last_12_months", _("The last 12 months")


def figure_choices() -> list[tuple[str, str]]:
    """The kinds of live data, read from the registry each time: kinds added to
    trygg.lib.figures.KINDS need no migration here (the field has no choices)."""
    return [("", str(_("No figure"))), *((k, str(v)) for k, v in KINDS.items())]


class PlanSettings(models.Model):
    """Innstillinger for årshjulet: whether the organisation's year is a calendar or an academic
    year (one row per organisation)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="annual_plan_settings"
    )
    year_kind = models.CharField(
        _("year"), max_length=10, choices=YearKind.choices, default=YearKind.CALENDAR
    )

    class Meta:
        verbose_name = _("annual plan settings")
        verbose_name_plural = _("annual plan settings")

    def __str__(self) -> str:
        return str(self.get_year_kind_display())


class ItemFields(models.Model):
    """What a template item and an adopted plan item both hold."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    guidance = models.TextField(_("guidance"), blank=True)
    category = models.CharField(
        _("kind"), max_length=20, choices=Category.choices, default=Category.COMMITTEE_CASE
    )
    committee_kind = models.CharField(
        _("committee level"), max_length=10, choices=Committee.Kind.choices, blank=True
    )
    case_type = models.CharField(
        _("case type"), max_length=15, choices=CaseType.choices, blank=True
    )
    timing = models.CharField(_("timing"), max_length=10, choices=Timing.choices)
    month = models.PositiveSmallIntegerField(
        _("month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("The month, the first month of a range, or the month of the named meeting."),
    )
    end_month = models.PositiveSmallIntegerField(
        _("last month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    period_number = models.PositiveSmallIntegerField(
        _("quarter or tertial"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    deadline_day = models.PositiveSmallIntegerField(
        _("deadline day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    meeting_label = models.CharField(
        _("named meeting"),
        max_length=100,
        blank=True,
        help_text=_("E.g. “the year's first meeting”."),
    )
    extra_months = models.JSONField(
        _("further months"),
        default=list,
        blank=True,
        help_text=_("For items that recur several times a year: the other months they fall in."),
    )
    recurrence = models.CharField(
        _("recurrence"), max_length=10, choices=Recurrence.choices, default=Recurrence.YEARLY
    )
    first_year = models.PositiveSmallIntegerField(
        _("first year"), null=True, blank=True, help_text=_("For items every second year.")
    )
    figure_kind = models.CharField(_("live data"), max_length=30, blank=True)
    figure_period = models.CharField(
        _("period reported"), max_length=20, choices=RelativePeriod.choices, blank=True
    )
    owner = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    owner_role = models.CharField(
        _("responsible role"), max_length=150, blank=True, help_text=_("E.g. “Employer” or “BHT”.")
    )
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    recipients = models.CharField(_("send on to"), max_length=300, blank=True)
    forward_to_parent = models.BooleanField(
        _("goes on to the committee above"), default=False, help_text=_("E.g. “goes to HAMU”.")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def months(self) -> tuple[int, ...]:
        """The months (1–12) the item falls in; empty for ongoing items and items by need."""
        found: list[int] = []
        if self.timing in (Timing.MONTH, Timing.DEADLINE, Timing.MEETING) and self.month:
            found = [self.month]
        elif self.timing == Timing.MONTHS and self.month and self.end_month:
            month = self.month
            found = [month]
            while month != self.end_month and len(found) < 12:
                month = month % 12 + 1
                found.append(month)
        elif self.timing == Timing.QUARTER and self.period_number:
            found = [3 * self.period_number - 2 + i for i in range(3)]
        elif self.timing == Timing.TERTIAL and self.period_number:
            found = [4 * self.period_number - 3 + i for i in range(4)]
        found += [m for m in self.extra_months if m not in found]
        return tuple(found)

    def applies_in(self, year: int) -> bool:
        """Whether the item belongs to the plan for `year` (biennial items every second year)."""
        if self.recurrence == Recurrence.BIENNIAL and self.first_year:
            return (year - self.first_year) % 2 == 0
        return True

    @property
    def is_committee_case(self) -> bool:
        return bool(self.committee_kind)

    def figure_label(self) -> str:
        """The name of the live data the item is about ("sick-leave statistics")."""
        return str(KINDS.get(self.figure_kind, self.figure_kind))


class TemplateItem(ItemFields):
    """Mal for årshjul: one standing case or HMS activity of the organisation's template.

    `key` names the items loaded from the shipped data file, so a reload updates them instead
    of adding copies; the organisation's own items have no key.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="annual_plan_template"
    )
    key = models.CharField(max_length=80, blank=True, editable=False)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("template item")
        verbose_name_plural = _("template items")
        ordering = ["month", "committee_kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], condition=~Q(key=""), name="annual_template_key"
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="annual_template_month",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "is_active"], name="annual_template_org")]


class Plan(models.Model):
    """Vedtatt årshjul: the organisation's annual plan for one year, versioned. The newest version
    of a year is the plan in force; older versions stay as history."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="annual_plans"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("For an academic year, the year it starts in.")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    year_kind = models.CharField(
        _("year"), max_length=10, choices=YearKind.choices, default=YearKind.CALENDAR
    )
    adopted_on = models.DateField(_("adopted on"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "version"], name="annual_plan_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("annual_plan:wheel") + f"?year={self.year}"

    @property
    def label(self) -> str:
        if self.year_kind == YearKind.ACADEMIC:
            return f"{self.year}/{(self.year + 1) % 100:02d}"
        return str(self.year)

    def month_order(self) -> list[int]:
        """The months in the order of this plan's year."""
        start = ACADEMIC_START_MONTH if self.year_kind == YearKind.ACADEMIC else 1
        return [(start - 1 + i) % 12 + 1 for i in range(12)]

    def date_in(self, month: int, day: int = 1) -> dt.date:
        """The date of `day`.`month` within this plan's year."""
        year = self.year
        if self.year_kind == YearKind.ACADEMIC and month < ACADEMIC_START_MONTH:
            year += 1
        return dt.date(year, month, day)


class PlanItemQuerySet(models.QuerySet["PlanItem"]):
    def for_display(self) -> PlanItemQuerySet:
        return self.select_related("owner", "unit", "plan", "done_by")


class PlanItem(ItemFields):
    """Sak eller aktivitet i vedtatt årshjul: an item of one year's plan with its done state."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="annual_plan_items"
    )
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    template_item = models.ForeignKey(
        TemplateItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="plan_items"
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    done_note = models.TextField(_("note"), blank=True)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual plan item")
        verbose_name_plural = _("annual plan items")
        ordering = ["month", "committee_kind", "position", "id"]
        indexes = [
            models.Index(fields=["organisation", "plan", "month"], name="annual_item_plan_month"),
            models.Index(fields=["organisation", "owner", "done_on"], name="annual_item_owner"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("annual_plan:item_detail", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    @property
    def year(self) -> int:
        return self.plan.year

    def due_date(self) -> dt.date | None:
        """The deadline, or the end of the last month the item falls in."""
        if self.timing == Timing.DEADLINE and self.month:
            return self.plan.date_in(self.month, self.deadline_day or 1)
        months = self.months()
        if not months:
            return None
        order = self.plan.month_order()
        last = max(months, key=order.index)
        start = self.plan.date_in(last)
        following = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
