"""Reporting and handling a deviation on a phone, as people would.

An employee scans the ward's QR code, reports a near miss with a photo and gets a receipt; the
leader of the nursing home handles it to closed with a measure that lands in the employee's
"Mine oppgaver"; the employee sees it closed. Then the same with an anonymous report through
the public link, answered and followed through its receipt code, without the leader learning
who reported. Every page is checked with axe-core (conftest.Browse.check).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from trygg.browser_tests.conftest import PHONE, Browse
from trygg.deviations import services
from trygg.deviations.models import Attachment, Deviation

pytestmark = pytest.mark.browser


def _photo(tmp_path) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "bilde.jpg"
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 200)).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


def _qr_path(world) -> str:  # type: ignore[no-untyped-def]
    """What the poster's QR code holds, without the host."""
    key = services.settings_for(world.org.pk).public_key
    return f"/avvik/p/{key}/?enhet={world.ward.pk}&sted=Bad+2"


def _submit(browse: Browse, selector: str) -> None:
    with browse.page.expect_navigation():
        browse.page.locator(selector).click()
    browse.check()


def _handle_to_closed(browse: Browse, deviation: Deviation, owner_name: str | None) -> None:
    page = browse.page
    browse.visit(deviation.get_absolute_url())
    page.fill("#id_root_cause", "Gulvet tørker sakte etter dusjing")
    _submit(browse, f'form[action="/avvik/{deviation.pk}/arsak/"] button[type=submit]')
    if owner_name:
        page.locator("#measures-h ~ details summary").click()
        page.fill("#id_title", "Legge sklisikker matte ved dusjen")
        page.select_option("#id_owner", label=owner_name)
        page.fill("#id_deadline", (dt.date.today() + dt.timedelta(days=7)).strftime("%d.%m.%Y"))
        _submit(browse, f'form[action="/avvik/{deviation.pk}/tiltak/"] button[type=submit]')
    page.locator('input[name="measures_effective"][value="yes"]').check()
    page.fill("#id_evaluation", "Matta ligger på plass, ingen nye hendelser")
    _submit(browse, f'form[action="/avvik/{deviation.pk}/lukk/"] button[type=submit]')
    deviation.refresh_from_db()
    assert deviation.is_closed


def test_report_with_a_photo_handle_it_and_see_it_closed_on_a_phone(
    browse: Browse, world, tmp_path
):
    page = browse.page
    page.set_viewport_size(PHONE)
    browse.login(world.employee)
    browse.visit(_qr_path(world))  # a member lands on the logged-in form, pre-filled
    assert browse.path.startswith("/avvik/meld/")
    assert page.locator("#id_unit").input_value() == str(world.ward.pk)
    assert page.locator("#id_location").input_value() == "Bad 2"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the form is {width}px wide on a phone"
    page.locator('input[name="category"][value="near_miss"]').check()
    page.fill("#id_description", "Sklei nesten på vått gulv ved dusjen")
    page.set_input_files("#id_files", _photo(tmp_path))
    _submit(browse, "form.dev-report button[type=submit]")
    deviation = Deviation.objects.get()
    assert deviation.reference in page.locator("main").inner_text()
    assert Attachment.objects.filter(deviation=deviation).count() == 1
    browse.logout()

    browse.login(world.leader)
    browse.visit("/avvik/behandling/")
    assert deviation.reference in page.locator("main").inner_text()
    _handle_to_closed(browse, deviation, "Eva Ansatt")
    browse.logout()

    browse.login(world.employee)
    browse.visit("/")
    assert "Legge sklisikker matte ved dusjen" in page.locator("main").inner_text()
    browse.visit(deviation.get_absolute_url())
    assert "Matta ligger på plass" in page.locator("main").inner_text()
    assert page.locator(".badge--ok").count() >= 1


def test_an_anonymous_report_answered_and_followed_by_its_receipt_code(browse: Browse, world):
    page = browse.page
    page.set_viewport_size(PHONE)
    browse.visit(_qr_path(world))
    assert page.locator("#id_unit").input_value() == str(world.ward.pk)
    page.locator('input[name="category"][value="harassment"]').check()
    page.fill("#id_description", "Gjentatte kommentarer om utseendet mitt på vakt")
    page.locator('input[name="severity"][value="high"]').check()
    page.locator("#id_anonymous").check()
    _submit(browse, "form.dev-report button[type=submit]")
    code = page.locator("#receipt-code").inner_text().strip()
    assert len(code) == 19
    deviation = Deviation.objects.get()
    assert deviation.is_anonymous and deviation.reporter is None

    browse.login(world.leader)
    browse.visit(deviation.get_absolute_url())
    facts = page.locator("dl.dev-facts").first.inner_text()
    assert "Anonymous" in facts or "Anonym" in facts
    page.fill("#id_body", "Hvilken vakt skjedde dette på?")
    page.locator("#id_question").check()
    _submit(browse, f'form[action="/avvik/{deviation.pk}/kommentar/"] button[type=submit]')
    browse.logout()

    browse.visit("/avvik/folg/")
    page.fill("#id_code", code)
    _submit(browse, "main form button[type=submit]")
    assert "Hvilken vakt skjedde dette på?" in page.locator("main").inner_text()
    page.fill("#id_body", "Kveldsvakter i helgene")
    _submit(browse, "main form.stacked button[type=submit]")
    assert "Kveldsvakter i helgene" in page.locator("main").inner_text()

    browse.login(world.leader)
    browse.visit(deviation.get_absolute_url())
    assert "Kveldsvakter i helgene" in page.locator("main").inner_text()
    _handle_to_closed(browse, deviation, None)
    history = page.locator("#history-h").locator("xpath=..").inner_text()
    assert "employee" not in history
    browse.logout()

    browse.visit("/avvik/folg/")
    page.fill("#id_code", code)
    _submit(browse, "main form button[type=submit]")
    assert "Matta ligger på plass" in page.locator("main").inner_text()
