"""The donor workbook: cover, summary with charts, indicators, dimensions, comparison, action plan,
methodology and a long data table. Pure: tables and labels in, .xlsx bytes out, written with
XlsxWriter (openpyxl reads workbooks; it does not write this one).

``labels`` carries every heading in the workbook's language (keys such as ``sheet.summary`` or
``col.country``); a missing label raises ``KeyError`` so no heading is ever left untranslated.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping

import pandas as pd
import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from exports.donor_charts import (
    CHART_ROWS,
    gap_chart,
    goal_chart,
    page_count,
    progress_chart,
)
from exports.long_sheets import CODE_WIDTHS, flag_demo, write_long_sheets
from exports.report_tables import MATRIX_COLUMNS, ReportTables
from exports.sheet_layout import (
    OPTIONS,
    SCORE_FORMAT,
    SHARE_FORMAT,
    WIDE_TEXT,
    WRAP,
    bands,
    page_frame,
    print_setup,
    row_height,
    score_columns,
    style,
    table,
    text_lines,
    write,
)

# Narrow columns, so that the scorecard prints on one A4 landscape page at a readable size.
SCORECARD_WIDTHS = {
    "country": 8,
    "country_name": 22,
    "year": 7,
    "status": 18,
    "score": 9,
    "coverage": 10,
    "demo": 8,
}


# Sheets in the order the workbook has them, each with whether ``tables`` gives it rows.
def _contents(tables: ReportTables, listed_apart: bool) -> list[str]:
    present = {
        "assessments": listed_apart,
        "carried": bool(len(tables.carried)),
        "sector": bool(len(tables.sector)),
    }
    order = ["assessments", "summary", "indicators", "dimensions", "carried", "sector"]
    order += ["comparison", "actions", "methodology", "data"]
    return [key for key in order if present.get(key, True)]


MOST_LISTED = 60  # assessments listed on the cover; more go to a sheet of their own


def _cover(
    wb: Workbook,
    sheets: Mapping[str, Worksheet],
    tables: ReportTables,
    labels: Mapping[str, str],
    about: Mapping[str, str],
) -> None:
    """What the workbook is, what it holds (each sheet, each assessment with its status, the
    editions and scoring recipes), where the method is explained, how to cite it, its licence
    and whom to ask; demo data flagged in a row of its own. A long list of assessments goes to
    a sheet of its own (a cell holds 32,767 characters at most)."""
    ws = sheets["cover"]
    coverage = tables.overall["coverage"].mean() if len(tables.overall) else None
    included = [
        f"{r.country_name} {r.year}: {labels.get(f'status.{r.status}', r.status)}"
        for r in tables.assessments.sort_values(["country_name", "year"]).itertuples()
    ]
    apart = "assessments" in sheets
    if apart:
        listed = labels["cover.assessments_sheet"].format(
            count=len(included), sheet=labels["sheet.assessments"]
        )
    else:
        listed = "\n".join(included)
    recipes = [
        f"{r['edition_id']} · {r['method_version']} · M2 {r['m2_rule']} · {r['fingerprint']}"
        for r in tables.recipes
    ]
    contents = [f"{labels[f'sheet.{k}']}: {labels[f'about.{k}']}" for k in _contents(tables, apart)]
    licence = about.get("licence", "CC-BY-4.0")
    cite = labels["cover.cite_text"].format(date=tables.generated_at)
    rows = [
        (labels["cover.title"], labels["cover.what"]),
        (labels["cover.generated"], tables.generated_at),
        (labels["cover.scope"], ", ".join(sorted(set(tables.assessments["country_name"])))),
        (labels["cover.assessments"], listed),
        (labels["cover.contents"], "\n".join(contents)),
        (labels["cover.editions"], ", ".join(sorted(set(tables.assessments["edition_id"])))),
        (labels["cover.method"], "\n".join(recipes)),
        (labels["cover.method_where"], labels["cover.method_where_text"]),
        (labels["cover.coverage"], coverage),
        (labels["cover.source"], labels["cover.source_note"]),
        (labels["cover.cite"], cite),
        (labels["cover.licence"], f"{licence} (https://spdx.org/licenses/{licence}.html)"),
        (labels["cover.contact"], about.get("contact") or labels["cover.contact_none"]),
    ]
    if tables.has_demo:
        rows.insert(0, (labels["cover.demo_flag"], labels["cover.demo_text"]))
    widths = (30, 90)
    ws.set_column(0, 0, widths[0])
    ws.set_column(1, 1, widths[1])
    for r, (key, value) in enumerate(rows):
        demo = key == labels.get("cover.demo_flag")
        write(ws, r, 0, key, style(wb, bold=True, **WRAP))
        value_style = (
            style(wb, bold=True, font_color="#B2182B", **WRAP)
            if demo
            else style(wb, num_format=SHARE_FORMAT, **WRAP)
            if key == labels["cover.coverage"]
            else style(wb, **WRAP)
        )
        write(ws, r, 1, value, value_style)
        shown = str(value if value is not None else "")
        lines = max(text_lines(key, widths[0]), text_lines(shown, widths[1]))
        ws.set_row(r, row_height(lines))
    print_setup(ws, header=False)
    ws.fit_to_pages(1, 1)  # the cover is one page
    wb.set_properties(
        {
            "title": labels["print.title"],
            "subject": ", ".join(sorted(set(tables.assessments["country_name"]))),
            "author": "WDDF self-assessment tool",
            "keywords": "WDDF, Washington Declaration, Kimberley Process, WGAAP",
            "comments": cite,
        }
    )
    if apart:
        _assessments(wb, sheets["assessments"], tables, labels)


def _assessments(
    wb: Workbook, ws: Worksheet, tables: ReportTables, labels: Mapping[str, str]
) -> None:
    """Every assessment, one row each: the cover's list when it is too long for one cell."""
    cols = ["country", "country_name", "year", "status", "edition_id"]
    frame = tables.assessments.sort_values(["country_name", "year"])[cols]
    frame = frame.assign(status=frame["status"].map(lambda v: labels.get(f"status.{v}", v)))
    headers = [labels.get(f"col.{c}", labels["cover.editions"]) for c in cols]
    frame, headers = flag_demo(frame, headers, tables, labels)
    table(wb, ws, frame, headers, {}, SCORECARD_WIDTHS | {"edition_id": 14})


COVERAGE_SUFFIX = " coverage"  # the column of a goal's coverage in ``_summary_frame``


def _by_goal(goals: pd.DataFrame, value: str) -> pd.DataFrame:
    """One row per (country, year), one column per goal, of the goals' ``value``."""
    typed = goals.astype({"country": object, "goal_id": object})
    return typed.pivot_table(
        index=["country", "year"], columns="goal_id", values=value, aggfunc="first", sort=False
    )


def _summary_frame(
    tables: ReportTables, labels: Mapping[str, str]
) -> tuple[pd.DataFrame, list[str]]:
    base = tables.assessments[["country", "country_name", "year", "status"]]
    overall = tables.overall.reindex(columns=["country", "year", "score", "coverage"])
    overall = overall.astype({"country": object})
    frame = base.merge(overall, on=["country", "year"], how="left")
    frame["status"] = frame["status"].map(lambda v: labels.get(f"status.{v}", v))
    goal_ids: list[str] = []
    if len(tables.goals):
        wide = _by_goal(tables.goals, "score")
        goal_ids = list(wide.columns)
        covered = _by_goal(tables.goals, "coverage")
        covered.columns = [f"{g}{COVERAGE_SUFFIX}" for g in covered.columns]
        for part in (wide, covered):
            frame = frame.merge(part.reset_index(), on=["country", "year"], how="left")
    return frame.sort_values(["country", "year"]).reset_index(drop=True), goal_ids


def _summary(wb: Workbook, ws: Worksheet, tables: ReportTables, labels: Mapping[str, str]) -> None:
    """The scorecard, then under it the charts a board reads: goal scores by assessment, the
    overall score over the years, and the law/policy/practice gap."""
    frame, goal_ids = _summary_frame(tables, labels)
    headers = [
        labels["col.country"],
        labels["col.country_name"],
        labels["col.year"],
        labels["col.status"],
        labels["col.overall"],
        labels["col.coverage"],
        *[f"{g} · {tables.heading_title(g)}" for g in goal_ids],
    ]
    formats = {"score": SCORE_FORMAT, "coverage": SHARE_FORMAT} | dict.fromkeys(
        goal_ids, SCORE_FORMAT
    )
    # the scorecard fills the page's width: the demo mark goes with the status
    scores = frame.drop(columns=[c for c in frame.columns if str(c).endswith(COVERAGE_SUFFIX)])
    shown, headers = flag_demo(scores, headers, tables, labels, into="status")
    widths = SCORECARD_WIDTHS | dict.fromkeys(goal_ids, 9)
    table(wb, ws, shown, headers, formats, widths)
    n = len(frame)
    if n == 0:
        return
    bands(wb, ws, score_columns(list(shown.columns), ["score", *goal_ids], n), n)
    below = _goal_coverage(wb, ws, frame, list(shown.columns), goal_ids, labels, n + 1)
    charts_top = below + 1  # two charts side by side under the tables, a page for each pair
    pages = page_count(frame["country"].nunique())  # goal and gap charts: MOST_BARS countries
    pairs = -(-(2 * pages + 1) // 2)
    data_top = charts_top + pairs * CHART_ROWS + 2  # the charts' figures, below the charts
    goals, data_top = (
        goal_chart(wb, ws, frame, goal_ids, labels, data_top) if goal_ids else ([], data_top)
    )
    progress, data_top = progress_chart(wb, ws, frame, labels, data_top)
    gaps, _ = gap_chart(wb, ws, tables, labels, data_top)
    right = len(SCORECARD_WIDTHS) + 1  # the right-hand column, clear of the left-hand chart
    for place, chart in enumerate([*goals, *progress, *gaps]):
        ws.insert_chart(charts_top + (place // 2) * CHART_ROWS, (place % 2) * right, chart)
    ws.set_h_pagebreaks([charts_top + k * CHART_ROWS for k in range(1, pairs)])


CARRIED_COLUMNS = ["country", "year", "goal_id", "title", "confirmed", "in_bulk", "to_confirm"]


def _carried(wb: Workbook, ws: Worksheet, tables: ReportTables, labels: Mapping[str, str]) -> None:
    """Per assessment and goal, the answers confirmed unchanged from last year and how many of
    those with a whole goal at once: a sheet only when any answer was carried over."""
    frame = tables.carried.assign(title=tables.titles_of(tables.carried, "goal_id"))
    frame = frame.sort_values(["country", "year", "goal_id"])[CARRIED_COLUMNS]
    headers = [labels[f"col.{c}"] for c in CARRIED_COLUMNS]
    frame, headers = flag_demo(frame, headers, tables, labels)
    table(wb, ws, frame, headers, {}, CODE_WIDTHS | {"title": 40, "confirmed": 16, "in_bulk": 16})


SECTOR_COLUMNS = ["country", "year", "item", "value", "text", "source", "figure_year"]
WORKBOOK_OPTIONS = {k: v for k, v in OPTIONS.items() if k != "in_memory"} | {
    "constant_memory": True
}


def _sector(wb: Workbook, ws: Worksheet, tables: ReportTables, labels: Mapping[str, str]) -> None:
    """Each assessment's sector data sheet, one row per item entered: a sheet only when any
    item was."""
    frame = tables.sector.assign(
        item=tables.sector["item"].map(lambda key: labels.get(f"sector_item.{key}", key))
    )[SECTOR_COLUMNS]
    headers = [labels[f"col.{c}"] for c in SECTOR_COLUMNS]
    frame, headers = flag_demo(frame, headers, tables, labels)
    widths = CODE_WIDTHS | {"item": 34, "value": 16, "text": 50, "source": 30, "figure_year": 12}
    table(wb, ws, frame, headers, {"value": "#,##0.##"}, widths)


def _comparison(
    wb: Workbook, ws: Worksheet, tables: ReportTables, labels: Mapping[str, str]
) -> None:
    frame, goal_ids = _summary_frame(tables, labels)
    latest = (
        frame.sort_values("year").groupby("country", as_index=False).tail(1).sort_values("country")
    )
    cols = ["country_name", "year", "score", "coverage", *goal_ids]
    headers = [
        labels["col.country_name"],
        labels["col.year"],
        labels["col.overall"],
        labels["col.coverage"],
        *[f"{g} · {tables.heading_title(g)}" for g in goal_ids],
    ]
    shown, headers = flag_demo(latest[cols], headers, tables, labels)
    formats = dict.fromkeys(["score", *goal_ids], SCORE_FORMAT) | {"coverage": SHARE_FORMAT}
    widths = SCORECARD_WIDTHS | dict.fromkeys(goal_ids, 9)
    table(wb, ws, shown, headers, formats, widths)
    spans = score_columns(list(shown.columns), ["score", *goal_ids], len(latest))
    bands(wb, ws, spans, len(latest))
    if len(latest):
        _goal_coverage(wb, ws, latest, list(shown.columns), goal_ids, labels, len(latest) + 1)


def _goal_coverage(
    wb: Workbook,
    ws: Worksheet,
    frame: pd.DataFrame,
    columns: list[str],
    goal_ids: list[str],
    labels: Mapping[str, str],
    top: int,
) -> int:
    """Under a table of goal scores, each goal's coverage in the column of its score, row by
    row ("country year" first): coverage beside every score, the page's width kept. Returns
    the next free row."""
    if not goal_ids:
        return top
    first = columns.index("country_name") if "country_name" in columns else 0
    write(ws, top + 1, first, labels["cover.goal_coverage"], style(wb, bold=True))
    share = style(wb, num_format=SHARE_FORMAT, italic=True)
    for r, row in enumerate(frame.to_dict("records"), start=top + 2):
        write(ws, r, first, f"{row['country_name']} {row['year']}")
        for goal in goal_ids:
            value = row.get(f"{goal}{COVERAGE_SUFFIX}")
            shown = None if value is None or pd.isna(value) else float(value)
            write(ws, r, columns.index(goal), shown, share)
    return top + 2 + len(frame)


# The policy priority matrix's columns in the workbook and the report.
WORKBOOK_MATRIX = ["country", "year", *MATRIX_COLUMNS]


def matrix_rows(tables: ReportTables, labels: Mapping[str, str]) -> pd.DataFrame:
    """The policy priority matrix as people read it: dates as dates, codes as words."""
    frame = tables.actions.reindex(columns=WORKBOOK_MATRIX)
    if frame.empty:
        return frame
    return frame.assign(
        deadline=pd.to_datetime(frame["deadline"], utc=True).dt.date,
        status=frame["status"].map(lambda v: labels.get(f"plan_status.{v}", v)),
        timeframe=frame["timeframe"].map(lambda v: labels.get(f"timeframe.{v}", v)),
    )


def _actions(wb: Workbook, ws: Worksheet, tables: ReportTables, labels: Mapping[str, str]) -> None:
    frame = matrix_rows(tables, labels)
    frame, headers = flag_demo(frame, [labels[f"col.{c}"] for c in WORKBOOK_MATRIX], tables, labels)
    table(
        wb,
        ws,
        frame,
        headers,
        {"deadline": "yyyy-mm-dd", "estimated_cost": "#,##0"},
        CODE_WIDTHS
        | {
            "action": WIDE_TEXT,
            "progress": WIDE_TEXT,
            "owner": 24,
            "partners": 24,
            "dimensions": 16,
            "priority": 8,
            "currency": 8,
            "estimated_cost": 13,
        },
    )
    if frame.empty:
        write(ws, 2, 0, labels["actions.none"])


def _methodology(
    wb: Workbook, ws: Worksheet, tables: ReportTables, labels: Mapping[str, str]
) -> None:
    wrap = style(wb, **WRAP)
    lines = [labels[f"method.{n}"] for n in range(1, 7)]
    for r, line in enumerate(lines):
        write(ws, r, 0, line, wrap)
        ws.set_row(r, row_height(text_lines(line, 110)))
    row = len(lines) + 1
    for recipe in tables.recipes:
        for key in RECIPE_KEYS:
            value = recipe[key]
            shown = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
            write(ws, row, 0, key)
            write(ws, row, 1, shown, wrap)
            row += 1
        row += 1
    ws.set_column(0, 0, 110)
    ws.set_column(1, 1, 90)
    print_setup(ws, header=False)


RECIPE_KEYS = (
    "fingerprint",
    "method_version",
    "edition_id",
    "grade_values",
    "m2_rule",
    "indicator_methods",
    "goal_weights",
    "indicator_weights",
    "dimension_weights",
)


def donor_workbook(
    tables: ReportTables, labels: Mapping[str, str], about: Mapping[str, str] | None = None
) -> bytes:
    """The donor workbook as .xlsx bytes; ``about`` gives the data's ``licence`` (an SPDX id)
    and ``contact``, as the cover says them."""
    out = io.BytesIO()
    # rows go to temporary files as they are written (each sheet is written top to bottom)
    wb = xlsxwriter.Workbook(out, WORKBOOK_OPTIONS)
    # every sheet first, in the workbook's order; the long ones are filled a part at a time, and
    # the others with what the parts leave
    apart = len(tables.assessments) > MOST_LISTED
    keys = ["cover", *_contents(tables, apart)]
    sheets = {key: wb.add_worksheet(labels[f"sheet.{key}"]) for key in keys}
    whole = write_long_sheets(wb, sheets, tables, labels)
    _cover(wb, sheets, whole, labels, about or {})
    for key, part in (
        ("summary", _summary),
        ("carried", _carried),
        ("sector", _sector),
        ("comparison", _comparison),
        ("actions", _actions),
        ("methodology", _methodology),
    ):
        if key in sheets:
            part(wb, sheets[key], whole, labels)
    banner = labels["cover.demo_flag"] if tables.has_demo else None  # on every printed page
    notes = {labels["sheet.data"]: labels["print.data_note"]}
    page_frame(wb, labels["print.title"], labels["print.page"], banner, notes)
    wb.close()
    return out.getvalue()
