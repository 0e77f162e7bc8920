"""The session-state keys of one answer card: its widgets and its save state.

Every key is ``<kind>:<assessment id>:<dimension id>:<group>``, so a card's keys come from
stable ids, never from loop positions.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

WIDGETS = ("grade", "justification", "evidence", "confidence")
# What a card holds of the database: its widgets, the row version it saw (the conflict check's
# token), the values last acknowledged and when.
READ_FROM_DATABASE = (*WIDGETS, "row_version", "saved_at", "acknowledged")


@dataclass(frozen=True)
class CardKeys:
    """The session-state keys of one dimension's widgets and save state."""

    assessment_id: int
    dimension_id: str
    group: str

    def key(self, kind: str) -> str:
        """The key of one kind of value of this card (a widget of ``WIDGETS``, ``row_version``,
        ``acknowledged``, ``saved_at``, ``standing``, ``conflict``, ``error``, ``card``…)."""
        return f"{kind}:{self.assessment_id}:{self.dimension_id}:{self.group}"

    def shown(self) -> tuple:
        """What the widgets hold now."""
        state = st.session_state
        return tuple(state[self.key(k)] or None for k in WIDGETS)


def forget_every_card() -> None:
    """Drop what every card holds of the database, so that each card reads its answer again
    (after an import changed answers behind the widgets)."""
    prefixes = tuple(f"{kind}:" for kind in READ_FROM_DATABASE)
    for key in [k for k in st.session_state if str(k).startswith(prefixes)]:
        del st.session_state[key]
