"""Downloads: the donor workbook and the tidy data package, for what the role may read."""

from __future__ import annotations

import streamlit as st

from wddf.services import assessments, countries, reports
from wddf.ui.context import PageContext


def render(ctx: PageContext) -> None:
    """Draw the page."""
    st.title(ctx.t("downloads.heading"))
    session = ctx.session
    codes = sorted({a.country for a in assessments.visible(session, ctx.actor)})
    if not codes:
        st.info(ctx.t("downloads.none"))
        return
    country = st.selectbox(
        ctx.t("downloads.scope"),
        [None, *codes],
        key="downloads-country",
        format_func=lambda c: (
            ctx.t("downloads.all") if c is None else f"{countries.country_name(c, ctx.lang)} ({c})"
        ),
    )

    def workbook() -> bytes:
        """Made when the button is clicked, not on every rerun."""
        with ctx.db.session() as session:
            return reports.donor_workbook(session, ctx.actor, ctx.lang, country)

    def package() -> bytes:
        with ctx.db.session() as session:
            return reports.data_package(session, ctx.actor, ctx.lang, country)

    name = f"wddf-{country or 'all'}-{ctx.lang}"
    st.download_button(
        ctx.t("downloads.workbook"),
        workbook,
        f"{name}.xlsx",
        key="download-workbook",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    st.download_button(
        ctx.t("downloads.package"),
        package,
        f"{name}.zip",
        mime="application/zip",
        key="download-package",
    )
