from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation

from trygg.org import services as org_services
from trygg.org.models import SafetyRepresentative
from trygg.org.tests import factories as f


@pytest.fixture(autouse=True)
def _english():
    """Service messages are read in English (the msgids), whatever the default language is."""
    with translation.override("en"):
        yield


@pytest.fixture
def client_as(world):
    def make(persona):  # type: ignore[no-untyped-def]
        user = getattr(world, persona) if isinstance(persona, str) else persona
        client = Client(headers={"Accept-Language": "en"})
        client.force_login(user)
        return client

    return make


@pytest.fixture
def other_rep(world):
    """A verneombud of another safety area (the kindergarten)."""
    user = f.make_user(world.org, "other_rep")
    person = f.make_person(world.org, "Ola", "Annetområde", user=user, unit=world.kindergarten)
    area = f.make_safety_area(world.org, [world.kindergarten], "Lia barnehage")
    org_services.appoint_safety_representative(
        actor=None,
        person=person,
        role=SafetyRepresentative.Role.REPRESENTATIVE,
        area=area,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2099, 12, 31),
    )
    return user
