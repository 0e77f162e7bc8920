"""Score assessments up the tree: dimension → indicator → goal → overall, all in pandas.

Every step is a vectorised merge or groupby over all assessments at once; there is no Python
loop per assessment or per row. The method is described in ``scoring/METHOD.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.grades import CONSENSUS, VALUES, dimension_score, m1_letters, m2_letters
from scoring.recipe import Recipe

ASSESSMENT = ["country", "year"]
COUNTS = ["n_applicable", "n_graded", "n_dstar", "n_na"]
LAYERS = ["law", "policy", "practice"]


@dataclass(frozen=True)
class ScoreResult:
    """Tidy tables per level, and the recipe that made them."""

    dimensions: pd.DataFrame
    indicators: pd.DataFrame
    goals: pd.DataFrame
    overall: pd.DataFrame
    layers: pd.DataFrame | None
    recipe: Recipe


def consensus_answers(answers: pd.DataFrame) -> pd.DataFrame:
    """The answers that are scored: the ``consensus`` group (all rows when there is no group)."""
    if "group" not in answers.columns:
        return answers
    return answers[answers["group"].fillna(CONSENSUS).eq(CONSENSUS)]


def dimension_table(
    structure: pd.DataFrame, answers: pd.DataFrame, keys: list[str]
) -> pd.DataFrame:
    """One row per assessment and dimension of the structure, graded or not."""
    assessments = answers[keys].drop_duplicates()
    grid = assessments.merge(structure, how="cross")
    given = answers[[*keys, "dimension_id", "grade"]]
    grid = grid.merge(given, on=[*keys, "dimension_id"], how="left", validate="one_to_one")
    value = grid["grade"].map(VALUES).astype(float)
    return grid.assign(
        value=value,
        score=dimension_score(value),
        n_applicable=grid["grade"].ne("NA").astype(int),
        n_graded=value.notna().astype(int),
        n_dstar=grid["grade"].eq("D*").astype(int),
        n_na=grid["grade"].eq("NA").astype(int),
    )


def _weighted(frame: pd.DataFrame, weight: str) -> pd.DataFrame:
    """Columns to sum for a weighted mean over the rows that have a score."""
    w = frame[weight].where(frame["score"].notna(), 0.0)
    return frame.assign(_w=w, _wx=(frame["score"] * w).fillna(0.0))


def _finish(agg: pd.DataFrame) -> pd.DataFrame:
    """Weighted mean and coverage from the summed columns; null where nothing counts."""
    score = (agg["_wx"] / agg["_w"]).where(agg["_w"] > 0)
    coverage = (agg["n_graded"] / agg["n_applicable"]).where(agg["n_applicable"] > 0)
    return agg.assign(score=score, coverage=coverage).drop(columns=["_w", "_wx"])


def indicator_table(dims: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Indicator scores (weighted mean of graded dimensions) with their M1 and M2 grades."""
    frame = _weighted(dims, "dimension_weight").assign(_v=dims["value"].fillna(0))
    agg = (
        frame.groupby([*keys, "goal_id", "indicator_id"], sort=False)
        .agg(
            **{c: (c, "sum") for c in [*COUNTS, "_w", "_wx", "_v"]},
            _lo=("value", "min"),
            _hi=("value", "max"),
            indicator_weight=("indicator_weight", "first"),
            goal_weight=("goal_weight", "first"),
            method=("indicator_method", "first"),
        )
        .reset_index()
    )
    agg["grade_m1"] = m1_letters(agg["_lo"], agg["_hi"])
    agg["grade_m2"] = m2_letters(agg["_v"], agg["n_graded"])
    agg["grade"] = np.where(agg["method"].eq("M1"), agg["grade_m1"], agg["grade_m2"])
    return _finish(agg.drop(columns=["_lo", "_hi", "_v"]))


def roll_up(
    children: pd.DataFrame, by: list[str], weight: str, carry: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The weighted mean of the children that have a score, with their counts summed."""
    frame = _weighted(children, weight)
    agg = (
        frame.groupby(by, sort=False)
        .agg(**{c: (c, "sum") for c in [*COUNTS, "_w", "_wx"]}, **{c: (c, "first") for c in carry})
        .reset_index()
    )
    return _finish(agg)


def _tree(dims: pd.DataFrame, keys: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    indicators = indicator_table(dims, keys)
    goals = roll_up(indicators, [*keys, "goal_id"], "indicator_weight", carry=("goal_weight",))
    overall = roll_up(goals, keys, "goal_weight")
    return indicators, goals, overall


def layer_table(dims: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Law, policy and practice sub-scores of every goal and overall; gap = law − practice."""
    _, goals, overall = _tree(dims, [*keys, "layer"])
    long = pd.concat(
        [
            goals.assign(level="goal", id=goals["goal_id"]),
            overall.assign(level="overall", id="overall"),
        ]
    )
    wide = long.pivot_table(
        index=[*keys, "level", "id"], columns="layer", values="score", aggfunc="first", dropna=False
    )
    wide = wide.reindex(columns=LAYERS).reset_index()
    wide.columns.name = None
    return wide.assign(gap=wide["law"] - wide["practice"])


def score(
    structure: pd.DataFrame,
    answers: pd.DataFrame,
    edition_id: str,
    *,
    recipe: Recipe | None = None,
    weights: dict[str, float] | None = None,
    methods: dict[str, str] | None = None,
    layers: bool = True,
) -> ScoreResult:
    """Score every (country, year) in ``answers`` against ``structure``.

    ``answers`` has ``country, year, dimension_id, grade`` and optionally ``group``; only the
    consensus group is scored. ``weights`` (any node id) and ``methods`` (indicator id) adjust
    the recipe read off the structure; a stored ``recipe`` can be passed to rebuild a score.
    """
    recipe = recipe or Recipe.from_structure(structure, edition_id)
    recipe = recipe.with_options(weights, methods) if (weights or methods) else recipe
    structure = recipe.apply(structure)
    dims = dimension_table(structure, consensus_answers(answers), ASSESSMENT)
    indicators, goals, overall = _tree(dims, ASSESSMENT)
    tag = {"recipe": recipe.fingerprint}
    return ScoreResult(
        dimensions=dims.assign(**tag),
        indicators=indicators.assign(**tag),
        goals=goals.drop(columns="goal_weight").assign(**tag),
        overall=overall.assign(**tag),
        layers=layer_table(dims, ASSESSMENT).assign(**tag) if layers else None,
        recipe=recipe,
    )
