"""Grades and their values, and the PEFA M1 and M2 conversions back to letters."""

from __future__ import annotations

import numpy as np
import pandas as pd

GRADES = ("A", "B", "C", "D", "D*", "NA")
VALUES = {"A": 4, "B": 3, "C": 2, "D": 1, "D*": 1}
LETTERS = {4: "A", 3: "B", 2: "C", 1: "D"}
# M2 in half steps (2 × mean, rounded down): 8 → A, 7 → B+, … 2 → D.
HALF_STEP_LETTERS = {8: "A", 7: "B+", 6: "B", 5: "C+", 4: "C", 3: "D+", 2: "D"}
CONSENSUS = "consensus"


def dimension_score(values: pd.Series) -> pd.Series:
    """A dimension's 0–100 score: (value − 1) / 3 × 100; null stays null."""
    return (values - 1) / 3 * 100


def m1_letters(lowest: pd.Series, highest: pd.Series) -> pd.Series:
    """M1, weakest link: the lowest grade, with "+" when any other grade is higher."""
    letter = lowest.map(LETTERS)
    plus = np.where(highest > lowest, "+", "")
    return letter.where(letter.isna(), letter.astype(object) + plus)


def m2_letters(value_sum: pd.Series, n_graded: pd.Series) -> pd.Series:
    """M2, averaging: the mean value rounded down to the nearest half, in exact integers.

    ``2 × sum // n`` is the mean in half steps, rounded down, with no floating point:
    B, B, C is 8/3 = 2.67 → 5 half steps → C+.
    """
    graded = n_graded > 0
    half_steps = pd.Series(pd.NA, index=value_sum.index, dtype="Int64")
    half_steps[graded] = (2 * value_sum[graded].astype("int64")) // n_graded[graded].astype("int64")
    return half_steps.map(HALF_STEP_LETTERS, na_action="ignore").astype(object)
