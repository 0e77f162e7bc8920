"""A dimension's evidence files on its answer card: each downloadable, removable while the
assessment is editable, and an uploader whose limit is the service's.

What an upload or a removal did stays shown until the user moves on; both rerun the whole page,
whose counts of files change.
"""

from __future__ import annotations

import streamlit as st

from wddf.i18n import number
from wddf.services.answers import evidence
from wddf.services.records import Record
from wddf.ui.components.card_keys import CardKeys, folded
from wddf.ui.components.download import download
from wddf.ui.components.feedback import has_note, note, show_note
from wddf.ui.components.text import plain
from wddf.ui.context import PageContext


def file_size(size: int, lang: str) -> str:
    """A file's size for people: bytes, kB or MB, written the language's way."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{number(size / 1000, lang)} kB"
    return f"{number(size / 1_000_000, lang)} MB"


def _remove(ctx: PageContext, assessment_id: int, file_id: int) -> None:
    with ctx.attempt(f"entry:{assessment_id}") as done, ctx.db.session() as session:
        name = evidence.remove_file(session, ctx.acting(), file_id)
    if done:
        note(f"entry:{assessment_id}", "success", ctx.t("entry.removed", name=name))
    st.rerun()  # the page's note and file counts change


def evidence_files(
    ctx: PageContext, keys: CardKeys, stored: list[Record], editable: bool, lazy: bool = True
) -> None:
    """The dimension's evidence files, each downloadable (and removable while editable), and an
    uploader; what an upload did stays shown until the user moves on. ``lazy``: drawn only once
    the expander is opened (``card_keys.folded``), as on the answer cards; a goal's documents,
    which a reviewer reads, are drawn at once."""
    where = f"entry:{keys.assessment_id}:files:{keys.dimension_id}"
    label = ctx.t("entry.files", count=len(stored))
    icon, opened = ":material/attach_file:", has_note(where)
    if lazy:
        box = folded(keys, "files", label, icon, expanded=opened)
        if not box.open:
            return
    else:
        box = st.expander(label, icon=icon, expanded=opened)
    with box:
        show_note(where)
        for item in stored:
            row = st.container(horizontal=True, vertical_alignment="center")
            size = file_size(item.size, ctx.lang)
            row.caption(f"📎 {plain(item.name)} · {size} · sha256 {item.sha256[:12]}…")
            with row:
                label = ctx.t("entry.download")
                download(ctx, label, "evidence", f"evidence-{item.id}", item.name, file=item.id)
            if editable:
                row.button(
                    ctx.t("entry.remove"),
                    key=f"remove-{item.id}",
                    icon=":material/delete:",
                    on_click=_remove,
                    args=(ctx, keys.assessment_id, item.id),
                )
        if not editable:
            return
        uploads = st.session_state.get(keys.key("uploads"), 0)
        upload = st.file_uploader(
            ctx.t("entry.upload", limit=number(ctx.evidence_limit_mb, ctx.lang, 0)),
            key=f"{keys.key('upload')}:{uploads}",
            max_upload_size=ctx.evidence_limit_mb,
        )
        if upload is None:
            return
        with ctx.attempt() as done, ctx.write() as session:
            evidence.add_file(
                session,
                ctx.acting(),
                keys.assessment_id,
                keys.dimension_id,
                upload.name,
                upload.getvalue(),
            )
        if not done:
            return
        st.session_state[keys.key("uploads")] = uploads + 1  # a new, empty uploader
        note(where, "success", ctx.t("entry.uploaded", name=upload.name))
        st.rerun()
