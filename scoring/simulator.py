"""The reform simulator: scores before and after a change of grades or weights, and every
one-step reform ranked by its effect. Each candidate is one pseudo-assessment, keyed by
``variant``, of a single ``score()`` call.

Pure pandas, no I/O, no charts: every figure a page draws comes from ``scoring/``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.change import change
from scoring.engine import score

# The next grade up, for the reform simulator; D* (no information) becomes C once documented.
ONE_STEP_UP = {"B": "A", "C": "B", "D": "C", "D*": "C"}


SIMULATION_COLUMNS = ["level", "id", "comparability", "score_before", "score_after", "delta",
                      "direction"]  # fmt: skip


REFORM_COLUMNS = ["dimension_id", "grade", "new_grade", "goal_id", "overall_delta", "goal_delta"]


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
