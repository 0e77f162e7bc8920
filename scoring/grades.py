"""Grades and their values, and the PEFA M1 and M2 conversions back to letters."""

from __future__ import annotations

import numpy as np
import pandas as pd

GRADES = ("A", "B", "C", "D", "D*", "NA")
VALUES = {"A": 4, "B": 3, "C": 2, "D": 1, "D*": 1}
# Value of each grade by its position in GRADES; NA has none.
VALUE_BY_CODE = np.array([4, 3, 2, 1, 1, np.nan])
NA_CODE, DSTAR_CODE = GRADES.index("NA"), GRADES.index("D*")
# Indicator grades, best first; a grade's position is 8 − (its value in half steps).
INDICATOR_GRADES = ("A", "B+", "B", "C+", "C", "D+", "D")
CONSENSUS = "consensus"
STRONG_GRADES = ("A", "B")  # grades that should cite evidence


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


def m2_letters(value_sum: np.ndarray, n_graded: np.ndarray) -> pd.Categorical:
    """M2, averaging: the mean value rounded down to the nearest half, in exact integers.

    ``2 × sum // n`` is the mean in half steps, rounded down, with no floating point:
    B, B, C is 8/3 = 2.67 → 5 half steps → C+.
    """
    value_sum, n_graded = np.asarray(value_sum, np.int64), np.asarray(n_graded, np.int64)
    graded = n_graded > 0
    half_steps = np.where(graded, (2 * value_sum) // np.where(graded, n_graded, 1), np.nan)
    return _labels(half_steps)
