"""Feedback that is never late and never early: a confirmation kept across the rerun that shows
the new state, until the user moves on (another page, assessment or card); and what the previous
run showed, which a save made in this run carries as its conflict token."""

from __future__ import annotations

from typing import TypeVar

import streamlit as st

NOTE = "wddf-note"
Shown = TypeVar("Shown")


def note(where: str, kind: str, text: str) -> None:
    """Keep a confirmation (``kind``: success, info, warning) to show at ``where``."""
    st.session_state[NOTE] = {"where": where, "kind": kind, "text": text}


def scope(prefix: str) -> None:
    """Called once a page knows what it shows: a note kept for anywhere else is forgotten (the
    user moved on). Notes of this page start with ``prefix``."""
    kept = st.session_state.get(NOTE)
    if kept is not None and not kept["where"].startswith(prefix):
        st.session_state.pop(NOTE)


def has_note(where: str) -> bool:
    """Whether a confirmation is kept for ``where`` (a folded part then opens to show it)."""
    kept = st.session_state.get(NOTE)
    return kept is not None and kept["where"] == where


def show_note(where: str) -> None:
    """Show the kept confirmation when it belongs here."""
    kept = st.session_state.get(NOTE)
    if kept is not None and kept["where"] == where:
        getattr(st, kept["kind"])(kept["text"])


ROUNDS = "wddf-form-rounds"


def form_key(name: str, field: str | None = None) -> str:
    """The key of form ``name`` (or of its widget ``field``) in the form's current round.

    A form that makes something acts once per submission: after a success (``acted``) it is
    drawn anew under other keys, empty, so a second click of the same submission (a double
    click, a click replayed after an interrupted run) names a button no longer drawn, and does
    nothing. After a refusal the round stays, and so does what was typed. The first round keeps
    the plain keys."""
    number = st.session_state.get(ROUNDS, {}).get(name, 0)
    key = field or name
    return key if number == 0 else f"{key}~{number}"


def acted(name: str) -> None:
    """A submission of form ``name`` went through: its next round starts, empty. Call it right
    after the change, before anything is drawn (a run is only interrupted when it draws), so the
    change and the new round go together."""
    rounds = st.session_state.setdefault(ROUNDS, {})
    rounds[name] = rounds.get(name, 0) + 1


def shown_before(key: str, shown: Shown) -> Shown:
    """What the previous run showed under ``key`` (``shown`` on the first): the state a click
    in this run was made on, which travels with the save as its conflict token, so a change
    made by someone in between is refused, never overwritten. ``shown`` is kept for the next
    click."""
    before = st.session_state.get(key, shown)
    st.session_state[key] = shown
    return before
