"""The append-only audit log: who, when, which entity, old value → new value."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wddf.storage.tables import AuditEntry


def now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """A stored moment with its zone: everything stored is UTC, and SQLite returns it naive."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _encode(value: Any) -> str | None:
    return (
        None
        if value is None
        else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    )


def record(
    session: Session,
    user_id: int | None,
    entity: str,
    entity_id: str,
    action: str,
    old: Any = None,
    new: Any = None,
) -> None:
    """Append one entry; entries are never changed or deleted."""
    session.add(
        AuditEntry(
            at=now(),
            user_id=user_id,
            entity=entity,
            entity_id=entity_id,
            action=action,
            old_value=_encode(old),
            new_value=_encode(new),
        )
    )


def entries(session: Session, entity: str, entity_id: str) -> list[dict[str, Any]]:
    """The history of one entity, oldest first, with values decoded."""
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id)
    )
    return [_as_dict(e) for e in rows]


def entries_like(
    session: Session, entity: str, id_prefix: str, since: datetime
) -> list[dict[str, Any]]:
    """Entries of every entity whose id starts with ``id_prefix``, after ``since``, oldest first."""
    rows = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.entity == entity,
            AuditEntry.entity_id.startswith(id_prefix, autoescape=True),
            AuditEntry.at > since,
        )
        .order_by(AuditEntry.id)
    )
    return [_as_dict(e) | {"entity_id": e.entity_id} for e in rows]


def _as_dict(entry: AuditEntry) -> dict[str, Any]:
    """An entry's time, author, action and decoded values."""
    return {
        "at": entry.at,
        "user_id": entry.user_id,
        "action": entry.action,
        "old": json.loads(entry.old_value) if entry.old_value else None,
        "new": json.loads(entry.new_value) if entry.new_value else None,
    }
