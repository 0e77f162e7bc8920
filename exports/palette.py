"""The colours of every chart, in the app and in the documents: the Okabe–Ito palette, readable
with the common colour-vision deficiencies, and the colours that stand for grades and layers."""

from __future__ import annotations

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
GRADE_COLOURS = {
    "A": "#0072B2",
    "B": "#56B4E9",
    "C": "#E69F00",
    "D": "#D55E00",
    "D*": "#CC79A7",
    "NA": "#BBBBBB",
}
LAYER_COLOURS = {"law": "#0072B2", "policy": "#009E73", "practice": "#E69F00"}
