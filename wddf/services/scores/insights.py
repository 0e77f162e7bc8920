"""The data behind the insight pages, scoped to what the actor may read.

Scores come from ``scoring`` (the engine and its analyses) through ``services.scored``;
nothing is recomputed here. A whole comparison is cached by the stamps of what it compares.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring import checks, over_time, simulator, standing
from scoring.agreement import most_disputed, panel_agreement
from scoring.change import classify, dimension_change
from scoring.engine import ScoreResult
from wddf.domain import COMPARISON_ROLES, CONSENSUS, FLAG_ROLES, GRADED, LETTER_GRADES, Status
from wddf.errors import ErrorCode, Invalid, NotAllowed
from wddf.questionnaire import structure_table
from wddf.services.actor import Actor
from wddf.services.answers import assessments, carry_over
from wddf.services.cache import Lru
from wddf.services.editions import continuity_of, get_edition
from wddf.services.process import action_plan
from wddf.services.scores.scored import Scored, scored, stamp
from wddf.storage.tables import ActionItem, Answer

COMPARISONS = Lru(32)  # whole comparisons, keyed by the stamps of what they compare
PROGRESS = Lru(32)  # a country's progress, keyed by the stamps of its assessments


def _single(session: Session, actor: Actor, assessment_id: int, lang: str) -> Scored:
    assessment = assessments.get(session, actor, assessment_id)
    return scored(session, actor, lang, country=assessment.country, year=assessment.year)


@dataclass(frozen=True)
class Profile:
    """Where one assessment stands."""

    assessment: pd.Series
    result: ScoreResult | None
    strongest: pd.DataFrame
    weakest: pd.DataFrame


def profile(session: Session, actor: Actor, assessment_id: int, lang: str = "en") -> Profile:
    """Overall, goals, indicators, dimensions, law/policy/practice, strongest and weakest."""
    data = _single(session, actor, assessment_id, lang)
    row = data.assessments.set_index("assessment_id").loc[assessment_id]
    if row["edition_id"] not in data.by_edition:
        return Profile(row, None, pd.DataFrame(), pd.DataFrame())
    result = data.one(assessment_id)
    strongest, weakest = standing.strongest_and_weakest(result.dimensions)
    return Profile(row, result, strongest, weakest)


@dataclass(frozen=True)
class Progress:
    """A country across its assessments."""

    assessments: pd.DataFrame  # in year order, with a score
    steps: pd.DataFrame  # year, edition, comparability with the previous, score, coverage, delta
    trends: pd.DataFrame  # year, node, score, coverage
    data: Scored
    continuity: dict[str, pd.DataFrame]  # edition id → what its dimensions continue
    changes: dict[tuple[int, int], pd.DataFrame] = field(default_factory=dict, compare=False)


def progress(session: Session, actor: Actor, country: str, lang: str = "en") -> Progress:
    """The overall and goal scores of a country year by year, with where the edition changed;
    kept by the stamps of the assessments it reads, as scores are (``scored.stamp``)."""
    chosen = assessments.readable_keys(session, actor, country)
    key = (lang, country, *stamp(session, chosen))
    found = PROGRESS.get(key)
    if found is None:
        found = _progress(session, actor, country, lang)
        PROGRESS.put(key, found)
    return found


def _progress(session: Session, actor: Actor, country: str, lang: str) -> Progress:
    data = scored(session, actor, lang, country=country)
    frame = data.assessments[data.assessments["edition_id"].isin(list(data.by_edition))]
    scored_ids = set(data.level("overall")["assessment_id"])
    frame = frame[frame["assessment_id"].isin(scored_ids)].sort_values("year")
    if frame.empty:  # nothing graded yet: an empty progress, which pages show as such
        no_trend = pd.DataFrame(columns=["year", "node", "score", "coverage"])
        return Progress(frame, over_time.edition_steps(frame, {}, {}), no_trend, data, {})
    results = {aid: data.one(aid) for aid in frame["assessment_id"]}
    continuity = {e: continuity_of(session, e) for e in frame["edition_id"].unique()}
    steps = over_time.edition_steps(frame, results, continuity)
    overall, goals = data.level("overall"), data.level("goals")
    return Progress(
        frame.reset_index(drop=True), steps, standing.trends(overall, goals), data, continuity
    )


def explained_changes(progress_data: Progress, before_id: int, after_id: int) -> pd.DataFrame:
    """The change of every dimension between two of the country's assessments, with why (worked
    out once per pair for a kept progress)."""
    pair = (before_id, after_id)
    if pair not in progress_data.changes:
        progress_data.changes[pair] = dimension_changes(
            progress_data.data, before_id, after_id, progress_data.continuity
        )
    return progress_data.changes[pair]


def dimension_changes(
    data: Scored, before_id: int, after_id: int, continuity: dict[str, pd.DataFrame]
) -> pd.DataFrame:
    """Each dimension of ``after_id`` against ``before_id`` (both scored in ``data``): last grade,
    delta, direction, comparability across editions (``continuity``: edition id → its
    ``continuity_table``) and why it moved (``scoring.over_time.explain_changes``)."""
    before, after = data.one(before_id), data.one(after_id)
    editions = data.assessments.set_index("assessment_id")["edition_id"]
    steps = dimension_change(before, after, continuity[editions[after_id]])
    return over_time.explain_changes(
        steps,
        data.answers_of(before_id),
        data.answers_of(after_id),
        edition_changed=editions[before_id] != editions[after_id],
    )


def changes_of_pairs(
    data: Scored, pairs: pd.DataFrame, continuity: dict[str, pd.DataFrame]
) -> pd.DataFrame:
    """``dimension_changes`` for many pairs (``pairs``: ``assessment_id, previous_id``) at once,
    with an ``assessment_id`` column: pairs of one edition in one pass over all their dimensions,
    pairs across editions one by one (they need the continuity of their dimensions)."""
    editions = data.assessments.set_index("assessment_id")["edition_id"]
    across = (
        editions.reindex(pairs["assessment_id"]).to_numpy()
        != editions.reindex(pairs["previous_id"]).to_numpy()
    )
    frames = [
        dimension_changes(data, int(row.previous_id), int(row.assessment_id), continuity).assign(
            assessment_id=int(row.assessment_id)
        )
        for row in pairs[across].itertuples()
    ]
    link = pairs.loc[~across, ["assessment_id", "previous_id"]]
    if len(link):
        frames.append(_same_edition_changes(data, link))
    if not frames:
        return pd.DataFrame(columns=["assessment_id", *over_time.EXPLAINED_COLUMNS])
    return pd.concat(frames, ignore_index=True)


def _same_edition_changes(data: Scored, link: pd.DataFrame) -> pd.DataFrame:
    """Dimension changes of pairs of one edition, each dimension compared with itself."""
    dims = data.level("dimensions")[["assessment_id", "dimension_id", "score"]]
    dims = dims.astype({"dimension_id": object})
    after = dims.merge(link[["assessment_id"]], on="assessment_id")
    before = dims.rename(columns={"assessment_id": "previous_id", "score": "score_before"}).merge(
        link, on="previous_id"
    )
    steps = after.rename(columns={"score": "score_after"}).merge(
        before[["assessment_id", "dimension_id", "score_before"]],
        on=["assessment_id", "dimension_id"],
        how="left",
    )
    steps = classify(
        steps.rename(columns={"dimension_id": "id"}).assign(
            level="dimension", comparability="full", previous_dimension_id=steps["dimension_id"]
        )
    )
    answers = data.answers[["assessment_id", "dimension_id", "grade", "evidence"]]
    answers_before = answers.rename(columns={"assessment_id": "previous_id"}).merge(
        link, on="previous_id"
    )
    return over_time.explain_changes(
        steps, answers_before, answers, edition_changed=False, keys=("assessment_id",)
    )


@dataclass(frozen=True)
class Comparison:
    """Countries side by side: one assessment per country (a chosen year, or each latest)."""

    key: tuple  # identifies the content: equal keys, equal comparisons
    overall: pd.DataFrame
    goals: pd.DataFrame
    ranking: pd.DataFrame
    by_region: pd.DataFrame
    by_language: pd.DataFrame
    distribution: pd.DataFrame
    countries: pd.DataFrame  # country, name, region, language, year, status, edition, is_demo

    def peers(self, country: str) -> pd.DataFrame:
        """One country's goal scores against the others' median, lowest and highest."""
        return standing.peer_comparison(self.goals, country)


def comparison(
    session: Session, actor: Actor, lang: str = "en", year: int | None = None
) -> Comparison:
    """Reviewers and admins on everything submitted; donors on published results only."""
    if actor.role not in COMPARISON_ROLES:
        raise NotAllowed()
    compared = [
        a
        for a in assessments.readable_keys(session, actor)
        if a.status != Status.DRAFT.value and (year is None or a.year == year)
    ]
    key = (lang, year, *stamp(session, compared))
    found = COMPARISONS.get(key)
    if found is None:
        found = _compare(session, actor, lang, year, key, _latest_graded(session, compared))
        COMPARISONS.put(key, found)
    return found


def _latest_graded(session: Session, compared: list) -> list[int]:
    """What a comparison shows of each country: its assessments of the latest year among
    ``compared`` that has a graded consensus answer. Only these are read and scored: the
    comparison of 4,000 assessments scores one year of each country, not its history."""
    years: dict[str, dict[int, list[int]]] = {}
    for row in compared:
        years.setdefault(row.country, {}).setdefault(row.year, []).append(row.id)
    shown: list[int] = []
    while years:
        candidates = [i for by_year in years.values() for i in by_year[max(by_year)]]
        graded = set(
            session.scalars(
                select(Answer.assessment_id)
                .where(
                    Answer.assessment_id.in_(candidates),
                    Answer.group == CONSENSUS,
                    Answer.grade.is_not(None),
                )
                .distinct()
            )
        )
        for country, by_year in list(years.items()):
            found = [i for i in by_year.pop(max(by_year)) if i in graded]
            shown += found
            if found or not by_year:
                del years[country]
    return shown


def _compare(
    session: Session, actor: Actor, lang: str, year: int | None, key: tuple, shown: list[int]
) -> Comparison:
    data = scored(session, actor, lang, year=year, detail=False, ids=shown)
    submitted = data.assessments[data.assessments["status"].ne(Status.DRAFT.value)]
    keep = set(submitted["assessment_id"])

    def pick(level: str) -> pd.DataFrame:
        frame = data.level(level)
        if frame.empty:
            return frame
        frame = frame[frame["assessment_id"].isin(keep)]
        latest = standing.latest_per_country(frame[["country", "year"]].drop_duplicates())
        return frame.merge(latest, on=["country", "year"])

    overall, goals, dims = pick("overall"), pick("goals"), pick("dimensions")
    names = submitted.drop_duplicates("country").set_index("country")
    meta = names[["country_name", "region", "language"]].reset_index()
    if not overall.empty:
        meta = meta.merge(overall[["country", "year", "assessment_id"]], on="country").merge(
            submitted[["assessment_id", "status", "edition_id", "is_demo"]], on="assessment_id"
        )
    empty = overall.empty
    return Comparison(
        key=key,
        overall=overall,
        goals=goals,
        ranking=standing.ranking(_with_edition(overall, submitted), ("year", "edition_id"))
        if not empty
        else overall,
        by_region=standing.group_summary(overall, meta, "region") if not empty else overall,
        by_language=standing.group_summary(overall, meta, "language") if not empty else overall,
        distribution=standing.grade_distribution(dims) if not empty else dims,
        countries=meta,
    )


def _with_edition(overall: pd.DataFrame, assessments: pd.DataFrame) -> pd.DataFrame:
    """The overall rows with the edition of each assessment."""
    editions = assessments[["assessment_id", "edition_id"]]
    return overall.drop(columns=["edition_id"], errors="ignore").merge(editions, on="assessment_id")


def agreement(session: Session, actor: Actor, assessment_id: int) -> pd.DataFrame:
    """Spread between stakeholder groups for each dimension graded by two or more groups,
    most disputed first."""
    rows = assessments.answers(session, actor, assessment_id, group=None)
    answers = pd.DataFrame(
        [(assessment_id, a.dimension_id, a.group, a.grade) for a in rows],
        columns=["assessment_id", "dimension_id", "group", "grade"],
    )
    found = panel_agreement(answers, keys=("assessment_id",))
    return most_disputed(found, n=len(found))


def flags(session: Session, actor: Actor, assessment_id: int) -> pd.DataFrame:
    """Consistency flags of one assessment, against the country's previous assessment
    (``FLAG_ROLES`` only)."""
    if actor.role not in FLAG_ROLES:
        raise NotAllowed()
    assessment = assessments.get(session, actor, assessment_id)
    current = _answer_frame(assessments.answers(session, actor, assessment_id))
    earlier, previous_answers = carry_over.previous(session, actor, assessment)
    previous = (
        _answer_frame(list(previous_answers.values()), list(previous_answers)) if earlier else None
    )
    return checks.consistency_flags(current, previous)


def _answer_frame(rows: list[Answer], dimension_ids: list[str] | None = None) -> pd.DataFrame:
    """Answers as a table, under their own dimension ids or under ``dimension_ids`` (those of
    another edition they compare with)."""
    ids = dimension_ids if dimension_ids is not None else [a.dimension_id for a in rows]
    return pd.DataFrame(
        [(d, a.grade, a.justification, a.evidence) for d, a in zip(ids, rows, strict=True)],
        columns=["dimension_id", "grade", "justification", "evidence"],
    )


def gaps(
    session: Session, actor: Actor, assessment_id: int, target: str, lang: str = "en"
) -> pd.DataFrame:
    """Dimensions below ``target`` (A–D), each with any action already planned for it."""
    if target not in LETTER_GRADES:
        raise Invalid(ErrorCode.UNKNOWN_GRADE, grade=target)
    found = profile(session, actor, assessment_id, lang)
    if found.result is None:
        return pd.DataFrame(columns=["dimension_id", "grade", "planned"])
    below = checks.gaps(found.result.dimensions, target)
    planned = {d for i in action_plan.items(session, actor, assessment_id) for d in i.dimension_ids}
    below = below.astype({"dimension_id": object, "grade": object})
    return below.assign(planned=below["dimension_id"].isin(planned))


def plan_carried_over(session: Session, actor: Actor, assessment_id: int) -> pd.DataFrame:
    """The action plan of the country's previous assessment, checked against this one: each
    dimension an action addresses against the dimension that continues it
    (``carry_over.sources``; itself within one edition, the first that continues it across
    editions). One row per action and dimension."""
    assessment = assessments.get(session, actor, assessment_id)
    earlier, _ = carry_over.previous(session, actor, assessment)
    columns = ["dimension_id", "action", "owner", "deadline", "status", "target_grade"]
    if earlier is None:
        return pd.DataFrame(columns=[*columns, "grade_now", "outcome"])
    planned = session.scalars(select(ActionItem).where(ActionItem.assessment_id == earlier.id))
    actions = pd.DataFrame(
        [[d, *(getattr(i, c) for c in columns[1:])] for i in planned for d in i.dimension_ids],
        columns=columns,
    )
    current = {a.dimension_id: a for a in assessments.answers(session, actor, assessment_id)}
    continuing: dict[str, Answer] = {}
    for new_id, old_id in carry_over.sources(session, assessment, earlier).items():
        if new_id in current:
            continuing.setdefault(old_id, current[new_id])
    now = _answer_frame(list(continuing.values()), list(continuing))
    return checks.plan_check(actions, now).assign(previous_year=earlier.year)


def simulate(
    session: Session,
    actor: Actor,
    assessment_id: int,
    grades: dict[str, str],
    weights: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Indicator, goal and overall scores before and after the grades and weights given."""
    assessment = assessments.get(session, actor, assessment_id)
    edition = get_edition(session, assessment.edition_id)
    known = {d.id for _, _, d in edition.dimensions()}
    for dimension_id, grade in grades.items():
        if dimension_id not in known:
            raise Invalid(ErrorCode.UNKNOWN_DIMENSION, dimension=dimension_id)
        if grade not in GRADED:
            raise Invalid(ErrorCode.UNKNOWN_GRADE, grade=grade)
    answers = _answer_frame(assessments.answers(session, actor, assessment_id))
    return simulator.simulate(
        structure_table(edition), answers, assessment.edition_id, grades, weights
    )


def reforms(
    session: Session, actor: Actor, assessment_id: int, weights: dict[str, float] | None = None
) -> pd.DataFrame:
    """Every one-grade improvement ranked by its effect on the overall score."""
    assessment = assessments.get(session, actor, assessment_id)
    answers = _answer_frame(assessments.answers(session, actor, assessment_id))
    structure = structure_table(get_edition(session, assessment.edition_id))
    return simulator.rank_reforms(structure, answers, assessment.edition_id, weights)
