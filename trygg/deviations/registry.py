"""What deviations give the rest of Trygg through the registries in trygg/lib and
trygg/notifications: "Mine oppgaver", reminders and escalation, årshjul figures, the
"deviations.closed_in_time" indicator and internkontrollforskriften § 5 no. 7 records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trygg.audit.queries import cached_for_organisation
from trygg.deviations import queries, services
from trygg.deviations.charts import bar_chart
from trygg.deviations.models import Deviation, Injury
from trygg.lib.controls import Record
from trygg.lib.dates import today
from trygg.lib.figures import Figure, FigureRequest
from trygg.lib.mytasks import TaskItem
from trygg.lib.typing import AnyUser
from trygg.notifications.reminders import Reminder
from trygg.org.principal import ALL

MAX_TASKS = 50
ESCALATE_AFTER_DAYS = 3  # overdue this long (times the level) → the next leader up


# --- Mine oppgaver ---------------------------------------------------------------------------
def handler_tasks(user: AnyUser) -> list[TaskItem]:
    if not getattr(user, "organisation_id", None):
        return []
    return cached_for_organisation(
        user.organisation_id, f"deviation-tasks:{user.pk}:{get_language()}", lambda: _tasks(user)
    )


def _tasks(user: AnyUser) -> list[TaskItem]:
    day = today()
    cases = (
        Deviation.objects.open()
        .filter(organisation_id=user.organisation_id, handler_id=user.pk)
        .only("id", "number", "title", "deadline", "status")
        .order_by("deadline", "id")[:MAX_TASKS]
    )
    return [
        TaskItem(
            title=f"{case.reference} {case.title}",
            url=case.get_absolute_url(),
            due=case.deadline,
            context=_("Deviation to handle"),
            overdue=case.deadline < day,
        )
        for case in cases
    ]


# --- Reminders and escalation ------------------------------------------------------------------
def overdue_reminders(day: dt.date) -> Iterable[Reminder]:
    """The handler the day after the deadline. A case still open ESCALATE_AFTER_DAYS later goes
    to the next leader up (and again after as many days more), who is told at once."""
    cases = (
        Deviation.objects.overdue(day)
        .filter(handler__isnull=False)
        .select_related("handler", "unit")
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    for case in cases:
        late = (day - case.deadline).days
        due = late >= ESCALATE_AFTER_DAYS * (case.escalation_level + 1)
        if due and services.escalate_deviation(deviation=case) is not None:
            continue
        if case.handler is None or not case.handler.is_active:
            continue
        yield Reminder(
            key=f"deviation:{case.pk}:overdue:{case.deadline.isoformat()}:{case.handler_id}",
            user=case.handler,
            subject=_("Overdue since %(deadline)s: %(ref)s %(title)s")
            % {
                "deadline": case.deadline.strftime("%d.%m.%Y"),
                "ref": case.reference,
                "title": case.title,
            },
            body=_("The deviation has passed its deadline. Handle it or pass it on."),
            url=case.get_absolute_url(),
        )


# --- Figures for the årshjul and annual reports -------------------------------------------------
def _paths(request: FigureRequest) -> tuple[str, ...]:
    return request.unit_paths or (ALL,)


def deviations_figure(request: FigureRequest) -> Figure:
    paths = _paths(request)
    counts = queries.counts_in_period(request.organisation_id, paths, request.start, request.end)
    qs = queries.in_period(request.organisation_id, paths, request.start, request.end)
    ok, due = queries.closed_in_time_counts(qs, today())
    by_severity = dict(
        qs.values_list("severity").annotate(n=Count("id")).order_by().values_list("severity", "n")
    )
    rows = [(str(label), str(counts.get(value, 0))) for value, label in Deviation.Category.choices]
    rows.append((_("Total"), str(sum(counts.values()))))
    rows.append(
        (
            _("Closed within the deadline"),
            f"{Decimal(ok * 100 / due).quantize(Decimal('0.1'))} % ({ok}/{due})" if due else "–",
        )
    )
    svg = bar_chart(
        title=_("Deviations by severity"),
        description=_("Count per severity in the period."),
        labels=[str(label) for _v, label in Deviation.Severity.choices],
        series=[(_("Deviations"), [by_severity.get(v, 0) for v in Deviation.Severity.values])],
    )
    return Figure(
        title=_("Deviations %(start)s–%(end)s")
        % {"start": request.start.strftime("%d.%m.%Y"), "end": request.end.strftime("%d.%m.%Y")},
        rows=rows,
        svg=svg,
        url=reverse("deviations:statistics") + f"?ar={request.start.year}",
    )


def injuries_figure(request: FigureRequest) -> Figure:
    paths = _paths(request)
    qs = Injury.objects.filter(
        deviation__in=queries.in_period(request.organisation_id, paths, request.start, request.end)
    )
    result = qs.aggregate(
        total=Count("id"),
        injuries=Count("id", filter=Q(kind=Injury.Kind.INJURY)),
        illnesses=Count("id", filter=Q(kind=Injury.Kind.ILLNESS)),
        absence=Count("id", filter=Q(absence=True)),
        serious=Count("id", filter=Q(serious=True) | Q(fatal=True)),
    )
    rows = [
        (_("Injuries"), str(result["injuries"])),
        (_("Work-related illnesses"), str(result["illnesses"])),
        (_("With absence"), str(result["absence"])),
        (_("Serious injuries or deaths"), str(result["serious"])),
    ]
    note = ""
    if request.start.year == request.end.year:
        injuries, hours = queries._h_value_parts(request.organisation_id, paths, request.start.year)
        if hours:
            h = (Decimal(injuries) * 1_000_000 / hours).quantize(Decimal("0.1"))
            rows.append((_("H-value for the year"), str(h)))
        else:
            note = _("No hours worked recorded: the H-value cannot be computed.")
    return Figure(
        title=_("Injury and illness register"),
        rows=rows,
        url=reverse("deviations:injury_register") + f"?ar={request.start.year}",
        note=note,
    )


# --- Indicator for HMS goals ------------------------------------------------------------------
def closed_in_time_indicator(
    organisation_id: int, unit_paths: tuple[str, ...], start: dt.date, end: dt.date
) -> Decimal | None:
    qs = queries.in_period(organisation_id, unit_paths or (ALL,), start, end)
    ok, due = queries.closed_in_time_counts(qs, today())
    if not due:
        return None
    return (Decimal(ok) * 100 / due).quantize(Decimal("0.1"))


# --- Internal control § 5 no. 7 ------------------------------------------------------------------
def control_records(organisation_id: int, unit_path: str) -> list[Record]:
    day = today()
    qs = Deviation.objects.filter(organisation_id=organisation_id)
    if unit_path:
        qs = qs.filter(unit_path__startswith=unit_path)
    year_start = timezone.make_aware(dt.datetime(day.year, 1, 1))
    result = qs.aggregate(
        year=Count("id", filter=Q(occurred_at__gte=year_start)),
        open=Count("id", filter=~Q(status=Deviation.Status.CLOSED)),
        overdue=Count("id", filter=~Q(status=Deviation.Status.CLOSED) & Q(deadline__lt=day)),
    )
    latest = qs.filter(status=Deviation.Status.CLOSED).order_by("-closed_on", "-id").first()
    records = [
        Record(
            title=_(
                "Deviation register: %(year)s reported this year, %(open)s open, %(overdue)s overdue"
            )
            % result,
            url=reverse("deviations:statistics"),
            date=day,
            ok=result["overdue"] == 0,
        )
    ]
    if latest is not None:
        records.append(
            Record(
                title=_("Latest closed deviation: %(ref)s") % {"ref": latest.reference},
                url=latest.get_absolute_url(),
                date=latest.closed_on,
            )
        )
    return records
