"""What the commands share: the database of the settings, and the user a command acts as."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from wddf.config import get_settings
from wddf.services.accounts import to_actor
from wddf.services.actor import SYSTEM, Actor
from wddf.storage.db import Database
from wddf.storage.tables import User


class UnknownUserError(LookupError):
    """No active user has that name."""


@contextmanager
def acting_session(user_name: str | None) -> Iterator[tuple[Session, Actor]]:
    """A unit of work on the configured database, as the named active user (their role scopes
    what the command may do), or as the operator when no name is given."""
    db = Database(get_settings().database_url)
    try:
        with db.session() as session:
            actor = SYSTEM
            if user_name is not None:
                user = session.scalar(
                    select(User).where(User.username == user_name, User.active.is_(True))
                )
                if user is None:
                    raise UnknownUserError(f"no active user {user_name!r}")
                actor = to_actor(user)
            yield session, actor
    finally:
        db.dispose()
