"""What a stored row may hold, table by table: one pydantic model per table, built from the
columns' types and sizes and from the rules the services keep (choices from ``wddf.domain``,
texts under ``wddf.textpolicy``). Rows that come from elsewhere, a restored backup, are checked
against them before anything is replaced."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationError,
    create_model,
    model_validator,
)
from sqlalchemy import Boolean, Date, DateTime, Integer, LargeBinary, Numeric, String, Table

from wddf.domain import (
    ACTION_STATUSES,
    ASSIGNMENT_TASKS,
    GRADE_ORDER,
    LETTER_GRADES,
    PRIORITIES,
    SECTOR_ITEMS,
    TIMEFRAMES,
    Confidence,
    Group,
    Role,
    Status,
    country_placement,
)
from wddf.textpolicy import violation

# (table, column) → the values it may hold (None is allowed where the column is nullable).
CHOICES: dict[tuple[str, str], frozenset] = {
    ("users", "role"): frozenset(Role),
    ("users", "group"): frozenset(Group),
    ("assessments", "status"): frozenset(Status),
    ("answers", "grade"): frozenset(GRADE_ORDER),
    ("answers", "confidence"): frozenset(Confidence),
    ("answers", "group"): frozenset(Group),
    ("action_items", "status"): frozenset(ACTION_STATUSES),
    ("action_items", "target_grade"): frozenset(LETTER_GRADES),
    ("action_items", "priority"): frozenset(PRIORITIES),
    ("action_items", "timeframe"): frozenset(TIMEFRAMES),
    ("assignments", "task"): frozenset(ASSIGNMENT_TASKS),
    ("panel_members", "group"): frozenset(Group),
    ("workshop_participants", "group"): frozenset(Group),
    ("sector_data", "item"): frozenset(item.key for item in SECTOR_ITEMS),
}
# (table, column) → the field of the text policy its text follows.
TEXTS: dict[tuple[str, str], str] = {
    ("users", "username"): "username",
    ("users", "display_name"): "display_name",
    ("answers", "justification"): "justification",
    ("answers", "evidence"): "evidence",
    ("answers", "dimension_id"): "dimension_id",
    ("review_comments", "body"): "comment",
    ("action_items", "action"): "action",
    ("action_items", "owner"): "owner",
    ("action_items", "partners"): "partners",
    ("action_items", "progress"): "progress",
    ("action_item_dimensions", "dimension_id"): "dimension_id",
    ("assignments", "node_id"): "dimension_id",
    ("background_reports", "body"): "background",
    ("background_reports", "citations"): "evidence",
    ("sector_data", "text"): "background",
    ("sector_data", "source"): "evidence",
    ("panels", "name"): "panel_name",
    ("panel_members", "name"): "display_name",
    ("panel_members", "institution"): "institution",
    ("panel_sessions", "place"): "place",
    ("panel_sessions", "decisions"): "decisions",
    ("panel_sessions", "minutes"): "minutes",
    ("session_attendees", "guest"): "display_name",
    ("session_attendees", "guest_institution"): "institution",
    ("session_notes", "body"): "comment",
    ("grade_change_links", "reason"): "reason",
    ("workshops", "place"): "place",
    ("workshops", "outcome"): "outcome",
    ("workshop_participants", "name"): "display_name",
    ("workshop_participants", "institution"): "institution",
    ("evidence_files", "name"): "file_name",
}


class RowError(ValueError):
    """A row that may not be stored: which column, and why."""


def _annotation(column) -> Any:
    kind = column.type
    if isinstance(kind, Boolean):
        base: Any = StrictBool
    elif isinstance(kind, Integer):
        base = StrictInt
    elif isinstance(kind, DateTime):
        base = datetime
    elif isinstance(kind, Date):
        base = date
    elif isinstance(kind, LargeBinary):
        base = bytes
    elif isinstance(kind, Numeric):  # exact, never negative, within the column's digits
        digits, places = kind.precision or 18, kind.scale or 0
        base = Annotated[Decimal, Field(ge=0, max_digits=digits, decimal_places=places)]
    elif isinstance(kind, String) and kind.length:
        base = Annotated[str, StringConstraints(strict=True, max_length=kind.length)]
    else:
        base = Annotated[str, StringConstraints(strict=True)]
    return base | None if column.nullable else base


def _checks(table_name: str):
    """The rules beyond types: choices, the text policy, and the roles' countries."""

    def check(row: BaseModel) -> BaseModel:
        values = row.__dict__
        for (table, column), allowed in CHOICES.items():
            value = values.get(column) if table == table_name else None
            if value is not None and value not in allowed:
                raise ValueError(f"{column}: {value!r} is not one of {sorted(allowed)}")
        for (table, column), field in TEXTS.items():
            if table == table_name and values.get(column) is not None:
                refused = violation(field, values[column])
                if refused is not None:
                    raise ValueError(f"{column}: {refused[0]} {refused[1]}")
        if table_name == "users":
            if country_placement(values.get("role"), values.get("country")) is not None:
                raise ValueError(f"country: {values.get('country')!r} for role {values['role']}")
            stored_hash = values.get("password_hash")
            if stored_hash is not None and not stored_hash.startswith("$argon2"):
                raise ValueError("password_hash: not an argon2 hash")
        return row

    return check


@cache
def row_model(table: Table) -> type[BaseModel]:
    """The model of one row of ``table``: every column, typed strictly (``"false"`` is not a
    boolean), sized by the column, and the rules of ``_checks``."""
    fields = {column.name: (_annotation(column), ...) for column in table.columns}
    return create_model(
        f"{table.name}_row",
        __config__=ConfigDict(extra="forbid"),
        __validators__={"rules": model_validator(mode="after")(_checks(table.name))},
        **fields,
    )


def checked(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """``row`` when it may be stored in ``table``; ``RowError`` naming the column otherwise."""
    try:
        row_model(table).model_validate(row)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "row"
        raise RowError(f"{where}: {first['msg']}") from None
    return row
