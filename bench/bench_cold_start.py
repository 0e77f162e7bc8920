"""Cold start: from launching ``streamlit run app.py`` on a new embedded database to the first
page a visitor gets, against the same for a hello-world app (``bench/floor_hello.py``)."""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from bench.timing import Result, alternate, print_table
from bench.ws_user import User
from wddf.testing.servers import AppServer

RUNS = 3
LIMIT = 3.5  # the app imports pandas, plotly and SQLAlchemy and opens its database


async def _first_page(url: str) -> None:
    visitor = User(url)
    await visitor.connect()
    await visitor.open("", "")
    await visitor.close()


def _cold_start(script: str, tmp: Path, run: int) -> float:
    server = AppServer(f"sqlite:///{tmp}/cold-{run}.sqlite3", script=script)
    start = time.perf_counter()
    server.start()  # returns once /_stcore/health answers
    try:
        asyncio.run(_first_page(server.url))
        return time.perf_counter() - start
    finally:
        server.stop()


def main(quick: bool = False) -> list[Result]:
    """Measure and print; returns the results for ``python -m bench``."""
    runs = iter(range(1000))
    with tempfile.TemporaryDirectory() as tmp:
        measured, floor = alternate(
            lambda: _cold_start("app.py", Path(tmp), next(runs)),
            lambda: _cold_start("bench/floor_hello.py", Path(tmp), next(runs)),
            2 if quick else RUNS,
        )
    results = [Result("cold start to the first page", measured, floor, LIMIT)]
    print_table(results)
    return results


if __name__ == "__main__":
    import sys

    main(quick="--quick" in sys.argv)
