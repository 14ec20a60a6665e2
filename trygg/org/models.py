"""The written overview of the organisation (internkontrollforskriften § 5 second paragraph no. 5).

Units form a tree stored as a materialised path, so "this unit and everything under it" is one
indexed prefix query. Every row carries its organisation (the tenant) directly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trygg.accounts.models import Organisation, User

PATH_SEGMENT_WIDTH = 9


def path_segment(pk: int) -> str:
    return f"{pk:0{PATH_SEGMENT_WIDTH}d}/"


def path_condition(paths: tuple[str, ...], field_name: str = "path") -> Q:
    """Rows whose `field_name` starts with one of `paths`; matches nothing when `paths` is empty."""
    condition = Q(pk__in=[])
    for prefix in paths:
        condition |= Q(**{f"{field_name}__startswith": prefix})
    return condition


class UnitQuerySet(models.QuerySet["Unit"]):
    def for_organisation(self, organisation_id: int) -> UnitQuerySet:
        return self.filter(organisation_id=organisation_id)

    def subtree_of(self, paths: tuple[str, ...] | list[str]) -> UnitQuerySet:
        """Units whose path starts with one of `paths` (each unit includes itself)."""
        return self.filter(path_condition(tuple(paths)))

    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)


class Unit(models.Model):
    """Organisasjonsenhet: kommune, kommunalområde, enhet or avdeling, in a tree of any depth."""

    class Kind(models.TextChoices):
        TOP = "top", _("Organisation (top level)")
        AREA = "area", _("Service area (kommunalområde)")
        UNIT = "unit", _("Unit (enhet)")
        DEPARTMENT = "department", _("Department (avdeling)")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("unit code"),
        max_length=50,
        blank=True,
        help_text=_("The unit's number in the HR or payroll system, used by imports."),
    )
    kind = models.CharField(_("level"), max_length=20, choices=Kind.choices, default=Kind.UNIT)
    path = models.CharField(max_length=900, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=~Q(code=""),
                name="unit_code_unique",
                violation_error_message=_("Another unit already has this code."),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "path"], name="unit_org_path")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:unit_detail", args=[self.pk])

    def ancestor_paths(self) -> list[str]:
        """The paths of this unit and every unit above it, nearest last."""
        parts = [
            self.path[i : i + PATH_SEGMENT_WIDTH + 1]
            for i in range(0, len(self.path), PATH_SEGMENT_WIDTH + 1)
        ]
        return ["".join(parts[: i + 1]) for i in range(len(parts))]

    def ancestor_ids(self) -> list[int]:
        return [int(p[-PATH_SEGMENT_WIDTH - 1 : -1]) for p in self.ancestor_paths()]


class PersonQuerySet(models.QuerySet["Person"]):
    def with_current_employment(self) -> PersonQuerySet:
        return self.prefetch_related(
            models.Prefetch(
                "employments",
                queryset=Employment.objects.current().select_related("unit"),
                to_attr="current_employments",
            )
        )


class Person(models.Model):
    """Person: an employee, or an outside person such as a BHT adviser. No health data here."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    employee_number = models.CharField(_("employee number"), max_length=30, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_external = models.BooleanField(
        _("external"), default=False, help_text=_("Not employed here, e.g. a BHT adviser.")
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_number"],
                condition=~Q(employee_number=""),
                name="person_employee_number_unique",
                violation_error_message=_("Another person already has this employee number."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "last_name", "first_name", "id"], name="person_org_name"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("org:person_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class EmploymentQuerySet(models.QuerySet["Employment"]):
    def current(self, on: dt.date | None = None) -> EmploymentQuerySet:
        from trygg.lib.dates import today

        day = on or today()
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )

    def overlapping(self, start: dt.date, end: dt.date | None) -> EmploymentQuerySet:
        qs = self.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        if end is not None:
            qs = qs.filter(start_date__lte=end)
        return qs


class Employment(models.Model):
    """Arbeidsforhold: a person's position in a unit, with position percentage (stillingsprosent).

    `is_leader` marks personnel responsibility (personalansvar) for the unit and its subunits.
    """

    class Type(models.TextChoices):
        PERMANENT = "permanent", _("Permanent (fast)")
        TEMPORARY = "temporary", _("Temporary (midlertidig)")
        ON_CALL = "on_call", _("On call (tilkalling)")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="employments"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="employments")
    title = models.CharField(pgettext_lazy("job", "title"), max_length=150, blank=True)
    position_percent = models.DecimalField(
        _("position percentage"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    employment_type = models.CharField(
        _("employment type"), max_length=20, choices=Type.choices, default=Type.PERMANENT
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_leader = models.BooleanField(_("personnel responsibility"), default=False)

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(position_percent__gt=0) & Q(position_percent__lte=100),
                name="employment_position_range",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employment_end_after_start",
            ),
        ]
        indexes = [
            # Covers the per-unit position counts: (organisation, unit) groups, the dates filter.
            models.Index(
                fields=["organisation", "unit", "start_date", "end_date"],
                name="employment_org_unit_dates",
            ),
            models.Index(fields=["person", "end_date"], name="employment_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.unit} ({self.position_percent} %)"


class SafetyArea(models.Model):
    """Verneområde: the area a verneombud covers (AML § 6-1), one or more units."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="safety_areas"
    )
    name = models.CharField(_("name"), max_length=200)
    units = models.ManyToManyField(Unit, related_name="safety_areas", verbose_name=_("units"))

    class Meta:
        verbose_name = _("safety area")
        verbose_name_plural = _("safety areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:safety_area_detail", args=[self.pk])


class SafetyRepresentativeQuerySet(models.QuerySet["SafetyRepresentative"]):
    def current(self, on: dt.date | None = None) -> SafetyRepresentativeQuerySet:
        from trygg.lib.dates import today

        day = on or today()
        return self.filter(start_date__lte=day, end_date__gte=day)

    def serving(self, on: dt.date | None = None) -> SafetyRepresentativeQuerySet:
        """Current terms of verneombud and hovedverneombud; deputies (vara) do not count."""
        return self.current(on).exclude(role=SafetyRepresentative.Role.DEPUTY)


class SafetyRepresentative(models.Model):
    """Verneombud or hovedverneombud for a term of normally 2 years (AML § 6-1, FOLM § 3-4)."""

    class Role(models.TextChoices):
        REPRESENTATIVE = "vo", _("Safety representative (verneombud)")
        MAIN = "hvo", _("Main safety representative (hovedverneombud)")
        DEPUTY = "deputy", _("Deputy safety representative (vara)")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="safety_representatives"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="safety_terms")
    area = models.ForeignKey(
        SafetyArea,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="representatives",
        help_text=_("Empty for a main safety representative covering the whole organisation."),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=Role.choices, default=Role.REPRESENTATIVE
    )
    start_date = models.DateField(_("term starts"))
    end_date = models.DateField(_("term ends"))

    objects = SafetyRepresentativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("safety representative")
        verbose_name_plural = _("safety representatives")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="vo_term_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class UnionRepresentative(models.Model):
    """Tillitsvalgt: a union representative for a unit or the whole organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="union_representatives"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="union_terms")
    union = models.CharField(_("union"), max_length=100)
    is_main = models.BooleanField(_("main representative (hovedtillitsvalgt)"), default=False)
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="union_representatives"
    )
    start_date = models.DateField(_("term starts"))
    end_date = models.DateField(_("term ends"), null=True, blank=True)

    class Meta:
        verbose_name = _("union representative")
        verbose_name_plural = _("union representatives")
        ordering = ["union", "person__last_name"]

    def __str__(self) -> str:
        return f"{self.person} ({self.union})"


class OHSProvider(models.Model):
    """Bedriftshelsetjeneste (BHT), approved by Arbeidstilsynet (AML § 3-3)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="ohs_providers"
    )
    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(_("organisation number"), max_length=9, blank=True)
    approved = models.BooleanField(_("approved by Arbeidstilsynet"), default=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    agreement_start = models.DateField(_("agreement since"), null=True, blank=True)

    class Meta:
        verbose_name = _("occupational health service")
        verbose_name_plural = _("occupational health services")

    def __str__(self) -> str:
        return self.name


class OHSContact(models.Model):
    """Kontaktperson i BHT: an adviser at the occupational health service."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="ohs_contacts"
    )
    provider = models.ForeignKey(OHSProvider, on_delete=models.CASCADE, related_name="contacts")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ohs_contacts")
    profession = models.CharField(_("profession"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("BHT contact")
        verbose_name_plural = _("BHT contacts")

    def __str__(self) -> str:
        return str(self.person)


class Committee(models.Model):
    """Arbeidsmiljøutvalg: AMU, HAMU (hovedarbeidsmiljøutvalg) or L-AMU (AML § 7-1, FOLM § 3-7).

    Cases flow from a committee to its `parent` (L-AMU → AMU → HAMU).
    """

    class Kind(models.TextChoices):
        HAMU = "hamu", _("HAMU (central working environment committee)")
        AMU = "amu", _("AMU (working environment committee)")
        LAMU = "lamu", _("L-AMU (local working environment committee)")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="committees"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="committees", verbose_name=_("unit")
    )
    kind = models.CharField(_("level"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("reports to"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:committee_detail", args=[self.pk])


class CommitteeMemberQuerySet(models.QuerySet["CommitteeMember"]):
    def current(self, on: dt.date | None = None) -> CommitteeMemberQuerySet:
        from trygg.lib.dates import today

        day = on or today()
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class CommitteeMember(models.Model):
    """Medlem av arbeidsmiljøutvalg, by side, elected for 2 years (FOLM § 3-15).

    BHT takes part as a permanent member without vote (FOLM § 3-7).
    """

    class Side(models.TextChoices):
        EMPLOYER = "employer", _("Employer side")
        EMPLOYEE = "employee", _("Employee side")
        BHT = "bht", _("Occupational health service (no vote)")

    class Office(models.TextChoices):
        MEMBER = "member", _("Member")
        DEPUTY = "deputy", _("Deputy member (vara)")
        SECRETARY = "secretary", _("Secretary")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="committee_members"
    )
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="committee_memberships"
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    office = models.CharField(
        _("office"), max_length=10, choices=Office.choices, default=Office.MEMBER
    )
    start_date = models.DateField(_("term starts"))
    end_date = models.DateField(_("term ends"), null=True, blank=True)

    objects = CommitteeMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["side", "office", "person__last_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="member_term_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_side_display()})"

    @property
    def has_vote(self) -> bool:
        return self.side != self.Side.BHT and self.office == self.Office.MEMBER


class CommitteeYear(models.Model):
    """Konstituering: the committee's yearly constitution with chair (leder) and deputy (nestleder).

    The chair alternates yearly between the employer and employee sides (AML § 7-1, FOLM § 3-12).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="committee_years"
    )
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    chair = models.ForeignKey(
        CommitteeMember, on_delete=models.PROTECT, related_name="+", verbose_name=_("chair")
    )
    deputy_chair = models.ForeignKey(
        CommitteeMember,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("deputy chair"),
    )
    chair_side = models.CharField(
        max_length=10, choices=CommitteeMember.Side.choices, editable=False
    )
    deviation_reason = models.TextField(
        _("reason for not alternating"),
        blank=True,
        help_text=_("Required when the chair comes from the side whose turn it is not."),
    )
    constituted_on = models.DateField(_("constituted on"))

    class Meta:
        verbose_name = _("constitution")
        verbose_name_plural = _("constitutions")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="committee_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.year}"


class RoleGrant(models.Model):
    """Tildelt rolle: an explicit role for a user, for the whole organisation or a unit subtree.

    Leaders, verneombud and committee members need no grant: those roles follow from the
    organisation's own records.
    """

    class Role(models.TextChoices):
        HMS_COORDINATOR = "hms", _("HMS coordinator")
        HR = "hr", _("HR")
        BHT = "bht", _("Occupational health service (BHT)")
        ADMIN = "admin", _("System administrator")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="role_grants"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_grants",
        help_text=_("Empty for the whole organisation."),
    )

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="role_grant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"
