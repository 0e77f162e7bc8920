"""The charts of the donor workbook's summary, each with the small table of figures it draws,
written below the charts: goal scores by assessment, the overall score over the years, and the
law/policy/practice gap. XlsxWriter; rows and columns counted from 0.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from exports.report_tables import ReportTables
from exports.sheet_layout import SCORE_FORMAT, style, write

CHART_ROWS = 18  # rows a chart of CHART_SIZE takes
CHART_SIZE = {"width": 510, "height": 320}  # px (13.5 × 8.5 cm): two across an A4 landscape page
MOST_BARS = 12  # countries in one goal or gap chart; more countries take more charts (pages)
BLOCK = 1  # the charts' figures start in the scorecard's country-name column, wide enough


def _chart_block(
    wb: Workbook, ws: Worksheet, top: int, header: list[str], rows: list[list]
) -> None:
    """A small table of the figures a chart draws, written below the charts (text as text)."""
    for c, name in enumerate(header, start=BLOCK):
        write(ws, top, c, name, style(wb, bold=True))
    number = style(wb, num_format=SCORE_FORMAT)
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row, start=BLOCK):
            write(ws, r, c, value, number if c > BLOCK else None)


def _sized(chart, title: str) -> None:
    chart.set_title({"name": title, "name_font": {"size": 11}})
    chart.set_size(CHART_SIZE)
    chart.set_legend({"position": "bottom"})


def _bars(wb: Workbook, ws: Worksheet, top: int, count: int, series: int, title: str):
    """A column chart of ``series`` columns of the block at ``top`` (``count`` rows), with the
    first column as categories."""
    chart = wb.add_chart({"type": "column"})
    _sized(chart, title)
    chart.set_y_axis({"min": 0, "max": 100})
    for c in range(BLOCK + 1, BLOCK + series + 1):
        chart.add_series(
            {
                "name": [ws.name, top, c],
                "categories": [ws.name, top + 1, BLOCK, top + count, BLOCK],
                "values": [ws.name, top + 1, c, top + count, c],
            }
        )
    return chart


def _pages(latest: pd.DataFrame) -> list[pd.DataFrame]:
    """Each country's latest assessment, by name, in pages of ``MOST_BARS``: every country in
    scope is drawn, never silently dropped."""
    ordered = latest.sort_values("country_name")
    return [ordered.iloc[i : i + MOST_BARS] for i in range(0, len(ordered), MOST_BARS)]


def page_count(countries: int) -> int:
    """How many goal (or gap) charts ``countries`` countries take."""
    return max(1, -(-countries // MOST_BARS))


def _paged_title(title: str, page: int, pages: int) -> str:
    return title if pages == 1 else f"{title} ({page}/{pages})"


def goal_chart(
    wb: Workbook,
    ws: Worksheet,
    frame: pd.DataFrame,
    goal_ids: list[str],
    labels: Mapping[str, str],
    top: int,
) -> tuple[list, int]:
    """Goal scores of each country's latest assessment, named "country year", one chart per
    ``MOST_BARS`` countries, each with its figures at ``top``; the charts and the next free row."""
    latest = frame.sort_values("year").groupby("country").tail(1)
    pages = _pages(latest)
    charts = []
    for number, page in enumerate(pages, start=1):
        rows = [
            [f"{r.country_name} {r.year}", *(getattr(r, g, None) for g in goal_ids)]
            for r in page.itertuples()
        ]
        _chart_block(wb, ws, top, [labels["col.country_name"], *goal_ids], rows)
        title = _paged_title(labels["chart.goals"], number, len(pages))
        chart = _bars(wb, ws, top, len(rows), len(goal_ids), title)
        chart.set_y_axis({"min": 0, "max": 100, "name": labels["col.score"]})
        charts.append(chart)
        top += len(rows) + 2
    return charts, top


def progress_chart(
    wb: Workbook,
    ws: Worksheet,
    frame: pd.DataFrame,
    labels: Mapping[str, str],
    top: int,
) -> tuple[list, int]:
    """The overall score of each country over the years: straight lines on a year axis, so
    that the gaps between assessments show; the chart (none without scores) and the next free
    row."""
    wide = frame.pivot_table(index="year", columns="country_name", values="score", aggfunc="first")
    if wide.empty:
        return [], top
    rows = [[int(year), *row] for year, row in wide.iterrows()]
    _chart_block(wb, ws, top, [labels["col.year"], *wide.columns], rows)
    chart = wb.add_chart({"type": "scatter", "subtype": "straight_with_markers"})
    _sized(chart, labels["chart.progress"])
    years = [int(y) for y in wide.index]
    chart.set_x_axis(
        {
            "name": labels["col.year"],
            "min": min(years) - 1,
            "max": max(years) + 1,
            "major_unit": 1,
            "num_format": "0",
        }
    )
    chart.set_y_axis({"name": labels["col.overall"], "min": 0, "max": 100})
    for c in range(BLOCK + 1, BLOCK + 1 + len(wide.columns)):
        chart.add_series(
            {
                "name": [ws.name, top, c],
                "categories": [ws.name, top + 1, BLOCK, top + len(rows), BLOCK],
                "values": [ws.name, top + 1, c, top + len(rows), c],
                "marker": {"type": "circle"},
                "smooth": False,  # a straight line from one assessment to the next
            }
        )
    return [chart], top + len(rows) + 2


def gap_chart(
    wb: Workbook,
    ws: Worksheet,
    tables: ReportTables,
    labels: Mapping[str, str],
    top: int,
) -> tuple[list, int]:
    """Law, policy and practice of each country's latest assessment (the implementation gap),
    one chart per ``MOST_BARS`` countries; the charts and the next free row."""
    if tables.layers.empty:
        return [], top
    overall = tables.layers[tables.layers["level"].eq("overall")].merge(
        tables.assessments[["country", "year", "country_name"]], on=["country", "year"]
    )
    latest = overall.sort_values("year").groupby("country").tail(1)
    parts = ["law", "policy", "practice"]
    header = [labels["col.country_name"], *(labels[f"layer.{p}"] for p in parts)]
    pages = _pages(latest)
    charts = []
    for number, page in enumerate(pages, start=1):
        rows = [
            [f"{r.country_name} {r.year}", *(getattr(r, p) for p in parts)]
            for r in page.itertuples()
        ]
        _chart_block(wb, ws, top, header, rows)
        title = _paged_title(labels["chart.gap"], number, len(pages))
        charts.append(_bars(wb, ws, top, len(rows), len(parts), title))
        top += len(rows) + 2
    return charts, top
