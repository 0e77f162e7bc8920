"""The one rule of who writes an answer, and the values an answer is made of.

Every path that saves an answer asks this module: ``authz.require_answer_write`` (the checked
path, which explains a refusal), the hot path's guards in ``autosave`` (its SQL condition
``WRITABLE_SQL`` and ``may_write_group`` in Python), and ``tests/storage/test_answer_rule.py``
runs the role × status × group × country matrix through each of them against ``may_write``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wddf.domain import ANSWER_FIELDS, CONSENSUS, EDITABLE, Group, Role, Status
from wddf.services.actor import Actor

PANEL_GROUPS = frozenset(g.value for g in Group)
# The statuses in which answers change, sorted: the bound list of the hot path's guard.
WRITABLE_STATUSES = tuple(sorted(s.value for s in EDITABLE))
# ``may_write_in`` as the hot path's SQL condition on the ``assessments`` row: its parameters are
# ``statuses`` (``WRITABLE_STATUSES``), ``admin`` (``actor.is_admin``) and ``country``.
WRITABLE_SQL = "status IN :statuses AND (:admin OR country = :country)"


@dataclass(frozen=True)
class AnswerInput:
    """What a user gives for one dimension."""

    dimension_id: str
    grade: str | None = None
    justification: str = ""
    evidence: str = ""
    confidence: str | None = None
    group: str = CONSENSUS


@dataclass(frozen=True)
class Saved:
    """An acknowledged save: the new row version and when it was saved."""

    row_version: int
    saved_at: datetime


def values_of(row: Any) -> dict:
    """An answer's values, by field (``ANSWER_FIELDS``), from a stored answer or an input."""
    return {field: getattr(row, field) for field in ANSWER_FIELDS}


def answer_key(assessment_id: int, dimension_id: str, group: str = CONSENSUS) -> str:
    """The audit entity id of one answer."""
    return f"{assessment_id}:{dimension_id}:{group}"


def may_write_in(actor: Actor, status: str, country: str) -> bool:
    """Answers of an assessment in ``status`` of ``country`` change only while it is a draft or
    returned, and only by its own country's people or an administrator."""
    return Status(status) in EDITABLE and (actor.is_admin or actor.country == country)


def may_write_group(actor: Actor, group: str) -> bool:
    """Whose answers the actor's role writes: administrators and focal points every group's, a
    panel member their own stakeholder group's only, nobody else any."""
    if actor.role in (Role.ADMIN, Role.FOCAL_POINT):
        return True
    return actor.role is Role.PANELIST and group == actor.group


def may_write(actor: Actor, status: str, country: str, group: str) -> bool:
    """May ``actor`` write the ``group`` answer of an assessment in ``status`` of ``country``."""
    return may_write_in(actor, status, country) and may_write_group(actor, group)
