"""The import start page: who may upload, and what an upload does."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trygg.org.importing import SESSION_KEY, example_file, read_table
from trygg.org.models import Person
from trygg.org.tests import factories as f
from trygg.org.tests.files import (
    csv_file,
    employee,
    english,  # noqa: F401 (autouse fixture)
)

URL = "/organisasjon/import/"


def upload(client, data=None, kind="employees", name="ansatte.csv"):
    data = data if data is not None else csv_file([employee("90001", unit="2110")])
    return client.post(URL, {"kind": kind, "file": SimpleUploadedFile(name, data, "text/csv")})


def test_it_is_the_url_the_menu_links_to():
    assert reverse("org:import_start") == URL


@pytest.mark.parametrize("persona", ["admin", "hr"])
def test_it_shows_the_upload_form_to_hr_and_admins(client, world, persona):
    client.force_login(getattr(world, persona))

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_file">' in html
    assert "<legend>" in html  # the kind radios are grouped under a legend
    assert 'scope="col"' in html and "ansattnummer" in html


@pytest.mark.parametrize("persona", ["leader", "employee", "hms", "safety_rep", "bht", "secretary"])
def test_it_refuses_everyone_else_in_the_organisation(client, world, persona):
    client.force_login(getattr(world, persona))

    assert client.get(URL).status_code == 403
    assert upload(client).status_code == 403
    assert Person.objects.filter(employee_number="90001").count() == 0


def test_it_refuses_hr_for_only_part_of_the_organisation(client, world):
    user = f.make_user(world.org, "hr_health")
    f.grant(user, "hr", unit=world.health)
    client.force_login(user)

    assert client.get(URL).status_code == 403


def test_it_hides_the_page_from_users_of_no_organisation(client, db):
    client.force_login(f.make_user(None, "nobody"))

    assert client.get(URL).status_code == 404


def test_it_sends_anonymous_users_to_the_login_page(client, db):
    response = client.get(URL)

    assert response.status_code == 302 and "/konto/" in response["Location"]


def test_it_keeps_the_upload_in_the_users_folder_and_shows_the_preview(client, world):
    client.force_login(world.hr)

    response = upload(client)

    assert response.status_code == 302
    pending = client.session[SESSION_KEY]
    ((token, stored),) = pending.items()
    assert response["Location"] == reverse("org:import_preview", args=[token])
    assert stored["path"].startswith(f"imports/{world.hr.pk}/")
    assert token in stored["path"] and "ansatte" not in stored["path"]
    assert default_storage.exists(stored["path"])
    assert Person.objects.filter(employee_number="90001").count() == 0  # nothing written yet


def test_it_refuses_an_empty_or_oversized_file_on_the_form(client, world, settings):
    client.force_login(world.hr)

    response = upload(client, b"")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()

    settings.TRYGG_IMPORT_MAX_BYTES = 100
    response = upload(client, csv_file([employee(str(90000 + i)) for i in range(10)]))
    assert "The file is too large" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_it_requires_a_choice_of_kind(client, world):
    client.force_login(world.hr)

    response = upload(client, kind="")

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("kind", ["units", "employees"])
def test_it_offers_example_files(client, world, kind):
    client.force_login(world.hr)

    response = client.get(reverse("org:import_example", args=[kind]))

    assert response.status_code == 200
    assert response.content == example_file(kind)
    assert response["Content-Disposition"].startswith("attachment;")
    assert read_table(response.content).rows


def test_it_hides_example_files_from_others(client, world):
    client.force_login(world.employee)

    assert client.get(reverse("org:import_example", args=["units"])).status_code == 403
