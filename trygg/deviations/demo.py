"""The deviations of "Demo kommune": a year of realistic reports across categories, units and
months, with injuries in the register, violence and threats cases, measures, closed cases and
hours worked, all written through the services."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from trygg.accounts.models import Organisation, User
from trygg.deviations import services
from trygg.deviations.models import Deviation
from trygg.lib.dates import today
from trygg.org.models import Employment, Person, Unit

SEED = 4242
COUNT = 54

C = Deviation.Category
S = Deviation.Severity

# (category, severity weights, title, description, location, immediate action)
EVENTS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        C.NEAR_MISS,
        "Vått gulv ved dusjen",
        "Gulvet var vått etter dusjing, og en beboer var nær ved å skli.",
        "Bad 2. etasje",
        "Tørket opp og satte ut skilt.",
    ),
    (
        C.NEAR_MISS,
        "Løs ledning over gangen",
        "Skjøteledning lå over gangen og noen snublet nesten.",
        "Korridor",
        "Flyttet ledningen.",
    ),
    (
        C.INJURY,
        "Kuttskade ved kjøkkenbenken",
        "Skar meg på en kniv som lå i oppvaskvannet.",
        "Kjøkken",
        "Plaster og sårrens.",
    ),
    (
        C.INJURY,
        "Belastningsskade ved forflytning",
        "Fikk vondt i ryggen ved forflytning av beboer uten takheis.",
        "Rom 14",
        "Kald pakning, meldt til leder.",
    ),
    (
        C.INJURY,
        "Fall på glatt fortau",
        "Falt på isen ved inngangen på vei til hjemmebesøk.",
        "Inngangen",
        "Strødde sand.",
    ),
    (
        C.ILLNESS,
        "Hudeksem etter hansker",
        "Utslett på hendene etter lang bruk av hansker.",
        "",
        "Byttet hansketype.",
    ),
    (
        C.VIOLENCE,
        "Slag under morgenstell",
        "Beboer slo ut under stell og traff meg i ansiktet.",
        "Rom 8",
        "Trakk meg ut, hentet kollega.",
    ),
    (
        C.VIOLENCE,
        "Trusler fra pårørende",
        "Pårørende truet med å ta igjen ved neste besøk.",
        "Resepsjonen",
        "Tilkalte leder.",
    ),
    (
        C.VIOLENCE,
        "Spark fra elev",
        "Elev sparket en assistent i friminuttet.",
        "Skolegården",
        "Skilte elevene.",
    ),
    (
        C.HARASSMENT,
        "Uønskede kommentarer",
        "Gjentatte seksuelle kommentarer fra en kollega.",
        "Personalrommet",
        "",
    ),
    (
        C.MATERIAL,
        "Ødelagt takheis",
        "Takheisen stoppet midt i en forflytning.",
        "Rom 3",
        "Brukte mobil heis.",
    ),
    (
        C.MATERIAL,
        "Bilskade ved rygging",
        "Tjenestebilen traff en stolpe ved rygging.",
        "Parkeringsplassen",
        "",
    ),
    (
        C.ENVIRONMENT,
        "Dårlig inneklima",
        "Tung luft og hodepine i møterommet hele uken.",
        "Møterom 1",
        "Åpnet vinduer.",
    ),
    (
        C.ENVIRONMENT,
        "Søl av vaskemiddel",
        "Konsentrert vaskemiddel lekket ut på lageret.",
        "Lager",
        "Samlet opp med absorbent.",
    ),
    (
        C.ROUTINE,
        "Medisinliste ikke oppdatert",
        "Medisinlisten stemte ikke med dosetten.",
        "Medisinrom",
        "Ringte lege.",
    ),
    (
        C.ROUTINE,
        "Alenevakt uten alarm",
        "Natt alene uten at trygghetsalarmen var ladet.",
        "Vaktrom",
        "",
    ),
    (
        C.IMPROVEMENT,
        "Forslag: fast plass for hjertestarter",
        "Hjertestarteren står ulike steder; foreslår fast skiltet plass.",
        "",
        "",
    ),
    (C.IMPROVEMENT, "Forslag: sklisikre matter", "Sklisikre matter ved alle dusjer.", "Bad", ""),
)
SEVERITY_WEIGHTS = {
    C.INJURY: (S.MEDIUM, S.HIGH, S.LOW),
    C.ILLNESS: (S.MEDIUM, S.LOW),
    C.VIOLENCE: (S.HIGH, S.MEDIUM, S.CRITICAL),
    C.HARASSMENT: (S.HIGH,),
    C.NEAR_MISS: (S.MEDIUM, S.LOW, S.HIGH),
}
ROOT_CAUSES = (
    "Rutinen var ikke kjent for alle på vakt.",
    "Manglende vedlikehold av utstyret.",
    "For lav bemanning i helgene.",
    "Uklar ansvarsfordeling mellom vaktene.",
)
MEASURES = (
    "Gjennomgå rutinen på personalmøtet",
    "Bestille service på utstyret",
    "Vurdere bemanningen på kveldsvakt",
    "Opplæring i forflytning for nyansatte",
)


def _leaders(organisation: Organisation) -> dict[int, User]:
    return {
        e.unit_id: e.person.user
        for e in Employment.objects.current()
        .filter(organisation=organisation, is_leader=True, person__user__isnull=False)
        .select_related("person__user")
    }


def fill_demo(organisation: Organisation, year: int) -> None:
    rng = random.Random(SEED)
    units = list(
        Unit.objects.filter(organisation=organisation, is_active=True, depth__gte=2).order_by(
            "path"
        )
    )
    if not units:
        return
    users = list(
        User.objects.filter(organisation=organisation, is_active=True).order_by("username")
    )
    employee = next((u for u in users if u.username.endswith("ansatt")), None)
    people = list(
        Person.objects.filter(organisation=organisation, user__isnull=True).order_by("pk")[:200]
    )
    leaders = _leaders(organisation)
    day = today()
    start = day - dt.timedelta(days=365)
    for n in range(COUNT):
        category, title, description, location, action = EVENTS[n % len(EVENTS)]
        severity = rng.choice(SEVERITY_WEIGHTS.get(category, (S.LOW, S.MEDIUM)))
        unit = units[rng.randrange(len(units))]
        occurred_on = start + dt.timedelta(days=int(365 * n / COUNT) + rng.randrange(3))
        occurred_on = min(occurred_on, day)
        moment = timezone.make_aware(
            dt.datetime.combine(occurred_on, dt.time(rng.choice((7, 10, 13, 15, 19, 22)), 15))
        )
        if moment > timezone.now():
            moment = timezone.now() - dt.timedelta(hours=1)
            occurred_on = timezone.localdate(moment)
        anonymous = category == C.HARASSMENT or n % 11 == 5
        reporter = employee if n % 4 == 0 else None
        name = ""
        if reporter is None and not anonymous and people:
            name = people[rng.randrange(len(people))].full_name
        violence = None
        if category == C.VIOLENCE:
            violence = {
                "violence_situation": "Under stell" if "stell" in title else "Ved mottak",
                "working_alone": n % 2 == 0,
                "reported_to_police": severity == S.CRITICAL,
            }
        deviation = services.report_deviation(
            organisation=organisation,
            reporter=reporter,
            unit=unit,
            category=category,
            title=title,
            description=description,
            occurred_at=moment,
            severity=severity,
            location=location,
            immediate_action=action,
            anonymous=anonymous,
            reporter_name=name,
            violence=violence,
            reported_on=min(occurred_on + dt.timedelta(days=rng.randrange(2)), day),
        )
        age = (day - deviation.reported_on).days
        handler = deviation.handler or leaders.get(unit.pk)
        if age < 5 or handler is None:
            continue  # recent ones wait for the leader
        services.record_root_cause(
            actor=handler, deviation=deviation, root_cause=ROOT_CAUSES[n % len(ROOT_CAUSES)]
        )
        if category == C.VIOLENCE:
            services.record_violence_details(
                actor=handler, deviation=deviation, aftercare_offered=True, debrief_offered=True
            )
        if deviation.is_injury:
            _fill_injury(deviation, handler, n, people)
        owner = Person.objects.filter(user=handler).first()
        if n % 3 != 2 and owner is not None:
            services.add_measure(
                actor=handler,
                deviation=deviation,
                title=MEASURES[n % len(MEASURES)],
                owner=owner,
                deadline=max(day, deviation.deadline),
            )
        if age > 20 and n % 5 != 0:
            lag = rng.choice((2, 5, 9, 16, 30))
            services.close_deviation(
                actor=handler,
                deviation=deviation,
                evaluation="Tiltakene er gjennomført og fulgt opp på personalmøtet.",
                measures_effective=rng.choice(
                    (Deviation.Effect.YES, Deviation.Effect.YES, Deviation.Effect.PARTLY)
                ),
                closed_on=min(deviation.reported_on + dt.timedelta(days=lag), day),
            )
    for unit in units:
        if unit.depth == 2:
            for y in (year - 1, year):
                services.record_work_hours(
                    actor=None,
                    organisation=organisation,
                    unit=unit,
                    year=y,
                    hours=rng.randrange(15_000, 60_000),
                )


def _fill_injury(deviation: Deviation, handler: User, n: int, people: list[Person]) -> None:
    injury = deviation.injury
    person = people[n % len(people)] if people else None
    serious = n % 7 == 2
    services.update_injury(
        actor=handler,
        injury=injury,
        person=person,
        occupation="Helsefagarbeider",
        work_being_done="Stell og forflytning" if n % 2 else "Kjøkkenarbeid",
        presumed_causes="Tidspress og manglende hjelpemidler",
        injury_description="Skade i hånd" if n % 2 else "Smerter i korsrygg",
        absence=n % 3 == 0,
        absence_days=3 if n % 3 == 0 else None,
        serious=serious,
    )
    services.record_notification(actor=handler, injury=injury, kind="nav")
    if serious:
        services.record_notification(actor=handler, injury=injury, kind="labour_inspection")
        services.record_notification(actor=handler, injury=injury, kind="police")
