"""``python -m bench``: run every benchmark and print one table of ratios."""

from bench import (
    bench_autosave,
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
]
print()
print_table(rows)
