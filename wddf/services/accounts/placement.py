"""Accounts and where they belong: creating, listing and changing them (administrators only,
but for the very first account), and the rule of which role takes a country and a group."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from wddf.domain import Group, Role, country_placement
from wddf.errors import ErrorCode, Invalid, NotAllowed, NotFound
from wddf.services import audit
from wddf.services.accounts import passwords
from wddf.services.accounts.sessions import revoke_all
from wddf.services.actor import Actor, actor_of
from wddf.services.records import Record, records
from wddf.storage.db import get_row
from wddf.storage.tables import Country, SignInFailure, User
from wddf.textpolicy import clean


def check_placement(session: Session, role: Role, country: str | None, group: str | None) -> None:
    """Where an account belongs (``domain.country_placement``): a country role has a known
    country and no other role has one; a group is a stakeholder group. ``Invalid`` naming what
    is wrong."""
    wrong = country_placement(role, country)
    if wrong == ErrorCode.COUNTRY_REQUIRED:
        raise Invalid(ErrorCode.COUNTRY_REQUIRED)
    if wrong == ErrorCode.COUNTRY_NOT_ALLOWED:
        raise Invalid(ErrorCode.COUNTRY_NOT_ALLOWED, role=role.value, country=country)
    if country and session.get(Country, country) is None:
        raise Invalid(ErrorCode.UNKNOWN_COUNTRY, country=country)
    if group is not None and group not in set(Group):
        raise Invalid(ErrorCode.UNKNOWN_GROUP, group=group)


def count_users(session: Session) -> int:
    """How many accounts exist (0 means first start)."""
    return session.scalar(select(func.count()).select_from(User)) or 0


def create_user(
    session: Session,
    actor: Actor | None,
    username: str,
    role: Role | None,
    password: str | None,
    country: str | None = None,
    group: str | None = None,
    email: str | None = None,
) -> Actor:
    """Create an account. Only an admin may, except for the very first account (an admin). The
    role has no default: ``role_required`` until one is given. ``email``: where notices are
    mailed (``check_email``)."""
    if role is None:
        raise Invalid(ErrorCode.ROLE_REQUIRED)
    first = count_users(session) == 0
    if not (first and role is Role.ADMIN) and not (actor and actor.is_admin):
        raise NotAllowed()
    username = clean("username", username).strip()
    if not username:
        raise Invalid(ErrorCode.BAD_USERNAME)
    if session.scalar(select(User).where(User.username == username)):
        raise Invalid(ErrorCode.DUPLICATE_USERNAME, username=username)
    check_placement(session, role, country, group)
    if password is not None:
        passwords.check_password_strength(password, username)
    email = check_email(email) if email else None
    user = User(
        username=username,
        role=role.value,
        country=country,
        group=group,
        password_hash=passwords.hasher().hash(password) if password else None,
        active=True,
        failed_logins=0,
        created_at=audit.now(),
        email=email,
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
        {"username": username, "role": role.value, "country": country, "group": group}
        | ({"email": email} if email else {}),
    )
    return actor_of(user)


EMAIL_FORBIDDEN = set(" \t\r\n<>,;:\"'()[]\\")  # spaces, and what would change a mail header


def check_email(address: str) -> str:
    """An e-mail address as stored: trimmed; one @ with something before it, a domain with a
    dot, no spaces, quotes or brackets (it goes into a mail header), at most 254 characters;
    ``Invalid`` otherwise."""
    found = clean("email", address).strip()
    local, at, domain = found.rpartition("@")
    if (
        not at
        or not local
        or "@" in local
        or "." not in domain.strip(".")
        or len(found) > 254
        or any(ch in EMAIL_FORBIDDEN for ch in found)
    ):
        raise Invalid(ErrorCode.INVALID_EMAIL, address=found[:60])
    return found


def set_email(session: Session, actor: Actor, user_id: int, email: str | None) -> None:
    """Set or clear the address notices are mailed to: an admin for anyone, a person for
    themselves; audited."""
    user = get_row(session, User, user_id) if actor.id == user_id else None
    if user is None:
        user = account_for_admin(session, actor, user_id)
    new = check_email(email) if email and email.strip() else None
    if new == user.email:
        return
    audit.record(session, actor.id, "user", str(user.id), "set_email", user.email, new)
    user.email = new


def reset_password(session: Session, actor: Actor, user_id: int, new: str) -> None:
    """An admin sets a new password; the user's sessions are revoked."""
    user = account_for_admin(session, actor, user_id)
    passwords.check_password_strength(new, user.username)
    user.password_hash, user.failed_logins, user.locked_until, user.slowdowns = (
        passwords.hasher().hash(new),
        0,
        None,
        0,
    )
    session.execute(delete(SignInFailure).where(SignInFailure.user_id == user.id))  # unlocked
    revoke_all(session, user.id)
    audit.record(session, actor.id, "user", str(user.id), "reset_password")


def set_active(session: Session, actor: Actor, user_id: int, active: bool) -> None:
    """An admin deactivates (or reactivates) an account; deactivation ends its sessions."""
    user = account_for_admin(session, actor, user_id)
    audit.record(session, actor.id, "user", str(user.id), "set_active", user.active, active)
    user.active = active
    if not active:
        revoke_all(session, user.id)


def account_for_admin(session: Session, actor: Actor, user_id: int) -> User:
    """The account an admin acts on; NotAllowed for anyone else, NotFound for a bad id."""
    if not actor.is_admin:
        raise NotAllowed()
    user = get_row(session, User, user_id)
    if user is None:
        raise NotFound()
    return user


def list_users(session: Session, actor: Actor) -> list[Record]:
    """Every account (admins only)."""
    if not actor.is_admin:
        raise NotAllowed()
    return records(session.scalars(select(User).order_by(User.username)))


def update_user(
    session: Session, actor: Actor, user_id: int, role: Role, country: str | None, group: str | None
) -> None:
    """An admin changes a user's role, country or group; the change is audited."""
    user = account_for_admin(session, actor, user_id)
    check_placement(session, role, country, group)
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
