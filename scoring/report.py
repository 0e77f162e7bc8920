"""Score results in the shapes of the ``wddf score`` command: nested records and tidy rows."""

from __future__ import annotations

from typing import Any

import pandas as pd

from scoring.engine import ASSESSMENT, ScoreResult

TIDY_COLUMNS = [*ASSESSMENT, "level", "id", "score", "grade_m1", "grade_m2", "coverage"]


def _columns(frame: pd.DataFrame, names: list[str]) -> list[list[Any]]:
    """The named columns as lists of Python values, nulls as ``None`` (built column by column:
    far cheaper than records made row by row)."""
    out = []
    for name in names:
        column = frame[name]
        values = column.tolist()
        if column.hasnans:
            missing = column.isna().tolist()
            values = [None if gone else value for value, gone in zip(values, missing, strict=True)]
        out.append(values)
    return out


def tidy(result: ScoreResult) -> pd.DataFrame:
    """One row per assessment (country, year) and node: overall, goals, indicators."""
    overall = result.overall.assign(level="overall", id="overall")
    goals = result.goals.assign(level="goal").rename(columns={"goal_id": "id"})
    indicators = result.indicators.assign(level="indicator").rename(columns={"indicator_id": "id"})
    rows = pd.concat([overall, goals, indicators], ignore_index=True)
    return rows.reindex(columns=TIDY_COLUMNS).sort_values(list(ASSESSMENT), kind="stable")


def nested(result: ScoreResult) -> list[dict[str, Any]]:
    """One object per (country, year) with its overall score, goals and indicators."""
    out: dict[tuple, dict[str, Any]] = {}
    overall = _columns(result.overall, [*ASSESSMENT, "score", "coverage"])
    for country, year, score, coverage in zip(*overall, strict=True):
        out[(country, int(year))] = {
            "country": country,
            "year": int(year),
            "overall": score,
            "coverage": coverage,
            "goals": {},
            "indicators": {},
        }
    goals = _columns(result.goals, [*ASSESSMENT, "goal_id", "score", "coverage"])
    for country, year, goal_id, score, coverage in zip(*goals, strict=True):
        out[(country, int(year))]["goals"][goal_id] = {"score": score, "coverage": coverage}
    names = [*ASSESSMENT, "indicator_id", "score", "grade_m1", "grade_m2", "coverage"]
    for country, year, indicator_id, score, m1, m2, coverage in zip(
        *_columns(result.indicators, names), strict=True
    ):
        out[(country, int(year))]["indicators"][indicator_id] = {
            "score": score,
            "grade_m1": m1,
            "grade_m2": m2,
            "coverage": coverage,
        }
    return [out[key] for key in sorted(out)]
