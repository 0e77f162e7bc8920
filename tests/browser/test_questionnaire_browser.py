"""Journey: a French-speaking official opens the questionnaire, picks a goal, refreshes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_until_idle

pytestmark = pytest.mark.browser


def test_french_browser_sees_french_and_keeps_the_goal_after_refresh(app_url, browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(app_url)
    wait_until_idle(page)
    page.get_by_role("heading", name="Consultation du questionnaire").wait_for()

    page.locator(".st-key-goal").click()
    page.get_by_role("option", name="WD3 · Contrôles internes de la mine à l'exportation").click()
    wait_until_idle(page)
    page.get_by_role(
        "heading", name="WD3 · Contrôles internes de la mine à l'exportation"
    ).wait_for()
    assert "goal=WD3" in page.url and "lang=fr" in page.url

    page.reload()
    wait_until_idle(page)
    page.get_by_role(
        "heading", name="WD3 · Contrôles internes de la mine à l'exportation"
    ).wait_for()
    page.get_by_text("WD3.2.3 · Écart entre production et exportations").click()
    for key in "ABCD":
        expect(page.locator(f".st-key-stmt-WD3_2_3-{key}")).to_be_visible()
    expect(page.locator(".st-key-stmt-WD3_2_3-C")).to_contain_text("15 %")
    context.close()


def test_switching_to_portuguese_translates_the_page(app_url, browser):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(app_url)
    wait_until_idle(page)
    page.get_by_role("heading", name="Questionnaire browser").wait_for()
    page.locator(".st-key-lang").click()
    page.get_by_role("option", name="Português").click()
    wait_until_idle(page)
    page.get_by_role("heading", name="Consulta do questionário").wait_for()
    assert "lang=pt" in page.url
    context.close()
