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
from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from exports.cells import WRAP, write_value
from exports.report_tables import ReportTables
from exports.sheet_layout import (
    LINE_HEIGHT,
    WIDE_TEXT,
    bands,
    print_setup,
    score_columns,
    table,
    text_lines,
)

SCORE_FORMAT, SHARE_FORMAT = "0.0", "0%"


def _cover(wb: Workbook, t: ReportTables, labels: Mapping[str, str]) -> None:
    """What the workbook is, what it holds (each assessment with its status, the editions and
    scoring recipes) and where the method is explained; demo data flagged in a row of its own."""
    ws = wb.active
    ws.title = labels["sheet.cover"]
    coverage = t.overall["coverage"].mean() if len(t.overall) else None
    included = [
        f"{r.country_name} {r.year}: {labels.get(f'status.{r.status}', r.status)}"
        for r in t.assessments.sort_values(["country_name", "year"]).itertuples()
    ]
    recipes = [f"{r['edition_id']} · {r['method_version']} · {r['fingerprint']}" for r in t.recipes]
    rows = [
        (labels["cover.title"], labels["cover.what"]),
        (labels["cover.generated"], t.generated_at),
        (labels["cover.scope"], ", ".join(sorted(set(t.assessments["country_name"])))),
        (labels["cover.assessments"], "\n".join(included)),
        (labels["cover.editions"], ", ".join(sorted(set(t.assessments["edition_id"])))),
        (labels["cover.method"], "\n".join(recipes)),
        (labels["cover.method_where"], labels["cover.method_where_text"]),
        (labels["cover.coverage"], coverage),
        (labels["cover.source"], labels["cover.source_note"]),
    ]
    if t.has_demo:
        rows.insert(0, (labels["cover.demo_flag"], labels["cover.demo_text"]))
    widths = (30, 90)
    for r, (key, value) in enumerate(rows, start=1):
        write_value(ws, r, 1, key)
        write_value(ws, r, 2, value)
        ws.cell(row=r, column=1).font = Font(bold=True)
        ws.cell(row=r, column=1).alignment = WRAP
        ws.cell(row=r, column=2).alignment = WRAP
        lines = text_lines(str(value if value is not None else ""), widths[1])
        ws.row_dimensions[r].height = LINE_HEIGHT * lines + 3
        if key == labels.get("cover.demo_flag"):
            ws.cell(row=r, column=2).font = Font(bold=True, color="B2182B")
        if key == labels["cover.coverage"]:
            ws.cell(row=r, column=2).number_format = SHARE_FORMAT
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = widths
    print_setup(ws, fit_width=True)


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
    """The scorecard, then under it the charts a board reads: goal scores by assessment, the
    overall score over the years, and the law/policy/practice gap."""
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
    widths = SCORECARD_WIDTHS | dict.fromkeys(goal_ids, 9)
    table(ws, frame, headers, formats, widths)
    _wrapped_header(ws, len(headers))
    n = len(frame)
    if n == 0:
        return
    bands(ws, score_columns(list(frame.columns), ["score", *goal_ids], n))
    charts_top = n + 3  # two charts side by side under the table, the third under the first
    data_top = charts_top + 2 * CHART_ROWS + 2  # the charts' figures, below the charts
    if goal_ids:
        data_top = _goal_chart(ws, frame, goal_ids, labels, f"A{charts_top}", data_top)
    right = get_column_letter(len(SCORECARD_WIDTHS) + 2)  # clear of the first chart
    data_top = _progress_chart(ws, frame, labels, f"{right}{charts_top}", data_top)
    ws.row_breaks.append(Break(id=charts_top + CHART_ROWS - 1))  # the third chart on a new page
    _gap_chart(ws, t, labels, f"A{charts_top + CHART_ROWS}", data_top)


CHART_ROWS = 18  # rows a chart of CHART_SIZE takes
# Columns of codes and figures are narrow, so that more of a sheet fits across a page.
CODE_WIDTHS = (
    dict.fromkeys(["country", "goal_id", "grade", "grade_m1", "grade_m2", "method", "level"], 8)
    | dict.fromkeys(["year", "score", "indicator_id", "last_grade", "layer", "id"], 10)
    | {
        "dimension_id": 11,
        "coverage": 10,
        "confidence": 11,
        "change": 14,
    }
)
# Narrow columns, so that the scorecard prints on one A4 landscape page at a readable size.
SCORECARD_WIDTHS = {
    "country": 8,
    "country_name": 22,
    "year": 7,
    "status": 12,
    "score": 9,
    "coverage": 10,
}


def _wrapped_header(ws: Worksheet, columns: int) -> None:
    """Let long headers (a goal's id and title) wrap in a taller header row."""
    for c in range(1, columns + 1):
        cell = ws.cell(row=1, column=c)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 60


CHART_SIZE = (13.5, 8.5)  # cm: two side by side across an A4 landscape page
MOST_BARS = 12  # assessments in the goal chart: each country's latest


def _chart_block(ws: Worksheet, top: int, header: list[str], rows: list[list]) -> None:
    """A small table of the figures a chart draws, written below the charts (text as text)."""
    for c, name in enumerate(header, start=1):
        write_value(ws, top, c, name)
        ws.cell(row=top, column=c).font = Font(bold=True)
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row, start=1):
            write_value(ws, r, c, None if pd.isna(value) else value)
            if c > 1:
                ws.cell(row=r, column=c).number_format = SCORE_FORMAT


def _sized(chart, title: str) -> None:
    chart.title = title
    chart.width, chart.height = CHART_SIZE
    chart.legend.position = "b"


def _goal_chart(
    ws: Worksheet,
    frame: pd.DataFrame,
    goal_ids: list[str],
    labels: Mapping[str, str],
    anchor: str,
    top: int,
) -> int:
    """Goal scores of each country's latest assessment, named "country year"; returns the next
    free row."""
    latest = frame.sort_values("year").groupby("country").tail(1).head(MOST_BARS)
    rows = [
        [f"{r.country_name} {r.year}", *(getattr(r, g, None) for g in goal_ids)]
        for r in latest.sort_values(["country_name"]).itertuples()
    ]
    _chart_block(ws, top, [labels["col.country_name"], *goal_ids], rows)
    bars = BarChart()
    _sized(bars, labels["chart.goals"])
    bars.y_axis.title = labels["col.score"]
    bars.y_axis.scaling.min, bars.y_axis.scaling.max = 0, 100
    bars.add_data(
        Reference(ws, min_col=2, max_col=1 + len(goal_ids), min_row=top, max_row=top + len(rows)),
        titles_from_data=True,
    )
    bars.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=top + len(rows)))
    ws.add_chart(bars, anchor)
    return top + len(rows) + 2


def _progress_chart(
    ws: Worksheet, frame: pd.DataFrame, labels: Mapping[str, str], anchor: str, top: int
) -> int:
    """The overall score of each country over the years: straight lines on a year axis, so
    that the gaps between assessments show; returns the next free row."""
    wide = frame.pivot_table(index="year", columns="country_name", values="score", aggfunc="first")
    if wide.empty:
        return top
    rows = [[int(year), *row] for year, row in wide.iterrows()]
    _chart_block(ws, top, [labels["col.year"], *wide.columns], rows)
    line = ScatterChart()
    line.style, line.scatterStyle = 13, "lineMarker"
    _sized(line, labels["chart.progress"])
    line.y_axis.title, line.x_axis.title = labels["col.overall"], labels["col.year"]
    line.y_axis.scaling.min, line.y_axis.scaling.max = 0, 100
    years = [int(y) for y in wide.index]
    line.x_axis.scaling.min, line.x_axis.scaling.max = min(years) - 1, max(years) + 1
    line.x_axis.majorUnit = 1
    line.x_axis.number_format = "0"
    x = Reference(ws, min_col=1, min_row=top + 1, max_row=top + len(rows))
    for c in range(2, 2 + len(wide.columns)):
        y = Reference(ws, min_col=c, min_row=top, max_row=top + len(rows))
        series = Series(y, x, title_from_data=True)
        series.smooth = False  # a straight line from one assessment to the next
        series.marker.symbol = "circle"
        line.series.append(series)
    ws.add_chart(line, anchor)
    return top + len(rows) + 2


def _gap_chart(
    ws: Worksheet, t: ReportTables, labels: Mapping[str, str], anchor: str, top: int
) -> None:
    """Law, policy and practice of each country's latest assessment: the implementation gap."""
    if t.layers.empty:
        return
    overall = t.layers[t.layers["level"].eq("overall")].merge(
        t.assessments[["country", "year", "country_name"]], on=["country", "year"]
    )
    latest = overall.sort_values("year").groupby("country").tail(1).head(MOST_BARS)
    parts = ["law", "policy", "practice"]
    rows = [
        [f"{r.country_name} {r.year}", *(getattr(r, p) for p in parts)]
        for r in latest.sort_values("country_name").itertuples()
    ]
    _chart_block(
        ws, top, [labels["col.country_name"], *(labels[f"layer.{p}"] for p in parts)], rows
    )
    bars = BarChart()
    _sized(bars, labels["chart.gap"])
    bars.y_axis.scaling.min, bars.y_axis.scaling.max = 0, 100
    bars.add_data(
        Reference(ws, min_col=2, max_col=4, min_row=top, max_row=top + len(rows)),
        titles_from_data=True,
    )
    bars.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=top + len(rows)))
    ws.add_chart(bars, anchor)


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
    formats = {"score": SCORE_FORMAT, "coverage": SHARE_FORMAT}
    table(ws, frame, headers, formats, CODE_WIDTHS | {"title": 40})
    bands(ws, score_columns(cols, ["score"], len(frame)) if len(frame) else [])


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
        CODE_WIDTHS | {"title": 30, "justification": 50, "evidence": 34, "change_reason": 22},
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
        SCORECARD_WIDTHS | dict.fromkeys(goal_ids, 9),
    )
    _wrapped_header(ws, len(headers))
    if len(latest):
        bands(ws, score_columns(cols, ["score", *goal_ids], len(latest)))


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
    frame = t.actions.reindex(columns=cols)
    frame = frame.assign(
        deadline=pd.to_datetime(frame["deadline"]).dt.date if len(frame) else frame["deadline"],
        status=frame["status"].map(lambda v: labels.get(f"plan_status.{v}", v)),
    )
    table(
        ws,
        frame,
        [labels[f"col.{c}"] for c in cols],
        {"deadline": "yyyy-mm-dd"},
        {"action": WIDE_TEXT, "owner": 24},
    )
    if frame.empty:
        write_value(ws, 3, 1, labels["actions.none"])


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
    formats = {"score": SCORE_FORMAT, "coverage": "0.000"}
    table(ws, frame, list(frame.columns), formats, CODE_WIDTHS | {"title": 36})


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
