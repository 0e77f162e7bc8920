"""The few style rules Streamlit's theme does not cover."""

from __future__ import annotations

import streamlit as st

CSS = """
<style>
/* Statement cards share a row's width, and wrap between words, never inside them. */
[class*="st-key-stmt-"] { flex: 1 1 185px; }
[class*="st-key-stmt-"] p { overflow-wrap: normal; word-break: normal; }
</style>
"""


def apply_style() -> None:
    """Inject the style rules."""
    st.html(CSS)
