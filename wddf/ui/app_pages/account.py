"""My account: what's new for me, the address my notices are mailed to, and which kinds are."""

from __future__ import annotations

import streamlit as st

from wddf.config import get_settings
from wddf.domain import NoticeKind
from wddf.services import accounts, notices
from wddf.ui.components.feedback import show_note
from wddf.ui.components.whats_new import whats_new
from wddf.ui.context import PageContext

WHERE = "account"


def _address(ctx: PageContext) -> None:
    st.header(ctx.t("account.mail"))
    if get_settings().smtp_url is None:
        st.caption(ctx.t("account.no_relay"))
    show_note(f"{WHERE}-mail")
    with st.form("account-mail"):
        address = st.text_input(
            ctx.t("field.email"),
            value=accounts.email_of(ctx.session, ctx.actor) or "",
            key="account-email",
        )
        off = notices.mail_kinds_off(ctx.session, ctx.actor.id)
        wanted = {
            kind.value: st.checkbox(
                ctx.t(f"account.kind.{kind.value}"),
                value=kind.value not in off,
                key=f"account-kind-{kind.value}",
            )
            for kind in NoticeKind
        }
        if not st.form_submit_button(ctx.t("account.save")):
            return

    def save(session) -> None:
        accounts.set_email(session, ctx.actor, ctx.actor.id, address)
        notices.set_mail_kinds_off(session, ctx.actor, [k for k, on in wanted.items() if not on])

    ctx.apply(save, f"{WHERE}-mail", ctx.t("account.saved"))


def render(ctx: PageContext) -> None:
    """Draw the page."""
    st.title(ctx.t("account.heading"))
    whats_new(ctx)
    _address(ctx)
