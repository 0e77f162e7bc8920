"""The tables behind the donor workbook and the data package, scoped to what the actor may read."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from exports.report_tables import MATRIX_COLUMNS, ReportTables
from scoring.recipe import Recipe
from wddf.config import get_settings
from wddf.errors import ErrorCode, Invalid
from wddf.services import audit
from wddf.services.actor import Actor
from wddf.services.answers import assessments, carry_over
from wddf.services.editions import continuity_of, titles_by_edition
from wddf.services.process import sector_data
from wddf.services.scores.frames import frame_of
from wddf.services.scores.insights import changes_of_pairs
from wddf.services.scores.scored import Scored, scored
from wddf.storage.tables import ActionItem

# The workbook and the data package show each assessment without its country's region and language.
ASSESSMENT_COLUMNS = [c for c in assessments.TABLE_COLUMNS if c not in ("region", "language")]
ANSWER_COLUMNS = ["justification", "evidence", "confidence"]
DIRECTIONS = ("improved", "declined", "unchanged")


def _change_class(changes: pd.DataFrame) -> pd.Series:
    """How a dimension moved, for a report: ``improved``, ``declined`` or ``unchanged`` by value;
    ``changed`` when the grade moved without a change of value (D ↔ D*) or to or from NA;
    ``not_comparable`` across editions; none without a previous grade."""
    moved = changes["grade"].fillna("") != changes["grade_before"].fillna("")
    out = changes["direction"].where(changes["direction"].isin(DIRECTIONS))
    out = out.mask(moved & (out.eq("unchanged") | changes["reason"].eq("na")), "changed")
    out = out.mask(changes["comparability"].eq("none"), "not_comparable")
    return out.where(changes["grade_before"].notna() | out.eq("not_comparable"))


def _last_year(session: Session, data: Scored, chosen: pd.DataFrame) -> pd.DataFrame:
    """For each dimension of the ``chosen`` assessments: last year's grade (the country's previous
    scored assessment in ``data``), the change class and its reason."""
    overall = data.level("overall")
    scored_ids = set(overall["assessment_id"])
    history = data.assessments[data.assessments["assessment_id"].isin(scored_ids)]
    history = history.sort_values(["country", "year"])
    continuity = {e: continuity_of(session, e) for e in history["edition_id"].unique()}
    previous = history.groupby("country")["assessment_id"].shift(1)
    pairs = history.assign(previous_id=previous).dropna(subset=["previous_id"])
    pairs = pairs[pairs["assessment_id"].isin(chosen["assessment_id"])]
    found = changes_of_pairs(data, pairs.astype({"previous_id": int}), continuity)
    found = found.assign(change=_change_class(found))
    renamed = {"grade_before": "last_grade", "reason": "change_reason", "delta": "change_points"}
    columns = [
        "assessment_id",
        "dimension_id",
        "last_grade",
        "change",
        "change_reason",
        "change_points",
    ]
    return found.rename(columns=renamed).reindex(columns=columns)


def collect(
    session: Session,
    actor: Actor,
    lang: str,
    country: str | None = None,
    year: int | None = None,
    countries: Collection[str] | None = None,
    part: Part | None = None,
) -> ReportTables:
    """Everything the actor may read (a donor: published only), for one country, some
    ``countries`` or all, one year or all. Scores come from ``services.scored``; last year's
    grades and the change classes from ``scoring.change`` over the country's whole history the
    actor may read, whatever the year asked for. As a ``part`` of an export of everything, only
    what that export reads of a part."""
    data = scored(session, actor, lang, country=country, countries=countries, keep=False)
    frame = data.assessments
    if year is not None:
        frame = frame[frame["year"].eq(year)]
    frame = frame[ASSESSMENT_COLUMNS].reset_index(drop=True)
    if frame.empty:  # a donor asking for a year nothing was published for: say so, no empty file
        raise Invalid(ErrorCode.NOTHING_TO_EXPORT)
    ids = set(frame["assessment_id"])

    def level(name: str) -> pd.DataFrame:
        found = data.level(name)
        return found[found["assessment_id"].isin(ids)].reset_index(drop=True)

    answers = data.answers[data.answers["assessment_id"].isin(ids)]
    dims = level("dimensions")
    if len(dims) and (part is None or part.changes):
        dims = dims.astype({"dimension_id": object, "grade": object}).merge(
            answers[["assessment_id", "dimension_id", *ANSWER_COLUMNS]],
            on=["assessment_id", "dimension_id"],
            how="left",
        )
        dims = dims.merge(
            _last_year(session, data, frame), on=["assessment_id", "dimension_id"], how="left"
        ).sort_values(["country", "year", "dimension_id"])
    editions = sorted(set(frame["edition_id"]) & set(data.by_edition))
    return ReportTables(
        answers=answers.drop(columns=["assessment_id"]).assign(
            assessment_id=answers["assessment_id"]
        ),
        overall=level("overall"),
        goals=level("goals"),
        indicators=level("indicators"),
        dimensions=dims,
        layers=level("layers"),
        recipes=[_recipe(data.by_edition[e].recipe) for e in editions],
        **(
            _per_assessment(session, lang, frame)
            if part is None
            else _of_part(session, lang, frame)
        ),
    )


@dataclass(frozen=True)
class Part:
    """How an export of everything reads its parts: about ``size`` assessments at a time; the
    workbook shows last year's grade and the change of each dimension (``changes``), the data
    package does not, and holds less per row, so it takes larger parts."""

    changes: bool = True
    size: int = 200


WORKBOOK_PARTS = Part(changes=True, size=200)
PACKAGE_PARTS = Part(changes=False, size=1000)


def _of_part(session: Session, lang: str, frame: pd.DataFrame) -> dict:
    """What a part holds besides scores and answers: its assessments and their titles (the
    tables with a row per assessment come whole, from ``collect_in_parts``)."""
    empty = pd.DataFrame(columns=["assessment_id", "country", "year"])
    return {
        "lang": lang,
        "generated_at": "",
        "assessments": frame,
        "actions": empty,
        "titles": titles_by_edition(session, frame["edition_id"], lang),
    }


def _recipe(recipe: Recipe) -> dict:
    """A scoring recipe as the exports show it."""
    return recipe.to_dict() | {"m2_rule": recipe.m2_rule, "fingerprint": recipe.fingerprint}


def _per_assessment(session: Session, lang: str, frame: pd.DataFrame) -> dict:
    """What the exports show of the assessments in ``frame`` besides scores and answers."""
    return {
        "lang": lang,
        "generated_at": audit.now().strftime("%Y-%m-%d %H:%M UTC"),
        "assessments": frame,
        "actions": _actions(session, frame),
        "titles": titles_by_edition(session, frame["edition_id"], lang),
        "carried": _carried(session, frame),
        "sector": sector_data.table(session, frame).merge(
            frame[["assessment_id", "country", "year"]], on="assessment_id"
        ),
    }


def collect_in_parts(
    session: Session,
    actor: Actor,
    lang: str,
    country: str | None = None,
    year: int | None = None,
    part: Part | None = None,
) -> ReportTables:
    """As ``collect``, for the exports of everything: the tables with a row per assessment are
    whole; the scores, answers and layers come from ``ReportTables.in_parts``, a few countries
    at a time (``part.size`` assessments, with their whole history, or one country), in the
    order of the countries' codes, so that memory does not grow with the number of
    assessments."""
    part = part or WORKBOOK_PARTS
    _, history = assessments.table(session, actor, lang, country)
    frame = history if year is None else history[history["year"].eq(year)]
    frame = frame[ASSESSMENT_COLUMNS].sort_values(["country", "year"]).reset_index(drop=True)
    if frame.empty:
        raise Invalid(ErrorCode.NOTHING_TO_EXPORT)
    groups: list[list[str]] = [[]]
    size = 0
    for place, count in history["country"].value_counts().sort_index().items():
        if size and size + count > part.size:
            groups.append([])
            size = 0
        groups[-1].append(str(place))
        size += count
    asked = set(frame["country"])
    groups = [[c for c in group if c in asked] for group in groups]

    def parts() -> Iterator[ReportTables]:
        for group in filter(None, groups):
            yield collect(session, actor, lang, year=year, countries=set(group), part=part)

    empty = pd.DataFrame(columns=["assessment_id", "country", "year"])
    return ReportTables(
        answers=empty,
        overall=empty,
        goals=empty,
        indicators=empty,
        dimensions=empty,
        parts=parts,
        **_per_assessment(session, lang, frame),
    )


def _carried(session: Session, frame: pd.DataFrame) -> pd.DataFrame:
    """The answers carried over from last year and confirmed unchanged, in bulk or one by one,
    per assessment and goal, with the country and year."""
    counts = carry_over.confirmation_table(session, frame)
    return counts.merge(frame[["assessment_id", "country", "year"]], on="assessment_id")


def _actions(session: Session, frame: pd.DataFrame) -> pd.DataFrame:
    """The policy priority matrices of the assessments in ``frame``, with their country and year;
    ``dimensions`` lists the dimensions each action addresses, separated by spaces."""
    ids = frame["assessment_id"].tolist()
    query = (
        select(ActionItem)
        .where(ActionItem.assessment_id.in_(ids))
        .order_by(ActionItem.priority.is_(None), ActionItem.priority, ActionItem.id)
    )
    rows = [
        (
            i.assessment_id,
            i.id,
            i.priority,
            " ".join(i.dimension_ids),
            *(getattr(i, c) for c in MATRIX_COLUMNS[2:]),
        )
        for i in session.scalars(query)
    ]
    found = frame_of(rows, ["assessment_id", "action_id", *MATRIX_COLUMNS])
    found = found.astype({"priority": "Int64", "estimated_cost": "Int64"})
    return found.merge(frame[["assessment_id", "country", "year"]], on="assessment_id")


def labels(lang: str) -> dict[str, str]:
    """Every heading of the exports in ``lang``: the ``export.*`` keys of the UI catalogue, and the
    names of statuses, layers, confidence levels (``confidence.<code>``) and reasons for a change
    (``reason.<code>``)."""
    from wddf.i18n import catalogue

    out = {}
    for key, text in catalogue(lang).items():
        for prefix, label in LABEL_PREFIXES.items():
            if key.startswith(prefix):
                out[label + key.removeprefix(prefix)] = text
    return out


# catalogue prefix → label prefix (``export.col.year`` → ``col.year``)
LABEL_PREFIXES = {
    "export.": "",
    "entry.confidence.": "confidence.",
    "insights.reason.": "reason.",
    "insights.plan.status.": "plan_status.",
    "insights.plan.timeframe.": "timeframe.",
    "status.": "status.",
    "layer.": "layer.",
    "grade.": "grade.",
    "report.": "report.",
    "sector.item.": "sector_item.",
}


def donor_workbook(
    session: Session, actor: Actor, lang: str, country: str | None = None, year: int | None = None
) -> bytes:
    """The donor workbook for what the actor may read, in ``lang``."""
    from exports.donor_workbook import donor_workbook as write

    settings = get_settings()
    about = {"licence": settings.data_licence, "contact": settings.data_contact}
    return write(collect_in_parts(session, actor, lang, country, year), labels(lang), about)


def data_package(
    session: Session, actor: Actor, lang: str, country: str | None = None, year: int | None = None
) -> bytes:
    """The tidy data package (zip of CSVs and datapackage.json) for what the actor may read."""
    from exports.datapackage import data_package as write

    about = {
        "licence": get_settings().data_licence,
        "contact": get_settings().data_contact,
        "version": DATA_PACKAGE_VERSION,
        "created": audit.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return write(collect_in_parts(session, actor, lang, country, year, PACKAGE_PARTS), about)


# The layout of the data package's files: 2 added is_demo to every file and ``provisional``.
DATA_PACKAGE_VERSION = "2.0.0"
