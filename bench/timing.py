"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
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
