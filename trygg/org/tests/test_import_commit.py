"""Committing an upload: the same user, the same file, checked again, all or nothing."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trygg.audit.models import AuditEntry
from trygg.org import services
from trygg.org.importing import SESSION_KEY
from trygg.org.models import Person, Unit
from trygg.org.tests.files import (
    UNIT_HEADER,
    csv_file,
    employee,
    english,  # noqa: F401 (autouse fixture)
    rows_from_database,
    unit,
)


def upload(client, data, kind="employees"):
    response = client.post(
        reverse("org:import_start"), {"kind": kind, "file": SimpleUploadedFile("ansatte.csv", data)}
    )
    assert response.status_code == 302
    token = response["Location"].rstrip("/").split("/")[-1]
    return token, client.session[SESSION_KEY][token]["path"]


def new_person_file(world):
    return csv_file(
        [*rows_from_database(world.org), employee("90001", "Kari", "Nordmann", unit="2110")]
    )


def test_it_imports_after_the_preview_and_deletes_the_file(client, world):
    client.force_login(world.hr)
    token, path = upload(client, new_person_file(world))
    assert client.get(reverse("org:import_preview", args=[token])).status_code == 200

    response = client.post(reverse("org:import_commit", args=[token]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("org:import_start")
    assert (
        "The import is done: 1 new, 0 changed, 0 ended, 9 unchanged." in response.content.decode()
    )
    person = Person.objects.get(organisation=world.org, employee_number="90001")
    assert person.employments.get().unit == world.ward
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT, actor=world.hr).count() == 1
    assert not default_storage.exists(path)
    assert token not in client.session[SESSION_KEY]
    # a second click finds nothing to commit
    assert client.post(reverse("org:import_commit", args=[token])).status_code == 404


def test_it_commits_a_units_file(client, world):
    client.force_login(world.admin)
    token, _path = upload(
        client, csv_file([unit("3200", "Nye barnehage", "3000")], header=UNIT_HEADER), "units"
    )

    client.post(reverse("org:import_commit", args=[token]))

    assert Unit.objects.get(organisation=world.org, code="3200").parent == world.school_area


def test_it_refuses_a_commit_by_another_user(client, world):
    client.force_login(world.hr)
    token, path = upload(client, new_person_file(world))

    client.force_login(world.admin)
    response = client.post(reverse("org:import_commit", args=[token]))

    assert response.status_code == 404
    assert not Person.objects.filter(employee_number="90001").exists()
    assert default_storage.exists(path)


def test_it_refuses_a_commit_from_another_organisation(client, world):
    client.force_login(world.hr)
    token, _path = upload(client, new_person_file(world))

    client.force_login(world.outsider)

    assert client.post(reverse("org:import_commit", args=[token])).status_code == 404
    assert not Person.objects.filter(employee_number="90001").exists()


def test_it_refuses_a_commit_by_a_user_who_lost_the_hr_role(client, world):
    client.force_login(world.hr)
    token, _path = upload(client, new_person_file(world))
    for grant in world.hr.role_grants.all():
        services.revoke_role(actor=None, grant=grant)

    assert client.post(reverse("org:import_commit", args=[token])).status_code == 403
    assert not Person.objects.filter(employee_number="90001").exists()


def test_it_refuses_a_file_that_changed_after_the_preview(client, world):
    client.force_login(world.hr)
    token, path = upload(client, new_person_file(world))
    default_storage.delete(path)
    default_storage.save(path, SimpleUploadedFile("x", csv_file([employee("66666", unit="2110")])))

    response = client.post(reverse("org:import_commit", args=[token]), follow=True)

    assert "no longer available or has changed" in response.content.decode()
    assert not Person.objects.filter(employee_number__in=["90001", "66666"]).exists()
    assert not default_storage.exists(path)


def test_it_checks_the_file_again_when_committing(client, world):
    client.force_login(world.hr)
    token, path = upload(client, new_person_file(world))
    assert client.get(reverse("org:import_preview", args=[token])).context["outcome"].ok
    services.update_unit(
        actor=None,
        unit=world.ward,
        name="Avdeling A",
        kind=Unit.Kind.DEPARTMENT,
        code="2199",
        parent=world.nursing_home,
    )
    before = AuditEntry.objects.count()

    response = client.post(reverse("org:import_commit", args=[token]))

    assert response.status_code == 200
    assert "Unit code 2110 does not exist in Trygg" in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not Person.objects.filter(employee_number="90001").exists()
    assert AuditEntry.objects.count() == before
    assert default_storage.exists(path)


def test_it_cancels_and_deletes_the_file(client, world):
    client.force_login(world.hr)
    token, path = upload(client, new_person_file(world))

    response = client.post(reverse("org:import_cancel", args=[token]))

    assert response.status_code == 302
    assert not default_storage.exists(path)
    assert not Person.objects.filter(employee_number="90001").exists()


def test_it_only_commits_with_post(client, world):
    client.force_login(world.hr)
    token, _path = upload(client, new_person_file(world))

    assert client.get(reverse("org:import_commit", args=[token])).status_code == 405
    assert not Person.objects.filter(employee_number="90001").exists()
