"""Action plans to and from .xlsx: the seed's columns, Norwegian conventions, all or nothing."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from trygg.actions.models import ActionItem
from trygg.goals.models import ActionPlanRow
from trygg.goals.tests.factories import make_goal, make_plan, make_row

HEADINGS = ["NR", "INNSATSOMRÅDE", "MÅL", "AKTIVITET", "NÅR", "ANSVAR", "RAPPORTERING"]


def xlsx(rows: list[list], *, title: bool = True) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append(["Saman om ein betre kommune. Mål og handlingsplan."])
        sheet.append([])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, plan, content: bytes, name: str = "plan.xlsx"):
    return client.post(
        reverse("goals:plan_import", args=[plan.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_it_imports_a_plan_typed_the_norwegian_way(client, world):
    plan = make_plan(world)
    goal = make_goal(world, "Redusere det sjukemelde fråværet til under 5,4 %")
    content = xlsx(
        [
            # Nynorsk headings in mixed case, with a dot, and two optional columns.
            [
                "Nr.",
                "Innsatsområde",
                "Mål",
                "Aktivitet",
                "Når",
                "Ansvar",
                "Rapportering",
                "Ansvarleg person",
                "Frist",
            ],
            [
                1.0,
                "Oppfølging og\ntilrettelegging",
                "redusere det sjukemelde fråværet til under 5,4 %",
                "Nye statusmøte",
                "Haust 2012",
                "HMS-koordinator",
                "Sak 23/12",
                world.leader.person.employee_number,
                "30.11.2026",
            ],
            [],
            [
                "2",
                "Arbeidsmiljøundersøking",
                "Årleg undersøking",
                "Digital gjennomføring",
                "Februar/mars",
                "Partsamansett møte",
                "AMU",
                "Eva Ansatt",
                dt.datetime(2026, 3, 31),
            ],
            [None, "Medråderettsmøte", "", "Faste møte", "", "", "", "", 46356],
        ]
    )
    response = upload(client_as(client, world, "hms"), plan, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    rows = list(ActionPlanRow.objects.filter(plan=plan).select_related("action_item__owner"))
    assert [r.number for r in rows] == [1, 2, 3]
    first, second, third = rows
    assert first.goal == goal and first.goal_text == ""
    assert first.focus_area == "Oppfølging og\ntilrettelegging"
    assert first.action_item.owner == world.leader.person
    assert first.action_item.deadline == dt.date(2026, 11, 30)
    assert second.goal is None and second.goal_text == "Årleg undersøking"
    assert second.action_item.owner == world.employee.person
    assert second.action_item.deadline == dt.date(2026, 3, 31)
    assert third.action_item.owner is None
    assert third.action_item.deadline == dt.date(2026, 11, 30)  # Excel's serial day 46356


def client_as(client, world, persona):
    client.force_login(getattr(world, persona))
    return client


def test_it_reports_missing_columns_and_saves_nothing(client, world):
    plan = make_plan(world)
    content = xlsx([["NR", "INNSATSOMRÅDE", "AKTIVITET", "ANSVAR"], [1, "A", "B", "C"]])
    response = upload(client_as(client, world, "hms"), plan, content)
    assert response.status_code == 400
    errors = response.context["errors"]
    assert len(errors) == 1 and "MÅL" in errors[0] and "NÅR" in errors[0]
    assert "RAPPORTERING" in errors[0]
    assert not ActionPlanRow.objects.exists()


def test_it_reports_every_bad_row_and_saves_nothing(client, world):
    plan = make_plan(world)
    make_row(plan, number=7)
    content = xlsx(
        [
            [*HEADINGS, "ANSVARLIG PERSON", "FRIST"],
            [1, "Godt", "", "Godt", "", "", "", "", ""],
            [2, "Ukjent", "", "Noe", "", "", "", "Nils Finnesikke", ""],
            ["tre", "", "", "", "", "", "", "", "31.02.2026"],
            [7, "Brukt", "", "Noe", "", "", "", "", ""],
            [1, "Dobbel", "", "Noe", "", "", "", "", ""],
        ]
    )
    response = upload(client_as(client, world, "hms"), plan, content)
    assert response.status_code == 400
    text = "\n".join(response.context["errors"])
    assert "Nils Finnesikke" in text  # unknown person, with the row
    assert "tre" in text and "31.02.2026" in text
    assert "INNSATSOMRÅDE" in text and "AKTIVITET" in text
    assert "7" in text  # the plan already has row 7
    assert "row 6" in text.lower() or "rad 6" in text.lower()  # "tre" is in row 6
    # Nothing half-saved: only the row made before the import.
    assert ActionPlanRow.objects.filter(plan=plan).count() == 1
    assert ActionItem.objects.count() == 1


def test_it_refuses_a_file_that_is_not_a_workbook(client, world):
    plan = make_plan(world)
    response = upload(client_as(client, world, "hms"), plan, b"NR;MAL\n1;2", "plan.csv")
    assert response.status_code == 400
    assert ".xlsx" in response.context["errors"][0]


def test_an_ambiguous_name_must_be_given_as_email(client, world):
    from trygg.org.tests import factories as f

    f.make_person(world.org, "Eva", "Ansatt", unit=world.kindergarten)
    plan = make_plan(world)
    content = xlsx([[*HEADINGS, "ANSVARLIG PERSON"], [1, "A", "", "B", "", "", "", "Eva Ansatt"]])
    response = upload(client_as(client, world, "hms"), plan, content)
    assert response.status_code == 400
    assert (
        "more than one" in response.context["errors"][0] or "flere" in response.context["errors"][0]
    )


def test_only_editors_import(client, world):
    plan = make_plan(world)
    content = xlsx([HEADINGS, [1, "A", "", "B", "", "", ""]])
    assert upload(client_as(client, world, "employee"), plan, content).status_code == 403
    assert upload(client_as(client, world, "outsider"), plan, content).status_code == 404
    assert not ActionPlanRow.objects.exists()


def test_the_export_opens_and_reads_back(client, world):
    plan = make_plan(world, "Femårsplan")
    goal = make_goal(world, "Sykefravær under 5,4 %")
    make_row(
        plan,
        "Statusmøter",
        goal=goal,
        owner=world.leader.person,
        when="Haust",
        responsible="HMS-koordinator",
        reporting="Sak 23/12",
        deadline=dt.date(2026, 11, 30),
    )
    make_row(plan, "Undersøking", goal_text="Årleg undersøking")
    response = client_as(client, world, "employee").get(reverse("goals:plan_xlsx", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Femårsplan"
    header = values.index([*HEADINGS, "ANSVARLIG PERSON", "FRIST", "STATUS"])
    first = values[header + 1]
    assert first[:7] == [
        1,
        "Oppfølging",
        "Sykefravær under 5,4 %",
        "Statusmøter",
        "Haust",
        "HMS-koordinator",
        "Sak 23/12",
    ]
    assert first[7] == world.leader.person.employee_number
    assert first[8] == dt.datetime(2026, 11, 30)
    assert values[header + 2][2] == "Årleg undersøking"

    # The exported file imports into another plan as it is.
    other = make_plan(world, "Kopi")
    client_as(client, world, "hms")
    assert upload(client, other, response.content).status_code == 302
    copied = list(ActionPlanRow.objects.filter(plan=other).select_related("action_item"))
    assert [r.activity for r in copied] == ["Statusmøter", "Undersøking"]
    assert copied[0].goal == goal
    assert copied[0].action_item.owner == world.leader.person
