"""Every domain term, defined once: roles and what they reach, statuses, grades, groups, and
the rules of the assessment workflow, as plain values.

Grade letters and the scored group come from ``scoring.grades``, because the scoring library is a
leaf that may not import this package; everything in ``wddf`` takes them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from scoring import grades as scoring_grades


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


GRADE_ORDER = tuple(Grade)  # best first; D* and NA last
LETTER_GRADES = (Grade.A, Grade.B, Grade.C, Grade.D)  # the four statements, and plan targets
GRADED = (*LETTER_GRADES, Grade.D_STAR)  # what a panel may give beside NA
# A grade's value (A=4 … D=1, D* counts as D) and the letter of a value.
GRADE_VALUES = {Grade(letter): value for letter, value in scoring_grades.VALUES.items()}
LETTER_OF_VALUE = {GRADE_VALUES[g]: g.value for g in LETTER_GRADES}
STRONG_GRADES = tuple(Grade(g) for g in scoring_grades.STRONG_GRADES)  # should cite evidence


class Confidence(StrEnum):
    """How sure the panel is of a grade."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Group(StrEnum):
    """Stakeholder groups; ``consensus`` is the grade that is scored."""

    CONSENSUS = scoring_grades.CONSENSUS  # a grade the panel agreed
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

# Roles bound to one country (their account needs one; they see their country's assessments).
COUNTRY_BOUND_ROLES = frozenset({Role.FOCAL_POINT, Role.PANELIST})


def country_placement(role: str, country: str | None) -> str | None:
    """The one rule of where an account belongs, for the services, the command line, the admin
    page and restore alike: a country role has a country, every other role has none. The code of
    what is wrong (``country_required``, ``country_not_allowed``), or None."""
    bound = role in COUNTRY_BOUND_ROLES
    if bound and not country:
        return "country_required"
    if not bound and country is not None:
        return "country_not_allowed"
    return None


# Roles that fill in assessments: the "My assessments" and entry pages.
ASSESSMENT_ROLES = frozenset({Role.ADMIN, Role.FOCAL_POINT, Role.PANELIST})
# Roles that review: comments, return, validate.
REVIEW_ROLES = frozenset({Role.ADMIN, Role.REVIEWER})
# Roles that compare countries side by side.
COMPARISON_ROLES = frozenset({Role.ADMIN, Role.REVIEWER, Role.DONOR})
# Roles that see the consistency flags of an assessment.
FLAG_ROLES = frozenset({Role.ADMIN, Role.REVIEWER, Role.FOCAL_POINT})
# Roles that see the WDDF process (assignments, panels, the workshop); the country's focal point
# and admins change it, panel members write their own session notes, reviewers read it.
PROCESS_ROLES = frozenset({Role.ADMIN, Role.FOCAL_POINT, Role.PANELIST, Role.REVIEWER})
# who may have the country report to the WGAAP (each of what they may read: a donor, published)
REPORT_ROLES = frozenset({Role.ADMIN, Role.REVIEWER, Role.FOCAL_POINT, Role.DONOR})


def group_of(role: Role, group: str | None) -> str:
    """The group a user's grades are saved under: a panelist's own stakeholder group, everyone
    else the consensus."""
    return group if role is Role.PANELIST and group else Group.CONSENSUS.value


CONSENSUS = Group.CONSENSUS.value
STAKEHOLDER_GROUPS = tuple(g.value for g in Group if g is not Group.CONSENSUS)  # people's groups
ACTION_STATUSES = ("open", "in_progress", "done", "dropped")  # an action of the plan
# The WDDF process: a goal or indicator is assigned to an investigator (who researches it) or a
# panelist (who grades it); an assignment is in one of these states.
ASSIGNMENT_TASKS = ("investigator", "panelist")
ASSIGNMENT_STATES = ("not_started", "in_progress", "done", "late")


class NoticeKind(StrEnum):
    """What a person is told, in the app ("what's new") and by e-mail unless turned off."""

    RETURNED = "returned"  # to the country's focal points, with the reason
    SUBMITTED = "submitted"  # to the reviewers
    VALIDATED = "validated"  # the review completed: to the focal points and the panelists
    PUBLISHED = "published"  # to the focal points and the panelists
    ASSIGNED = "assigned"  # to the person given a goal or an indicator
    DIGEST = "digest"  # once a day: the person's assignments due within DUE_SOON_DAYS or late
    COMMENT = "comment"  # a reviewer's comment: to the country's focal points


DUE_SOON_DAYS = 3  # an assignment due within this many days is in the daily digest
# the workflow steps people are told of
STEP_NOTICES = {
    Action.RETURN: NoticeKind.RETURNED,
    Action.SUBMIT: NoticeKind.SUBMITTED,
    Action.VALIDATE: NoticeKind.VALIDATED,
    Action.PUBLISH: NoticeKind.PUBLISHED,
}
# Process dates (due dates, sessions, the workshop) fall in the assessment's window: from the
# first day of the year assessed to the last day of the year after, when the report is made.
WINDOW_YEARS_AFTER = 1
# The policy priority matrix (the LGAF's): priority 1 (highest) to 3, and the reform's timeframe.
PRIORITIES = (1, 2, 3)
TIMEFRAMES = ("short", "medium", "long")


@dataclass(frozen=True)
class SectorItem:
    """An item of an assessment's sector data sheet: a ``count`` (whole), an ``amount`` (two
    decimals at most) or a ``text`` statement; figures carry their source and year."""

    key: str
    kind: str


# The sector data sheet of a report to WGAAP, in the order it prints.
SECTOR_ITEMS = (
    SectorItem("diggers_total", "count"),
    SectorItem("diggers_women", "count"),
    SectorItem("producing_areas", "count"),
    SectorItem("active_sites", "count"),
    SectorItem("production_carats", "amount"),
    SectorItem("production_usd", "amount"),
    SectorItem("exports_carats", "amount"),
    SectorItem("exports_usd", "amount"),
    SectorItem("kp_certificates", "count"),
    SectorItem("licensed_buyers", "count"),
    SectorItem("licensed_exporters", "count"),
    SectorItem("kp_focal_point", "text"),
    SectorItem("endorsement", "text"),
    SectorItem("recommendations", "text"),
    SectorItem("ta_needs", "text"),
)

ANSWER_FIELDS = ("grade", "justification", "evidence", "confidence")  # what a user gives per answer
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
REVIEWABLE = frozenset(Status) - {Status.DRAFT}  # reviewers read all that was ever submitted
MIN_YEAR, MAX_YEAR = 2000, 2100


def assessment_window(year: int) -> tuple[date, date]:
    """The first and the last day on which an assessment of ``year`` may hold a process date."""
    return date(year, 1, 1), date(year + WINDOW_YEARS_AFTER, 12, 31)
