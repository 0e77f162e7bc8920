"""Sign-in: the local sign-in form served beside the app, or the OIDC provider via st.login."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from wddf.config import get_settings
from wddf.ui.context import PageContext, oidc_identity
from wddf.ui.routes import SIGN_IN_PATH


def render(ctx: PageContext) -> None:
    """Draw the page."""
    st.title(ctx.t("app.title"))
    if get_settings().auth == "oidc":
        if oidc_identity() is not None:
            st.warning(ctx.t("auth.not_linked"))
            st.button(ctx.t("auth.sign_out"), on_click=st.logout, key="oidc-sign-out")
            return
        st.write(ctx.t("auth.please_sign_in"))
        st.button(ctx.t("auth.sign_in"), on_click=st.login, type="primary", key="oidc-sign-in")
        return
    st.write(ctx.t("auth.please_sign_in"))
    st.link_button(
        ctx.t("auth.sign_in"), f"{SIGN_IN_PATH}?{urlencode({'lang': ctx.lang})}", type="primary"
    )
