"""Errors raised by services, from a catalogue of codes; the UI translates them with ``t()``.

Each code has a message ``error.<code>`` in every UI catalogue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


class ServiceError(Exception):
    """Base class: a code from the catalogue and the values its message needs."""

    code = "invalid"

    def __init__(self, code: str | None = None, **params: Any) -> None:
        self.code = code or self.code
        self.params = params
        super().__init__(f"{self.code}: {params}" if params else self.code)


class NotAllowed(ServiceError):
    """The acting user may not do this (authorisation is enforced in services)."""

    code = "not_allowed"


class NotFound(ServiceError):
    """No such thing, or not one the acting user may see."""

    code = "not_found"


class Invalid(ServiceError):
    """Bad input: nothing was written."""


class TransitionRefused(ServiceError):
    """A workflow step that is not allowed from the current status, or not yet possible."""

    code = "transition_refused"


class Conflict(ServiceError):
    """Someone else saved this answer since the caller read it; nothing was overwritten."""

    code = "conflict"

    def __init__(self, theirs: dict[str, Any], by: str, at: datetime, row_version: int) -> None:
        super().__init__(by=by, at=at.strftime("%H:%M"))
        self.theirs, self.by, self.at, self.row_version = theirs, by, at, row_version
