"""The floor of the scoring benchmark: one plain pandas pass, importing pandas only.

Read the answers, map the grades, join the structure, group by indicator and by goal.
Run as a script (``python bench/floor_scoring.py ANSWERS.csv STRUCTURE.json``) for the
command-level floor, or call :func:`floor_pass` in process.
"""

from __future__ import annotations

import sys

import pandas as pd

GRADE_VALUES = {"A": 4, "B": 3, "C": 2, "D": 1, "D*": 1}


def floor_pass(answers_csv: str, structure: pd.DataFrame) -> pd.Series:
    """Goal means per (country, year) from indicator means, the plainest way."""
    answers = pd.read_csv(answers_csv, dtype=str, keep_default_na=False)
    values = answers.assign(value=answers.grade.map(GRADE_VALUES))
    rows = values.merge(structure, on="dimension_id")
    rows = rows.assign(score=(rows.value - 1) / 3 * 100)
    keys = ["country", "year", "goal_id", "indicator_id"]
    indicators = rows.groupby(keys).score.mean().reset_index()
    return indicators.groupby(["country", "year", "goal_id"]).score.mean()


if __name__ == "__main__":
    print(len(floor_pass(sys.argv[1], pd.read_json(sys.argv[2]))))
