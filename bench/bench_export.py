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


# Runs a module as ``python -m`` does and, as it exits, writes its own peak resident memory
# (``VmHWM``: the high-water mark of this program's memory alone; ``ru_maxrss`` would count the
# benchmark's own memory, which a child inherits across ``exec``).
PEAK = """import atexit, runpy, sys
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            sys.stderr.write("peak-kb " + line.split()[1] + "\\n")
atexit.register(peak)
sys.argv = sys.argv[1:]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak resident megabytes of ``python -m <args>``."""
    import time

    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK, *args[1:]],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{args} exited with {done.returncode}: {done.stderr[-500:]}")
    peaks = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("peak-kb ")]
    return seconds, int(peaks[-1]) / 1024


def main(
    countries: int = 200, years: int = 20, rounds: int = 2, quick: bool = False
) -> list[Result]:
    """Measure and print; returns the results for ``python -m bench`` (its full run only)."""
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
