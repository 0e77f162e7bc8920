"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by other load)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run_python(args: list[str]) -> None:
    """Run ``python <args>`` from the project root; raise if it fails."""
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True, capture_output=True)


def print_table(rows: list[tuple[str, float, float]]) -> None:
    """One line per benchmark: name, measured, floor and their ratio."""
    print(f"{'benchmark':<44} {'time':>9} {'floor':>9} {'ratio':>7}")
    for name, measured, floor in rows:
        print(f"{name:<44} {measured:>8.3f}s {floor:>8.3f}s {measured / floor:>6.2f}x")


def postgres_server_url() -> str | None:
    """The PostgreSQL server benchmarks may create scratch databases on, if one is named."""
    return os.environ.get("WDDF_BENCH_POSTGRES_URL") or os.environ.get("WDDF_TEST_DATABASE_URL")


@contextmanager
def scratch_postgres(server: str) -> Iterator[str]:
    """A new, empty database on ``server`` for the block; dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"wddf_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
