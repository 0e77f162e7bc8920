"""Notices: what each person is told when an assessment moves or work is given to them.

A notice is written in the same transaction as the step that causes it (a return, a
submission, a validation, a publication, an assignment, a reviewer's comment), so it exists
exactly when the step does; it never makes the step wait for mail. Each person reads theirs under
"what's new" on My assessments; the ones with an e-mail address also get each kind they have not
turned off, through the outbox (``services.mail`` sends it). A notice's ``key`` names its event,
so that nothing is told twice: the daily digest of assignments due soon or late
(``assignments.tell_digest``) is keyed by the person and the day.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from wddf.domain import NoticeKind, Role
from wddf.errors import ErrorCode, Invalid
from wddf.services import audit
from wddf.services.actor import Actor
from wddf.storage.tables import Assessment, MailOptOut, Notice, OutgoingMail, User

WHATS_NEW = 20  # notices listed under "what's new"


@dataclass(frozen=True)
class Told:
    """One notice as its reader sees it."""

    id: int
    kind: NoticeKind
    assessment_id: int | None
    params: dict
    created_at: datetime
    read: bool


def _people(session: Session, *roles: Role, country: str | None = None) -> list[User]:
    query = select(User).where(User.active.is_(True), User.role.in_([r.value for r in roles]))
    if country is not None:
        query = query.where(User.country == country)
    return list(session.scalars(query.order_by(User.id)))


def recipients(session: Session, kind: NoticeKind, assessment: Assessment) -> list[User]:
    """Who is told of a step of ``assessment``: the country's focal points of a return or a
    comment; the reviewers of a submission; the focal points and panelists of a validation or a
    publication."""
    if kind is NoticeKind.SUBMITTED:
        return _people(session, Role.REVIEWER)
    roles = [Role.FOCAL_POINT]
    if kind in (NoticeKind.VALIDATED, NoticeKind.PUBLISHED):
        roles.append(Role.PANELIST)
    return _people(session, *roles, country=assessment.country)


def tell(
    session: Session,
    kind: NoticeKind,
    key: str,
    people: Iterable[User],
    assessment_id: int | None,
    params: dict,
    actor: Actor | None = None,
) -> int:
    """One notice of event ``key`` to each of ``people`` (not to the actor who caused it), and
    its e-mail in the outbox for each who has an address and has not turned ``kind`` off; an
    event already told to a person is not told again. Returns how many were told."""
    moment = audit.now()
    told = 0
    for person in people:
        if actor is not None and person.id == actor.id:
            continue
        notice_key = f"{key}:{person.id}"
        if session.scalar(select(Notice.id).where(Notice.key == notice_key)) is not None:
            continue
        notice = Notice(
            key=notice_key,
            user_id=person.id,
            kind=kind.value,
            assessment_id=assessment_id,
            params=json.dumps(params, ensure_ascii=False, sort_keys=True, default=str),
            created_at=moment,
        )
        session.add(notice)
        session.flush()
        if person.email and kind.value not in mail_kinds_off(session, person.id):
            session.add(
                OutgoingMail(
                    notice_id=notice.id,
                    address=person.email,
                    created_at=moment,
                    send_after=moment,
                    attempts=0,
                    last_error="",
                    given_up=False,
                )
            )
            _wake_sender_after_commit(session)
        told += 1
    return told


def tell_step(
    session: Session,
    actor: Actor,
    kind: NoticeKind,
    assessment: Assessment,
    reason: str = "",
) -> int:
    """Tell the people ``recipients`` names that ``assessment`` took a workflow step (its
    version after the step names the event)."""
    params = {"country": assessment.country, "year": assessment.year, "reason": reason}
    params["by"] = actor.username
    key = f"{kind.value}:{assessment.id}:{assessment.version}"
    people = recipients(session, kind, assessment)
    return tell(session, kind, key, people, assessment.id, params, actor)


def whats_new(session: Session, actor: Actor, limit: int = WHATS_NEW) -> list[Told]:
    """The actor's latest notices, newest first."""
    query = (
        select(Notice)
        .where(Notice.user_id == actor.id)
        .order_by(Notice.created_at.desc(), Notice.id.desc())
        .limit(limit)
    )
    return [
        Told(
            id=n.id,
            kind=NoticeKind(n.kind),
            assessment_id=n.assessment_id,
            params=json.loads(n.params),
            created_at=audit.aware(n.created_at),
            read=n.read_at is not None,
        )
        for n in session.scalars(query)
    ]


def mark_read(session: Session, actor: Actor) -> int:
    """Mark every notice of the actor read; returns how many were unread."""
    result = session.execute(
        update(Notice)
        .where(Notice.user_id == actor.id, Notice.read_at.is_(None))
        .values(read_at=audit.now())
    )
    return result.rowcount or 0


def mail_kinds_off(session: Session, user_id: int) -> set[str]:
    """The kinds of notice a person chose not to receive by e-mail."""
    query = select(MailOptOut.kind).where(MailOptOut.user_id == user_id)
    return set(session.scalars(query))


def set_mail_kinds_off(session: Session, actor: Actor, kinds: Iterable[str]) -> None:
    """The actor's own choice of the kinds not to mail them (they still see them in the app);
    audited."""
    wanted = set(kinds)
    if not wanted <= {k.value for k in NoticeKind}:
        raise Invalid(ErrorCode.INVALID)
    before = mail_kinds_off(session, actor.id)
    if wanted == before:
        return
    for kind in before - wanted:
        session.delete(session.get(MailOptOut, (actor.id, kind)))
    for kind in sorted(wanted - before):
        session.add(MailOptOut(user_id=actor.id, kind=kind))
    audit.record(
        session, actor.id, "user", str(actor.id), "mail_kinds_off", sorted(before), sorted(wanted)
    )


# Called once a transaction that put mail in the outbox commits (``services.mail`` sets it
# when a sender runs in this process), so that the mail goes at once rather than at the next
# round of the sender.
after_commit_hooks: list = []


def _wake_sender_after_commit(session: Session) -> None:
    def wake(_session: Session) -> None:
        session.info.pop(WAKE, None)
        for hook in after_commit_hooks:
            hook()

    if after_commit_hooks and not session.info.get(WAKE):
        session.info[WAKE] = True
        event.listen(session, "after_commit", wake, once=True)


WAKE = "wddf_wake_mail_sender"
