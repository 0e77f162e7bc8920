"""Downloads: the donor workbook and the tidy data package, for what the role may read."""

from __future__ import annotations

import streamlit as st

from wddf.services import assessments, countries
from wddf.ui.components.download import download
from wddf.ui.context import PageContext


def render(ctx: PageContext) -> None:
    """Draw the page."""
    st.title(ctx.t("downloads.heading"))
    codes = sorted({a.country for a in assessments.visible(ctx.session, ctx.actor)})
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

    name = f"wddf-{country or 'all'}-{ctx.lang}"
    label = ctx.t("downloads.workbook")
    download(ctx, label, "workbook", "download-workbook", f"{name}.xlsx", country=country)
    label = ctx.t("downloads.package")
    download(ctx, label, "package", "download-package", f"{name}.zip", country=country)
