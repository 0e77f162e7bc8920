"""Check a long table of answers against a structure before anything is scored.

Every bad row is reported with its line in the source file (the header is line 1), so a
refused file can be fixed in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.grades import CONSENSUS, GRADES

REQUIRED_COLUMNS = ["country", "year", "dimension_id", "grade"]
# The codes of the problems found (the ``answers`` family of the problem catalogue).
CODES = ("missing_column", "missing_country", "bad_year", "unknown_dimension", "bad_grade",
         "na_not_allowed", "duplicate")  # fmt: skip
SHOWS_VALUE = frozenset({"bad_year", "unknown_dimension", "bad_grade", "duplicate"})


@dataclass(frozen=True)
class AnswerProblem:
    """One problem in an answers table: the line, the column, a code of the ``answers`` family
    of the problem catalogue (``wddf/problems.yaml``, whose messages are in English, French and
    Portuguese) and its values. ``where`` says ``line 7, grade``."""

    line: int
    column: str
    code: str
    params: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"{self.code!r} is not a code of answers problems")

    @property
    def where(self) -> str:
        return f"line {self.line}, {self.column}"


def _rows(mask: pd.Series, frame: pd.DataFrame, column: str, code: str) -> list[AnswerProblem]:
    """One problem per flagged row, naming what the row holds in ``column`` where the message
    shows it (``SHOWS_VALUE``)."""
    flagged = frame.loc[mask, ["_line", column]]
    return [
        AnswerProblem(int(line), column, code, {"value": value} if code in SHOWS_VALUE else {})
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
        return None, [AnswerProblem(1, c, "missing_column") for c in missing]
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
        _rows(text["country"].eq("").to_numpy(bool), frame, "country", "missing_country")
        + _rows(~year_ok, frame, "year", "bad_year")
        + _rows(~known, frame, "dimension_id", "unknown_dimension")
        + _rows(~grade_ok, frame, "grade", "bad_grade")
        + _rows(na_refused, frame, "grade", "na_not_allowed")
        + _rows(duplicate, frame, "dimension_id", "duplicate")
    )
    if problems:
        return None, sorted(problems, key=lambda p: (p.line, p.column))
    clean = frame.drop(columns="_line").astype({c: object for c in frame.columns if c != "_line"})
    return clean.assign(year=text["year"].astype(int).to_numpy()), []
