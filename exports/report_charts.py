"""The country report's charts, drawn with matplotlib's object interface (no pyplot state, so
threads may draw at once) into PNG bytes, in the Okabe–Ito palette. Pure: tables in, images out;
no browser and no display are needed."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure

from exports.palette import LAYER_COLOURS, OKABE_ITO

WIDTH_INCHES = 6.3  # the text width of an A4 page with 2 cm margins
DPI = 150


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, bbox_inches="tight")
    return out.getvalue()


def _frame(axes, title: str, limit: float = 100) -> None:
    axes.set_title(title, fontsize=10, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=8)
    axes.set_xlim(0, limit)


def score_bars(names: Sequence[str], scores: Sequence[float | None], title: str) -> bytes:
    """One horizontal bar per node (its score, 0–100), the first at the top; a node with no
    score has no bar."""
    figure = Figure(figsize=(WIDTH_INCHES, 0.32 * len(names) + 0.8))
    axes = figure.subplots()
    values = [0 if s is None or s != s else s for s in scores]
    positions = range(len(names))[::-1]
    axes.barh(list(positions), values, color=OKABE_ITO[0], height=0.6)
    axes.set_yticks(list(positions), list(names))
    for position, value, score in zip(positions, values, scores, strict=True):
        if score is not None and score == score:
            axes.text(value + 1, position, f"{score:.0f}", va="center", fontsize=7)
    _frame(axes, title)
    return _png(figure)


def layer_bars(
    names: Sequence[str],
    layers: Mapping[str, Sequence[float | None]],
    legend: Mapping[str, str],
    title: str,
) -> bytes:
    """Law, policy and practice side by side for each node, with the layers' colours."""
    figure = Figure(figsize=(WIDTH_INCHES, 0.5 * len(names) + 1.0))
    axes = figure.subplots()
    height = 0.8 / max(len(layers), 1)
    for n, (layer, values) in enumerate(layers.items()):
        shown = [0 if v is None or v != v else v for v in values]
        positions = [len(names) - 1 - i + (1 - n) * height for i in range(len(names))]
        axes.barh(positions, shown, height=height, color=LAYER_COLOURS[layer], label=legend[layer])
    axes.set_yticks([len(names) - 1 - i for i in range(len(names))], list(names))
    axes.legend(fontsize=7, loc="lower right", frameon=False)
    _frame(axes, title)
    return _png(figure)


def progress_line(years: Sequence[int], scores: Sequence[float | None], title: str) -> bytes:
    """The overall score year by year."""
    figure = Figure(figsize=(WIDTH_INCHES, 2.4))
    axes = figure.subplots()
    axes.plot(list(years), list(scores), marker="o", color=OKABE_ITO[0])
    for year, score in zip(years, scores, strict=True):
        if score is not None and score == score:
            axes.annotate(
                f"{score:.0f}",
                (year, score),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=7,
            )
    axes.set_xticks(list(years), [str(y) for y in years])
    axes.set_ylim(0, 100)
    axes.set_title(title, fontsize=10, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=8)
    return _png(figure)
