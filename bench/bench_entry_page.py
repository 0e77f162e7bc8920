"""One answer on the entry page: the server-side rerun after changing one grade on a fully
answered goal (autosave included), against a bare script with the same widgets.

Both run in Streamlit's AppTest, which executes the script as the server does, without a browser.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench.timing import ROOT, print_table

RUNS = 15
SCRIPT = """
import streamlit as st
from wddf.domain import Role
from wddf.services.actor import Actor
from wddf.ui.context import PageContext
from wddf.ui.database import database
from wddf.ui.main import PAGES, pages_for
actor = Actor({id}, "bench", Role.FOCAL_POINT, "SLE")
ctx = PageContext("fr", actor, database())
st.navigation(pages_for(ctx, False), position="hidden")  # as the app registers its pages
try:
    PAGES["entry"][0].render(ctx)
finally:
    ctx.end_reads()
"""


def _prepare(url: str) -> tuple[int, int]:
    """A focal point and an assessment whose first goal is fully answered."""
    from wddf.domain import Role
    from wddf.services import accounts, assessments
    from wddf.services.actor import SYSTEM
    from wddf.services.assessments import AnswerInput
    from wddf.services.editions import get_edition, prepare_database
    from wddf.storage.db import Database

    prepare_database(url)
    db = Database(url)
    with db.session() as session:
        focal = accounts.create_user(
            session, SYSTEM, "bench", Role.FOCAL_POINT, "Entry-page-timing-1", "SLE"
        )
        made = assessments.create(session, focal, "SLE", 2025, "wddf-1.0")
        for indicator in get_edition(session, "wddf-1.0").goals[0].indicators:
            for dim in indicator.dimensions:
                given = AnswerInput(dim.id, "B", "A justification", "https://example.org", "medium")
                assessments.save_answer(session, focal, made.id, given, 0)
    db.dispose()
    return focal.id, made.id


def _rerun_times(at: AppTest, key: str, values: tuple[str, str]) -> float:
    """Median time of a rerun after changing the radio ``key``, alternating two grades."""
    at.run()
    times = []
    for i in range(RUNS):
        radio = at.radio(key=key).set_value(values[i % 2])
        start = time.perf_counter()
        radio.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return statistics.median(times)


def main() -> list[tuple[str, float, float]]:
    """Measure and print; returns the rows for ``python -m bench``."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp)}/bench.sqlite3"
        os.environ["WDDF_DATABASE_URL"] = url
        from wddf.config import get_settings

        get_settings.cache_clear()
        focal_id, assessment_id = _prepare(url)
        page = AppTest.from_string(SCRIPT.format(id=focal_id), default_timeout=60)
        page.query_params["assessment"] = str(assessment_id)
        page.query_params["goal"] = "WD1"
        measured = _rerun_times(page, f"g:{assessment_id}:WD1.1.1:consensus", ("C", "B"))
        floor_app = AppTest.from_file(
            str(ROOT / "bench" / "floor_entry_page.py"), default_timeout=60
        )
        floor = _rerun_times(floor_app, "g:WD1.1.1", ("C", "B"))
    rows = [("entry page: one grade changed, rerun", measured, floor)]
    print_table(rows)
    return rows


if __name__ == "__main__":
    main()
