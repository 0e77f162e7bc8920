"""The donor workbook for 17 countries × 10 years (every country with artisanal diamond mining
in the demo set), against ``DataFrame.to_excel`` of the same long data table."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from bench.timing import best_of, print_table


def main() -> list[tuple[str, float, float]]:
    """Measure and print; returns the rows for ``python -m bench``."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp)}/bench.sqlite3"
        os.environ["WDDF_DATABASE_URL"] = url
        from exports.donor_workbook import donor_workbook, long_table
        from wddf.config import get_settings
        from wddf.services import demo, reports
        from wddf.services.actor import SYSTEM
        from wddf.services.editions import prepare_database
        from wddf.storage.db import Database

        get_settings.cache_clear()
        prepare_database(url)
        db = Database(url)
        with db.session() as session:
            demo.load(session, SYSTEM, countries=18, years=10, seed=2)
            tables = reports.collect(session, SYSTEM, "en")
        db.dispose()
    labels = reports.labels("en")
    frame = long_table(tables)

    def floor() -> bytes:
        out = io.BytesIO()
        frame.to_excel(out, index=False)
        return out.getvalue()

    measured = best_of(lambda: donor_workbook(tables, labels), 3)
    base = best_of(floor, 3)
    rows = [(f"donor workbook, {len(tables.assessments)} assessments", measured, base)]
    print_table(rows)
    return rows


if __name__ == "__main__":
    main()
