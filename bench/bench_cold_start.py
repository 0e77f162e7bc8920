"""Cold start: from launching ``streamlit run app.py`` on a new embedded database to the first
page a visitor gets, against the same for a hello-world app (``bench/floor_hello.py``)."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bench.timing import print_table
from bench.ws_user import User
from tests.support.servers import AppServer

RUNS = 3


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


def main() -> list[tuple[str, float, float]]:
    """Measure and print; returns the rows for ``python -m bench``."""
    with tempfile.TemporaryDirectory() as tmp:
        app = statistics.median(_cold_start("app.py", Path(tmp), i) for i in range(RUNS))
        floor = statistics.median(
            _cold_start("bench/floor_hello.py", Path(tmp), RUNS + i) for i in range(RUNS)
        )
    rows = [("cold start to the first page", app, floor)]
    print_table(rows)
    return rows


if __name__ == "__main__":
    main()
