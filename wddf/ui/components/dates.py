"""A day within an assessment's window (``domain.assessment_window``), as the user typed it.

The input is not clamped to the window: a day outside it reaches the service, which refuses it
naming the window (``outside_window``), rather than being silently replaced by the nearest day
the browser allows. The window is said beside the input.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from wddf.domain import MAX_YEAR, MIN_YEAR, assessment_window
from wddf.i18n import day
from wddf.ui.context import PageContext


def window_date(
    ctx: PageContext, label: str, year: int, key: str, value: date | None = None
) -> date | None:
    """A date input for a record of the assessment of ``year``: today (within the window) unless
    ``value`` is given."""
    first, last = assessment_window(year)
    return st.date_input(
        label,
        value=value or min(max(date.today(), first), last),
        min_value=date(MIN_YEAR, 1, 1),
        max_value=date(MAX_YEAR, 12, 31),
        key=key,
        format=ctx.t("ui.date_format"),
        help=ctx.t("ui.window", first=day(first, ctx.lang), last=day(last, ctx.lang)),
    )
