"""Use cases: the matrix and its versions, scoring, completion, re-assessment, measures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from trygg.actions.models import ActionItem
from trygg.audit.models import AuditEntry
from trygg.risk import matrix as defaults
from trygg.risk import queries, services
from trygg.risk.models import Assessment, Band, Hazard, RiskCell, RiskMatrix
from trygg.risk.tests.factories import make_assessment, make_completed, make_hazard


def _levels(n: int) -> list[dict[str, str]]:
    return [{"name": f"Nivå {i}", "definition": f"Definisjon {i}"} for i in range(1, n + 1)]


def test_it_fixes_the_default_5x5_matrix_with_written_definitions(world):
    matrix = services.ensure_matrix(actor=world.hms, organisation=world.org)
    assert matrix.size_label == "5×5"
    assert all(level["name"] and level["definition"] for level in matrix.probability_levels)
    assert all(level["name"] and level["definition"] for level in matrix.consequence_levels)
    assert (matrix.low_max, matrix.medium_max) == (4, 9)  # rules.md § 10: green ≤ 4, red ≥ 10
    assert matrix.band(4) == Band.LOW and matrix.band(5) == Band.MEDIUM
    assert matrix.band(9) == Band.MEDIUM and matrix.band(10) == Band.HIGH
    assert matrix.acceptance_criteria
    assert services.ensure_matrix(actor=None, organisation=world.org) == matrix


@pytest.mark.parametrize("rows,columns", [(3, 3), (4, 6), (6, 6)])
def test_it_allows_matrices_from_3x3_to_6x6(world, rows, columns):
    low, medium = defaults.scaled_bands(rows, columns)
    matrix = services.set_matrix(
        actor=world.hms,
        organisation=world.org,
        probability_levels=_levels(rows),
        consequence_levels=_levels(columns),
        low_max=low,
        medium_max=medium,
        acceptance_criteria="Kriterier",
    )
    assert (matrix.rows, matrix.columns) == (rows, columns)


@pytest.mark.parametrize("rows,columns", [(2, 5), (5, 7)])
def test_it_refuses_matrices_outside_3_to_6_levels(world, rows, columns):
    with pytest.raises(ValidationError) as error:
        services.set_matrix(
            actor=world.hms,
            organisation=world.org,
            probability_levels=_levels(rows),
            consequence_levels=_levels(columns),
            low_max=2,
            medium_max=4,
            acceptance_criteria="Kriterier",
        )
    assert "between 3 and 6" in str(error.value)
    assert not RiskMatrix.objects.filter(organisation=world.org).exists()


def test_it_refuses_levels_without_definition_and_bands_out_of_order(world):
    levels = _levels(5)
    levels[2]["definition"] = " "
    with pytest.raises(ValidationError, match="Level 3 needs a name and a written definition"):
        services.set_matrix(
            actor=world.hms,
            organisation=world.org,
            probability_levels=levels,
            consequence_levels=_levels(5),
            low_max=4,
            medium_max=9,
            acceptance_criteria="K",
        )
    with pytest.raises(ValidationError, match="bands"):
        services.set_matrix(
            actor=world.hms,
            organisation=world.org,
            probability_levels=_levels(5),
            consequence_levels=_levels(5),
            low_max=10,
            medium_max=9,
            acceptance_criteria="K",
        )
    with pytest.raises(ValidationError, match="acceptance criteria"):
        services.set_matrix(
            actor=world.hms,
            organisation=world.org,
            probability_levels=_levels(5),
            consequence_levels=_levels(5),
            low_max=4,
            medium_max=9,
            acceptance_criteria="",
        )


def test_a_changed_matrix_leaves_old_assessments_on_their_version(world):
    old = make_completed(world.nursing_home, scores=((5, 5),))
    first = old.matrix
    new = services.set_matrix(
        actor=world.hms,
        organisation=world.org,
        probability_levels=_levels(3),
        consequence_levels=_levels(3),
        low_max=2,
        medium_max=4,
        acceptance_criteria="Nye kriterier",
    )
    assert new.pk != first.pk and new.version == first.version + 1
    old.refresh_from_db()
    first.refresh_from_db()
    assert old.matrix_id == first.pk and first.size_label == "5×5"
    assert make_assessment(world.ward).matrix_id == new.pk
    # Before any assessment a change updates the version in place.
    again = services.set_matrix(
        actor=world.hms,
        organisation=world.org,
        probability_levels=_levels(4),
        consequence_levels=_levels(4),
        low_max=3,
        medium_max=8,
        acceptance_criteria="K",
    )
    assert again.pk == new.pk or again.version == new.version + 1


def test_scores_outside_the_matrix_are_refused_with_a_clear_message(world):
    assessment = make_assessment(world.nursing_home)
    with pytest.raises(ValidationError) as error:
        make_hazard(assessment, probability=6, consequence=2)
    assert "outside this assessment's matrix (5×5, version 1)" in str(error.value)
    assert "1 to 5" in str(error.value)
    with pytest.raises(ValidationError, match="both probability and consequence"):
        make_hazard(assessment, probability=3)
    with pytest.raises(ValidationError):
        make_hazard(assessment, probability=0, consequence=1)
    assert not Hazard.objects.filter(assessment=assessment).exists()
    hazard = make_hazard(assessment, probability=3, consequence=4)
    with pytest.raises(ValidationError):
        services.update_hazard(
            actor=None, hazard=hazard, residual_probability=2, residual_consequence=9
        )
    hazard.refresh_from_db()
    assert hazard.residual_probability is None and hazard.score == 12


def test_own_category_needs_a_name(world):
    assessment = make_assessment(world.nursing_home)
    with pytest.raises(ValidationError, match="own category"):
        make_hazard(assessment, category=Hazard.Category.OWN)
    hazard = make_hazard(assessment, category=Hazard.Category.OWN, own_category="Smitte")
    assert hazard.category_label == "Smitte"


def test_completion_needs_scored_hazards_and_fixes_the_version(world):
    assessment = make_assessment(world.nursing_home)
    with pytest.raises(ValidationError, match="at least one hazard"):
        services.complete_assessment(actor=None, assessment=assessment)
    hazard = make_hazard(assessment)
    with pytest.raises(ValidationError, match="1 hazards have no score"):
        services.complete_assessment(actor=None, assessment=assessment)
    services.update_hazard(actor=None, hazard=hazard, probability=2, consequence=2)
    services.complete_assessment(actor=world.leader, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.COMPLETED
    with pytest.raises(ValidationError, match="completed and cannot be changed"):
        services.update_hazard(actor=None, hazard=hazard, probability=5, consequence=5)
    with pytest.raises(ValidationError):
        make_hazard(assessment)
    assert (
        AuditEntry.objects.filter(
            object_type="risk.assessment", object_id=str(assessment.pk)
        ).count()
        >= 2
    )


def test_reassessment_makes_a_new_version_and_keeps_the_old_one_readable(world):
    first = make_completed(world.nursing_home, scores=((5, 5), (1, 1)))
    draft = services.reassess(
        actor=world.leader,
        assessment=first,
        assessed_on=dt.date(2027, 2, 1),
        review_due=dt.date(2028, 2, 1),
    )
    assert draft.version == 2 and draft.series_id == first.pk and draft.is_draft
    assert [h.score for h in queries.hazards_of(draft)] == [25, 1]
    with pytest.raises(ValidationError, match="already in progress"):
        services.reassess(
            actor=None,
            assessment=first,
            assessed_on=dt.date(2027, 2, 1),
            review_due=dt.date(2028, 2, 1),
        )
    changed = queries.hazards_of(draft)[0]
    services.update_hazard(actor=None, hazard=changed, probability=2, consequence=2)
    services.complete_assessment(actor=None, assessment=draft)
    first.refresh_from_db()
    assert first.status == Assessment.Status.SUPERSEDED
    assert [h.score for h in queries.hazards_of(first)] == [25, 1]  # unchanged
    assert [v.version for v in queries.versions_of(first)] == [2, 1]
    assert changed.lineage == queries.hazards_of(first)[0].pk


def test_reassessment_on_a_matrix_of_another_size_scores_again(world):
    first = make_completed(world.nursing_home, scores=((5, 5),))
    services.set_matrix(
        actor=world.hms,
        organisation=world.org,
        probability_levels=_levels(3),
        consequence_levels=_levels(3),
        low_max=2,
        medium_max=4,
        acceptance_criteria="K",
    )
    draft = services.reassess(
        actor=None,
        assessment=first,
        assessed_on=dt.date(2027, 1, 1),
        review_due=dt.date(2028, 1, 1),
    )
    assert draft.matrix.size_label == "3×3"
    assert [h.score for h in queries.hazards_of(draft)] == [None]


def test_measures_are_action_items_owned_by_a_person(world):
    assessment = make_completed(world.nursing_home)
    hazard = queries.hazards_of(assessment)[0]
    item = services.add_measure(
        actor=world.leader,
        hazard=hazard,
        title="Alarm",
        owner=world.employee.person,
        deadline=dt.date(2026, 6, 1),
    )
    assert item.source == hazard and item.unit == world.nursing_home
    assert item.organisation_id == world.org.pk
    assert list(ActionItem.objects.for_source(hazard)) == [item]
    # The measure follows the hazard into the next version.
    draft = services.reassess(
        actor=None,
        assessment=assessment,
        assessed_on=dt.date(2027, 1, 1),
        review_due=dt.date(2028, 1, 1),
    )
    copy = queries.hazards_of(draft)[0]
    assert queries.measures_of([copy])[copy.pk] == [item]


def test_a_measure_for_a_person_of_another_organisation_is_refused(world):
    from trygg.org.models import Person

    hazard = queries.hazards_of(make_completed(world.nursing_home))[0]
    stranger = Person.objects.get(user=world.outsider)
    with pytest.raises(ValidationError):
        services.add_measure(actor=None, hazard=hazard, title="X", owner=stranger, deadline=None)
    assert not ActionItem.objects.exists()


def test_the_heat_map_aggregate_agrees_with_a_rebuild(world):
    first = make_completed(world.nursing_home, scores=((5, 5), (2, 2), (2, 2)))
    make_completed(world.kindergarten, scores=((1, 3),))
    draft = services.reassess(
        actor=None,
        assessment=first,
        assessed_on=dt.date(2027, 1, 1),
        review_due=dt.date(2028, 1, 1),
    )
    services.update_hazard(
        actor=None,
        hazard=queries.hazards_of(draft)[0],
        probability=1,
        consequence=1,
        residual_probability=1,
        residual_consequence=1,
    )
    services.complete_assessment(actor=None, assessment=draft)
    kept = sorted(
        RiskCell.objects.values_list("unit_id", "residual", "probability", "consequence", "count"),
        key=str,
    )
    services.rebuild_risk_cells(world.org.pk)
    rebuilt = sorted(
        RiskCell.objects.values_list("unit_id", "residual", "probability", "consequence", "count"),
        key=str,
    )
    assert kept == rebuilt
    assert RiskCell.objects.filter(unit__isnull=True).exists()  # the organisation's totals
    picture = queries.heat_map(world.org.pk, None)
    assert picture.cells == {(1, 1): 1, (2, 2): 2, (1, 3): 1}
    assert picture.bands == {Band.LOW: 4, Band.MEDIUM: 0, Band.HIGH: 0}
    assert queries.heat_map(world.org.pk, None, residual=True).cells == {(1, 1): 1}


def test_a_generated_organisation_can_be_deleted_with_its_assessments(world):
    from trygg.org.demo import delete_organisation

    assessment = make_completed(world.nursing_home)
    services.add_measure(
        actor=None, hazard=queries.hazards_of(assessment)[0], title="T", owner=None, deadline=None
    )
    delete_organisation(world.org)
    assert not Assessment.objects.exists() and not RiskMatrix.objects.exists()
    assert not RiskCell.objects.exists()
