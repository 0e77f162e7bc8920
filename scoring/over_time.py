"""A country's progress: the steps from one assessment to the next across editions, and each
dimension's change explained.

Pure pandas, no I/O, no charts: every figure a page draws comes from ``scoring/``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.change import overall_change
from scoring.engine import ScoreResult


def edition_steps(
    assessments: pd.DataFrame, results: dict[int, ScoreResult], continuity: dict[str, pd.DataFrame]
) -> pd.DataFrame:
    """One row per assessment of a country in year order: its overall score and coverage, and
    how it compares with the one before (``full``, ``partial`` or ``none`` when the edition
    changed). ``results`` maps assessment id to its score; ``continuity`` maps an edition to its
    continuity table."""
    rows = []
    previous = None
    for item in assessments.sort_values("year").itertuples():
        result = results[item.assessment_id]
        overall = result.overall.iloc[0]
        comparability, delta = None, None
        if previous is not None:
            comparability, delta = overall_change(
                results[previous.assessment_id], result, continuity.get(item.edition_id)
            )
        rows.append(
            {
                "year": item.year,
                "edition_id": item.edition_id,
                "edition_changed": previous is not None and previous.edition_id != item.edition_id,
                "comparability": comparability,
                "score": overall["score"],
                "coverage": overall["coverage"],
                "delta": delta,
            }
        )
        previous = item
    columns = ["year", "edition_id", "edition_changed", "comparability", "score", "coverage"]
    steps = pd.DataFrame(rows, columns=[*columns, "delta"])
    return steps.astype({"score": float, "coverage": float, "delta": float})


# What ``explain_changes`` returns for each dimension (after any key columns).
EXPLAINED_COLUMNS = [
    "dimension_id",
    "previous_dimension_id",
    "grade_before",
    "grade",
    "delta",
    "direction",
    "comparability",
    "reason",
]


def explain_changes(
    steps: pd.DataFrame,
    before: pd.DataFrame,
    after: pd.DataFrame,
    edition_changed: bool,
    keys: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Each dimension's change between two assessments, with why.

    ``steps`` is the dimension rows of ``scoring.change.change``; ``before`` and ``after`` are the
    answers (``dimension_id, grade, evidence``). Each dimension is compared with the answer of
    ``previous_dimension_id`` (itself within an edition; across editions, the one it continues).
    With ``keys`` (such as ``assessment_id``), the three tables hold many pairs of assessments at
    once, told apart by those columns. ``reason`` is one of ``edition`` (the edition changed and
    the dimension does not fully carry over), ``na`` (it became or stopped being NA),
    ``new_evidence`` (the grade moved and the evidence cited changed), ``same_evidence`` (the
    grade moved with the same evidence), or ``none`` (no grade change). ``direction`` is
    ``improved``, ``declined``, ``unchanged``, ``not_comparable`` or ``not_graded``.
    """
    on = [*keys, "dimension_id"]
    columns = [*keys, "id", "previous_dimension_id", "comparability", "delta", "direction"]
    dims = steps.loc[steps["level"].eq("dimension"), columns].rename(columns={"id": "dimension_id"})
    answers = [*on, "grade", "evidence"]
    earlier = before[answers].set_axis(
        [*keys, "previous_dimension_id", "grade_before", "evidence_before"], axis=1
    )
    out = dims.merge(after[answers], on=on, how="left").merge(
        earlier, on=[*keys, "previous_dimension_id"], how="left"
    )
    was_na, is_na = out["grade_before"].eq("NA"), out["grade"].eq("NA")
    moved = out["grade"].fillna("") != out["grade_before"].fillna("")
    new_evidence = plain_text(out["evidence"]) != plain_text(out["evidence_before"])
    out["direction"] = (
        out["direction"].fillna("not_graded").replace({"not comparable": "not_comparable"})
    )
    out["reason"] = np.select(
        [
            out["comparability"].ne("full") & edition_changed,
            was_na != is_na,
            moved & new_evidence,
            moved,
        ],
        ["edition", "na", "new_evidence", "same_evidence"],
        default="none",
    )
    return out[[*keys, *EXPLAINED_COLUMNS]]


def plain_text(column: pd.Series) -> pd.Series:
    """Free text, stripped, with blanks for missing values (works on empty columns too)."""
    return column.fillna("").astype(str).str.strip()
