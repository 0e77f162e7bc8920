"""Signing in and server-side sessions: the attempt budget, lockout, expiry and revocation."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from wddf.config import get_settings
from wddf.errors import ErrorCode, Invalid
from wddf.services import audit
from wddf.services.accounts import passwords
from wddf.services.accounts.throttle import Throttle
from wddf.services.actor import Actor, actor_of
from wddf.storage.db import Database
from wddf.storage.tables import AuthSession, SignInFailure, User

USERNAME_MAX = 80  # a longer name is cut before it is looked up
MAX_FAILED_LOGINS = 5  # failed sign-ins to one account from one address before its lock
LOCKOUT = timedelta(minutes=15)  # how long that address is locked out of that account
GLOBAL_STEP = 20  # failed sign-ins to one account from anywhere before it is slowed down
SLOWDOWN_FIRST = timedelta(minutes=1)  # the first slow-down; doubled each time, up to LOCKOUT
ADDRESS_MAX = 64  # a client address, as counted
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

    1. one transaction reserves an attempt twice, each with one atomic statement: for the
       account from this client address (fewer than ``MAX_FAILED_LOGINS`` pending, not locked)
       and for the account from anywhere (fewer than ``GLOBAL_STEP`` pending, not slowed down),
       so that parallel requests can never check more passwords than those bounds;
    2. the password is checked outside any transaction (argon2 holds no lock);
    3. a short transaction records the outcome: a session and reset counts; or, for a wrong
       password, the lock of this account from this address (``LOCKOUT``) once it had
       ``MAX_FAILED_LOGINS``, and a slow-down of the account (``SLOWDOWN_FIRST``, doubled at each
       slow-down in a row up to ``LOCKOUT``) once ``GLOBAL_STEP`` failed from anywhere.

    A lock is soft, as OWASP advises: guesses from one address lock that address out of the
    account, never its owner elsewhere; guesses from many addresses slow the account down for a
    while, which the refusal says (``throttled``), instead of shutting it. Unknown, inactive and
    locked accounts get the same refusal as a wrong password after the same work, so the refusal
    tells nobody which accounts exist. Beyond ``THROTTLE`` attempts per minute from one address,
    or for one name (whatever its case) from one address, attempts are refused at once."""
    name = username.strip()[:USERNAME_MAX]
    where = address[:ADDRESS_MAX]
    moment = audit.now()
    per_address = get_settings().sign_in_per_minute
    if not THROTTLE.allow(f"address:{where}", moment, per_address) or not THROTTLE.allow(
        f"account:{name.lower()}@{where}", moment, max(1, per_address // 6)
    ):
        return Invalid(ErrorCode.THROTTLED)
    reserved = _reserve(database, name, where, moment)
    if isinstance(reserved, Invalid):
        return reserved
    if reserved is None:
        return _refuse(password)
    user_id, stored_hash, from_here, from_anywhere = reserved
    try:
        passwords.hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        _failed(database, user_id, where, from_here, from_anywhere)
        return Invalid(ErrorCode.BAD_CREDENTIALS)
    renewed = (
        passwords.hasher().hash(password)
        if passwords.hasher().check_needs_rehash(stored_hash)
        else None
    )
    with database.session() as session:
        user = session.get(User, user_id)
        user.failed_logins, user.locked_until, user.slowdowns = 0, None, 0
        session.execute(
            delete(SignInFailure).where(
                SignInFailure.user_id == user_id, SignInFailure.address == where
            )
        )
        if renewed is not None:
            user.password_hash = renewed
        return _start_session(session, user)


def _reserve(
    database: Database, name: str, where: str, moment
) -> tuple[int, str, int, int] | Invalid | None:
    """Step 1 of ``sign_in``: (account id, stored hash, attempts from this address, attempts
    from anywhere) when a password may be checked; ``None`` when no attempt is left here (the
    caller refuses as for a wrong password); ``throttled`` while the account is slowed down."""
    with database.session() as session:
        found = session.execute(
            select(User.id, User.password_hash).where(
                User.username == name, User.active.is_(True), User.password_hash.is_not(None)
            )
        ).first()
        if found is None:
            return None
        user_id, stored_hash = found
        _pair_row(session, user_id, where)
        from_here = session.scalar(
            update(SignInFailure)
            .where(
                SignInFailure.user_id == user_id,
                SignInFailure.address == where,
                SignInFailure.failed < MAX_FAILED_LOGINS,
                or_(SignInFailure.locked_until.is_(None), SignInFailure.locked_until <= moment),
            )
            .values(failed=SignInFailure.failed + 1)
            .returning(SignInFailure.failed)
        )
        if from_here is None:
            return None
        from_anywhere = session.scalar(
            update(User)
            .where(
                User.id == user_id,
                User.failed_logins < GLOBAL_STEP,
                or_(User.locked_until.is_(None), User.locked_until <= moment),
            )
            .values(failed_logins=User.failed_logins + 1)
            .returning(User.failed_logins)
        )
        if from_anywhere is None:  # slowed down: this address's attempt is not spent
            session.rollback()
            return Invalid(ErrorCode.THROTTLED)
        return user_id, stored_hash, from_here, from_anywhere


def _pair_row(session: Session, user_id: int, where: str) -> None:
    """The counter of the account from this address, created at zero when missing (one
    statement that a parallel attempt cannot make fail)."""
    dialect = session.get_bind().dialect.name
    make = postgresql_insert if dialect == "postgresql" else sqlite_insert
    values = {"user_id": user_id, "address": where, "failed": 0}
    session.execute(make(SignInFailure).values(**values).on_conflict_do_nothing())


def _failed(database: Database, user_id: int, where: str, from_here: int, anywhere: int) -> None:
    """Step 3 of ``sign_in`` for a wrong password: lock this address out of the account once it
    spent its attempts; slow the account down once ``GLOBAL_STEP`` failed from anywhere."""
    if from_here < MAX_FAILED_LOGINS and anywhere < GLOBAL_STEP:
        return
    with database.session() as session:
        moment = audit.now()
        if from_here >= MAX_FAILED_LOGINS:
            session.execute(
                update(SignInFailure)
                .where(SignInFailure.user_id == user_id, SignInFailure.address == where)
                .values(failed=0, locked_until=moment + LOCKOUT)
            )
            audit.record(session, None, "user", str(user_id), "locked", None, {"address": where})
        if anywhere >= GLOBAL_STEP:
            user = session.get(User, user_id)
            user.slowdowns += 1
            pause = min(SLOWDOWN_FIRST * 2 ** (user.slowdowns - 1), LOCKOUT)
            user.failed_logins, user.locked_until = 0, moment + pause
            minutes = int(pause.total_seconds() // 60)
            audit.record(
                session, None, "user", str(user_id), "slowed_down", None, {"minutes": minutes}
            )


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
