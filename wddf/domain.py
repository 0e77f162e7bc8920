"""Grades, statuses, roles and the rules of the assessment workflow, as plain values."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user may do; see the role table in the README."""

    ADMIN = "admin"
    FOCAL_POINT = "focal_point"
    PANELIST = "panelist"
    REVIEWER = "reviewer"
    DONOR = "donor"


class Status(StrEnum):
    """Where an assessment is in its life."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    VALIDATED = "validated"
    PUBLISHED = "published"


class Grade(StrEnum):
    """A dimension's grade: A–D, D* (D for lack of information) or NA (does not apply)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    D_STAR = "D*"
    NA = "NA"


class Confidence(StrEnum):
    """How sure the panel is of a grade."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Group(StrEnum):
    """Stakeholder groups; ``consensus`` is the grade that is scored."""

    CONSENSUS = "consensus"
    GOVERNMENT = "government"
    INDUSTRY = "industry"
    CIVIL_SOCIETY = "civil_society"
    MINERS = "miners_organisations"
    DEVELOPMENT_PARTNERS = "development_partners"


class Action(StrEnum):
    """Workflow transitions."""

    SUBMIT = "submit"
    START_REVIEW = "start_review"
    RETURN = "return"
    VALIDATE = "validate"
    PUBLISH = "publish"
    REOPEN = "reopen"


# action → (statuses it may start from, status it leads to, roles that may take it)
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status, frozenset[Role]]] = {
    Action.SUBMIT: (frozenset({Status.DRAFT, Status.RETURNED}), Status.SUBMITTED,
                    frozenset({Role.FOCAL_POINT, Role.ADMIN})),
    Action.START_REVIEW: (frozenset({Status.SUBMITTED}), Status.IN_REVIEW,
                          frozenset({Role.REVIEWER, Role.ADMIN})),
    Action.RETURN: (frozenset({Status.SUBMITTED, Status.IN_REVIEW}), Status.RETURNED,
                    frozenset({Role.REVIEWER, Role.ADMIN})),
    Action.VALIDATE: (frozenset({Status.SUBMITTED, Status.IN_REVIEW}), Status.VALIDATED,
                      frozenset({Role.REVIEWER, Role.ADMIN})),
    Action.PUBLISH: (frozenset({Status.VALIDATED}), Status.PUBLISHED,
                     frozenset({Role.FOCAL_POINT, Role.ADMIN})),
    Action.REOPEN: (frozenset({Status.VALIDATED, Status.PUBLISHED}), Status.DRAFT,
                    frozenset({Role.ADMIN})),
}  # fmt: skip

EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
REVIEWABLE = frozenset(Status) - {Status.DRAFT}  # reviewers read all that was ever submitted
MIN_YEAR, MAX_YEAR = 2000, 2100
