"""PEFA's M2 (averaging) conversion tables for 2, 3 and 4 dimensions, read from cited data.

``pefa_m2.yaml`` holds the tables as PEFA 2016 prints them, with their source, and the rows of
an earlier, superseded table that differ, under the M2 rule that named it. Each key is the
dimension grades of an indicator, best first (D* counts as D, NA is left out); each value is
the indicator grade. The engine reads its M2 grades off these tables (``grades.m2_letters``).
"""

from __future__ import annotations

from pathlib import Path

import yaml

DATA = Path(__file__).with_name("pefa_m2.yaml")


def _read() -> dict:
    with DATA.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


_DATA = _read()
PEFA_M2_SOURCE: str = _DATA["source"]
PEFA_M2_RULE: str = _DATA["rule"]  # the rule that reads the table as printed
PEFA_M2_TABLE: dict[str, str] = dict(_DATA["table"])
# Each M2 rule that reads a table, and its table: the printed one, and each superseded one
# (the printed table with its differing rows), kept so that stored scores rebuild exactly.
M2_TABLES: dict[str, dict[str, str]] = {PEFA_M2_RULE: PEFA_M2_TABLE} | {
    rule: PEFA_M2_TABLE | dict(old["differs"]) for rule, old in _DATA["superseded"].items()
}
