"""Scoring synthetic assessments of the shipped edition, against one plain pandas pass that
builds the same output (``bench/floor_scoring.py``).

In process, the library (read, validate, score) is compared with the floor's pass. As commands,
``wddf score --format json`` is compared with the floor run as a script writing its JSON, at
1,500 assessments, and in the full run at 15,000 and 150,000, with the peak memory of each
process beside.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench.floor_scoring import floor_pass
from bench.timing import ROOT, Result, alternate, print_table, timed
from scoring import score
from scoring.validate import check_answers
from wddf.commands.score import read_answers
from wddf.questionnaire import load_questionnaire, structure_table
from wddf.services.editions import SHIPPED

COMMAND_LIMIT = 2.5  # `wddf score` against its floor
MEMORY_LIMIT = 2.0  # its peak memory against the floor's


def synthetic_answers(structure: pd.DataFrame, assessments: int, seed: int = 7) -> pd.DataFrame:
    """Every dimension of ``assessments`` assessments (15 years per country), with grades of
    every kind (NA where allowed)."""
    rng = np.random.default_rng(seed)
    countries = max(1, assessments // 15)
    keys = pd.MultiIndex.from_product(
        [[f"C{i:05d}" for i in range(countries)], range(2010, 2025)], names=["country", "year"]
    ).to_frame(index=False)
    rows = keys.merge(structure[["dimension_id", "na_allowed"]], how="cross")
    grades = rng.choice(["A", "B", "C", "D", "D*"], size=len(rows), p=[0.2, 0.3, 0.3, 0.15, 0.05])
    grades = np.where(rows["na_allowed"] & (rng.random(len(rows)) < 0.3), "NA", grades)
    return rows.assign(grade=grades).drop(columns="na_allowed")


def library_pass(path: Path, structure: pd.DataFrame, edition_id: str) -> object:
    """What the library does with the same file: read, validate, score every level."""
    answers, problems = check_answers(read_answers(str(path)), structure)
    assert not problems
    return score(structure, answers, edition_id, layers=False)


# Runs a command and writes its peak resident memory (VmHWM, of this process image only) to a
# file at exit; a forked child's own counters would include the benchmark's memory.
PEAK_LAUNCHER = """
import atexit, runpy, sys
out, target = sys.argv[1], sys.argv[2:]
def peak():
    status = open("/proc/self/status").read().splitlines()
    open(out, "w").write(next(l.split()[1] for l in status if l.startswith("VmHWM")))
atexit.register(peak)
if target[0] == "-m":
    sys.argv = target[1:]
    runpy.run_module(target[1], run_name="__main__", alter_sys=True)
else:
    sys.argv = target
    runpy.run_path(target[0], run_name="__main__")
"""


def run_measured(args: list[str]) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of ``python <args>``, its output discarded."""
    with tempfile.NamedTemporaryFile("r") as peak:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", PEAK_LAUNCHER, peak.name, *args],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        elapsed = time.perf_counter() - start
        return elapsed, int(peak.read()) / 1024


def command_results(
    structure: pd.DataFrame, edition_id: str, assessments: int, rounds: int
) -> list[Result]:
    """``wddf score`` against the floor script, alternated: time and peak memory."""
    size = f"{assessments:,}"
    with tempfile.TemporaryDirectory() as tmp:
        path, structure_path = Path(tmp) / "answers.csv", Path(tmp) / "structure.json"
        synthetic_answers(structure, assessments).to_csv(path, index=False)
        structure.to_json(structure_path)
        runs: dict[str, list[tuple[float, float]]] = {"command": [], "floor": []}
        command = ["-m", "wddf", "score", "--edition", edition_id, "--answers", str(path)]
        floor = ["bench/floor_scoring.py", str(path), str(structure_path)]
        alternate(
            lambda: runs["command"].append(run_measured(command)) or 0.0,
            lambda: runs["floor"].append(run_measured(floor)) or 0.0,
            rounds,
        )
    return [
        Result(
            f"`wddf score` command, {size} assessments",
            [t for t, _ in runs["command"]],
            [t for t, _ in runs["floor"]],
            COMMAND_LIMIT,
        ),
        Result(
            f"`wddf score` peak memory, {size} assessments",
            [m for _, m in runs["command"]],
            [m for _, m in runs["floor"]],
            MEMORY_LIMIT,
            unit="MB",
        ),
    ]


def main(quick: bool = False) -> list[Result]:
    """Measure and print; returns the results for ``python -m bench``."""
    edition = load_questionnaire(SHIPPED).edition
    structure = structure_table(edition)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.csv"
        synthetic_answers(structure, 1500).to_csv(path, index=False)
        answers, _ = check_answers(read_answers(str(path)), structure)
        measured, floor = alternate(
            lambda: timed(lambda: library_pass(path, structure, edition.id)),
            lambda: timed(lambda: floor_pass(str(path), structure)),
            5,
        )
        results.append(Result("scoring: library, 1,500 assessments", measured, floor, 2.5))
        measured, floor = alternate(
            lambda: timed(lambda: score(structure, answers, edition.id, layers=False)),
            lambda: timed(lambda: floor_pass(str(path), structure)),
            5,
        )
        results.append(Result("scoring: score() alone, already read", measured, floor, 1.5))
    for assessments, rounds in [(1500, 3)] if quick else [(1500, 3), (15000, 3), (150000, 1)]:
        results += command_results(structure, edition.id, assessments, rounds)
    print_table(results)
    return results


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
