"""A unit leader runs a violence-and-threats risk assessment in a browser, from the template to
the PDF, and every page on the way passes axe-core (WCAG 2.1 A/AA) with a clean console."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.browser_tests.conftest import PHONE
from trygg.risk.models import Assessment

pytestmark = pytest.mark.browser


def _submit(page) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.locator("main form.card button[type=submit]").click()


def test_a_leader_runs_a_violence_and_threats_assessment(browse, world):
    browse.login(world.leader)
    page = browse.visit("/risiko/")
    assert page.locator('nav.main-nav a[href="/risiko/"][aria-current="page"]').count() == 1

    # The template, and every factor FUA § 23A-1 lists, covered.
    page = browse.visit("/risiko/maler/vold-og-trusler/")
    assert page.locator("main .badge--ok").count() == 9
    with page.expect_navigation():
        page.locator('main a[href$="?mal=vold-og-trusler"]').first.click()
    browse.check()
    page.select_option("#id_unit", str(world.nursing_home.pk))
    _submit(page)
    assessment = Assessment.objects.get(template="vold-og-trusler")
    assert browse.path == f"/risiko/vurderinger/{assessment.pk}/"
    browse.check()

    # Who took part: the verneombud.
    with page.expect_navigation():
        page.locator('main a[href$="/deltakere/ny/"]').click()
    browse.check()
    page.select_option("#id_role", "safety_rep")
    page.select_option("#id_person", str(world.safety_rep.person.pk))
    _submit(page)

    # Score every hazard; the first one gets a residual risk too.
    hazards = list(assessment.hazards.order_by("position"))
    for number, hazard in enumerate(hazards):
        with page.expect_navigation():
            page.locator(f'main a[href="/risiko/farer/{hazard.pk}/endre/"]').click()
        browse.check(axe=number == 0)
        page.select_option("#id_probability", str(number % 5 + 1))
        page.select_option("#id_consequence", "4")
        if number == 0:
            page.select_option("#id_residual_probability", "1")
            page.select_option("#id_residual_consequence", "2")
        _submit(page)
    browse.check(axe=False)
    with page.expect_navigation():
        page.locator('main form[action$="/fullfor/"] button').click()
    browse.check()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.COMPLETED

    # The risk diagram: before and after measures, hazard numbers in the cells.
    maps = page.locator("main svg.risk-map")
    assert maps.count() == 2
    assert maps.first.locator("text", has_text="1").count() >= 1

    # The bow-tie of the first hazard, then a measure for the leader.
    with page.expect_navigation():
        page.locator(f'main a[href="/risiko/farer/{hazards[0].pk}/"]').click()
    browse.check()
    assert page.locator("main figure.bowtie .bowtie__part").count() == 5
    with page.expect_navigation():
        page.locator('main a[href$="/tiltak/ny/"]').click()
    browse.check()
    page.fill("#id_title", "Personalarm til alle på kveldsvakt")
    page.select_option("#id_owner", str(world.leader.person.pk))
    page.fill("#id_deadline", (dt.date.today() + dt.timedelta(days=30)).strftime("%d.%m.%Y"))
    _submit(page)
    browse.check()
    assert page.locator("main .action-items", has_text="Personalarm").count() == 1

    # The measure lands in "Mine oppgaver".
    page = browse.visit("/")
    assert page.locator("main", has_text="Personalarm til alle på kveldsvakt").count() == 1

    # The organisation's risk picture, and the PDF.
    page = browse.visit("/risiko/")
    assert page.locator("main svg.risk-map").count() == 1
    pdf = page.request.get(browse.url(f"/risiko/vurderinger/{assessment.pk}/risikovurdering.pdf"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")


def test_the_assessment_page_fits_a_phone(browse, world):
    from trygg.risk.tests.factories import make_completed

    assessment = make_completed(world.nursing_home, "ROS på mobil", scores=((5, 5), (2, 3)))
    browse.page.set_viewport_size(PHONE)
    browse.login(world.employee)
    page = browse.visit(assessment.get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    hazard = assessment.hazards.first()
    page = browse.visit(hazard.get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    browse.visit("/risiko/matrise/")
    browse.visit("/risiko/vurderinger/")
