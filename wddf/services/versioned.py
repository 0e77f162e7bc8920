"""Rows versioned like an answer (a goal's background report, an item of the sector data
sheet): created at version 1, changed only while still at the version the writer saw, and a
stale write refused with the other person's values (``Conflict``), so that two people never
silently overwrite each other. The model has ``updated_by``, ``updated_at`` and ``row_version``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wddf.errors import Conflict, ErrorCode, Invalid
from wddf.services import audit
from wddf.storage.tables import User

ValuesOf = Callable[[Any], dict[str, Any]]


def write(
    session: Session,
    model: type,
    keys: Mapping[str, Any],
    given: Mapping[str, Any],
    seen_version: int,
    user_id: int,
    values_of: ValuesOf,
) -> tuple[dict[str, Any] | None, int]:
    """Write ``given`` into the row of ``model`` found by ``keys``, as seen at ``seen_version``
    (0: none yet). Returns the row's values before (``values_of``; None when it was made) and its
    new version; raises the conflict, writing nothing, when someone wrote in between."""
    where = [getattr(model, name) == value for name, value in keys.items()]
    current = session.scalar(select(model).where(*where))
    moment = audit.now()
    if current is None and seen_version == 0:
        try:
            with session.begin_nested():
                made = model(**keys, **given)
                made.updated_by, made.updated_at, made.row_version = user_id, moment, 1
                session.add(made)
        except IntegrityError:  # made by someone else since it was read
            raise conflict(
                session, session.scalar(select(model).where(*where)), values_of
            ) from None
        return None, 1
    if current is None or current.row_version != seen_version:
        raise conflict(session, current, values_of)
    before, version = values_of(current), seen_version + 1
    done = session.execute(
        update(model)
        .where(*where, model.row_version == seen_version)
        .values(**given, updated_by=user_id, updated_at=moment, row_version=version)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    if done.rowcount != 1:  # changed since it was read
        raise conflict(session, session.scalar(select(model).where(*where)), values_of)
    return before, version


def conflict(session: Session, current: Any, values_of: ValuesOf) -> Conflict | Invalid:
    """The refusal of a stale write: the other person's values, name, time and version."""
    if current is None:
        return Invalid(ErrorCode.STALE_MISSING)
    user = session.get(User, current.updated_by) if current.updated_by else None
    name = user.username if user else "?"
    return Conflict(values_of(current), name, current.updated_at, current.row_version)
