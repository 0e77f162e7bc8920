"""Grades and their order, and the PEFA M1 and M2 conversions back to letters.

``VALUES`` is a grade's rank (A = 4 … D = 1): the indicator grades follow PEFA's letter tables,
which depend on the grades' order alone. The points a grade is worth in the 0–100 scores are the
recipe's ``grade_values`` (``scoring.recipe``), by default equal to these ranks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.pefa_m2 import M2_TABLES, PEFA_M2_RULE

GRADES = ("A", "B", "C", "D", "D*", "NA")
VALUES = {"A": 4, "B": 3, "C": 2, "D": 1, "D*": 1}
# Value of each grade by its position in GRADES; NA has none.
VALUE_BY_CODE = np.array([4, 3, 2, 1, 1, np.nan])
NA_CODE, DSTAR_CODE = GRADES.index("NA"), GRADES.index("D*")
# Indicator grades, best first; a grade's position is 8 − (its value in half steps).
INDICATOR_GRADES = ("A", "B+", "B", "C+", "C", "D+", "D")
CONSENSUS = "consensus"
STRONG_GRADES = ("A", "B")  # grades that should cite evidence
WEAK_GRADES = ("C", "D", "D*")  # the share of these is a goal's weakness


def grade_codes(grades: pd.Series) -> np.ndarray:
    """Position of each grade in GRADES; −1 for anything else (or nothing)."""
    return pd.Categorical(grades, categories=list(GRADES)).codes


def _labels(half_steps: np.ndarray) -> pd.Categorical:
    """Indicator grades from values in half steps (8 → A … 2 → D); NaN → null."""
    valid = ~np.isnan(half_steps)
    codes = np.where(valid, 8 - np.nan_to_num(half_steps, nan=8), -1).astype(np.int8)
    return pd.Categorical.from_codes(codes, categories=list(INDICATOR_GRADES))


def m1_letters(lowest: np.ndarray, highest: np.ndarray) -> pd.Categorical:
    """M1, weakest link: the lowest grade, with "+" when any other grade is higher."""
    lowest, highest = np.asarray(lowest, float), np.asarray(highest, float)
    return _labels(2 * lowest + (highest > lowest))


M2_RULES = (*M2_TABLES, "conservative")


def _half_steps_of(table: dict[str, str]) -> np.ndarray:
    """A conversion table as an array: [number of grades, sum of their ranks] → half steps (−1
    where the table says nothing). Every combination with the same count and sum has the same
    grade in PEFA's tables; a table that broke this would be refused here."""
    lookup = np.full((5, 17), -1, dtype=np.int64)
    for grades, letter in table.items():
        n, total = len(grades), sum(VALUES[g] for g in grades)
        half_steps = 8 - INDICATOR_GRADES.index(letter)
        if lookup[n, total] not in (-1, half_steps):
            raise ValueError(f"PEFA M2 table: {grades} disagrees with another row of its sum")
        lookup[n, total] = half_steps
    return lookup


HALF_STEPS = {rule: _half_steps_of(table) for rule, table in M2_TABLES.items()}


def m2_letters(
    value_sum: np.ndarray, n_graded: np.ndarray, rule: str = PEFA_M2_RULE
) -> pd.Categorical:
    """M2, averaging, from the sum of the grades' ranks and how many there are.

    ``conservative``: the mean rounded down to the nearest half, in exact integers: ``2 × sum //
    n`` half steps, so B, B, C is 8/3 = 2.67 → 5 half steps → C+. ``pefa_2016``: PEFA's printed
    table for 2, 3 and 4 grades (``scoring/pefa_m2.yaml``); ``pefa``, the superseded table the
    tool used before, kept to rebuild scores stored with it. Beyond four grades, where PEFA has
    no table (an edition may not average more), the conservative rule.
    """
    value_sum, n_graded = np.asarray(value_sum, np.int64), np.asarray(n_graded, np.int64)
    if rule not in M2_RULES:
        raise ValueError(f"M2 rule must be one of {M2_RULES}, not {rule!r}")
    graded = n_graded > 0
    half_steps = (2 * value_sum) // np.where(graded, n_graded, 1)
    if rule in HALF_STEPS:
        in_table = graded & (n_graded >= 2) & (n_graded <= 4)
        looked_up = HALF_STEPS[rule][np.where(in_table, n_graded, 0), np.clip(value_sum, 0, 16)]
        half_steps = np.where(in_table, looked_up, half_steps)
    return _labels(np.where(graded, half_steps, np.nan))
