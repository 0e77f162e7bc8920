"""E-mail notices end to end, in French: a reviewer returns an assessment in the browser; the
focal point's mailbox (a real SMTP server) receives the French e-mail with the reason and the
link, mailed by the app's own server; the link, opened signed out, leads through the sign-in
form, in the same tab, to the assessment."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from wddf.domain import Role, Status
from wddf.services import accounts
from wddf.services.actor import SYSTEM
from wddf.services.answers import assessments
from wddf.storage.db import Database
from wddf.storage.tables import Assessment
from wddf.testing.browser import sign_in, wait_until_idle
from wddf.testing.mailbox import Mailbox, free_port, html_of, text_of
from wddf.testing.servers import AppServer

pytestmark = pytest.mark.browser

FOCAL, FOCAL_PASSWORD = "aminata", "Focal-strong-pass-7"
REVIEWER, REVIEWER_PASSWORD = "robert", "Reviewer-pass-77"
REASON = "WD1.1.3 : joignez les chiffres de production de 2025 <annexe B>."


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    with Mailbox() as box:
        yield box


@pytest.fixture(scope="module")
def mail_server(tmp_path_factory, mailbox) -> Iterator[AppServer]:
    """The app with a mail relay (the mailbox) and its address for the links."""
    port = free_port()
    app = AppServer(
        f"sqlite:///{tmp_path_factory.mktemp('mail-db')}/wddf.sqlite3",
        port=port,
        WDDF_SMTP_URL=mailbox.url,
        WDDF_BASE_URL=f"http://127.0.0.1:{port}",
        WDDF_MAIL_FROM="WDDF <wddf@example.org>",
    )
    app.start()
    yield app
    app.stop()


def _in_review(server: AppServer) -> int:
    """The two accounts (the focal point in French, with an address) and an assessment of
    Sierra Leone under review; returns its id."""
    db = Database(server.env["WDDF_DATABASE_URL"])
    with db.session() as session:
        accounts.create_user(session, SYSTEM, "chief", Role.ADMIN, "Admin-strong-pass-7")
        focal = accounts.create_user(
            session,
            SYSTEM,
            FOCAL,
            Role.FOCAL_POINT,
            FOCAL_PASSWORD,
            "SLE",
            email="focal@sl.example",
        )
        accounts.set_language(session, focal, "fr")
        reviewer = accounts.create_user(session, SYSTEM, REVIEWER, Role.REVIEWER, REVIEWER_PASSWORD)
        accounts.set_language(session, reviewer, "fr")
        made = assessments.create(session, focal, "SLE", 2025, "wddf-1.2")
        session.execute(
            update(Assessment).where(Assessment.id == made.id).values(status=Status.IN_REVIEW.value)
        )
        aid = made.id
    db.dispose()
    return aid


def test_a_returned_assessment_is_mailed_in_french_and_its_link_opens_it(
    mail_server, mailbox, browser
):
    aid = _in_review(mail_server)
    reviewer = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = reviewer.new_page()
    sign_in(page, mail_server.url, REVIEWER, REVIEWER_PASSWORD, lang="fr")
    page.goto(f"{mail_server.url}/review?assessment={aid}&lang=fr")
    wait_until_idle(page)
    page.get_by_label("Motif (obligatoire pour renvoyer ou rouvrir)").fill(REASON)
    page.get_by_role("button", name="Renvoyer au pays").click()
    wait_until_idle(page)
    reviewer.close()

    (message,) = mailbox.wait_for(1)  # sent by the app's server, not by the test
    assert mailbox.recipients == [["focal@sl.example"]]
    assert message["Subject"] == "Sierra Leone 2025 : l'évaluation vous a été renvoyée"
    assert message["From"] == "WDDF <wddf@example.org>"
    text = text_of(message)
    assert f"Bonjour {FOCAL}," in text
    assert f"Un examinateur ({REVIEWER}) a renvoyé l'évaluation Sierra Leone 2025" in text
    assert f"Motif donné : {REASON}" in text
    assert "&lt;annexe B&gt;" in html_of(message)  # typed text, never markup
    link = re.search(r"Ouvrir la page : (\S+)", text).group(1)
    assert link == f"{mail_server.url}/entry?lang=fr&assessment={aid}"

    focal = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = focal.new_page()
    page.goto(link)  # signed out, as from a mail program
    wait_until_idle(page)
    pages_before = len(focal.pages)
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_label("Nom d'utilisateur").fill(FOCAL)
    page.get_by_label("Mot de passe").fill(FOCAL_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    wait_until_idle(page)
    assert len(focal.pages) == pages_before  # the same tab, signed in
    assert f"assessment={aid}" in page.url
    page.get_by_role("heading", name="Sierra Leone · 2025").wait_for()
    expect(page.get_by_text(REASON, exact=True)).to_be_visible()
    expect(page.get_by_text("● renvoyée")).to_be_visible()
    focal.close()
