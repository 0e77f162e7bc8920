"""The donor workbook for 17 countries × 10 years (every country with artisanal diamond mining
in the demo set), against a floor: XlsxWriter writing the same tables' values, unformatted,
without charts. Peak memory of both is printed beside."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from bench.timing import Result, alternate, print_table, timed

LIMIT = 1.5  # formatted, charted and laid out for print, against plain values
MEMORY_LIMIT = 2.0


def main(
    quick: bool = False, countries: int | None = None, years: int | None = None
) -> list[Result]:
    """Measure and print; returns the results for ``python -m bench``. With ``countries`` and
    ``years``, on a synthetic set of that size (``bench/synthetic.py``) instead of the demo."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp)}/bench.sqlite3"
        os.environ["WDDF_DATABASE_URL"] = url
        from exports.donor_workbook import donor_workbook
        from exports.long_sheets import long_table
        from wddf.config import get_settings
        from wddf.services.actor import SYSTEM
        from wddf.services.answers import demo
        from wddf.services.documents import reports
        from wddf.services.editions import prepare_database
        from wddf.storage.db import Database

        get_settings.cache_clear()
        prepare_database(url)
        db = Database(url)
        if countries is None:
            with db.session() as session:
                demo.load(session, SYSTEM, countries=18, years=10, seed=2)
        else:
            from bench import synthetic

            synthetic.load(db, countries, years)
        with db.session() as session:
            tables = reports.collect(session, SYSTEM, "en")
        db.dispose()
    labels = reports.labels("en")
    frames = [
        tables.assessments,
        tables.indicators,
        tables.dimensions,
        tables.actions,
        long_table(tables),
    ]

    def floor() -> bytes:
        """The same tables' values written plainly, one sheet each."""
        import xlsxwriter

        out = io.BytesIO()
        wb = xlsxwriter.Workbook(out, {"in_memory": True, "nan_inf_to_errors": True})
        for frame in frames:
            ws = wb.add_worksheet()
            ws.write_row(0, 0, [str(c) for c in frame.columns])
            for r, row in enumerate(frame.astype(object).itertuples(index=False), start=1):
                ws.write_row(r, 0, [_plain(v) for v in row])
        wb.close()
        return out.getvalue()

    rounds = 1 if countries is not None else (2 if quick else 3)
    measured, base = alternate(
        lambda: timed(lambda: donor_workbook(tables, labels)), lambda: timed(floor), rounds
    )
    name = f"donor workbook, {len(tables.assessments)} assessments"
    results = [Result(name, measured, base, LIMIT)]
    if not quick:
        workbook_peak = peak_memory(lambda: donor_workbook(tables, labels))
        floor_peak = peak_memory(floor)
        peaks = [workbook_peak / 1e6], [floor_peak / 1e6]
        results.append(Result(f"{name}, peak memory", *peaks, MEMORY_LIMIT, unit="MB"))
    print_table(results)
    return results


def _plain(value: object) -> object:
    """A value as the floor writes it: numbers as numbers, missing as blank, the rest as text."""
    if value is None or value != value:  # None or NaN
        return None
    return value if isinstance(value, int | float) else str(value)


def peak_memory(make) -> int:
    """Bytes allocated at the peak while ``make`` runs (tracemalloc)."""
    import tracemalloc

    tracemalloc.start()
    make()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


if __name__ == "__main__":
    import sys

    # python -m bench.bench_donor_workbook [--quick | COUNTRIESxYEARS]; 200x20 is 4,000 assessments
    size = sys.argv[1].split("x") if len(sys.argv) > 1 and "x" in sys.argv[1] else None
    main(False, *(int(n) for n in size)) if size else main(quick="--quick" in sys.argv)
