"""Two writers on one answer, and a writer killed with SIGKILL: nothing acknowledged is lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading

import pytest

from tests.conftest import ROOT, shipped
from tests.storage.helpers import answer_all, at_once, new_assessment
from wddf.domain import Action, Status
from wddf.errors import Conflict, ErrorCode, ServiceError
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments
from wddf.services.review import workflow
from wddf.storage.db import Database
from wddf.storage.tables import Assessment


def race(db_url, actors, assessment_id, seen, grades):
    """Both writers save at the same moment with the same seen version; return outcomes."""
    barrier, outcomes = threading.Barrier(len(actors)), {}

    def write(actor, grade):
        db = Database(db_url)
        barrier.wait()
        try:
            with db.session() as session:
                saved = assessments.save_answer(
                    session, actor, assessment_id, AnswerInput("WD1.2.1", grade, grade), seen
                )
            outcomes[grade] = ("saved", saved.row_version)
        except Conflict as conflict:
            outcomes[grade] = ("conflict", conflict.theirs["grade"])
        finally:
            db.dispose()

    threads = [
        threading.Thread(target=write, args=pair) for pair in zip(actors, grades, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.parametrize("first_save", [True, False], ids=["update", "insert"])
def test_two_writers_one_wins_the_other_sees_the_conflict(db, people, database_url, first_save):
    aid = new_assessment(db, people["focal"])
    seen = 0
    if first_save:
        with db.session() as session:
            seen = assessments.save_answer(
                session, people["focal"], aid, AnswerInput("WD1.2.1", "D", "D"), 0
            ).row_version
    outcomes = race(database_url, [people["focal"], people["admin"]], aid, seen, ["A", "C"])
    kinds = sorted(kind for kind, _ in outcomes.values())
    assert kinds == ["conflict", "saved"], outcomes
    [winner] = [g for g, (kind, _) in outcomes.items() if kind == "saved"]
    [loser_saw] = [value for kind, value in outcomes.values() if kind == "conflict"]
    assert loser_saw == winner  # the loser is shown the winner's value
    with db.session() as session:
        [row] = assessments.answers(session, people["admin"], aid)
    assert row.grade == winner and row.row_version == seen + 1


def test_five_writers_at_once_leave_one_answer_and_one_audit_entry(db, people, database_url):
    """The autosave's guarded statements under a crowd: one first save wins, the others see it
    as a conflict, and the audit has one entry."""
    aid = new_assessment(db, people["focal"])
    actors = [people["focal"], people["admin"], people["focal"], people["admin"], people["focal"]]
    outcomes = race(database_url, actors, aid, 0, ["A", "B", "C", "D", "D*"])
    kinds = sorted(kind for kind, _ in outcomes.values())
    assert kinds == ["conflict"] * 4 + ["saved"], outcomes
    [winner] = [g for g, (kind, _) in outcomes.items() if kind == "saved"]
    assert {value for kind, value in outcomes.values() if kind == "conflict"} == {winner}
    with db.session() as session:
        history = assessments.history(session, people["admin"], aid, "WD1.2.1")
    assert [entry["new"]["grade"] for entry in history] == [winner]


CHILD = """
import sys
from wddf.domain import Role
from wddf.domain import Action, Status
from wddf.services.answers import assessments
from wddf.services.review import workflow
from wddf.services.actor import Actor
from wddf.services.answer_rules import AnswerInput
from wddf.storage.db import Database
from wddf.storage.tables import Assessment
url, actor_id, assessment_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
actor = Actor(actor_id, "focal-sle", Role.FOCAL_POINT, "SLE")
db = Database(url)
for dim in sys.argv[4:]:
    with db.session() as session:
        assessments.save_answer(session, actor, assessment_id, AnswerInput(dim, "B", "seen"), 0)
    print("ACK", dim, flush=True)
"""


def test_acknowledged_saves_survive_sigkill(db, people, database_url):
    aid = new_assessment(db, people["focal"])
    dims = [d.id for _, _, d in shipped().dimensions()]
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, database_url, str(people["focal"].id), str(aid), *dims],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    acked = []
    for line in child.stdout:
        acked.append(line.split()[1])
        if len(acked) == 20:
            break
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    fresh = Database(database_url)  # as after a restart: new engine, new connections
    with fresh.session() as session:
        stored = {a.dimension_id for a in assessments.answers(session, people["focal"], aid)}
    fresh.dispose()
    assert set(acked) <= stored, json.dumps(sorted(set(acked) - stored))


def test_a_submission_racing_a_save_never_leaves_a_submitted_assessment_incomplete(db, people):
    """A submission and a save that blanks a justification, started at the same moment, 30
    times: either the save lands first and the submission is refused as incomplete, or the
    submission lands first and the save is refused as locked. Never submitted and incomplete."""
    focal, dim = people["focal"], shipped().dimensions()[0][2].id
    outcomes = set()
    for attempt in range(30):
        aid = new_assessment(db, focal, year=2001 + attempt)
        answer_all(db, focal, aid)
        with db.session() as session:
            seen = {a.dimension_id: a for a in assessments.answers(session, focal, aid)}[dim]
        results = {}

        def submit(aid=aid, results=results):
            try:
                with db.session() as session:
                    workflow.transition(session, focal, aid, Action.SUBMIT)
                results["submit"] = "done"
            except ServiceError as exc:
                results["submit"] = exc.code

        def blank(aid=aid, results=results, seen=seen):
            try:
                with db.session() as session:
                    given = AnswerInput(dim, seen.grade, "")
                    assessments.save_answer(session, focal, aid, given, seen.row_version)
                results["save"] = "done"
            except ServiceError as exc:
                results["save"] = exc.code

        at_once(submit, blank)
        with db.session() as session:
            status = session.get(Assessment, aid).status
            missing = workflow.missing_items(session, session.get(Assessment, aid))
        assert not (status == Status.SUBMITTED and missing), results
        outcomes.add((results["submit"], results["save"]))
    assert outcomes <= {("done", ErrorCode.LOCKED_STATUS), (ErrorCode.INCOMPLETE, "done")}
