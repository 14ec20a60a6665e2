"""The preview: what the import would do, or every error by row, before anything is saved."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trygg.org.importing import SESSION_KEY
from trygg.org.models import Person
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
        reverse("org:import_start"), {"kind": kind, "file": SimpleUploadedFile("fil.csv", data)}
    )
    assert response.status_code == 302, response.content
    return response["Location"]


def test_it_shows_counts_and_the_first_changes(client, world):
    client.force_login(world.hr)
    number = world.colleague.person.employee_number
    rows = [row for row in rows_from_database(world.org) if row[0] != number]
    rows.append(employee("90001", "Kari", "Nordmann", unit="2110", percent="80,5"))
    url = upload(client, csv_file(rows))

    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    counts = response.context["counts"]
    assert counts == {"new": 1, "changed": 0, "ended": 1, "unchanged": 8}
    assert "Kari Nordmann" in html and "80,5 %" in html
    assert world.colleague.person.full_name in html
    assert 'scope="col"' in html and 'scope="row"' in html
    assert reverse("org:import_commit", args=[url.rstrip("/").split("/")[-1]]) in html
    assert Person.objects.filter(employee_number="90001").count() == 0


def test_it_lists_every_error_by_row_in_an_alert(client, world):
    client.force_login(world.admin)
    rows = [employee("90001", unit="9999"), employee("90002", percent="0"), employee("90001")]
    url = upload(client, csv_file(rows))

    response = client.get(url)

    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Row 2:" in html and "Row 3:" in html and "Row 4:" in html
    assert "Unit code 9999 does not exist in Trygg" in html
    assert "bekreft" not in html  # no commit button
    assert len(response.context["outcome"].errors) == 3


def test_it_escapes_html_from_the_file(client, world):
    client.force_login(world.hr)
    rows = [
        *rows_from_database(world.org),
        employee(
            "90001", "<script>alert('x')</script>", "<img src=x onerror=alert(1)>", unit="2110"
        ),
    ]
    url = upload(client, csv_file(rows))

    response = client.get(url)

    html = response.content.decode()
    assert "<script>alert(" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_it_escapes_html_in_error_messages(client, world):
    client.force_login(world.hr)
    url = upload(client, csv_file([employee("90001", unit="<b>x</b>")]))

    html = client.get(url).content.decode()

    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_it_previews_a_units_file(client, world):
    client.force_login(world.admin)
    url = upload(
        client, csv_file([unit("3200", "Nye barnehage", "3000")], header=UNIT_HEADER), kind="units"
    )

    response = client.get(url)

    assert response.context["counts"]["new"] == 1
    assert "Nye barnehage" in response.content.decode()


def test_it_says_so_when_nothing_would_change(client, world):
    client.force_login(world.hr)
    url = upload(client, csv_file(rows_from_database(world.org)))

    response = client.get(url)

    assert "Nothing to change" in response.content.decode()
    assert not response.context["outcome"].has_changes


def test_it_hides_someone_elses_upload(client, world):
    client.force_login(world.hr)
    url = upload(client, csv_file([employee("90001", unit="2110")]))

    for other in (world.admin, world.outsider):
        client.force_login(other)
        assert client.get(url).status_code == 404


def test_it_refuses_an_upload_whose_session_entry_points_elsewhere(client, world):
    client.force_login(world.hr)
    url = upload(client, csv_file([employee("90001", unit="2110")]))
    session = client.session
    ((token, stored),) = session[SESSION_KEY].items()
    stored["path"] = f"imports/{world.admin.pk}/{token}.upload"
    session[SESSION_KEY] = {token: stored}
    session.save()

    assert client.get(url).status_code == 404


def test_it_keeps_its_query_count_when_the_file_grows(client, world, django_assert_max_num_queries):
    client.force_login(world.hr)
    small = upload(
        client, csv_file([employee(str(90000 + i), unit="2110", percent="10") for i in range(5)])
    )
    large = upload(
        client, csv_file([employee(str(90000 + i), unit="2110", percent="10") for i in range(200)])
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(small)
    with CaptureQueriesContext(connection) as many:
        client.get(large)

    assert len(many) == len(few)
