"""HMS goals, action plans and the internal-control overview (internkontrollforskriften § 5).

A goal (HMS-mål, § 5 second paragraph no. 4) belongs to the organisation, a unit or a committee
and has one measurable indicator: a live indicator from `trygg.lib.indicators` or a measure
entered by hand (GoalMeasurement). An action plan (handlingsplan) has the columns of the seed's
plan (NR, innsatsområde, mål, aktivitet, når, ansvar, rapportering); each row is one action item
of `trygg.actions`, so its progress is live. ControlStatus is the assessed status of one § 5
point for the organisation or a unit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import Organisation
from trygg.org.models import Committee, Unit


class GoalQuerySet(models.QuerySet["Goal"]):
    def for_organisation(self, organisation_id: int) -> GoalQuerySet:
        return self.filter(organisation_id=organisation_id)

    def with_related(self) -> GoalQuerySet:
        return self.select_related("unit", "committee", "parent").prefetch_related(
            models.Prefetch(
                "measurements",
                queryset=GoalMeasurement.objects.order_by("measured_on", "pk"),
                to_attr="measurement_list",
            )
        )

    def organisation_level(self) -> GoalQuerySet:
        return self.filter(unit__isnull=True, committee__isnull=True)


class Goal(models.Model):
    """HMS-mål: an overarching goal of the organisation, or a local goal of a unit or committee
    (internkontrollforskriften § 5 second paragraph no. 4: set goals for health, environment and
    safety — written). A goal is measurable: it has an indicator and a target."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("overarching goal"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    committee = models.ForeignKey(
        Committee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("committee"),
    )
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.TextField(_("goal"), max_length=1000)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("to year"))
    indicator_code = models.CharField(
        _("live indicator"),
        max_length=100,
        blank=True,
        help_text=_("Data Trygg keeps; empty when the measure is entered by hand."),
    )
    measure = models.CharField(
        _("what is measured"),
        max_length=300,
        blank=True,
        help_text=_("For a measure entered by hand, e.g. “share who answer yes in the survey”."),
    )
    measure_unit = models.CharField(_("unit of measure"), max_length=20, default="%")
    lower_is_better = models.BooleanField(_("lower is better"), default=False)
    baseline = models.DecimalField(
        _("baseline"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("HMS goal")
        verbose_name_plural = _("HMS goals")
        ordering = ["number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="goal_year_order"
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(committee__isnull=True),
                name="goal_unit_or_committee",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "unit", "committee"], name="goal_org_owner"),
        ]

    def __str__(self) -> str:
        return self.title[:120]

    def get_absolute_url(self) -> str:
        return reverse("goals:goal_detail", args=[self.pk])

    @property
    def is_organisation_goal(self) -> bool:
        return self.unit_id is None and self.committee_id is None


class GoalMeasurement(models.Model):
    """Måling: a value of a goal's hand-entered measure on a date (e.g. the yearly survey)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["measured_on", "pk"]
        indexes = [models.Index(fields=["goal", "measured_on"], name="goal_measurement_date")]

    def __str__(self) -> str:
        return f"{self.measured_on:%d.%m.%Y}: {self.value}"


class ActionPlan(models.Model):
    """Handlingsplan: the HMS action plan of the organisation, a unit or a committee for a year
    or a period of years (the seed's 5-year "Mål og handlingsplan"), with the goals behind it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    committee = models.ForeignKey(
        Committee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("committee"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("to year"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-start_year", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="plan_year_order"
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(committee__isnull=True),
                name="plan_unit_or_committee",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "start_year", "end_year"], name="plan_org_years"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goals:plan_detail", args=[self.pk])


class ActionPlanRow(models.Model):
    """En rad i handlingsplanen: NR, innsatsområde, mål, aktivitet, når, ansvar, rapportering.
    The activity is an action item (tiltak) with an owner and a deadline, so progress is live."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveSmallIntegerField(_("no."))
    focus_area = models.CharField(_("focus area"), max_length=300)
    goal = models.ForeignKey(
        Goal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_rows",
        verbose_name=_("goal"),
    )
    goal_text = models.TextField(_("goal (text)"), blank=True, max_length=2000)
    activity = models.TextField(_("activity"), max_length=3000)
    when = models.CharField(_("when"), max_length=300, blank=True)
    responsible = models.CharField(_("responsible"), max_length=300, blank=True)
    reporting = models.CharField(_("reporting"), max_length=300, blank=True)
    # Set in the same transaction as the row is created (the item's source is the row).
    action_item = models.OneToOneField(
        "actions.ActionItem", on_delete=models.CASCADE, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("action-plan row")
        verbose_name_plural = _("action-plan rows")
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_row_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.focus_area}"

    def get_absolute_url(self) -> str:
        return reverse("goals:plan_detail", args=[self.plan_id]) + f"#rad-{self.number}"


class ControlStatus(models.Model):
    """Status for et punkt i internkontrollforskriften § 5: the assessed status of one of the 8
    points for the organisation (unit empty) or a unit, with a note. Points 4–8 must be
    documented in writing, so they cannot be "in place" without a record."""

    class Status(models.TextChoices):
        MISSING = "missing", _("Not in place")
        PARTIAL = "partial", _("Partly in place")
        DONE = "done", _("In place")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    point = models.PositiveSmallIntegerField(_("point"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    note = models.TextField(_("note"), max_length=5000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("internal-control status")
        verbose_name_plural = _("internal-control statuses")
        constraints = [
            models.CheckConstraint(
                condition=Q(point__gte=1) & Q(point__lte=8), name="control_point_range"
            ),
            models.UniqueConstraint(
                fields=["organisation", "point"],
                condition=Q(unit__isnull=True),
                name="control_org_point_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "unit", "point"],
                condition=Q(unit__isnull=False),
                name="control_unit_point_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"§ 5 no. {self.point}: {self.get_status_display()}"


class GoalReading(models.Model):
    """Avlesning: the stored reading of a goal bound to a live indicator, so a page shows it
    without asking the indicator (sick leave for 50,000 employments takes seconds). A derived
    cache like risk's heat-map cells, not a record: it is not audit-logged, so writing it does
    not change the organisation's data version.

    It is current while the day and the organisation's data version (`version`, the newest
    audit entry id when the computation started) are those it was computed at; an older one is
    shown as it is, with its time, while a background task computes it again
    (`refresh_requested_at` lets one request ask for that, not every page view). It says what it
    was computed for (the indicator, the unit paths, with or without the trend): a goal whose
    definition changed is never shown another goal's reading. The status is not stored: it
    follows from the value and the goal's target, baseline and years when the page is drawn.
    Values are kept as text so each Decimal comes back exactly as the indicator gave it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    goal = models.OneToOneField(Goal, on_delete=models.CASCADE, related_name="+")
    indicator_code = models.CharField(max_length=100)
    scope = models.TextField(blank=True)  # the unit paths asked, "|"-separated; "" = everything
    has_trend = models.BooleanField(default=False)
    value = models.CharField(max_length=50, blank=True)  # "" = no data (or masked)
    points = models.JSONField(default=list)  # [["yyyy-mm-dd", "value"], ...], oldest first
    as_of = models.DateField()
    version = models.BigIntegerField()
    computed_at = models.DateTimeField()
    refresh_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["as_of"], name="goal_reading_as_of")]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.value or '–'} ({self.as_of:%d.%m.%Y})"
