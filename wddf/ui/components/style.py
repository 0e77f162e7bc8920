"""The few style rules Streamlit's theme does not cover."""

from __future__ import annotations

import streamlit as st

CSS = """
<style>
/* Statement cards share a row's width, and wrap between words, never inside them. */
[class*="st-key-stmt-"] { flex: 1 1 185px; }
[class*="st-key-stmt-"] p { overflow-wrap: normal; word-break: normal; }
/* A page's sections are h2 under its h1, so that no heading level is skipped, drawn at the size
   of Streamlit's h3; the headings inside a section (h3) smaller still. */
[data-testid="stHeading"] h2 { font-size: 1.75rem; }
[data-testid="stMarkdownContainer"] h3 { font-size: 1.1rem; }
</style>
"""


def apply_style() -> None:
    """Inject the style rules."""
    st.html(CSS)
