"""Signing in and server-side sessions: the attempt budget, lockout, expiry and revocation."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from wddf.config import get_settings
from wddf.errors import ErrorCode, Invalid
from wddf.services import audit
from wddf.services.accounts import passwords
from wddf.services.accounts.throttle import Throttle
from wddf.services.actor import Actor, actor_of
from wddf.storage.db import Database
from wddf.storage.tables import AuthSession, User

USERNAME_MAX = 80  # a longer name is cut before it is looked up
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
# Sign-in attempts counted per minute, per client address and per account name
# (``WDDF_SIGN_IN_PER_MINUTE``); beyond, attempts are refused at once: a flood never reaches
# argon2 or the database.
THROTTLE = Throttle()
IDLE_EXPIRY = timedelta(hours=8)
ABSOLUTE_EXPIRY = timedelta(days=7)


@dataclass(frozen=True)
class SignIn:
    """A successful sign-in: the session token (give it to the browser) and the actor."""

    token: str
    actor: Actor


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _start_session(session: Session, user: User) -> SignIn:
    token = secrets.token_urlsafe(32)
    moment = audit.now()
    session.add(
        AuthSession(
            token_hash=_hash_token(token), user_id=user.id, created_at=moment, last_seen_at=moment
        )
    )
    return SignIn(token, actor_of(user))


def sign_in(
    database: Database, username: str, password: str, address: str = ""
) -> SignIn | Invalid:
    """Check a password and open a server-side session, in three steps:

    1. one atomic statement reserves an attempt (``failed_logins + 1``) on an active, unlocked
       account with fewer than ``MAX_FAILED_LOGINS`` attempts pending, so that parallel requests
       can never check more passwords than that before the lock;
    2. the password is checked outside any transaction (argon2 holds no lock);
    3. a short transaction records the outcome: a session and a reset count, or the lock.

    Unknown, inactive and locked accounts get the same refusal as a wrong password after the
    same work, so the refusal tells nobody which accounts exist. Beyond ``THROTTLE`` attempts per
    minute from one address or for one name, attempts are refused at once (``throttled``).
    """
    name = username.strip()[:USERNAME_MAX]
    moment = audit.now()
    per_address = get_settings().sign_in_per_minute
    if not THROTTLE.allow(f"address:{address}", moment, per_address) or not THROTTLE.allow(
        f"account:{name.lower()}", moment, max(1, per_address // 6)
    ):
        return Invalid(ErrorCode.THROTTLED)
    with database.session() as session:
        reserved = session.execute(
            update(User)
            .where(
                User.username == name,
                User.active.is_(True),
                User.password_hash.is_not(None),
                or_(User.locked_until.is_(None), User.locked_until <= moment),
                User.failed_logins < MAX_FAILED_LOGINS,
            )
            .values(failed_logins=User.failed_logins + 1)
            .returning(User.id, User.password_hash, User.failed_logins)
        ).first()
    if reserved is None:
        return _refuse(password)
    user_id, stored_hash, attempts = reserved
    try:
        passwords.hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        if attempts >= MAX_FAILED_LOGINS:
            with database.session() as session:
                locked = {"locked_until": audit.now() + LOCKOUT, "failed_logins": 0}
                session.execute(update(User).where(User.id == user_id).values(**locked))
                audit.record(session, None, "user", str(user_id), "locked")
        return Invalid(ErrorCode.BAD_CREDENTIALS)
    renewed = (
        passwords.hasher().hash(password)
        if passwords.hasher().check_needs_rehash(stored_hash)
        else None
    )
    with database.session() as session:
        user = session.get(User, user_id)
        user.failed_logins, user.locked_until = 0, None
        if renewed is not None:
            user.password_hash = renewed
        return _start_session(session, user)


def _refuse(password: str) -> Invalid:
    """The one refusal of a sign-in, after the same work as a real password check."""
    passwords.hasher().hash(password)
    return Invalid(ErrorCode.BAD_CREDENTIALS)


def resolve_session(session: Session, token: str | None) -> Actor | None:
    """The actor behind a session token, or None when unknown, revoked, idle or too old; the
    session's last use is noted at most once a minute."""
    actor, due = session_actor(session, token)
    if due:
        session.execute(
            update(AuthSession)
            .where(AuthSession.token_hash == _hash_token(token))
            .values(last_seen_at=audit.now())
        )
    return actor


def session_actor(session: Session, token: str | None) -> tuple[Actor | None, bool]:
    """The actor behind a session token (None when unknown, revoked, idle or too old), and
    whether its last use is due to be noted (``resolve_session`` notes it). Only reads, so a
    page's reading session may ask."""
    if not token:
        return None, False
    row = session.scalar(select(AuthSession).where(AuthSession.token_hash == _hash_token(token)))
    moment = audit.now()
    if row is None or row.revoked_at is not None:
        return None, False
    if (
        moment - audit.aware(row.last_seen_at) > IDLE_EXPIRY
        or moment - audit.aware(row.created_at) > ABSOLUTE_EXPIRY
    ):
        return None, False
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None, False
    return actor_of(user), moment - audit.aware(row.last_seen_at) > timedelta(minutes=1)


def sign_out(session: Session, token: str) -> None:
    """Revoke one session."""
    session.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == _hash_token(token))
        .values(revoked_at=audit.now())
    )


def change_password(session: Session, actor: Actor, old: str, new: str) -> None:
    """A user changes their own password; every one of their sessions is revoked."""
    user = session.get(User, actor.id)
    try:
        passwords.hasher().verify(user.password_hash or "", old)
    except (VerificationError, InvalidHashError):
        raise Invalid(ErrorCode.BAD_CREDENTIALS) from None
    passwords.check_password_strength(new, user.username)
    user.password_hash = passwords.hasher().hash(new)
    revoke_all(session, user.id)
    audit.record(session, actor.id, "user", str(user.id), "change_password")


def revoke_all(session: Session, user_id: int) -> None:
    """End every open session of one account."""
    session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=audit.now())
    )
