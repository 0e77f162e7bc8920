"""``python -m wddf export --all`` as a user runs it, in a process of its own (reading, scoring,
laying out and writing), against a floor (``bench/floor_export.py``) that reads the same rows
from the same database and writes as many cells with XlsxWriter, or the same CSVs; alternated,
wall time and each process's peak resident memory. Run with
``python -m bench.bench_export [COUNTRIESxYEARS]``: 200x20 (4,000 assessments) by default; the
demo-sized ``18x10`` runs in a minute.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.timing import ROOT, Result, alternate, print_table

LIMIT = 1.3  # time and peak memory, against the floor


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak resident megabytes of ``python <args>``."""
    import time

    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{args} exited with {status}")
    return seconds, usage.ru_maxrss / 1024


def main(
    countries: int = 200, years: int = 20, rounds: int = 2, quick: bool = False
) -> list[Result]:
    """Measure and print; returns the results for ``python -m bench`` (``quick``: 18 countries ×
    10 years, one round)."""
    if quick:
        countries, years, rounds = 18, 10, 1
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp)}/bench.sqlite3"
        env = os.environ | {"WDDF_DATABASE_URL": url}
        os.environ["WDDF_DATABASE_URL"] = url
        from bench import synthetic
        from wddf.config import get_settings
        from wddf.services.editions import prepare_database
        from wddf.storage.db import Database

        get_settings.cache_clear()
        prepare_database(url)
        db = Database(url)
        made = synthetic.load(db, countries, years)
        db.dispose()
        results = []
        for suffix, name in ((".xlsx", "donor workbook"), (".zip", "data package")):
            out = str(Path(tmp) / f"out{suffix}")
            ours, floor = [], []
            measured, floored = alternate(
                lambda o=out, k=ours: _kept(
                    k, _run(["-m", "wddf", "export", "--all", "-o", o], env)
                ),
                lambda o=out, k=floor: _kept(k, _run(["-m", "bench.floor_export", url, o], env)),
                rounds,
            )
            label = f"export --all, {name}, {made:,} assessments"
            results.append(Result(label, measured, floored, LIMIT))
            peaks = [m for _, m in ours], [m for _, m in floor]
            results.append(Result(f"{label}, peak memory", *peaks, LIMIT, unit="MB"))
    print_table(results)
    return results


def _kept(into: list, measured: tuple[float, float]) -> float:
    into.append(measured)
    return measured[0]


if __name__ == "__main__":
    size = sys.argv[1].split("x") if len(sys.argv) > 1 else ["200", "20"]
    main(int(size[0]), int(size[1]))
