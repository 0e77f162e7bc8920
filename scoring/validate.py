"""Check a long table of answers against a structure before anything is scored.

Every bad row is reported with its line in the source file (the header is line 1), so a
refused file can be fixed in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.grades import CONSENSUS, GRADES

REQUIRED_COLUMNS = ["country", "year", "dimension_id", "grade"]


@dataclass(frozen=True)
class AnswerProblem:
    """One problem in an answers table: the line, the column, and what is wrong."""

    line: int
    column: str
    message: str

    def format(self) -> str:
        """``line 7, grade: 'E' is not one of A B C D D* NA``."""
        return f"line {self.line}, {self.column}: {self.message}"


def _rows(mask: pd.Series, frame: pd.DataFrame, column: str, message: str) -> list[AnswerProblem]:
    """One problem per flagged row, with ``{value}`` filled from ``column``."""
    flagged = frame.loc[mask, ["_line", column]]
    return [
        AnswerProblem(int(line), column, message.format(value=value))
        for line, value in flagged.itertuples(index=False, name=None)
    ]


def check_answers(
    answers: pd.DataFrame, structure: pd.DataFrame
) -> tuple[pd.DataFrame | None, list[AnswerProblem]]:
    """Validate ``answers`` (read as text) and return them ready to score, or every problem.

    Refused: a missing column, a year that is not a whole number, a grade outside
    ``A B C D D* NA``, an unknown dimension id, NA where the dimension does not allow it,
    and the same (country, year, dimension, group) given twice. Values are stripped of spaces.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in answers.columns]
    if missing:
        return None, [AnswerProblem(1, c, "missing column") for c in missing]
    text = {c: answers[c].astype("string").fillna("").str.strip() for c in REQUIRED_COLUMNS}
    group = answers["group"].astype("string").fillna("").str.strip() if "group" in answers else None
    group = group.mask(group.eq(""), CONSENSUS) if group is not None else None
    frame = pd.DataFrame(text | ({"group": group} if group is not None else {}))
    frame["_line"] = np.arange(2, len(frame) + 2)
    year_ok = text["year"].str.fullmatch(r"\d{4}").fillna(False).to_numpy(bool)
    grade_ok = text["grade"].isin(GRADES).to_numpy(bool)
    known = text["dimension_id"].isin(structure["dimension_id"]).to_numpy(bool)
    na_ids = structure.loc[structure["na_allowed"].astype(bool), "dimension_id"]
    na_ok = text["dimension_id"].isin(na_ids).to_numpy(bool)
    na_refused = text["grade"].eq("NA").to_numpy(bool) & known & ~na_ok
    keys = ["country", "year", "dimension_id", *(["group"] if group is not None else [])]
    duplicate = frame.duplicated(keys, keep="first").to_numpy(bool)
    problems = (
        _rows(text["country"].eq("").to_numpy(bool), frame, "country", "missing country")
        + _rows(~year_ok, frame, "year", "{value!r} is not a year")
        + _rows(~known, frame, "dimension_id", "unknown dimension {value!r}")
        + _rows(~grade_ok, frame, "grade", "{value!r} is not one of A B C D D* NA")
        + _rows(na_refused, frame, "grade", "NA is not allowed for this dimension")
        + _rows(duplicate, frame, "dimension_id", "{value!r} is given twice for this assessment")
    )
    if problems:
        return None, sorted(problems, key=lambda p: (p.line, p.column))
    clean = frame.drop(columns="_line").astype({c: object for c in frame.columns if c != "_line"})
    return clean.assign(year=text["year"].astype(int).to_numpy()), []
