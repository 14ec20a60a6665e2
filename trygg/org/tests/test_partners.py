"""The occupational health service (BHT) and union representatives: services, pages, access."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from trygg.audit.models import AuditEntry
from trygg.org import services
from trygg.org.models import OHSContact, OHSProvider, Person, UnionRepresentative
from trygg.org.tests import factories as f

EN = {"Accept-Language": "en"}
READ_ONLY = [
    "hr",
    "bht",
    "leader",
    "safety_rep",
    "employee",
    "secretary",
    "amu_member",
    "colleague",
]
MANAGERS = ["admin", "hms"]
START = dt.date(2025, 1, 1)


@dataclass
class Partners:
    provider: OHSProvider
    contact: OHSContact
    rep: UnionRepresentative


@pytest.fixture
def partners(world) -> Partners:
    provider = services.create_ohs_provider(
        actor=None,
        organisation=world.org,
        name="Fjordkysten BHT AS",
        org_number="974760673",
        email="post@fjordkysten.example",
        agreement_start=dt.date(2019, 1, 1),
    )
    contact = services.add_external_ohs_contact(
        actor=None,
        provider=provider,
        first_name="Bente",
        last_name="Rådgiver",
        email="bente@fjordkysten.example",
        profession="Bedriftssykepleier",
    )
    rep = services.appoint_union_representative(
        actor=None,
        person=world.amu_member.person,
        union="Fagforbundet",
        is_main=True,
        start_date=START,
    )
    return Partners(provider=provider, contact=contact, rep=rep)


def _audit(instance, action: str) -> AuditEntry:
    return AuditEntry.objects.get(
        object_type=instance._meta.label_lower, object_id=str(instance.pk), action=action
    )


def _other_org_person():
    other = f.make_organisation("Nabokommune")
    return other, f.make_person(other, "Otto", "Utenfor")


# --- Services: the BHT ---------------------------------------------------------------------
def test_it_registers_a_provider_with_an_audit_entry(world):
    provider = services.create_ohs_provider(
        actor=world.hms,
        organisation=world.org,
        name="  Kyst BHT  ",
        org_number="974 760 673",
        approved=False,
        phone="12 34 56 78",
    )
    assert provider.name == "Kyst BHT"
    assert provider.org_number == "974760673"  # written in groups, stored as digits
    assert provider.approved is False
    entry = _audit(provider, AuditEntry.Action.CREATE)
    assert entry.actor == world.hms
    assert entry.organisation_id == world.org.pk
    assert entry.changes["after"]["org_number"] == "974760673"


@pytest.mark.parametrize("number", ["12345678", "1234567890", "97476067A", "９７４７６０６７３"])
def test_it_refuses_an_organisation_number_without_nine_digits(world, number):
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        services.create_ohs_provider(
            actor=world.hms, organisation=world.org, name="Kyst BHT", org_number=number
        )
    with translation.override("en"):
        assert "9 digits" in caught.value.message_dict["org_number"][0]
    assert not OHSProvider.objects.exists()
    assert not AuditEntry.objects.filter(object_type="org.ohsprovider").exists()


def test_it_accepts_a_provider_without_organisation_number(world):
    provider = services.create_ohs_provider(actor=None, organisation=world.org, name="Kyst BHT")
    assert provider.org_number == ""


def test_it_refuses_a_provider_without_name(world):
    with pytest.raises(ValidationError) as caught:
        services.create_ohs_provider(actor=None, organisation=world.org, name="   ")
    assert "name" in caught.value.message_dict
    assert not OHSProvider.objects.exists()


def test_it_updates_a_provider_and_audits_what_changed(world, partners):
    services.update_ohs_provider(
        actor=world.admin,
        provider=partners.provider,
        name="Fjordkysten BHT AS",
        org_number="974760673",
        approved=False,
        email="ny@fjordkysten.example",
        phone="",
        agreement_start=dt.date(2019, 1, 1),
    )
    partners.provider.refresh_from_db()
    assert partners.provider.approved is False
    entry = _audit(partners.provider, AuditEntry.Action.UPDATE)
    assert entry.changes["before"] == {"approved": True, "email": "post@fjordkysten.example"}
    assert entry.changes["after"] == {"approved": False, "email": "ny@fjordkysten.example"}


def test_it_leaves_the_provider_unchanged_when_an_update_is_invalid(world, partners):
    with pytest.raises(ValidationError):
        services.update_ohs_provider(
            actor=world.admin,
            provider=partners.provider,
            name="Nytt navn",
            org_number="123",
            approved=True,
            email="",
            phone="",
            agreement_start=None,
        )
    partners.provider.refresh_from_db()
    assert partners.provider.name == "Fjordkysten BHT AS"
    assert not AuditEntry.objects.filter(
        object_type="org.ohsprovider", action=AuditEntry.Action.UPDATE
    ).exists()


def test_it_adds_an_existing_person_as_contact(world, partners):
    contact = services.add_ohs_contact(
        actor=world.hms, provider=partners.provider, person=world.bht.person, profession=" Lege "
    )
    assert contact.organisation_id == world.org.pk
    assert contact.profession == "Lege"
    assert _audit(contact, AuditEntry.Action.CREATE).actor == world.hms


def test_it_creates_an_external_person_for_a_new_contact(world, partners):
    contact = partners.contact
    assert contact.person.is_external is True
    assert contact.person.organisation_id == world.org.pk
    assert contact.person.full_name == "Bente Rådgiver"
    _audit(contact.person, AuditEntry.Action.CREATE)
    _audit(contact, AuditEntry.Action.CREATE)


def test_it_refuses_a_contact_from_another_organisation(world, partners):
    _other, stranger = _other_org_person()
    with pytest.raises(ValidationError) as caught:
        services.add_ohs_contact(actor=None, provider=partners.provider, person=stranger)
    assert "person" in caught.value.message_dict
    assert partners.provider.contacts.count() == 1


def test_it_refuses_the_same_contact_twice(world, partners):
    with pytest.raises(ValidationError) as caught:
        services.add_ohs_contact(
            actor=None, provider=partners.provider, person=partners.contact.person
        )
    assert "person" in caught.value.message_dict
    assert partners.provider.contacts.count() == 1


def test_it_saves_no_person_when_a_new_contact_is_invalid(world, partners):
    people = Person.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.add_external_ohs_contact(
            actor=None, provider=partners.provider, first_name="Per", last_name="", email="x"
        )
    assert {"last_name", "email"} <= set(caught.value.message_dict)
    assert Person.objects.count() == people
    assert partners.provider.contacts.count() == 1


def test_it_removes_a_contact_with_an_audit_entry_and_keeps_the_person(world, partners):
    contact_pk, person = partners.contact.pk, partners.contact.person
    services.remove_ohs_contact(actor=world.hms, contact=partners.contact)
    assert not OHSContact.objects.filter(pk=contact_pk).exists()
    assert Person.objects.filter(pk=person.pk).exists()
    entry = AuditEntry.objects.get(
        object_type="org.ohscontact", object_id=str(contact_pk), action=AuditEntry.Action.DELETE
    )
    assert entry.organisation_id == world.org.pk
    assert entry.changes["before"]["person"] == person.pk


# --- Services: union representatives -------------------------------------------------------
def test_it_appoints_a_union_representative_with_an_audit_entry(world):
    term = services.appoint_union_representative(
        actor=world.hms,
        person=world.employee.person,
        union=" Norsk  Sykepleierforbund ",
        unit=world.nursing_home,
        start_date=START,
        end_date=dt.date(2026, 12, 31),
    )
    assert term.union == "Norsk Sykepleierforbund"
    assert term.organisation_id == world.org.pk
    assert term.is_main is False
    entry = _audit(term, AuditEntry.Action.CREATE)
    assert entry.changes["after"]["unit"] == world.nursing_home.pk


@pytest.mark.parametrize("end", [START, START - dt.timedelta(days=1)])
def test_it_refuses_a_term_that_ends_before_it_starts(world, end):
    with pytest.raises(ValidationError) as caught:
        services.appoint_union_representative(
            actor=None, person=world.employee.person, union="NSF", start_date=START, end_date=end
        )
    assert "end_date" in caught.value.message_dict
    assert not UnionRepresentative.objects.exists()
    assert not AuditEntry.objects.filter(object_type="org.unionrepresentative").exists()


def test_it_refuses_a_unit_of_another_organisation(world):
    other, _stranger = _other_org_person()
    foreign_unit = f.make_unit(other, "Fremmed enhet")
    with pytest.raises(ValidationError) as caught:
        services.appoint_union_representative(
            actor=None,
            person=world.employee.person,
            union="NSF",
            unit=foreign_unit,
            start_date=START,
        )
    assert "unit" in caught.value.message_dict
    assert not UnionRepresentative.objects.exists()


def test_it_refuses_a_union_representative_without_union(world):
    with pytest.raises(ValidationError) as caught:
        services.appoint_union_representative(
            actor=None, person=world.employee.person, union="  ", start_date=START
        )
    assert "union" in caught.value.message_dict
    assert not UnionRepresentative.objects.exists()


def test_it_refuses_overlapping_terms_for_the_same_union_and_unit(world, partners):
    with pytest.raises(ValidationError):
        services.appoint_union_representative(
            actor=None,
            person=partners.rep.person,
            union="fagforbundet",
            is_main=True,
            start_date=dt.date(2026, 1, 1),
        )
    assert UnionRepresentative.objects.count() == 1
    # After the first term has ended, a new term may follow.
    services.end_union_representative(
        actor=None, representative=partners.rep, end_date=dt.date(2025, 12, 31)
    )
    services.appoint_union_representative(
        actor=None, person=partners.rep.person, union="Fagforbundet", start_date=dt.date(2026, 1, 1)
    )
    assert UnionRepresentative.objects.count() == 2


def test_it_ends_a_term_without_deleting_it(world, partners):
    ended = services.end_union_representative(
        actor=world.hms, representative=partners.rep, end_date=dt.date(2025, 6, 30)
    )
    assert ended.end_date == dt.date(2025, 6, 30)
    assert UnionRepresentative.objects.filter(pk=partners.rep.pk).exists()
    entry = _audit(partners.rep, AuditEntry.Action.UPDATE)
    assert entry.changes == {"before": {"end_date": None}, "after": {"end_date": "2025-06-30"}}


def test_it_refuses_to_end_a_term_before_it_starts(world, partners):
    with pytest.raises(ValidationError) as caught:
        services.end_union_representative(
            actor=None, representative=partners.rep, end_date=START - dt.timedelta(days=1)
        )
    assert "end_date" in caught.value.message_dict
    partners.rep.refresh_from_db()
    assert partners.rep.end_date is None


# --- Access, role by role ------------------------------------------------------------------
def _change_urls(partners: Partners) -> dict[str, str]:
    return {
        "ohs_create": reverse("org:ohs_create"),
        "ohs_edit": reverse("org:ohs_edit", args=[partners.provider.pk]),
        "ohs_contact_create": reverse("org:ohs_contact_create", args=[partners.provider.pk]),
        "union_create": reverse("org:union_create"),
        "union_end": reverse("org:union_end", args=[partners.rep.pk]),
    }


OBJECT_PAGES = ["ohs_edit", "ohs_contact_create", "union_end"]
CHANGE_PAGES = ["ohs_create", "union_create", *OBJECT_PAGES]


@pytest.mark.parametrize("page", CHANGE_PAGES)
@pytest.mark.parametrize("persona", MANAGERS + READ_ONLY)
def test_it_opens_change_pages_only_to_hms_managers(client, world, partners, page, persona):
    client.force_login(getattr(world, persona))
    response = client.get(_change_urls(partners)[page])
    assert response.status_code == (200 if persona in MANAGERS else 403), persona


@pytest.mark.parametrize("page", [*CHANGE_PAGES, "ohs_contact_remove"])
@pytest.mark.parametrize("persona", READ_ONLY)
def test_it_refuses_posts_from_read_only_roles(client, world, partners, page, persona):
    urls = _change_urls(partners)
    urls["ohs_contact_remove"] = reverse("org:ohs_contact_remove", args=[partners.contact.pk])
    client.force_login(getattr(world, persona))
    data = {
        "name": "Endret",
        "person": world.employee.person.pk,
        "union": "NSF",
        "start_date": "01.01.2025",
        "end_date": "01.02.2025",
    }
    assert client.post(urls[page], data).status_code == 403
    assert OHSProvider.objects.get().name == "Fjordkysten BHT AS"
    assert OHSContact.objects.count() == 1
    assert UnionRepresentative.objects.get().end_date is None


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_it_hides_another_organisations_objects_from_outsiders(client, world, partners, page):
    client.force_login(world.outsider)  # an administrator, of another organisation
    url = _change_urls(partners)[page]
    assert client.get(url).status_code == 404
    assert client.post(url, {"end_date": "01.02.2025"}).status_code == 404


def test_it_hides_another_organisations_contacts_from_outsiders(client, world, partners):
    client.force_login(world.outsider)
    url = reverse("org:ohs_contact_remove", args=[partners.contact.pk])
    assert client.post(url).status_code == 404
    assert OHSContact.objects.filter(pk=partners.contact.pk).exists()


def test_it_never_lists_another_organisations_partners(client, world, partners):
    client.force_login(world.outsider)
    page = client.get(reverse("org:partners")).content.decode()
    for secret in ["Fjordkysten", "Bente", "Fagforbundet", "Arne"]:
        assert secret not in page


@pytest.mark.parametrize("persona", MANAGERS + READ_ONLY)
def test_it_shows_the_partners_page_to_every_member(client, world, partners, persona):
    client.force_login(getattr(world, persona))
    response = client.get(reverse("org:partners"), headers=EN)
    assert response.status_code == 200
    page = response.content.decode()
    for expected in ["Fjordkysten BHT AS", "974760673", "Bente Rådgiver", "Arne Medlem"]:
        assert expected in page
    assert (reverse("org:ohs_create") in page) is (persona in MANAGERS)
    assert (reverse("org:union_end", args=[partners.rep.pk]) in page) is (persona in MANAGERS)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("org:partners", []),
        ("org:ohs_create", []),
        ("org:ohs_edit", [1]),
        ("org:ohs_contact_create", [1]),
        ("org:ohs_contact_remove", [1]),
        ("org:union_create", []),
        ("org:union_end", [1]),
    ],
)
def test_it_sends_anonymous_visitors_to_login(client, db, name, args):
    for response in (client.get(reverse(name, args=args)), client.post(reverse(name, args=args))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_it_removes_contacts_only_by_post(client, world, partners):
    client.force_login(world.hms)
    url = reverse("org:ohs_contact_remove", args=[partners.contact.pk])
    assert client.get(url).status_code == 405
    assert OHSContact.objects.filter(pk=partners.contact.pk).exists()


# --- Pages: happy paths and invalid input --------------------------------------------------
def test_it_registers_a_provider_from_the_form(client, world):
    client.force_login(world.hms)
    response = client.post(
        reverse("org:ohs_create"),
        {
            "name": "Kyst BHT",
            "org_number": "974 760 673",
            "approved": "on",
            "email": "post@kyst.example",
            "agreement_start": "01.03.2024",
        },
        headers=EN,
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("org:partners")
    provider = OHSProvider.objects.get(organisation=world.org)
    assert (provider.org_number, provider.agreement_start) == ("974760673", dt.date(2024, 3, 1))
    assert _audit(provider, AuditEntry.Action.CREATE).actor == world.hms


def test_it_shows_a_clear_message_for_a_wrong_organisation_number(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("org:ohs_create"), {"name": "Kyst BHT", "org_number": "97476"}, headers=EN
    )
    assert response.status_code == 200
    assert "An organisation number has 9 digits" in response.content.decode()
    assert not OHSProvider.objects.exists()


def test_it_edits_a_provider(client, world, partners):
    client.force_login(world.admin)
    url = reverse("org:ohs_edit", args=[partners.provider.pk])
    form = client.get(url).context["form"]
    assert form.initial["org_number"] == "974760673"
    response = client.post(
        url, {"name": "Fjordkysten BHT", "org_number": "", "phone": "55 55 55 55"}
    )
    assert response.status_code == 302
    partners.provider.refresh_from_db()
    assert partners.provider.name == "Fjordkysten BHT"
    assert partners.provider.approved is False  # an unchecked box is a "no"
    assert partners.provider.phone == "55 55 55 55"


def test_it_adds_an_existing_person_as_contact_from_the_form(client, world, partners):
    client.force_login(world.hms)
    url = reverse("org:ohs_contact_create", args=[partners.provider.pk])
    response = client.post(url, {"person": world.bht.person.pk, "profession": "Lege"})
    assert response.status_code == 302
    contact = partners.provider.contacts.get(person=world.bht.person)
    assert contact.profession == "Lege"


def test_it_adds_a_new_external_contact_from_the_form(client, world, partners):
    client.force_login(world.hms)
    url = reverse("org:ohs_contact_create", args=[partners.provider.pk])
    response = client.post(
        url,
        {
            "first_name": "Frode",
            "last_name": "Fysioterapeut",
            "email": "frode@fjordkysten.example",
            "profession": "Arbeidsfysioterapeut",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(first_name="Frode", organisation=world.org)
    assert person.is_external is True
    assert partners.provider.contacts.filter(person=person).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"profession": "Lege"}, "Choose an existing person or enter the name of a new one."),
        (
            {"person": "EMPLOYEE", "first_name": "Frode", "last_name": "F"},
            "Choose an existing person or enter a new one, not both.",
        ),
        ({"first_name": "Frode"}, "A new person needs a first and a last name."),
    ],
)
def test_it_asks_for_exactly_one_contact_person(client, world, partners, data, message):
    if data.get("person") == "EMPLOYEE":
        data["person"] = world.employee.person.pk
    client.force_login(world.hms)
    people = Person.objects.count()
    url = reverse("org:ohs_contact_create", args=[partners.provider.pk])
    response = client.post(url, data, headers=EN)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Person.objects.count() == people
    assert partners.provider.contacts.count() == 1


def test_it_shows_a_duplicate_contact_on_the_person_field(client, world, partners):
    client.force_login(world.hms)
    url = reverse("org:ohs_contact_create", args=[partners.provider.pk])
    response = client.post(url, {"person": partners.contact.person.pk}, headers=EN)
    assert response.status_code == 200
    assert "is already a contact person" in str(response.context["form"].errors["person"])


def test_it_offers_no_person_of_another_organisation(client, world, partners):
    _other, stranger = _other_org_person()
    client.force_login(world.hms)
    url = reverse("org:ohs_contact_create", args=[partners.provider.pk])
    response = client.post(url, {"person": stranger.pk})
    assert response.status_code == 200
    assert "person" in response.context["form"].errors
    assert not OHSContact.objects.filter(person=stranger).exists()


def test_it_removes_a_contact_from_the_page(client, world, partners):
    client.force_login(world.hms)
    response = client.post(reverse("org:ohs_contact_remove", args=[partners.contact.pk]))
    assert response.status_code == 302
    assert not OHSContact.objects.filter(pk=partners.contact.pk).exists()
    assert _audit(partners.contact, AuditEntry.Action.DELETE).actor == world.hms


def test_it_appoints_a_union_representative_from_the_form(client, world):
    client.force_login(world.hms)
    response = client.post(
        reverse("org:union_create"),
        {
            "person": world.employee.person.pk,
            "union": "NSF",
            "unit": world.nursing_home.pk,
            "start_date": "01.01.2025",
            "end_date": "31.12.2026",
        },
    )
    assert response.status_code == 302
    term = UnionRepresentative.objects.get(person=world.employee.person)
    assert (term.unit, term.end_date, term.is_main) == (
        world.nursing_home,
        dt.date(2026, 12, 31),
        False,
    )


def test_it_shows_why_a_union_representative_cannot_be_appointed(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("org:union_create"),
        {
            "person": world.employee.person.pk,
            "union": "NSF",
            "start_date": "01.01.2025",
            "end_date": "01.01.2024",
        },
        headers=EN,
    )
    assert response.status_code == 200
    assert "The term must end after it starts." in str(response.context["form"].errors["end_date"])
    assert not UnionRepresentative.objects.exists()


def test_it_ends_a_term_from_the_form(client, world, partners):
    client.force_login(world.hms)
    url = reverse("org:union_end", args=[partners.rep.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"end_date": "30.06.2025"})
    assert response.status_code == 302
    partners.rep.refresh_from_db()
    assert partners.rep.end_date == dt.date(2025, 6, 30)


def test_it_refuses_an_end_date_before_the_start(client, world, partners):
    client.force_login(world.hms)
    url = reverse("org:union_end", args=[partners.rep.pk])
    response = client.post(url, {"end_date": "31.12.2024"}, headers=EN)
    assert response.status_code == 200
    assert "The term must end after it starts." in response.content.decode()
    partners.rep.refresh_from_db()
    assert partners.rep.end_date is None


def test_it_folds_ended_terms_away(client, world, partners):
    services.appoint_union_representative(
        actor=None,
        person=world.leader.person,
        union="Delta",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2021, 12, 31),
    )
    client.force_login(world.employee)
    response = client.get(reverse("org:partners"), headers=EN)
    assert [t.person for t in response.context["current_reps"]] == [world.amu_member.person]
    assert [t.person for t in response.context["ended_reps"]] == [world.leader.person]
    page = response.content.decode()
    start = page.index("<details>")  # the user menu's <details> has a class
    details = page[start : page.index("</details>", start)]
    assert "Lars Leder" in details
    assert "1 ended term" in details
    assert "Arne Medlem" not in details


def test_it_shows_an_empty_page_without_partners(client, world):
    client.force_login(world.employee)
    page = client.get(reverse("org:partners"), headers=EN).content.decode()
    assert "No BHT registered" in page
    assert "<details>" not in page


# --- Query count ---------------------------------------------------------------------------
def _count(client, url: str) -> int:
    cache.clear()  # measure the cold page, with every cached figure computed again
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_it_keeps_the_query_count_constant_as_partners_grow(client, world, partners):
    url = reverse("org:partners")
    client.force_login(world.admin)
    client.get(url)  # warm up per-process caches
    before = _count(client, url)
    for n in range(10):
        unit = f.make_unit(world.org, f"Enhet {n}", parent=world.health)
        person = f.make_person(world.org, "Tillits", f"Valgt{n}", unit=unit)
        services.appoint_union_representative(
            actor=None,
            person=person,
            union=f"Forbund {n % 3}",
            unit=unit,
            start_date=START,
            end_date=dt.date(2025, 6, 30) if n % 2 else None,  # half of them ended
        )
    for n in range(5):
        services.add_external_ohs_contact(
            actor=None, provider=partners.provider, first_name="Råd", last_name=f"Giver{n}"
        )
    after = _count(client, url)
    page = client.get(url).content.decode()
    assert "Valgt9" in page
    assert "Giver4" in page
    assert after == before, f"{before} queries before, {after} after growing"
