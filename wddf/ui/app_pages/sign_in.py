"""Sign-in: the local sign-in form served beside the app, or the OIDC provider via st.login."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

import streamlit as st

from wddf.config import get_settings
from wddf.ui.context import PageContext, oidc_identity
from wddf.ui.routes import SIGN_IN_PATH

# The sign-in link, drawn as the app's primary button; it opens the form in the same tab.
LINK_STYLE = (
    "display:inline-block;padding:.45rem 1rem;border-radius:.5rem;background:#1F4E79;"
    "color:#FFFFFF;text-decoration:none;font-weight:600"
)


def render(ctx: PageContext, next_path: str = "/") -> None:
    """Draw the page; after signing in, the person comes back to ``next_path`` (the page they
    asked for, such as the link of an e-mail)."""
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
    query = urlencode({"lang": ctx.lang, "next": next_path})
    label = escape(ctx.t("auth.sign_in"))
    st.html(f'<a href="{escape(SIGN_IN_PATH)}?{escape(query)}" style="{LINK_STYLE}">{label}</a>')
