"""The offline panel of the entry page: download the Excel questionnaire, upload it back."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wddf.services.answers import offline
from wddf.services.records import Record
from wddf.ui.components.card_keys import forget_every_card
from wddf.ui.components.download import download
from wddf.ui.components.feedback import has_note, note, show_note
from wddf.ui.components.text import plain
from wddf.ui.context import PageContext


def offline_panel(ctx: PageContext, assessment: Record, editable: bool) -> None:
    """Download the questionnaire with the current answers; import a filled one after a preview.
    What an import did stays shown until the user moves on."""
    where = f"entry:{assessment.id}:offline"
    opened = has_note(where)
    with st.expander(ctx.t("offline.section"), icon=":material/table_view:", expanded=opened):
        show_note(where)
        name = f"wddf-{assessment.country}-{assessment.year}-{ctx.lang}.xlsx"
        label = ctx.t("offline.download")
        download(ctx, label, "offline", "offline-download", name, assessment=assessment.id)
        if not editable:
            return
        uploads = st.session_state.get("offline-uploads", 0)
        upload = st.file_uploader(
            ctx.t("offline.upload"),
            type=["xlsx"],
            key=f"offline-upload-{uploads}",
            max_upload_size=ctx.evidence_limit_mb,
        )
        if upload is None:
            return
        choice_key = f"offline-take-file-{uploads}"
        take_file = st.session_state.get(choice_key, [])
        with ctx.write() as session:
            preview = offline.import_workbook(
                session, ctx.actor, upload.getvalue(), True, ctx.lang, take_file
            )
        if preview.problems:
            st.error(ctx.t("offline.refused"))
            st.code(plain("\n".join(preview.problems)), language=None)
            return
        if preview.conflicts:
            _conflicts(ctx, preview, choice_key)
        if not preview.changes:
            st.info(ctx.t("offline.no_change"))
            return
        st.markdown(ctx.t("offline.preview", count=len(preview.changes)))
        st.dataframe(_headed(ctx, offline.as_frame(preview), "change"), hide_index=True)
        if not st.button(ctx.t("offline.apply"), key=f"offline-apply-{uploads}", type="primary"):
            return
        with ctx.write() as session:
            report = offline.import_workbook(
                session, ctx.actor, upload.getvalue(), False, ctx.lang, take_file
            )
        if report.problems:
            st.error(ctx.t("offline.refused"))
            st.code(plain("\n".join(report.problems)), language=None)
            return
        said = ctx.t("offline.applied", count=len(report.changes))
        if report.kept:
            said += " " + ctx.t("offline.kept", count=len(report.kept), ids=", ".join(report.kept))
        note(where, "success", said)
        st.session_state["offline-uploads"] = uploads + 1  # a new, empty uploader
        forget_every_card()  # show the imported answers, read again from the database
        st.rerun()


def _conflicts(ctx: PageContext, preview: offline.ImportReport, choice_key: str) -> None:
    """Each answer changed both in the app since the file was made and in the file: both sides,
    and the choice of the file's answer, row by row (none chosen: the app's answers stay)."""
    st.warning(ctx.t("offline.conflicts", count=len(preview.conflicts)))
    st.dataframe(_headed(ctx, offline.conflicts_frame(preview), "conflict"), hide_index=True)
    dimensions = [c["dimension"] for c in preview.conflicts]
    st.multiselect(
        ctx.t("offline.take_file"),
        dimensions,
        key=choice_key,
        placeholder=ctx.t("insights.choose"),
    )


def _headed(ctx: PageContext, frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """A preview table with headers in the page's language."""
    return frame.rename(columns={c: ctx.t(f"offline.{kind}.{c}") for c in frame.columns})
