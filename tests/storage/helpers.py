"""Building assessments in a given state, for storage tests."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import update

from tests.conftest import shipped
from wddf.domain import Status
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments
from wddf.storage.tables import Assessment

EDITION = "wddf-1.0"


def seeded_countries() -> list[tuple[str, str, str]]:
    """The countries migration ``0002`` seeds (iso3, language, region), read from it."""
    import importlib.util

    from wddf.storage.migrate import MIGRATIONS

    path = MIGRATIONS / "versions" / "0002_countries.py"
    spec = importlib.util.spec_from_file_location("countries_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.COUNTRIES


def new_assessment(db, actor, country="SLE", year=2024, status=Status.DRAFT) -> int:
    """An assessment created by ``actor`` and then put in ``status`` directly."""
    with db.session() as session:
        assessment_id = assessments.create(session, actor, country, year, EDITION).id
        session.execute(
            update(Assessment).where(Assessment.id == assessment_id).values(status=status.value)
        )
    return assessment_id


def set_status(db, assessment_id: int, status: Status) -> None:
    """Put an assessment in ``status`` directly, as if its workflow had got there."""
    with db.session() as session:
        session.execute(
            update(Assessment).where(Assessment.id == assessment_id).values(status=status.value)
        )


def answer_all(db, actor, assessment_id, grade="B") -> None:
    """Grade every dimension, each with a justification (NA where allowed gets a reason too)."""
    with db.session() as session:
        for _, _, dim in shipped().dimensions():
            given = AnswerInput(dim.id, grade, justification=f"Evidence seen for {dim.id}")
            assessments.save_answer(session, actor, assessment_id, given, 0)


def at_once(*steps: Callable[[], None]) -> None:
    """Run ``steps`` in threads that start together (each waits on one barrier), and wait for
    them all."""
    barrier = threading.Barrier(len(steps))

    def run(step: Callable[[], None]) -> None:
        barrier.wait()
        step()

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
