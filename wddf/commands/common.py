"""What the commands share: the database of the settings, and the user a command acts as."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from wddf.config import get_settings
from wddf.questionnaire.schema import Edition
from wddf.services.actor import SYSTEM, Actor, actor_of
from wddf.storage.db import Database
from wddf.storage.tables import User


class UnknownUserError(LookupError):
    """No active user has that name."""


def ready_database() -> Database:
    """The configured database, ready to serve: the embedded SQLite default is migrated, and the
    editions of the questionnaires folder it lacks are installed (``editions.prepare_database``)."""
    from sqlalchemy.engine import make_url

    from wddf.services.editions import prepare_database

    url = get_settings().database_url
    prepare_database(url, migrate=make_url(url).get_backend_name() == "sqlite")
    return Database(url)


def installed_editions(edition_id: str | None = None) -> list[Edition]:
    """Every installed edition, oldest first; or only ``edition_id`` (the newest when it is
    ``""``). An unknown id raises the service's ``Invalid``."""
    from wddf.services import editions

    db = ready_database()
    try:
        with db.session() as session:
            if edition_id is None:
                return list(editions.all_editions(session).values())
            wanted = edition_id or editions.newest_edition_id(session)
            return [editions.get_edition(session, wanted)]
    finally:
        db.dispose()


@contextmanager
def acting_session(user_name: str | None) -> Iterator[tuple[Session, Actor]]:
    """A unit of work on the configured database, as the named active user (their role scopes
    what the command may do), or as the operator when no name is given."""
    db = ready_database()
    try:
        with db.session() as session:
            actor = SYSTEM
            if user_name is not None:
                user = session.scalar(
                    select(User).where(User.username == user_name, User.active.is_(True))
                )
                if user is None:
                    raise UnknownUserError(f"no active user {user_name!r}")
                actor = actor_of(user)
            yield session, actor
    finally:
        db.dispose()
