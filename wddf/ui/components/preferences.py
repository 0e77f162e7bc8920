"""The edition choice, kept in the URL so a refresh returns to the same view (the language's is
``wddf/ui/language.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from wddf.i18n import t
from wddf.questionnaire.schema import Edition
from wddf.services import editions

if TYPE_CHECKING:
    from wddf.ui.context import PageContext


def _remember(param: str) -> None:
    st.query_params[param] = st.session_state[param]


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
