"""Language and edition choices, kept in the URL so a refresh returns to the same view."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from wddf.config import get_settings
from wddf.i18n import LANGUAGE_NAMES, LANGUAGES, pick_language, t
from wddf.questionnaire.schema import Edition
from wddf.services import accounts, editions
from wddf.services.actor import Actor
from wddf.storage.db import Database

if TYPE_CHECKING:
    from wddf.ui.context import PageContext


def _remember(param: str) -> None:
    st.query_params[param] = st.session_state[param]


def _remember_language(db: Database, actor: Actor | None) -> None:
    _remember("lang")
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


def edition_choice(ctx: PageContext) -> Edition | None:
    """The sidebar edition selector; the newest edition by default."""
    lang = ctx.lang
    by_id = editions.all_editions(ctx.session)
    if not by_id:
        return None
    if st.session_state.get("edition") not in by_id:
        wanted = st.query_params.get("edition")
        st.session_state["edition"] = (
            wanted if wanted in by_id else editions.newest_edition_id(ctx.session)
        )
    st.sidebar.selectbox(
        t("sidebar.edition", lang),
        list(by_id),
        key="edition",
        format_func=lambda eid: f"{by_id[eid].title.get(lang, eid)} ({eid})",
        on_change=_remember,
        args=("edition",),
    )
    st.query_params["edition"] = st.session_state["edition"]
    return by_id[st.session_state["edition"]]
