"""The shipped templates and the open template format."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from trygg.risk.library import (
    FUA_23A_1_FACTORS,
    LIBRARY,
    parse_template,
    read_template,
    shipped_templates,
    template_document,
)

REQUIRED = {"vold-og-trusler", "kontorarbeid", "barnehage", "hjemmetjeneste", "verksted"}


def test_it_ships_the_five_templates_the_issue_asks_for():
    assert set(shipped_templates()) >= REQUIRED
    for template in shipped_templates().values():
        assert template.hazards and template.title


def test_the_violence_template_covers_every_factor_of_fua_23a_1():
    template = shipped_templates()["vold-og-trusler"]
    assert template.factors() == set(FUA_23A_1_FACTORS)
    assert template.scope == "theme"
    assert "23A-1" in template.legal_basis


def test_every_shipped_file_round_trips_through_the_format():
    for path in LIBRARY.glob("*.json"):
        template = read_template(path.read_bytes())
        assert parse_template(template_document(template)) == template


@pytest.mark.parametrize(
    "change,message",
    [
        ({"format": "other"}, "not a Trygg risk-assessment template"),
        ({"format_version": 9}, "version 9 is not supported"),
        ({"title": ""}, "“title” is missing"),
        ({"scope": "planet"}, "unknown scope"),
        ({"hazards": []}, "no hazards"),
        ({"hazards": [{"category": "weather", "title": "Storm"}]}, "Hazard 1: unknown category"),
        ({"hazards": [{"category": "physical"}]}, "Hazard 1: “title” is missing"),
        ({"hazards": [{"category": "physical", "title": "X", "causes": "tekst"}]}, "list of texts"),
        (
            {"hazards": [{"category": "physical", "title": "X", "factors": ["moon"]}]},
            "unknown factor",
        ),
    ],
)
def test_it_explains_what_is_wrong_with_a_template(change, message):
    document = json.loads((LIBRARY / "kontorarbeid.json").read_text()) | change
    with pytest.raises(ValidationError, match=message):
        parse_template(document)


def test_it_refuses_a_file_that_is_not_json():
    with pytest.raises(ValidationError, match="not valid JSON"):
        read_template(b"\xff\xfe not json")
