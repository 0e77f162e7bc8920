"""Times for people: stored times are UTC; pages show them in the browser's time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from wddf.i18n import day
from wddf.services import audit


def browser_zone() -> ZoneInfo:
    """The browser's time zone (``st.context.timezone``), or UTC when it is unknown."""
    name = st.context.timezone
    try:
        return ZoneInfo(name) if isinstance(name, str) and name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local(moment: datetime, pattern: str = "%H:%M") -> str:
    """``moment`` on the browser's clock (SQLite returns stored times without their zone)."""
    return audit.aware(moment).astimezone(browser_zone()).strftime(pattern)


def local_moment(moment: datetime, lang: str) -> str:
    """``moment`` on the browser's clock, its day written the language's way ("6 décembre
    2026, 08:22")."""
    shown = audit.aware(moment).astimezone(browser_zone())
    return f"{day(shown.date(), lang)}, {shown:%H:%M}"


def zone_name() -> str:
    """The browser's time zone by name, for a hover text."""
    return str(browser_zone().key)
