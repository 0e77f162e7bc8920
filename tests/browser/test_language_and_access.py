"""Every word in the reader's language, Streamlit's own included, the page's ``lang``, a warning
before typed text is lost, and no accessibility fault of the app's own (axe-core), in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import expect

from wddf.domain import Role
from wddf.services import accounts
from wddf.services.actor import SYSTEM
from wddf.services.answers import assessments, demo
from wddf.storage.db import Database
from wddf.testing.browser import sign_in, wait_until_idle
from wddf.ui.page_words import STREAMLIT_WORDS

pytestmark = pytest.mark.browser

FOCAL, FOCAL_PASSWORD = "words-focal", "Focal-strong-pass-9"
REVIEWER, REVIEWER_PASSWORD = "words-reviewer", "Reviewer-pass-99"
AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
# Streamlit's own faults, which no app can change (named in DESIGN.md with the version)
# the sidebar's page list: a <ul> holding section titles, and <li>s (Streamlit 1.67)
STREAMLIT_OWN = {"list", "listitem"}


@pytest.fixture(scope="module")
def made(server) -> Iterator[int]:
    """A focal point and a reviewer, demo data, and a draft of Sierra Leone; its id."""
    db = Database(server.env["WDDF_DATABASE_URL"])
    with db.session() as session:
        focal = accounts.create_user(
            session, SYSTEM, FOCAL, Role.FOCAL_POINT, FOCAL_PASSWORD, "SLE"
        )
        accounts.create_user(session, SYSTEM, REVIEWER, Role.REVIEWER, REVIEWER_PASSWORD)
        demo.load(session, SYSTEM, countries=4, years=2, seed=3)
        years = {a.year for a in assessments.visible(session, SYSTEM) if a.country == "SLE"}
        draft = assessments.create(session, focal, "SLE", max(years | {2030}) + 1, "wddf-1.2")
        draft_id = draft.id
    db.dispose()
    yield draft_id


def _english_of_streamlit(page) -> list[str]:
    """Streamlit's English words still on the page (text, placeholders, labels)."""
    return page.evaluate(
        """(words) => {
            const found = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const text = n.nodeValue.trim();
                if (words.includes(text) || / per file$/.test(text)) found.push(text);
            }
            for (const e of document.querySelectorAll("[placeholder], [aria-label]")) {
                for (const v of [e.getAttribute("placeholder"), e.getAttribute("aria-label")]) {
                    if (v && words.includes(v.trim())) found.push(v);
                }
            }
            return found;
        }""",
        sorted(STREAMLIT_WORDS),
    )


def _violations(page) -> list[str]:
    """axe-core's violations on the page, but for Streamlit's own."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["id"] not in STREAMLIT_OWN
    ]


def test_french_pages_say_french_streamlits_words_included(server, browser, made):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, FOCAL, FOCAL_PASSWORD, lang="fr")
    for path in ("assessments", "plan", "progress", f"entry?assessment={made}&goal=WD1"):
        page.goto(f"{server.url}/{path.split('?')[0]}?lang=fr&{path.partition('?')[2]}")
        wait_until_idle(page)
        assert page.evaluate("document.documentElement.lang") == "fr", path
        assert _english_of_streamlit(page) == [], path
    uploader = page.get_by_test_id("stFileUploaderDropzoneInstructions").first  # on the entry
    expect(uploader).to_contain_text("au plus par fichier")
    # the language switch changes the page's language, Streamlit's words with it
    page.get_by_label("Langue").click()
    page.get_by_role("option", name="Português").click()
    wait_until_idle(page)
    expect(page.locator("html")).to_have_attribute("lang", "pt")
    expect(page.get_by_test_id("stFileUploaderDropzoneInstructions").first).to_contain_text(
        "no máximo por ficheiro"
    )
    context.close()


def test_text_typed_and_not_sent_is_not_lost_to_a_closed_tab_without_a_warning(
    server, browser, made
):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, FOCAL, FOCAL_PASSWORD, lang="fr")
    page.goto(f"{server.url}/entry?assessment={made}&goal=WD1&lang=fr")
    wait_until_idle(page)
    field = page.get_by_label("Justification : qu'est-ce qui fonde cette note ?").first
    field.click()
    field.press_sequentially("Le décret de 2023 le prévoit")  # typed, not yet sent
    with page.expect_event("dialog") as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"  # the browser asks before the text is lost
    asked.value.accept()
    context.close()


@pytest.mark.parametrize("who", ["focal", "reviewer"])
def test_no_accessibility_fault_of_the_apps_own_on_any_page(server, browser, made, who):
    name, password = (FOCAL, FOCAL_PASSWORD) if who == "focal" else (REVIEWER, REVIEWER_PASSWORD)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, name, password, lang="fr")
    links = page.get_by_test_id("stSidebarNav").get_by_role("link")
    paths = sorted({href.split("?")[0] for href in links.evaluate_all("a => a.map(e => e.href)")})
    found = {}
    for url in paths:
        page.goto(f"{url}?lang=fr")
        wait_until_idle(page)
        if violations := _violations(page):
            found[url.rsplit("/", 1)[-1]] = violations
    context.close()
    assert found == {}, "\n".join(f"{page}: {faults}" for page, faults in found.items())


def test_the_page_says_it_is_still_drawing_while_placeholders_stand(server, browser, made):
    """While Streamlit shows a placeholder for an element it has not drawn yet, the page says so
    in the reader's language, and stops saying it once the last one is gone."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, FOCAL, FOCAL_PASSWORD, lang="fr")
    page.goto(f"{server.url}/assessments?lang=fr")
    wait_until_idle(page)
    note = page.locator("#wddf-drawing")
    expect(note).to_have_count(0)
    page.evaluate(
        """() => {
            const placeholder = document.createElement("div");
            placeholder.dataset.testid = "stSkeleton";
            placeholder.id = "placeholder";
            document.querySelector("[data-testid=stMain]").appendChild(placeholder);
        }"""
    )
    expect(note).to_have_text("La page s'affiche encore…")
    expect(note).to_have_attribute("role", "status")
    page.evaluate("() => document.getElementById('placeholder').remove()")
    expect(note).to_have_count(0)
    context.close()
