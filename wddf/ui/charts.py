"""Plotly figures of the insight pages, drawn from tables the services return.

Charts draw figures; they never compute one. Colours are the Okabe–Ito palette and the
cividis scale, both readable with the common colour-vision deficiencies.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from exports.palette import GRADE_COLOURS, OKABE_ITO

SCORE_SCALE = "Cividis"
SCORE_RANGE = [0, 100]


def _layout(figure: go.Figure, height: int = 380) -> go.Figure:
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        colorway=OKABE_ITO,
        legend={"orientation": "h", "y": -0.15},
        font={"size": 13},
    )
    return figure


def radar(labels: list[str], scores: list[float], name: str) -> go.Figure:
    """Goal scores on a radar, 0–100."""
    closed = [*scores, scores[0]] if scores else []
    figure = go.Figure(
        go.Scatterpolar(
            r=closed,
            theta=[*labels, labels[0]] if labels else [],
            fill="toself",
            name=name,
            line={"color": OKABE_ITO[0]},
        )
    )
    figure.update_layout(polar={"radialaxis": {"range": SCORE_RANGE}}, showlegend=False)
    return _layout(figure, 420)


def score_bars(
    labels: list[str], scores: list[float], texts: list[str], axis_title: str, top: float = 100
) -> go.Figure:
    """Horizontal bars of values from 0 to ``top`` (scores: 100), with a text at each bar."""
    figure = go.Figure(
        go.Bar(
            x=scores,
            y=labels,
            orientation="h",
            text=texts,
            textposition="outside",
            marker={"color": scores, "colorscale": SCORE_SCALE, "cmin": 0, "cmax": top},
        )
    )
    figure.update_xaxes(range=[0, top * 1.15], title=axis_title)
    figure.update_yaxes(autorange="reversed")
    return _layout(figure, max(300, 28 * len(labels) + 80))


def grade_heatmap(table: pd.DataFrame, value_column: str = "value") -> go.Figure:
    """Dimensions as cells, one row per indicator: colour by grade value, the letter written in.

    ``table`` has ``row`` (indicator label), ``column`` (position in the indicator), ``grade``
    and ``value``.
    """
    values = table.pivot(index="row", columns="column", values=value_column)
    letters = table.pivot(index="row", columns="column", values="grade").fillna("")
    order = list(dict.fromkeys(table["row"]))
    values, letters = values.reindex(order), letters.reindex(order)
    figure = _heatmap(
        values.to_numpy(),
        [str(c) for c in values.columns],
        order,
        letters.to_numpy(),
        (1, 4),
        showscale=False,
    )
    return _layout(figure, max(300, 26 * len(order) + 60))


def score_heatmap(table: pd.DataFrame, rows: list[str], columns: list[str]) -> go.Figure:
    """Scores 0–100 as a heatmap (e.g. countries × goals) with the rounded score in each cell."""
    z = table.reindex(index=rows, columns=columns)
    text = z.round(0).astype("Int64").astype(str).replace("<NA>", "–")
    figure = _heatmap(z.to_numpy(dtype=float), columns, rows, text.to_numpy(), (0, 100))
    return _layout(figure, max(320, 26 * len(rows) + 80))


def _heatmap(
    z, x: list[str], y: list[str], text, bounds: tuple[float, float], showscale: bool = True
) -> go.Figure:
    """A cividis heatmap with ``text`` written in each cell and the first row on top."""
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            text=text,
            texttemplate="%{text}",
            colorscale=SCORE_SCALE,
            zmin=bounds[0],
            zmax=bounds[1],
            showscale=showscale,
            xgap=2,
            ygap=2,
        )
    )
    figure.update_yaxes(autorange="reversed")
    return figure


def grouped_bars(
    categories: list[str], series: dict[str, list[float]], colours: dict[str, str] | None = None
) -> go.Figure:
    """Grouped vertical bars: one series per name (e.g. law, policy, practice per goal)."""
    figure = go.Figure()
    for index, (name, values) in enumerate(series.items()):
        colour = (colours or {}).get(name, OKABE_ITO[index % len(OKABE_ITO)])
        figure.add_bar(x=categories, y=values, name=name, marker_color=colour)
    figure.update_yaxes(range=SCORE_RANGE)
    figure.update_layout(barmode="group")
    return _layout(figure)


def trend_lines(
    trends: pd.DataFrame,
    names: dict[str, str],
    markers: list[tuple[int, str]],
    coverage_label: str = "coverage",
) -> go.Figure:
    """Scores per year, one line per node (``year, node, score, coverage``), the coverage in
    each point's hover text; a dashed line and a label where the edition changed."""
    figure = go.Figure()
    for index, (node, rows) in enumerate(trends.groupby("node", sort=False)):
        figure.add_scatter(
            x=rows["year"],
            y=rows["score"],
            mode="lines+markers",
            name=names.get(node, node),
            customdata=rows["coverage"],
            hovertemplate=f"%{{x}}: %{{y:.1f}} ({coverage_label} %{{customdata:.0%}})",
            line={
                "width": 4 if node == "overall" else 1.5,
                "color": "#000000" if node == "overall" else OKABE_ITO[index % 7],
            },
        )
    for year, label in markers:
        figure.add_vline(x=year - 0.5, line_dash="dash", line_color="#555555")
        figure.add_annotation(x=year - 0.5, y=100, text=label, showarrow=False, yanchor="bottom")
    figure.update_yaxes(range=[0, 105])
    figure.update_xaxes(dtick=1)
    return _layout(figure, 440)


def stacked_grades(table: pd.DataFrame, labels: list[str]) -> go.Figure:
    """Horizontal stacked bars: how many assessments gave each grade, per row of ``table``."""
    figure = go.Figure()
    for grade, colour in GRADE_COLOURS.items():
        if grade in table.columns:
            figure.add_bar(
                y=labels, x=table[grade], name=grade, orientation="h", marker_color=colour
            )
    figure.update_layout(barmode="stack")
    figure.update_yaxes(autorange="reversed")
    return _layout(figure, max(320, 22 * len(labels) + 80))


def peer_range(
    labels: list[str],
    mine: list[float],
    median: list[float],
    low: list[float],
    high: list[float],
    names: tuple[str, str],
) -> go.Figure:
    """A country's goal scores against the range and median of its peers."""
    figure = go.Figure()
    figure.add_scatter(
        x=median,
        y=labels,
        mode="markers",
        name=names[1],
        marker={"symbol": "line-ns-open", "size": 18, "color": "#555555"},
        error_x={
            "type": "data",
            "symmetric": False,
            "array": [h - m for h, m in zip(high, median, strict=True)],
            "arrayminus": [m - lo for m, lo in zip(median, low, strict=True)],
            "color": "#999999",
        },
    )
    figure.add_scatter(
        x=mine,
        y=labels,
        mode="markers",
        name=names[0],
        marker={"symbol": "diamond", "size": 13, "color": OKABE_ITO[3]},
    )
    figure.update_xaxes(range=[0, 100])
    figure.update_yaxes(autorange="reversed")
    return _layout(figure)
