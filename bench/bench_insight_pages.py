"""The insight pages for 200 countries × 20 years (4,000 assessments, in the quick run too),
rendered server-side by a reviewer.

The pages run in Streamlit's AppTest, as the server runs them, without a browser (this is the
pages' own work; ``bench_entry_page`` measures a live server). Scores of locked assessments,
whole comparisons, a country's progress and their charts are cached by what identifies their
content; each page is timed with the caches warm (what every later visitor gets) and with them
emptied before each run (the first visitor after a change).

The comparison page's floor is a bare script run the same way, in AppTest: from the page's own
data, computed once beforehand (each chart's inputs, and the tables the page drew), it builds the
six figures and draws each with ``st.plotly_chart``, its table in an expander under it: warm, the
page should cost little more. With caches emptied, and for the progress page, the pages are held
to budgets: under 1 s emptied and 0.2 s warm at 4,000 assessments (the budget is the floor
column).
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench.timing import Result, alternate, print_table, timed

RUNS = 9
WARM_BUDGET, EMPTIED_BUDGET = 0.2, 1.0  # seconds, at 4,000 assessments
SCRIPT = """
from wddf.domain import Role
from wddf.services.actor import Actor
from wddf.ui.context import PageContext
from wddf.ui.database import database
from wddf.ui.main import PAGES
ctx = PageContext("en", Actor({id}, "bench", Role.REVIEWER), database())
try:
    PAGES["{page}"][0].render(ctx)
finally:
    ctx.end_reads()
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
    from wddf.services.actor import Actor
    from wddf.services.scores import insights
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
    from wddf.services.scores import insights, scored
    from wddf.ui.app_pages import comparison

    for cache in (scored.FROZEN_SCORES, insights.COMPARISONS, insights.PROGRESS, comparison.VIEWS):
        cache.clear()


def opened(reviewer_id: int, page_name: str) -> AppTest:
    """A page run once, as a reviewer: the app's modules imported, as a running server has them."""
    page = AppTest.from_string(SCRIPT.format(id=reviewer_id, page=page_name), default_timeout=300)
    page.run()
    assert not page.exception, page.exception
    return page


FLOOR = """
import pickle
from pathlib import Path
import streamlit as st

@st.cache_resource
def inputs():
    return pickle.loads(Path({path!r}).read_bytes())

calls, tables = inputs()
for (chart, args), table in zip(calls, tables, strict=True):
    st.plotly_chart(chart(*args), config={{"displaylogo": False}})
    with st.expander("Data table"):
        st.dataframe(table, hide_index=True)
"""


def floor_page(calls: list[tuple], tables: list, tmp: Path) -> AppTest:
    """The comparison's floor (the module's docstring), run once."""
    path = tmp / "floor.pickle"
    path.write_bytes(pickle.dumps((calls, tables)))
    floor = AppTest.from_string(FLOOR.format(path=str(path)), default_timeout=300)
    floor.run()
    assert not floor.exception, floor.exception
    return floor


def emptied_run(page: AppTest) -> float:
    """Seconds of a run with every cache emptied first (everything scored and drawn again)."""
    _clear_caches()
    return timed(page.run)


def main(quick: bool = False, countries: int | None = None, years: int = 20) -> list[Result]:
    """Measure and print; returns the results for ``python -m bench``."""
    countries = countries or 200
    runs = 3 if quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp)}/bench.sqlite3"
        os.environ["WDDF_DATABASE_URL"] = url
        from wddf.config import get_settings

        get_settings.cache_clear()
        reviewer_id = prepare(url, countries, years)
        calls = figure_inputs(url, reviewer_id)
        size = f"{countries * years:,} assessments"
        comparison = opened(reviewer_id, "comparison")
        tables = [table.value for table in comparison.dataframe]
        floor = floor_page(calls, tables, Path(tmp))
        warm, floor_times = alternate(lambda: timed(comparison.run), lambda: timed(floor.run), runs)
        emptied = [emptied_run(comparison) for _ in range(runs)]
        results = [
            Result(f"comparison page, {size}, warm", warm, floor_times, 1.5),
            Result(f"comparison page, {size}, emptied (budget)", emptied, [EMPTIED_BUDGET], 1),
        ]
        progress = opened(reviewer_id, "progress")
        warm, emptied = alternate(lambda: timed(progress.run), lambda: emptied_run(progress), runs)
        results += [
            Result(f"progress page, {size}, warm (budget)", warm, [WARM_BUDGET], 1),
            Result(f"progress page, {size}, emptied (budget)", emptied, [EMPTIED_BUDGET], 1),
        ]
    print_table(results)
    return results


if __name__ == "__main__":
    import sys

    main(quick="--quick" in sys.argv)
