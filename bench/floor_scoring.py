"""The floor of the scoring benchmark: one plain pandas pass, importing pandas only, that builds
the same output as ``wddf score --format json``.

Read the answers, map the grades, join the structure, average by indicator, goal and
assessment, and write one JSON object per assessment with its overall score, goals and
indicators. It skips what the library adds: validation, NA and D* rules, coverage, M1/M2
grades. Run as a script (``python bench/floor_scoring.py ANSWERS.csv STRUCTURE.json``) for the
command-level floor, or call :func:`floor_pass` in process.
"""

from __future__ import annotations

import json
import sys

import pandas as pd

GRADE_VALUES = {"A": 4, "B": 3, "C": 2, "D": 1, "D*": 1}
KEYS = ["country", "year"]


def floor_pass(answers_csv: str, structure: pd.DataFrame) -> list[dict]:
    """Scores per assessment, goal and indicator, the plainest way, as nested records."""
    answers = pd.read_csv(answers_csv, dtype={"country": str, "grade": str}, keep_default_na=False)
    values = answers.assign(value=answers.grade.map(GRADE_VALUES))
    rows = values.merge(structure[["dimension_id", "indicator_id", "goal_id"]], on="dimension_id")
    rows = rows.assign(score=(rows.value - 1) / 3 * 100)
    indicators = rows.groupby([*KEYS, "goal_id", "indicator_id"]).score.mean().reset_index()
    goals = indicators.groupby([*KEYS, "goal_id"]).score.mean().reset_index()
    overall = goals.groupby(KEYS).score.mean().reset_index()
    out = {
        (c, int(y)): {"country": c, "year": int(y), "overall": s, "goals": {}, "indicators": {}}
        for c, y, s in zip(overall.country, overall.year, overall.score, strict=True)
    }
    for c, y, g, s in zip(goals.country, goals.year, goals.goal_id, goals.score, strict=True):
        out[(c, int(y))]["goals"][g] = {"score": s}
    for c, y, i, s in zip(
        indicators.country, indicators.year, indicators.indicator_id, indicators.score, strict=True
    ):
        out[(c, int(y))]["indicators"][i] = {"score": s}
    return [out[key] for key in sorted(out)]


if __name__ == "__main__":
    records = floor_pass(sys.argv[1], pd.read_json(sys.argv[2]))
    sys.stdout.write(json.dumps(records, ensure_ascii=False) + "\n")
