"""How page, scoring and export times grow with the data: the demo set (`demo load --countries 18
--years 15`), then synthetic sets up to 200 countries × 20 years (`bench/synthetic.py`).

For each size: scoring every assessment from the database (``scored.scored``, caches emptied),
the comparison page with its caches emptied and warm (AppTest), and the donor workbook. The last
columns are growth exponents against the smallest set: 1.0 is linear.
Run with ``python -m bench.bench_scale``.
"""

from __future__ import annotations

import math
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.bench_insight_pages import _clear_caches, page_times
from bench.timing import timed

SIZES = [("demo 18×15", None, None), ("50×20", 50, 20), ("100×20", 100, 20), ("200×20", 200, 20)]


def _database(url: str, countries: int | None, years: int | None) -> int:
    """Fill a new database; the reviewer's id."""
    from bench import synthetic
    from wddf.domain import Role
    from wddf.services import accounts
    from wddf.services.actor import SYSTEM
    from wddf.services.answers import demo
    from wddf.services.editions import prepare_database
    from wddf.storage.db import Database

    prepare_database(url)
    db = Database(url)
    with db.session() as session:
        if countries is None:
            demo.load(session, SYSTEM, countries=18, years=15, seed=3)
        reviewer = accounts.create_user(session, SYSTEM, "scale", Role.REVIEWER, "Growth-review-8")
    if countries is not None:
        synthetic.load(db, countries, years)
    db.dispose()
    return reviewer.id


def _measure(url: str, reviewer_id: int) -> dict[str, float]:
    from wddf.services.actor import SYSTEM
    from wddf.services.documents import reports
    from wddf.services.scores import scored
    from wddf.storage.db import Database

    db = Database(url)

    def score_all() -> int:
        _clear_caches()
        with db.session() as session:
            return len(scored.scored(session, SYSTEM).assessments)

    count = score_all()
    scoring = min(timed(score_all) for _ in range(2))
    warm, cold = (statistics.median(t) for t in page_times(reviewer_id, "comparison", 3))
    start = time.perf_counter()
    with db.session() as session:
        reports.donor_workbook(session, SYSTEM, "en")
    workbook = time.perf_counter() - start
    db.dispose()
    return {
        "assessments": count,
        "scoring": scoring,
        "page cold": cold,
        "page warm": warm,
        "workbook": workbook,
    }


def main() -> list[dict]:
    """Measure every size and print the table."""
    results = []
    columns = ["scoring", "page cold", "page warm", "workbook"]
    print(
        f"{'data':<12} {'assessments':>11} "
        + " ".join(f"{c:>10}" for c in columns)
        + "   growth exponent (scoring, page cold, workbook)"
    )
    for name, countries, years in SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp)}/scale.sqlite3"
            os.environ["WDDF_DATABASE_URL"] = url
            from wddf.config import get_settings

            get_settings.cache_clear()
            result = _measure(url, _database(url, countries, years)) | {"data": name}
        results.append(result)
        first = results[0]
        size = math.log(result["assessments"] / first["assessments"])
        growth = [
            math.log(result[c] / first[c]) / size if size else float("nan")
            for c in ("scoring", "page cold", "workbook")
        ]
        print(
            f"{name:<12} {result['assessments']:>11} "
            + " ".join(f"{result[c]:>9.2f}s" for c in columns)
            + "   "
            + " ".join(f"{g:.2f}" for g in growth),
            flush=True,
        )
    return results


if __name__ == "__main__":
    main()
