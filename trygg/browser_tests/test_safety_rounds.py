"""A leader and a verneombud run the kindergarten's safety round on their phones.

The network drops halfway through the checklist; the answers wait on the phone and are sent when
it returns. Both sign, two findings become deviations handled by the leader, and the PDF report
holds the photo. Every page is checked with axe-core (conftest.Browse.check).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from trygg.browser_tests.conftest import CSP_LISTENER, PASSWORD, PHONE, Browse
from trygg.deviations.models import Deviation
from trygg.org import services as org_services
from trygg.org.models import SafetyRepresentative
from trygg.org.tests import factories as f
from trygg.safety_rounds import queries, services
from trygg.safety_rounds.models import SafetyRound
from trygg.safety_rounds.tests.factories import make_checklist

pytestmark = pytest.mark.browser

FINDINGS = (3, 9)  # the questions (by position) the two find wanting


def _kindergarten_round(world):  # type: ignore[no-untyped-def]
    leader = f.make_user(world.org, "styrer")
    leader.first_name, leader.last_name = "Stine", "Styrer"
    leader.save()
    f.make_person(
        world.org, "Stine", "Styrer", user=leader, unit=world.kindergarten, is_leader=True
    )
    rep = f.make_user(world.org, "vo_barnehage")
    person = f.make_person(world.org, "Vidar", "Verneombud", user=rep, unit=world.kindergarten)
    area = f.make_safety_area(world.org, [world.kindergarten], "Lia barnehage")
    org_services.appoint_safety_representative(
        actor=None,
        person=person,
        role=SafetyRepresentative.Role.REPRESENTATIVE,
        area=area,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2099, 12, 31),
    )
    template = make_checklist(world.org, "barnehage")
    (round_,) = services.plan_rounds(
        actor=None,
        organisation=world.org,
        year=dt.date.today().year,
        template=template,
        units=[world.kindergarten],
    )
    return round_, leader, rep


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 40, 40)).save(out, format="JPEG")
    return out.getvalue()


def _answer(page, fieldset, number: int) -> None:  # type: ignore[no-untyped-def]
    kind = fieldset.get_attribute("data-type")
    key = fieldset.get_attribute("data-key")
    if kind == "check":
        value = "deviation" if number in FINDINGS else "ok"
        fieldset.locator(f'input[value="{value}"]').check()
        if number in FINDINGS:
            page.fill(f"#c-{key}", f"Funn nummer {number}: må rettes")
            page.locator(f"#c-{key}").blur()
    elif kind == "number":
        page.fill(f"#n-{key}", "7")
        page.locator(f"#n-{key}").blur()
    else:
        page.fill(f"#t-{key}", "Godt samarbeid i personalgruppen")
        page.locator(f"#t-{key}").blur()


def _waiting(page, round_) -> int:  # type: ignore[no-untyped-def]
    """Answers kept on the phone, not yet sent (the page's CSP forbids wait_for_function)."""
    return page.evaluate(
        f"(JSON.parse(localStorage.getItem('trygg-safety-round-{round_.pk}')) || []).length"
    )


def _wait_until_sent(page, round_) -> None:  # type: ignore[no-untyped-def]
    for _ in range(100):
        if _waiting(page, round_) == 0:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{_waiting(page, round_)} answers were never sent")


def _login(session: Browse, user) -> None:  # type: ignore[no-untyped-def]
    session.page.set_viewport_size(PHONE)
    session.login(user, PASSWORD)


def test_a_leader_and_a_verneombud_run_the_kindergarten_round_offline_halfway(browse, world):
    round_, leader, rep = _kindergarten_round(world)
    _login(browse, leader)
    page = browse.page
    browse.visit(f"/vernerunder/{round_.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Start the checklist").or_(
            page.get_by_role("link", name="Start sjekklisten")
        ).first.click()
    browse.check()
    fieldsets = page.locator("fieldset.cl-q")
    total = fieldsets.count()
    assert total == 35
    half = total // 2
    for number in range(half):
        _answer(page, fieldsets.nth(number), number)
    _wait_until_sent(page, round_)

    browse.context.set_offline(True)
    for number in range(half, total):
        _answer(page, fieldsets.nth(number), number)
    status = page.locator("#cl-status")
    assert "Answers waiting" in status.inner_text() or "venter" in status.inner_text()
    assert _waiting(page, round_) == total - half
    assert len(queries.current_answers(round_)) == half  # the rest is on the phone only

    browse.context.set_offline(False)
    _wait_until_sent(page, round_)
    # While offline, a send the page started may have failed: that is the point of the queue.
    browse.console_errors[:] = [
        e for e in browse.console_errors if "INTERNET_DISCONNECTED" not in e
    ]
    assert len(queries.current_answers(round_)) == total

    # A photo of the first finding.
    finding_key = fieldsets.nth(FINDINGS[0]).get_attribute("data-key")
    page.set_input_files(
        f"#p-{finding_key}", {"name": "funn.jpg", "mimeType": "image/jpeg", "buffer": _photo()}
    )
    page.locator(f"#q-{finding_key} .cl-photos a").first.wait_for()
    browse.check()

    browse.visit(f"/vernerunder/{round_.pk}/")
    with page.expect_navigation():
        page.locator("form[action$='/signer/'] button").click()
    browse.check()
    assert SafetyRound.objects.get(pk=round_.pk).status == SafetyRound.Status.IN_PROGRESS

    # The verneombud signs on their own phone.
    other = browse.context.browser.new_context(
        locale="nb-NO", timezone_id="Europe/Oslo", viewport=PHONE, service_workers="block"
    )
    other.add_init_script(CSP_LISTENER)
    try:
        second = Browse(context=other, page=other.new_page(), base_url=browse.base_url)
        second.page.on("pageerror", lambda e: second.console_errors.append(str(e)))
        _login(second, rep)
        second.visit(f"/vernerunder/{round_.pk}/")
        with second.page.expect_navigation():
            second.page.locator("form[action$='/signer/'] button").click()
        second.check()
        findings = second.page.locator("#findings-h + .table-wrap tbody tr")
        assert findings.count() == 2
        for row in range(2):
            text = findings.nth(row).inner_text()
            assert "Stine Styrer" in text  # the deviation's handler: the kindergarten's leader
        deviations = Deviation.objects.filter(organisation=world.org, unit=world.kindergarten)
        assert deviations.count() == 2
        assert {d.handler for d in deviations} == {leader}

        report = second.page.request.get(browse.url(f"/vernerunder/{round_.pk}/rapport.pdf"))
        assert report.status == 200
        assert report.headers["content-type"] == "application/pdf"
        assert b"/Subtype /Image" in report.body()
    finally:
        other.close()


def test_the_checklist_page_is_light_on_a_slow_phone_connection(browse, world):
    """Page weight and requests of the 35-question kindergarten checklist (the closing note of
    issue 7 quotes the printed figures)."""
    round_, leader, _rep = _kindergarten_round(world)
    _login(browse, leader)
    loaded: list[tuple[str, int]] = []
    browse.page.on(
        "requestfinished",
        lambda request: loaded.append((request.url, len(request.response().body()))),
    )
    browse.visit(f"/vernerunder/{round_.pk}/sjekkliste/")
    browse.page.wait_for_load_state("networkidle")
    total = sum(size for _url, size in loaded)
    print(f"\nchecklist page: {len(loaded)} requests, {total} bytes uncompressed")
    for url, size in loaded:
        print(f"  {size:>7}  {url.removeprefix(browse.base_url)}")
    assert len(loaded) <= 8
    assert total < 150_000


def test_the_hms_coordinator_plans_the_year_on_a_phone(browse, world):
    """The status page, planning, checklists and settings pass axe on a phone."""
    round_, _leader, _rep = _kindergarten_round(world)
    services.install_built_in_checklists(actor=None, organisation=world.org)
    browse.page.set_viewport_size(PHONE)
    browse.login(world.hms)
    browse.visit("/vernerunder/")
    assert round_.title in browse.page.locator("main").inner_text()
    browse.visit("/vernerunder/planlegg/")
    browse.page.select_option("#id_template", label="Vernerunde sykehjem")
    browse.page.select_option("#id_under", label="Helse og omsorg")
    with browse.page.expect_navigation():
        browse.page.locator("main form button[type=submit]").click()
    browse.check()
    assert SafetyRound.objects.filter(unit=world.nursing_home).exists()
    browse.visit("/vernerunder/sjekklister/")
    template = round_.template_version.template
    browse.visit(f"/vernerunder/sjekklister/{template.pk}/")
    browse.visit("/vernerunder/revisjon/ny/")
    browse.visit("/vernerunder/innstillinger/")
    browse.visit(f"/vernerunder/{round_.pk}/sjekkliste/")  # read-only for the coordinator
