"""Notices and their e-mails, sent to a real SMTP server (aiosmtpd): who is told of what, in
their language, once, with the link to the page; failures tried again later; each person's
choice of what is mailed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from tests.storage.conftest import make_user
from tests.storage.helpers import answer_all, at_once, new_assessment
from wddf.config import Settings
from wddf.domain import Action, NoticeKind, Role, Status
from wddf.errors import ErrorCode, Invalid, NotAllowed
from wddf.services import accounts, audit, mail, notices
from wddf.services.process import assignments
from wddf.services.review import workflow
from wddf.storage.tables import Assessment, OutgoingMail, User
from wddf.testing.mailbox import Mailbox, html_of, text_of

SITE = "https://wddf.example.org"


@pytest.fixture
def mailbox():
    with Mailbox() as box:
        yield box


def relay(db, url: str) -> Settings:
    return Settings(database_url=db.url, smtp_url=url, base_url=SITE)


def with_address(db, actor, address: str, lang: str | None = None) -> None:
    with db.session() as session:
        accounts.set_email(session, actor, actor.id, address)
        if lang:
            accounts.set_language(session, actor, lang)


def test_a_returned_assessment_reaches_its_focal_point_in_french_once_with_the_reason(
    db, people, mailbox
):
    with_address(db, people["focal"], "focal@sle.example", "fr")
    aid = new_assessment(db, people["focal"], status=Status.IN_REVIEW)
    reason = "WD1.1.1 : citez le décret <b>2023-14</b>"
    with db.session() as session:
        workflow.transition(session, people["reviewer"], aid, Action.RETURN, reason)
    with db.session() as session:
        told = notices.whats_new(session, people["focal"])
    assert [(n.kind, n.assessment_id, n.read) for n in told] == [(NoticeKind.RETURNED, aid, False)]

    settings = relay(db, mailbox.url)
    assert mail.send_waiting(db, settings) == mail.Round(sent=1, failed=0, given_up=0)
    assert mail.send_waiting(db, settings) == mail.Round(0, 0, 0)  # nothing twice
    (message,) = mailbox.wait_for(1)
    assert mailbox.recipients == [["focal@sle.example"]]
    assert message["Subject"] == "Sierra Leone 2024 : l'évaluation vous a été renvoyée"
    assert message["Content-Language"] == "fr"
    text = text_of(message)
    assert "Bonjour focal-sle," in text and f"Motif donné : {reason}" in text
    assert f"{SITE}/entry?lang=fr&assessment={aid}" in text
    html = html_of(message)
    assert "&lt;b&gt;2023-14&lt;/b&gt;" in html and "<b>2023" not in html  # typed, never markup
    assert f'href="{SITE}/entry?lang=fr&amp;assessment={aid}"' in html


def test_each_step_tells_the_people_it_concerns_and_not_the_one_who_took_it(db, people):
    aid = new_assessment(db, people["focal"])
    answer_all(db, people["focal"], aid)
    with db.session() as session:
        workflow.transition(session, people["focal"], aid, Action.SUBMIT)
    for step in (Action.START_REVIEW, Action.VALIDATE):
        with db.session() as session:
            workflow.transition(session, people["reviewer"], aid, step)
    with db.session() as session:
        workflow.transition(session, people["focal"], aid, Action.PUBLISH)
        workflow.add_comment(session, people["reviewer"], aid, "Well argued.", "WD2.1.1")
        told = {
            name: [n.kind for n in notices.whats_new(session, people[name])]
            for name in ("focal", "panelist", "reviewer", "other_focal", "donor", "admin")
        }
    assert told == {
        "focal": [NoticeKind.COMMENT, NoticeKind.VALIDATED],  # not of their own publication
        "panelist": [NoticeKind.PUBLISHED, NoticeKind.VALIDATED],
        "reviewer": [NoticeKind.SUBMITTED],
        "other_focal": [],  # another country's
        "donor": [],
        "admin": [],
    }


def test_an_assignment_and_the_daily_digest_reach_the_person_once_a_day(db, people, mailbox):
    with_address(db, people["panelist"], "panel@sle.example", "pt")
    today = date.today()
    aid = new_assessment(db, people["focal"], year=today.year)
    with db.session() as session:
        due = today + timedelta(days=2)
        assignments.assign(
            session, people["focal"], aid, "WD3.2", [people["panelist"].id], "panelist", due
        )
    with db.session() as session:
        assert assignments.tell_digest(session, today) == 1
    with db.session() as session:
        assert assignments.tell_digest(session, today) == 0  # the same day: nobody twice
    with db.session() as session:  # an assessment submitted asks nothing more of anyone
        later = today + timedelta(days=1)
        session.execute(update(Assessment).where(Assessment.id == aid).values(status="submitted"))
        assert assignments.tell_digest(session, later) == 0
        kinds = [n.kind for n in notices.whats_new(session, people["panelist"])]
    assert kinds == [NoticeKind.DIGEST, NoticeKind.ASSIGNED]
    mail.send_waiting(db, relay(db, mailbox.url))
    subjects = sorted(m["Subject"] for m in mailbox.wait_for(2))
    assert subjects == [
        "As suas tarefas WDDF: 1 a entregar em breve, 0 em atraso",
        f"Serra Leoa {today.year}: WD3.2 foi-lhe atribuído",
    ]
    digest = next(m for m in mailbox.messages if "tarefas" in m["Subject"])
    assert f"WD3.2, Serra Leoa {today.year}: para " in text_of(digest)
    assert f"{SITE}/assignments?lang=pt" in text_of(digest)


def test_a_kind_turned_off_is_shown_in_the_app_but_not_mailed(db, people, mailbox):
    with_address(db, people["focal"], "focal@sle.example")
    with db.session() as session:
        notices.set_mail_kinds_off(session, people["focal"], ["returned"])
    aid = new_assessment(db, people["focal"], status=Status.SUBMITTED)
    with db.session() as session:
        workflow.transition(session, people["reviewer"], aid, Action.RETURN, "Cite sources.")
    with db.session() as session:
        assert [n.kind for n in notices.whats_new(session, people["focal"])] == ["returned"]
        assert notices.mark_read(session, people["focal"]) == 1
        assert all(n.read for n in notices.whats_new(session, people["focal"]))
        with pytest.raises(Invalid):
            notices.set_mail_kinds_off(session, people["focal"], ["everything"])
    assert mail.send_waiting(db, relay(db, mailbox.url)).sent == 0


def test_a_relay_that_is_down_is_tried_again_later_and_then_given_up(db, people, mailbox):
    with_address(db, people["focal"], "focal@sle.example")
    aid = new_assessment(db, people["focal"], status=Status.SUBMITTED)
    with db.session() as session:
        workflow.transition(session, people["reviewer"], aid, Action.RETURN, "Cite sources.")
    down = relay(db, "smtp://127.0.0.1:1")  # nobody listens there
    moment = audit.now()
    assert mail.send_waiting(db, down, moment) == mail.Round(0, 1, 0)
    assert mail.send_waiting(db, down, moment).failed == 0  # not before its time
    with db.session() as session:
        (waiting,) = mail.outbox(session, people["admin"])
        with pytest.raises(NotAllowed):
            mail.outbox(session, people["focal"])
    assert waiting.attempts == 1 and "Connection" in waiting.last_error
    assert waiting.next_attempt == moment + timedelta(minutes=mail.BACKOFF[0])
    later = moment
    for minutes in mail.BACKOFF:
        later += timedelta(minutes=minutes)
        mail.send_waiting(db, down, later)
    with db.session() as session:
        (waiting,) = mail.outbox(session, people["admin"])
        assert waiting.given_up and waiting.attempts == mail.MOST_ATTEMPTS
        mail.retry(session, people["admin"], waiting.id)
    assert mail.send_waiting(db, relay(db, mailbox.url)).sent == 1
    assert len(mailbox.wait_for(1)) == 1


def test_two_senders_at_once_send_each_mail_once(db, people, mailbox):
    for n in range(6):
        person = make_user(db, f"focal-{n}", Role.FOCAL_POINT, "SLE")
        with_address(db, person, f"focal{n}@sle.example")
    aid = new_assessment(db, people["focal"], status=Status.SUBMITTED)
    with db.session() as session:
        workflow.transition(session, people["reviewer"], aid, Action.RETURN, "Cite sources.")
    settings = relay(db, mailbox.url)
    at_once(*(lambda: mail.send_waiting(db, settings) for _ in range(3)))
    with db.session() as session:
        unsent = session.scalar(select(func.count()).where(OutgoingMail.sent_at.is_(None)))
    assert unsent == 0
    assert len(mailbox.wait_for(6)) == 6
    delivered = sorted(to for (to,) in mailbox.recipients)
    assert delivered == sorted(f"focal{n}@sle.example" for n in range(6))


@pytest.mark.parametrize(
    "address",
    [
        "no-at-sign.example.org",
        "a@b@example.org",
        "someone@localhost",
        "a@example.org\r\nBcc: everyone@example.org",
        "<a@example.org>",
        "a b@example.org",
        "x" * 250 + "@example.org",
    ],
)
def test_an_address_that_is_not_one_is_refused_with_a_translated_message(db, people, address):
    with db.session() as session, pytest.raises(Invalid) as refused:
        accounts.set_email(session, people["focal"], people["focal"].id, address)
    refusals = (ErrorCode.INVALID_EMAIL, ErrorCode.TEXT_CONTROL, ErrorCode.TEXT_TOO_LONG)
    assert refused.value.code in refusals
    said = refused.value.message("fr")
    assert "adresse" in said.lower() or "caractère" in said.lower(), said
    with db.session() as session:
        assert session.get(User, people["focal"].id).email is None  # nothing stored


def test_an_address_is_set_by_its_owner_or_an_admin_only_and_audited(db, people):
    with db.session() as session:
        accounts.set_email(session, people["admin"], people["focal"].id, " focal@sle.example ")
        accounts.set_email(session, people["focal"], people["focal"].id, "me@sle.example")
        with pytest.raises(NotAllowed):
            accounts.set_email(session, people["panelist"], people["focal"].id, "x@sle.example")
        changes = [e["new"] for e in audit.entries(session, "user", str(people["focal"].id))]
    assert changes[-2:] == ["focal@sle.example", "me@sle.example"]


def test_mail_needs_the_address_of_the_site_for_its_links():
    with pytest.raises(ValueError, match="WDDF_BASE_URL"):
        Settings(smtp_url="smtp://127.0.0.1:25")
    assert mail.Relay.from_url("smtps://u%40x:p%3Aw@relay.example:2465") == mail.Relay(
        "relay.example", 2465, "ssl", "u@x", "p:w"
    )
    assert mail.Relay.from_url("smtp://relay.example?starttls=required").tls == "required"
