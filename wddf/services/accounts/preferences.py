"""What each person chooses for themselves: the language of the pages; their address."""

from __future__ import annotations

from sqlalchemy.orm import Session

from wddf.errors import ErrorCode, Invalid
from wddf.services.actor import Actor
from wddf.storage.tables import User


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


def email_of(session: Session, actor: Actor) -> str | None:
    """The address the actor's notices are mailed to, if any."""
    user = session.get(User, actor.id)
    return user.email if user else None
