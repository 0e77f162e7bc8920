"""First start on an empty database: create the first administrator, optionally load demo data."""

from __future__ import annotations

import streamlit as st

from wddf.domain import Role
from wddf.services import accounts
from wddf.services.answers import demo
from wddf.ui.app_pages import sign_in
from wddf.ui.context import PageContext


def render(ctx: PageContext) -> None:
    """Draw the page."""
    st.title(ctx.t("setup.heading"))
    st.write(ctx.t("setup.intro"))
    with st.form("setup"):
        username = st.text_input(ctx.t("auth.username"), key="setup-username")
        password = st.text_input(ctx.t("auth.password"), type="password", key="setup-password")
        load_demo = st.checkbox(ctx.t("setup.demo"), key="setup-demo")
        submitted = st.form_submit_button(ctx.t("setup.create"), type="primary")
    if not submitted:
        return
    with ctx.attempt() as done, ctx.write() as session:
        admin = accounts.create_user(session, None, username, Role.ADMIN, password)
        report = demo.load(session, admin) if load_demo else None
    if not done:
        return
    st.success(ctx.t("setup.created", name=admin.username))
    if report is not None:
        st.info(ctx.t("setup.demo_loaded", count=report.assessments))
    sign_in.render(ctx)
