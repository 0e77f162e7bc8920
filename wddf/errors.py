"""Refusals raised by services (and the text policy), each a code of the problem catalogue.

Every code is an ``ErrorCode``; the parameters its message takes and the message in English,
French and Portuguese are its entry in ``wddf/problems.yaml``. An unknown code, or parameters
other than the declared ones, fail where the refusal is raised, and ``tests/unit/test_problems.py``
fails on a code without its three messages.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from wddf.problems import Problem


class ErrorCode(StrEnum):
    """Stable codes of service refusals; the UI and the command line translate them."""

    INVALID = "invalid"
    NOT_ALLOWED = "not_allowed"
    SIGNED_OUT = "signed_out"
    NOT_FOUND = "not_found"
    TRANSITION_REFUSED = "transition_refused"
    CONFLICT = "conflict"
    BAD_CREDENTIALS = "bad_credentials"
    THROTTLED = "throttled"
    BAD_USERNAME = "bad_username"
    DUPLICATE_USERNAME = "duplicate_username"
    COUNTRY_REQUIRED = "country_required"
    ROLE_REQUIRED = "role_required"
    DEMO_SOURCE = "demo_source"
    SAME_PERSON = "same_person"
    COUNTRY_NOT_ALLOWED = "country_not_allowed"
    UNKNOWN_COUNTRY = "unknown_country"
    UNKNOWN_GROUP = "unknown_group"
    WEAK_PASSWORD_SHORT = "weak_password_short"
    WEAK_PASSWORD_COMMON = "weak_password_common"
    WEAK_PASSWORD_USERNAME = "weak_password_username"
    BAD_YEAR = "bad_year"
    FIGURE_UNSOURCED = "figure_unsourced"
    REPORT_BUSY = "report_busy"
    RESTORE_IN_PROGRESS = "restore_in_progress"
    DUPLICATE_ASSESSMENT = "duplicate_assessment"
    UNKNOWN_EDITION = "unknown_edition"
    UNKNOWN_DIMENSION = "unknown_dimension"
    UNKNOWN_GRADE = "unknown_grade"
    NA_NOT_ALLOWED = "na_not_allowed"
    UNKNOWN_CONFIDENCE = "unknown_confidence"
    TEXT_TOO_LONG = "text_too_long"
    TEXT_CONTROL = "text_control"
    TEXT_BIDI = "text_bidi"
    STALE_MISSING = "stale_missing"
    COMMENT_REQUIRED = "comment_required"
    INCOMPLETE = "incomplete"
    UNCONFIRMED = "unconfirmed"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE = "file_type"
    FILE_CONTENT = "file_content"
    TOO_MANY_FILES = "too_many_files"
    EVIDENCE_FULL = "evidence_full"
    LOCKED_STATUS = "locked_status"
    EDITION_INVALID = "edition_invalid"
    EDITION_EXISTS = "edition_exists"
    REVISION_INVALID = "revision_invalid"
    REVISION_EXISTS = "revision_exists"
    REVISION_NOT_NEXT = "revision_not_next"
    REVISION_UNKNOWN_DIMENSION = "revision_unknown_dimension"
    EDITION_TAMPERED = "edition_tampered"
    UNKNOWN_STATUS = "unknown_status"
    UNAVAILABLE = "unavailable"
    NOTHING_TO_EXPORT = "nothing_to_export"
    DIMENSIONS_REQUIRED = "dimensions_required"
    ACTION_REQUIRED = "action_required"
    BAD_PRIORITY = "bad_priority"
    UNKNOWN_TIMEFRAME = "unknown_timeframe"
    BAD_COST = "bad_cost"
    UNREADABLE_NUMBER = "unreadable_number"
    NOT_WHOLE = "not_whole"
    UNKNOWN_CURRENCY = "unknown_currency"
    COST_WITHOUT_CURRENCY = "cost_without_currency"
    PDF_UNAVAILABLE = "pdf_unavailable"
    PDF_FAILED = "pdf_failed"
    UNKNOWN_NODE = "unknown_node"
    UNKNOWN_TASK = "unknown_task"
    OUTSIDE_WINDOW = "outside_window"
    UNKNOWN_PERSON = "unknown_person"
    NAME_REQUIRED = "name_required"
    DUPLICATE_PANEL = "duplicate_panel"
    NOT_IN_PANEL = "not_in_panel"
    NOT_A_MEMBER = "not_a_member"
    WORKSHOP_REQUIRED = "workshop_required"
    WORKSHOP_CHANGED = "workshop_changed"
    REFORM_CHANGED = "reform_changed"
    INVALID_EMAIL = "invalid_email"


class ServiceError(Exception):
    """Base class: a code from the catalogue and the values its message needs."""

    code: ErrorCode = ErrorCode.INVALID

    def __init__(self, code: ErrorCode | None = None, **params: Any) -> None:
        self.code = ErrorCode(code or self.code)
        self.problem = Problem(str(self.code), params)
        self.params = params
        super().__init__(f"{self.code}: {params}" if params else str(self.code))

    def message(self, lang: str) -> str:
        """The refusal in ``lang``, from the problem catalogue."""
        return self.problem.message(lang)


class NotAllowed(ServiceError):
    """The acting user may not do this (authorisation is enforced in services)."""

    code = ErrorCode.NOT_ALLOWED


class NotFound(ServiceError):
    """No such thing, or not one the acting user may see."""

    code = ErrorCode.NOT_FOUND


class Invalid(ServiceError):
    """Bad input: nothing was written."""


class TransitionRefused(ServiceError):
    """A workflow step that is not allowed from the current status, or not yet possible."""

    code = ErrorCode.TRANSITION_REFUSED


class Conflict(ServiceError):
    """Someone else saved this answer since the caller read it; nothing was overwritten."""

    code = ErrorCode.CONFLICT

    def __init__(self, theirs: dict[str, Any], by: str, at: datetime, row_version: int) -> None:
        super().__init__(by=by, at=at.strftime("%H:%M"))
        self.theirs, self.by, self.at, self.row_version = theirs, by, at, row_version
