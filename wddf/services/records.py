"""Plain, read-only copies of stored rows: what services give pages to show.

A page never holds a database row: a row could load more behind its back, or be changed and
written by a later unit of work. A ``Record`` is a copy of a row's columns, with the related rows
the service chose to include (as tuples of records); it holds no session and loads nothing. An
attribute it lacks, or an attempt to change one, fails at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import inspect


class Record(Mapping[str, Any]):
    """A read-only copy of one stored row (its columns by name, as attributes and as a mapping)
    and of the related rows a service included."""

    __slots__ = ("_kind", "_values")

    def __init__(self, kind: str, values: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_kind", kind)
        object.__setattr__(self, "_values", dict(values))

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"a {self._kind} record has no {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a {self._kind} record is read only")

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and (self._kind, self._values) == (
            other._kind,
            other._values,
        )

    def __hash__(self) -> int:
        return hash((self._kind, self._values.get("id")))

    def __repr__(self) -> str:
        return f"{self._kind}Record(id={self._values.get('id')!r})"


def record(row: Any, *derived: str, **relations: dict) -> Record:
    """A record of ``row``: every column it has loaded (a column left unread, such as a file's
    bytes, stays out), the ``derived`` values its model computes, and each relationship named in
    ``relations`` as a tuple of records (its value names the relationships of those rows to
    include in turn: ``record(panel, members={}, sessions={"attendees": {}, "notes": {}})``)."""
    state = inspect(row)
    values = {
        column.key: getattr(row, column.key)
        for column in state.mapper.column_attrs
        if column.key not in state.unloaded
    }
    values |= {name: getattr(row, name) for name in derived}
    for name, nested in relations.items():
        values[name] = tuple(record(related, **nested) for related in getattr(row, name))
    return Record(type(row).__name__, values)


def records(rows: Any, *derived: str, **relations: dict) -> list[Record]:
    """``record`` of each row."""
    return [record(row, *derived, **relations) for row in rows]
