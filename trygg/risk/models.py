"""Risk assessment (risikovurdering): arbeidsmiljøloven § 3-1 (2) c and internkontrollforskriften
§ 5 second paragraph no. 6 — map hazards, assess risk, make plans and measures, in writing.

An organisation assesses risk on its own matrix (`RiskMatrix`), fixed before assessing: each
assessment keeps the matrix version it was made on. An assessment (`Assessment`) is one version
of a series; re-assessing makes a new version and the old one stays readable, unchanged.
Hazards (`Hazard`) carry the bow-tie of seed 004: causes → event → consequences, with
preventive and mitigating barriers. `RiskCell` is the heat map's aggregate, kept in step with
every completed version so the organisation-wide risk diagram reads a few thousand rows.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import Organisation
from trygg.org.models import Person, Unit


class Band(models.TextChoices):
    """The organisation's acceptance criteria, in three bands (rules.md § 10 ⚠️)."""

    LOW = "low", _("Low – acceptable")
    MEDIUM = "medium", _("Medium – reduce where reasonable")
    HIGH = "high", _("High – not acceptable, measures required")


class RiskMatrix(models.Model):
    """Risikomatrise: the organisation's scales of probability (sannsynlighet) and consequence
    (konsekvens), each level with a written definition, and the acceptance criteria (bands).

    A version that has been assessed on is never changed: a change makes the next version.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="risk_matrices"
    )
    version = models.PositiveIntegerField(default=1)
    probability_levels = models.JSONField(
        help_text="A list of {name, definition}, the least likely first."
    )
    consequence_levels = models.JSONField(
        help_text="A list of {name, definition}, the least severe first."
    )
    low_max = models.PositiveSmallIntegerField(_("highest score in the low band"))
    medium_max = models.PositiveSmallIntegerField(_("highest score in the medium band"))
    acceptance_criteria = models.TextField(_("acceptance criteria"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrices")
        ordering = ["organisation", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="risk_matrix_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(medium_max__gte=models.F("low_max")), name="risk_matrix_band_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.size_label} v{self.version}"

    @property
    def rows(self) -> int:
        return len(self.probability_levels)

    @property
    def columns(self) -> int:
        return len(self.consequence_levels)

    @property
    def size_label(self) -> str:
        return f"{self.rows}×{self.columns}"

    @property
    def max_score(self) -> int:
        return self.rows * self.columns

    def band(self, score: int | None) -> str | None:
        if score is None:
            return None
        if score <= self.low_max:
            return Band.LOW
        if score <= self.medium_max:
            return Band.MEDIUM
        return Band.HIGH


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def active(self) -> AssessmentQuerySet:
        """Completed versions not yet replaced by a newer one: the organisation's risk picture."""
        return self.filter(status=Assessment.Status.COMPLETED)

    def due_for_review(self, by: dt.date) -> AssessmentQuerySet:
        return self.active().filter(review_due__lte=by)


class Assessment(models.Model):
    """Risikovurdering (ROS-analyse) for a unit, an activity or a theme, one version of a series.

    A draft is worked on; completing it fixes its content and replaces the series' previous
    version (which becomes `superseded`, still readable). The matrix it was made on stays its
    matrix even when the organisation changes its matrix later.
    """

    class Scope(models.TextChoices):
        UNIT = "unit", _("The unit's work in general")
        ACTIVITY = "activity", _("An activity or task")
        THEME = "theme", _("A theme (e.g. violence and threats)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMPLETED = "completed", _("Completed")
        SUPERSEDED = "superseded", _("Replaced by a newer version")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="risk_assessments"
    )
    # Units are deactivated, never deleted, in Trygg; CASCADE lets a demo organisation go whole.
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="risk_assessments", verbose_name=_("unit")
    )
    matrix = models.ForeignKey(
        RiskMatrix, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("matrix")
    )
    series = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="versions"
    )
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(_("title"), max_length=200)
    scope = models.CharField(_("what is assessed"), max_length=20, choices=Scope.choices)
    description = models.TextField(_("description"), blank=True)
    template = models.CharField(_("template"), max_length=80, blank=True)
    assessed_on = models.DateField(_("date of the assessment"))
    review_due = models.DateField(_("review by"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="risk_series_version"),
            models.CheckConstraint(
                condition=Q(review_due__gte=models.F("assessed_on")),
                name="risk_review_after_assessment",
                violation_error_message=_("The review date cannot be before the assessment."),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "review_due"], name="risk_org_due"),
            models.Index(
                fields=["organisation", "unit", "status", "review_due"], name="risk_org_unit_due"
            ),
            models.Index(fields=["organisation", "assessed_on", "id"], name="risk_org_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("risk:assessment_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def is_overdue(self, day: dt.date) -> bool:
        return self.status == self.Status.COMPLETED and self.review_due < day


class Participant(models.Model):
    """Who took part (medvirkning, internkontrollforskriften § 4): leader, verneombud,
    employees and the BHT."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        SAFETY_REP = "safety_rep", _("Safety representative")
        EMPLOYEE = "employee", _("Employee")
        BHT = "bht", _("Occupational health service (BHT)")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="participants"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["role", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Hazard(models.Model):
    """Fare / uønsket hendelse: what can go wrong, how likely, how bad, what prevents it and
    what limits it (seed 003), drawn as a bow-tie (sløyfemodellen, seed 004)."""

    class Category(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        ERGONOMIC = "ergonomic", _("Ergonomic")
        ORGANISATIONAL = "organisational", _("Organisational")
        CHEMICAL = "chemical", _("Chemical and biological")
        PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
        VIOLENCE = "violence", _("Violence and threats")
        OWN = "own", _("The organisation's own")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="hazards")
    position = models.PositiveIntegerField(default=0)
    # The id of the first version's hazard: measures follow a hazard from version to version.
    lineage = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    own_category = models.CharField(_("own category"), max_length=100, blank=True)
    title = models.CharField(_("what can go wrong"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    causes = models.TextField(_("possible causes"), blank=True)
    consequences = models.TextField(_("possible consequences"), blank=True)
    preventive_barriers = models.TextField(_("barriers that reduce the probability"), blank=True)
    mitigating_barriers = models.TextField(_("barriers that reduce the consequence"), blank=True)
    probability = models.PositiveSmallIntegerField(_("probability"), null=True, blank=True)
    consequence = models.PositiveSmallIntegerField(_("consequence"), null=True, blank=True)
    residual_probability = models.PositiveSmallIntegerField(
        _("probability after measures"), null=True, blank=True
    )
    residual_consequence = models.PositiveSmallIntegerField(
        _("consequence after measures"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["assessment", "position", "id"]
        indexes = [models.Index(fields=["assessment", "position"], name="risk_hazard_order")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("risk:hazard_detail", args=[self.pk])

    @property
    def score(self) -> int | None:
        if self.probability is None or self.consequence is None:
            return None
        return self.probability * self.consequence

    @property
    def residual_score(self) -> int | None:
        if self.residual_probability is None or self.residual_consequence is None:
            return None
        return self.residual_probability * self.residual_consequence

    @property
    def category_label(self) -> str:
        if self.category == self.Category.OWN and self.own_category:
            return self.own_category
        return str(self.get_category_display())

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]


class RiskCell(models.Model):
    """Risikodiagram-telling, the heat map's aggregate: how many hazards of the active versions
    sit in one cell of one matrix version for one unit (or the whole organisation), before (`residual=False`) and after measures. Kept in the same
    transaction as each completion; `services.rebuild_risk_cells` recomputes it from hazards."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # Null: the whole organisation's total, so the organisation-wide map reads a few dozen rows.
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, related_name="+")
    matrix = models.ForeignKey(RiskMatrix, on_delete=models.CASCADE, related_name="+")
    residual = models.BooleanField(default=False)
    probability = models.PositiveSmallIntegerField()
    consequence = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "unit", "matrix", "residual", "probability", "consequence"],
                name="risk_cell_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.probability}×{self.consequence}: {self.count}"
