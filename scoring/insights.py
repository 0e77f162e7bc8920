"""What the insight pages show, computed from score results: pure pandas, no I/O, no charts.

Every figure a page draws comes from here or from ``scoring.engine``, never from the page.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.change import change, overall_change
from scoring.engine import ScoreResult, score
from scoring.grades import GRADES, STRONG_GRADES, VALUES

WEAK_GRADES = ("C", "D", "D*")
# The next grade up, for the reform simulator; D* (no information) becomes C once documented.
ONE_STEP_UP = {"B": "A", "C": "B", "D": "C", "D*": "C"}
SIMULATION_COLUMNS = ["level", "id", "comparability", "score_before", "score_after", "delta",
                      "direction"]  # fmt: skip
REFORM_COLUMNS = ["dimension_id", "grade", "new_grade", "goal_id", "overall_delta", "goal_delta"]


def _text(column: pd.Series) -> pd.Series:
    """Free text, stripped, with blanks for missing values (works on empty columns too)."""
    return column.fillna("").astype(str).str.strip()


def one(result: ScoreResult, *key: object) -> ScoreResult:
    """The part of ``result`` that belongs to one assessment, named by the values of its key
    columns (``result.keys``)."""

    def pick(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None:
            return None
        chosen = np.ones(len(frame), dtype=bool)
        for name, value in zip(result.keys, key, strict=True):
            chosen &= frame[name].astype(object).eq(value).to_numpy()
        return frame[chosen].reset_index(drop=True)

    return ScoreResult(
        dimensions=pick(result.dimensions),
        indicators=pick(result.indicators),
        goals=pick(result.goals),
        overall=pick(result.overall),
        layers=pick(result.layers),
        recipe=result.recipe,
        keys=result.keys,
    )


def split(result: ScoreResult) -> dict[tuple, ScoreResult]:
    """``result`` cut into one score result per assessment, by the tuple of its key values:
    ``one`` for each, in one pass over each level instead of one per assessment."""
    names = ("dimensions", "indicators", "goals", "overall", "layers")
    keys = list(result.keys)
    grouped = {}
    for name in names:
        frame = getattr(result, name)
        if frame is None:
            continue
        keyed = frame.astype({k: object for k in keys if frame[k].dtype.name == "category"})
        grouped[name] = {
            _plain_key(key): part.reset_index(drop=True)
            for key, part in keyed.groupby(keys, sort=False)
        }
    found = set(grouped.get("overall", {})) | set(grouped.get("dimensions", {}))
    return {
        key: ScoreResult(
            **{
                name: (
                    None
                    if getattr(result, name) is None
                    else grouped[name].get(key, getattr(result, name).iloc[0:0])
                )
                for name in names
            },
            recipe=result.recipe,
            keys=result.keys,
        )
        for key in found
    }


def _plain_key(key: object) -> tuple:
    """A group's key as a tuple of plain Python values (``2024``, not ``numpy.int64(2024)``)."""
    values = key if isinstance(key, tuple) else (key,)
    return tuple(v.item() if isinstance(v, np.generic) else v for v in values)


def strongest_and_weakest(
    dimensions: pd.DataFrame, n: int = 5
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` best and worst graded dimensions of one assessment (NA and blanks left out);
    ties keep questionnaire order."""
    graded = dimensions[dimensions["value"].notna()]
    strongest = graded.sort_values("value", ascending=False, kind="stable").head(n)
    weakest = graded.sort_values("value", ascending=True, kind="stable").head(n)
    return strongest.reset_index(drop=True), weakest.reset_index(drop=True)


def latest_per_country(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of each country's most recent year."""
    if frame.empty:
        return frame
    latest = frame.groupby("country", observed=True)["year"].transform("max")
    return frame[frame["year"].eq(latest)].reset_index(drop=True)


def ranking(overall: pd.DataFrame) -> pd.DataFrame:
    """Assessments by overall score, best first, with their rank and coverage; unscored last."""
    ranked = overall.sort_values(["score", "country"], ascending=[False, True], na_position="last")
    ranked = ranked.reset_index(drop=True)
    ranked.insert(0, "rank", ranked["score"].rank(ascending=False, method="min"))
    return ranked


def group_summary(overall: pd.DataFrame, countries: pd.DataFrame, by: str) -> pd.DataFrame:
    """Mean overall score, mean coverage and number of countries per ``by`` (``region`` or
    ``language``), from one row per country; ``countries`` has ``country`` and ``by``."""
    joined = overall.merge(countries[["country", by]], on="country", how="left")
    grouped = joined.groupby(by, dropna=False).agg(
        countries=("country", "nunique"),
        score=("score", "mean"),
        coverage=("coverage", "mean"),
        lowest=("score", "min"),
        highest=("score", "max"),
    )
    return grouped.reset_index().sort_values("score", ascending=False, ignore_index=True)


def grade_distribution(dimensions: pd.DataFrame) -> pd.DataFrame:
    """For each dimension, how many assessments gave each grade, and the share graded C or
    below among those graded (``weak_share``): which dimensions are weak everywhere."""
    grades = dimensions.assign(grade=dimensions["grade"].astype(object))
    counts = pd.crosstab(grades["dimension_id"], grades["grade"]).reindex(
        columns=list(GRADES), fill_value=0
    )
    graded = counts[[g for g in GRADES if g != "NA"]].sum(axis=1)
    weak = counts[list(WEAK_GRADES)].sum(axis=1)
    out = counts.assign(graded=graded, weak_share=(weak / graded.where(graded > 0)).astype(float))
    order = dimensions["dimension_id"].astype(object).drop_duplicates().tolist()
    out = out.reindex(order).reset_index().rename(columns={"index": "dimension_id"})
    return out.sort_values("weak_share", ascending=False, kind="stable", ignore_index=True)


def peer_comparison(goals: pd.DataFrame, country: str) -> pd.DataFrame:
    """Per goal: the country's score against its peers' median, lowest and highest (one row per
    country in ``goals``, e.g. the latest of each)."""
    mine = goals[goals["country"].eq(country)][["goal_id", "score", "coverage"]]
    peers = goals[goals["country"].ne(country)].groupby("goal_id", observed=True)["score"]
    summary = pd.DataFrame(
        {"peer_median": peers.median(), "peer_lowest": peers.min(), "peer_highest": peers.max()}
    ).reset_index()
    out = mine.merge(summary, on="goal_id", how="left")
    return out.assign(difference=out["score"] - out["peer_median"])


def edition_steps(
    assessments: pd.DataFrame, results: dict[int, ScoreResult], continuity: dict[str, pd.DataFrame]
) -> pd.DataFrame:
    """One row per assessment of a country in year order: its overall score and coverage, and
    how it compares with the one before (``full``, ``partial`` or ``none`` when the edition
    changed). ``results`` maps assessment id to its score; ``continuity`` maps an edition to its
    continuity table."""
    rows = []
    previous = None
    for item in assessments.sort_values("year").itertuples():
        result = results[item.assessment_id]
        overall = result.overall.iloc[0]
        comparability, delta = None, None
        if previous is not None:
            comparability, delta = overall_change(
                results[previous.assessment_id], result, continuity.get(item.edition_id)
            )
        rows.append(
            {
                "year": item.year,
                "edition_id": item.edition_id,
                "edition_changed": previous is not None and previous.edition_id != item.edition_id,
                "comparability": comparability,
                "score": overall["score"],
                "coverage": overall["coverage"],
                "delta": delta,
            }
        )
        previous = item
    columns = ["year", "edition_id", "edition_changed", "comparability", "score", "coverage"]
    steps = pd.DataFrame(rows, columns=[*columns, "delta"])
    return steps.astype({"score": float, "coverage": float, "delta": float})


# What ``explain_changes`` returns for each dimension (after any key columns).
EXPLAINED_COLUMNS = [
    "dimension_id",
    "previous_dimension_id",
    "grade_before",
    "grade",
    "delta",
    "direction",
    "comparability",
    "reason",
]


def explain_changes(
    steps: pd.DataFrame,
    before: pd.DataFrame,
    after: pd.DataFrame,
    edition_changed: bool,
    keys: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Each dimension's change between two assessments, with why.

    ``steps`` is the dimension rows of ``scoring.change.change``; ``before`` and ``after`` are the
    answers (``dimension_id, grade, evidence``). Each dimension is compared with the answer of
    ``previous_dimension_id`` (itself within an edition; across editions, the one it continues).
    With ``keys`` (such as ``assessment_id``), the three tables hold many pairs of assessments at
    once, told apart by those columns. ``reason`` is one of ``edition`` (the edition changed and
    the dimension does not fully carry over), ``na`` (it became or stopped being NA),
    ``new_evidence`` (the grade moved and the evidence cited changed), ``same_evidence`` (the
    grade moved with the same evidence), or ``none`` (no grade change). ``direction`` is
    ``improved``, ``declined``, ``unchanged``, ``not_comparable`` or ``not_graded``.
    """
    on = [*keys, "dimension_id"]
    columns = [*keys, "id", "previous_dimension_id", "comparability", "delta", "direction"]
    dims = steps.loc[steps["level"].eq("dimension"), columns].rename(columns={"id": "dimension_id"})
    answers = [*on, "grade", "evidence"]
    earlier = before[answers].set_axis(
        [*keys, "previous_dimension_id", "grade_before", "evidence_before"], axis=1
    )
    out = dims.merge(after[answers], on=on, how="left").merge(
        earlier, on=[*keys, "previous_dimension_id"], how="left"
    )
    was_na, is_na = out["grade_before"].eq("NA"), out["grade"].eq("NA")
    moved = out["grade"].fillna("") != out["grade_before"].fillna("")
    new_evidence = _text(out["evidence"]) != _text(out["evidence_before"])
    out["direction"] = (
        out["direction"].fillna("not_graded").replace({"not comparable": "not_comparable"})
    )
    out["reason"] = np.select(
        [
            out["comparability"].ne("full") & edition_changed,
            was_na != is_na,
            moved & new_evidence,
            moved,
        ],
        ["edition", "na", "new_evidence", "same_evidence"],
        default="none",
    )
    return out[[*keys, *EXPLAINED_COLUMNS]]


def consistency_flags(answers: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """What a reviewer should look at in one assessment's answers.

    ``strong_no_evidence``: A or B with no evidence reference. ``jump_no_new_evidence``: two
    grades or more from last time, with the same evidence. ``na_no_reason``: NA with no
    justification. ``answers`` and ``previous`` have ``dimension_id, grade, justification,
    evidence``.
    """
    current = answers.assign(
        evidence=_text(answers["evidence"]),
        justification=_text(answers["justification"]),
    )
    flags = [
        current[current["grade"].isin(STRONG_GRADES) & current["evidence"].eq("")].assign(
            flag="strong_no_evidence"
        ),
        current[current["grade"].eq("NA") & current["justification"].eq("")].assign(
            flag="na_no_reason"
        ),
    ]
    if previous is not None and len(previous):
        before = previous[["dimension_id", "grade", "evidence"]].rename(
            columns={"grade": "grade_before", "evidence": "evidence_before"}
        )
        both = current.merge(before, on="dimension_id")
        jump = (
            both["grade"].map(VALUES).astype(float) - both["grade_before"].map(VALUES).astype(float)
        ).abs()
        same = both["evidence"].eq(_text(both["evidence_before"]))
        flags.append(both[(jump >= 2) & same].assign(flag="jump_no_new_evidence"))
    out = pd.concat(flags, ignore_index=True)
    if "grade_before" not in out.columns:
        out["grade_before"] = None
    return out[["dimension_id", "flag", "grade", "grade_before", "evidence"]]


def gaps(dimensions: pd.DataFrame, target: str) -> pd.DataFrame:
    """Dimensions of one assessment graded below ``target`` (D* always is), weakest first."""
    below = dimensions[dimensions["value"].notna() & (dimensions["value"] < VALUES[target])]
    return below.sort_values("value", kind="stable", ignore_index=True)


def plan_check(actions: pd.DataFrame, dimensions: pd.DataFrame) -> pd.DataFrame:
    """Last year's action plan against this year's grades: for each item, the grade reached and
    whether its target is met (``met``, ``not_met``, or ``no_grade`` when not graded)."""
    grades = dimensions[["dimension_id", "grade"]].astype({"dimension_id": object, "grade": object})
    out = actions.merge(
        grades.rename(columns={"grade": "grade_now"}), on="dimension_id", how="left"
    )
    reached = out["grade_now"].map(VALUES).astype(float)
    wanted = out["target_grade"].map(VALUES).astype(float)
    out["outcome"] = np.select(
        [reached.isna(), wanted.isna() | (reached >= wanted)], ["no_grade", "met"], "not_met"
    )
    return out


VARIANT = ("variant",)  # the key that names each pseudo-assessment of the simulator


def _as_candidates(answers: pd.DataFrame, variants: dict[str, dict[str, str]]) -> pd.DataFrame:
    """One pseudo-assessment per variant (keyed by its name in the ``variant`` column), each a
    copy of ``answers`` with the variant's grades."""
    base = answers[["dimension_id", "grade"]].astype(object)
    frames = []
    for name, grades in variants.items():
        frame = base.assign(variant=name)
        if grades:
            frame["grade"] = frame["dimension_id"].map(grades).fillna(frame["grade"])
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def simulate(
    structure: pd.DataFrame,
    answers: pd.DataFrame,
    edition_id: str,
    grades: dict[str, str],
    weights: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Indicator, goal and overall scores of one assessment before and after setting the
    ``grades`` given (dimension → grade) and the ``weights`` given (node id → weight)."""
    graded = answers[answers["grade"].notna()]
    if graded.empty:
        return pd.DataFrame(columns=SIMULATION_COLUMNS)
    now = {"now": {}}
    before = score(structure, _as_candidates(graded, now), edition_id, layers=False, keys=VARIANT)
    after = score(
        structure,
        _as_candidates(graded, {"now": grades}),
        edition_id,
        weights=weights,
        layers=False,
        keys=VARIANT,
    )
    steps = change(before, after)
    return steps[steps["level"].ne("dimension")].reset_index(drop=True)


def rank_reforms(
    structure: pd.DataFrame,
    answers: pd.DataFrame,
    edition_id: str,
    weights: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Every one-grade improvement of a graded dimension below A, ranked by its effect on the
    overall score. All candidates are scored in one pass, each as its own pseudo-assessment."""
    graded = answers[answers["grade"].notna()]
    if graded.empty:
        return pd.DataFrame(columns=REFORM_COLUMNS)
    movable = graded[graded["grade"].isin(list(ONE_STEP_UP))]
    variants = {"": {}} | {
        row.dimension_id: {row.dimension_id: ONE_STEP_UP[row.grade]} for row in movable.itertuples()
    }
    candidates = _as_candidates(graded, variants)
    result = score(structure, candidates, edition_id, weights=weights, layers=False, keys=VARIANT)
    overall = result.overall.set_index("variant")["score"]
    goals = result.goals.assign(variant=result.goals["variant"].astype(object))
    goal_of = structure.set_index("dimension_id")["goal_id"]
    base_goal = goals[goals["variant"].eq("")].set_index("goal_id")["score"]
    out = movable[["dimension_id", "grade"]].astype(object).reset_index(drop=True)
    out["new_grade"] = out["grade"].map(ONE_STEP_UP)
    out["goal_id"] = out["dimension_id"].map(goal_of)
    out["overall_delta"] = out["dimension_id"].map(overall) - overall.get("", np.nan)
    goal_after = goals.set_index(["variant", "goal_id"])["score"]
    out["goal_delta"] = [
        goal_after.get((dim, goal), np.nan) - base_goal.get(goal, np.nan)
        for dim, goal in zip(out["dimension_id"], out["goal_id"], strict=True)
    ]
    return out.sort_values(
        ["overall_delta", "dimension_id"], ascending=[False, True], ignore_index=True
    )


def trends(overall: pd.DataFrame, goals: pd.DataFrame) -> pd.DataFrame:
    """Overall and goal scores per year, long: ``year, node, score, coverage``."""
    top = overall[["year", "score", "coverage"]].assign(node="overall")
    per_goal = goals[["year", "goal_id", "score", "coverage"]].rename(columns={"goal_id": "node"})
    out = pd.concat([top, per_goal], ignore_index=True)
    return out.astype({"node": object}).sort_values(["node", "year"], ignore_index=True)


__all__ = [
    "consistency_flags",
    "edition_steps",
    "explain_changes",
    "gaps",
    "grade_distribution",
    "group_summary",
    "latest_per_country",
    "one",
    "peer_comparison",
    "plan_check",
    "rank_reforms",
    "ranking",
    "simulate",
    "strongest_and_weakest",
    "trends",
]
