"""The open checklist format, the shipped checklists, versions and import/export."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from trygg.safety_rounds import checklists, services
from trygg.safety_rounds.models import ChecklistTemplate
from trygg.safety_rounds.tests.factories import make_round, small_checklist

pytestmark = pytest.mark.django_db


def test_it_ships_seven_valid_norwegian_checklists():
    shipped = checklists.built_in_checklists()
    assert [c["key"] for c in shipped] == list(checklists.BUILT_IN)
    for content in shipped:
        assert content["language"] == "nb"
        assert checklists.question_count(content) >= 25
        for section in content["sections"]:
            assert any(q.get("guidance") for q in section["questions"]), section["title"]
    audit = next(c for c in shipped if c["kind"] == "internal_audit")
    titles = [s["title"] for s in audit["sections"]]
    assert [t.split(".")[0] for t in titles] == [str(n) for n in range(1, 9)]


def test_it_explains_every_problem_of_a_bad_checklist():
    bad = small_checklist(format="other", key="Not a key!", kind="party")
    bad["sections"][0]["questions"].append({"key": "q1", "text": "", "type": "colour"})
    with pytest.raises(ValidationError) as caught:
        checklists.parse_checklist(bad)
    text = " ".join(caught.value.messages)
    for part in ('"format"', '"key"', '"kind"', '"q1" is used by more than one', "colour", "1–500"):
        assert part in text


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"[]", "must be a JSON object"),
        (b"\xff\xfe", "not valid JSON"),
        (b" " * (checklists.MAX_BYTES + 1), "too large"),
    ],
)
def test_it_refuses_files_that_are_not_checklists(raw, message):
    with pytest.raises(ValidationError) as caught:
        checklists.read_checklist_file(raw)
    assert message in " ".join(caught.value.messages)


def test_it_adds_a_version_only_when_the_content_changes(world):
    template, added = services.save_checklist(
        actor=world.hms, organisation=world.org, content=small_checklist()
    )
    assert added and template.current_version.number == 1
    again, added = services.save_checklist(
        actor=world.hms, organisation=world.org, content=small_checklist()
    )
    assert not added and again.current_version.number == 1
    changed = small_checklist(name="Mini 2")
    template, added = services.save_checklist(
        actor=world.hms, organisation=world.org, content=changed
    )
    assert added and template.current_version.number == 2 and template.name == "Mini 2"


def test_a_round_keeps_the_version_it_started_with(world):
    round_ = make_round(world)
    first = round_.template_version
    changed = small_checklist()
    changed["sections"][0]["questions"][0]["text"] = "Er nødutgangene merket?"
    template, _ = services.save_checklist(actor=world.hms, organisation=world.org, content=changed)
    round_.refresh_from_db()
    assert round_.template_version == first
    assert round_.template_version.questions()["q1"]["text"] == "Er rømningsveiene ryddige?"
    assert template.current_version.number == 2


def test_it_exports_what_it_imports(world):
    template, _ = services.save_checklist(
        actor=None, organisation=world.org, content=small_checklist()
    )
    exported = json.loads(checklists.export_checklist(template.current_version.content, version=1))
    assert exported["version"] == 1
    assert checklists.parse_checklist(exported) == template.current_version.content


def test_it_installs_the_shipped_checklists_once(world):
    assert len(services.install_built_in_checklists(actor=None, organisation=world.org)) == 7
    assert services.install_built_in_checklists(actor=None, organisation=world.org) == []
    assert ChecklistTemplate.objects.filter(organisation=world.org).count() == 7


def test_a_key_cannot_change_its_kind(world):
    services.save_checklist(actor=None, organisation=world.org, content=small_checklist())
    with pytest.raises(ValidationError):
        services.save_checklist(
            actor=None, organisation=world.org, content=small_checklist(kind="internal_audit")
        )
