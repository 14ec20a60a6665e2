"""Reads for the safety-round pages, the status figures, "Mine oppgaver" and the API, each in a
constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr

from trygg.actions.models import ActionItem
from trygg.deviations.models import Deviation
from trygg.org.models import PATH_SEGMENT_WIDTH, Employment, SafetyRepresentative, Unit
from trygg.safety_rounds.models import (
    Answer,
    Finding,
    Kind,
    Participant,
    Photo,
    SafetyRound,
    Settings,
)


def settings_for(organisation_id: int) -> Settings:
    """The organisation's settings; the defaults (1 March, 14 days) until someone saves them."""
    found = Settings.objects.filter(organisation_id=organisation_id).first()
    return found or Settings(organisation_id=organisation_id)


# --- Who takes part ------------------------------------------------------------------------
def round_people(
    organisation_id: int, units: Sequence[Unit], on: dt.date | None = None
) -> dict[int, tuple[list[int], list[int]]]:
    """For each unit: (leader person ids, verneombud person ids). The leader is whoever has
    personnel responsibility in the unit, else in the nearest unit above it; the verneombud is
    the one whose safety area covers the unit, else the nearest unit above it. Three queries
    however many units."""
    from trygg.lib.dates import today

    day = on or today()
    leaders: dict[int, list[int]] = defaultdict(list)
    for unit_id, person_id in (
        Employment.objects.current(day)
        .filter(organisation_id=organisation_id, is_leader=True)
        .values_list("unit_id", "person_id")
        .order_by("person__last_name", "person_id")
    ):
        if person_id not in leaders[unit_id]:
            leaders[unit_id].append(person_id)
    reps: dict[int, list[int]] = defaultdict(list)
    for unit_id, person_id in (
        SafetyRepresentative.objects.serving(day)
        .filter(organisation_id=organisation_id, area__isnull=False)
        .values_list("area__units", "person_id")
        .order_by("person__last_name", "person_id")
    ):
        if unit_id is not None and person_id not in reps[unit_id]:
            reps[unit_id].append(person_id)

    def nearest(found: dict[int, list[int]], unit: Unit) -> list[int]:
        for ancestor in reversed(unit.ancestor_ids()):
            if found.get(ancestor):
                return list(found[ancestor])
        return []

    return {unit.pk: (nearest(leaders, unit), nearest(reps, unit)) for unit in units}


# --- One round -----------------------------------------------------------------------------
def current_answers(round_: SafetyRound) -> dict[str, Answer]:
    """The answer that counts for each question: the newest one given before closing."""
    current: dict[str, Answer] = {}
    for answer in Answer.objects.filter(round=round_, is_late=False).order_by(
        "answered_at", "received_at", "id"
    ):
        current[answer.question_key] = answer
    return current


@dataclass
class QuestionView:
    key: str
    text: str
    type: str
    guidance: str
    unit: str
    answer: Answer | None = None
    photos: list[Photo] = field(default_factory=list)
    finding: Finding | None = None


@dataclass
class SectionView:
    key: str
    title: str
    questions: list[QuestionView]


@dataclass
class RoundView:
    round: SafetyRound
    sections: list[SectionView]
    participants: list[Participant]
    findings: list[Finding]
    late_answers: list[Answer]
    late_photos: list[Photo]
    answered: int
    total: int
    deviations: int

    @property
    def signers(self) -> list[Participant]:
        return [p for p in self.participants if p.must_sign]

    @property
    def has_safety_rep(self) -> bool:
        return any(p.role == Participant.Role.SAFETY_REP for p in self.participants)


def round_view(round_: SafetyRound) -> RoundView:
    """Everything a round's pages and its report show, in a fixed number of queries."""
    answers = current_answers(round_)
    photos: dict[str, list[Photo]] = defaultdict(list)
    late_photos = []
    for photo in Photo.objects.filter(round=round_).order_by("uploaded_at", "id"):
        (late_photos if photo.is_late else photos[photo.question_key]).append(photo)
    findings = list(
        Finding.objects.filter(round=round_)
        .select_related("owner", "deviation__handler", "action_item__owner")
        .order_by("id")
    )
    by_key = {finding.question_key: finding for finding in findings}
    sections = []
    answered = total = deviations = 0
    for section in round_.template_version.content["sections"]:
        questions = []
        for q in section["questions"]:
            answer = answers.get(q["key"])
            view = QuestionView(
                key=q["key"],
                text=q["text"],
                type=q["type"],
                guidance=q.get("guidance", ""),
                unit=q.get("unit", ""),
                answer=answer,
                photos=photos.get(q["key"], []),
                finding=by_key.get(q["key"]),
            )
            total += 1
            if answer is not None and (answer.value or answer.number is not None or answer.text):
                answered += 1
            if answer is not None and answer.value == Answer.Value.DEVIATION:
                deviations += 1
            questions.append(view)
        sections.append(SectionView(section["key"], section["title"], questions))
    participants = list(
        round_.participants.select_related("person").order_by("role", "person__last_name")
    )
    late = list(
        Answer.objects.filter(round=round_, is_late=True)
        .select_related("answered_by")
        .order_by("received_at")
    )
    return RoundView(
        round=round_,
        sections=sections,
        participants=participants,
        findings=findings,
        late_answers=late,
        late_photos=late_photos,
        answered=answered,
        total=total,
        deviations=deviations,
    )


def deviation_questions(view: RoundView) -> list[QuestionView]:
    return [
        q
        for section in view.sections
        for q in section.questions
        if q.answer is not None and q.answer.value == Answer.Value.DEVIATION
    ]


# --- Lists ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class RoundFilter:
    year: int | None = None
    kind: str = ""
    status: str = ""  # "", a Status value, or "overdue"
    unit: Unit | None = None


def filter_rounds(
    rounds: QuerySet[SafetyRound], flt: RoundFilter, *, on: dt.date
) -> QuerySet[SafetyRound]:
    if flt.year:
        rounds = rounds.filter(year=flt.year)
    if flt.kind:
        rounds = rounds.filter(kind=flt.kind)
    if flt.unit is not None:
        rounds = rounds.filter(unit__path__startswith=flt.unit.path)
    if flt.status == "overdue":
        rounds = rounds.overdue(on)
    elif flt.status:
        rounds = rounds.filter(status=flt.status)
    return rounds.select_related("unit").order_by("deadline", "unit__path", "id")


def rounds_of_person(person_id: int | None) -> QuerySet[SafetyRound]:
    """Open rounds the person takes part in and has not signed."""
    if person_id is None:
        return SafetyRound.objects.none()
    return (
        SafetyRound.objects.open()
        .filter(participants__person_id=person_id, participants__signed_at__isnull=True)
        .select_related("unit")
        .distinct()
        .order_by("deadline", "id")
    )


# --- Status --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Status:
    """Rounds done, overdue and open findings for a set of units and a year."""

    label: str
    path: str
    total: int = 0
    done: int = 0
    overdue: int = 0
    open_findings: int = 0
    findings: int = 0

    @property
    def unit_id(self) -> int | None:
        """The unit the row is about (the last segment of its path)."""
        return int(self.path[-PATH_SEGMENT_WIDTH - 1 : -1]) if self.path else None

    @property
    def not_done(self) -> int:
        return self.total - self.done

    @property
    def percent_done(self) -> int | None:
        return round(self.done * 100 / self.total) if self.total else None


def _open_findings(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    return findings.filter(
        Q(deviation__isnull=False) & ~Q(deviation__status=Deviation.Status.CLOSED)
        | Q(action_item__status__in=ActionItem.OPEN_STATUSES)
    )


def status_by_area(
    organisation_id: int,
    year: int,
    on: dt.date,
    *,
    paths: tuple[str, ...] = ("",),
    depth: int = 1,
    kind: str = Kind.SAFETY_ROUND,
) -> tuple[Status, list[Status]]:
    """The status of the year's rounds in the units under `paths` (empty path: everything),
    as a total and grouped by the unit `depth` levels down the tree (1: kommunalområde).
    Three grouped queries however many units and rounds."""
    width = (PATH_SEGMENT_WIDTH + 1) * (depth + 1)
    scope = Q()
    for prefix in paths:
        scope |= Q(unit__path__startswith=prefix)
    rounds = SafetyRound.objects.filter(organisation_id=organisation_id, year=year, kind=kind)
    rounds = rounds.filter(scope)
    grouped = (
        rounds.annotate(group=Substr("unit__path", 1, width))
        .values("group")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=SafetyRound.Status.COMPLETED)),
            overdue=Count(
                "id", filter=~Q(status=SafetyRound.Status.COMPLETED) & Q(deadline__lt=on)
            ),
        )
        .order_by("group")
    )
    rows = {row["group"]: row for row in grouped}
    finding_scope = Q()
    for prefix in paths:
        finding_scope |= Q(round__unit__path__startswith=prefix)
    findings = Finding.objects.filter(
        organisation_id=organisation_id, round__year=year, round__kind=kind
    ).filter(finding_scope)
    open_rows = {
        row["group"]: row["n"]
        for row in _open_findings(findings)
        .annotate(group=Substr(F("round__unit__path"), 1, width))
        .values("group")
        .annotate(n=Count("id"))
        .order_by()
    }
    all_rows = {
        row["group"]: row["n"]
        for row in findings.annotate(group=Substr(F("round__unit__path"), 1, width))
        .values("group")
        .annotate(n=Count("id"))
        .order_by()
    }
    groups = sorted(set(rows) | set(open_rows))
    names = dict(
        Unit.objects.filter(organisation_id=organisation_id, path__in=groups).values_list(
            "path", "name"
        )
    )
    items = [
        Status(
            label=names.get(group, ""),
            path=group,
            total=rows.get(group, {}).get("total", 0),
            done=rows.get(group, {}).get("done", 0),
            overdue=rows.get(group, {}).get("overdue", 0),
            open_findings=open_rows.get(group, 0),
            findings=all_rows.get(group, 0),
        )
        for group in groups
    ]
    total = Status(
        label="",
        path="",
        total=sum(s.total for s in items),
        done=sum(s.done for s in items),
        overdue=sum(s.overdue for s in items),
        open_findings=sum(s.open_findings for s in items),
        findings=sum(s.findings for s in items),
    )
    return total, items


def years_with_rounds(organisation_id: int) -> list[int]:
    return list(
        SafetyRound.objects.filter(organisation_id=organisation_id)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
