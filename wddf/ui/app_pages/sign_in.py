"""Sign-in: a link to the sign-in form served beside the app."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from wddf.ui.context import PageContext
from wddf.ui.routes import SIGN_IN_PATH


def render(ctx: PageContext) -> None:
    """Draw the page."""
    st.title(ctx.t("app.title"))
    st.write(ctx.t("auth.please_sign_in"))
    st.link_button(
        ctx.t("auth.sign_in"), f"{SIGN_IN_PATH}?{urlencode({'lang': ctx.lang})}", type="primary"
    )
