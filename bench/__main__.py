"""``python -m bench [--quick]``: run every benchmark, print one table, exit 1 if one is missed.

Each benchmark runs its measured and floor pairs alternately and reports medians with their
range; each has a threshold (``Result.limit``). ``--quick`` runs fewer rounds on smaller data
(a few minutes). The load curve (``python -m bench.bench_load``) and the growth with data
size (``python -m bench.bench_scale``) take longer and print tables of their own. Not part of
the test suite.
"""

import sys

from bench import (
    bench_autosave,
    bench_cold_start,
    bench_entry_page,
    bench_export,
    bench_field_link,
    bench_insight_pages,
    bench_memory,
    bench_scoring,
)
from bench.timing import print_table

quick = "--quick" in sys.argv
benchmarks = [
    bench_entry_page,
    bench_field_link,
    bench_autosave,
    bench_scoring,
    bench_insight_pages,
    bench_cold_start,
]
if not quick:  # at 180 assessments an export's time is its imports: it runs at 4,000 only
    benchmarks += [bench_export, bench_memory]
results = [result for benchmark in benchmarks for result in benchmark.main(quick=quick)]
print()
print_table(results)
missed = [r.name for r in results if not r.passed]
if missed:
    print(f"missed: {', '.join(missed)}")
sys.exit(1 if missed else 0)
