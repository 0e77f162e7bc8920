"""Check a long table of answers against a structure before anything is scored.

Every bad row is reported with its line in the source file (the header is line 1), so a
refused file can be fixed in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def validate_answers(answers: pd.DataFrame, structure: pd.DataFrame) -> list[AnswerProblem]:
    """Every problem in ``answers`` (read as text); an empty list means it can be scored.

    Refused: a missing column, a year that is not a whole number, a grade outside
    ``A B C D D* NA``, an unknown dimension id, NA where the dimension does not allow it,
    and the same (country, year, dimension, group) given twice.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in answers.columns]
    if missing:
        return [AnswerProblem(1, c, "missing column") for c in missing]
    frame = answers.assign(_line=range(2, len(answers) + 2))
    frame["_group"] = frame["group"].fillna(CONSENSUS) if "group" in frame else CONSENSUS
    text = {c: frame[c].astype(object).where(frame[c].notna(), "").map(str).str.strip()
            for c in REQUIRED_COLUMNS}  # fmt: skip
    year_ok = text["year"].str.fullmatch(r"\d{4}")
    grade_ok = text["grade"].isin(GRADES)
    known = text["dimension_id"].isin(structure["dimension_id"])
    na_ids = structure.loc[structure["na_allowed"].astype(bool), "dimension_id"]
    na_refused = text["grade"].eq("NA") & known & ~text["dimension_id"].isin(na_ids)
    country_ok = text["country"].ne("")
    keyed = frame.assign(**{c: text[c] for c in REQUIRED_COLUMNS})
    duplicate = keyed.duplicated(["country", "year", "dimension_id", "_group"], keep="first")
    problems = (
        _rows(~country_ok, frame, "country", "missing country")
        + _rows(~year_ok, frame, "year", "{value!r} is not a year")
        + _rows(~known, frame, "dimension_id", "unknown dimension {value!r}")
        + _rows(~grade_ok, frame, "grade", "{value!r} is not one of A B C D D* NA")
        + _rows(na_refused, frame, "grade", "NA is not allowed for this dimension")
        + _rows(duplicate, frame, "dimension_id", "{value!r} is given twice for this assessment")
    )
    return sorted(problems, key=lambda p: (p.line, p.column))


def normalise_answers(answers: pd.DataFrame) -> pd.DataFrame:
    """Valid answers in the types the engine expects: stripped text, integer years."""
    out = answers.assign(
        country=answers["country"].astype(str).str.strip(),
        year=answers["year"].astype(str).str.strip().astype(int),
        dimension_id=answers["dimension_id"].astype(str).str.strip(),
        grade=answers["grade"].astype(str).str.strip(),
    )
    if "group" in out:
        out["group"] = out["group"].fillna(CONSENSUS).astype(str).str.strip()
    return out
