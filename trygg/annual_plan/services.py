"""Use cases that change the årshjul. Each is atomic, keyword-only and audit-logged; access has
already been checked by the caller through annual_plan/access.py."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from trygg.accounts.models import Organisation
from trygg.audit.models import AuditEntry
from trygg.audit.services import record_change, record_created, snapshot
from trygg.lib.dates import today
from trygg.lib.figures import KINDS
from trygg.lib.typing import AnyUser
from trygg.org.models import Person, Unit

from .models import (
    ACADEMIC_START_MONTH,
    Category,
    ItemFields,
    Plan,
    PlanItem,
    PlanSettings,
    Recurrence,
    TemplateItem,
    Timing,
    YearKind,
)

DATA_FILE = Path(__file__).parent / "data" / "default_template.json"

# The fields an item carries from the template into a year's plan.
ITEM_FIELDS = [
    f.name
    for f in ItemFields._meta.get_fields()
    if f.name not in ("id", "organisation") and getattr(f, "concrete", False)
]


@cache
def default_data() -> dict[str, Any]:
    """The shipped template (seed 000) and the suggested HMS activities (seed 004)."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _person_of(actor: AnyUser | None) -> Person | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return Person.objects.filter(organisation_id=actor.organisation_id, user_id=actor.pk).first()


def check_item(item: ItemFields) -> None:
    """What an item's timing needs, with messages for the form's fields."""
    errors: dict[str, str] = {}
    if not item.title.strip():
        errors["title"] = _("Give the item a title.")
    if (
        item.timing in (Timing.MONTH, Timing.MONTHS, Timing.DEADLINE, Timing.MEETING)
        and not item.month
    ):
        errors["month"] = _("Choose the month.")
    if item.timing == Timing.MONTHS and not item.end_month:
        errors["end_month"] = _("Choose the last month of the range.")
    if item.timing in (Timing.QUARTER, Timing.TERTIAL):
        highest = 4 if item.timing == Timing.QUARTER else 3
        if not item.period_number or item.period_number > highest:
            errors["period_number"] = _("Choose a quarter (1–4) or a tertial (1–3).")
    if item.timing == Timing.DEADLINE:
        if not item.deadline_day:
            errors["deadline_day"] = _("Give the day of the deadline.")
        elif item.month:
            try:
                dt.date(2024, item.month, item.deadline_day)  # a leap year allows 29.02
            except ValueError:
                errors["deadline_day"] = _("That month has no such day.")
    if item.timing == Timing.MEETING and not item.meeting_label.strip():
        errors["meeting_label"] = _("Name the meeting, e.g. “the year's first meeting”.")
    if item.recurrence == Recurrence.BIENNIAL and not item.first_year:
        errors["first_year"] = _("Give the first year of an item every second year.")
    if (
        item.recurrence == Recurrence.SEVERAL
        and not item.extra_months
        and item.timing
        not in (
            Timing.MONTHS,
            Timing.QUARTER,
            Timing.TERTIAL,
        )
    ):
        errors["extra_months"] = _("Choose the further months of an item several times a year.")
    if not isinstance(item.extra_months, list) or any(
        not isinstance(m, int) or not 1 <= m <= 12 for m in item.extra_months
    ):
        errors["extra_months"] = _("Months are numbers from 1 to 12.")
    if item.figure_kind and item.figure_kind not in KINDS:
        errors["figure_kind"] = _("Choose a kind of live data from the list.")
    elif item.figure_kind and not item.figure_period and item.committee_kind:
        errors["figure_period"] = _("Choose the period the figures report.")
    if item.category == Category.COMMITTEE_CASE and not item.committee_kind:
        errors["committee_kind"] = _("A committee case needs a committee level.")
    if item.owner_id and item.owner.organisation_id != item.organisation_id:
        errors["owner"] = _("The owner belongs to another organisation.")
    if item.unit_id and item.unit.organisation_id != item.organisation_id:
        errors["unit"] = _("The unit belongs to another organisation.")
    if errors:
        raise ValidationError(errors)


def _clean_and_save(item: ItemFields) -> None:
    check_item(item)
    item.full_clean()
    item.save()


# --- Settings ---------------------------------------------------------------------------------
def settings_for(organisation: Organisation) -> PlanSettings:
    found = PlanSettings.objects.filter(organisation=organisation).first()
    # organisation_id, not organisation: an unsaved row must not sit in the reverse cache.
    return found or PlanSettings(organisation_id=organisation.pk)


@transaction.atomic
def set_year_kind(
    *, actor: AnyUser | None, organisation: Organisation, year_kind: str
) -> PlanSettings:
    if year_kind not in YearKind.values:
        raise ValidationError({"year_kind": _("Choose a calendar or an academic year.")})
    settings = settings_for(organisation)
    before = snapshot(settings) if settings.pk else None
    settings.year_kind = year_kind
    settings.save()
    record_change(
        actor=actor,
        instance=settings,
        action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
        before=before,
        after=snapshot(settings),
    )
    return settings


# --- The template -----------------------------------------------------------------------------
def _from_data(organisation: Organisation, row: dict[str, Any], *, category: str) -> dict[str, Any]:
    values = {
        name: row[name]
        for name in ITEM_FIELDS
        if name in row and name not in ("owner", "unit", "position")
    }
    values.setdefault("category", category)
    values["position"] = row.get("position", 0)
    return values


@transaction.atomic
def load_default_template(*, actor: AnyUser | None, organisation: Organisation) -> int:
    """Load the shipped template (seed 000) into the organisation. Items already loaded keep the
    coordinator's edits; the count of items added is returned."""
    existing = set(
        TemplateItem.objects.filter(organisation=organisation)
        .exclude(key="")
        .values_list("key", flat=True)
    )
    added = 0
    for row in default_data()["items"]:
        if row["key"] in existing:
            continue
        item = TemplateItem(
            organisation=organisation,
            key=row["key"],
            **_from_data(organisation, row, category=Category.COMMITTEE_CASE),
        )
        _clean_and_save(item)
        record_created(actor, item)
        added += 1
    return added


@transaction.atomic
def create_template_item(
    *, actor: AnyUser | None, organisation: Organisation, **fields: Any
) -> TemplateItem:
    item = TemplateItem(organisation=organisation, **fields)
    _clean_and_save(item)
    record_created(actor, item)
    return item


@transaction.atomic
def update_template_item(
    *, actor: AnyUser | None, item: TemplateItem, **changes: Any
) -> TemplateItem:
    before = snapshot(item)
    for name, value in changes.items():
        setattr(item, name, value)
    _clean_and_save(item)
    record_change(
        actor=actor,
        instance=item,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot(item),
    )
    return item


@transaction.atomic
def add_activity(
    *,
    actor: AnyUser | None,
    organisation: Organisation,
    title: str,
    category: str = Category.OTHER,
    timing: str = Timing.MONTH,
    month: int | None = None,
    owner: Person | None = None,
    unit: Unit | None = None,
    recurrence: str = Recurrence.YEARLY,
    add_to_plans: bool = True,
    **fields: Any,
) -> TemplateItem:
    """Add an organisation's own recurring HMS activity (safety rounds, risk reviews, the employee
    survey ...) to the template and to the plans in force from this year on, so it appears in
    the wheel at once. Other modules (safety rounds) call this too."""
    if category == Category.COMMITTEE_CASE:
        raise ValidationError({"category": _("Choose the kind of activity.")})
    item = TemplateItem(
        organisation=organisation,
        title=title,
        category=category,
        timing=timing,
        month=month,
        owner=owner,
        unit=unit,
        recurrence=recurrence,
        **fields,
    )
    _clean_and_save(item)
    record_created(actor, item)
    if add_to_plans:
        for plan in current_plans(organisation, since=_plan_year_of(organisation, today())):
            if item.applies_in(plan.year):
                _copy_to_plan(actor, item, plan)
    return item


def add_suggested_activity(
    *, actor: AnyUser | None, organisation: Organisation, key: str, **overrides: Any
) -> TemplateItem:
    """One of the HMS activities of an årshjul from seed 004, with the shipped timing."""
    rows = {row["key"]: row for row in default_data()["activities"]}
    if key not in rows:
        raise ValidationError(_("Unknown activity."))
    values = _from_data(organisation, rows[key], category=Category.OTHER)
    if values.get("recurrence") == Recurrence.BIENNIAL:
        values.setdefault("first_year", _plan_year_of(organisation, today()))
    values.update(overrides)
    return add_activity(actor=actor, organisation=organisation, **values)


# --- Plans ------------------------------------------------------------------------------------
def _plan_year_of(organisation: Organisation, day: dt.date) -> int:
    if (
        settings_for(organisation).year_kind == YearKind.ACADEMIC
        and day.month < ACADEMIC_START_MONTH
    ):
        return day.year - 1
    return day.year


def current_plans(organisation: Organisation, *, since: int) -> list[Plan]:
    """The newest version of each year's plan from `since` on."""
    newest: dict[int, Plan] = {}
    for plan in Plan.objects.filter(organisation=organisation, year__gte=since).order_by(
        "year", "version"
    ):
        newest[plan.year] = plan
    return list(newest.values())


def _copy_to_plan(actor: AnyUser | None, source: TemplateItem, plan: Plan) -> PlanItem:
    item = PlanItem(
        organisation_id=plan.organisation_id,
        plan=plan,
        template_item=source,
        **{name: getattr(source, name) for name in ITEM_FIELDS},
    )
    item.save()
    record_created(actor, item)
    return item


@transaction.atomic
def adopt_plan(
    *,
    actor: AnyUser | None,
    organisation: Organisation,
    year: int,
    note: str = "",
    adopted_on: dt.date | None = None,
) -> Plan:
    """Adopt the organisation's template as the plan for `year`: a new version when the year has
    one already. Done states carry over to the same items of the new version."""
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Choose a year between 2000 and 2100.")})
    # Two adoptions at once would both take the next version number: the second waits here.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if not TemplateItem.objects.filter(organisation=organisation).exclude(key="").exists():
        # The shipped template is loaded once; afterwards items are switched off, not removed.
        load_default_template(actor=actor, organisation=organisation)
    previous = (
        Plan.objects.filter(organisation=organisation, year=year).order_by("-version").first()
    )
    version = (previous.version + 1) if previous else 1
    plan = Plan(
        organisation=organisation,
        year=year,
        version=version,
        year_kind=settings_for(organisation).year_kind,
        adopted_on=adopted_on or today(),
        note=note,
    )
    plan.full_clean()
    plan.save()
    record_created(actor, plan)
    done: dict[int, PlanItem] = {}
    if previous:
        for old in previous.items.filter(done_on__isnull=False, template_item__isnull=False):
            done[old.template_item_id] = old
    for source in TemplateItem.objects.filter(organisation=organisation, is_active=True).order_by(
        "month", "position", "id"
    ):
        if not source.applies_in(year):
            continue
        item = _copy_to_plan(actor, source, plan)
        old = done.get(source.pk)
        if old is not None:
            item.done_on, item.done_by_id, item.done_note = (
                old.done_on,
                old.done_by_id,
                old.done_note,
            )
            item.save(update_fields=["done_on", "done_by", "done_note"])
    return plan


def ensure_plan(*, actor: AnyUser | None, organisation: Organisation, year: int) -> Plan:
    """The plan in force for `year`, adopted from the template when the year has none yet."""
    plan = Plan.objects.filter(organisation=organisation, year=year).order_by("-version").first()
    return plan or adopt_plan(actor=actor, organisation=organisation, year=year)


@transaction.atomic
def add_plan_item(*, actor: AnyUser | None, plan: Plan, **fields: Any) -> PlanItem:
    """An item for one year only (not in the template)."""
    item = PlanItem(organisation_id=plan.organisation_id, plan=plan, **fields)
    _clean_and_save(item)
    record_created(actor, item)
    return item


@transaction.atomic
def mark_done(
    *, actor: AnyUser | None, item: PlanItem, year: int, on: dt.date | None = None, note: str = ""
) -> PlanItem:
    """Record that the item was done in `year` (the year of the plan it belongs to)."""
    if year != item.plan.year:
        raise ValidationError(
            _("This item belongs to the plan for %(year)s.") % {"year": item.plan.label}
        )
    day = on or today()
    if day > today():
        raise ValidationError({"done_on": _("The date cannot be in the future.")})
    before = snapshot(item)
    item.done_on = day
    item.done_by = _person_of(actor)
    item.done_note = note
    item.save(update_fields=["done_on", "done_by", "done_note"])
    record_change(
        actor=actor,
        instance=item,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot(item),
    )
    return item


@transaction.atomic
def mark_not_done(*, actor: AnyUser | None, item: PlanItem) -> PlanItem:
    before = snapshot(item)
    item.done_on = None
    item.done_by = None
    item.done_note = ""
    item.save(update_fields=["done_on", "done_by", "done_note"])
    record_change(
        actor=actor,
        instance=item,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot(item),
    )
    return item


def next_position(organisation: Organisation) -> int:
    top = TemplateItem.objects.filter(organisation=organisation).aggregate(m=Max("position"))["m"]
    return (top or 0) + 1
