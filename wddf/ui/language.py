"""The language of the pages: chosen in the sidebar, kept in the URL so a refresh returns to the
same view, and remembered for the signed-in user."""

from __future__ import annotations

import streamlit as st

from wddf.config import get_settings
from wddf.i18n import LANGUAGE_NAMES, LANGUAGES, pick_language, t
from wddf.services import accounts
from wddf.services.actor import Actor
from wddf.storage.db import Database


def _remember_language(db: Database, actor: Actor | None) -> None:
    st.query_params["lang"] = st.session_state["lang"]
    if actor is not None:
        with db.session() as session:
            accounts.set_language(session, actor, st.session_state["lang"])


def language_switch(db: Database, actor: Actor | None) -> str:
    """The sidebar language switch. The first choice comes from the URL, then the user's saved
    language, then the browser's locale. Returns the language."""
    if "lang" not in st.session_state:
        saved = None
        if actor is not None:
            with db.session() as session:
                saved = accounts.language_of(session, actor)
        requested = st.query_params.get("lang") or saved
        st.session_state["lang"] = pick_language(
            requested, st.context.locale, get_settings().default_language
        )
    lang = st.session_state["lang"]
    st.sidebar.selectbox(
        t("sidebar.language", lang),
        LANGUAGES,
        key="lang",
        format_func=LANGUAGE_NAMES.__getitem__,
        on_change=_remember_language,
        args=(db, actor),
    )
    st.query_params["lang"] = st.session_state["lang"]
    return st.session_state["lang"]
