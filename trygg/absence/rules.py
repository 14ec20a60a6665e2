"""The sick-leave rules as pure functions: no database, only dates and numbers.

Everything here is tested against the worked examples of ../shared/domain/rules.md §1–§2 and
NAV's own test vectors (nav_vectors.json); docs/absence.md lists which vectors map and which
do not. Units: one dagsverk (a full-time person's workday) is `DAY_UNITS` = 1,000,000 units, so
that days × position share (hundredths of a percent) × grade (whole percent) is an exact integer
and every sum is exact on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from trygg.lib.holidays import public_holidays

DAY = dt.timedelta(days=1)
DAY_UNITS = 1_000_000  # one dagsverk: 100.00 % position (10,000 hundredths) × grade 100
MASKING_THRESHOLD = 5  # NAV: fewer than 5 persons are personal data (rules.md §2.2)
NEW_CASE_GAP_DAYS = 16  # ≥ 16 non-sick days start a new oppfølgingstilfelle (rules.md §0.4)
SHORT_TERM_MAX_DAYS = 16  # korttid 1–16 calendar days, langtid 17+ (rules.md §2.2)
EMPLOYER_PERIOD_DAYS = 16  # arbeidsgiverperioden, ftrl § 8-19
MAX_BENEFIT_WEEKDAYS = 248  # ftrl § 8-12


# --- Workdays -------------------------------------------------------------------------------
_EPOCH = dt.date(1970, 1, 1)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_LAST = dt.date(2200, 12, 31)
# Weekdays among the first `rest` days of a week that starts on the epoch's weekday.
_PARTIAL_WEEK = [sum(1 for i in range(rest) if (_EPOCH.weekday() + i) % 7 < 5) for rest in range(7)]


@lru_cache(maxsize=1)
def _holiday_ordinals() -> list[int]:
    days = [
        day.toordinal()
        for year in range(_EPOCH.year, _LAST.year + 1)
        for day in public_holidays(year)
        if day.weekday() < 5
    ]
    return sorted(days)


def _weekdays_before(day: dt.date) -> int:
    """Monday–Friday from the epoch (a Thursday) up to but not including `day`."""
    weeks, rest = divmod(day.toordinal() - _EPOCH_ORDINAL, 7)
    return weeks * 5 + _PARTIAL_WEEK[rest]


def workdays_before(day: dt.date) -> int:
    """Workdays (weekdays minus Norwegian public holidays) from 1970 up to `day`, excluded: a
    prefix sum, so the workdays of any interval are one subtraction."""
    return _weekdays_before(day) - bisect_left(_holiday_ordinals(), day.toordinal())


def workdays(first: dt.date, last: dt.date) -> int:
    """Workdays from `first` to `last`, both included; 0 when last < first."""
    if last < first:
        return 0
    return workdays_before(last + DAY) - workdays_before(first)


# --- Percent, masking and quarters (NAV sykefravarsstatistikk-api) -----------------------------
def percent(lost: int | Fraction | Decimal, agreed: int | Fraction | Decimal) -> Decimal | None:
    """lost × 100 / agreed, rounded half-up to one decimal from the raw sums; None when there is
    nothing to divide by (NAV answers «Statistikkfeil»)."""
    if not agreed:
        return None
    value = Fraction(lost) * 100 / Fraction(agreed)
    tenths = (value * 10 * 2 + 1) // 2  # half-up for non-negative values
    return (Decimal(tenths.numerator) / Decimal(10)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def round_half_up(value: Decimal | Fraction, places: int = 1) -> Decimal:
    exponent = Decimal(1).scaleb(-places)
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(exponent, ROUND_HALF_UP)


def is_masked(persons: int, *, has_data: bool = True) -> bool:
    """Figures for fewer than 5 persons are masked; «no data» is not masked."""
    return has_data and persons < MASKING_THRESHOLD


def is_masked_over_quarters(persons_per_quarter: Sequence[int]) -> bool:
    """NAV masks a figure over several quarters only when every quarter has fewer than 5."""
    return bool(persons_per_quarter) and max(persons_per_quarter) < MASKING_THRESHOLD


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1–4

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        year, number = text.upper().split("Q")
        return cls(int(year), int(number))

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    def minus(self, quarters: int) -> Quarter:
        index = self.year * 4 + self.number - 1 - quarters
        return Quarter(index // 4, index % 4 + 1)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> dt.date:
        nxt = self.minus(-1)
        return nxt.first_day - DAY


@dataclass(frozen=True)
class QuarterFigures:
    quarter: Quarter
    lost: Decimal
    agreed: Decimal
    persons: int


def last_four_quarters(latest: Quarter, rows: Iterable[QuarterFigures]) -> list[QuarterFigures]:
    wanted = {latest.minus(i) for i in range(4)}
    return [row for row in rows if row.quarter in wanted]


def published_percent_over_quarters(rows: Sequence[QuarterFigures]) -> Decimal | None:
    """NAV's published «siste fire kvartaler»: each quarter's dagsverk rounded half-up to one
    decimal, then summed (not the mean of four percentages). Trygg's own statistics sum the raw
    dagsverk instead; this reproduces NAV's figure for comparison."""
    lost = sum((round_half_up(row.lost) for row in rows), Decimal(0))
    agreed = sum((round_half_up(row.agreed) for row in rows), Decimal(0))
    return percent(lost, agreed)


def trend(latest: QuarterFigures, year_before: QuarterFigures) -> Decimal | None:
    """Percent of the latest quarter minus the same quarter a year earlier (NAV: not masked)."""
    now, then = percent(latest.lost, latest.agreed), percent(year_before.lost, year_before.agreed)
    if now is None or then is None:
        return None
    return now - then


# NAV's duration categories (Varighetskategori): A–B are short term, C–F long term.
DURATION_CATEGORIES = {"A": (1, 7), "B": (8, 16), "C": (17, 56), "D": (57, 140), "E": (141, 273)}


def duration_category(calendar_days: int) -> str:
    for code, (low, high) in DURATION_CATEGORIES.items():
        if low <= calendar_days <= high:
            return code
    return "F"


def is_long_term(calendar_days: int) -> bool:
    return calendar_days > SHORT_TERM_MAX_DAYS


# --- Spells, chains and follow-up cases -----------------------------------------------------
@dataclass(frozen=True)
class Interval:
    first: dt.date
    last: dt.date
    grade: int = 100  # percent

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def chains(intervals: Iterable[Interval]) -> list[tuple[dt.date, dt.date]]:
    """Runs of absence without a single day between them (a sykefraværstilfelle in SSB's
    sense), which decide short or long term: 1–16 or 17+ calendar days."""
    runs: list[list[dt.date]] = []
    for spell in sorted(intervals, key=lambda s: s.first):
        if runs and spell.first <= runs[-1][1] + DAY:
            runs[-1][1] = max(runs[-1][1], spell.last)
        else:
            runs.append([spell.first, spell.last])
    return [(a, b) for a, b in runs]


@dataclass(frozen=True)
class CaseSpan:
    """An oppfølgingstilfelle: first and last sick day, and the number of sick days in it."""

    start: dt.date
    end: dt.date
    sick_days: int
    graded_at_end: bool

    @property
    def duration(self) -> int:
        """end − start in days, exclusive, as NAV's tests phrase it."""
        return (self.end - self.start).days


def follow_up_cases(intervals: Iterable[Interval]) -> list[CaseSpan]:
    """Merge sick days into oppfølgingstilfeller: a new case starts after at least 16
    consecutive non-sick calendar days (NAV isoppfolgingstilfelle, OppfolgingstilfelleDag.kt).
    Days without a record are non-sick, as in NAV's code. A case is graded at its end when no
    spell covering its last day is at 100 %."""
    spells = sorted(intervals, key=lambda s: (s.first, s.last))
    cases: list[CaseSpan] = []
    current: list[Interval] = []

    def close() -> None:
        sick = 0
        runs = chains(current)
        for first, last in runs:
            sick += (last - first).days + 1
        end = runs[-1][1]
        graded = all(spell.grade < 100 for spell in current if spell.first <= end <= spell.last)
        cases.append(CaseSpan(runs[0][0], end, sick, graded))

    for spell in spells:
        if current:
            end = max(s.last for s in current)
            gap = (spell.first - end).days - 1
            if gap >= NEW_CASE_GAP_DAYS:
                close()
                current = []
        current.append(spell)
    if current:
        close()
    return cases


def duration_in_weeks(start: dt.date, end: dt.date, sick_days: int | None) -> int:
    """NAV isaktivitetskrav: (sick days, or end − start + 1) // 7."""
    days = sick_days if sick_days is not None else (end - start).days + 1
    return days // 7


def activity_requirement_applies(sick_days: int) -> bool:
    """NAV creates the aktivitetskrav when the case has at least 8 weeks of sick days."""
    return sick_days // 7 >= 8


def dm2_candidate_date(start: dt.date) -> dt.date:
    """NAV's dialogmøte-kandidat stoppunkt: start + 119 days (day 120)."""
    return start + dt.timedelta(days=119)


def is_dm2_candidate(start: dt.date, end: dt.date, meeting_held_since_start: bool) -> bool:
    return not meeting_held_since_start and end >= dm2_candidate_date(start)


NOTICE_39_WEEKS_DAY = 39 * 7 + 1  # 274


def notice_39_weeks(last_day: dt.date, sick_days: int) -> dt.date | None:
    """NAV's «39-week» notice goes on sick day 274, counted back from the last sick day
    (esyfovarsel VarselUtil.kt); None when the case never reaches day 274."""
    if sick_days < NOTICE_39_WEEKS_DAY:
        return None
    return last_day - dt.timedelta(days=sick_days - NOTICE_39_WEEKS_DAY)


@dataclass(frozen=True)
class EmployerPeriod:
    first: dt.date
    last: dt.date
    used_up: bool  # a 17th counted day exists: NAV pays from then


def employer_period(intervals: Iterable[Interval]) -> EmployerPeriod | None:
    """Arbeidsgiverperioden (ftrl § 8-19): 16 sick calendar days counted from the first, also
    across gaps shorter than 16 days; a gap of 16 days or more starts a new count. Used up only
    when a 17th day is counted (NAV flex-syketilfelle)."""
    days = sorted({s.first + DAY * i for s in intervals for i in range(s.days)})
    if not days:
        return None
    counted: list[dt.date] = []
    for day in days:
        if counted and (day - counted[-1]).days - 1 >= NEW_CASE_GAP_DAYS:
            if len(counted) > EMPLOYER_PERIOD_DAYS:
                break  # the period was used up; a later one belongs to a later case
            counted = []
        counted.append(day)
    period = counted[:EMPLOYER_PERIOD_DAYS]
    return EmployerPeriod(period[0], period[-1], len(counted) > EMPLOYER_PERIOD_DAYS)


def maximum_date(start: dt.date) -> dt.date:
    """Approximate maksdato for continuous sick leave from `start`: the 248th weekday
    (Monday–Friday) from day 17, after the employer period (ftrl § 8-12; NAV helse-spleis
    counts weekdays only). Always prefer NAV's own date from the decision (vedtak)."""
    day = start + dt.timedelta(days=EMPLOYER_PERIOD_DAYS) - DAY
    counted = 0
    while counted < MAX_BENEFIT_WEEKDAYS:
        day += DAY
        if day.weekday() < 5:
            counted += 1
    return day


def has_recurring_absence(
    cases: Iterable[tuple[dt.date, dt.date, int | None]], today: dt.date
) -> bool:
    """NAV isoppfolgingstilfelle «gjentakende sykefravær»: among cases of at least 16 days that
    ended within the last 36 months, 5 or more with 100+ days in total, or 2 or more with 300+."""
    window_start = _months_before(today, 36)
    relevant = []
    for start, end, sick_days in cases:
        days = sick_days if sick_days is not None else (end - start).days + 1
        if days >= 16 and end >= window_start:
            relevant.append(days)
    total = sum(relevant)
    return (len(relevant) >= 5 and total >= 100) or (len(relevant) >= 2 and total >= 300)


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


# --- Milestones of a follow-up case (rules.md §0.3, §1) --------------------------------------
CONSERVATIVE = "conservative"
NAV_STYLE = "nav"


@dataclass(frozen=True)
class MilestoneRule:
    code: str
    weeks: int | None  # the law's «N weeks», None for rules given in days


def due_in_weeks(start: dt.date, weeks: int, convention: str = CONSERVATIVE) -> dt.date:
    """«At the latest when absent for N weeks»: the last day of week N (start + 7N − 1), or
    NAV-style start + 7N (rules.md §0.3)."""
    days = 7 * weeks - 1 if convention == CONSERVATIVE else 7 * weeks
    return start + dt.timedelta(days=days)


def activity_requirement_date(start: dt.date) -> dt.date:
    """start + 8 weeks − 1 day (day 56), the same under both conventions (NAV isaktivitetskrav)."""
    return start + dt.timedelta(weeks=8) - DAY


def employer_period_end(start: dt.date) -> dt.date:
    return start + dt.timedelta(days=EMPLOYER_PERIOD_DAYS - 1)


def notice_39_weeks_date(start: dt.date) -> dt.date:
    return start + dt.timedelta(days=NOTICE_39_WEEKS_DAY - 1)


def duration_weeks_until(case: CaseSpan, day: dt.date) -> int:
    """NAV isoppfolgingstilfelle `varighetUker`: sick days up to `day`, minus every non-sick day
    of the case (also future ones), in whole weeks, never below 0."""
    gross = (min(day, case.end) - case.start).days + 1
    total = (case.end - case.start).days + 1
    return max(0, gross - (total - case.sick_days)) // 7


def plan_39_week_notice(
    first: dt.date, last: dt.date, sick_days: int, day: dt.date, sent: Iterable[dt.date] = ()
) -> dt.date | None:
    """When NAV's 39-week notice goes, or None: not when its date is past, nor when a notice
    was already sent within this period of absence (esyfovarsel)."""
    date = notice_39_weeks(last, sick_days)
    if date is None or date < day:
        return None
    if any(first <= previous <= last for previous in sent):
        return None
    return date


@dataclass(frozen=True)
class QuarterRow:
    quarter: Quarter
    lost: Decimal
    agreed: Decimal
    persons: int


@dataclass(frozen=True)
class PublishedFigure:
    percent: Decimal | None
    lost: Decimal | None
    agreed: Decimal | None
    persons: int
    masked: bool
    quarters: tuple[Quarter, ...]


def published_last_four(latest: Quarter, rows: Iterable[QuarterRow]) -> PublishedFigure:
    """NAV's published figure over the latest four quarters: each quarter's dagsverk rounded
    half-up to one decimal and summed; masked when no quarter has 5 persons (the maximum of
    any one quarter counts, not the sum)."""
    wanted = {latest.minus(i) for i in range(4)}
    inside = [row for row in rows if row.quarter in wanted]
    lost = sum((round_half_up(row.lost) for row in inside), Decimal(0))
    agreed = sum((round_half_up(row.agreed) for row in inside), Decimal(0))
    per_quarter: dict[Quarter, int] = {}
    for row in inside:
        per_quarter[row.quarter] = max(per_quarter.get(row.quarter, 0), row.persons)
    persons = max(per_quarter.values(), default=0)
    masked = bool(inside) and is_masked_over_quarters(list(per_quarter.values()))
    return PublishedFigure(
        None if masked else percent(lost, agreed),
        None if masked else lost,
        None if masked else agreed,
        persons,
        masked,
        tuple(sorted({row.quarter for row in inside})),
    )
