"""The dependency rule of docs/architecture.md and the tenancy rule of DESIGN.md, checked."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent

# Lower layers never import higher ones (docs/architecture.md):
# api, core -> meetings, safety_rounds -> annual_plan, deviations, absence, risk, goals
# -> actions -> notifications
# -> org -> audit -> accounts -> lib. Apps on the same level do not import each other.
LAYERS = {
    "lib": 0,
    "accounts": 1,
    "audit": 2,
    "org": 3,
    "notifications": 4,
    "actions": 5,
    "deviations": 6,
    "absence": 6,
    "risk": 6,
    "goals": 6,
    "annual_plan": 6,
    "meetings": 7,
    "safety_rounds": 7,
    "core": 8,
    "api": 8,
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("trygg."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("trygg."):
                    found.add(alias.name.split(".")[1])
    return found


def _app_sources():
    for app, level in LAYERS.items():
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            yield app, level, path


@pytest.mark.parametrize(("app", "level", "path"), list(_app_sources()), ids=lambda v: str(v)[-60:])
def test_it_keeps_the_dependency_rule(app, level, path):
    for imported in _imports(path):
        if imported in LAYERS and imported != app:
            assert LAYERS[imported] < level, (
                f"{path.relative_to(ROOT)} ({app}) imports trygg.{imported}"
            )


# Models that belong to a tenant through another row, with the row that carries it.
TENANT_THROUGH = {
    "accounts.apitoken": "user",
}
NOT_TENANT_DATA = {"accounts.organisation"}


def test_it_puts_the_organisation_on_every_tenant_row():
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("trygg."):
            continue
        label = model._meta.label_lower
        if label in NOT_TENANT_DATA or label in TENANT_THROUGH:
            continue
        if "organisation" not in {f.name for f in model._meta.get_fields()}:
            missing.append(label)
    assert missing == [], f"models without an organisation column: {missing}"
