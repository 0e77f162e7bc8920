"""Score assessments up the tree: dimension → indicator → goal → overall.

All assessments are scored at once on an (assessment × dimension) grid: sums per indicator and
per goal are ``numpy.add.reduceat`` over contiguous blocks of the tree, so there is no Python
loop per assessment or per row. The method is described in ``scoring/METHOD.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.grades import (
    CONSENSUS,
    DSTAR_CODE,
    GRADES,
    NA_CODE,
    VALUE_BY_CODE,
    grade_codes,
    m1_letters,
    m2_letters,
)
from scoring.recipe import Recipe

# What names an assessment when the caller says nothing else: the ``wddf score`` command's
# answers file. The app names each assessment by its id (``keys=("assessment_id",)``).
ASSESSMENT = ("country", "year")
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
    keys: tuple[str, ...] = ASSESSMENT  # the columns that name an assessment in every table


@dataclass(frozen=True)
class _Tree:
    """The structure as arrays, dimensions ordered so each indicator and goal is one block."""

    table: pd.DataFrame
    indicators: pd.DataFrame  # one row per indicator, in block order
    goals: pd.DataFrame  # one row per goal, in block order
    dim_starts: np.ndarray  # first dimension of each indicator
    ind_starts: np.ndarray  # first indicator of each goal

    @classmethod
    def build(cls, structure: pd.DataFrame) -> _Tree:
        goal_order = pd.factorize(structure["goal_id"])[0]
        ind_order = pd.factorize(structure["indicator_id"])[0]
        order = np.lexsort((np.arange(len(structure)), ind_order, goal_order))
        table = structure.iloc[order].reset_index(drop=True)
        first_of_ind = ~table["indicator_id"].duplicated().to_numpy()
        indicators = table[first_of_ind].reset_index(drop=True)
        first_of_goal = ~indicators["goal_id"].duplicated().to_numpy()
        return cls(
            table=table,
            indicators=indicators,
            goals=indicators[first_of_goal].reset_index(drop=True),
            dim_starts=np.flatnonzero(first_of_ind),
            ind_starts=np.flatnonzero(first_of_goal),
        )


@dataclass(frozen=True)
class _Grid:
    """Answers laid on an (assessment × dimension) grid; ungraded cells are NaN."""

    keys: pd.DataFrame  # one row per assessment: its key columns
    grade: np.ndarray  # int8 position in GRADES, −1 where not answered
    value: np.ndarray  # float rank (A 4 … D 1), NaN where not graded (NA or not answered)
    points: np.ndarray  # float score 0–100 by the recipe's grade values, NaN where not graded
    na: np.ndarray  # bool
    dstar: np.ndarray  # bool


def consensus_answers(answers: pd.DataFrame) -> pd.DataFrame:
    """The answers that are scored: the ``consensus`` group (all rows when there is no group)."""
    if "group" not in answers.columns:
        return answers
    return answers[answers["group"].fillna(CONSENSUS).eq(CONSENSUS)]


def _assessment_codes(
    answers: pd.DataFrame, keys: tuple[str, ...]
) -> tuple[np.ndarray, pd.DataFrame]:
    """A code per answer for its assessment (its ``keys`` columns), sorted; and the assessments in
    code order, one row each."""
    combined = np.zeros(len(answers), dtype=np.int64)
    levels = []
    for name in keys:
        codes, uniques = pd.factorize(answers[name], sort=True)
        size = max(len(uniques), 1)
        combined = combined * size + codes
        levels.append((name, np.asarray(uniques), size))
    unique, codes = np.unique(combined, return_inverse=True)
    columns, rest = {}, unique
    for name, uniques, size in reversed(levels):
        columns[name] = uniques[rest % size]
        rest = rest // size
    return codes, pd.DataFrame({name: columns[name] for name in keys})


def _grid(tree: _Tree, answers: pd.DataFrame, recipe: Recipe, keys: tuple[str, ...]) -> _Grid:
    codes, keys = _assessment_codes(answers, keys)
    dims = pd.Categorical(answers["dimension_id"], categories=tree.table["dimension_id"]).codes
    if (dims < 0).any():
        unknown = sorted(set(answers["dimension_id"][dims < 0]))
        raise ValueError(f"answers name dimensions not in the structure: {unknown[:10]}")
    given = grade_codes(answers["grade"])
    if (given < 0).any():
        raise ValueError(f"grades must be one of {' '.join(GRADES)}")
    n_dims = len(tree.table)
    flat = codes * n_dims + dims
    if np.bincount(flat).max(initial=0) > 1:
        raise ValueError("an assessment gives the same dimension twice")
    grade = np.full((len(keys), n_dims), -1, dtype=np.int8)
    grade.flat[flat] = given
    value = np.where(grade >= 0, VALUE_BY_CODE[grade], np.nan)
    points_of = recipe.points()
    points_by_code = np.array([points_of.get(g, np.nan) for g in GRADES])
    points = np.where(grade >= 0, points_by_code[grade], np.nan)
    return _Grid(keys, grade, value, points, grade == NA_CODE, grade == DSTAR_CODE)


def _mean(weight: np.ndarray, score: np.ndarray, starts: np.ndarray | None) -> tuple:
    """Weighted mean of the scored cells per block (or per row when ``starts`` is None)."""
    w = np.where(np.isnan(score), 0.0, weight)
    wx = w * np.nan_to_num(score)
    total_w = np.add.reduceat(w, starts, axis=1) if starts is not None else w.sum(axis=1)
    total_wx = np.add.reduceat(wx, starts, axis=1) if starts is not None else wx.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total_w > 0, total_wx / np.where(total_w > 0, total_w, 1), np.nan)


def _block_sum(counts: np.ndarray, starts: np.ndarray | None) -> np.ndarray:
    return np.add.reduceat(counts, starts, axis=1) if starts is not None else counts.sum(axis=1)


def _aggregate(tree: _Tree, grid: _Grid, mask: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """Scores and counts of every indicator, goal and overall, over the dimensions in ``mask``."""
    value = np.where(mask, grid.value, np.nan)
    dim_score = np.where(mask, grid.points, np.nan)
    counts = {
        "n_applicable": (mask & ~grid.na).astype(int),
        "n_graded": (~np.isnan(value)).astype(int),
        "n_dstar": (mask & grid.dstar).astype(int),
        "n_na": (mask & grid.na).astype(int),
    }
    ind = {k: _block_sum(v, tree.dim_starts) for k, v in counts.items()}
    ind["score"] = _mean(tree.table["dimension_weight"].to_numpy(float), dim_score, tree.dim_starts)
    with np.errstate(invalid="ignore"):
        ind["lowest"] = np.fmin.reduceat(value, tree.dim_starts, axis=1)
        ind["highest"] = np.fmax.reduceat(value, tree.dim_starts, axis=1)
    ind["value_sum"] = _block_sum(np.nan_to_num(value).astype(int), tree.dim_starts)
    goal = {k: _block_sum(ind[k], tree.ind_starts) for k in COUNTS}
    goal["score"] = _mean(
        tree.indicators["indicator_weight"].to_numpy(float), ind["score"], tree.ind_starts
    )
    overall = {k: goal[k].sum(axis=1) for k in COUNTS}
    overall["score"] = _mean(tree.goals["goal_weight"].to_numpy(float), goal["score"], None)
    return {"indicator": ind, "goal": goal, "overall": overall}


def _frame(
    keys: pd.DataFrame, nodes: pd.DataFrame | None, columns: dict[str, np.ndarray]
) -> pd.DataFrame:
    """A long table: each assessment repeated per node, with the (assessment × node) columns."""
    n_nodes = 1 if nodes is None else len(nodes)
    out = {k: _repeat(keys[k], n_nodes, np.repeat) for k in keys.columns}
    if nodes is not None:
        out |= {k: _repeat(nodes[k], len(keys), np.tile) for k in nodes.columns}
    out |= {k: np.asarray(v).ravel() for k, v in columns.items()}
    return pd.DataFrame(out)


def _repeat(column: pd.Series, times: int, how) -> np.ndarray | pd.Categorical:
    """Repeat or tile a column; text becomes a categorical, so ids are not copied per row."""
    if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        return how(column.to_numpy(), times)
    codes, labels = pd.factorize(column)
    return pd.Categorical.from_codes(how(codes, times), categories=labels.astype(object))


def _with_coverage(frame: pd.DataFrame) -> pd.DataFrame:
    """Coverage = graded / applicable dimensions; null where nothing is applicable."""
    applicable = frame["n_applicable"].to_numpy()
    graded = frame["n_graded"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        return frame.assign(coverage=np.where(applicable > 0, graded / applicable, np.nan))


def _indicator_frame(
    tree: _Tree, keys: pd.DataFrame, ind: dict[str, np.ndarray], m2_rule: str
) -> pd.DataFrame:
    nodes = tree.indicators[
        ["goal_id", "indicator_id", "indicator_weight", "goal_weight", "indicator_method"]
    ]
    columns = {k: ind[k] for k in [*COUNTS, "score"]}
    frame = _with_coverage(
        _frame(keys, nodes.rename(columns={"indicator_method": "method"}), columns)
    )
    frame["grade_m1"] = m1_letters(
        pd.Series(ind["lowest"].ravel()), pd.Series(ind["highest"].ravel())
    )
    frame["grade_m2"] = m2_letters(ind["value_sum"].ravel(), frame["n_graded"], m2_rule)
    frame["grade"] = frame["grade_m1"].where(frame["method"].eq("M1"), frame["grade_m2"])
    # PEFA has no partial grade: one made while applicable dimensions wait is provisional
    frame["provisional"] = frame["n_graded"].gt(0) & frame["n_graded"].lt(frame["n_applicable"])
    return frame


def _dimension_frame(tree: _Tree, grid: _Grid) -> pd.DataFrame:
    nodes = tree.table[["goal_id", "indicator_id", "dimension_id", "layer", "dimension_weight"]]
    frame = _frame(
        grid.keys,
        nodes,
        {
            "grade": pd.Categorical.from_codes(grid.grade.ravel(), categories=list(GRADES)),
            "value": grid.value,
            "score": grid.points,
            "n_applicable": (~grid.na).astype(int),
            "n_graded": (~np.isnan(grid.value)).astype(int),
            "n_dstar": grid.dstar.astype(int),
            "n_na": grid.na.astype(int),
        },
    )
    return frame


def _layer_frame(tree: _Tree, grid: _Grid) -> pd.DataFrame:
    """Law, policy and practice sub-scores of every goal and overall; gap = law − practice."""
    layer = tree.table["layer"].to_numpy()
    per_layer = {name: _aggregate(tree, grid, (layer == name)[None, :]) for name in LAYERS}
    goal_ids = tree.goals[["goal_id"]].rename(columns={"goal_id": "id"})
    goals = _frame(grid.keys, goal_ids, {n: per_layer[n]["goal"]["score"] for n in LAYERS})
    overall = _frame(grid.keys, None, {n: per_layer[n]["overall"]["score"] for n in LAYERS})
    n_keys = len(grid.keys.columns)
    goals.insert(n_keys, "level", "goal")
    overall.insert(n_keys, "level", "overall")
    overall.insert(n_keys + 1, "id", "overall")
    frame = pd.concat([goals, overall], ignore_index=True)
    return frame.assign(gap=frame["law"] - frame["practice"])


def score(
    structure: pd.DataFrame,
    answers: pd.DataFrame,
    edition_id: str,
    *,
    recipe: Recipe | None = None,
    weights: dict[str, float] | None = None,
    methods: dict[str, str] | None = None,
    m2_rule: str | None = None,
    layers: bool = True,
    keys: tuple[str, ...] = ASSESSMENT,
) -> ScoreResult:
    """Score every assessment in ``answers`` against ``structure``.

    ``answers`` has the ``keys`` columns that name an assessment (by default ``country, year``),
    ``dimension_id, grade`` and optionally ``group``; only the consensus group is scored. Every
    table of the result starts with the ``keys`` columns. ``weights`` (any node id), ``methods``
    (indicator id) and ``m2_rule`` adjust the recipe read off the structure; a stored ``recipe``
    can be passed to rebuild a score.
    """
    recipe = recipe or Recipe.from_structure(structure, edition_id)
    if weights or methods or m2_rule:
        recipe = recipe.with_options(weights, methods, m2_rule)
    tree = _Tree.build(recipe.apply(structure))
    keys = tuple(keys)
    grid = _grid(tree, consensus_answers(answers), recipe, keys)
    levels = _aggregate(tree, grid, np.ones((1, len(tree.table)), bool))
    tag = {"recipe": recipe.fingerprint}
    columns = [*COUNTS, "score"]
    goals = _with_coverage(
        _frame(grid.keys, tree.goals[["goal_id"]], {k: levels["goal"][k] for k in columns})
    )
    overall = _with_coverage(_frame(grid.keys, None, {k: levels["overall"][k] for k in columns}))
    return ScoreResult(
        dimensions=_dimension_frame(tree, grid).assign(**tag),
        indicators=_indicator_frame(tree, grid.keys, levels["indicator"], recipe.m2_rule).assign(
            **tag
        ),
        goals=goals.assign(**tag),
        overall=overall.assign(**tag),
        layers=_layer_frame(tree, grid).assign(**tag) if layers else None,
        recipe=recipe,
        keys=keys,
    )
