"""Checks of one assessment: consistency flags against the previous one, the gaps below a
target grade, and last year's plan against this year's grades.

Pure pandas, no I/O, no charts: every figure a page draws comes from ``scoring/``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.grades import STRONG_GRADES, VALUES
from scoring.over_time import plain_text


def consistency_flags(answers: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """What a reviewer should look at in one assessment's answers.

    ``strong_no_evidence``: A or B with no evidence reference. ``jump_no_new_evidence``: two
    grades or more from last time, with the same evidence. ``na_no_reason``: NA with no
    justification. ``answers`` and ``previous`` have ``dimension_id, grade, justification,
    evidence``.
    """
    current = answers.assign(
        evidence=plain_text(answers["evidence"]),
        justification=plain_text(answers["justification"]),
    )
    flags = [
        current[current["grade"].isin(STRONG_GRADES) & current["evidence"].eq("")].assign(
            flag="strong_no_evidence"
        ),
        current[current["grade"].eq("NA") & current["justification"].eq("")].assign(
            flag="na_no_reason"
        ),
    ]
    if previous is not None and len(previous):
        before = previous[["dimension_id", "grade", "evidence"]].rename(
            columns={"grade": "grade_before", "evidence": "evidence_before"}
        )
        both = current.merge(before, on="dimension_id")
        jump = (
            both["grade"].map(VALUES).astype(float) - both["grade_before"].map(VALUES).astype(float)
        ).abs()
        same = both["evidence"].eq(plain_text(both["evidence_before"]))
        flags.append(both[(jump >= 2) & same].assign(flag="jump_no_new_evidence"))
    out = pd.concat(flags, ignore_index=True)
    if "grade_before" not in out.columns:
        out["grade_before"] = None
    return out[["dimension_id", "flag", "grade", "grade_before", "evidence"]]


def gaps(dimensions: pd.DataFrame, target: str) -> pd.DataFrame:
    """Dimensions of one assessment graded below ``target`` (D* always is), weakest first."""
    below = dimensions[dimensions["value"].notna() & (dimensions["value"] < VALUES[target])]
    return below.sort_values("value", kind="stable", ignore_index=True)


def plan_check(actions: pd.DataFrame, dimensions: pd.DataFrame) -> pd.DataFrame:
    """Last year's action plan against this year's grades: for each item, the grade reached and
    whether its target is met (``met``, ``not_met``, or ``no_grade`` when not graded)."""
    grades = dimensions[["dimension_id", "grade"]].astype({"dimension_id": object, "grade": object})
    out = actions.merge(
        grades.rename(columns={"grade": "grade_now"}), on="dimension_id", how="left"
    )
    reached = out["grade_now"].map(VALUES).astype(float)
    wanted = out["target_grade"].map(VALUES).astype(float)
    out["outcome"] = np.select(
        [reached.isna(), wanted.isna() | (reached >= wanted)], ["no_grade", "met"], "not_met"
    )
    return out
