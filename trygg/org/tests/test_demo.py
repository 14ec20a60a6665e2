"""`trygg demo` and `trygg demo-logins`: the demo municipality, its logins and the large generator."""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from trygg.accounts.models import Organisation, User
from trygg.audit.models import AuditEntry
from trygg.lib.dates import today
from trygg.org import demo
from trygg.org.models import (
    Committee,
    CommitteeMember,
    CommitteeYear,
    Employment,
    OHSContact,
    Person,
    SafetyArea,
    SafetyRepresentative,
    UnionRepresentative,
    Unit,
    path_segment,
)
from trygg.org.principal import Role, get_principal

Side = CommitteeMember.Side


@pytest.fixture(scope="module")
def demo_org(django_db_setup, django_db_blocker) -> Iterator[Organisation]:
    """The demo is built once for this module (through the services it takes a second or two)
    and removed afterwards, so that other modules see an empty database."""
    with django_db_blocker.unblock():
        organisation = demo.build_demo()
    yield organisation
    with django_db_blocker.unblock():
        demo.delete_organisation(Organisation.objects.get(pk=organisation.pk))


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def fingerprint(organisation: Organisation) -> tuple[list[tuple], ...]:
    """Everything generated, by name and number rather than primary key."""

    def rows(qs, *fields: str) -> list[tuple]:  # type: ignore[no-untyped-def]
        return sorted(qs.filter(organisation=organisation).values_list(*fields), key=repr)

    return (
        rows(Unit.objects, "name", "code", "kind", "depth", "parent__code"),
        rows(Person.objects, "first_name", "last_name", "employee_number", "email", "is_external"),
        rows(
            Employment.objects,
            "person__employee_number",
            "unit__code",
            "title",
            "position_percent",
            "employment_type",
            "start_date",
            "end_date",
            "is_leader",
        ),
        rows(SafetyArea.objects, "name", "units__code"),
        rows(
            SafetyRepresentative.objects,
            "person__employee_number",
            "area__name",
            "role",
            "start_date",
        ),
        rows(
            CommitteeMember.objects, "committee__name", "person__employee_number", "side", "office"
        ),
        rows(
            CommitteeYear.objects,
            "committee__name",
            "year",
            "chair__person__employee_number",
            "chair_side",
        ),
        rows(
            UnionRepresentative.objects, "person__employee_number", "union", "unit__code", "is_main"
        ),
        rows(User.objects, "username", "first_name", "last_name", "person__employee_number"),
    )


# --- The demo municipality ------------------------------------------------------------------
def test_it_creates_about_300_employees_in_15_units_under_3_areas(db, demo_org):
    units = Unit.objects.filter(organisation=demo_org)
    assert units.filter(kind=Unit.Kind.TOP).count() == 1
    assert units.filter(kind=Unit.Kind.AREA).count() == 3
    assert units.filter(kind=Unit.Kind.UNIT, parent__kind=Unit.Kind.AREA).count() == 15
    assert units.filter(kind=Unit.Kind.DEPARTMENT).count() >= 10
    assert 280 <= demo.current_employee_count(demo_org) <= 320
    assert Employment.objects.filter(organisation=demo_org, end_date__lt=demo.HIRED_BEFORE).exists()
    current = Employment.objects.current().filter(organisation=demo_org)
    assert current.filter(end_date__isnull=False).count() == 0
    types = set(current.values_list("employment_type", flat=True))
    assert types == {Employment.Type.PERMANENT, Employment.Type.TEMPORARY, Employment.Type.ON_CALL}
    assert current.filter(position_percent__lt=100, unit__code__startswith="21").count() > 20
    assert Person.objects.filter(organisation=demo_org, last_name__regex="[æøåÆØÅ]").exists()


def test_it_gives_every_unit_a_leader_and_covers_it_with_a_safety_area(db, demo_org):
    units = list(Unit.objects.filter(organisation=demo_org))
    led = set(
        Employment.objects.current()
        .filter(organisation=demo_org, is_leader=True)
        .values_list("unit_id", flat=True)
    )
    covered = set(
        SafetyArea.units.through.objects.filter(safetyarea__organisation=demo_org).values_list(
            "unit_id", flat=True
        )
    )
    assert {u.pk for u in units} <= led
    assert {u.pk for u in units} <= covered
    top = next(u for u in units if u.kind == Unit.Kind.TOP)
    assert Employment.objects.get(unit=top, is_leader=True).title == "Kommunedirektør"
    assert all(
        u.path == u.parent.path + path_segment(u.pk)
        for u in Unit.objects.filter(organisation=demo_org).select_related("parent")
        if u.parent
    )


def test_it_builds_the_committees_by_the_rules(db, demo_org):
    committees = Committee.objects.filter(organisation=demo_org)
    hamu = committees.get(kind=Committee.Kind.HAMU)
    assert committees.filter(kind=Committee.Kind.AMU, parent=hamu).count() == 3
    lamus = committees.filter(kind=Committee.Kind.LAMU)
    assert lamus.count() >= 2
    assert all(lamu.parent.kind == Committee.Kind.AMU for lamu in lamus)
    main_rep = SafetyRepresentative.objects.get(
        organisation=demo_org, role=SafetyRepresentative.Role.MAIN
    )
    assert hamu.members.filter(person=main_rep.person, side=Side.EMPLOYEE).exists()
    for committee in committees:
        members = committee.members.current()
        voting = members.filter(office=CommitteeMember.Office.MEMBER)
        assert (
            voting.filter(side=Side.EMPLOYER).count()
            == voting.filter(side=Side.EMPLOYEE).count()
            >= 2
        )
        assert members.filter(side=Side.BHT).count() == 1
        assert members.filter(office=CommitteeMember.Office.SECRETARY).count() == 1
        assert all((m.end_date - m.start_date).days in (729, 730) for m in members)
        years = list(committee.years.order_by("year").values_list("chair_side", flat=True))
        assert len(years) == 2 and years[0] != years[1]


def test_it_adds_union_representatives_and_the_occupational_health_service(db, demo_org):
    unions = set(
        UnionRepresentative.objects.filter(organisation=demo_org).values_list("union", flat=True)
    )
    assert {
        "Fagforbundet",
        "Norsk Sykepleierforbund",
        "Utdanningsforbundet",
        "Fellesorganisasjonen (FO)",
    } <= unions
    contacts = OHSContact.objects.filter(organisation=demo_org).select_related("person")
    assert len(contacts) == 2
    assert all(c.person.is_external for c in contacts)
    areas = SafetyArea.objects.filter(organisation=demo_org).count()
    reps = SafetyRepresentative.objects.filter(
        organisation=demo_org, role=SafetyRepresentative.Role.REPRESENTATIVE
    )
    assert reps.filter(end_date__gte=today()).count() == areas


EXPECTED = {
    "admin": lambda p: p.is_admin,
    "hms": lambda p: p.is_hms_coordinator,
    "hr": lambda p: p.has(Role.HR),
    "bht": lambda p: p.has(Role.BHT),
    "leader": lambda p: p.is_leader,
    "safety_rep": lambda p: bool(p.safety_paths) and not p.is_main_safety_rep,
    "main_safety_rep": lambda p: p.is_main_safety_rep,
    "amu_member": lambda p: bool(p.committee_ids) and not p.secretary_committee_ids,
    "secretary": lambda p: len(p.secretary_committee_ids) >= 2,
    "employee": lambda p: (
        p.person_id is not None
        and not (p.grants or p.is_leader or p.is_safety_rep or p.committee_ids)
    ),
}


def test_it_has_one_login_per_role_that_can_log_in_with_that_role(db, demo_org):
    logins = demo.demo_logins()
    assert [login["role"] for login in logins] == list(EXPECTED)
    for login in logins:
        assert Client().login(username=login["username"], password=login["password"]), login
        user = User.objects.get(username=login["username"])
        principal = get_principal(user)
        assert principal.organisation_id == demo_org.pk
        assert EXPECTED[login["role"]](principal), login
        assert login["name"] == user.get_full_name() != ""


def test_it_lets_the_leader_lead_the_nursing_home_and_the_safety_rep_cover_it(db, demo_org):
    nursing_home = Unit.objects.get(organisation=demo_org, code="2100")
    leader = get_principal(User.objects.get(username="leder"))
    rep = get_principal(User.objects.get(username="verneombud"))
    assert leader.leader_paths == (nursing_home.path,)
    assert nursing_home.path in rep.safety_paths


def test_it_is_deterministic_and_builds_with_if_empty_on_an_empty_database(db, demo_org):
    before = fingerprint(demo_org)
    # A fresh instance: deleting clears the primary key of the module's shared one.
    demo.delete_organisation(Organisation.objects.get(pk=demo_org.pk))
    assert not Organisation.objects.exists()
    assert "Created" in run("demo", "--if-empty")
    again = Organisation.objects.get(slug=demo.DEMO_SLUG)
    assert again.pk != demo_org.pk
    assert fingerprint(again) == before


def test_it_resets_a_generated_organisation(db):
    run("demo", "--employees", "200", "--organisation-slug", "storby")
    first = Organisation.objects.get(slug="storby")
    output = run("demo", "--employees", "200", "--organisation-slug", "storby", "--reset")
    assert "Deleted" in output
    again = Organisation.objects.get(slug="storby")
    assert again.pk != first.pk
    assert not AuditEntry.objects.filter(organisation_id=first.pk).exists()
    assert not User.objects.filter(organisation_id=first.pk).exists()
    assert demo.current_employee_count(again) == 200


def test_it_refuses_to_overwrite_the_demo_without_reset(db, demo_org):
    with pytest.raises(CommandError, match="already exists"):
        run("demo")
    assert Organisation.objects.filter(slug=demo.DEMO_SLUG).count() == 1


def test_it_does_nothing_with_if_empty_when_an_organisation_exists(db, demo_org):
    people = Person.objects.count()
    assert "already has an organisation" in run("demo", "--if-empty")
    assert Person.objects.count() == people


def test_it_prints_the_logins_as_json(db, demo_org):
    logins = json.loads(run("demo_logins"))
    assert len(logins) == len(demo.LOGIN_ROLES)
    for login in logins:
        assert set(login) == {"role", "username", "password", "name"}
        assert login["password"] == demo.DEMO_PASSWORD
    assert {login["username"] for login in logins} >= {
        "admin",
        "hms",
        "leder",
        "verneombud",
        "ansatt",
    }


def test_it_prints_the_logins_as_a_table(db, demo_org):
    table = run("demo_logins", "--table")
    assert demo.DEMO_PASSWORD in table
    assert "sekretaer" in table and "Hovedverneombud" in table


def test_it_prints_no_logins_for_an_unknown_organisation(db, demo_org):
    assert json.loads(run("demo_logins", "--organisation-slug", "nowhere")) == []
    assert "No demo logins" in run("demo_logins", "--table", "--organisation-slug", "nowhere")


# --- The large generator ----------------------------------------------------------------------
def test_it_builds_a_large_organisation_with_correct_paths(db):
    output = run("demo", "--employees", "500", "--organisation-slug", "storby")
    assert "500 employees" in output
    organisation = Organisation.objects.get(slug="storby")
    units = {u.pk: u for u in Unit.objects.filter(organisation=organisation)}
    assert len(units) == 40
    assert max(u.depth for u in units.values()) >= 4
    for unit in units.values():
        if unit.parent_id is None:
            assert unit.path == path_segment(unit.pk) and unit.depth == 0
        else:
            parent = units[unit.parent_id]
            assert unit.path == parent.path + path_segment(unit.pk)
            assert unit.depth == parent.depth + 1
    for unit in [u for u in units.values() if u.depth == 2][:5]:
        below, frontier = {unit.pk}, [unit.pk]
        while frontier:
            frontier = [u.pk for u in units.values() if u.parent_id in frontier]
            below.update(frontier)
        subtree = Unit.objects.filter(organisation=organisation).subtree_of([unit.path])
        assert set(subtree.values_list("pk", flat=True)) == below
    assert demo.current_employee_count(organisation) == 500
    assert (
        Employment.objects.current().filter(organisation=organisation, is_leader=True).count() == 40
    )


def test_it_gives_the_large_organisation_committees_logins_and_one_audit_event(db):
    result = demo.build_large(employees=500, slug="storby")
    organisation = result.organisation
    assert AuditEntry.objects.filter(organisation=organisation).count() == 1
    committees = Committee.objects.filter(organisation=organisation)
    assert committees.filter(kind=Committee.Kind.HAMU).count() == 1
    assert committees.filter(kind=Committee.Kind.AMU).count() == 6
    assert CommitteeYear.objects.filter(organisation=organisation).count() == 2 * committees.count()
    logins = demo.demo_logins("storby")
    assert [login["username"] for login in logins][:2] == ["storby-admin", "storby-hms"]
    for login in logins:
        principal = get_principal(User.objects.get(username=login["username"]))
        assert EXPECTED[login["role"]](principal), login
    assert Client().login(username="storby-admin", password=demo.DEMO_PASSWORD)


def test_it_rejects_a_tiny_large_organisation(db):
    with pytest.raises(CommandError, match="at least 200"):
        run("demo", "--employees", "10")
