"""The comparison page for 18 countries × 10 years, rendered server-side by a reviewer, against
building the same plotly figures from precomputed data.

The page runs in Streamlit's AppTest, as the server runs it, without a browser. Scores of
locked assessments, whole comparisons and their charts are cached by what identifies their
content; the page is timed with the caches warm (what every later visitor gets) and with them
emptied before each run (the first visitor after a change). The floor takes the page's
own data, computed once beforehand, and only builds the six figures from it.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench.timing import best_of, print_table

RUNS = 9
SCRIPT = """
from wddf.domain import Role
from wddf.services.actor import Actor
from wddf.ui.context import PageContext
from wddf.ui.database import database
from wddf.ui.main import PAGES
PAGES["comparison"][0].render(PageContext("en", Actor({id}, "bench", Role.REVIEWER), database()))
"""


def prepare(url: str, countries: int, years: int) -> int:
    """A migrated database with synthetic assessments and a reviewer; the reviewer's id."""
    from bench import synthetic
    from wddf.domain import Role
    from wddf.services import accounts
    from wddf.services.actor import SYSTEM
    from wddf.services.editions import prepare_database
    from wddf.storage.db import Database

    prepare_database(url)
    db = Database(url)
    synthetic.load(db, countries, years)
    with db.session() as session:
        reviewer = accounts.create_user(
            session, SYSTEM, "bench", Role.REVIEWER, "Comparison-timing-7"
        )
    db.dispose()
    return reviewer.id


def figure_inputs(url: str, reviewer_id: int) -> list[tuple]:
    """The arguments of every chart on the page, from the page's own data, computed once."""
    from wddf.domain import Role
    from wddf.services import insights
    from wddf.services.actor import Actor
    from wddf.storage.db import Database
    from wddf.ui import charts

    db = Database(url)
    with db.session() as session:
        found = insights.comparison(session, Actor(reviewer_id, "bench", Role.REVIEWER), "en")
    db.dispose()
    names = dict(zip(found.countries["country"], found.countries["country_name"], strict=True))
    order = found.ranking["country"].tolist()
    matrix = found.goals.astype({"goal_id": object}).pivot_table(
        index="country", columns="goal_id", values="score", aggfunc="first"
    )
    rows, columns = [names[c] for c in order], list(matrix.columns)
    matrix = matrix.reindex(order).set_axis(rows, axis=0)
    ranked = found.ranking
    shown = found.distribution.head(20)
    peers = found.peers(order[0])
    calls = [
        (charts.score_heatmap, (matrix, rows, columns)),
        (charts.score_bars, (rows, ranked["score"].tolist(), ["x"] * len(rows), "score")),
        (charts.stacked_grades, (shown, shown["dimension_id"].tolist())),
        (
            charts.peer_range,
            (
                peers["goal_id"].tolist(),
                peers["score"].tolist(),
                peers["peer_median"].tolist(),
                peers["peer_lowest"].tolist(),
                peers["peer_highest"].tolist(),
                ("me", "peers"),
            ),
        ),
    ]
    for summary, by in ((found.by_region, "region"), (found.by_language, "language")):
        labels = [str(v) for v in summary[by]]
        calls.append((charts.score_bars, (labels, summary["score"].tolist(), labels, "score")))
    return calls


def _clear_caches() -> None:
    from wddf.services import insights, scored
    from wddf.ui.app_pages import comparison

    for cache in (scored.FROZEN_SCORES, insights.COMPARISONS, comparison.VIEWS):
        cache.clear()


def page_times(reviewer_id: int) -> tuple[float, float]:
    """Median seconds of a run of the comparison page with its caches warm, and with them
    emptied before each run (everything scored and drawn again)."""
    page = AppTest.from_string(SCRIPT.format(id=reviewer_id), default_timeout=120)
    page.run()  # imports the app's modules, as a running server already has
    assert not page.exception, page.exception

    def timed(before_each) -> float:
        times = []
        for _ in range(RUNS):
            before_each()
            start = time.perf_counter()
            page.run()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    return timed(lambda: None), timed(_clear_caches)


def main(countries: int = 18, years: int = 10) -> list[tuple[str, float, float]]:
    """Measure and print; returns the rows for ``python -m bench``."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp)}/bench.sqlite3"
        os.environ["WDDF_DATABASE_URL"] = url
        from wddf.config import get_settings

        get_settings.cache_clear()
        reviewer_id = prepare(url, countries, years)
        warm, cold = page_times(reviewer_id)
        calls = figure_inputs(url, reviewer_id)
        floor = best_of(lambda: [chart(*args) for chart, args in calls], RUNS)
    size = f"{countries}×{years}"
    rows = [
        (f"comparison page {size}, caches warm", warm, floor),
        (f"comparison page {size}, caches emptied", cold, floor),
    ]
    print_table(rows)
    return rows


if __name__ == "__main__":
    main()
