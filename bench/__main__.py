"""``python -m bench``: run every benchmark and print one table of ratios."""

from bench import bench_autosave, bench_scoring
from bench.timing import print_table

rows = bench_scoring.main() + bench_autosave.main()
print()
print_table(rows)
