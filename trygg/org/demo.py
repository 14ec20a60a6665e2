"""The demo municipality behind `trygg demo`, and a large one for benchmarks.

`build_demo()` makes "Demo kommune": about 300 employees in 15 units under three kommunalområder,
with verneombud, AMU/HAMU/L-AMU, union representatives, a BHT and one login per role. It writes
through the org services, so paths, validation and the audit log are exactly as in real use.

`build_large()` makes an organisation of any size (50,000 employees in about 2,000 units) with
bulk inserts and a single audit event, for load tests.

Both are deterministic: a fixed random seed picks names, units and positions. Hire and leaving
dates lie before the fixed `HIRED_BEFORE`, and current staff have no end date, so they stay
employed whatever day the demo is built. Terms of office (verneombud, committee members, union
representatives) and constitutions are 2-year terms that started on 1 January last year, so the
role logins work on the day the demo is built; runs in the same calendar year are identical.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps as django_apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import ProtectedError

from trygg.accounts.models import Organisation, User
from trygg.audit.models import AuditEntry
from trygg.audit.services import record_event
from trygg.lib import demo as demo_steps
from trygg.lib.dates import add_years, today
from trygg.org import services
from trygg.org.models import (
    Committee,
    CommitteeMember,
    CommitteeYear,
    Employment,
    OHSContact,
    OHSProvider,
    Person,
    RoleGrant,
    SafetyArea,
    SafetyRepresentative,
    UnionRepresentative,
    Unit,
    path_segment,
)

DEMO_SLUG = "demo"
DEMO_NAME = "Demo kommune"
LARGE_SLUG = "demo-large"
LARGE_NAME = "Storby kommune"
DEMO_PASSWORD = "trygg-demo-2026"  # documented in README and printed by `trygg demo-logins`
SEED = 20260101
HIRED_BEFORE = dt.date(2025, 8, 1)
BATCH_SIZE = 2000  # rows per INSERT; PostgreSQL allows at most 65,535 parameters per query

Side = CommitteeMember.Side
Office = CommitteeMember.Office


# --- Logins -------------------------------------------------------------------------------
@dataclass(frozen=True)
class LoginRole:
    role: str
    username: str
    label: str


LOGIN_ROLES: tuple[LoginRole, ...] = (
    LoginRole("admin", "admin", "Systemadministrator"),
    LoginRole("hms", "hms", "HMS-koordinator"),
    LoginRole("hr", "hr", "HR / personal"),
    LoginRole("bht", "bht", "Bedriftshelsetjenesten (BHT)"),
    LoginRole("leader", "leder", "Leder med personalansvar"),
    LoginRole("safety_rep", "verneombud", "Verneombud"),
    LoginRole("main_safety_rep", "hvo", "Hovedverneombud"),
    LoginRole("amu_member", "amu", "Medlem av AMU"),
    LoginRole("secretary", "sekretaer", "Sekretær for HAMU og AMU"),
    LoginRole("employee", "ansatt", "Ansatt"),
)
_GRANTS = {
    "admin": RoleGrant.Role.ADMIN,
    "hms": RoleGrant.Role.HMS_COORDINATOR,
    "hr": RoleGrant.Role.HR,
    "bht": RoleGrant.Role.BHT,
}


def username_for(slug: str, base: str) -> str:
    """The username: "admin" in the demo organisation, "<slug>-admin" in any other."""
    return base if slug == DEMO_SLUG else f"{slug}-{base}"


def demo_logins(slug: str = DEMO_SLUG) -> list[dict[str, str]]:
    """The logins of a generated organisation that exist in the database, for scripts."""
    names = {username_for(slug, role.username): role for role in LOGIN_ROLES}
    users = {
        user.username: user
        for user in User.objects.filter(organisation__slug=slug, username__in=list(names))
    }
    return [
        {
            "role": role.role,
            "username": username,
            "password": DEMO_PASSWORD,
            "name": users[username].get_full_name() or username,
        }
        for username, role in names.items()
        if username in users
    ]


def login_label(role: str) -> str:
    return next(item.label for item in LOGIN_ROLES if item.role == role)


def conflicting_usernames(slug: str) -> list[str]:
    """Demo usernames already taken by users outside the organisation `slug`."""
    wanted = [username_for(slug, role.username) for role in LOGIN_ROLES]
    return sorted(
        User.objects.filter(username__in=wanted)
        .exclude(organisation__slug=slug)
        .values_list("username", flat=True)
    )


# --- Names --------------------------------------------------------------------------------
# fmt: off
FEMALE_NAMES = (
    "Anne", "Inger", "Kari", "Marit", "Ingrid", "Liv", "Eva", "Berit", "Astrid", "Bjørg", "Hilde",
    "Anna", "Solveig", "Marianne", "Randi", "Ida", "Nina", "Maria", "Elisabeth", "Kristin", "Bente",
    "Heidi", "Silje", "Hanne", "Tone", "Camilla", "Ingeborg", "Sigrid", "Åse", "Gro", "Torill",
    "Guro", "Mari", "Maren", "Sofie", "Nora", "Emma", "Thea", "Ragnhild", "Wenche", "Grete", "Linn",
    "Synnøve", "Øydis", "Sølvi", "Trude", "Line", "Mette", "Karoline", "Julie", "Amalie", "Ane",
    "Fatima", "Aisha", "Agnieszka", "Linh", "Marte", "Tuva", "Vigdis", "Turid",
)
MALE_NAMES = (
    "Jan", "Per", "Bjørn", "Ole", "Lars", "Kjell", "Knut", "Arne", "Svein", "Thomas", "Hans", "Geir",
    "Tor", "Morten", "Terje", "Odd", "Erik", "Martin", "Andreas", "Jon", "Rune", "Anders", "Trond",
    "Tore", "Harald", "Jørgen", "Øyvind", "Håkon", "Espen", "Magnus", "Sindre", "Even", "Ståle",
    "Åge", "Sigurd", "Eirik", "Kristian", "Henrik", "Jonas", "Mathias", "Stian", "Vegard", "Ørjan",
    "Ali", "Mohammed", "Piotr", "Tomasz", "Ahmed", "Endre", "Kåre",
)
LAST_NAMES = (
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Johannessen",
    "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen", "Lund", "Sørensen",
    "Jakobsen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg", "Svendsen", "Eide", "Knutsen",
    "Martinsen", "Paulsen", "Bakken", "Kristoffersen", "Mathisen", "Lie", "Amundsen", "Nguyen",
    "Rasmussen", "Lunde", "Solheim", "Berge", "Moe", "Nygård", "Bakke", "Kristensen", "Fredriksen",
    "Holm", "Lien", "Hauge", "Christensen", "Andresen", "Knudsen", "Evensen", "Sæther", "Aas",
    "Myhre", "Haugland", "Thomassen", "Sandvik", "Brekke", "Ødegård", "Østby", "Aasen", "Åsheim",
    "Bråten", "Grønli", "Løvås", "Følstad", "Tveit", "Røed", "Sæterdal", "Kvalheim", "Vik", "Næss",
    "Hovland", "Bjørnstad", "Kowalski", "Nowak", "Ahmed", "Hussain", "Tran", "Mohamed", "Ali",
)
# fmt: on
_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", " ": "", "-": ""})


def _email_part(text: str) -> str:
    text = text.lower().translate(_ASCII)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# --- Professions ----------------------------------------------------------------------------
# Position percentages typical of each sector: many part-time positions in health and care.
_HEALTH_PERCENT = ((100, 30), (80, 18), (75, 14), (60, 12), (50, 16), (40, 6), (30, 4))
_SCHOOL_PERCENT = ((100, 70), (80, 14), (60, 10), (50, 6))
_OFFICE_PERCENT = ((100, 85), (80, 10), (60, 5))
_TECH_PERCENT = ((100, 75), (80, 8), (60, 9), (50, 8))
_CULTURE_PERCENT = ((100, 45), (80, 20), (60, 15), (40, 12), (20, 8))


@dataclass(frozen=True)
class Profession:
    """What the staff of one kind of unit look like."""

    titles: tuple[tuple[str, int], ...]
    percents: tuple[tuple[int, int], ...]
    female_share: float
    temporary_share: float = 0.04
    on_call_share: float = 0.02
    department_names: tuple[str, ...] = ()


# fmt: off
PROFESSIONS: dict[str, Profession] = {
    "nursing_home": Profession(
        (("Sykepleier", 26), ("Helsefagarbeider", 38), ("Assistent", 18), ("Spesialsykepleier", 5),
         ("Ergoterapeut", 3), ("Miljøterapeut", 4), ("Kokk", 3), ("Merkantil konsulent", 3)),
        _HEALTH_PERCENT, 0.85, 0.10, 0.08,
        ("Avdeling Furu", "Avdeling Bjørk", "Avdeling Eik", "Avdeling Lind", "Avdeling Rogn",
         "Skjermet avdeling", "Korttidsavdelingen", "Avdeling Osp"),
    ),
    "home_care": Profession(
        (("Sykepleier", 30), ("Helsefagarbeider", 40), ("Assistent", 14), ("Vernepleier", 8),
         ("Fysioterapeut", 4), ("Merkantil konsulent", 4)),
        _HEALTH_PERCENT, 0.85, 0.10, 0.07,
        ("Sone nord", "Sone sør", "Sone øst", "Sone vest", "Nattpatruljen", "Hverdagsrehabilitering"),
    ),
    "disability": Profession(
        (("Vernepleier", 25), ("Miljøarbeider", 35), ("Helsefagarbeider", 20), ("Assistent", 15),
         ("Sosionom", 5)),
        _HEALTH_PERCENT, 0.75, 0.10, 0.06,
        ("Bofellesskapet Tunet", "Aktivitetssenteret", "Avlastningsboligen", "Bofellesskapet Lia"),
    ),
    "gp": Profession(
        (("Fastlege", 4), ("Helsesekretær", 4), ("Sykepleier", 2), ("Lege i spesialisering", 1)),
        ((100, 60), (80, 25), (60, 15)), 0.7,
    ),
    "nav": Profession(
        (("Veileder", 6), ("Sosionom", 3), ("Saksbehandler", 3), ("Rådgiver", 1)),
        _OFFICE_PERCENT, 0.75,
    ),
    "health_station": Profession(
        (("Helsesykepleier", 5), ("Jordmor", 1), ("Fysioterapeut", 1), ("Helsesekretær", 1)),
        _SCHOOL_PERCENT, 0.9,
    ),
    "school": Profession(
        (("Lærer", 40), ("Lektor", 18), ("Adjunkt", 15), ("Assistent", 12), ("Miljøarbeider", 7),
         ("Spesialpedagog", 4), ("Skolesekretær", 2), ("Rådgiver", 2)),
        _SCHOOL_PERCENT, 0.72, 0.06, 0.02,
        ("Småtrinnet", "Mellomtrinnet", "Ungdomstrinnet", "SFO", "Forsterket avdeling"),
    ),
    "kindergarten": Profession(
        (("Barnehagelærer", 25), ("Pedagogisk leder", 20), ("Barne- og ungdomsarbeider", 25),
         ("Assistent", 25), ("Spesialpedagog", 5)),
        ((100, 65), (80, 18), (60, 12), (50, 5)), 0.9, 0.08, 0.03,
        ("Avdeling Marihøna", "Avdeling Humla", "Avdeling Ekornet", "Avdeling Tusenfryd"),
    ),
    "ppt": Profession(
        (("PP-rådgiver", 5), ("Logoped", 1), ("Spesialpedagog", 1)), _OFFICE_PERCENT, 0.8,
    ),
    "roads": Profession(
        (("Fagarbeider", 40), ("Maskinfører", 20), ("Driftsoperatør", 20), ("Ingeniør", 10),
         ("Formann", 5)),
        _TECH_PERCENT, 0.15, 0.05, 0.03,
        ("Vei og park", "Vann og avløp", "Renovasjon", "Verkstedet"),
    ),
    "property": Profession(
        (("Renholder", 40), ("Byggdrifter", 25), ("Vaktmester", 15), ("Tømrer", 10),
         ("Ingeniør", 5)),
        _TECH_PERCENT, 0.45, 0.06, 0.04,
        ("Renhold", "Bygg og vedlikehold", "Prosjekt"),
    ),
    "planning": Profession(
        (("Saksbehandler", 4), ("Byggesaksbehandler", 4), ("Arealplanlegger", 3), ("Ingeniør", 2),
         ("Kart- og oppmålingsingeniør", 1)),
        _OFFICE_PERCENT, 0.5,
    ),
    "culture": Profession(
        (("Bibliotekar", 30), ("Kulturskolelærer", 40), ("Kulturkonsulent", 15),
         ("Biblioteksassistent", 15)),
        _CULTURE_PERCENT, 0.6, 0.06, 0.03,
        ("Biblioteket", "Kulturskolen", "Ungdomsklubben", "Kino og kulturhus"),
    ),
    "staff": Profession(
        (("Rådgiver", 30), ("HR-rådgiver", 15), ("Økonomirådgiver", 20), ("Controller", 5),
         ("Arkivar", 10), ("IT-rådgiver", 15), ("Lønnskonsulent", 10)),
        _OFFICE_PERCENT, 0.6,
        department_names=("Personal", "Økonomi", "IT", "Dokumentsenteret", "Lønn"),
    ),
}


@dataclass(frozen=True)
class _UnitPlan:
    name: str
    code: str
    profession: str
    staff: int  # employees besides the unit's and the departments' leaders
    leader_title: str = "Enhetsleder"
    departments: tuple[str, ...] = ()
    local_committee: bool = False


@dataclass(frozen=True)
class _AreaPlan:
    name: str
    code: str
    leader_title: str
    units: tuple[_UnitPlan, ...]


DEMO_AREAS: tuple[_AreaPlan, ...] = (
    _AreaPlan("Helse og omsorg", "2000", "Kommunalsjef helse og omsorg", (
        _UnitPlan("Solbakken sykehjem", "2100", "nursing_home", 56, "Enhetsleder",
                  ("Avdeling Furu", "Avdeling Bjørk", "Skjermet avdeling"), local_committee=True),
        _UnitPlan("Hjemmetjenesten", "2200", "home_care", 38, "Enhetsleder",
                  ("Hjemmetjenesten nord", "Hjemmetjenesten sør"), local_committee=True),
        _UnitPlan("Demo legekontor", "2300", "gp", 8, "Kommuneoverlege"),
        _UnitPlan("NAV Demo", "2400", "nav", 10, "NAV-leder"),
        _UnitPlan("Miljøtjenesten", "2500", "disability", 16, "Enhetsleder",
                  ("Bofellesskapet Tunet", "Aktivitetssenteret")),
    )),
    _AreaPlan("Oppvekst", "3000", "Kommunalsjef oppvekst", (
        _UnitPlan("Nordby skole", "3100", "school", 28, "Rektor",
                  ("Småtrinnet", "Mellomtrinnet"), local_committee=True),
        _UnitPlan("Sentrum ungdomsskole", "3200", "school", 24, "Rektor"),
        _UnitPlan("Lia barnehage", "3300", "kindergarten", 12, "Styrer"),
        _UnitPlan("Solsikken barnehage", "3400", "kindergarten", 10, "Styrer"),
        _UnitPlan("PP-tjenesten", "3500", "ppt", 5, "Leder PPT"),
        _UnitPlan("Helsestasjon og skolehelsetjeneste", "3600", "health_station", 6, "Avdelingsleder"),
    )),
    _AreaPlan("Teknikk og samfunn", "4000", "Kommunalsjef teknikk og samfunn", (
        _UnitPlan("Kommunalteknikk", "4100", "roads", 18, "Enhetsleder", ("Vei og park", "Vann og avløp")),
        _UnitPlan("Eiendom", "4200", "property", 20, "Eiendomssjef", ("Renhold", "Bygg og vedlikehold")),
        _UnitPlan("Byggesak og plan", "4300", "planning", 7, "Enhetsleder"),
        _UnitPlan("Kultur", "4400", "culture", 10, "Kultursjef", ("Biblioteket", "Kulturskolen")),
    )),
)
STAFF_UNIT = _UnitPlan("Kommunedirektørens stab", "1100", "staff", 9, "Organisasjonssjef")
# Verneområder: (name, unit codes); a unit's departments are covered with it.
DEMO_SAFETY_AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Solbakken sykehjem", ("2100",)),
    ("Hjemmetjenesten", ("2200",)),
    ("Helsehuset", ("2300", "3600")),
    ("NAV Demo", ("2400",)),
    ("Miljøtjenesten", ("2500",)),
    ("Nordby skole", ("3100",)),
    ("Sentrum ungdomsskole og PPT", ("3200", "3500")),
    ("Lia barnehage", ("3300",)),
    ("Solsikken barnehage", ("3400",)),
    ("Teknisk drift", ("4100",)),
    ("Eiendom", ("4200",)),
    ("Kulturhuset", ("4400",)),
    ("Rådhuset", ("1000", "2000", "3000", "4000", "1100", "4300")),
)
# fmt: on
UNIONS = {
    "fagforbundet": "Fagforbundet",
    "nsf": "Norsk Sykepleierforbund",
    "udf": "Utdanningsforbundet",
    "fo": "Fellesorganisasjonen (FO)",
    "delta": "Delta",
    "nito": "NITO",
}
_UNION_TITLES = {
    "fagforbundet": (
        "Helsefagarbeider",
        "Assistent",
        "Fagarbeider",
        "Renholder",
        "Miljøarbeider",
        "Barne- og ungdomsarbeider",
        "Byggdrifter",
    ),
    "nsf": ("Sykepleier", "Spesialsykepleier", "Helsesykepleier"),
    "udf": ("Lærer", "Lektor", "Adjunkt", "Barnehagelærer", "Pedagogisk leder"),
    "fo": ("Vernepleier", "Sosionom", "Miljøterapeut"),
    "delta": ("Saksbehandler", "Helsesekretær", "Merkantil konsulent", "Veileder"),
    "nito": ("Ingeniør", "Kart- og oppmålingsingeniør"),
}


def _weighted(rng: random.Random, options: Sequence[tuple[object, int]]) -> object:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


@dataclass
class _Staff:
    person: Person
    unit: Unit
    title: str
    percent: int
    is_leader: bool
    employment_type: str
    start_date: dt.date


@dataclass
class _Draft:
    """A person and position chosen by the random generator, before it is saved."""

    first_name: str
    last_name: str
    email: str
    title: str
    percent: int
    employment_type: str
    start_date: dt.date
    end_date: dt.date | None = None
    is_leader: bool = False


class _People:
    """Deterministic names, e-mail addresses, positions and dates."""

    def __init__(self, rng: random.Random, slug: str) -> None:
        self.rng = rng
        self.domain = f"{slug}.kommune.example"
        self.emails: Counter[str] = Counter()

    def _past(self, min_days: int, max_days: int) -> dt.date:
        return HIRED_BEFORE - dt.timedelta(days=self.rng.randint(min_days, max_days))

    def name(self, female_share: float) -> tuple[str, str, str]:
        rng = self.rng
        first = rng.choice(FEMALE_NAMES if rng.random() < female_share else MALE_NAMES)
        last = rng.choice(LAST_NAMES)
        local = f"{_email_part(first)}.{_email_part(last)}"
        self.emails[local] += 1
        if self.emails[local] > 1:
            local += str(self.emails[local])
        return first, last, f"{local}@{self.domain}"

    def position(
        self, profession: Profession, title: str | None = None, leader: bool = False
    ) -> _Draft:
        rng = self.rng
        first, last, email = self.name(profession.female_share)
        if leader:
            return _Draft(
                first,
                last,
                email,
                title or "Leder",
                100,
                Employment.Type.PERMANENT,
                self._past(365, 365 * 18),
                is_leader=True,
            )
        title = title or str(_weighted(rng, profession.titles))
        roll = rng.random()
        if roll < profession.on_call_share:
            return _Draft(
                first,
                last,
                email,
                title,
                rng.choice((10, 15, 20, 25)),
                Employment.Type.ON_CALL,
                self._past(30, 900),
            )
        percent = int(_weighted(rng, profession.percents))  # type: ignore[call-overload]
        if roll < profession.on_call_share + profession.temporary_share:
            return _Draft(
                first, last, email, title, percent, Employment.Type.TEMPORARY, self._past(30, 700)
            )
        return _Draft(
            first, last, email, title, percent, Employment.Type.PERMANENT, self._past(60, 365 * 30)
        )

    def former(self, profession: Profession) -> _Draft:
        """Someone who has left: a position that ended before the reference date."""
        draft = self.position(profession)
        start = self._past(365 * 3, 365 * 20)
        latest = (HIRED_BEFORE - dt.timedelta(days=30) - start).days
        draft.start_date = start
        draft.end_date = start + dt.timedelta(days=self.rng.randint(min(180, latest), latest))
        return draft


# --- The normal-size demo -------------------------------------------------------------------
class _DemoBuilder:
    def __init__(self, organisation: Organisation, year: int) -> None:
        self.org = organisation
        self.rng = random.Random(SEED)
        self.people = _People(self.rng, organisation.slug)
        self.year = year
        self.term_start = dt.date(year - 1, 1, 1)
        self.next_number = 10001
        self.units: dict[str, Unit] = {}  # by code
        self.departments: dict[str, list[Unit]] = defaultdict(list)  # by unit code
        self.staff: list[_Staff] = []
        self.taken: set[int] = set()  # people who already hold a role
        self.office: dict[str, Person] = {}  # the staff unit's advisers who get a login

    # units and people
    def unit(self, name: str, code: str, kind: str, parent: Unit | None) -> Unit:
        unit = services.create_unit(
            actor=None, organisation=self.org, name=name, parent=parent, kind=kind, code=code
        )
        self.units[code] = unit
        return unit

    def save(self, draft: _Draft, unit: Unit) -> _Staff:
        person = services.create_person(
            actor=None,
            organisation=self.org,
            first_name=draft.first_name,
            last_name=draft.last_name,
            email=draft.email,
            employee_number=str(self.next_number),
        )
        self.next_number += 1
        services.add_employment(
            actor=None,
            person=person,
            unit=unit,
            position_percent=Decimal(draft.percent),
            start_date=draft.start_date,
            end_date=draft.end_date,
            title=draft.title,
            employment_type=draft.employment_type,
            is_leader=draft.is_leader,
        )
        staff = _Staff(
            person,
            unit,
            draft.title,
            draft.percent,
            draft.is_leader,
            draft.employment_type,
            draft.start_date,
        )
        if draft.end_date is None:
            self.staff.append(staff)
        return staff

    def hire(
        self, unit: Unit, profession: str, title: str | None = None, leader: bool = False
    ) -> _Staff:
        return self.save(self.people.position(PROFESSIONS[profession], title, leader), unit)

    def pick(
        self, codes: Iterable[str], titles: Iterable[str] = (), *, leader: bool = False
    ) -> Person:
        """The first suitable person in these units (with their departments) without a role yet."""
        units = {self.units[code].pk for code in codes}
        for code in codes:
            units.update(dept.pk for dept in self.departments[code])
        wanted = set(titles)
        candidates = [
            s
            for s in self.staff
            if s.unit.pk in units
            and s.is_leader == leader
            and s.person.pk not in self.taken
            and (leader or s.employment_type == Employment.Type.PERMANENT)
        ]
        for staff in [s for s in candidates if s.title in wanted] + candidates:
            self.taken.add(staff.person.pk)
            return staff.person
        raise LookupError(f"No one to pick in {codes}")

    def leader_of(self, code: str) -> Person:
        return next(s.person for s in self.staff if s.is_leader and s.unit.code == code)

    def build(self) -> None:
        top = self.unit(self.org.name, "1000", Unit.Kind.TOP, None)
        self.hire(top, "staff", "Kommunedirektør", leader=True)
        staff_unit = self.unit(STAFF_UNIT.name, STAFF_UNIT.code, Unit.Kind.UNIT, top)
        self.hire(staff_unit, "staff", STAFF_UNIT.leader_title, leader=True)
        for title in ("HMS-rådgiver", "HR-rådgiver", "IT-rådgiver", "Organisasjonsrådgiver"):
            self.office[title] = self.hire(staff_unit, "staff", title).person
            self.taken.add(self.office[title].pk)
        for _ in range(STAFF_UNIT.staff - 4):
            self.hire(staff_unit, "staff")
        for area_plan in DEMO_AREAS:
            area = self.unit(area_plan.name, area_plan.code, Unit.Kind.AREA, top)
            self.hire(area, "staff", area_plan.leader_title, leader=True)
            for plan in area_plan.units:
                self.build_unit(plan, area)
        self.add_history()
        self.add_safety_organisation()
        self.add_union_representatives()
        self.add_ohs_provider()
        self.add_committees()
        self.add_logins()

    def build_unit(self, plan: _UnitPlan, area: Unit) -> None:
        unit = self.unit(plan.name, plan.code, Unit.Kind.UNIT, area)
        self.hire(unit, plan.profession, plan.leader_title, leader=True)
        places = [unit]
        for index, name in enumerate(plan.departments, start=1):
            dept = self.unit(name, f"{int(plan.code) + index * 10}", Unit.Kind.DEPARTMENT, unit)
            self.departments[plan.code].append(dept)
            self.hire(dept, plan.profession, "Avdelingsleder", leader=True)
            places.append(dept)
        staff_count = plan.staff - len(plan.departments)
        for index in range(staff_count):
            # A few work at the unit itself (office, night shift); the rest in departments.
            place = (
                places[0]
                if len(places) == 1 or index % 8 == 0
                else places[1 + index % (len(places) - 1)]
            )
            self.hire(place, plan.profession)

    def add_history(self) -> None:
        """People who left, people who changed unit, and a few with two part-time positions."""
        all_units = [
            u for u in self.units.values() if u.kind in (Unit.Kind.UNIT, Unit.Kind.DEPARTMENT)
        ]
        profession_of = {plan.code: plan.profession for area in DEMO_AREAS for plan in area.units}
        for dept_code, depts in self.departments.items():
            for dept in depts:
                profession_of[dept.code] = profession_of[dept_code]
        profession_of[STAFF_UNIT.code] = STAFF_UNIT.profession
        for _ in range(24):
            unit = self.rng.choice(all_units)
            self.save(self.people.former(PROFESSIONS[profession_of[unit.code]]), unit)
        movers = [
            s
            for s in self.staff
            if not s.is_leader and s.employment_type == Employment.Type.PERMANENT
        ]
        for staff in self.rng.sample(movers, 12):
            # They moved within their trade: from another unit of the same kind.
            same_kind = [
                u
                for u in all_units
                if profession_of[u.code] == profession_of[staff.unit.code] and u.pk != staff.unit.pk
            ]
            if not same_kind:  # the staff unit is the only one of its kind
                continue
            before = self.rng.choice(same_kind)
            start = staff.start_date - dt.timedelta(days=self.rng.randint(700, 3600))
            services.add_employment(
                actor=None,
                person=staff.person,
                unit=before,
                position_percent=Decimal(staff.percent),
                start_date=start,
                end_date=staff.start_date - dt.timedelta(days=1),
                title=staff.title,
            )
        home_care = self.units["2200"]
        part_timers = [
            s
            for s in self.staff
            if s.unit.code.startswith("21")
            and not s.is_leader
            and s.percent <= 60
            and s.employment_type == Employment.Type.PERMANENT
        ]
        for staff in part_timers[:6]:
            services.add_employment(
                actor=None,
                person=staff.person,
                unit=home_care,
                position_percent=Decimal(min(40, 100 - staff.percent)),
                title=staff.title,
                start_date=HIRED_BEFORE - dt.timedelta(days=self.rng.randint(60, 900)),
                employment_type=Employment.Type.TEMPORARY,
            )

    def add_safety_organisation(self) -> None:
        self.safety_reps: dict[str, Person] = {}
        for index, (name, codes) in enumerate(DEMO_SAFETY_AREAS):
            units = [self.units[code] for code in codes]
            for code in codes:
                units.extend(self.departments[code])
            area = services.create_safety_area(
                actor=None, organisation=self.org, name=name, units=units
            )
            work_codes = [
                c for c in codes if c not in ("1000", "2000", "3000", "4000", "1100")
            ] or list(codes)
            rep = self.pick(work_codes)
            self.safety_reps[codes[0]] = rep
            services.appoint_safety_representative(
                actor=None,
                person=rep,
                role=SafetyRepresentative.Role.REPRESENTATIVE,
                area=area,
                start_date=self.term_start,
            )
            if index < 2:  # the two largest areas have a deputy
                services.appoint_safety_representative(
                    actor=None,
                    person=self.pick(work_codes),
                    role=SafetyRepresentative.Role.DEPUTY,
                    area=area,
                    start_date=self.term_start,
                )
            if index % 3 == 0:  # and some a predecessor whose term has ended
                services.appoint_safety_representative(
                    actor=None,
                    person=self.pick(work_codes),
                    role=SafetyRepresentative.Role.REPRESENTATIVE,
                    area=area,
                    start_date=add_years(self.term_start, -2),
                )
        self.main_safety_rep = self.pick(["2200"], ("Sykepleier",))
        services.appoint_safety_representative(
            actor=None,
            person=self.main_safety_rep,
            role=SafetyRepresentative.Role.MAIN,
            start_date=self.term_start,
        )

    def add_union_representatives(self) -> None:
        # No service for union representatives yet: they are plain records without side effects.
        self.union_reps: dict[tuple[str, str | None], Person] = {}
        main = (
            ("fagforbundet", "2100"),
            ("nsf", "2200"),
            ("udf", "3100"),
            ("fo", "2500"),
            ("delta", "2400"),
            ("nito", "4100"),
        )
        local = (
            ("fagforbundet", "2100"),
            ("nsf", "2100"),
            ("fagforbundet", "2200"),
            ("nsf", "2200"),
            ("fo", "2500"),
            ("udf", "3100"),
            ("udf", "3200"),
            ("udf", "3300"),
            ("fagforbundet", "4200"),
            ("fagforbundet", "4100"),
        )
        for key, code, is_main in [(k, c, True) for k, c in main] + [
            (k, c, False) for k, c in local
        ]:
            person = self.pick([code], _UNION_TITLES[key])
            UnionRepresentative.objects.create(
                organisation=self.org,
                person=person,
                union=UNIONS[key],
                is_main=is_main,
                unit=None if is_main else self.units[code],
                start_date=self.term_start,
                end_date=add_years(self.term_start, 2) - dt.timedelta(days=1),
            )
            self.union_reps[(key, None if is_main else code)] = person

    def add_ohs_provider(self) -> None:
        # No service for the BHT yet: the provider and its contacts are created directly.
        provider = OHSProvider.objects.create(
            organisation=self.org,
            name="Fjordkysten BHT AS",
            approved=True,
            email="post@fjordkysten-bht.example",
            agreement_start=dt.date(2019, 1, 1),
        )
        self.ohs_advisers: list[Person] = []
        for profession in ("Bedriftssykepleier", "Yrkeshygieniker"):
            first, last, _email = self.people.name(0.6)
            person = services.create_person(
                actor=None,
                organisation=self.org,
                first_name=first,
                last_name=last,
                email=f"{_email_part(first)}.{_email_part(last)}@fjordkysten-bht.example",
                is_external=True,
            )
            OHSContact.objects.create(
                organisation=self.org, provider=provider, person=person, profession=profession
            )
            self.ohs_advisers.append(person)

    def add_committees(self) -> None:
        self.secretary = self.office["Organisasjonsrådgiver"]
        hamu = services.create_committee(
            actor=None,
            organisation=self.org,
            kind=Committee.Kind.HAMU,
            name="Hovedarbeidsmiljøutvalget (HAMU)",
            unit=self.units["1000"],
        )
        self.committee(
            hamu,
            0,
            employer=[
                self.leader_of("1000"),
                self.leader_of(STAFF_UNIT.code),
                self.leader_of("2000"),
            ],
            employee=[
                self.main_safety_rep,
                self.union_reps[("fagforbundet", None)],
                self.union_reps[("udf", None)],
            ],
            bht=self.ohs_advisers[0],
            secretary=self.secretary,
        )
        amus: dict[str, Committee] = {}
        self.amu_member = self.union_reps[("fagforbundet", "2200")]
        members = {
            "2000": ([self.leader_of("2200")], [self.amu_member, self.safety_reps["2500"]]),
            "3000": (
                [self.leader_of("3100")],
                [self.safety_reps["3200"], self.union_reps[("udf", "3300")]],
            ),
            "4000": (
                [self.leader_of("4200")],
                [self.safety_reps["4100"], self.union_reps[("fagforbundet", "4200")]],
            ),
        }
        for index, area_plan in enumerate(DEMO_AREAS, start=1):
            amu = services.create_committee(
                actor=None,
                organisation=self.org,
                kind=Committee.Kind.AMU,
                name=f"AMU {area_plan.name}",
                unit=self.units[area_plan.code],
                parent=hamu,
            )
            amus[area_plan.code] = amu
            employer, employee = members[area_plan.code]
            self.committee(
                amu,
                index,
                employer=[self.leader_of(area_plan.code), *employer],
                employee=employee,
                bht=self.ohs_advisers[index % 2],
                secretary=self.secretary,
            )
            for plan in area_plan.units:
                if not plan.local_committee:
                    continue
                lamu = services.create_committee(
                    actor=None,
                    organisation=self.org,
                    kind=Committee.Kind.LAMU,
                    name=f"L-AMU {plan.name}",
                    unit=self.units[plan.code],
                    parent=amu,
                )
                dept_leader = next(
                    s.person
                    for s in self.staff
                    if s.is_leader and s.unit.pk == self.departments[plan.code][0].pk
                )
                unions = [p for (k, c), p in self.union_reps.items() if c == plan.code]
                self.committee(
                    lamu,
                    index + 3,
                    employer=[self.leader_of(plan.code), dept_leader],
                    employee=[self.safety_reps[plan.code], unions[-1]],
                    bht=self.ohs_advisers[(index + 1) % 2],
                    secretary=self.pick([plan.code]),
                )

    def committee(
        self,
        committee: Committee,
        index: int,
        *,
        employer: list[Person],
        employee: list[Person],
        bht: Person,
        secretary: Person,
    ) -> None:
        """Members for a 2-year term, and the constitutions of last year and this year, with the
        chair from alternate sides (AML § 7-1, FOLM § 3-12)."""
        assert len(employer) == len(employee), "equal numbers from each side"

        def add(person: Person, side: str, office: str = Office.MEMBER) -> CommitteeMember:
            return services.add_committee_member(
                actor=None,
                committee=committee,
                person=person,
                side=side,
                office=office,
                start_date=self.term_start,
            )

        employer_members = [add(p, Side.EMPLOYER) for p in employer]
        employee_members = [add(p, Side.EMPLOYEE) for p in employee]
        add(bht, Side.BHT)
        add(secretary, Side.EMPLOYER, Office.SECRETARY)
        sides = [employer_members, employee_members]
        if index % 2:
            sides.reverse()
        for year in (self.year - 1, self.year):
            chair_side, deputy_side = sides
            services.constitute_committee(
                actor=None,
                committee=committee,
                year=year,
                chair=chair_side[0],
                deputy_chair=deputy_side[0],
                constituted_on=dt.date(year, 1, 12 + index),
            )
            sides.reverse()

    def add_logins(self) -> None:
        people = {
            "admin": self.office["IT-rådgiver"],
            "hms": self.office["HMS-rådgiver"],
            "hr": self.office["HR-rådgiver"],
            "bht": self.ohs_advisers[0],
            "leader": self.leader_of("2100"),
            "safety_rep": self.safety_reps["2100"],
            "main_safety_rep": self.main_safety_rep,
            "amu_member": self.amu_member,
            "secretary": self.secretary,
            "employee": self.pick(["2100"], ("Helsefagarbeider",)),
        }
        create_logins(self.org, people, actor_services=True)


def create_logins(
    organisation: Organisation, people: dict[str, Person], *, actor_services: bool
) -> None:
    """One login per role, linked to its person, all with the documented demo password."""
    # The password is public, so one hash (with the configured hasher) serves every login;
    # hashing it once keeps `trygg demo` fast when the hasher is Argon2.
    password = make_password(DEMO_PASSWORD)
    for role in LOGIN_ROLES:
        person = people[role.role]
        user = User.objects.create(
            username=username_for(organisation.slug, role.username),
            password=password,
            organisation=organisation,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
        )
        # Linking a login to a person has no service yet; the field is set as the tests do.
        person.user = user
        person.save(update_fields=["user"])
        if role.role in _GRANTS:
            if actor_services:
                services.grant_role(
                    actor=None, organisation=organisation, user=user, role=_GRANTS[role.role]
                )
            else:
                RoleGrant.objects.create(
                    organisation=organisation, user=user, role=_GRANTS[role.role]
                )


def build_demo(
    *, slug: str = DEMO_SLUG, name: str = DEMO_NAME, year: int | None = None
) -> Organisation:
    """Create the demo municipality through the org services (every row is audit-logged)."""
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name, slug=slug, kind=Organisation.Kind.MUNICIPALITY
        )
        year = year or today().year
        _DemoBuilder(organisation, year).build()
        demo_steps.run_steps(organisation, year)
    return organisation


# --- Removing a demo organisation -------------------------------------------------------------
@transaction.atomic
def delete_organisation(organisation: Organisation) -> None:
    """Remove a generated organisation with everything in it, for `trygg demo --reset`.

    The audit log is append-only for the application; a demo organisation is thrown away
    whole, so its entries go with it (through the base manager, which has no guard).
    """
    AuditEntry._base_manager.filter(organisation=organisation).delete()
    _delete_module_rows(organisation)
    User.objects.filter(organisation=organisation).delete()
    CommitteeYear.objects.filter(organisation=organisation).delete()
    Committee.objects.filter(organisation=organisation).delete()
    Employment.objects.filter(organisation=organisation).delete()
    units = Unit.objects.filter(organisation=organisation)
    units.update(parent=None)
    units.delete()
    organisation.delete()


def _delete_module_rows(organisation: Organisation) -> None:
    """Delete the rows the modules above org keep for the organisation (deviations, meetings,
    absence...), newest app first; rows another row still protects are tried again after it."""
    pending = [
        model
        for model in reversed(django_apps.get_models())
        if model.__module__.startswith("trygg.")
        and model._meta.app_label not in {"accounts", "audit", "org"}
        and any(field.name == "organisation" for field in model._meta.fields)
    ]
    # Rows that point at each other (a template and its current version) are untied first.
    for model in pending:
        ties = {
            field.name: None
            for field in model._meta.fields
            if field.is_relation and field.null and field.related_model in pending
        }
        if ties:
            model._base_manager.filter(organisation=organisation).update(**ties)
    while pending:
        left = []
        for model in pending:
            try:
                with transaction.atomic():
                    model._base_manager.filter(organisation=organisation).delete()
            except ProtectedError:
                left.append(model)
        if len(left) == len(pending):
            raise ProtectedError(
                f"rows of {', '.join(m._meta.label for m in left)} protect each other", set()
            )
        pending = left


# --- The large organisation, with bulk inserts ------------------------------------------------
# fmt: off
PLACES = (
    "Nordby", "Sørby", "Østby", "Vestby", "Solbakken", "Lia", "Haugen", "Bakkeli", "Skogli",
    "Fjellstad", "Åsen", "Øvre Berg", "Sjøsiden", "Granly", "Furulund", "Eikeli", "Bjørkhaug",
    "Lindeberg", "Rosenhof", "Kvernmoen", "Storløkka", "Trollvika", "Møllebyen", "Sandvika",
    "Bekkestua", "Elvebakken", "Jordet", "Holmen", "Tangen", "Næsset", "Vollen", "Gården",
    "Strømmen", "Brattås", "Engene", "Lindås", "Kirkebyen", "Torget", "Havna", "Øyene",
    "Nesodden", "Ringstad", "Kjelsås", "Berget", "Skjæret", "Grønland", "Fagerheim", "Rødby",
    "Sætre", "Hovdebakken", "Myra", "Furuset", "Tveita", "Løkka", "Fossum", "Ås", "Blåbærlia",
    "Heia", "Viken", "Ekeberg",
)
LARGE_AREAS: tuple[tuple[str, str, int, tuple[tuple[str, str, int], ...]], ...] = (
    ("Helse og omsorg", "Kommunalsjef helse og omsorg", 34, (
        ("{place} sykehjem", "nursing_home", 3), ("Hjemmetjenesten {place}", "home_care", 3),
        ("{place} bo- og aktivitetssenter", "disability", 2), ("{place} legekontor", "gp", 1),
    )),
    ("Oppvekst og utdanning", "Kommunalsjef oppvekst", 34, (
        ("{place} skole", "school", 4), ("{place} barnehage", "kindergarten", 4),
        ("{place} ungdomsskole", "school", 1),
    )),
    ("Velferd", "Kommunalsjef velferd", 9, (
        ("NAV {place}", "nav", 2), ("Helsestasjon {place}", "health_station", 1),
        ("PP-tjenesten {place}", "ppt", 1),
    )),
    ("Teknikk og miljø", "Kommunalsjef teknikk og miljø", 11, (
        ("Vei og park {place}", "roads", 2), ("Eiendomsdrift {place}", "property", 2),
        ("Vann og avløp {place}", "roads", 1),
    )),
    ("Kultur og samfunn", "Kommunalsjef kultur og samfunn", 6, (
        ("{place} bibliotek", "culture", 1), ("Kulturskolen {place}", "culture", 1),
        ("Byggesak og plan {place}", "planning", 1),
    )),
    ("Organisasjon og økonomi", "Organisasjonsdirektør", 6, (
        ("Stab {place}", "staff", 1),
    )),
)
# fmt: on
# Share of the units below the kommunalområder at each further level: enhet, avdeling, team, gruppe.
LEVEL_SHARES = (0.2, 0.4, 0.28, 0.12)


@dataclass
class _LargeUnit:
    unit: Unit
    profession: str
    level: int
    enhet: int | None = None  # index of the level-2 ancestor (itself at level 2)
    area: int = 0  # index of the kommunalområde
    children: list[int] = field(default_factory=list)


@dataclass
class LargeResult:
    organisation: Organisation
    units: int
    employees: int


class _LargeBuilder:
    def __init__(self, organisation: Organisation, employees: int, year: int) -> None:
        self.org = organisation
        self.employees = employees
        self.rng = random.Random(SEED)
        self.people = _People(self.rng, organisation.slug)
        self.term_start = dt.date(year - 1, 1, 1)
        self.year = year
        self.nodes: list[_LargeUnit] = []
        self.code = 100000
        self.names: Counter[tuple[str, int | None]] = Counter()

    def _unit(self, name: str, kind: str, parent: _LargeUnit | None, profession: str) -> _LargeUnit:
        # Enheter have names unique in the organisation, avdelinger unique under their parent.
        key = (
            name,
            None if kind in (Unit.Kind.TOP, Unit.Kind.AREA, Unit.Kind.UNIT) else id(parent),
        )
        self.names[key] += 1
        if self.names[key] > 1:
            name = f"{name} {self.names[key]}"
        self.code += 1
        unit = Unit(
            organisation=self.org,
            parent=parent.unit if parent else None,
            name=name,
            kind=kind,
            code=str(self.code),
            path="",
            depth=parent.unit.depth + 1 if parent else 0,
        )
        node = _LargeUnit(unit, profession, parent.level + 1 if parent else 0)
        if parent is not None:
            node.area, node.enhet = parent.area, parent.enhet
            parent.children.append(len(self.nodes))
        self.nodes.append(node)
        return node

    def _save_level(self, level: list[_LargeUnit]) -> None:
        """Insert one level of the tree, then give each unit its materialised path."""
        units = [node.unit for node in level]
        Unit.objects.bulk_create(units, batch_size=BATCH_SIZE)
        for unit in units:
            unit.path = (unit.parent.path if unit.parent else "") + path_segment(unit.pk)
        Unit.objects.bulk_update(units, ["path"], batch_size=500)

    def build_units(self) -> None:
        rng = self.rng
        total = max(self.employees // 25, 40)
        top = self._unit(self.org.name, Unit.Kind.TOP, None, "staff")
        self._save_level([top])
        areas = []
        for index, (name, _title, _weight, _kinds) in enumerate(LARGE_AREAS):
            node = self._unit(name, Unit.Kind.AREA, top, "staff")
            node.area = index
            areas.append(node)
        self._save_level(areas)
        remaining = total - 1 - len(areas)
        counts = [round(remaining * share) for share in LEVEL_SHARES[:-1]]
        counts.append(remaining - sum(counts))
        # Enheter: every kommunalområde gets one, the rest by the areas' weights.
        weights = [area[2] for area in LARGE_AREAS]
        parents = list(range(len(areas))) + rng.choices(
            range(len(areas)), weights=weights, k=counts[0] - len(areas)
        )
        level: list[_LargeUnit] = []
        for area_index in parents:
            template, profession, _w = _weighted_kind(rng, LARGE_AREAS[area_index][3])
            node = self._unit(
                template.format(place=rng.choice(PLACES)),
                Unit.Kind.UNIT,
                areas[area_index],
                profession,
            )
            node.enhet = len(self.nodes) - 1
            level.append(node)
        self._save_level(level)
        # Avdelinger, teams and groups below, each under a random unit of the level above.
        for depth, count in enumerate(counts[1:], start=3):
            above, level = level, []
            for _ in range(count):
                parent = rng.choice(above)
                names = PROFESSIONS[parent.profession].department_names
                name = (
                    rng.choice(names)
                    if depth == 3 and names
                    else f"{'Team' if depth == 4 else 'Gruppe'} {len(parent.children) + 1}"
                )
                level.append(self._unit(name, Unit.Kind.DEPARTMENT, parent, parent.profession))
            self._save_level(level)

    def build_people(self) -> None:
        rng = self.rng
        nodes = self.nodes
        drafts: list[tuple[_Draft, int]] = []
        for index, node in enumerate(nodes):
            if node.level == 0:
                title = "Kommunedirektør"
            elif node.level == 1:
                title = LARGE_AREAS[node.area][1]
            else:
                title = {2: "Enhetsleder", 3: "Avdelingsleder"}.get(node.level, "Teamleder")
            drafts.append(
                (self.people.position(PROFESSIONS[node.profession], title, leader=True), index)
            )
        weights = [0 if n.level < 2 else (4 if not n.children else 1) for n in nodes]
        for index in rng.choices(
            range(len(nodes)), weights=weights, k=max(self.employees - len(nodes), 0)
        ):
            drafts.append((self.people.position(PROFESSIONS[nodes[index].profession]), index))
        for index in rng.choices(range(len(nodes)), weights=weights, k=self.employees // 25):
            drafts.append((self.people.former(PROFESSIONS[nodes[index].profession]), index))
        persons = [
            Person(
                organisation=self.org,
                first_name=d.first_name,
                last_name=d.last_name,
                email=d.email,
                employee_number=str(100000 + n),
            )
            for n, (d, _i) in enumerate(drafts, start=1)
        ]
        Person.objects.bulk_create(persons, batch_size=BATCH_SIZE)
        employments = [
            Employment(
                organisation=self.org,
                person=person,
                unit=nodes[index].unit,
                title=d.title,
                position_percent=Decimal(d.percent),
                employment_type=d.employment_type,
                start_date=d.start_date,
                end_date=d.end_date,
                is_leader=d.is_leader,
            )
            for person, (d, index) in zip(persons, drafts, strict=True)
        ]
        Employment.objects.bulk_create(employments, batch_size=BATCH_SIZE)
        self.current = [
            (person, index, d)
            for person, (d, index) in zip(persons, drafts, strict=True)
            if d.end_date is None
        ]
        self.leaders = {index: person for person, index, d in self.current if d.is_leader}
        self.staff_by_enhet: dict[int, list[Person]] = defaultdict(list)
        for person, index, d in self.current:
            if (
                not d.is_leader
                and d.employment_type == Employment.Type.PERMANENT
                and nodes[index].enhet is not None
            ):
                self.staff_by_enhet[nodes[index].enhet].append(person)
        self.taken: set[int] = set()

    def pick(self, enhet: int) -> Person:
        """The first employee without a role in this enhet, or failing that in any enhet."""
        for group in (self.staff_by_enhet[enhet], *self.staff_by_enhet.values()):
            for person in group:
                if person.pk not in self.taken:
                    self.taken.add(person.pk)
                    return person
        raise LookupError(enhet)

    def build_roles(self) -> dict[str, Person]:
        nodes = self.nodes
        enheter = [i for i, n in enumerate(nodes) if n.level == 2 and self.staff_by_enhet[i]]
        # Verneområder: one per enhet with its whole subtree, and the town hall for the top levels.
        areas = [
            SafetyArea(organisation=self.org, name=f"Verneområde {nodes[i].unit.name}")
            for i in enheter
        ]
        town_hall = SafetyArea(organisation=self.org, name="Verneområde Rådhuset")
        SafetyArea.objects.bulk_create([*areas, town_hall], batch_size=BATCH_SIZE)
        area_of = dict(zip(enheter, areas, strict=True))
        through = SafetyArea.units.through
        links = [
            through(safetyarea_id=area_of[n.enhet].pk, unit_id=n.unit.pk)
            for n in nodes
            if n.enhet in area_of
        ] + [through(safetyarea_id=town_hall.pk, unit_id=n.unit.pk) for n in nodes if n.level < 2]
        through.objects.bulk_create(links, batch_size=BATCH_SIZE)
        end = add_years(self.term_start, 2) - dt.timedelta(days=1)
        vo = {i: self.pick(i) for i in enheter}
        main_rep = self.pick(enheter[0])
        SafetyRepresentative.objects.bulk_create(
            [
                SafetyRepresentative(
                    organisation=self.org,
                    person=vo[i],
                    area=area_of[i],
                    role=SafetyRepresentative.Role.REPRESENTATIVE,
                    start_date=self.term_start,
                    end_date=end,
                )
                for i in enheter
            ]
            + [
                SafetyRepresentative(
                    organisation=self.org,
                    person=main_rep,
                    area=None,
                    role=SafetyRepresentative.Role.MAIN,
                    start_date=self.term_start,
                    end_date=end,
                )
            ],
            batch_size=BATCH_SIZE,
        )
        # The BHT and its two advisers.
        provider = OHSProvider.objects.create(
            organisation=self.org,
            name="Storby bedriftshelsetjeneste KF",
            approved=True,
            agreement_start=dt.date(2015, 1, 1),
        )
        advisers = []
        for n in range(2):
            first, last, email = self.people.name(0.5)
            advisers.append(
                Person(
                    organisation=self.org,
                    first_name=first,
                    last_name=last,
                    email=email,
                    employee_number=f"BHT{n + 1}",
                    is_external=True,
                )
            )
        Person.objects.bulk_create(advisers)
        OHSContact.objects.bulk_create(
            [
                OHSContact(organisation=self.org, provider=provider, person=p, profession=prof)
                for p, prof in zip(advisers, ("Bedriftslege", "Arbeidsfysioterapeut"), strict=True)
            ]
        )
        # Union representatives: the main representative of each union.
        staff_enheter = [i for i in enheter if nodes[i].area == len(LARGE_AREAS) - 1] or enheter
        UnionRepresentative.objects.bulk_create(
            [
                UnionRepresentative(
                    organisation=self.org,
                    person=self.pick(enheter[n % len(enheter)]),
                    union=union,
                    is_main=True,
                    start_date=self.term_start,
                    end_date=end,
                )
                for n, union in enumerate(UNIONS.values())
            ]
        )
        # HAMU, one AMU per kommunalområde and L-AMU for the ten largest enheter.
        secretary = self.pick(staff_enheter[0])
        area_enheter: dict[int, list[int]] = defaultdict(list)
        for i in enheter:
            area_enheter[nodes[i].area].append(i)
        largest = sorted(enheter, key=lambda i: (-len(self.staff_by_enhet[i]), i))[:10]
        specs: list[tuple[Committee, list[Person], list[Person], Person, Person]] = []
        hamu = Committee(
            organisation=self.org,
            unit=nodes[0].unit,
            kind=Committee.Kind.HAMU,
            name="Hovedarbeidsmiljøutvalget (HAMU)",
        )
        hamu.save()
        area_indexes = [i for i, n in enumerate(nodes) if n.level == 1]
        specs.append(
            (
                hamu,
                [self.leaders[0], self.leaders[area_indexes[0]]],
                [main_rep, vo[enheter[1]]],
                advisers[0],
                secretary,
            )
        )
        amus = {}
        amu_member = None
        for a, area_index in enumerate(area_indexes):
            own = area_enheter.get(a) or enheter
            amu = Committee(
                organisation=self.org,
                unit=nodes[area_index].unit,
                kind=Committee.Kind.AMU,
                name=f"AMU {nodes[area_index].unit.name}",
                parent=hamu,
            )
            amu.save()
            amus[a] = amu
            employee_rep = self.pick(own[-1])
            amu_member = amu_member or employee_rep
            specs.append(
                (
                    amu,
                    [self.leaders[area_index], self.leaders[own[0]]],
                    [vo[own[0]], employee_rep],
                    advisers[a % 2],
                    secretary,
                )
            )
        for i in largest:
            lamu = Committee(
                organisation=self.org,
                unit=nodes[i].unit,
                kind=Committee.Kind.LAMU,
                name=f"L-AMU {nodes[i].unit.name}",
                parent=amus[nodes[i].area],
            )
            lamu.save()
            second = next((self.leaders[c] for c in nodes[i].children), None) or self.pick(i)
            specs.append(
                (lamu, [self.leaders[i], second], [vo[i], self.pick(i)], advisers[1], self.pick(i))
            )
        members: list[tuple[Committee, list[CommitteeMember]]] = []
        for committee, employer, employee, bht, sec in specs:
            rows = [
                CommitteeMember(
                    organisation=self.org,
                    committee=committee,
                    person=p,
                    side=side,
                    office=office,
                    start_date=self.term_start,
                    end_date=end,
                )
                for p, side, office in [
                    *[(p, Side.EMPLOYER, Office.MEMBER) for p in employer],
                    *[(p, Side.EMPLOYEE, Office.MEMBER) for p in employee],
                    (bht, Side.BHT, Office.MEMBER),
                    (sec, Side.EMPLOYER, Office.SECRETARY),
                ]
            ]
            members.append((committee, rows))
        CommitteeMember.objects.bulk_create(
            [m for _c, rows in members for m in rows], batch_size=BATCH_SIZE
        )
        years = []
        for n, (committee, rows) in enumerate(members):
            employer_chair, employee_chair = rows[0], rows[2]
            order = (
                [employer_chair, employee_chair] if n % 2 == 0 else [employee_chair, employer_chair]
            )
            for k, year in enumerate((self.year - 1, self.year)):
                chair, deputy = order[k % 2], order[(k + 1) % 2]
                years.append(
                    CommitteeYear(
                        organisation=self.org,
                        committee=committee,
                        year=year,
                        chair=chair,
                        deputy_chair=deputy,
                        chair_side=chair.side,
                        constituted_on=dt.date(year, 1, 15),
                    )
                )
        CommitteeYear.objects.bulk_create(years)
        assert amu_member is not None
        return {
            "admin": self.pick(staff_enheter[0]),
            "hms": self.pick(staff_enheter[0]),
            "hr": self.pick(staff_enheter[0]),
            "bht": advisers[0],
            "leader": self.leaders[enheter[0]],
            "safety_rep": vo[enheter[0]],
            "main_safety_rep": main_rep,
            "amu_member": amu_member,
            "secretary": secretary,
            "employee": self.pick(enheter[-1]),
        }


def _weighted_kind(
    rng: random.Random, kinds: Sequence[tuple[str, str, int]]
) -> tuple[str, str, int]:
    return rng.choices(kinds, weights=[k[2] for k in kinds])[0]


def build_large(
    *, employees: int, slug: str = LARGE_SLUG, name: str = LARGE_NAME, year: int | None = None
) -> LargeResult:
    """A large organisation for benchmarks, written with bulk inserts.

    Units are inserted one tree level at a time, so each level's paths can be computed from the
    parents' paths and the primary keys the database returned. No per-row audit entries: one
    audit event records the whole generation.
    """
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name, slug=slug, kind=Organisation.Kind.MUNICIPALITY
        )
        builder = _LargeBuilder(organisation, employees, year or today().year)
        builder.build_units()
        builder.build_people()
        create_logins(organisation, builder.build_roles(), actor_services=False)
        record_event(
            actor=None,
            organisation_id=organisation.pk,
            action=AuditEntry.Action.IMPORT,
            object_type="accounts.organisation",
            description=f"Generated the demo organisation {name}: {employees} employees in {len(builder.nodes)} units",
            details={
                "employees": employees,
                "units": len(builder.nodes),
                "generator": "trygg demo --employees",
            },
        )
    if connection.vendor == "postgresql":
        # Fresh planner statistics: autovacuum would get there, but not before a benchmark starts.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return LargeResult(organisation, len(builder.nodes), employees)


def current_employee_count(organisation: Organisation) -> int:
    return (
        Person.objects.filter(
            organisation=organisation, employments__in=Employment.objects.current()
        )
        .distinct()
        .count()
    )
