"""The tidy data package: CSV files in UTF-8 with a byte-order mark (Excel reads accents), a
``datapackage.json`` (Frictionless Data Package) that describes itself (title, licence, version,
sources, every column with its type and constraints, primary and foreign keys) and a README
saying how to load it without losing the grade "NA". Pure: tables in, zip out.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from contextlib import ExitStack
from pathlib import Path

import pandas as pd

from exports.long_sheets import long_table
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
    "sector_data": {
        "country": ("string", "ISO 3166-1 alpha-3 code"),
        "year": ("integer", "Year assessed"),
        "item": ("string", "Item of the sector data sheet"),
        "value": ("number", "The figure (persons, areas, sites, carats, US dollars, documents)"),
        "text": (
            "string",
            "The statement, for the KP focal point, endorsement, follow-up of "
            "recommendations and technical-assistance needs",
        ),
        "source": ("string", "Where the figure comes from"),
        "figure_year": ("integer", "Year the figure is for"),
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


# Columns of codes from the app's own closed lists (checked when they are entered): they never
# start like a formula, so the guard leaves them alone; every other text column is guarded.
CODES = frozenset(
    ["country", "year", "is_demo", "level", "id", "dimension_id", "grade", "grade_m1",
     "grade_m2", "recipe", "confidence", "status", "edition_id", "item", "currency",
     "timeframe", "target_grade", "deadline"]
)  # fmt: skip


def _inert_column(column: pd.Series) -> pd.Series:
    """``inert`` over a column: the cells a spreadsheet would run get a leading apostrophe."""
    if str(column.dtype) in ("str", "string"):  # text all through: checked in one call
        if not column.str.startswith(FORMULA_STARTS).fillna(False).any():
            return column
    else:
        values = column.to_numpy(dtype=object)
        if not any(isinstance(v, str) and v.startswith(FORMULA_STARTS) for v in values):
            return column
    return column.map(inert).astype(object)


def _csv(frame: pd.DataFrame, first: bool = True) -> bytes:
    """``frame`` as CSV lines, its header and a byte-order mark first when it is the ``first``
    piece of its file."""
    text_columns = [
        c
        for c in frame.columns
        if c not in CODES and (frame[c].dtype == object or str(frame[c].dtype) in ("str", "string"))
    ]
    safe = frame.assign(**{c: _inert_column(frame[c]) for c in text_columns})
    text = safe.to_csv(index=False, header=first, lineterminator="\r\n")
    return text.encode("utf-8-sig" if first else "utf-8")


LONG_FILES = ("scores", "answers")  # written a part of the tables at a time


def _long(part: ReportTables, flags: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The scores and answers of a part of the tables, each row flagged demo or not."""
    answers = part.answers.astype({"country": object})
    frames = {
        "scores": long_table(part)[list(FIELDS["scores"])].astype({"grade": object}),
        "answers": answers.reindex(columns=list(FIELDS["answers"])).sort_values(
            ["country", "year", "dimension_id"]
        ),
    }
    return {name: _flagged(frame, flags) for name, frame in frames.items()}


def _short(tables: ReportTables, flags: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The assessments, the priority matrix and the sector data."""
    frames = {"priority_matrix": _matrix(tables.actions), "sector_data": _sector(tables.sector)}
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


def _sector(sector: pd.DataFrame) -> pd.DataFrame:
    """The sector data sheets, one row per item entered."""
    frame = sector.reindex(columns=list(FIELDS["sector_data"]))
    return frame.astype({"figure_year": "Int64"}).sort_values(["country", "year"], kind="stable")


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


# What each field may hold, beyond its type: the values it may take, its range, and whether it
# may be empty. The codes mirror ``wddf.domain`` (a test checks that they agree).
GRADES = ["A", "B", "C", "D", "D*", "NA"]
INDICATOR_GRADES = ["A", "B+", "B", "C+", "C", "D+", "D"]
SECTOR_ITEMS = [
    "diggers_total", "diggers_women", "producing_areas", "active_sites", "production_carats",
    "production_usd", "exports_carats", "exports_usd", "kp_certificates", "licensed_buyers",
    "licensed_exporters", "kp_focal_point", "endorsement", "recommendations", "ta_needs",
]  # fmt: skip
CONSTRAINTS: dict[str, dict[str, dict]] = {
    "assessments": {
        "country": {"required": True, "pattern": "[A-Z]{3}"},
        "year": {"required": True, "minimum": 2000, "maximum": 2100},
        "status": {
            "required": True,
            "enum": ["draft", "submitted", "in_review", "returned", "validated", "published"],
        },
        "is_demo": {"required": True},
    },
    "scores": {
        "level": {"required": True, "enum": ["overall", "goal", "indicator", "dimension"]},
        "score": {"minimum": 0, "maximum": 100},
        "grade": {"enum": sorted(set(GRADES) | set(INDICATOR_GRADES))},
        "grade_m1": {"enum": INDICATOR_GRADES},
        "grade_m2": {"enum": INDICATOR_GRADES},
        "coverage": {"minimum": 0, "maximum": 1},
        "n_applicable": {"minimum": 0},
        "n_graded": {"minimum": 0},
        "n_dstar": {"minimum": 0},
        "n_na": {"minimum": 0},
    },
    "answers": {
        "grade": {"enum": GRADES},
        "confidence": {"enum": ["low", "medium", "high"]},
    },
    "sector_data": {
        "item": {"required": True, "enum": SECTOR_ITEMS},
        "value": {"minimum": 0},
        "figure_year": {"minimum": 1990, "maximum": 2100},
    },
    "priority_matrix": {
        "priority": {"minimum": 1, "maximum": 3},
        "estimated_cost": {"minimum": 0},
        "currency": {"pattern": "[A-Z]{3}"},
        "timeframe": {"enum": ["short", "medium", "long"]},
        "target_grade": {"enum": ["A", "B", "C"]},
        "status": {"required": True, "enum": ["open", "in_progress", "done", "dropped"]},
    },
}
BY_ASSESSMENT = {
    "fields": ["country", "year"],
    "reference": {"resource": "assessments", "fields": ["country", "year"]},
}
KEYS: dict[str, dict] = {
    "assessments": {"primaryKey": ["country", "year"]},
    "scores": {"primaryKey": ["country", "year", "level", "id"], "foreignKeys": [BY_ASSESSMENT]},
    "answers": {"primaryKey": ["country", "year", "dimension_id"], "foreignKeys": [BY_ASSESSMENT]},
    "priority_matrix": {"primaryKey": ["action_id"], "foreignKeys": [BY_ASSESSMENT]},
    "sector_data": {"primaryKey": ["country", "year", "item"], "foreignKeys": [BY_ASSESSMENT]},
}
README = """# WDDF assessments: data package

Self-assessments under the Washington Declaration Diagnostic Framework (WDDF), exported by the
WDDF self-assessment tool. `datapackage.json` describes every file and column (Frictionless
Data Package: types, allowed values, ranges, primary and foreign keys).

- `assessments.csv`: one row per country and year (its edition, status, and `is_demo`).
- `scores.csv`: the overall, goal, indicator and dimension scores (0-100), grades and coverage.
- `answers.csv`: every dimension's agreed grade, justification, evidence and confidence.
- `priority_matrix.csv`: the reforms of each country's policy priority matrix.
- `sector_data.csv`: each assessment's sector data sheet: a figure (`value`, with its `source`
  and `figure_year`) or a statement (`text`) per item.

Every file has `is_demo` after its year: `True` marks fictitious demo data, never results.

## The grade "NA"

"NA" is a grade (the dimension does not apply), not a missing value. An empty cell is missing.
Frictionless reads the files right as they are. pandas and R must be told:

```python
import pandas as pd

answers = pd.read_csv("answers.csv", keep_default_na=False, na_values=[""])
assert "NA" in set(answers["grade"]) or answers["grade"].notna().all()
```

```r
answers <- read.csv("answers.csv", na.strings = "", fileEncoding = "UTF-8-BOM")
```

## Text that looks like a formula

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a
leading apostrophe (`'=1+1`), so that no spreadsheet program runs it as a formula. Remove that
apostrophe to read the text as typed.

## Method and licence

Grades follow PEFA (M1, M2 by PEFA's printed conversion tables); goal and overall scores on
0-100 are this tool's own weighted means, not a PEFA figure. The `recipe` column names the
scoring method of each score, which the tool's `scoring/METHOD.md` rebuilds. Licence: see
`datapackage.json`.
"""


def descriptor(names: list[str], about: dict | None = None) -> dict:
    """The Frictionless data package descriptor for the given resources. ``about`` gives the
    package's own metadata: ``licence`` (an SPDX id), ``version``, ``created`` and ``contact``
    (whom to ask, when the deployment names one)."""
    about = about or {}
    licence = about.get("licence", "CC-BY-4.0")
    return {
        "name": "wddf-assessments",
        "profile": "tabular-data-package",
        "title": "WDDF self-assessments",
        "description": (
            "Self-assessments of artisanal and alluvial diamond mining policy under the "
            "Washington Declaration Diagnostic Framework: grades, scores, answers and policy "
            "priority matrices, by country and year. Rows with is_demo true are fictitious."
        ),
        "version": about.get("version", "1"),
        "created": about.get("created", ""),
        "licenses": [
            {
                "name": licence,
                "path": f"https://spdx.org/licenses/{licence}.html",
                "title": licence,
            }
        ],
        "sources": [
            {
                "title": "Washington Declaration Diagnostic Framework (Kimberley Process, WGAAP)",
                "path": "https://www.kimberleyprocess.com",
            },
            {"title": "PEFA 2016 scoring methods M1 and M2", "path": "https://www.pefa.org"},
        ],
        "contributors": [{"title": "WDDF self-assessment tool", "role": "publisher"}]
        + ([{"title": about["contact"], "role": "contact"}] if about.get("contact") else []),
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
                        {"name": f, "type": kind, "description": text} | _constraints(name, f)
                        for f, (kind, text) in _fields(name).items()
                    ],
                    "missingValues": [""],  # "NA" is a grade, not a missing value
                    **KEYS[name],
                },
            }
            for name in names
        ],
    }


def _constraints(resource: str, field: str) -> dict:
    found = CONSTRAINTS.get(resource, {}).get(field)
    if not found and field == "is_demo":
        found = {"required": True}
    return {"constraints": found} if found else {}


def data_package(tables: ReportTables, about: dict | None = None) -> bytes:
    """A zip with one CSV per table, ``datapackage.json`` and ``README.md``; ``about`` as for
    ``descriptor`` (``created`` defaults to when the tables were collected). The scores and
    answers are written a part of the tables at a time (``ReportTables.in_parts``)."""
    about = {"created": tables.generated_at} | (about or {})
    flags = tables.assessments[["country", "year", "is_demo"]].drop_duplicates(["country", "year"])
    out = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        paths = {name: Path(folder) / f"{name}.csv" for name in LONG_FILES}
        with ExitStack() as files:
            long = {name: files.enter_context(path.open("wb")) for name, path in paths.items()}
            for number, part in enumerate(tables.in_parts()):
                for name, frame in _long(part, flags).items():
                    long[name].write(_csv(frame, first=number == 0))
        short = _short(tables, flags)
        names = ["assessments", "scores", "answers", "priority_matrix", "sector_data"]
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in names:
                if name in paths:
                    archive.write(paths[name], f"{name}.csv")
                else:
                    archive.writestr(f"{name}.csv", _csv(short[name]))
            text = json.dumps(descriptor(names, about), ensure_ascii=False, indent=2)
            archive.writestr("datapackage.json", text)
            archive.writestr("README.md", README)
    return out.getvalue()
