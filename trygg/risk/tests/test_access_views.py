"""Every page per role: writers, readers, outsiders (404) and read-only users (403)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from trygg.actions.models import ActionItem
from trygg.risk import queries
from trygg.risk.models import Assessment, Hazard, Participant
from trygg.risk.tests.factories import make_assessment, make_completed, make_hazard

PASSWORD = "passord-1234"
WRITERS = ["hms", "leader", "safety_rep"]
READERS = ["bht", "admin", "employee"]  # read the nursing home's assessments, may not write
STRANGERS = ["colleague", "outsider"]  # another unit, another organisation


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def draft(world):
    assessment = make_assessment(world.nursing_home)
    make_hazard(assessment, "Vold fra pasient", probability=3, consequence=4)
    return assessment


@pytest.fixture
def completed(world):
    return make_completed(world.nursing_home)


def _pages(assessment: Assessment, hazard: Hazard) -> list[str]:
    return [
        reverse("risk:assessment_detail", args=[assessment.pk]),
        reverse("risk:hazard_detail", args=[hazard.pk]),
        reverse("risk:assessment_xlsx", args=[assessment.pk]),
        reverse("risk:assessment_template", args=[assessment.pk]),
    ]


@pytest.mark.parametrize("persona", WRITERS + READERS)
def test_it_shows_the_assessment_to_those_who_may_read_it(client, world, draft, persona):
    login(client, getattr(world, persona))
    hazard = draft.hazards.get()
    for url in _pages(draft, hazard):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", STRANGERS)
def test_it_hides_the_assessment_from_others(client, world, draft, persona):
    login(client, getattr(world, persona))
    hazard = draft.hazards.get()
    for url in [
        *_pages(draft, hazard),
        reverse("risk:assessment_edit", args=[draft.pk]),
        reverse("risk:hazard_edit", args=[hazard.pk]),
        reverse("risk:measure_create", args=[hazard.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("risk:assessment_complete", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("persona", READERS)
def test_read_only_users_get_403_on_writes(client, world, draft, persona):
    login(client, getattr(world, persona))
    hazard = draft.hazards.get()
    for url in [
        reverse("risk:assessment_edit", args=[draft.pk]),
        reverse("risk:hazard_create", args=[draft.pk]),
        reverse("risk:hazard_edit", args=[hazard.pk]),
        reverse("risk:participant_add", args=[draft.pk]),
        reverse("risk:measure_create", args=[hazard.pk]),
        reverse("risk:assessment_reassess", args=[draft.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("risk:assessment_complete", args=[draft.pk])).status_code == 403
    assert client.post(reverse("risk:hazard_delete", args=[hazard.pk])).status_code == 403
    assert client.get(reverse("risk:matrix_edit")).status_code == 403
    draft.refresh_from_db()
    assert draft.is_draft and draft.hazards.count() == 1


def test_employees_read_only_their_own_units_and_those_above(client, world):
    own = make_assessment(world.ward, "Avdelingens ROS")
    above = make_assessment(world.health, "Områdets ROS")
    other = make_assessment(world.kindergarten, "Barnehagens ROS")
    login(client, world.employee)
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(above.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    listed = client.get(reverse("risk:assessment_list")).content.decode()
    assert "Avdelingens ROS" in listed and "Områdets ROS" in listed
    assert "Barnehagens ROS" not in listed


@pytest.mark.parametrize("persona", WRITERS)
def test_writers_start_an_assessment_from_the_violence_template(client, world, persona):
    login(client, getattr(world, persona))
    assert client.get(reverse("risk:assessment_create") + "?mal=vold-og-trusler").status_code == 200
    response = client.post(
        reverse("risk:assessment_create"),
        {
            "template": "vold-og-trusler",
            "unit": world.nursing_home.pk,
            "title": "Vold og trusler – Solbakken",
            "scope": "theme",
            "assessed_on": "02.03.2026",
            "review_due": "01.03.2027",
        },
    )
    assessment = Assessment.objects.get(title="Vold og trusler – Solbakken")
    assert response.status_code == 302 and response["Location"] == assessment.get_absolute_url()
    assert assessment.template == "vold-og-trusler"
    assert assessment.hazards.count() >= 8
    assert all(h.category == Hazard.Category.VIOLENCE for h in assessment.hazards.all())


def test_nobody_starts_an_assessment_for_a_unit_outside_their_scope(client, world):
    login(client, world.leader)
    response = client.post(
        reverse("risk:assessment_create"),
        {
            "unit": world.kindergarten.pk,
            "title": "X",
            "scope": "unit",
            "assessed_on": "02.03.2026",
            "review_due": "01.03.2027",
        },
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Assessment.objects.exists()
    login(client, world.employee)
    assert client.get(reverse("risk:assessment_create")).status_code == 403


def test_invalid_dates_and_template_files_are_explained_and_nothing_is_saved(client, world):
    login(client, world.leader)
    data = {
        "unit": world.nursing_home.pk,
        "title": "X",
        "scope": "unit",
        "assessed_on": "02.03.2026",
        "review_due": "01.03.2025",
    }
    response = client.post(reverse("risk:assessment_create"), data)
    assert "The review date cannot be before the assessment." in response.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    data["review_due"] = "01.03.2027"
    data["template_file"] = SimpleUploadedFile("mal.json", b'{"format": "noe annet"}')
    response = client.post(reverse("risk:assessment_create"), data)
    assert "not a Trygg risk-assessment template" in response.content.decode()
    assert not Assessment.objects.exists()


def test_an_uploaded_template_file_starts_the_assessment(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from trygg.risk.library import shipped_file

    login(client, world.leader)
    response = client.post(
        reverse("risk:assessment_create"),
        {
            "unit": world.nursing_home.pk,
            "title": "Fra fil",
            "scope": "unit",
            "assessed_on": "02.03.2026",
            "review_due": "01.03.2027",
            "template_file": SimpleUploadedFile("mal.json", shipped_file("barnehage")),
        },
    )
    assert response.status_code == 302
    assert Assessment.objects.get(title="Fra fil").hazards.count() == 6


def test_scoring_a_hazard_outside_the_matrix_is_refused_on_the_form(client, world, draft):
    login(client, world.leader)
    hazard = draft.hazards.get()
    url = reverse("risk:hazard_edit", args=[hazard.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert ">Save</button>" in page.content.decode()  # English (conftest), not "Lagre"
    base = {"category": "violence", "title": hazard.title, "probability": "7", "consequence": "2"}
    response = client.post(url, base)
    assert response.status_code == 200
    assert "probability" in response.context["form"].errors
    response = client.post(url, base | {"probability": "5", "residual_probability": "2"})
    assert "Give both probability and consequence" in response.content.decode()
    hazard.refresh_from_db()
    assert (hazard.probability, hazard.consequence) == (3, 4)
    response = client.post(
        url, base | {"probability": "5", "residual_probability": "2", "residual_consequence": "2"}
    )
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert (hazard.score, hazard.residual_score) == (10, 4)


def test_a_writer_runs_the_whole_assessment(client, world, draft):
    login(client, world.safety_rep)
    response = client.post(
        reverse("risk:participant_add", args=[draft.pk]),
        {"role": Participant.Role.SAFETY_REP, "person": world.safety_rep.person.pk},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("risk:participant_add", args=[draft.pk]), {"role": "bht", "name": "BHT-rådgiver"}
    )
    assert draft.participants.count() == 2
    response = client.post(
        reverse("risk:hazard_create", args=[draft.pk]),
        {
            "category": "ergonomic",
            "title": "Tunge løft",
            "causes": "Mangler løftehjelp\nStress",
            "probability": "4",
            "consequence": "3",
        },
    )
    assert response.status_code == 302
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Tunge løft" in page and "<svg" in page and 'role="img"' in page
    assert client.post(reverse("risk:assessment_complete", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.COMPLETED
    hazard = draft.hazards.get(title="Tunge løft")
    response = client.post(
        reverse("risk:measure_create", args=[hazard.pk]),
        {"title": "Kjøpe takheis", "owner": world.leader.person.pk, "deadline": "01.06.2026"},
    )
    assert response.status_code == 302
    item = ActionItem.objects.get(title="Kjøpe takheis")
    assert item.source == hazard and item.deadline == dt.date(2026, 6, 1)
    detail = client.get(hazard.get_absolute_url()).content.decode()
    assert "Kjøpe takheis" in detail and "bowtie" in detail and "Mangler løftehjelp" in detail


def test_the_leader_finds_the_measure_in_my_tasks(client, world, completed):
    from trygg.risk import services

    hazard = queries.hazards_of(completed)[0]
    services.add_measure(
        actor=world.safety_rep,
        hazard=hazard,
        title="Alarm på vaktrommet",
        owner=world.leader.person,
        deadline=dt.date(2026, 5, 1),
    )
    login(client, world.leader)
    assert "Alarm på vaktrommet" in client.get("/").content.decode()


def test_completed_versions_cannot_be_changed_but_can_be_reassessed(client, world, completed):
    login(client, world.leader)
    hazard = completed.hazards.first()
    response = client.post(
        reverse("risk:hazard_edit", args=[hazard.pk]),
        {"category": "physical", "title": "Endret", "probability": "1", "consequence": "1"},
    )
    assert "completed and cannot be changed" in response.content.decode()
    response = client.post(
        reverse("risk:assessment_reassess", args=[completed.pk]),
        {"assessed_on": "01.02.2027", "review_due": "01.02.2028"},
    )
    new = Assessment.objects.get(series=completed, version=2)
    assert response["Location"] == new.get_absolute_url()
    old_page = client.get(completed.get_absolute_url()).content.decode()
    assert "Version 2" in old_page or "Versjon 2" in old_page


def test_the_pdf_is_made_for_readers(client, world, completed):
    login(client, world.employee)
    response = client.get(reverse("risk:assessment_pdf", args=[completed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_xlsx_holds_every_hazard_with_scores(client, world, completed):
    import io

    from openpyxl import load_workbook

    login(client, world.bht)
    response = client.get(reverse("risk:assessment_xlsx", args=[completed.pk]))
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 3
    assert rows[1][2] == "Fare 1" and rows[1][9] == 6 and rows[2][9] == 16


def test_overview_list_due_matrix_and_templates_for_every_member(client, world, completed):
    login(client, world.colleague)
    for name in ("overview", "assessment_list", "due_list", "matrix", "template_list"):
        assert client.get(reverse(f"risk:{name}")).status_code == 200, name
    assert client.get(reverse("risk:template_detail", args=["vold-og-trusler"])).status_code == 200
    assert client.get(reverse("risk:template_detail", args=["finnes-ikke"])).status_code == 404
    response = client.get(reverse("risk:template_file", args=["kontorarbeid"]))
    assert response.json()["format"] == "trygg-risk-template"
    # The colleague sees no hazards of the nursing home in the risk picture.
    page = client.get(reverse("risk:overview"))
    assert page.context["picture"].total == 0
    login(client, world.hms)
    assert client.get(reverse("risk:overview")).context["picture"].total == 2


def test_the_overview_answers_htmx_with_the_map_only(client, world, completed):
    login(client, world.hms)
    response = client.get(reverse("risk:overview") + "?etter=1", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="risk-picture"' in body and "<html" not in body


def test_only_hms_coordinators_change_the_matrix(client, world, completed):
    login(client, world.leader)
    assert client.get(reverse("risk:matrix_edit")).status_code == 403
    login(client, world.hms)
    assert client.get(reverse("risk:matrix_edit")).status_code == 200
    levels = "\n".join(f"Nivå {i} | Definisjon {i}" for i in range(1, 4))
    response = client.post(
        reverse("risk:matrix_edit"),
        {
            "probability_levels": levels,
            "consequence_levels": "Bare ett nivå",
            "low_max": 2,
            "medium_max": 4,
            "acceptance_criteria": "K",
        },
    )
    assert response.status_code == 200 and "consequence_levels" in response.context["form"].errors
    response = client.post(
        reverse("risk:matrix_edit"),
        {
            "probability_levels": levels,
            "consequence_levels": levels,
            "low_max": 2,
            "medium_max": 4,
            "acceptance_criteria": "K",
        },
    )
    assert response.status_code == 302
    completed.refresh_from_db()
    assert completed.matrix.size_label == "5×5"
    assert queries.current_matrix(world.org.pk).size_label == "3×3"


def test_the_outsider_sees_nothing_of_this_organisation(client, world, completed):
    login(client, world.outsider)
    assert client.get(reverse("risk:overview")).context["picture"].matrix is None
    assert completed.title not in client.get(reverse("risk:assessment_list")).content.decode()
    assert completed.title not in client.get(reverse("risk:due_list")).content.decode()


def test_a_writer_removes_a_hazard_from_a_draft_but_not_one_with_measures(client, world, draft):
    from trygg.risk import services

    login(client, world.leader)
    hazard = draft.hazards.get()
    assert "/slett/" in client.get(hazard.get_absolute_url()).content.decode()
    extra = make_hazard(draft, "Ekstra")
    services.add_measure(actor=None, hazard=hazard, title="T", owner=None, deadline=None)
    client.post(reverse("risk:hazard_delete", args=[hazard.pk]))
    assert Hazard.objects.filter(pk=hazard.pk).exists()  # it has a measure
    client.post(reverse("risk:hazard_delete", args=[extra.pk]))
    assert not Hazard.objects.filter(pk=extra.pk).exists()
