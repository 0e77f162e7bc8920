"""Assessments the actor may read, with their consensus answers, scored by the scoring library.

Scores of validated and published assessments never change, so they are cached by what
identifies their content (``stamp``): the database, and each assessment's id, version and
``updated_at``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring import cuts, score
from scoring.engine import ScoreResult
from wddf.domain import CONSENSUS, Status
from wddf.questionnaire import structure_table
from wddf.services.actor import Actor
from wddf.services.answers import assessments
from wddf.services.cache import Lru
from wddf.services.editions import get_edition
from wddf.services.scores.frames import query_frame
from wddf.storage.tables import Answer, Assessment

FROZEN = (Status.VALIDATED.value, Status.PUBLISHED.value)
ANSWER_COLUMNS = [
    "assessment_id",
    "dimension_id",
    "grade",
    "justification",
    "evidence",
    "confidence",
]
TEXTS = ("justification", "evidence")
LEVELS = ("overall", "goals", "indicators", "dimensions", "layers")
BY_ID = ("assessment_id",)  # what names an assessment in the scores of the app


@dataclass(frozen=True)
class Scored:
    """Assessments with their consensus answers and scores (one score result per edition)."""

    assessments: pd.DataFrame  # assessment_id, country, country_name, year, edition_id, status…
    answers: pd.DataFrame  # consensus answers, with country and year
    by_edition: dict[str, ScoreResult]

    def level(self, name: str) -> pd.DataFrame:
        """One level (``overall``, ``goals``, ``indicators``, ``dimensions``, ``layers``) of every
        assessment, keyed by ``assessment_id``, with its country and year."""
        frames = [
            frame
            for result in self.by_edition.values()
            if (frame := getattr(result, name)) is not None and not frame.empty
        ]
        if not frames:
            return pd.DataFrame(columns=["assessment_id", "country", "year"])
        return pd.concat(frames, ignore_index=True)

    def one(self, assessment_id: int) -> ScoreResult:
        """The score of one assessment."""
        edition_id = self.assessments.set_index("assessment_id").at[assessment_id, "edition_id"]
        found = self._split(edition_id).get((assessment_id,))
        return found if found is not None else cuts.one(self.by_edition[edition_id], assessment_id)

    def _split(self, edition_id: str) -> dict:
        """One edition's scores cut per assessment, once (``scoring.cuts.split``)."""
        per_edition = self.__dict__.setdefault("_cuts", {})  # frozen: kept beside the fields
        if edition_id not in per_edition:
            per_edition[edition_id] = cuts.split(self.by_edition[edition_id])
        return per_edition[edition_id]

    def answers_of(self, assessment_id: int) -> pd.DataFrame:
        """The consensus answers of one assessment."""
        if "_answers_by_id" not in self.__dict__:
            self.__dict__["_answers_by_id"] = dict(tuple(self.answers.groupby("assessment_id")))
        found = self.__dict__["_answers_by_id"].get(assessment_id)
        return found if found is not None else self.answers.iloc[0:0]


FROZEN_SCORES = Lru(32)  # scored batches of validated and published assessments


def stamp(session: Session, chosen: list) -> tuple:
    """What identifies the content of these assessments: the database, and each assessment's id,
    version (bumped by every workflow step) and ``updated_at`` (bumped by every saved answer);
    ``chosen`` are assessments or rows of ``assessments.readable_keys``."""
    url = session.get_bind().url.render_as_string(hide_password=True)
    return url, tuple(sorted((a.id, a.version, a.updated_at.isoformat()) for a in chosen))


def _answer_columns(detail: bool) -> list[str]:
    return ANSWER_COLUMNS if detail else [c for c in ANSWER_COLUMNS if c not in TEXTS]


def _load_and_score(
    session: Session, edition_id: str, chosen: list[Assessment], detail: bool
) -> tuple[pd.DataFrame, ScoreResult | None]:
    """Consensus answers of ``chosen`` (all of one edition) and their scores; without
    ``detail``, neither the answers' texts nor the law/policy/practice layers."""
    columns = _answer_columns(detail)
    ids = [a.id for a in chosen]
    query = select(*(getattr(Answer, c) for c in columns)).where(
        Answer.assessment_id.in_(ids), Answer.group == CONSENSUS
    )
    answers = query_frame(session, query, columns)
    keys = pd.DataFrame(
        {
            "assessment_id": ids,
            "country": [a.country for a in chosen],
            "year": [a.year for a in chosen],
        }
    )
    answers = answers.merge(keys, on="assessment_id")
    graded = answers[answers["grade"].notna()]
    if graded.empty:
        return answers, None
    structure = structure_table(get_edition(session, edition_id))
    result = score(structure, graded, edition_id, layers=detail, keys=BY_ID)
    return answers, _with_country_and_year(result, keys.set_index("assessment_id"))


def _with_country_and_year(result: ScoreResult, by_id: pd.DataFrame) -> ScoreResult:
    """Every table of ``result`` (keyed by ``assessment_id``) with the country and year of each
    assessment beside its id, looked up by that id."""

    def named(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None:
            return None
        ids = frame["assessment_id"].to_numpy()
        frame = frame.copy()
        frame.insert(1, "country", by_id["country"].reindex(ids).to_numpy(dtype=object))
        frame.insert(2, "year", by_id["year"].reindex(ids).to_numpy())
        return frame

    return ScoreResult(
        **{n: named(getattr(result, n)) for n in LEVELS}, recipe=result.recipe, keys=result.keys
    )


def _scored_batch(
    session: Session, edition_id: str, chosen: list[Assessment], detail: bool, keep: bool
) -> list[tuple[pd.DataFrame, ScoreResult | None]]:
    frozen = [a for a in chosen if a.status in FROZEN]
    live = [a for a in chosen if a.status not in FROZEN]
    batches = []
    if frozen:
        key = (edition_id, detail, *stamp(session, frozen))
        batch = FROZEN_SCORES.get(key)
        if batch is None:
            batch = _load_and_score(session, edition_id, frozen, detail)
            if keep:
                FROZEN_SCORES.put(key, batch)
        batches.append(batch)
    if live:
        batches.append(_load_and_score(session, edition_id, live, detail))
    return batches


def _merge(results: list[ScoreResult]) -> ScoreResult:
    if len(results) == 1:
        return results[0]

    def joined(name: str) -> pd.DataFrame | None:
        frames = [getattr(r, name) for r in results]
        if any(f is None for f in frames):
            return None
        return pd.concat(frames, ignore_index=True)

    return ScoreResult(**{n: joined(n) for n in LEVELS}, recipe=results[0].recipe, keys=BY_ID)


def scored(
    session: Session,
    actor: Actor,
    lang: str = "en",
    country: str | None = None,
    year: int | None = None,
    detail: bool = True,
    countries: Collection[str] | None = None,
    keep: bool = True,
    ids: Collection[int] | None = None,
) -> Scored:
    """Every assessment the actor may read (optionally one country, some ``countries`` or one
    year), scored. Without ``detail``, neither the answers' justification and evidence nor the
    law/policy/practice layers (a comparison of thousands of assessments reads and works out
    nothing it does not show). Without ``keep``, the scores of frozen assessments are not kept
    for the next caller (an export reading everything a part at a time). With ``ids``, only
    those assessments (the ones a comparison shows)."""
    chosen, frame = assessments.table(session, actor, lang, country, year, countries, ids)
    answers, by_edition = [], {}
    for edition_id in sorted({a.edition_id for a in chosen}):
        batches = _scored_batch(
            session, edition_id, [a for a in chosen if a.edition_id == edition_id], detail, keep
        )
        answers += [b[0] for b in batches]
        results = [b[1] for b in batches if b[1] is not None]
        if results:
            by_edition[edition_id] = _merge(results)
    all_answers = (
        pd.concat(answers, ignore_index=True)
        if answers
        else pd.DataFrame(columns=[*_answer_columns(detail), "country", "year"])
    )
    return Scored(frame, all_answers, by_edition)
