"""The demo municipality's HMS goals, action plans and internal-control statuses.

The three overarching goals are the municipality's own, word for word from the årshjul (seed
000); the 5-year action plan is adapted from the seed's "Mål og handlingsplan" (seed 001). A few
units break the goals down, some bound to live data, some measured by hand. The internal-control
statuses are set for the points the demo's records really document; the rest show what the
records say.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from trygg.accounts.models import Organisation
from trygg.actions.services import complete_action_item, update_action_item
from trygg.goals import services
from trygg.goals.models import ControlStatus
from trygg.lib.dates import today
from trygg.org.demo import username_for
from trygg.org.models import Committee, Person, Unit

OVERARCHING = (
    "Ansatte skal kunne gå hjem fra jobb hver dag uten arbeidsrelaterte belastninger som kan "
    "føre til sykdom eller skade.",
    "Arbeidsplassen skal ha en kultur for å komme med innspill og forbedringsforslag som fremmer "
    "ledelse og godt arbeidsmiljø, og ansatte skal ha en opplevd nytte av å si fra.",
    "Alle ansatte skal ha en arbeidsplass hvor det ikke forekommer uønsket seksuell "
    "oppmerksomhet, mobbing, trakassering, diskriminering eller annen utilbørlig opptreden.",
)

# (innsatsområde, mål, aktivitet, når, ansvar, rapportering, owner login, deadline (year offset,
# month), done) — adapted from the seed's 5-year plan.
PLAN_ROWS = (
    (
        "Oppfølging og tilrettelegging",
        "Alle med personalansvar skal ha kompetanse og god praksis i sykefraværsoppfølging, og bruke blant annet tilretteleggingstilskudd som virkemiddel.",
        "Statusmøter med alle enhetsledere etter malen «Oppstartsmøter», med minikurs i nye regler for oppfølging, rapportering i Altinn og søknad om tilretteleggingstilskudd.",
        "Vedtak i partssammensatt møte i januar; møtene holdes høsten",
        "HMS-koordinator og personalrådgiver (NAV Arbeidslivssenter)",
        "Rapport til kommunedirektøren og partssammensatt møte",
        "hms",
        (0, 3),
        True,
    ),
    (
        "Arbeidsmiljøundersøkelse",
        "Årlig undersøkelse for alle ansatte: 1) gjennomføring, 2) etterarbeid, 3) sak til kommunestyret og AMU",
        "1) Digital gjennomføring med sentral bearbeiding av resultatene. 2) Etterarbeid i hver enhet med rapportering til kommunalsjef. 3) Sak om tiltak til AMU og orienteringssak til kommunestyret.",
        "1) Februar/mars 2) mai 3) september (KST), november (AMU)",
        "Partssammensatt møte, arbeidsgruppe i prosjektet",
        "Kommunedirektør, kommunestyret og AMU",
        "hr",
        (0, 5),
        True,
    ),
    (
        "Medbestemmelsesmøter",
        "Faste, datofestede møter der arbeidsmiljø og tilrettelegging står på dagsorden i hver enhet",
        "Utvikle kvaliteten på møtene med fast innhold i møteplanen; kursserie for tillitsvalgte, verneombud og enhetsledere.",
        "Høsten",
        "Organisasjonene og enhetslederne; kurs: NAV Arbeidslivssenter og HMS-koordinator",
        "Aktuell kommunalsjef",
        "hms",
        (0, 10),
        False,
    ),
    (
        "Medarbeidersamtaler",
        "Årlige medarbeidersamtaler med alle ansatte og rutiner for rapportering til kommunalsjef",
        "Utvikle rapporteringen og systemer som sikrer god praksis i hele organisasjonen.",
        "Kontinuerlig, rapport hver høst",
        "Partssammensatt møte, arbeidsgruppe",
        "Aktuell kommunalsjef",
        "leader",
        (0, 11),
        False,
    ),
    (
        "Arbeidsmiljøutvalget",
        "Sikre at informasjon når fram til og blir behandlet av AMU (sekretæren er utvalgets «postkasse»)",
        "Lage tydeligere rutiner for hvilken informasjon som skal til AMU og hvordan.",
        "Start våren, deretter kontinuerlig",
        "Partssammensatt møte, arbeidsgruppe (HMS-koordinator)",
        "AMU",
        "secretary",
        (0, 4),
        True,
    ),
    (
        "Avvikssystemet",
        "Sikre at hele organisasjonen følger opp innføring og bruk av avvikssystemet",
        "Oppfølging i prosjektgruppen og rapportering til partssammensatt møte.",
        "Våren, deretter kontinuerlig",
        "Prosjektleder for avvikssystemet",
        "Prosjektleder rapporterer til styringsgruppen",
        "hms",
        (0, 6),
        False,
    ),
    (
        "HMS-plan",
        "Etablere rutiner for at det utarbeides årlig HMS-handlingsplan for kommunen og handlingsplaner på enhetsnivå",
        "Utarbeide et synlig og fornuftig system for behandling av HMS-planen.",
        "Høsten, deretter kontinuerlig",
        "HMS-koordinator",
        "AMU",
        "hms",
        (0, 12),
        False,
    ),
    (
        "Plan for nyansatte",
        "Sikre at plan for nyansatte og bruk av prøvetid blir brukt aktivt",
        "Spørre nyansatte om de kjenner planen og hvordan de har opplevd den.",
        "Høsten",
        "Partssammensatt møte, arbeidsgruppe (personalrådgiver)",
        "AMU",
        "hr",
        (1, 3),
        False,
    ),
    (
        "Alternativ bruk av tildelte ressurser",
        "Utnytte det økonomiske insentivet for å redusere sykefraværet, og bruke ressursene smartere",
        "Videreutvikle ordningen ut fra en begrunnet, klar bestilling fra ledergruppen.",
        "Når kommunedirektøren har gitt oppdraget",
        "Økonomiavdelingen og HMS-koordinator",
        "Ledergruppen og AMU",
        "hms",
        (1, 6),
        False,
    ),
    (
        "Årlige trivselsdager",
        "Arrangere årlige trivselsdager der de gode arbeidsmiljøhistoriene får oppmerksomhet",
        "Konferanse",
        "Første samling i februar",
        "Egen partssammensatt arbeidsgruppe",
        "AMU",
        "hms",
        (0, 2),
        True,
    ),
    (
        "Årlig trivselspris",
        "Løfte fram og honorere god praksis, og motivere alle parter til å delta",
        "Trekke fram den gode praksisen og holdningene som ligger til grunn.",
        "Etter konferansen",
        "Oppnevnt jury",
        "AMU",
        "hms",
        (1, 2),
        False,
    ),
    (
        "Forskningsbasert utvikling",
        "Knytte til oss forskning som kan hjelpe oss: 1) forske på vår systematiske måte å arbeide på, 2) følgeforskning og hjelp til å utvikle systemer",
        "Kontakt med forskningsmiljø; arbeide for å finansiere prosjektet.",
        "Våren",
        "HMS-koordinator og kommunedirektør",
        "Styringsgruppen",
        "hms",
        (2, 4),
        False,
    ),
    (
        "Livsfaseorientert personalpolitikk",
        "En praksis som viser en ivaretakende og inkluderende personalholdning, fra rekruttering til avslutning etter endt tjeneste",
        "Lage et helhetlig, livsfaseorientert styringsdokument med vekt på skift- og turnusarbeid, stillingsstørrelser, kompetanse, seniortiltak og folkehelse.",
        "Start våren, sluttført året etter",
        "Kommunedirektøren utarbeider mandat og oppnevner arbeidsgruppe",
        "Behandling i AMU og kommunestyret",
        "hr",
        (1, 12),
        False,
    ),
)

CONTROL_NOTES = {
    1: (
        ControlStatus.Status.DONE,
        "Lover og forskrifter er tilgjengelige på Lovdata. Oversikten over de viktigste kravene "
        "ligger i Trygg (Internkontroll → Lover og forskrifter) og gjennomgås av HMS-rådgiveren "
        "hvert år.",
    ),
    2: (
        ControlStatus.Status.PARTIAL,
        "Ledere, verneombud og AMU-medlemmer tar 40-timers HMS-kurs. Opplæringen registreres "
        "foreløpig i et regneark hos HR, ikke i Trygg.",
    ),
    3: (
        ControlStatus.Status.DONE,
        "Verneombud i alle verneområder, hovedverneombud, HAMU, AMU per kommunalområde og L-AMU "
        "i de største enhetene.",
    ),
    4: (
        ControlStatus.Status.DONE,
        "HAMU vedtok de overordnede HMS-målene i desember; AMU vedtar lokale mål og "
        "handlingsplaner i januar.",
    ),
    5: (
        ControlStatus.Status.DONE,
        "Organisasjonskart, enheter, ledere og HMS-roller er beskrevet i Trygg.",
    ),
}


def _person(organisation: Organisation, login: str) -> Person | None:
    return Person.objects.filter(
        organisation=organisation, user__username=username_for(organisation.slug, login)
    ).first()


def add_demo_goals(organisation: Organisation, year: int) -> None:
    units = {u.code: u for u in Unit.objects.filter(organisation=organisation).exclude(code="")}
    hms = _person(organisation, "hms")
    hms_user = hms.user if hms else None
    end = year + 4

    def goal(title: str, **kwargs: object):  # type: ignore[no-untyped-def]
        return services.create_goal(
            actor=hms_user,
            organisation=organisation,
            title=title,
            start_year=year,
            end_year=end,
            **kwargs,  # type: ignore[arg-type]
        )

    first = goal(
        OVERARCHING[0],
        indicator_code="absence.percent",
        baseline=Decimal("8.1"),
        target=Decimal("5.4"),
        description="Sykefraværet skal under 5,4 % i planperioden (jf. mål og handlingsplan).",
    )
    second = goal(
        OVERARCHING[1],
        indicator_code="deviations.closed_in_time",
        baseline=Decimal("62"),
        target=Decimal("90"),
        description="Avvik og forbedringsforslag skal lukkes innen fristen, så de som sier fra "
        "ser at det nytter.",
    )
    third = goal(
        OVERARCHING[2],
        measure="Andel ansatte som svarer at de ikke har opplevd mobbing, trakassering eller "
        "uønsket seksuell oppmerksomhet (medarbeiderundersøkelsen)",
        baseline=Decimal("88"),
        target=Decimal("100"),
    )
    day = today()

    def measure(target_goal, values) -> None:  # type: ignore[no-untyped-def]
        for measured_on, value in values:
            if measured_on <= day:
                services.record_measurement(
                    actor=hms_user, goal=target_goal, measured_on=measured_on, value=Decimal(value)
                )

    survey = [(dt.date(year - 2, 3, 15), "86"), (dt.date(year - 1, 3, 15), "88")]
    survey.append((dt.date(year, 3, 15), "91"))
    measure(third, survey)

    if "2100" in units:
        goal(
            "Sykefraværet ved Solbakken sykehjem skal ned til 7 %.",
            unit=units["2100"],
            parent=first,
            indicator_code="absence.percent",
            baseline=Decimal("9.5"),
            target=Decimal("7"),
        )
    if "2200" in units:
        local = goal(
            "Ansatte i hjemmetjenesten skal oppleve at det nytter å melde avvik.",
            unit=units["2200"],
            parent=second,
            measure="Andel som svarer «ja» på om det nytter å si fra (pulsmåling)",
            baseline=Decimal("55"),
            target=Decimal("75"),
        )
        measure(
            local,
            [
                (dt.date(year - 1, 10, 1), "55"),
                (dt.date(year, 2, 1), "61"),
                (dt.date(year, 6, 1), "68"),
            ],
        )
    if "4100" in units:
        goal(
            "Avvik i kommunalteknikk skal lukkes innen fristen.",
            unit=units["4100"],
            parent=second,
            indicator_code="deviations.closed_in_time",
            baseline=Decimal("60"),
            target=Decimal("85"),
        )
    if "3100" in units:
        local = goal(
            "Ingen ansatte ved Nordby skole skal oppleve mobbing eller trakassering.",
            unit=units["3100"],
            parent=third,
            measure="Andel som svarer at de ikke har opplevd mobbing eller trakassering",
            baseline=Decimal("90"),
            target=Decimal("100"),
        )
        measure(local, [(dt.date(year - 1, 3, 15), "90"), (dt.date(year, 3, 15), "87")])

    plan = services.create_plan(
        actor=hms_user,
        organisation=organisation,
        title=f"Mål og handlingsplan for et bedre arbeidsmiljø {year}–{end}",
        start_year=year,
        end_year=end,
        description="Femårig prosjekt med en helhetlig innsats for et bedre arbeidsmiljø: "
        "sykefraværet under 5,4 %, tilrettelegging for egne ansatte og andre med "
        "funksjonsnedsettelser, og en livsfaseorientert personalpolitikk som gjør at ansatte "
        "over 62 år står lenger i arbeid.",
    )
    goals_by_area = {0: first, 2: second, 5: second, 10: second, 12: first}
    people: dict[str, Person | None] = {}
    for index, (area, aim, activity, when, responsible, reporting, login, due, done) in enumerate(
        PLAN_ROWS
    ):
        if login not in people:
            people[login] = _person(organisation, login)
        linked = goals_by_area.get(index)
        row = services.add_plan_row(
            actor=hms_user,
            plan=plan,
            focus_area=area,
            goal=linked,
            goal_text="" if linked else aim,
            activity=activity,
            when=when,
            responsible=responsible,
            reporting=reporting,
            owner=people[login],
            deadline=dt.date(year + due[0], due[1], 28 if due[1] == 2 else 30),
        )
        if done:
            complete_action_item(actor=hms_user, item=row.action_item, result="Gjennomført.")
        elif index == 3:
            update_action_item(actor=hms_user, item=row.action_item, status="in_progress")

    amu = Committee.objects.filter(organisation=organisation, name="AMU Helse og omsorg").first()
    if amu is not None:
        local_plan = services.create_plan(
            actor=hms_user,
            organisation=organisation,
            committee=amu,
            title=f"HMS-handlingsplan for AMU Helse og omsorg {year}",
            start_year=year,
            end_year=year,
        )
        for area, activity, login, month in (
            (
                "Sykefravær",
                "Tertialvis gjennomgang av sykefraværet per enhet i AMU.",
                "secretary",
                5,
            ),
            (
                "Vold og trusler",
                "Oppdatere risikovurderingen for vold og trusler i hjemmetjenesten.",
                "leader",
                9,
            ),
            ("Vernerunder", "Vernerunder i alle enheter innen 1. mars.", "leader", 3),
        ):
            if login not in people:
                people[login] = _person(organisation, login)
            row = services.add_plan_row(
                actor=hms_user,
                plan=local_plan,
                focus_area=area,
                goal=first
                if area == "Sykefravær"
                else third
                if area == "Vold og trusler"
                else None,
                goal_text="Vernerunder gjennomført i alle enheter" if area == "Vernerunder" else "",
                activity=activity,
                when=f"Innen {month}. måned",
                responsible="Enhetsleder" if login == "leader" else "AMU-sekretær",
                reporting="AMU",
                owner=people[login],
                deadline=dt.date(year, month, 28),
            )
            if month == 3:
                complete_action_item(actor=hms_user, item=row.action_item, result="Gjennomført.")

    for point, (status, note) in CONTROL_NOTES.items():
        services.set_control_status(
            actor=hms_user, organisation=organisation, point=point, status=status, note=note
        )
