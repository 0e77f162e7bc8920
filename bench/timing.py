"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Result:
    """One benchmark: what was measured and its floor, one value per round (seconds, or another
    ``unit``), and the highest ratio of their medians that passes."""

    name: str
    measured: list[float]
    floor: list[float]
    limit: float
    unit: str = "s"

    @property
    def ratio(self) -> float:
        return statistics.median(self.measured) / statistics.median(self.floor)

    @property
    def passed(self) -> bool:
        return self.ratio <= self.limit


def nearest_rank(values: list[float], share: float) -> float:
    """The ``share`` percentile of ``values`` by the nearest-rank rule: the smallest value with at
    least ``share`` of all values at or below it (the 95th of 20 values is the 19th)."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(round(share * len(ordered), 9))) - 1]


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def alternate(
    measure: Callable[[], float], floor: Callable[[], float], rounds: int
) -> tuple[list[float], list[float]]:
    """Run the measured and the floor in turn, ``rounds`` times each, switching which goes first
    every round, so that a drift of the machine weighs on both alike."""
    measured: list[float] = []
    floors: list[float] = []
    for round_number in range(rounds):
        pair = [(measure, measured), (floor, floors)]
        for run, out in pair if round_number % 2 == 0 else reversed(pair):
            out.append(run())
    return measured, floors


def run_python(args: list[str]) -> None:
    """Run ``python <args>`` from the project root; raise if it fails."""
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True, capture_output=True)


def _spread(values: list[float], unit: str) -> str:
    scale, shown = (1000, "ms") if unit == "s" and statistics.median(values) < 1 else (1, unit)
    low, mid, high = (scale * v for v in (min(values), statistics.median(values), max(values)))
    return f"{mid:8.2f} {shown:<3}[{low:.2f}–{high:.2f}]"


def print_table(results: list[Result]) -> None:
    """One line per benchmark: medians with their range, the ratio and its limit."""
    print(f"{'benchmark':<48} {'measured':>28} {'floor':>28} {'ratio':>7} {'limit':>6}")
    for r in results:
        verdict = "ok" if r.passed else "MISSED"
        print(
            f"{r.name:<48} {_spread(r.measured, r.unit):>28} {_spread(r.floor, r.unit):>28} "
            f"{r.ratio:>6.2f}x {r.limit:>5.2f}x {verdict}",
            flush=True,
        )


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
