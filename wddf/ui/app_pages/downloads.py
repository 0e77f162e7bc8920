"""Downloads: the donor workbook and the tidy data package, for what the role may read; the
country report to the WGAAP of one assessment, as Word or PDF."""

from __future__ import annotations

import streamlit as st

from wddf import problems
from wddf.domain import REPORT_ROLES
from wddf.services import countries
from wddf.services.answers import assessments
from wddf.services.documents import country_report
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
            ctx.t("downloads.all") if c is None else countries.country_label(c, ctx.lang)
        ),
    )

    name = f"wddf-{country or 'all'}-{ctx.lang}"
    label = ctx.t("downloads.workbook")
    download(ctx, label, "workbook", "download-workbook", f"{name}.xlsx", country=country)
    label = ctx.t("downloads.package")
    download(ctx, label, "package", "download-package", f"{name}.zip", country=country)
    if ctx.actor.role in REPORT_ROLES:
        _country_report(ctx, country)


def _country_report(ctx: PageContext, country: str | None) -> None:
    """The report of one assessment the actor may read, in the page's language."""
    st.header(ctx.t("downloads.report.heading"))
    st.caption(ctx.t("downloads.report.about"))
    items = sorted(
        (a for a in assessments.visible(ctx.session, ctx.actor) if country in (None, a.country)),
        key=lambda a: (a.country, -a.year),
    )
    by_id = {a.id: a for a in items}
    chosen = st.selectbox(
        ctx.t("downloads.report.assessment"),
        list(by_id),
        key="downloads-report-assessment",
        format_func=lambda i: (
            f"{countries.country_name(by_id[i].country, ctx.lang)} {by_id[i].year}"
            f" · {ctx.t('status.' + by_id[i].status)}"
        ),
    )
    if chosen is None:
        return
    assessment = by_id[chosen]
    name = f"wddf-report-{assessment.country}-{assessment.year}-{ctx.lang}"
    word, pdf = st.columns(2)
    with word:
        label = ctx.t("downloads.report.docx")
        download(
            ctx, label, "report", "download-report-docx", f"{name}.docx", assessment=assessment.id
        )
    with pdf:
        if country_report.soffice() is None:
            st.caption(problems.message("pdf_unavailable", ctx.lang))
        else:
            label = ctx.t("downloads.report.pdf")
            download(
                ctx,
                label,
                "report",
                "download-report-pdf",
                f"{name}.pdf",
                assessment=assessment.id,
                format="pdf",
            )
