"""``python -m bench``: run every benchmark and print one table of ratios.

The load curve (``python -m bench.bench_load``) and the growth with data size
(``python -m bench.bench_scale``) take minutes and print tables of their own.
"""

from bench import (
    bench_autosave,
    bench_cold_start,
    bench_comparison_page,
    bench_donor_workbook,
    bench_entry_page,
    bench_scoring,
)
from bench.timing import print_table

rows = [
    *bench_scoring.main(),
    *bench_autosave.main(),
    *bench_entry_page.main(),
    *bench_donor_workbook.main(),
    *bench_comparison_page.main(),
    *bench_cold_start.main(),
]
print()
print_table(rows)
