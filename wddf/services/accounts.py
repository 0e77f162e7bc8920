"""Accounts and server-side sessions: argon2id passwords, throttling, expiry, OIDC mapping."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from wddf.config import get_settings
from wddf.domain import COUNTRY_BOUND_ROLES, Group, Role
from wddf.errors import ErrorCode, Invalid, NotAllowed, NotFound
from wddf.services import audit
from wddf.services.actor import Actor
from wddf.services.throttle import Throttle
from wddf.storage.db import Database, get_row
from wddf.storage.tables import AuthSession, Country, OidcIdentity, User
from wddf.textpolicy import clean

# argon2id with the library's recommended parameters; the cheapest ones for test suites only.
HASHERS = {
    "production": PasswordHasher(),
    "fast": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}
MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "password123",
        "123456789",
        "1234567890",
        "qwertyuiop",
        "azertyuiop",
        "letmein123",
        "welcome123",
        "administrator",
        "motdepasse",
        "senha12345",
        "diamonds123",
    }
)
USERNAME_MAX = 80
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


def hasher() -> PasswordHasher:
    """The password hasher chosen by ``WDDF_PASSWORD_HASHING``."""
    return HASHERS[get_settings().password_hashing]


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_password_strength(password: str, username: str) -> None:
    """Refuse short, common or name-based passwords."""
    lowered = password.lower()
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(ErrorCode.WEAK_PASSWORD_SHORT, minimum=MIN_PASSWORD_LENGTH)
    if lowered in COMMON_PASSWORDS or len(set(password)) < 5:
        raise Invalid(ErrorCode.WEAK_PASSWORD_COMMON)
    if username and username.lower() in lowered:
        raise Invalid(ErrorCode.WEAK_PASSWORD_USERNAME)


def to_actor(user: User) -> Actor:
    """The service-level view of a user."""
    return Actor(user.id, user.username, Role(user.role), user.country, user.group)


def count_users(session: Session) -> int:
    """How many accounts exist (0 means first start)."""
    return session.scalar(select(func.count()).select_from(User)) or 0


def create_user(
    session: Session,
    actor: Actor | None,
    username: str,
    role: Role,
    password: str | None,
    country: str | None = None,
    group: str | None = None,
) -> Actor:
    """Create an account. Only an admin may, except for the very first account (an admin)."""
    first = count_users(session) == 0
    if not (first and role is Role.ADMIN) and not (actor and actor.is_admin):
        raise NotAllowed()
    username = clean("username", username).strip()
    if not username:
        raise Invalid(ErrorCode.BAD_USERNAME)
    if session.scalar(select(User).where(User.username == username)):
        raise Invalid(ErrorCode.DUPLICATE_USERNAME, username=username)
    if role in COUNTRY_BOUND_ROLES and not country:
        raise Invalid(ErrorCode.COUNTRY_REQUIRED)
    if country and session.get(Country, country) is None:
        raise Invalid(ErrorCode.UNKNOWN_COUNTRY, country=country)
    if group is not None and group not in set(Group):
        raise Invalid(ErrorCode.UNKNOWN_GROUP, group=group)
    if password is not None:
        check_password_strength(password, username)
    user = User(
        username=username,
        role=role.value,
        country=country,
        group=group,
        password_hash=hasher().hash(password) if password else None,
        active=True,
        failed_logins=0,
        created_at=audit.now(),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor.id if actor else user.id,
        "user",
        str(user.id),
        "create",
        None,
        {"username": username, "role": role.value, "country": country, "group": group},
    )
    return to_actor(user)


def _start_session(session: Session, user: User) -> SignIn:
    token = secrets.token_urlsafe(32)
    moment = audit.now()
    session.add(
        AuthSession(
            token_hash=_hash_token(token), user_id=user.id, created_at=moment, last_seen_at=moment
        )
    )
    return SignIn(token, to_actor(user))


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
        hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        if attempts >= MAX_FAILED_LOGINS:
            with database.session() as session:
                locked = {"locked_until": audit.now() + LOCKOUT, "failed_logins": 0}
                session.execute(update(User).where(User.id == user_id).values(**locked))
                audit.record(session, None, "user", str(user_id), "locked")
        return Invalid(ErrorCode.BAD_CREDENTIALS)
    renewed = hasher().hash(password) if hasher().check_needs_rehash(stored_hash) else None
    with database.session() as session:
        user = session.get(User, user_id)
        user.failed_logins, user.locked_until = 0, None
        if renewed is not None:
            user.password_hash = renewed
        return _start_session(session, user)


def _refuse(password: str) -> Invalid:
    """The one refusal of a sign-in, after the same work as a real password check."""
    hasher().hash(password)
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
    return to_actor(user), moment - audit.aware(row.last_seen_at) > timedelta(minutes=1)


def sign_out(session: Session, token: str) -> None:
    """Revoke one session."""
    session.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == _hash_token(token))
        .values(revoked_at=audit.now())
    )


def _revoke_all(session: Session, user_id: int) -> None:
    session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=audit.now())
    )


def change_password(session: Session, actor: Actor, old: str, new: str) -> None:
    """A user changes their own password; every one of their sessions is revoked."""
    user = session.get(User, actor.id)
    try:
        hasher().verify(user.password_hash or "", old)
    except (VerificationError, InvalidHashError):
        raise Invalid(ErrorCode.BAD_CREDENTIALS) from None
    check_password_strength(new, user.username)
    user.password_hash = hasher().hash(new)
    _revoke_all(session, user.id)
    audit.record(session, actor.id, "user", str(user.id), "change_password")


def reset_password(session: Session, actor: Actor, user_id: int, new: str) -> None:
    """An admin sets a new password; the user's sessions are revoked."""
    user = _account_for_admin(session, actor, user_id)
    check_password_strength(new, user.username)
    user.password_hash, user.failed_logins, user.locked_until = hasher().hash(new), 0, None
    _revoke_all(session, user.id)
    audit.record(session, actor.id, "user", str(user.id), "reset_password")


def set_active(session: Session, actor: Actor, user_id: int, active: bool) -> None:
    """An admin deactivates (or reactivates) an account; deactivation ends its sessions."""
    user = _account_for_admin(session, actor, user_id)
    audit.record(session, actor.id, "user", str(user.id), "set_active", user.active, active)
    user.active = active
    if not active:
        _revoke_all(session, user.id)


def link_oidc(session: Session, actor: Actor, user_id: int, issuer: str, subject: str) -> None:
    """An admin ties an OIDC identity (issuer + subject) to an account."""
    _account_for_admin(session, actor, user_id)
    session.add(OidcIdentity(user_id=user_id, issuer=issuer, subject=subject))
    audit.record(session, actor.id, "user", str(user_id), "link_oidc", None, {"issuer": issuer})


def actor_for_oidc(session: Session, issuer: str, subject: str) -> Actor | None:
    """The account of an OIDC identity, by issuer and subject only, never by e-mail."""
    identity = session.scalar(
        select(OidcIdentity).where(OidcIdentity.issuer == issuer, OidcIdentity.subject == subject)
    )
    user = session.get(User, identity.user_id) if identity else None
    return to_actor(user) if user and user.active else None


def _account_for_admin(session: Session, actor: Actor, user_id: int) -> User:
    """The account an admin acts on; NotAllowed for anyone else, NotFound for a bad id."""
    if not actor.is_admin:
        raise NotAllowed()
    user = get_row(session, User, user_id)
    if user is None:
        raise NotFound()
    return user


def set_language(session: Session, actor: Actor, language: str) -> None:
    """Remember a user's UI language."""
    if language not in ("en", "fr", "pt"):
        raise Invalid(ErrorCode.INVALID)
    user = session.get(User, actor.id)
    if user is not None and user.language != language:
        user.language = language


def language_of(session: Session, actor: Actor) -> str | None:
    """The UI language the user chose last, if any."""
    user = session.get(User, actor.id)
    return user.language if user else None


def list_users(session: Session, actor: Actor) -> list[User]:
    """Every account (admins only)."""
    if not actor.is_admin:
        raise NotAllowed()
    return list(session.scalars(select(User).order_by(User.username)))


def update_user(
    session: Session, actor: Actor, user_id: int, role: Role, country: str | None, group: str | None
) -> None:
    """An admin changes a user's role, country or group; the change is audited."""
    user = _account_for_admin(session, actor, user_id)
    if role in COUNTRY_BOUND_ROLES and not country:
        raise Invalid(ErrorCode.COUNTRY_REQUIRED)
    if country and session.get(Country, country) is None:
        raise Invalid(ErrorCode.UNKNOWN_COUNTRY, country=country)
    if group is not None and group not in set(Group):
        raise Invalid(ErrorCode.UNKNOWN_GROUP, group=group)
    old = {"role": user.role, "country": user.country, "group": user.group}
    user.role, user.country, user.group = role.value, country, group
    audit.record(
        session,
        actor.id,
        "user",
        str(user.id),
        "update",
        old,
        {"role": role.value, "country": country, "group": group},
    )
