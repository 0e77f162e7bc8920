"""Administration: users (create, role, country, e-mail, deactivate, reset password), editions
and the outbox of e-mails."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wddf.config import get_settings
from wddf.domain import Group, Role
from wddf.i18n import day
from wddf.services import accounts, countries, mail
from wddf.services import editions as edition_service
from wddf.services.answers import demo
from wddf.ui.components.feedback import acted, form_key, note, scope, show_note
from wddf.ui.components.text import plain
from wddf.ui.context import PageContext

WHERE = "admin"


def _users_table(ctx: PageContext) -> list:
    users = accounts.list_users(ctx.session, ctx.actor)
    frame = pd.DataFrame(
        [
            {
                ctx.t("auth.username"): u.username,
                ctx.t("admin.role"): ctx.t("role." + u.role),
                ctx.t("admin.country"): u.country or "",
                ctx.t("admin.group"): ctx.t("group." + u.group) if u.group else "",
                ctx.t("field.email"): u.email or "",
                ctx.t("admin.active"): u.active,
            }
            for u in users
        ]
    )
    st.dataframe(frame, hide_index=True, use_container_width=True)
    return users


def _new_user(ctx: PageContext) -> None:
    codes = [c.iso3 for c in countries.countries(ctx.session)]
    with st.form(form_key("new-user")):  # kept as typed after a refusal; anew after a success
        st.header(ctx.t("admin.new_user"))
        name = st.text_input(ctx.t("auth.username"), key=form_key("new-user", "nu-name"))
        role = st.selectbox(
            ctx.t("admin.role"),
            [r.value for r in Role],
            index=None,  # no privileged default: the role is chosen
            key=form_key("new-user", "nu-role"),
            placeholder=ctx.t("insights.choose"),
            format_func=lambda r: ctx.t("role." + r),
        )
        country = st.selectbox(
            ctx.t("admin.country"),
            [None, *codes],
            key=form_key("new-user", "nu-country"),
            format_func=lambda c: (
                ctx.t("admin.none") if c is None else countries.country_label(c, ctx.lang)
            ),
        )
        group = st.selectbox(
            ctx.t("admin.group"),
            [None, *[g.value for g in Group]],
            key=form_key("new-user", "nu-group"),
            format_func=lambda g: ctx.t("admin.none") if g is None else ctx.t("group." + g),
        )
        email = st.text_input(ctx.t("field.email"), key=form_key("new-user", "nu-email"))
        password = st.text_input(
            ctx.t("auth.password"), type="password", key=form_key("new-user", "nu-password")
        )
        if not st.form_submit_button(ctx.t("admin.create_user"), type="primary"):
            return
    with ctx.attempt() as done, ctx.write() as session:
        chosen = Role(role) if role else None
        made = accounts.create_user(
            session, ctx.actor, name, chosen, password, country, group, email.strip() or None
        )
    if not done:
        return
    acted("new-user")
    note(WHERE, "success", ctx.t("admin.created", name=made.username))
    st.rerun()  # the table above shows the new user at once


def _country_label(ctx: PageContext, code: str | None) -> str:
    return ctx.t("admin.none") if code is None else countries.country_label(code, ctx.lang)


def _edit_user(ctx: PageContext, user) -> None:
    codes = [None, *[c.iso3 for c in countries.countries(ctx.session)]]
    groups = [None, *[g.value for g in Group]]
    with st.form(f"edit-user-{user.id}"):
        role = st.selectbox(
            ctx.t("admin.role"),
            [r.value for r in Role],
            index=[r.value for r in Role].index(user.role),
            key=f"eu-role-{user.id}",
            format_func=lambda r: ctx.t("role." + r),
        )
        country = st.selectbox(
            ctx.t("admin.country"),
            codes,
            index=codes.index(user.country),
            key=f"eu-country-{user.id}",
            format_func=lambda c: _country_label(ctx, c),
        )
        group = st.selectbox(
            ctx.t("admin.group"),
            groups,
            index=groups.index(user.group),
            key=f"eu-group-{user.id}",
            format_func=lambda g: ctx.t("admin.none") if g is None else ctx.t("group." + g),
        )
        email = st.text_input(ctx.t("field.email"), user.email or "", key=f"eu-email-{user.id}")
        if not st.form_submit_button(ctx.t("admin.save")):
            return
    with ctx.attempt() as done, ctx.write() as session:
        accounts.update_user(session, ctx.actor, user.id, Role(role), country, group)
        accounts.set_email(session, ctx.actor, user.id, email)
    if not done:
        return
    note(WHERE, "success", ctx.t("admin.done"))
    st.rerun()


def _manage_user(ctx: PageContext, users: list) -> None:
    st.header(ctx.t("admin.manage"))
    by_name = {u.username: u for u in users}
    name = st.selectbox(ctx.t("auth.username"), list(by_name), key="mu-name")
    if name is None:
        return
    user = by_name[name]
    _edit_user(ctx, user)
    left, right = st.columns(2)
    activity = "admin.deactivate" if user.active else "admin.reactivate"
    if left.button(ctx.t(activity), key="mu-active"):
        ctx.apply(
            lambda s: accounts.set_active(s, ctx.actor, user.id, not user.active),
            WHERE,
            ctx.t("admin.done"),
        )
    new = right.text_input(ctx.t("admin.new_password"), type="password", key="mu-password")
    if right.button(ctx.t("admin.reset"), key="mu-reset") and new:
        with ctx.attempt() as done, ctx.write() as session:
            accounts.reset_password(session, ctx.actor, user.id, new)
        if done:
            st.success(ctx.t("admin.done"))


def _editions(ctx: PageContext) -> None:
    st.header(ctx.t("admin.editions"))
    listing = [
        {
            ctx.t("admin.edition.id"): e.id,
            ctx.t("admin.edition.version"): e.version,
            ctx.t("admin.edition.languages"): ", ".join(e.languages),
            ctx.t("admin.edition.dimensions"): len(e.dimensions()),
        }
        for e in edition_service.all_editions(ctx.session).values()
    ]
    st.dataframe(pd.DataFrame(listing), hide_index=True, use_container_width=True)
    upload = st.file_uploader(
        ctx.t("admin.upload_edition"), type=["yaml", "yml", "xlsx"], key="edition-upload"
    )
    if upload is None:
        return
    if edition_service.is_revision(upload.getvalue()):
        _revision(ctx, upload.getvalue())
        return
    known = edition_service.known_dimensions(ctx.session)
    result = edition_service.check_upload(ctx.actor, upload.name, upload.getvalue(), known)
    report = "\n".join(p.format(ctx.lang) for p in [*result.errors, *result.warnings])
    if not result.ok:
        st.error(ctx.t("admin.invalid", count=len(result.errors)))
        st.code(report, language=None)
        return
    edition = result.edition
    st.success(
        ctx.t(
            "admin.valid",
            edition=edition.id,
            version=edition.version,
            dimensions=len(edition.dimensions()),
        )
    )
    if report:
        st.code(report, language=None)
    if st.button(ctx.t("admin.install"), key="edition-install", type="primary"):
        with ctx.attempt() as done, ctx.write() as session:
            installed = edition_service.install(session, ctx.actor, upload.name, upload.getvalue())
        if done:
            st.success(ctx.t("admin.installed", edition=installed.id))


def _revision(ctx: PageContext, content: bytes) -> None:
    """A continuity revision of an installed edition: what it changes, then install it."""
    with ctx.attempt():
        revision = edition_service.read_revision(content)
        st.info(
            ctx.t(
                "admin.revision",
                edition=revision.edition,
                revision=revision.revision,
                count=len(revision.links),
            )
        )
        st.markdown(plain(revision.note.get(ctx.lang, next(iter(revision.note.values())))))
        if st.button(ctx.t("admin.install"), key="revision-install", type="primary"):
            with ctx.attempt() as done, ctx.write() as session:
                edition_service.install_revision(session, ctx.actor, content)
            if done:
                st.success(ctx.t("admin.revision_installed", edition=revision.edition))


def _demo_data(ctx: PageContext) -> None:
    """Remove every demo row, once the administrator confirms it."""
    count = demo.count(ctx.session, ctx.actor)
    if not count:
        return
    st.header(ctx.t("admin.demo.heading"))
    st.caption(ctx.t("admin.demo.present", count=count))
    sure = st.checkbox(ctx.t("admin.demo.confirm"), key="demo-unload-sure")
    if st.button(ctx.t("admin.demo.unload"), key="demo-unload", disabled=not sure):
        ctx.apply(
            lambda s: demo.unload(s, ctx.actor), WHERE, ctx.t("admin.demo.unloaded", count=count)
        )


def _outbox(ctx: PageContext) -> None:
    """The e-mails not sent yet, with the relay's last answer; a given-up one tried again."""
    if get_settings().smtp_url is None:
        st.caption(ctx.t("admin.outbox_no_relay"))
    waiting = mail.outbox(ctx.session, ctx.actor)
    if not waiting:
        st.caption(ctx.t("admin.outbox_empty"))
        return
    frame = pd.DataFrame(
        [
            {
                ctx.t("field.email"): w.address,
                ctx.t("admin.outbox_kind"): ctx.t(f"account.kind.{w.kind}"),
                ctx.t("admin.outbox_since"): day(w.created_at.date(), ctx.lang),
                ctx.t("admin.outbox_attempts"): w.attempts,
                ctx.t("admin.outbox_state"): ctx.t(
                    "admin.outbox_given_up" if w.given_up else "admin.outbox_waiting"
                ),
                ctx.t("admin.outbox_error"): w.last_error,
            }
            for w in waiting
        ]
    )
    st.dataframe(frame, hide_index=True, use_container_width=True)
    stuck = [w for w in waiting if w.given_up]
    if stuck and st.button(ctx.t("admin.outbox_retry"), key="outbox-retry"):

        def retry(session) -> None:
            for w in stuck:
                mail.retry(session, ctx.actor, w.id)

        ctx.apply(retry, WHERE, ctx.t("admin.done"))


def render(ctx: PageContext) -> None:
    """Draw the page."""
    st.title(ctx.t("admin.heading"))
    scope(WHERE)
    show_note(WHERE)
    users_tab, editions_tab, mail_tab = st.tabs(
        [ctx.t("admin.users"), ctx.t("admin.editions"), ctx.t("admin.outbox")]
    )
    with users_tab:
        users = _users_table(ctx)
        _new_user(ctx)
        _manage_user(ctx, users)
    with editions_tab:
        _editions(ctx)
    with mail_tab:
        _outbox(ctx)
    _demo_data(ctx)
