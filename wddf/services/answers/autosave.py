"""The autosave's hot path: one answer written by guarded statements, without reading first.

The statements write only when every rule holds: the assessment exists, the actor may write the
answer (``answer_rules``: its SQL condition on the assessment, its group rule in Python), the
edition has the dimension (and allows NA when the grade is NA), and the answer is still at the
version the browser saw. Then the
answer, its audit row and the assessment's timestamp are written, and the new version is
returned. When a guard fails nothing is written and None is returned: the caller
(``assessments.save_answer``) then reads, and says exactly what was refused or who saved first.

On PostgreSQL it is one statement of data-modifying CTEs, so a save takes three round trips
(BEGIN, the statement, COMMIT); its ``FOR UPDATE`` on the assessment makes a submission wait for
the save, as the checked path's lock does. SQLite, whose writers take turns under
``BEGIN IMMEDIATE``, runs the same steps as plain statements in turn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, TextClause, bindparam, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from wddf.domain import ANSWER_FIELDS, Confidence, Grade
from wddf.services.actor import Actor
from wddf.services.answer_rules import (
    PANEL_GROUPS,
    WRITABLE_SQL,
    WRITABLE_STATUSES,
    AnswerInput,
    may_write_group,
)
from wddf.services.editions import editions_accepting
from wddf.storage.tables import Answer, Assessment

TIME = DateTime(timezone=True)
GRADES = frozenset(g.value for g in Grade)
CONFIDENCES = frozenset(c.value for c in Confidence)
_ASSESSMENT = f"""SELECT id FROM assessments
    WHERE id = :aid AND edition_id IN :editions AND {WRITABLE_SQL}"""
_NEW = """grade = :grade, justification = :justification, evidence = :evidence,
    confidence = :confidence, carried_over = false, updated_by = :uid, updated_at = :now,
    row_version = :version"""
_AUDIT = """INSERT INTO audit_log (at, user_id, entity, entity_id, action, old_value, new_value)"""
_INSERT = """INSERT INTO answers (assessment_id, dimension_id, "group", grade, justification,
    evidence, confidence, carried_over, updated_by, updated_at, row_version)"""
_INSERT_VALUES = """:dim, :grp, :grade, :justification, :evidence, :confidence, false, :uid,
    :now, :version"""


def _statement(sql: str) -> TextClause:
    """A statement whose lists expand and whose times are stored as the tables' own columns
    store them."""
    names = {"statuses": "expanding", "editions": "expanding", "now": "time"}
    binds = [
        bindparam(name, expanding=True) if kind == "expanding" else bindparam(name, type_=TIME)
        for name, kind in names.items()
        if f":{name}" in sql
    ]
    return text(sql).bindparams(*binds)


POSTGRES_UPDATE = _statement(f"""WITH target AS ({_ASSESSMENT} FOR UPDATE),
old AS (SELECT a.id, a.grade, a.justification, a.evidence, a.confidence
    FROM answers a JOIN target ON a.assessment_id = target.id
    WHERE a.dimension_id = :dim AND a."group" = :grp AND a.row_version = :seen),
changed AS (UPDATE answers SET {_NEW} FROM old
    WHERE answers.id = old.id AND answers.row_version = :seen
    RETURNING old.grade, old.justification, old.evidence, old.confidence),
touched AS (UPDATE assessments SET updated_at = :now WHERE id IN (SELECT :aid FROM changed)),
logged AS ({_AUDIT} SELECT :now, :uid, 'answer', :entity_id, 'save',
    json_build_object('confidence', confidence, 'evidence', evidence, 'grade', grade,
        'justification', justification)::text, :new_value FROM changed)
SELECT 1 FROM changed""")
POSTGRES_INSERT = _statement(f"""WITH target AS ({_ASSESSMENT} FOR UPDATE),
made AS ({_INSERT} SELECT target.id, {_INSERT_VALUES} FROM target
    ON CONFLICT (assessment_id, dimension_id, "group") DO NOTHING RETURNING id),
touched AS (UPDATE assessments SET updated_at = :now WHERE id IN (SELECT :aid FROM made)),
logged AS ({_AUDIT} SELECT :now, :uid, 'answer', :entity_id, 'save', NULL, :new_value
    FROM made)
SELECT 1 FROM made""")
# SQLite runs in process: a statement's cost is the Python around it, so the SQLite steps go
# straight to the driver's cursor, in the session's own transaction (qmark parameters).
SQLITE_STEPS = {
    "assessment": _ASSESSMENT,
    "old": """SELECT confidence, evidence, grade, justification FROM answers
        WHERE assessment_id = ? AND dimension_id = ? AND "group" = ? AND row_version = ?""",
    "update": """UPDATE answers SET grade = ?, justification = ?, evidence = ?, confidence = ?,
        carried_over = 0, updated_by = ?, updated_at = ?, row_version = ?
        WHERE assessment_id = ? AND dimension_id = ? AND "group" = ? AND row_version = ?""",
    "insert": f"""{_INSERT} VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
        ON CONFLICT (assessment_id, dimension_id, "group") DO NOTHING RETURNING id""",
    "touch": "UPDATE assessments SET updated_at = ? WHERE id = ?",
    "audit": f"{_AUDIT} VALUES (?, ?, 'answer', ?, 'save', ?, ?)",
}


@dataclass(frozen=True)
class Guarded:
    """One save's values and the guards it is written under."""

    assessment_id: int
    dimension_id: str
    group: str
    values: dict  # grade, justification, evidence, confidence
    seen_version: int
    user_id: int
    admin: bool
    country: str | None
    editions: tuple[str, ...]  # the editions whose dimension accepts these values
    entity_id: str  # of the audit entry
    now: datetime


def guarded(
    actor: Actor,
    assessment_id: int,
    given: AnswerInput,
    seen_version: int,
    now: datetime,
    entity_id: str,
) -> Guarded:
    """The guards of a save. Values no guard can vouch for (an unknown grade, group or role, an
    id out of range) get no edition, so ``save`` writes nothing and the checked path answers."""
    valid = (
        (given.grade is None or given.grade in GRADES)
        and (given.confidence is None or given.confidence in CONFIDENCES)
        and given.group in PANEL_GROUPS
        and may_write_group(actor, given.group)
        and isinstance(assessment_id, int)
        and 0 < assessment_id < 2**31
        and isinstance(seen_version, int)
        and 0 <= seen_version < 2**31 - 1
    )
    return Guarded(
        assessment_id=assessment_id,
        dimension_id=given.dimension_id,
        group=given.group,
        values={name: getattr(given, name) for name in ANSWER_FIELDS},
        seen_version=seen_version,
        user_id=actor.id,
        admin=actor.is_admin,
        country=actor.country,
        editions=editions_accepting(given.dimension_id, given.grade) if valid else (),
        entity_id=entity_id,
        now=now,
    )


def show_written(session: Session, write: Guarded, version: int) -> None:
    """Rows the session had loaded show what ``save`` wrote past them."""
    key = (write.assessment_id, write.dimension_id, write.group)
    for row in list(session.identity_map.values()):
        if isinstance(row, Assessment) and row.id == write.assessment_id:
            set_committed_value(row, "updated_at", write.now)
        elif isinstance(row, Answer) and (row.assessment_id, row.dimension_id, row.group) == key:
            new = write.values | {
                "carried_over": False,
                "updated_by": write.user_id,
                "updated_at": write.now,
                "row_version": version,
            }
            for name, value in new.items():
                set_committed_value(row, name, value)


def _encode(value: dict | None) -> str | None:
    """As ``audit.record`` encodes values."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def save(session: Session, write: Guarded) -> int | None:
    """Write the answer when every guard holds: its new row version; None when a guard failed
    (nothing was written)."""
    if not write.editions:
        return None
    version = write.seen_version + 1
    params = {
        "aid": write.assessment_id,
        "dim": write.dimension_id,
        "grp": write.group,
        "statuses": list(WRITABLE_STATUSES),
        "editions": list(write.editions),
        "admin": write.admin,
        "country": write.country or "",
        "uid": write.user_id,
        "now": write.now,
        "version": version,
        "seen": write.seen_version,
        "entity_id": write.entity_id,
        "new_value": _encode(write.values),
        **write.values,
    }
    if session.get_bind().dialect.name == "postgresql":
        statement = POSTGRES_INSERT if write.seen_version == 0 else POSTGRES_UPDATE
        return version if session.execute(statement, params).first() else None
    return _save_sqlite(session, write, version)


def _expanded(sql: str, **params: Any) -> tuple[str, dict[str, Any]]:
    """A statement with named parameters for the SQLite driver: each list parameter becomes one
    parameter per item, as SQLAlchemy's expanding parameters do."""
    flat: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, tuple | list):
            names = [f"{name}_{i}" for i in range(len(value))]
            flat |= dict(zip(names, value, strict=True))
            sql = sql.replace(f":{name}", "(" + ", ".join(f":{n}" for n in names) + ")")
        else:
            flat[name] = value
    return sql, flat


def _save_sqlite(session: Session, write: Guarded, version: int) -> int | None:
    """The same steps on SQLite, in turn, under the write lock ``BEGIN IMMEDIATE`` took."""
    connection = session.connection()
    when = TIME.dialect_impl(connection.dialect).bind_processor(connection.dialect)(write.now)
    cursor = connection.connection.driver_connection.cursor()
    key = (write.assessment_id, write.dimension_id, write.group)
    values = tuple(write.values[name] for name in ("grade", "justification", "evidence"))
    values += (write.values["confidence"],)
    try:
        found = cursor.execute(
            *_expanded(
                SQLITE_STEPS["assessment"],
                aid=write.assessment_id,
                statuses=WRITABLE_STATUSES,
                editions=write.editions,
                admin=write.admin,
                country=write.country or "",
            )
        ).fetchone()
        if found is None:
            return None
        if write.seen_version == 0:
            made = cursor.execute(
                SQLITE_STEPS["insert"], (*key, *values, write.user_id, when, version)
            ).fetchone()
            if made is None:
                return None
            old = None
        else:
            row = cursor.execute(SQLITE_STEPS["old"], (*key, write.seen_version)).fetchone()
            if row is None:
                return None
            old = dict(zip(("confidence", "evidence", "grade", "justification"), row, strict=True))
            cursor.execute(
                SQLITE_STEPS["update"],
                (*values, write.user_id, when, version, *key, write.seen_version),
            )
        cursor.execute(SQLITE_STEPS["touch"], (when, write.assessment_id))
        cursor.execute(
            SQLITE_STEPS["audit"],
            (when, write.user_id, write.entity_id, _encode(old), _encode(write.values)),
        )
    finally:
        cursor.close()
    return version
