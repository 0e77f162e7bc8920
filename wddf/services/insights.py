"""The data behind the insight pages, scoped to what the actor may read.

Scores come from ``scoring`` (engine and ``scoring.insights``); nothing is recomputed here.
Scores of validated and published assessments never change, so they are cached by the
assessments' ids and versions.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring import insights as calc
from scoring import score
from scoring.agreement import most_disputed, panel_agreement
from scoring.change import change
from scoring.engine import ScoreResult
from wddf.domain import Role, Status
from wddf.questionnaire import structure_table
from wddf.questionnaire.structure import continuity_table
from wddf.services import action_plan, assessments
from wddf.services.actor import Actor
from wddf.services.editions import get_edition
from wddf.services.errors import Invalid, NotAllowed
from wddf.storage.tables import ActionItem, Answer, Assessment

FROZEN = (Status.VALIDATED.value, Status.PUBLISHED.value)
COMPARISON_ROLES = (Role.ADMIN, Role.REVIEWER, Role.DONOR)
ANSWER_COLUMNS = ["assessment_id", "dimension_id", "grade", "justification", "evidence"]
LEVELS = ("overall", "goals", "indicators", "dimensions", "layers")
_CACHE_SIZE = 32


@dataclass(frozen=True)
class Scored:
    """Assessments with their consensus answers and scores (one score result per edition)."""

    assessments: pd.DataFrame  # assessment_id, country, country_name, year, edition_id, status…
    answers: pd.DataFrame  # consensus answers, with country and year
    by_edition: dict[str, ScoreResult]

    def level(self, name: str) -> pd.DataFrame:
        """One level (``overall``, ``goals``, ``indicators``, ``dimensions``, ``layers``) of every
        assessment, with its ``assessment_id``."""
        frames = []
        for edition_id, result in self.by_edition.items():
            frame = getattr(result, name)
            if frame is None or frame.empty:
                continue
            ids = self.assessments[self.assessments["edition_id"].eq(edition_id)]
            frame = frame.astype({"country": object})
            frames.append(
                frame.merge(ids[["country", "year", "assessment_id"]], on=["country", "year"])
            )
        if not frames:
            return pd.DataFrame(columns=["assessment_id", "country", "year"])
        return pd.concat(frames, ignore_index=True)

    def one(self, assessment_id: int) -> ScoreResult:
        """The score of one assessment."""
        row = self.assessments.set_index("assessment_id").loc[assessment_id]
        return calc.one(self.by_edition[row["edition_id"]], row["country"], int(row["year"]))

    def answers_of(self, assessment_id: int) -> pd.DataFrame:
        """The consensus answers of one assessment."""
        return self.answers[self.answers["assessment_id"].eq(assessment_id)]


class Lru:
    """A small thread-safe least-recently-used cache of values that never change for their key."""

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._size = size
        self._lock = Lock()

    def get(self, key: tuple) -> object | None:
        """The value for ``key``, or None."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def clear(self) -> None:
        """Forget everything (benchmarks measure the work the cache saves)."""
        with self._lock:
            self._items.clear()

    def put(self, key: tuple, value: object) -> None:
        """Keep ``value`` under ``key``, forgetting the least recently used beyond the size."""
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)


FROZEN_SCORES = Lru()  # scored batches of validated and published assessments
COMPARISONS = Lru()  # whole comparisons, keyed by the stamps of what they compare


def stamp(session: Session, chosen: list[Assessment]) -> tuple:
    """What identifies the content of these assessments: the database, and each assessment's id,
    version (bumped by every workflow step) and ``updated_at`` (bumped by every saved answer)."""
    url = session.get_bind().url.render_as_string(hide_password=True)
    return url, tuple(sorted((a.id, a.version, a.updated_at.isoformat()) for a in chosen))


def _load_and_score(
    session: Session, edition_id: str, chosen: list[Assessment]
) -> tuple[pd.DataFrame, ScoreResult | None]:
    """Consensus answers of ``chosen`` (all of one edition) and their scores."""
    ids = [a.id for a in chosen]
    rows = session.execute(
        select(*(getattr(Answer, c) for c in ANSWER_COLUMNS)).where(
            Answer.assessment_id.in_(ids), Answer.group == "consensus"
        )
    ).all()
    answers = pd.DataFrame(rows, columns=ANSWER_COLUMNS)
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
    return answers, score(structure_table(get_edition(edition_id)), graded, edition_id)


def _scored_batch(
    session: Session, edition_id: str, chosen: list[Assessment]
) -> list[tuple[pd.DataFrame, ScoreResult | None]]:
    frozen = [a for a in chosen if a.status in FROZEN]
    live = [a for a in chosen if a.status not in FROZEN]
    batches = []
    if frozen:
        key = (edition_id, *stamp(session, frozen))
        batch = FROZEN_SCORES.get(key)
        if batch is None:
            batch = _load_and_score(session, edition_id, frozen)
            FROZEN_SCORES.put(key, batch)
        batches.append(batch)
    if live:
        batches.append(_load_and_score(session, edition_id, live))
    return batches


def _merge(results: list[ScoreResult]) -> ScoreResult:
    if len(results) == 1:
        return results[0]

    def joined(name: str) -> pd.DataFrame | None:
        frames = [getattr(r, name) for r in results]
        if any(f is None for f in frames):
            return None
        return pd.concat([f.astype({"country": object}) for f in frames], ignore_index=True)

    return ScoreResult(**{n: joined(n) for n in LEVELS}, recipe=results[0].recipe)


def scored(
    session: Session,
    actor: Actor,
    lang: str = "en",
    country: str | None = None,
    year: int | None = None,
) -> Scored:
    """Every assessment the actor may read (optionally one country or year), scored."""
    chosen, frame = assessments.table(session, actor, lang, country, year)
    answers, by_edition = [], {}
    for edition_id in sorted({a.edition_id for a in chosen}):
        batches = _scored_batch(
            session, edition_id, [a for a in chosen if a.edition_id == edition_id]
        )
        answers += [b[0] for b in batches]
        results = [b[1] for b in batches if b[1] is not None]
        if results:
            by_edition[edition_id] = _merge(results)
    all_answers = (
        pd.concat(answers, ignore_index=True)
        if answers
        else pd.DataFrame(columns=[*ANSWER_COLUMNS, "country", "year"])
    )
    return Scored(frame, all_answers, by_edition)


def _single(session: Session, actor: Actor, assessment_id: int, lang: str) -> Scored:
    item = assessments.get(session, actor, assessment_id)
    return scored(session, actor, lang, country=item.country, year=item.year)


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
    strongest, weakest = calc.strongest_and_weakest(result.dimensions)
    return Profile(row, result, strongest, weakest)


@dataclass(frozen=True)
class Progress:
    """A country across its assessments."""

    assessments: pd.DataFrame  # in year order, with a score
    steps: pd.DataFrame  # year, edition, comparability with the previous, score, coverage, delta
    trends: pd.DataFrame  # year, node, score, coverage
    data: Scored


def progress(session: Session, actor: Actor, country: str, lang: str = "en") -> Progress:
    """The overall and goal scores of a country year by year, with where the edition changed."""
    data = scored(session, actor, lang, country=country)
    frame = data.assessments[data.assessments["edition_id"].isin(list(data.by_edition))]
    scored_ids = set(data.level("overall")["assessment_id"])
    frame = frame[frame["assessment_id"].isin(scored_ids)].sort_values("year")
    results = {aid: data.one(aid) for aid in frame["assessment_id"]}
    continuity = {e: continuity_table(get_edition(e)) for e in frame["edition_id"].unique()}
    steps = calc.edition_steps(frame, results, continuity)
    overall, goals = data.level("overall"), data.level("goals")
    return Progress(frame.reset_index(drop=True), steps, calc.trends(overall, goals), data)


def explained_changes(progress_data: Progress, before_id: int, after_id: int) -> pd.DataFrame:
    """The change of every dimension between two of the country's assessments, with why."""
    data = progress_data.data
    before, after = data.one(before_id), data.one(after_id)
    editions = data.assessments.set_index("assessment_id")["edition_id"]
    continuity = continuity_table(get_edition(editions[after_id]))
    steps = change(before, after, continuity)
    return calc.explain_changes(
        steps,
        data.answers_of(before_id),
        data.answers_of(after_id),
        edition_changed=editions[before_id] != editions[after_id],
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
    countries: pd.DataFrame  # country, name, region, language, year, status, edition

    def peers(self, country: str) -> pd.DataFrame:
        """One country's goal scores against the others' median, lowest and highest."""
        return calc.peer_comparison(self.goals, country)


def comparison(
    session: Session, actor: Actor, lang: str = "en", year: int | None = None
) -> Comparison:
    """Reviewers and admins on everything submitted; donors on published results only."""
    if actor.role not in COMPARISON_ROLES:
        raise NotAllowed()
    compared = [
        a
        for a in assessments.visible(session, actor)
        if a.status != Status.DRAFT.value and (year is None or a.year == year)
    ]
    key = (lang, year, *stamp(session, compared))
    found = COMPARISONS.get(key)
    if found is None:
        found = _compare(session, actor, lang, year, key)
        COMPARISONS.put(key, found)
    return found


def _compare(session: Session, actor: Actor, lang: str, year: int | None, key: tuple) -> Comparison:
    data = scored(session, actor, lang, year=year)
    submitted = data.assessments[data.assessments["status"].ne(Status.DRAFT.value)]
    keep = set(submitted["assessment_id"])

    def pick(level: str) -> pd.DataFrame:
        frame = data.level(level)
        if frame.empty:
            return frame
        frame = frame[frame["assessment_id"].isin(keep)]
        latest = calc.latest_per_country(frame[["country", "year"]].drop_duplicates())
        return frame.merge(latest, on=["country", "year"])

    overall, goals, dims = pick("overall"), pick("goals"), pick("dimensions")
    names = submitted.drop_duplicates("country").set_index("country")
    meta = names[["country_name", "region", "language"]].reset_index()
    if not overall.empty:
        meta = meta.merge(overall[["country", "year", "assessment_id"]], on="country").merge(
            submitted[["assessment_id", "status", "edition_id"]], on="assessment_id"
        )
    empty = overall.empty
    return Comparison(
        key=key,
        overall=overall,
        goals=goals,
        ranking=calc.ranking(overall) if not empty else overall,
        by_region=calc.group_summary(overall, meta, "region") if not empty else overall,
        by_language=calc.group_summary(overall, meta, "language") if not empty else overall,
        distribution=calc.grade_distribution(dims) if not empty else dims,
        countries=meta,
    )


def agreement(session: Session, actor: Actor, assessment_id: int) -> pd.DataFrame:
    """Spread between stakeholder groups for each dimension graded by two or more groups,
    most disputed first."""
    item = assessments.get(session, actor, assessment_id)
    rows = assessments.answers(session, actor, assessment_id, group=None)
    answers = pd.DataFrame(
        [(item.country, item.year, a.dimension_id, a.group, a.grade) for a in rows],
        columns=["country", "year", "dimension_id", "group", "grade"],
    )
    found = panel_agreement(answers)
    return most_disputed(found, n=len(found))


def flags(session: Session, actor: Actor, assessment_id: int) -> pd.DataFrame:
    """Consistency flags of one assessment, against the country's previous assessment."""
    item = assessments.get(session, actor, assessment_id)
    current = _answer_frame(assessments.answers(session, actor, assessment_id))
    earlier, previous_answers = assessments.previous(session, actor, item)
    previous = _answer_frame(list(previous_answers.values())) if earlier else None
    return calc.consistency_flags(current, previous)


def _answer_frame(rows: list[Answer]) -> pd.DataFrame:
    return pd.DataFrame(
        [(a.dimension_id, a.grade, a.justification, a.evidence) for a in rows],
        columns=["dimension_id", "grade", "justification", "evidence"],
    )


def gaps(
    session: Session, actor: Actor, assessment_id: int, target: str, lang: str = "en"
) -> pd.DataFrame:
    """Dimensions below ``target`` (A–D), each with any action already planned for it."""
    if target not in ("A", "B", "C", "D"):
        raise Invalid("unknown_grade", grade=target)
    found = profile(session, actor, assessment_id, lang)
    if found.result is None:
        return pd.DataFrame(columns=["dimension_id", "grade", "planned"])
    below = calc.gaps(found.result.dimensions, target)
    planned = {i.dimension_id for i in action_plan.items(session, actor, assessment_id)}
    below = below.astype({"dimension_id": object, "grade": object})
    return below.assign(planned=below["dimension_id"].isin(planned))


def plan_carried_over(session: Session, actor: Actor, assessment_id: int) -> pd.DataFrame:
    """The action plan of the country's previous assessment, checked against this one."""
    item = assessments.get(session, actor, assessment_id)
    earlier, _ = assessments.previous(session, actor, item)
    columns = ["dimension_id", "action", "owner", "deadline", "status", "target_grade"]
    if earlier is None:
        return pd.DataFrame(columns=[*columns, "grade_now", "outcome"])
    planned = session.scalars(select(ActionItem).where(ActionItem.assessment_id == earlier.id))
    actions = pd.DataFrame([[getattr(i, c) for c in columns] for i in planned], columns=columns)
    now = _answer_frame(assessments.answers(session, actor, assessment_id))
    return calc.plan_check(actions, now).assign(previous_year=earlier.year)


def simulate(
    session: Session,
    actor: Actor,
    assessment_id: int,
    grades: dict[str, str],
    weights: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Indicator, goal and overall scores before and after the grades and weights given."""
    item = assessments.get(session, actor, assessment_id)
    edition = get_edition(item.edition_id)
    known = {d.id for _, _, d in edition.dimensions()}
    for dimension_id, grade in grades.items():
        if dimension_id not in known:
            raise Invalid("unknown_dimension", dimension=dimension_id)
        if grade not in ("A", "B", "C", "D", "D*"):
            raise Invalid("unknown_grade", grade=grade)
    answers = _answer_frame(assessments.answers(session, actor, assessment_id))
    return calc.simulate(structure_table(edition), answers, item.edition_id, grades, weights)


def reforms(
    session: Session, actor: Actor, assessment_id: int, weights: dict[str, float] | None = None
) -> pd.DataFrame:
    """Every one-grade improvement ranked by its effect on the overall score."""
    item = assessments.get(session, actor, assessment_id)
    answers = _answer_frame(assessments.answers(session, actor, assessment_id))
    structure = structure_table(get_edition(item.edition_id))
    return calc.rank_reforms(structure, answers, item.edition_id, weights)
