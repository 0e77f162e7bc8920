"""The scoring method of DESIGN.md written plainly with exact fractions, independent of the
engine: tests compare the engine, and every figure the app shows, against it."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from scoring.pefa_m2 import PEFA_M2_TABLE

VALUE = {"A": 4, "B": 3, "C": 2, "D": 1, "D*": 1}
LETTER = {4: "A", 3: "B", 2: "C", 1: "D"}
HALF = {8: "A", 7: "B+", 6: "B", 5: "C+", 4: "C", 3: "D+", 2: "D"}


def pefa_m2(values: list[int]) -> str:
    """PEFA's M2 grade of the ranks ``values`` (A 4 … D 1): the cell of its printed table for
    these grades (2 to 4 of them), else the mean rounded down to a half grade."""
    if 2 <= len(values) <= 4:
        return PEFA_M2_TABLE["".join(sorted(LETTER[v] for v in values))]
    return HALF[2 * sum(values) // len(values)]


def weighted_mean(pairs):
    """The weighted mean of (weight, value) pairs; None when there is nothing to weigh."""
    total = sum(w for w, _ in pairs)
    return sum(w * s for w, s in pairs) / total if pairs and total > 0 else None


def reference(structure: pd.DataFrame, grades: dict[str, str]) -> dict:
    """The method of DESIGN.md, written plainly with exact fractions."""
    out = {"indicators": {}, "goals": {}}
    goal_pairs: dict[str, list] = {}
    for ind_id, dims in structure.groupby("indicator_id", sort=False):
        graded = [
            (Fraction(int(r.dimension_weight)), VALUE[grades[r.dimension_id]])
            for r in dims.itertuples()
            if grades.get(r.dimension_id) in VALUE
        ]
        s = weighted_mean([(w, Fraction(v - 1, 3) * 100) for w, v in graded])
        values = [v for _, v in graded]
        m1 = LETTER[min(values)] + ("+" if max(values) > min(values) else "") if values else None
        m2 = pefa_m2(values) if values else None
        out["indicators"][ind_id] = (s, m1, m2)
        if s is not None:
            goal_pairs.setdefault(dims.goal_id.iloc[0], []).append(
                (Fraction(int(dims.indicator_weight.iloc[0])), s)
            )
    overall_pairs = []
    for goal_id, goal in structure.groupby("goal_id", sort=False):
        s = weighted_mean(goal_pairs.get(goal_id, []))
        out["goals"][goal_id] = s
        if s is not None:
            overall_pairs.append((Fraction(int(goal.goal_weight.iloc[0])), s))
    out["overall"] = weighted_mean(overall_pairs)
    return out


def close(engine_value, exact) -> bool:
    """Whether the engine's float equals the exact value (both missing counts as equal)."""
    if exact is None:
        return pd.isna(engine_value)
    return not pd.isna(engine_value) and abs(float(engine_value) - float(exact)) < 1e-9
