"""AppTest runs of the real pages, for a given signed-in actor.

AppTest cannot send cookies, so these runs start after sign-in: they build the page context
with the actor (exactly what ``wddf.ui.main.run`` does from the session cookie) and serve the
same navigation. Cookie sign-in itself is covered by the browser tests.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest
from streamlit.testing.v1 import AppTest

from wddf.config import get_settings
from wddf.domain import Role
from wddf.services import accounts
from wddf.services.actor import SYSTEM, Actor
from wddf.services.editions import prepare_database
from wddf.storage.db import database_for

SCRIPT = """
import streamlit as st
from wddf.domain import Role
from wddf.services.actor import Actor
from wddf.ui.context import PageContext
from wddf.ui.database import database
from wddf.ui.main import PAGES, pages_for, serve
ctx = PageContext({lang!r}, {actor}, database())
PAGE = {page!r}
if PAGE is None:
    serve(ctx)
else:
    st.navigation(pages_for(ctx, False), position="hidden")
    assert PAGE in ctx.pages  # only a page this role is given
    try:
        PAGES[PAGE][0].render(ctx)
    finally:
        ctx.end_reads()  # what serve() does at the end of every run
"""


def app_for(
    actor: Actor | None, lang: str = "en", page: str | None = None, **query: str
) -> AppTest:
    """Run the app as ``actor`` (None: signed out) in ``lang`` with URL query parameters; on
    ``page`` (a url path among the pages the actor's role sees), or the role's default page."""
    expr = "None"
    if actor is not None:
        fields = (actor.id, actor.username, actor.role.value, actor.country, actor.group)
        expr = "Actor({!r}, {!r}, Role({!r}), {!r}, {!r})".format(*fields)
    at = AppTest.from_string(SCRIPT.format(actor=expr, lang=lang, page=page), default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


@pytest.fixture(scope="session")
def app_db():
    """The session's default database, migrated."""
    url = get_settings().database_url
    prepare_database(url)
    return database_for(url)


@pytest.fixture(scope="session")
def app_people(app_db) -> dict[str, Actor]:
    """One account per role for the app tests (Sierra Leone for country roles)."""
    specs = {
        "admin": ("app-admin", Role.ADMIN, None, None),
        "focal": ("app-focal", Role.FOCAL_POINT, "SLE", None),
        "other_focal": ("app-focal-gh", Role.FOCAL_POINT, "GHA", None),
        "panelist": ("app-panel", Role.PANELIST, "SLE", "civil_society"),
        "reviewer": ("app-reviewer", Role.REVIEWER, None, None),
        "donor": ("app-donor", Role.DONOR, None, None),
    }
    out = {}
    with app_db.session() as session:
        for key, (name, role, country, group) in specs.items():
            out[key] = accounts.create_user(
                session, SYSTEM, name, role, "App-test-pass-1", country, group
            )
    return out


def fresh_draft(app_db, focal: Actor) -> int:
    """A new Sierra Leone draft, in a year no other test of the session uses."""
    from wddf.services.answers import assessments

    with app_db.session() as session:
        years = {a.year for a in assessments.visible(session, SYSTEM) if a.country == "SLE"}
        year = max(years | {2040}) + 1
        return assessments.create(session, focal, "SLE", year, "wddf-1.0").id


def shown_texts(at: AppTest) -> list[str]:
    """Every string a rendered page shows or offers: bodies, labels, options, placeholders, help
    texts (table cells are left out: they hold data)."""
    texts = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        for descriptor, value in proto.ListFields():
            if descriptor.name in ("id", "form_id", "key", "url", "page_script_hash", "data"):
                continue
            if isinstance(value, str):
                texts.append(value)
            elif isinstance(value, Sequence) and value and isinstance(value[0], str):
                texts.extend(value)
    return [text for text in texts if text.strip()]


# The regions countries are stored with, as English names: shown in other languages by Babel.
ENGLISH_REGIONS = {
    "Central Africa",
    "East Africa",
    "South America",
    "Southern Africa",
    "West Africa",
}
# 1.0 or 37.5; not WD1.1, wddf-1.0, an edition (WDDF 1.2, dimension de 1.1) or a demo name
POINT = re.compile(
    r"(?<![\w.\-])(?<!WDDF )(?<!dition )(?<!dição )(?<! da )(?<! de )(?<!DEMO )\d+\.\d+(?![\w.])"
)
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")

# What Streamlit shows when a page gives no text of its own.
STREAMLIT_DEFAULTS = {"Choose an option", "Choose options", "YYYY/MM/DD"}


def english_left(at: AppTest, lang: str) -> list[str]:
    """Texts of a page in ``lang`` that are English catalogue texts (those with their own
    translation): what a French or Portuguese reader would see untranslated."""
    import re

    from wddf.i18n import catalogue

    english = {  # demo.*: sample texts standing for what officials type, in their language
        text
        for key, text in catalogue("en").items()
        if "{" not in text
        and text != catalogue(lang)[key]
        and re.search(r"[a-z]{3}", text)
        and not key.startswith("demo.")
    }
    english |= STREAMLIT_DEFAULTS | ENGLISH_REGIONS
    phrases = [text for text in english if " " in text.strip()]
    left = []
    for shown in shown_texts(at):
        plain = shown.replace("\\", "")
        if plain in english or any(phrase in plain for phrase in phrases):
            left.append(shown)
        elif " " in plain and "://" not in plain and not plain.startswith("{"):  # a sentence
            found = POINT.search(plain) or ISO_DAY.search(plain)  # (not a chart's data) with a
            # number with a decimal point, or an ISO date
            if found:
                left.append(f"{found.group(0)} in “{plain[max(found.start() - 40, 0) :][:80]}”")
    return left
