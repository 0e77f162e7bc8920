"""E-mail: the outbox of notices (``services.notices``) sent through the organisation's relay
(``WDDF_SMTP_URL``) with Python's own ``smtplib`` and ``email``.

Each mail is composed when it is sent, in its reader's language, as plain text and HTML (what
people typed is escaped), with a link to the exact page (``WDDF_BASE_URL``). A sender claims a row
before sending it (``claimed_until``), so that two senders (the app's servers, the systemd
timer) never send the same mail; a failure is tried again later each time (``BACKOFF``), and
given up after ``MOST_ATTEMPTS``, shown to administrators. A sender stopped between the relay's
acceptance and the row's update sends that one mail again once its claim lapses: the mail's
``Message-ID`` is the notice's, so mail programs show it once.
"""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from html import escape
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from wddf.config import Settings, get_settings
from wddf.domain import PROCESS_ROLES, NoticeKind, Role
from wddf.errors import ErrorCode, Invalid
from wddf.i18n import LANGUAGES, day, t
from wddf.services import audit, authz, notices
from wddf.services.actor import Actor
from wddf.services.countries import country_name
from wddf.storage.db import Database, database_for
from wddf.storage.tables import Notice, OutgoingMail, User

LOG = logging.getLogger(__name__)
BACKOFF = (1, 5, 15, 60, 180, 720)  # minutes before each new attempt
MOST_ATTEMPTS = len(BACKOFF) + 1
CLAIM = timedelta(minutes=10)  # how long a sender holds a row it is sending
ROUND = 100  # mails sent per round at most
TIMEOUT = 30  # seconds the relay has to answer


@dataclass(frozen=True)
class Relay:
    """Where mail goes, read from ``WDDF_SMTP_URL``."""

    host: str
    port: int
    tls: str  # "ssl" (smtps), "required" or "offered" (STARTTLS)
    username: str | None
    password: str | None

    @classmethod
    def from_url(cls, url: str) -> Relay:
        """``smtp://[user:password@]host[:587][?starttls=required]`` or ``smtps://…[:465]``."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("WDDF_SMTP_URL is smtp://host[:port] or smtps://host[:port]")
        required = parse_qs(parts.query).get("starttls", [""])[0] == "required"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if parts.scheme == "smtps" else 587),
            tls="ssl" if parts.scheme == "smtps" else ("required" if required else "offered"),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )

    def connect(self) -> smtplib.SMTP:
        """A connection, secured as the URL says and signed in when it names a user."""
        context = ssl.create_default_context()
        if self.tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=TIMEOUT, context=context
            )
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT)
            client.ehlo()
            if client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
            elif self.tls == "required":
                client.close()
                raise smtplib.SMTPException("the relay does not offer STARTTLS")
        if self.username:
            client.login(self.username, self.password or "")
        return client


# The page each kind of notice opens, and the query naming the assessment.
PAGE_OF = {
    NoticeKind.RETURNED: "entry",
    NoticeKind.SUBMITTED: "review",
    NoticeKind.VALIDATED: "entry",
    NoticeKind.PUBLISHED: "entry",
    NoticeKind.ASSIGNED: "assignments",
    NoticeKind.DIGEST: "assignments",
    NoticeKind.COMMENT: "entry",
}


def page_link(
    base_url: str, kind: NoticeKind, assessment_id: int | None, lang: str, role: Role
) -> str:
    """The address of the page a notice opens, in its reader's language."""
    page = PAGE_OF[kind]
    if page == "assignments" and role not in PROCESS_ROLES:
        page = "assessments"
    query: dict[str, object] = {"lang": lang}
    if assessment_id is not None and page in ("entry", "review"):
        query["assessment"] = assessment_id
    return f"{base_url.rstrip('/')}/{page}?{urlencode(query)}"


def compose(
    notice: Notice, person: User, address: str, settings: Settings | None = None
) -> EmailMessage:
    """The e-mail of a notice in its reader's language: plain text and HTML, with the link."""
    settings = settings or get_settings()
    lang = person.language if person.language in LANGUAGES else settings.default_language
    kind = NoticeKind(notice.kind)
    params = json.loads(notice.params)
    fill = _fill(params, lang)
    subject = headline(kind, params, lang)
    body = [t(f"mail.{kind.value}.body", lang, **fill)]
    if params.get("reason"):
        body.append(t("mail.reason", lang, reason=params["reason"]))
    if params.get("body"):
        body.append(t("mail.comment", lang, body=params["body"]))
    items = [
        t("mail.digest.late_item" if i["late"] else "mail.digest.item", lang, **_fill(i, lang))
        for i in params.get("items", [])
    ]
    link = page_link(settings.base_url or "", kind, notice.assessment_id, lang, Role(person.role))
    greeting = t("mail.greeting", lang, name=person.display_name or person.username)
    footer = t("mail.footer", lang)
    text = "\n\n".join(
        [greeting, *body, *(["\n".join(f"- {i}" for i in items)] if items else []),
         t("mail.open", lang, link=link), footer]
    )  # fmt: skip
    html_items = "".join(f"<li>{escape(i)}</li>" for i in items)
    html = (
        f'<!DOCTYPE html><html lang="{lang}"><body>'
        f"<p>{escape(greeting)}</p>"
        + "".join(f"<p>{escape(part)}</p>" for part in body)
        + (f"<ul>{html_items}</ul>" if items else "")
        + f'<p><a href="{escape(link)}">{escape(t("mail.open_button", lang))}</a></p>'
        f"<p><small>{escape(footer)}</small></p></body></html>"
    )
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.mail_from
    message["To"] = address
    message["Date"] = format_datetime(audit.aware(notice.created_at))
    host = urlsplit(settings.base_url or "http://localhost").hostname or "localhost"
    message["Message-ID"] = f"<notice-{notice.id}@{host}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = lang  # after the content, which sets the Content-* headers
    return message


def headline(kind: NoticeKind, params: dict, lang: str) -> str:
    """A notice in one line of ``lang``: its e-mail's subject, and its line under "what's new"."""
    return t(f"mail.{kind.value}.subject", lang, **_fill(params, lang))


def _fill(params: dict, lang: str) -> dict[str, object]:
    """A notice's parameters as its messages show them: the country's name, dates in words."""
    out: dict[str, object] = {k: v for k, v in params.items() if k != "items"}
    if "country" in params:
        out["country"] = country_name(params["country"], lang)
    if params.get("due"):
        out["due"] = day(datetime.fromisoformat(params["due"]).date(), lang)
    if params.get("task"):
        out["task"] = t(f"assign.task.{params['task']}", lang)
    if "dimension" in params:
        out["where"] = params["dimension"] or t("mail.whole", lang)
    return out


@dataclass(frozen=True)
class Round:
    """What one round of sending did."""

    sent: int
    failed: int
    given_up: int


def send_waiting(
    db: Database, settings: Settings | None = None, now: datetime | None = None
) -> Round:
    """Send the mail that waits (up to ``ROUND``): claim each row, send it, mark it sent, or
    put it back for later with the relay's answer. Nothing when no relay is set."""
    settings = settings or get_settings()
    if settings.smtp_url is None:
        return Round(0, 0, 0)
    relay = Relay.from_url(settings.smtp_url.get_secret_value())
    now = now or audit.now()
    with db.session() as session:
        due = session.scalars(
            select(OutgoingMail.id)
            .where(
                OutgoingMail.sent_at.is_(None),
                OutgoingMail.given_up.is_(False),
                OutgoingMail.send_after <= now,
                or_(OutgoingMail.claimed_until.is_(None), OutgoingMail.claimed_until < now),
            )
            .order_by(OutgoingMail.id)
            .limit(ROUND)
        ).all()
    sent = failed = given_up = 0
    client: smtplib.SMTP | None = None
    try:
        for mail_id in due:
            message = _claim(db, mail_id, now, settings)
            if message is None:
                continue  # another sender has it
            try:
                client = client or relay.connect()
                client.send_message(message)
            except (smtplib.SMTPException, OSError) as exc:
                client = _closed(client)
                gave_up = _failed(db, mail_id, now, f"{type(exc).__name__}: {exc}"[:500])
                failed, given_up = failed + 1, given_up + gave_up
            else:
                with db.session() as session:
                    session.execute(
                        update(OutgoingMail)
                        .where(OutgoingMail.id == mail_id)
                        .values(sent_at=audit.now(), claimed_until=None)
                    )
                sent += 1
    finally:
        _closed(client)
    return Round(sent, failed, given_up)


def _claim(db: Database, mail_id: int, now: datetime, settings: Settings) -> EmailMessage | None:
    """Hold one row for this sender and compose its mail; None when another sender holds it."""
    with db.session() as session:
        claimed = session.execute(
            update(OutgoingMail)
            .where(
                OutgoingMail.id == mail_id,
                OutgoingMail.sent_at.is_(None),
                or_(OutgoingMail.claimed_until.is_(None), OutgoingMail.claimed_until < now),
            )
            .values(claimed_until=now + CLAIM)
        )
        if claimed.rowcount != 1:
            return None
        row = session.get(OutgoingMail, mail_id)
        notice = session.get(Notice, row.notice_id)
        person = session.get(User, notice.user_id)
        return compose(notice, person, row.address, settings)


def _failed(db: Database, mail_id: int, now: datetime, error: str) -> bool:
    """Put a row back for a later attempt, or give it up; True when given up."""
    with db.session() as session:
        row = session.get(OutgoingMail, mail_id)
        row.attempts += 1
        row.last_error = error
        row.claimed_until = None
        row.given_up = row.attempts >= MOST_ATTEMPTS
        if not row.given_up:
            row.send_after = now + timedelta(minutes=BACKOFF[row.attempts - 1])
        return row.given_up


def _closed(client: smtplib.SMTP | None) -> None:
    if client is not None:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


@dataclass(frozen=True)
class Waiting:
    """A mail not sent yet, or given up, as administrators see it."""

    id: int
    address: str
    kind: str
    created_at: datetime
    attempts: int
    last_error: str
    given_up: bool
    next_attempt: datetime


def outbox(session: Session, actor: Actor) -> list[Waiting]:
    """Every mail not sent, oldest first (administrators)."""
    authz.require_admin(actor)
    query = (
        select(OutgoingMail, Notice.kind)
        .join(Notice, Notice.id == OutgoingMail.notice_id)
        .where(OutgoingMail.sent_at.is_(None))
        .order_by(OutgoingMail.id)
    )
    return [
        Waiting(
            id=row.id,
            address=row.address,
            kind=kind,
            created_at=audit.aware(row.created_at),
            attempts=row.attempts,
            last_error=row.last_error,
            given_up=row.given_up,
            next_attempt=audit.aware(row.send_after),
        )
        for row, kind in session.execute(query)
    ]


def retry(session: Session, actor: Actor, mail_id: int) -> None:
    """Try a given-up mail again at the next round (administrators); audited."""
    authz.require_admin(actor)
    row = session.get(OutgoingMail, mail_id)
    if row is None or row.sent_at is not None:
        raise Invalid(ErrorCode.INVALID)
    row.given_up, row.attempts, row.send_after = False, 0, audit.now()
    audit.record(session, actor.id, "outbox", str(mail_id), "retry", row.last_error, None)


class BackgroundSender:
    """The app server's own sender: a thread that sends what waits every ``every`` seconds, and
    at once when a transaction puts mail in the outbox."""

    def __init__(self, url: str, every: float = 60.0) -> None:
        self.url, self.every = url, every
        self.wake = threading.Event()
        self.thread = threading.Thread(target=self._run, name="wddf-mail", daemon=True)

    def start(self) -> BackgroundSender:
        notices.after_commit_hooks.append(self.wake.set)
        self.thread.start()
        return self

    def _run(self) -> None:
        db = database_for(self.url)
        while True:
            self.wake.wait(self.every)
            self.wake.clear()
            try:
                send_waiting(db)
            except Exception:  # a round that fails (the database away) is tried at the next
                LOG.exception("sending the mail that waits failed; trying again later")


_SENDER: list[BackgroundSender] = []
_SENDER_LOCK = threading.Lock()


def start_background_sender(settings: Settings | None = None) -> bool:
    """Start this process's sender once, when a relay is set; True when one runs."""
    settings = settings or get_settings()
    if settings.smtp_url is None:
        return False
    with _SENDER_LOCK:
        if not _SENDER:
            _SENDER.append(BackgroundSender(settings.database_url).start())
    return True
