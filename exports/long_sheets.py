"""The donor workbook's long sheets (Indicators, Dimensions, Data), written a part of the tables
at a time (``ReportTables.in_parts``), and the long table of every score that the Data sheet and
the data package's ``scores.csv`` share; with what every sheet uses: the narrow widths of codes
and the demo mark. Pure: tables in, rows of an XlsxWriter workbook out.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from exports.report_tables import ReportTables
from exports.sheet_layout import SCORE_FORMAT, SHARE_FORMAT, TableSheet, bands, score_columns

# Columns of codes and figures are narrow, so that more of a sheet fits across a page.
CODE_WIDTHS = (
    dict.fromkeys(["country", "goal_id", "grade", "grade_m1", "grade_m2", "method", "level"], 8)
    | dict.fromkeys(["year", "score", "indicator_id", "last_grade", "layer", "id"], 10)
    | {
        "dimension_id": 11,
        "coverage": 10,
        "confidence": 11,
        "change": 14,
        "demo": 8,
    }
)


def flag_demo(
    frame: pd.DataFrame,
    headers: list[str],
    tables: ReportTables,
    labels: Mapping[str, str],
    into: str | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """With demo data in scope, a column after the year marking each demo row (by its country
    and year), or the mark added to the text of column ``into`` where a sheet has no room for
    one more column; so that no sheet shows demo figures as real ones. Unchanged otherwise."""
    if not tables.has_demo or "year" not in frame.columns:
        return frame, headers
    key = "country" if "country" in frame.columns else "country_name"
    found = tables.assessments
    demo = {
        (place, year)
        for place, year, is_demo in zip(found[key], found["year"], found["is_demo"], strict=True)
        if is_demo
    }
    marked = [(place, year) in demo for place, year in zip(frame[key], frame["year"], strict=True)]
    flagged = frame.copy()
    if into is not None:
        mark = f" · {labels['demo_mark']}"
        texts = zip(frame[into], marked, strict=True)
        flagged[into] = [f"{text}{mark}" if m else text for text, m in texts]
        return flagged, headers
    position = list(frame.columns).index("year") + 1
    flagged.insert(position, "demo", [labels["demo_mark"] if m else "" for m in marked])
    return flagged, [*headers[:position], labels["col.demo"], *headers[position:]]


# A table made of a part of the tables: its rows, headings, number formats and column widths.
Rows = tuple[pd.DataFrame, list[str], dict[str, str], dict[str, int]]
INDICATOR_COLUMNS = [
    "country",
    "year",
    "goal_id",
    "indicator_id",
    "title",
    "score",
    "grade_m1",
    "grade_m2",
    "method",
    "grade_status",
    "coverage",
]


def _indicators(part: ReportTables, tables: ReportTables, labels: Mapping[str, str]) -> Rows:
    """The Indicators sheet's rows of a part of ``tables``."""
    cols = INDICATOR_COLUMNS
    frame = part.indicators.reindex(columns=["assessment_id", "provisional", *cols])
    frame["grade_status"] = [
        labels[f"grade_status.{'provisional' if p else 'final'}"] if isinstance(g, str) else ""
        for g, p in zip(frame["grade_m1"], frame["provisional"], strict=True)
    ]
    frame = frame.astype({"indicator_id": object})
    frame = frame.assign(title=part.titles_of(frame, "indicator_id"))[cols]
    frame, headers = flag_demo(frame, [labels[f"col.{c}"] for c in cols], tables, labels)
    formats = {"score": SCORE_FORMAT, "coverage": SHARE_FORMAT}
    return frame, headers, formats, CODE_WIDTHS | {"title": 40}


DIMENSION_COLUMNS = [
    "country",
    "year",
    "dimension_id",
    "title",
    "layer",
    "grade",
    "score",
    "justification",
    "evidence",
    "confidence",
    "last_grade",
    "change",
    "change_reason",
]


def _dimensions(part: ReportTables, tables: ReportTables, labels: Mapping[str, str]) -> Rows:
    """The Dimensions sheet's rows of a part of ``tables``."""
    cols = DIMENSION_COLUMNS
    frame = part.dimensions.reindex(columns=["assessment_id", *cols])
    frame = frame.assign(
        title=part.titles_of(frame, "dimension_id"),
        layer=frame["layer"].map(lambda v: labels.get(f"layer.{v}", v)),
        confidence=frame["confidence"].map(lambda v: labels.get(f"confidence.{v}", v)),
        change=frame["change"].astype(object).map(lambda c: labels.get(f"change.{c}", c)),
        change_reason=frame["change_reason"].map(lambda r: labels.get(f"reason.{r}", r)),
    )[cols]
    frame, headers = flag_demo(frame, [labels[f"col.{c}"] for c in cols], tables, labels)
    widths = {"title": 26, "justification": 42, "evidence": 28, "change": 20, "change_reason": 20}
    return frame, headers, {"score": SCORE_FORMAT}, CODE_WIDTHS | widths


def _data(part: ReportTables, tables: ReportTables, labels: Mapping[str, str]) -> Rows:
    """The Data sheet's rows of a part of ``tables``: every score in one long table for
    analysts, headed in the workbook's language, one line per row."""
    frame = long_table(part)
    headers = [labels.get(f"col.{c}", c) for c in frame.columns]
    frame, headers = flag_demo(frame, headers, tables, labels)
    formats = {"score": SCORE_FORMAT, "coverage": "0.000"}
    return frame, headers, formats, CODE_WIDTHS | {"title": 36}


LONG_SHEETS = {"indicators": _indicators, "dimensions": _dimensions, "data": _data}


def write_long_sheets(
    wb: Workbook, sheets: Mapping[str, Worksheet], tables: ReportTables, labels: Mapping[str, str]
) -> ReportTables:
    """The Indicators, Dimensions and Data sheets, written a part of the tables at a time (each
    sheet's rows go to its own temporary file); returns the tables with what has a row per
    assessment or fewer, gathered from the parts, for the other sheets."""
    writers: dict[str, TableSheet] = {}
    kept = []
    for part in tables.in_parts():
        for key, rows in LONG_SHEETS.items():
            frame, headers, formats, widths = rows(part, tables, labels)
            if key not in writers:
                columns, wrap = list(frame.columns), key != "data"
                writers[key] = TableSheet(wb, sheets[key], columns, headers, formats, widths, wrap)
            writers[key].add(frame)
        kept.append(part.kept())
    for sheet in writers.values():
        sheet.close()
    indicators = writers["indicators"]
    spans = score_columns(indicators.columns, ["score"], indicators.rows)
    bands(wb, sheets["indicators"], spans, indicators.rows)
    # only the Data sheet's header row prints, with a note that the other sheets show the same
    # figures (``page_frame``)
    sheets["data"].print_area(0, 0, 0, len(writers["data"].columns) - 1)
    return tables.with_summary_of(kept)


def long_table(tables: ReportTables) -> pd.DataFrame:
    """One row per assessment and node (overall, goal, indicator, dimension), for analysts."""
    parts = []
    if len(tables.overall):
        parts.append(tables.overall.assign(level="overall", id="overall"))
        parts.append(tables.goals.rename(columns={"goal_id": "id"}).assign(level="goal"))
        parts.append(
            tables.indicators.rename(columns={"indicator_id": "id"}).assign(level="indicator")
        )
        parts.append(
            tables.dimensions.rename(columns={"dimension_id": "id"}).assign(level="dimension")
        )
    cols = [
        "country",
        "year",
        "level",
        "id",
        "title",
        "score",
        "grade",
        "grade_m1",
        "grade_m2",
        "provisional",
        "coverage",
        "n_applicable",
        "n_graded",
        "n_dstar",
        "n_na",
        "recipe",
    ]
    if not parts:
        return pd.DataFrame(columns=cols)
    frame = pd.concat(
        [p.astype({"country": object, "id": object}) for p in parts], ignore_index=True
    )
    frame["grade"] = frame["grade"].astype(object) if "grade" in frame else None
    frame = frame.assign(title=tables.titles_of(frame, "id"))
    return frame.reindex(columns=cols)
