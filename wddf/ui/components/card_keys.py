"""The session-state keys of one answer card: its widgets, its save state and its folded parts.

Every key is ``<kind>:<assessment id>:<dimension id>:<group>``, so a card's keys come from
stable ids, never from loop positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    from streamlit.elements.lib.mutable_expander_container import ExpanderContainer

WIDGETS = ("grade", "justification", "evidence", "confidence")
# One dict per card: the row version it saw (the conflict check's token), the values last
# acknowledged and when, and whether the answer counts as complete and is carried over.
STORED = "stored"
# What a card holds of the database: its widgets and its stored dict.
READ_FROM_DATABASE = (*WIDGETS, STORED)
GENERATION = "grade-generation"  # how many times a card's grade widget was made anew


@dataclass(frozen=True)
class CardKeys:
    """The session-state keys of one dimension's widgets and save state."""

    assessment_id: int
    dimension_id: str
    group: str

    def key(self, kind: str) -> str:
        """The key of one kind of value of this card (a widget of ``WIDGETS``, ``STORED``,
        ``conflict``, ``error``, ``card``, a folded part…). The grade's widget is made anew each
        time the grade is cleared (``renew_grade``)."""
        suffix = f"{self.assessment_id}:{self.dimension_id}:{self.group}"
        if kind == "grade":
            generation = st.session_state.get(f"{GENERATION}:{suffix}", 0)
            kind = f"grade~{generation}" if generation else kind
        return f"{kind}:{suffix}"

    def renew_grade(self) -> None:
        """Make the grade's widget anew, empty: a browser keeps showing a radio's old choice when
        its value is set to none, and a click on that choice then changes nothing."""
        old = self.key("grade")
        counter = f"{GENERATION}:{self.assessment_id}:{self.dimension_id}:{self.group}"
        st.session_state[counter] = st.session_state.get(counter, 0) + 1
        st.session_state.pop(old, None)
        st.session_state[self.key("grade")] = None

    def shown(self) -> tuple:
        """What the widgets hold now."""
        state = st.session_state
        return tuple(state[self.key(k)] or None for k in WIDGETS)


def forget_every_card() -> None:
    """Drop what every card holds of the database, so that each card reads its answer again
    (after an import changed answers behind the widgets)."""
    prefixes = (*(f"{kind}:" for kind in READ_FROM_DATABASE), "grade~", f"{GENERATION}:")
    for key in [k for k in st.session_state if str(k).startswith(prefixes)]:
        del st.session_state[key]


def folded(
    keys: CardKeys, kind: str, label: str, icon: str | None = None, expanded: bool = False
) -> ExpanderContainer:
    """An expander of one card whose content is drawn only while it is open (``.open``): a
    closed one sends the browser its label alone (a graded goal's folded statements, guidance and
    files were half of its first drawing), and opening it reruns the card alone."""
    return st.expander(label, expanded, icon=icon, key=keys.key(kind), on_change="rerun")
