"""Shared fixtures, and the rule that in CI no required part may be skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from wddf.questionnaire import Edition, load_questionnaire

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "questionnaires" / "wddf-1.0.yaml"
EDITION_1_1 = ROOT / "questionnaires" / "wddf-1.1.yaml"
# Cheap argon2 parameters for every account the tests (and the servers they start) create;
# tests/storage/test_accounts.py checks the production parameters.
os.environ.setdefault("WDDF_PASSWORD_HASHING", "fast")
STRICT = os.environ.get("WDDF_REQUIRE_ALL_TESTS") == "1"
# Parts that a strict run (CI) must have collected and run, by marker.
REQUIRED_MARKERS = ("browser", "postgres")


@pytest.fixture(scope="session", autouse=True)
def _private_database(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never touch ./data: the default database is a file of this test session."""
    if "WDDF_DATABASE_URL" not in os.environ:
        folder = tmp_path_factory.mktemp("default-db")
        os.environ["WDDF_DATABASE_URL"] = f"sqlite:///{folder}/wddf.sqlite3"
        from wddf.config import get_settings

        get_settings.cache_clear()


@cache
def shipped() -> Edition:
    """The edition the project ships (and installs in every new database)."""
    result = load_questionnaire(SHIPPED)
    assert result.ok, result.report()
    return result.edition


@cache
def shipped_editions() -> dict[str, Edition]:
    """Every edition the project ships, by id."""
    found = {}
    for path in sorted((ROOT / "questionnaires").glob("wddf-*.yaml")):
        result = load_questionnaire(path)
        assert result.ok, result.report()
        found[result.edition.id] = result.edition
    return found


def score_by_edition(answers: pd.DataFrame) -> pd.DataFrame:
    """The overall scores of ``answers`` (``country, year, edition_id, dimension_id, grade``),
    each assessment scored by the scoring library against its own shipped edition."""
    from scoring import score
    from wddf.questionnaire import structure_table

    parts = [
        score(structure_table(shipped_editions()[e]), rows, e).overall.assign(edition_id=e)
        for e, rows in answers.groupby("edition_id")
    ]
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="session")
def shipped_edition() -> Edition:
    """The edition the project ships."""
    return shipped()


_SKIPS: list[str] = []
_RAN_MARKERS: set[str] = set()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Record skipped tests and the markers of tests that ran (strict mode checks both).

    Reports reach this hook in the process that prints them, the controller when the suite
    runs on several workers, so what ran is read from the reports, not from collection."""
    if not STRICT:
        return
    if report.skipped:
        _SKIPS.append(f"{report.nodeid}: {report.longrepr[-1] if report.longrepr else ''}")
    elif report.when == "call":
        _RAN_MARKERS.update(m for m in REQUIRED_MARKERS if m in report.keywords)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With WDDF_REQUIRE_ALL_TESTS=1 (CI), a skipped test or a required part that never ran
    fails the run."""
    if not STRICT or hasattr(session.config, "workerinput"):
        return
    problems = list(_SKIPS)
    problems += [f"no {m} test ran" for m in REQUIRED_MARKERS if m not in _RAN_MARKERS]
    if problems:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("Required parts were skipped (WDDF_REQUIRE_ALL_TESTS=1):", red=True)
            for line in problems:
                reporter.write_line(f"  {line}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def run_wddf(*args: str, url: str | None = None, stdin: str = "") -> subprocess.CompletedProcess:
    """Run ``python -m wddf`` as a user would, on the database ``url`` when one is given."""
    env = os.environ | ({"WDDF_DATABASE_URL": url} if url else {})
    return subprocess.run(
        [sys.executable, "-m", "wddf", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
