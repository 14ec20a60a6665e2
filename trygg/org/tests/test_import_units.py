"""Importing units: creating the tree, renaming and moving by unit code, refusing cycles."""

from __future__ import annotations

import pytest

from trygg.audit.models import AuditEntry
from trygg.org.importing import Kind, Status, commit_import, preview_import
from trygg.org.models import Unit
from trygg.org.tests import factories as f
from trygg.org.tests.files import (
    UNIT_HEADER,
    csv_file,
    english,  # noqa: F401 (autouse fixture)
    unit,
)


def units_file(rows, **kw):
    return csv_file(rows, header=UNIT_HEADER, **kw)


def run(world, rows, actor=None):
    return commit_import(
        actor=actor or world.admin,
        organisation=world.org,
        kind=Kind.UNITS,
        data=units_file(rows),
        filename="enheter.csv",
    )


def check(world, rows):
    return preview_import(organisation=world.org, kind=Kind.UNITS, data=units_file(rows))


def world_units():
    return [
        unit("1000", "Testkommune", "", "kommune"),
        unit("2000", "Helse og omsorg", "1000", "kommunalområde"),
        unit("2100", "Solbakken sykehjem", "2000", "enhet"),
        unit("2110", "Avdeling A", "2100", "avdeling"),
        unit("3000", "Oppvekst", "1000", "kommunalområde"),
        unit("3100", "Lia barnehage", "3000", "enhet"),
    ]


def snapshot(org):
    units = Unit.objects.filter(organisation=org).values_list(
        "code", "name", "kind", "path", "depth"
    )
    return sorted(units), AuditEntry.objects.count()


def test_it_creates_a_whole_tree_with_children_before_their_parents(db):
    org = f.make_organisation()
    rows = [
        unit("110", "Avdeling 1", "100", "avdeling"),
        unit("100", "Sykehjemmet", "10", "enhet"),
        unit("10", "Helse", "1", "kommunalområde"),
        unit("1", "Kommunen", "", "kommune"),
    ]

    outcome = commit_import(actor=None, organisation=org, kind=Kind.UNITS, data=units_file(rows))

    assert outcome.ok and outcome.counts["new"] == 4
    ward = Unit.objects.get(organisation=org, code="110")
    assert [u.code for u in Unit.objects.filter(pk__in=ward.ancestor_ids())] == [
        "1",
        "10",
        "100",
        "110",
    ]
    assert (ward.kind, ward.depth) == (Unit.Kind.DEPARTMENT, 3)
    assert (
        AuditEntry.objects.filter(object_type="org.unit", action=AuditEntry.Action.CREATE).count()
        == 4
    )
    assert (
        AuditEntry.objects.filter(
            action=AuditEntry.Action.IMPORT, object_type="org.import.units"
        ).count()
        == 1
    )


def test_it_changes_nothing_when_the_file_matches(world):
    before = snapshot(world.org)

    outcome = run(world, world_units())

    assert outcome.ok and not outcome.has_changes and not outcome.committed
    assert outcome.counts["unchanged"] == 6
    assert snapshot(world.org) == before


def test_it_renames_and_moves_units_by_code(world):
    rows = world_units()
    rows[3] = unit("2110", "Avdeling Nord", "2100", "avdeling")
    rows[2] = unit("2100", "Solbakken sykehjem", "3000", "enhet")  # moved to Oppvekst with its ward

    outcome = run(world, rows)

    assert outcome.counts == {"new": 0, "changed": 2, "ended": 0, "unchanged": 4}
    world.ward.refresh_from_db()
    assert world.ward.name == "Avdeling Nord"
    assert world.ward.path.startswith(world.school_area.path)
    assert (
        AuditEntry.objects.filter(object_type="org.unit", action=AuditEntry.Action.UPDATE).count()
        == 2
    )
    before = snapshot(world.org)
    assert not run(world, rows).has_changes
    assert snapshot(world.org) == before


def test_it_swaps_a_parent_and_a_child(world):
    rows = [
        unit("2110", "Avdeling A", "2000", "enhet"),
        unit("2100", "Solbakken sykehjem", "2110", "avdeling"),
    ]

    outcome = run(world, rows)

    assert outcome.ok, outcome.errors
    world.nursing_home.refresh_from_db()
    world.ward.refresh_from_db()
    assert world.nursing_home.parent == world.ward and world.ward.parent == world.health
    assert world.nursing_home.path.startswith(world.ward.path)


def test_it_leaves_units_missing_from_the_file_alone(world):
    before = snapshot(world.org)

    outcome = run(world, [unit("3200", "Nye barnehage", "3000", "enhet")])

    assert outcome.counts == {"new": 1, "changed": 0, "ended": 0, "unchanged": 0}
    assert Unit.objects.filter(organisation=world.org).count() == len(before[0]) + 1


def test_it_keeps_a_parent_that_has_no_code(world):
    helper = f.make_unit(world.org, "Uten kode", parent=world.top)
    child = f.make_unit(world.org, "Barn", parent=helper, code="7000")

    outcome = check(world, [unit("7000", "Barn", "", "enhet")])

    assert outcome.ok and outcome.changes[0].status == Status.UNCHANGED
    assert child.parent == helper


@pytest.mark.parametrize(
    ("rows", "row", "expected"),
    [
        (
            [unit("4000", "Ny", "9999")],
            2,
            "The parent unit 9999 is neither in the file nor in Trygg.",
        ),
        ([unit("4000", "Ny", "4000")], 2, "Unit 4000 cannot be its own parent unit."),
        (
            [unit("4000", "Ny", ""), unit("4000", "Igjen", "")],
            3,
            "Unit code 4000 is in the file more than once (first on row 2).",
        ),
        ([unit("4000", "", "")], 2, "«Navn» is empty."),
        ([unit("", "Ny", "")], 2, "«Enhetskode» is empty."),
        (
            [unit("4000", "Ny", "", "fylke")],
            2,
            "«Nivå» is «fylke». Use kommune, kommunalområde, enhet or avdeling.",
        ),
    ],
)
def test_it_reports_bad_unit_rows(world, rows, row, expected):
    outcome = check(world, rows)

    assert [(e.row, e.message) for e in outcome.errors] == [(row, expected)]


def test_it_does_not_blame_children_for_a_parent_row_with_errors(world):
    outcome = check(world, [unit("4000", "", "1000"), unit("4100", "Barn", "4000")])

    assert [(e.row, e.message) for e in outcome.errors] == [(2, "«Navn» is empty.")]


def test_it_refuses_a_cycle_in_the_file(world):
    rows = [
        unit("5000", "A", "5200"),
        unit("5100", "B", "5000"),
        unit("5200", "C", "5100"),
        unit("5300", "D", "1000"),
    ]

    outcome = check(world, rows)

    assert [e.row for e in outcome.errors] == [2, 3, 4]
    assert (
        "Unit 5000 would end up under itself: 5000 → 5200 → 5100 → 5000."
        in outcome.errors[0].message
    )


def test_it_refuses_to_move_a_unit_under_its_own_subunit(world):
    before = snapshot(world.org)

    outcome = run(world, [unit("2000", "Helse og omsorg", "2110", "kommunalområde")])

    assert not outcome.committed
    assert [str(e) for e in outcome.errors] == [
        "Row 2: Unit 2000 would end up under itself: 2000 → 2110 → 2100 → 2000. Check the parent unit codes."
    ]
    assert snapshot(world.org) == before


def test_it_writes_no_unit_when_one_row_fails(world):
    before = snapshot(world.org)

    outcome = run(
        world,
        [unit("4000", "Ny", "1000"), unit("4100", "Ny 2", "4000"), unit("4200", "Feil", "8888")],
    )

    assert [e.row for e in outcome.errors] == [4]
    assert snapshot(world.org) == before
