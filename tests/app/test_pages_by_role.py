"""AppTest smoke: every page renders for every role with no exception, in every language, and a
page in French or Portuguese shows no text of the English catalogue."""

from __future__ import annotations

import pytest

from tests.app.conftest import app_for, english_left
from wddf.i18n import t
from wddf.services.actor import SYSTEM
from wddf.services.answers import assessments, demo

INSIGHTS = ["profile", "progress", "agreement", "plan", "simulator", "account"]
PROCESS = [
    "assignments",
    "panels",
    "workshop",
    "sector",
]  # the WDDF process beyond grading; not donors'
PAGES_BY_ROLE = {
    "admin": [
        "assessments",
        "entry",
        "review",
        "admin",
        "downloads",
        "questionnaire",
        *INSIGHTS,
        "comparison",
        "flags",
        *PROCESS,
    ],
    "focal": ["assessments", "entry", "downloads", "questionnaire", *INSIGHTS, "flags", *PROCESS],
    "panelist": ["assessments", "entry", "downloads", "questionnaire", *INSIGHTS, *PROCESS],
    "reviewer": [
        "review",
        "downloads",
        "questionnaire",
        *INSIGHTS,
        "comparison",
        "flags",
        *PROCESS,
    ],
    "donor": ["downloads", "questionnaire", *INSIGHTS, "comparison"],
}
TITLES = {
    "assessments": "My assessments",
    "review": "Review",
    "admin": "Administration",
    "account": "My account",
}


@pytest.fixture(scope="module")
def demo_ids(app_db):
    with app_db.session() as session:
        demo.load(session, SYSTEM, countries=3, years=2, seed=1)
        return {a.country: a.id for a in assessments.visible(session, SYSTEM)}


ODD_VALUES = ["²", "-1", "1e9", "\x00", "9" * 5000, "٣"]


@pytest.mark.parametrize("odd", ODD_VALUES)
def test_every_page_answers_odd_address_values_with_a_translated_not_found(app_people, odd):
    """Every page reads its address through one parser (``ui/url.py``): an odd value is never an
    exception, and a page that names an assessment says, in the page's language, that it is not
    found."""
    for page in PAGES_BY_ROLE["admin"]:
        at = app_for(app_people["admin"], "fr", page=page, assessment=odd, country=odd, goal=odd)
        assert not at.exception, (page, at.exception)
        if page == "entry":
            assert [e.value for e in at.error] == [t("entry.not_found", "fr")]


@pytest.mark.parametrize("lang", ["en", "fr", "pt"])
@pytest.mark.parametrize("role", list(PAGES_BY_ROLE))
def test_every_page_renders_for_every_role(app_people, demo_ids, role, lang):
    for page in PAGES_BY_ROLE[role]:
        at = app_for(app_people[role], lang, page=page, assessment=str(demo_ids["SLE"]))
        assert not at.exception, (page, at.exception)
        if lang != "en":
            assert not english_left(at, lang), (page, english_left(at, lang))
        if lang == "en" and page in TITLES:
            assert at.title[0].value == TITLES[page]


NAV_SCRIPT = """
import streamlit as st
from wddf.domain import Role
from wddf.services.actor import Actor
from wddf.ui.context import PageContext
from wddf.ui.database import database
from wddf.ui.main import pages_for
ctx = PageContext("en", Actor(1, "x", Role({role!r}), "SLE", None), database())
st.navigation(pages_for(ctx, False), position="hidden")
st.text(" ".join(sorted(ctx.pages)))
"""


@pytest.mark.parametrize("role", ["admin", "focal_point", "panelist", "reviewer", "donor"])
def test_each_role_is_given_exactly_its_pages(role):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(NAV_SCRIPT.format(role=role), default_timeout=30).run()
    key = {"focal_point": "focal"}.get(role, role)
    assert at.text[0].value.split() == sorted(PAGES_BY_ROLE[key])


def test_my_assessments_lists_only_own_country_with_status_and_progress(app_people, demo_ids):
    at = app_for(app_people["focal"], "en")
    shown = " ".join(m.value for m in at.markdown)
    assert "Sierra Leone" in shown and "DR Congo" not in shown
    assert "DEMO DATA" in shown
    progress = [p.proto.text for p in at.get("progress")]
    assert progress and all("Graded" in text for text in progress)
