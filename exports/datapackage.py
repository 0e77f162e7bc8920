"""The tidy data package: CSV files in UTF-8 with a byte-order mark (Excel reads accents), and a
``datapackage.json`` (Frictionless Table Schema) describing every column. Pure: tables in, zip out.
"""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd

from exports.donor_workbook import long_table
from exports.report_tables import ReportTables

# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "assessments": {
        "country": ("string", "ISO 3166-1 alpha-3 code"),
        "country_name": ("string", "Country name"),
        "year": ("integer", "Year assessed"),
        "edition_id": ("string", "Questionnaire edition"),
        "status": ("string", "Workflow status"),
        "is_demo": ("boolean", "Fictitious demo data"),
    },
    "scores": {
        "country": ("string", "ISO 3166-1 alpha-3 code"),
        "year": ("integer", "Year assessed"),
        "level": ("string", "overall, goal, indicator or dimension"),
        "id": ("string", "Stable node id"),
        "title": ("string", "Node title"),
        "score": ("number", "Alignment score, 0–100; empty when nothing graded"),
        "grade": ("string", "Dimension grade, or the indicator's grade by its method"),
        "grade_m1": ("string", "Indicator grade, M1 weakest link"),
        "grade_m2": ("string", "Indicator grade, M2 averaging"),
        "provisional": (
            "boolean",
            "Indicator grade made while applicable dimensions wait to be graded (PEFA has no "
            "partial grade); empty for other levels",
        ),
        "coverage": ("number", "Graded / applicable dimensions, 0–1"),
        "n_applicable": ("integer", "Dimensions not NA"),
        "n_graded": ("integer", "Dimensions graded"),
        "n_dstar": ("integer", "Dimensions graded D*"),
        "n_na": ("integer", "Dimensions NA"),
        "recipe": ("string", "Fingerprint of the scoring recipe"),
    },
    "answers": {
        "country": ("string", "ISO 3166-1 alpha-3 code"),
        "year": ("integer", "Year assessed"),
        "dimension_id": ("string", "Stable dimension id"),
        "grade": ("string", "A, B, C, D, D* or NA"),
        "justification": ("string", "Why this grade"),
        "evidence": ("string", "Citations and links"),
        "confidence": ("string", "low, medium or high"),
    },
    "priority_matrix": {
        "action_id": ("integer", "Stable id of the action"),
        "country": ("string", "ISO 3166-1 alpha-3 code"),
        "year": ("integer", "Year assessed"),
        "priority": ("integer", "1 (highest) to 3; empty when not set"),
        "dimensions": ("string", "Dimension ids the action addresses, separated by spaces"),
        "action": ("string", "The reform"),
        "owner": ("string", "Responsible institution"),
        "partners": ("string", "Partners"),
        "estimated_cost": ("integer", "Estimated cost, whole units of the currency"),
        "currency": ("string", "ISO 4217 currency code"),
        "timeframe": ("string", "short, medium or long"),
        "deadline": ("date", "Deadline"),
        "target_grade": ("string", "Grade the action aims for: A, B or C"),
        "status": ("string", "open, in_progress, done or dropped"),
        "progress": ("string", "Evidence of progress"),
    },
}


def inert(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(frame: pd.DataFrame) -> bytes:
    text_columns = [
        c
        for c in frame.columns
        if frame[c].dtype == object or str(frame[c].dtype) in ("str", "string")
    ]
    safe = frame.assign(**{c: frame[c].map(inert) for c in text_columns})
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _tables(tables: ReportTables) -> dict[str, pd.DataFrame]:
    answers = tables.answers.astype({"country": object})
    frames = {
        "scores": long_table(tables)[list(FIELDS["scores"])].astype({"grade": object}),
        "answers": answers.reindex(columns=list(FIELDS["answers"])).sort_values(
            ["country", "year", "dimension_id"]
        ),
        "priority_matrix": _matrix(tables.actions),
    }
    flags = tables.assessments[["country", "year", "is_demo"]].drop_duplicates(["country", "year"])
    return {"assessments": tables.assessments[list(FIELDS["assessments"])]} | {
        name: _flagged(frame, flags) for name, frame in frames.items()
    }


def _flagged(frame: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``is_demo`` after its year, from its country and year: every file says
    which of its rows are fictitious, not only ``assessments.csv``."""
    merged = frame.astype({"country": object}).merge(
        flags.astype({"country": object}), on=["country", "year"], how="left", sort=False
    )
    columns = list(frame.columns)
    position = columns.index("year") + 1
    ordered = [*columns[:position], "is_demo", *columns[position:]]
    return merged.assign(is_demo=merged["is_demo"].fillna(False).astype(bool))[ordered]


def _matrix(actions: pd.DataFrame) -> pd.DataFrame:
    """The policy priority matrix, one row per action, dates as ISO dates."""
    frame = actions.reindex(columns=list(FIELDS["priority_matrix"]))
    if frame.empty:
        return frame
    deadline = pd.to_datetime(frame["deadline"], utc=True).dt.strftime("%Y-%m-%d")
    return frame.assign(deadline=deadline.where(frame["deadline"].notna(), None)).sort_values(
        ["country", "year", "action_id"]
    )


def _fields(name: str) -> dict[str, tuple[str, str]]:
    """The columns of a resource in file order: every file but ``assessments`` has ``is_demo``
    after its year."""
    fields = FIELDS[name]
    if name == "assessments":
        return fields
    out: dict[str, tuple[str, str]] = {}
    for field, about in fields.items():
        out[field] = about
        if field == "year":
            out["is_demo"] = FIELDS["assessments"]["is_demo"]
    return out


def descriptor(names: list[str]) -> dict:
    """The Frictionless data package descriptor for the given resources."""
    return {
        "name": "wddf-assessments",
        "profile": "tabular-data-package",
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8-sig",
                "mediatype": "text/csv",
                "schema": {
                    "fields": [
                        {"name": f, "type": kind, "description": about}
                        for f, (kind, about) in _fields(name).items()
                    ]
                },
            }
            for name in names
        ],
    }


def data_package(tables: ReportTables) -> bytes:
    """A zip with one CSV per table and ``datapackage.json``."""
    frames = _tables(tables)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in frames.items():
            archive.writestr(f"{name}.csv", _csv(frame))
        archive.writestr(
            "datapackage.json", json.dumps(descriptor(list(frames)), ensure_ascii=False, indent=2)
        )
    return out.getvalue()
