"""What's new for me: the person's latest notices (``services.notices``), on My assessments and
on My account."""

from __future__ import annotations

import streamlit as st

from wddf.i18n import day
from wddf.services import notices
from wddf.services.mail import PAGE_OF, headline
from wddf.ui.components.feedback import show_note
from wddf.ui.components.text import plain
from wddf.ui.context import PageContext

READ = "whats-new-read"


def whats_new(ctx: PageContext) -> None:
    """The person's latest notices, newest first, each with a link to its page; unread ones
    marked, and a button that marks them all read."""
    told = notices.whats_new(ctx.session, ctx.actor)
    unread = sum(1 for n in told if not n.read)
    title = ctx.t("notices.heading", unread=unread)
    with st.expander(title, expanded=bool(unread), icon=":material/notifications:"):
        _listed(ctx, told)


def _listed(ctx: PageContext, told: list[notices.Told]) -> None:
    show_note(READ)
    if not told:
        st.caption(ctx.t("notices.none"))
        return
    for notice in told:
        said = headline(notice.kind, notice.params, ctx.lang)
        when = day(notice.created_at.date(), ctx.lang)
        mark = "" if notice.read else f" · **{ctx.t('notices.unread')}**"
        left, right = st.columns([5, 1])
        left.markdown(f"{plain(said)} · {when}{mark}")
        page = PAGE_OF[notice.kind]
        if page in ctx.pages and notice.assessment_id is not None:
            target, query = ctx.link(page, assessment=notice.assessment_id)
            right.page_link(target, label=ctx.t("notices.open"), query_params=query)
    if any(not n.read for n in told) and st.button(ctx.t("notices.mark_read"), key="notices-read"):
        ctx.apply(lambda s: notices.mark_read(s, ctx.actor), READ, ctx.t("notices.read"))
