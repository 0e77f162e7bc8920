"""Score results in the shapes of the ``wddf score`` command: nested records and tidy rows."""

from __future__ import annotations

from typing import Any

import pandas as pd

from scoring.engine import ASSESSMENT, ScoreResult

TIDY_COLUMNS = [*ASSESSMENT, "level", "id", "score", "grade_m1", "grade_m2", "coverage"]


def _plain(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Records with nulls as ``None`` and numpy scalars as Python ones."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def tidy(result: ScoreResult) -> pd.DataFrame:
    """One row per assessment and node: overall, goals, indicators."""
    overall = result.overall.assign(level="overall", id="overall")
    goals = result.goals.assign(level="goal").rename(columns={"goal_id": "id"})
    indicators = result.indicators.assign(level="indicator").rename(columns={"indicator_id": "id"})
    rows = pd.concat([overall, goals, indicators], ignore_index=True)
    return rows.reindex(columns=TIDY_COLUMNS).sort_values(ASSESSMENT, kind="stable")


def nested(result: ScoreResult) -> list[dict[str, Any]]:
    """One object per (country, year) with its overall score, goals and indicators."""
    out: dict[tuple, dict[str, Any]] = {}
    for row in _plain(result.overall):
        key = (row["country"], int(row["year"]))
        out[key] = {"country": key[0], "year": key[1], "overall": row["score"],
                    "coverage": row["coverage"], "goals": {}, "indicators": {}}  # fmt: skip
    for row in _plain(result.goals):
        out[(row["country"], int(row["year"]))]["goals"][row["goal_id"]] = {
            "score": row["score"], "coverage": row["coverage"],
        }  # fmt: skip
    for row in _plain(result.indicators):
        out[(row["country"], int(row["year"]))]["indicators"][row["indicator_id"]] = {
            "score": row["score"], "grade_m1": row["grade_m1"],
            "grade_m2": row["grade_m2"], "coverage": row["coverage"],
        }  # fmt: skip
    return [out[key] for key in sorted(out)]
