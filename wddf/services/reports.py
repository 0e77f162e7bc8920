"""The tables behind the donor workbook and the data package, scoped to what the actor may read."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from exports.report_tables import ReportTables
from scoring import score
from scoring.engine import ScoreResult
from scoring.grades import VALUES
from wddf.domain import CONSENSUS
from wddf.questionnaire import structure_table
from wddf.services import assessments, audit
from wddf.services.actor import Actor
from wddf.services.editions import get_edition, newest_edition_id, node_titles
from wddf.storage.tables import ActionItem, Answer

# The workbook and the data package show each assessment without its country's region and language.
ASSESSMENT_COLUMNS = [c for c in assessments.TABLE_COLUMNS if c not in ("region", "language")]


def _scores(session: Session, frame: pd.DataFrame, answers: pd.DataFrame) -> list[ScoreResult]:
    """Score each edition's assessments with that edition's structure."""
    results = []
    for edition_id, group in frame.groupby("edition_id"):
        scored = answers[
            answers["assessment_id"].isin(group["assessment_id"]) & answers["grade"].notna()
        ]
        if len(scored):
            results.append(
                score(structure_table(get_edition(session, edition_id)), scored, edition_id)
            )
    if not results:  # nothing graded in scope: empty tables of the right shape, not none at all
        edition_id = newest_edition_id(session)
        nothing = answers.iloc[0:0][["country", "year", "dimension_id", "grade"]]
        results.append(
            score(structure_table(get_edition(session, edition_id)), nothing, edition_id)
        )
    return results


def _with_last_year(dims: pd.DataFrame) -> pd.DataFrame:
    """Each dimension's grade in the country's previous assessment, and the change since."""
    ordered = dims.sort_values(["country", "dimension_id", "year"])
    previous = ordered.groupby(["country", "dimension_id"], observed=True)["grade"].shift(1)
    ordered = ordered.assign(last_grade=previous)
    delta = ordered["grade"].map(VALUES) - ordered["last_grade"].map(VALUES)
    ordered["change"] = pd.cut(
        delta, [-10, -0.5, 0.5, 10], labels=["declined", "unchanged", "improved"]
    )
    return ordered.sort_values(["country", "year", "dimension_id"])


def collect(
    session: Session, actor: Actor, lang: str, country: str | None = None, year: int | None = None
) -> ReportTables:
    """Everything the actor may read (a donor: published only), for one country or all."""
    _, frame = assessments.table(session, actor, lang, country, year)
    frame = frame[ASSESSMENT_COLUMNS]
    ids = frame["assessment_id"].tolist()
    rows = session.execute(
        select(
            Answer.assessment_id,
            Answer.dimension_id,
            Answer.grade,
            Answer.justification,
            Answer.evidence,
            Answer.confidence,
        ).where(Answer.assessment_id.in_(ids), Answer.group == CONSENSUS)
    ).all()
    answers = pd.DataFrame(
        rows,
        columns=[
            "assessment_id",
            "dimension_id",
            "grade",
            "justification",
            "evidence",
            "confidence",
        ],
    )
    answers = answers.merge(frame[["assessment_id", "country", "year"]], on="assessment_id")
    results = _scores(session, frame, answers)

    def pick(level: str) -> pd.DataFrame:
        frames = [getattr(r, level) for r in results]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    dims = pick("dimensions")
    if len(dims):
        extra = answers[
            ["country", "year", "dimension_id", "justification", "evidence", "confidence"]
        ]
        dims = dims.astype({"country": object, "dimension_id": object, "grade": object})
        dims = _with_last_year(
            dims.merge(extra, on=["country", "year", "dimension_id"], how="left")
        )
    actions = pd.DataFrame(
        session.execute(
            select(
                ActionItem.assessment_id,
                ActionItem.dimension_id,
                ActionItem.action,
                ActionItem.owner,
                ActionItem.deadline,
                ActionItem.status,
                ActionItem.target_grade,
            ).where(ActionItem.assessment_id.in_(ids))
        ).all(),
        columns=[
            "assessment_id",
            "dimension_id",
            "action",
            "owner",
            "deadline",
            "status",
            "target_grade",
        ],
    ).merge(frame[["assessment_id", "country", "year"]], on="assessment_id")
    return ReportTables(
        lang=lang,
        generated_at=audit.now().strftime("%Y-%m-%d %H:%M UTC"),
        assessments=frame,
        answers=answers,
        overall=pick("overall"),
        goals=pick("goals"),
        indicators=pick("indicators"),
        dimensions=dims,
        actions=actions,
        recipes=[r.recipe.to_dict() | {"fingerprint": r.recipe.fingerprint} for r in results],
        titles=node_titles(session, set(frame["edition_id"]), lang),
    )


def labels(lang: str) -> dict[str, str]:
    """Every heading of the exports in ``lang``: the ``export.*`` keys of the UI catalogue, and the
    names of statuses, layers and confidence levels (``confidence.<code>``)."""
    from wddf.i18n import catalogue

    texts = catalogue(lang)
    out = {k.removeprefix("export."): text for k, text in texts.items() if k.startswith("export.")}
    out |= {
        k.removeprefix("entry."): v for k, v in texts.items() if k.startswith("entry.confidence.")
    }
    return out | {key: text for key, text in texts.items() if key.startswith(("status.", "layer."))}


def donor_workbook(
    session: Session, actor: Actor, lang: str, country: str | None = None, year: int | None = None
) -> bytes:
    """The donor workbook for what the actor may read, in ``lang``."""
    from exports.donor_workbook import donor_workbook as write

    return write(collect(session, actor, lang, country, year), labels(lang))


def data_package(
    session: Session, actor: Actor, lang: str, country: str | None = None, year: int | None = None
) -> bytes:
    """The tidy data package (zip of CSVs and datapackage.json) for what the actor may read."""
    from exports.datapackage import data_package as write

    return write(collect(session, actor, lang, country, year))
