"""Build the Streamlit app: page config and navigation. Called by ``app.py``."""

from __future__ import annotations

import streamlit as st

from wddf.i18n import t
from wddf.ui.app_pages import questionnaire_browser
from wddf.ui.database import database


def run() -> None:
    """Configure the page and run the selected page."""
    lang = st.session_state.get("lang", "en")
    st.set_page_config(page_title=t("app.title", lang), page_icon="💎", layout="wide")
    database()
    pages = [
        st.Page(
            questionnaire_browser.render,
            title=t("nav.questionnaire", lang),
            url_path="questionnaire",
            default=True,
        )
    ]
    st.navigation(pages).run()
