"""The floor of ``bench.bench_export``: read the same rows from the same database and write as
many cells with XlsxWriter (constant memory), or the same CSVs in a zip, importing nothing of
this project. ``python -m bench.floor_export DATABASE_URL OUT.xlsx|OUT.zip``.

It writes what the export writes, without what makes it a document: one row per assessment with
the Summary sheet's 15 columns, one row per indicator with the Indicators sheet's 12, one row
per answer with the Dimensions sheet's 14 columns, one row per answer and per indicator, goal
and assessment with the Data sheet's 17 columns (indicator, goal and overall values as plain
means of the answers' values), and the assessments, the priority matrix and the sector data as
they are stored; every cell with its column's style, as the export's are.
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from collections import defaultdict
from statistics import fmean

import xlsxwriter
from sqlalchemy import create_engine, text

VALUE = {"A": 100.0, "B": 66.67, "C": 33.33, "D": 0.0, "D*": 0.0}


def _read(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = {
            "assessments": connection.execute(
                text("SELECT id, country, year, edition_id, status, is_demo FROM assessments")
            ).all(),
            "answers": connection.execute(
                text(
                    "SELECT assessment_id, dimension_id, grade, justification, evidence, "
                    "confidence FROM answers WHERE \"group\" = 'consensus'"
                )
            ).all(),
            "actions": connection.execute(text("SELECT * FROM action_items")).all(),
            "sector": connection.execute(text("SELECT * FROM sector_data")).all(),
        }
    engine.dispose()
    return found


def _rows(found: dict[str, list[tuple]]) -> tuple[list[list], list[list]]:
    """The Dimensions rows and the Data rows (the Summary and Indicators rows are among the
    Data rows, ``_summary`` and ``_indicators`` pick them)."""
    where = {a[0]: (a[1], a[2], bool(a[5])) for a in found["assessments"]}
    previous = {(where[a[0]][0], where[a[0]][1], a[1]): a[2] for a in found["answers"]}
    dimensions, data = [], []
    nodes: dict[tuple, list[float]] = defaultdict(list)
    for aid, dim, grade, justification, evidence, confidence in found["answers"]:
        country, year, demo = where[aid]
        value = VALUE.get(grade)
        last = previous.get((country, year - 1, dim))
        dimensions.append(
            [country, year, dim, dim, "", grade, value, justification, evidence, confidence,
             last, "changed" if last and last != grade else "", "", "DEMO" if demo else ""]
        )  # fmt: skip
        data.append([country, year, "dimension", dim, dim, value, grade, None, None, None,
                     1.0, 1, 1, 0, 0, "recipe", demo])  # fmt: skip
        if value is not None:
            goal, indicator = dim.rsplit(".", 2)[0], dim.rsplit(".", 1)[0]
            for level, node in (("indicator", indicator), ("goal", goal), ("overall", "overall")):
                nodes[(country, year, demo, level, node)].append(value)
    for (country, year, demo, level, node), values in nodes.items():
        data.append([country, year, level, node, node, fmean(values), None, None, None, None,
                     1.0, len(values), len(values), 0, 0, "recipe", demo])  # fmt: skip
    return dimensions, data


def _cell(value: object) -> object:
    return value if value is None or isinstance(value, int | float) else str(value)


def _summary(found: dict[str, list[tuple]], data: list[list]) -> list[list]:
    """One row per assessment: country, name, year, status, overall, coverage, nine goals."""
    goals: dict[tuple, list] = defaultdict(lambda: [None] * 9)
    overall: dict[tuple, float] = {}
    for row in data:
        if row[2] == "goal":
            goals[(row[0], row[1])][int(row[3][2:]) - 1] = row[5]
        elif row[2] == "overall":
            overall[(row[0], row[1])] = row[5]
    return [
        [a[1], a[1], a[2], a[4], overall.get((a[1], a[2])), 1.0, *goals[(a[1], a[2])]]
        for a in found["assessments"]
    ]


def _indicators(data: list[list]) -> list[list]:
    """One row per indicator: country, year, demo, goal, indicator, title, score, M1, M2,
    method, status, coverage."""
    return [
        [r[0], r[1], "", r[3][:3], r[3], r[3], r[5], "B", "B", "M1", "final", 1.0]
        for r in data
        if r[2] == "indicator"
    ]


def workbook(found: dict[str, list[tuple]], out: str) -> None:
    dimensions, data = _rows(found)
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    top = wb.add_format({"valign": "top"})
    for name, rows in (
        ("Assessments", [list(a) for a in found["assessments"]]),
        ("Summary", _summary(found, data)),
        ("Indicators", _indicators(data)),
        ("Dimensions", dimensions),
        ("Sector", [list(r) for r in found["sector"]]),
        ("Actions", [list(r) for r in found["actions"]]),
        ("Data", data),
    ):
        ws = wb.add_worksheet(name)
        ws.set_column(0, 16, 14, top)  # each cell with its column's style
        for r, row in enumerate(rows):
            ws.write_row(r, 0, [_cell(v) for v in row])
    wb.close()


def package(found: dict[str, list[tuple]], out: str) -> None:
    dimensions, data = _rows(found)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in (
            ("assessments", found["assessments"]),
            ("answers", [r[:6] + r[7:10] for r in dimensions]),
            ("scores", data),
            ("priority_matrix", found["actions"]),
            ("sector_data", found["sector"]),
        ):
            buffer = io.StringIO()
            csv.writer(buffer).writerows(rows)
            archive.writestr(f"{name}.csv", buffer.getvalue().encode("utf-8-sig"))
        archive.writestr("datapackage.json", "{}")


if __name__ == "__main__":
    url, out = sys.argv[1], sys.argv[2]
    rows = _read(url)
    (workbook if out.endswith(".xlsx") else package)(rows, out)
