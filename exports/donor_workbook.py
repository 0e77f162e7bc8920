"""The donor workbook: cover, summary with charts, indicators, dimensions, comparison, action plan,
methodology and a long data table. Pure: tables and labels in, .xlsx bytes out.

``labels`` carries every heading in the workbook's language (keys such as ``sheet.summary`` or
``col.country``); a missing label raises ``KeyError`` so no heading is ever left untranslated.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.cells import WRAP, write_value
from exports.report_tables import ReportTables
from exports.sheet_layout import WIDE_TEXT, bands, print_setup, table

SCORE_FORMAT, SHARE_FORMAT = "0.0", "0%"


def _cover(wb: Workbook, t: ReportTables, labels: Mapping[str, str]) -> None:
    ws = wb.active
    ws.title = labels["sheet.cover"]
    coverage = t.overall["coverage"].mean() if len(t.overall) else None
    rows = [
        (labels["cover.title"], labels["cover.what"]),
        (labels["cover.generated"], t.generated_at),
        (labels["cover.scope"], ", ".join(sorted(set(t.assessments["country_name"])))),
        (labels["cover.assessments"], len(t.assessments)),
        (labels["cover.editions"], ", ".join(sorted(set(t.assessments["edition_id"])))),
        (labels["cover.method"], ", ".join(sorted({r["method_version"] for r in t.recipes}))),
        (labels["cover.coverage"], coverage),
        (labels["cover.source"], labels["cover.source_note"]),
    ]
    if t.has_demo:
        rows.insert(1, (labels["cover.demo_flag"], labels["cover.demo_text"]))
    for r, (key, value) in enumerate(rows, start=1):
        write_value(ws, r, 1, key)
        write_value(ws, r, 2, value)
        ws.cell(row=r, column=1).font = Font(bold=True)
        ws.cell(row=r, column=2).alignment = WRAP
        if key == labels.get("cover.demo_flag"):
            ws.cell(row=r, column=2).font = Font(bold=True, color="B2182B")
        if key == labels["cover.coverage"]:
            ws.cell(row=r, column=2).number_format = SHARE_FORMAT
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 28, 90
    print_setup(ws)


def _summary_frame(t: ReportTables, labels: Mapping[str, str]) -> tuple[pd.DataFrame, list[str]]:
    base = t.assessments[["country", "country_name", "year", "status"]]
    overall = t.overall.reindex(columns=["country", "year", "score", "coverage"])
    overall = overall.astype({"country": object})
    frame = base.merge(overall, on=["country", "year"], how="left")
    frame["status"] = frame["status"].map(lambda v: labels.get(f"status.{v}", v))
    goal_ids: list[str] = []
    if len(t.goals):
        wide = t.goals.astype({"country": object, "goal_id": object}).pivot_table(
            index=["country", "year"],
            columns="goal_id",
            values="score",
            aggfunc="first",
            sort=False,
        )
        goal_ids = list(wide.columns)
        frame = frame.merge(wide.reset_index(), on=["country", "year"], how="left")
    return frame.sort_values(["country", "year"]).reset_index(drop=True), goal_ids


def _summary(wb: Workbook, t: ReportTables, labels: Mapping[str, str]) -> None:
    ws = wb.create_sheet(labels["sheet.summary"])
    frame, goal_ids = _summary_frame(t, labels)
    headers = [
        labels["col.country"],
        labels["col.country_name"],
        labels["col.year"],
        labels["col.status"],
        labels["col.overall"],
        labels["col.coverage"],
        *[f"{g} · {t.titles.get(g, g)}" for g in goal_ids],
    ]
    formats = {"score": SCORE_FORMAT, "coverage": SHARE_FORMAT} | dict.fromkeys(
        goal_ids, SCORE_FORMAT
    )
    table(ws, frame, headers, formats, {"country_name": 22} | dict.fromkeys(goal_ids, 16))
    n = len(frame)
    if n == 0:
        return
    first_score, last_col = 5, 6 + len(goal_ids)
    bands(ws, f"{get_column_letter(first_score)}2:{get_column_letter(first_score)}{n + 1}")
    if goal_ids:
        bands(ws, f"G2:{get_column_letter(last_col)}{n + 1}")
        bars = BarChart()
        bars.title, bars.y_axis.title = labels["chart.goals"], labels["col.score"]
        bars.y_axis.scaling.min, bars.y_axis.scaling.max = 0, 100
        latest = min(n, 8)
        data = Reference(ws, min_col=7, max_col=last_col, min_row=1, max_row=1 + latest)
        bars.add_data(data, titles_from_data=True, from_rows=False)
        bars.set_categories(Reference(ws, min_col=2, min_row=2, max_row=1 + latest))
        bars.height, bars.width = 9, 22
        ws.add_chart(bars, f"{get_column_letter(last_col + 2)}2")
    _progress_chart(ws, frame, labels, anchor=f"{get_column_letter(last_col + 2)}22")


def _progress_chart(
    ws: Worksheet, frame: pd.DataFrame, labels: Mapping[str, str], anchor: str
) -> None:
    """A line per country across years, from a small year × country table below the summary."""
    wide = frame.pivot_table(index="year", columns="country_name", values="score", aggfunc="first")
    if wide.empty:
        return
    top = ws.max_row + 3
    write_value(ws, top, 1, labels["col.year"])
    for c, name in enumerate(wide.columns, start=2):
        write_value(ws, top, c, name)
    for r, (year, row) in enumerate(wide.iterrows(), start=top + 1):
        write_value(ws, r, 1, int(year))
        for c, value in enumerate(row, start=2):
            write_value(ws, r, c, None if pd.isna(value) else float(value))
            ws.cell(row=r, column=c).number_format = SCORE_FORMAT
    line = LineChart()
    line.title, line.y_axis.title = labels["chart.progress"], labels["col.overall"]
    line.y_axis.scaling.min, line.y_axis.scaling.max = 0, 100
    line.add_data(
        Reference(
            ws, min_col=2, max_col=1 + len(wide.columns), min_row=top, max_row=top + len(wide)
        ),
        titles_from_data=True,
    )
    line.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=top + len(wide)))
    line.height, line.width = 9, 22
    ws.add_chart(line, anchor)


def _indicators(wb: Workbook, t: ReportTables, labels: Mapping[str, str]) -> None:
    ws = wb.create_sheet(labels["sheet.indicators"])
    cols = [
        "country",
        "year",
        "goal_id",
        "indicator_id",
        "title",
        "score",
        "grade_m1",
        "grade_m2",
        "method",
        "coverage",
    ]
    frame = (
        t.indicators.astype({"indicator_id": object})
        if len(t.indicators)
        else pd.DataFrame(columns=cols)
    )
    frame = frame.assign(title=frame["indicator_id"].map(t.titles))[cols]
    headers = [labels[f"col.{c}"] for c in cols]
    table(ws, frame, headers, {"score": SCORE_FORMAT, "coverage": SHARE_FORMAT}, {"title": 40})
    if len(frame):
        bands(ws, f"F2:F{len(frame) + 1}")


def _dimensions(wb: Workbook, t: ReportTables, labels: Mapping[str, str]) -> None:
    ws = wb.create_sheet(labels["sheet.dimensions"])
    cols = [
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
    frame = t.dimensions.reindex(columns=cols)
    frame = frame.assign(
        title=frame["dimension_id"].map(t.titles),
        layer=frame["layer"].map(lambda v: labels.get(f"layer.{v}", v)),
        confidence=frame["confidence"].map(lambda v: labels.get(f"confidence.{v}", v)),
        change=frame["change"].astype(object).map(lambda c: labels.get(f"change.{c}", c)),
        change_reason=frame["change_reason"].map(lambda r: labels.get(f"reason.{r}", r)),
    )[cols]
    table(
        ws,
        frame,
        [labels[f"col.{c}"] for c in cols],
        {"score": SCORE_FORMAT},
        {"title": 36, "justification": WIDE_TEXT, "evidence": 40},
    )


def _comparison(wb: Workbook, t: ReportTables, labels: Mapping[str, str]) -> None:
    ws = wb.create_sheet(labels["sheet.comparison"])
    frame, goal_ids = _summary_frame(t, labels)
    latest = (
        frame.sort_values("year").groupby("country", as_index=False).tail(1).sort_values("country")
    )
    cols = ["country_name", "year", "score", *goal_ids]
    headers = [
        labels["col.country_name"],
        labels["col.year"],
        labels["col.overall"],
        *[f"{g} · {t.titles.get(g, g)}" for g in goal_ids],
    ]
    table(
        ws,
        latest[cols],
        headers,
        dict.fromkeys(["score", *goal_ids], SCORE_FORMAT),
        {"country_name": 22} | dict.fromkeys(goal_ids, 16),
    )
    if len(latest):
        bands(ws, f"C2:{get_column_letter(len(cols))}{len(latest) + 1}")


def _actions(wb: Workbook, t: ReportTables, labels: Mapping[str, str]) -> None:
    ws = wb.create_sheet(labels["sheet.actions"])
    cols = [
        "country",
        "year",
        "dimension_id",
        "action",
        "owner",
        "deadline",
        "status",
        "target_grade",
    ]
    frame = t.actions[cols] if len(t.actions) else pd.DataFrame(columns=cols)
    frame = frame.assign(
        deadline=pd.to_datetime(frame["deadline"]).dt.date if len(frame) else frame["deadline"]
    )
    table(
        ws,
        frame,
        [labels[f"col.{c}"] for c in cols],
        {"deadline": "yyyy-mm-dd"},
        {"action": WIDE_TEXT, "owner": 24},
    )


def _methodology(wb: Workbook, t: ReportTables, labels: Mapping[str, str]) -> None:
    ws = wb.create_sheet(labels["sheet.methodology"])
    lines = [labels[f"method.{n}"] for n in range(1, 7)]
    for r, line in enumerate(lines, start=1):
        write_value(ws, r, 1, line)
        ws.cell(row=r, column=1).alignment = WRAP
    row = len(lines) + 2
    for recipe in t.recipes:
        for key in (
            "fingerprint",
            "method_version",
            "edition_id",
            "grade_values",
            "indicator_methods",
            "goal_weights",
            "indicator_weights",
            "dimension_weights",
        ):
            value = recipe[key]
            write_value(ws, row, 1, key)
            write_value(
                ws, row, 2, value if isinstance(value, str) else json.dumps(value, sort_keys=True)
            )
            ws.cell(row=row, column=2).alignment = WRAP
            row += 1
        row += 1
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 110, 90
    print_setup(ws)


def long_table(t: ReportTables) -> pd.DataFrame:
    """One row per assessment and node (overall, goal, indicator, dimension), for analysts."""
    parts = []
    if len(t.overall):
        parts.append(t.overall.assign(level="overall", id="overall"))
        parts.append(t.goals.rename(columns={"goal_id": "id"}).assign(level="goal"))
        parts.append(t.indicators.rename(columns={"indicator_id": "id"}).assign(level="indicator"))
        parts.append(t.dimensions.rename(columns={"dimension_id": "id"}).assign(level="dimension"))
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
    frame = frame.assign(title=frame["id"].map(t.titles).fillna(""))
    return frame.reindex(columns=cols)


def _data(wb: Workbook, t: ReportTables, labels: Mapping[str, str]) -> None:
    ws = wb.create_sheet(labels["sheet.data"])
    frame = long_table(t)
    table(
        ws, frame, list(frame.columns), {"score": SCORE_FORMAT, "coverage": "0.000"}, {"title": 36}
    )


def donor_workbook(tables: ReportTables, labels: Mapping[str, str]) -> bytes:
    """The donor workbook as .xlsx bytes."""
    wb = Workbook()
    for part in (
        _cover,
        _summary,
        _indicators,
        _dimensions,
        _comparison,
        _actions,
        _methodology,
        _data,
    ):
        part(wb, tables, labels)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
