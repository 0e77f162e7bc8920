"""The offline panel of the entry page: download the Excel questionnaire, upload it back."""

from __future__ import annotations

import streamlit as st

from wddf.services import offline
from wddf.storage.tables import Assessment
from wddf.ui.components.download import download
from wddf.ui.components.text import plain
from wddf.ui.context import PageContext


def offline_panel(ctx: PageContext, assessment: Assessment, editable: bool) -> None:
    """Download the questionnaire with the current answers; import a filled one after a preview."""
    with st.expander(ctx.t("offline.section")):
        name = f"wddf-{assessment.country}-{assessment.year}-{ctx.lang}.xlsx"
        label = ctx.t("offline.download")
        download(ctx, label, "offline", "offline-download", name, assessment=assessment.id)
        if not editable:
            return
        upload = st.file_uploader(ctx.t("offline.upload"), type=["xlsx"], key="offline-upload")
        if upload is None:
            return
        with ctx.write() as session:
            preview = offline.import_workbook(
                session, ctx.actor, upload.getvalue(), dry_run=True, lang=ctx.lang
            )
        if preview.problems:
            st.error(ctx.t("offline.refused"))
            st.code("\n".join(preview.problems), language=None)
            return
        if not preview.changes:
            st.info(ctx.t("offline.no_change"))
            return
        st.markdown(ctx.t("offline.preview", count=len(preview.changes)))
        st.dataframe(offline.as_frame(preview), hide_index=True)
        if st.button(ctx.t("offline.apply"), key="offline-apply", type="primary"):
            with ctx.write() as session:
                report = offline.import_workbook(
                    session, ctx.actor, upload.getvalue(), lang=ctx.lang
                )
            if report.problems:
                st.error(ctx.t("offline.refused"))
                st.code(plain("\n".join(report.problems)), language=None)
            else:
                st.success(ctx.t("offline.applied", count=len(report.changes)))
                for key in [
                    k
                    for k in st.session_state
                    if str(k).startswith(("g:", "j:", "e:", "c:", "rv:", "at:"))
                ]:
                    del st.session_state[
                        key
                    ]  # show the imported answers, read again from the database
                st.rerun()
