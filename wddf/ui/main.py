"""Build the Streamlit app: page config, who is signed in, and the pages their role may see."""

from __future__ import annotations

from functools import partial
from html import escape
from urllib.parse import urlencode

import streamlit as st

from wddf.config import get_settings
from wddf.domain import (
    ASSESSMENT_ROLES,
    COMPARISON_ROLES,
    FLAG_ROLES,
    PROCESS_ROLES,
    REVIEW_ROLES,
    Role,
)
from wddf.i18n import t
from wddf.services import accounts
from wddf.ui.app_pages import (
    account,
    action_plan,
    admin,
    agreement,
    assignments,
    comparison,
    downloads,
    entry,
    flags,
    my_assessments,
    panels,
    profile,
    progress,
    questionnaire_browser,
    review,
    sector,
    setup,
    sign_in,
    simulator,
    workshop,
)
from wddf.ui.components.feedback import scope
from wddf.ui.components.style import apply_style
from wddf.ui.components.text import plain
from wddf.ui.context import PageContext, signed_in_actor
from wddf.ui.database import database
from wddf.ui.language import language_switch
from wddf.ui.routes import SIGN_OUT_PATH

# url path → (module with render(ctx), navigation title key)
PAGES = {
    "setup": (setup, "nav.setup"),
    "signin": (sign_in, "nav.sign_in"),
    "assessments": (my_assessments, "nav.my_assessments"),
    "entry": (entry, "nav.entry"),
    "review": (review, "nav.review"),
    "admin": (admin, "nav.admin"),
    "downloads": (downloads, "nav.exports"),
    "questionnaire": (questionnaire_browser, "nav.questionnaire"),
    "profile": (profile, "nav.profile"),
    "progress": (progress, "nav.progress"),
    "comparison": (comparison, "nav.comparison"),
    "agreement": (agreement, "nav.agreement"),
    "plan": (action_plan, "nav.plan"),
    "assignments": (assignments, "nav.assignments"),
    "panels": (panels, "nav.panels"),
    "workshop": (workshop, "nav.workshop"),
    "sector": (sector, "nav.sector"),
    "simulator": (simulator, "nav.simulator"),
    "flags": (flags, "nav.flags"),
    "account": (account, "nav.account"),
}


def _page(ctx: PageContext, name: str, **options) -> st.Page:
    module, title_key = PAGES[name]
    page = st.Page(partial(module.render, ctx), title=ctx.t(title_key), url_path=name, **options)
    ctx.pages[name] = page
    return page


def pages_for(ctx: PageContext, first_start: bool) -> dict[str, list[st.Page]]:
    """The pages this visitor may see, by navigation section. The app's root URL opens the
    role's first page; every page keeps its own address (Streamlit serves a default page at the
    root only, so ``/review`` would not find a default review page)."""
    if first_start:
        return {"": [_page(ctx, "setup", default=True)]}
    if ctx.actor is None:
        signed_out = [_page(ctx, "signin", default=True), _page(ctx, "questionnaire")]
        return {"": signed_out + _unavailable(ctx)}
    role = ctx.actor.role
    work = []
    if role in ASSESSMENT_ROLES:
        work.append(_page(ctx, "assessments"))
        work.append(_page(ctx, "entry", visibility="hidden"))
    if role in REVIEW_ROLES:
        work.append(_page(ctx, "review"))
    if role in PROCESS_ROLES:
        work += [_page(ctx, "assignments"), _page(ctx, "panels"), _page(ctx, "workshop")]
        work.append(_page(ctx, "sector"))
    if role is Role.ADMIN:
        work.append(_page(ctx, "admin"))
    seen = [_page(ctx, "profile"), _page(ctx, "progress")]
    if role in COMPARISON_ROLES:
        seen.append(_page(ctx, "comparison"))
    seen += [_page(ctx, "agreement"), _page(ctx, "plan"), _page(ctx, "simulator")]
    if role in FLAG_ROLES:
        seen.append(_page(ctx, "flags"))
    reference = [_page(ctx, "downloads"), _page(ctx, "questionnaire"), _page(ctx, "account")]
    sections = {
        ctx.t("nav.section.work"): work,
        ctx.t("nav.section.insights"): seen,
        ctx.t("nav.section.reference"): reference,
    }
    listed = {title: pages for title, pages in sections.items() if pages}
    first = (work or seen)[0]
    home = st.Page(
        partial(st.switch_page, first),
        title=first.title,
        url_path="home",
        default=True,
        visibility="hidden",
    )
    return listed | {"": [home, *_unavailable(ctx)]}


def _unavailable(ctx: PageContext) -> list[st.Page]:
    """Every other page's address, hidden, saying in the user's language that it is not theirs
    (Streamlit would otherwise pop up its own "Page not found", in English)."""
    hidden = []
    for name in PAGES.keys() - ctx.pages.keys() - {"setup", "signin"}:
        title = ctx.t(PAGES[name][1])
        shown = partial(_not_for_you, ctx, name)
        page = st.Page(shown, title=title, url_path=name, visibility="hidden")
        hidden.append(page)
    return hidden


def _not_for_you(ctx: PageContext, name: str) -> None:
    st.warning(ctx.t("app.not_for_you"))
    if ctx.actor is None:  # signed in, the person comes back to this very page
        asked = {k: v for k, v in st.query_params.to_dict().items() if k != "lang"}
        sign_in.render(ctx, f"/{name}?{urlencode(asked)}" if asked else f"/{name}")


def _account_box(ctx: PageContext) -> None:
    if ctx.actor is None:
        return
    role = ctx.t("role." + ctx.actor.role.value)
    name = plain(ctx.actor.username)  # a user name is shown, never read as markup
    st.sidebar.caption(ctx.t("auth.signed_in_as", name=name, role=role))
    if get_settings().auth == "oidc":
        st.sidebar.button(ctx.t("auth.sign_out"), on_click=st.logout, key="oidc-sign-out")
        return
    label = escape(ctx.t("auth.sign_out"))
    st.sidebar.html(
        f'<form method="post" action="{SIGN_OUT_PATH}" target="_top">'
        f'<button type="submit" style="padding:.3rem .8rem">{label}</button></form>'
    )


def run() -> None:
    """Configure the page and run the page chosen in the navigation."""
    st.set_page_config(
        page_title=t("app.title", st.session_state.get("lang", "en")), page_icon="💎", layout="wide"
    )
    db = database()
    actor = signed_in_actor(db)
    lang = language_switch(db, actor)
    apply_style()
    ctx = PageContext(lang, actor, db, resolve=partial(signed_in_actor, db))
    serve(ctx, accounts.count_users(ctx.session) == 0)


def serve(ctx: PageContext, first_start: bool = False) -> None:
    """Show the navigation for this visitor and run the chosen page."""
    # Expanded: a folded menu would offer Streamlit's own "View N more", in English only.
    navigation = st.navigation(pages_for(ctx, first_start), expanded=True)
    _account_box(ctx)
    scope(navigation.url_path)  # a confirmation kept for another page is forgotten
    try:
        navigation.run()
    finally:
        ctx.end_reads()
