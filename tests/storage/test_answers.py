"""Autosave: upserts with optimistic concurrency; bad input writes nothing; history is kept."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.storage.helpers import EDITION, new_assessment, set_status
from wddf.domain import Status
from wddf.errors import Conflict, Invalid
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments, carry_over, evidence
from wddf.storage.tables import Answer, AuditEntry, EvidenceFile


def save(db, actor, assessment_id, given, seen):
    with db.session() as session:
        return assessments.save_answer(session, actor, assessment_id, given, seen)


def count(db, table) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_save_then_update_bumps_the_row_version(db, people):
    aid = new_assessment(db, people["focal"])
    first = save(db, people["focal"], aid, AnswerInput("WD1.1.1", "C", "Code art. 12"), 0)
    second = save(
        db, people["focal"], aid, AnswerInput("WD1.1.1", "B", "Code art. 12-14"), first.row_version
    )
    assert (first.row_version, second.row_version) == (1, 2)
    with db.session() as session:
        [row] = assessments.answers(session, people["focal"], aid)
    assert (row.grade, row.justification, row.updated_by) == (
        "B",
        "Code art. 12-14",
        people["focal"].id,
    )


def test_stale_version_is_a_conflict_that_carries_their_value(db, people):
    aid = new_assessment(db, people["focal"])
    save(db, people["focal"], aid, AnswerInput("WD2.1.1", "A", "Land law art. 3"), 0)
    with pytest.raises(Conflict) as conflict:
        save(db, people["admin"], aid, AnswerInput("WD2.1.1", "D", "mine"), 0)
    assert conflict.value.theirs["grade"] == "A" and conflict.value.by == "focal-sle"
    assert conflict.value.row_version == 1 and conflict.value.params["at"]
    with db.session() as session:
        [row] = assessments.answers(session, people["focal"], aid)
    assert row.grade == "A"  # nothing overwritten


@pytest.mark.parametrize(
    ("given", "code"),
    [
        (AnswerInput("WD9.9.9", "A"), "unknown_dimension"),
        (AnswerInput("WD1.1.1", "E"), "unknown_grade"),
        (AnswerInput("WD1.1.1", "NA", "no"), "na_not_allowed"),
        (AnswerInput("WD1.1.1", "A", confidence="certain"), "unknown_confidence"),
        (AnswerInput("WD1.1.1", "A", group="ministers"), "unknown_group"),
        (AnswerInput("WD1.1.1", "A", justification="x" * 20_001), "text_too_long"),
    ],
)
def test_bad_answer_is_refused_and_writes_nothing(db, people, given, code):
    aid = new_assessment(db, people["focal"])
    audit_before = count(db, AuditEntry)
    with pytest.raises(Invalid) as refused:
        save(db, people["focal"], aid, given, 0)
    assert refused.value.code == code
    assert count(db, Answer) == 0 and count(db, AuditEntry) == audit_before


@pytest.mark.parametrize(("year", "code"), [(1899, "bad_year"), (2300, "bad_year")])
def test_bad_year_and_duplicate_assessment_are_refused(db, people, year, code):
    with db.session() as session, pytest.raises(Invalid) as refused:
        assessments.create(session, people["focal"], "SLE", year, EDITION)
    assert refused.value.code == code
    new_assessment(db, people["focal"], year=2024)
    with db.session() as session, pytest.raises(Invalid) as duplicate:
        assessments.create(session, people["focal"], "SLE", 2024, EDITION)
    assert duplicate.value.code == "duplicate_assessment"
    with db.session() as session, pytest.raises(Invalid):
        assessments.create(session, people["focal"], "SLE", 2025, "no-such-edition")


def test_allowed_na_and_panel_groups_sit_beside_consensus(db, people):
    aid = new_assessment(db, people["focal"])
    save(
        db,
        people["focal"],
        aid,
        AnswerInput("WD2.3.2", "NA", "No large-scale operator in the country"),
        0,
    )
    save(
        db,
        people["panelist"],
        aid,
        AnswerInput("WD2.3.2", "C", "We saw a dispute", group="civil_society"),
        0,
    )
    with db.session() as session:
        rows = assessments.answers(session, people["focal"], aid, group=None)
    assert {(r.group, r.grade) for r in rows} == {("consensus", "NA"), ("civil_society", "C")}


def test_history_lists_who_when_old_and_new(db, people):
    aid = new_assessment(db, people["focal"])
    v1 = save(db, people["focal"], aid, AnswerInput("WD3.1.1", "D", "none"), 0)
    save(db, people["admin"], aid, AnswerInput("WD3.1.1", "C", "decree 2023"), v1.row_version)
    with db.session() as session:
        history = assessments.history(session, people["focal"], aid, "WD3.1.1")
    assert [(h["user"], h["old"] and h["old"]["grade"], h["new"]["grade"]) for h in history] == [
        ("focal-sle", None, "D"),
        ("admin", "D", "C"),
    ]


def test_start_from_last_year_carries_answers_to_confirm(db, people):
    last = new_assessment(db, people["focal"], year=2023)
    save(db, people["focal"], last, AnswerInput("WD1.1.1", "B", "Code art. 12"), 0)
    set_status(db, last, Status.VALIDATED)  # what was submitted carries over, never a draft
    with db.session() as session:
        new = carry_over.create_from_last_year(session, people["focal"], "SLE", 2024, EDITION)
        [row] = assessments.answers(session, people["focal"], new.id)
    assert (row.grade, row.justification, row.carried_over) == ("B", "Code art. 12", True)
    confirmed = save(
        db, people["focal"], new.id, AnswerInput("WD1.1.1", "B", "Code art. 12"), row.row_version
    )
    with db.session() as session:
        [row] = assessments.answers(session, people["focal"], new.id)
    assert confirmed.row_version == 2 and row.carried_over is False


def test_evidence_files_are_limited_in_size_and_type(db, people, monkeypatch):
    aid = new_assessment(db, people["focal"])
    with db.session() as session:
        stored = evidence.add_file(
            session, people["focal"], aid, "WD1.1.1", "decree.pdf", b"%PDF-1.4 test"
        )
    assert stored.size == 13 and len(stored.sha256) == 64
    with db.session() as session, pytest.raises(Invalid) as wrong_type:
        evidence.add_file(session, people["focal"], aid, "WD1.1.1", "run.exe", b"MZ")
    assert wrong_type.value.code == "file_type"
    monkeypatch.setattr(
        "wddf.services.answers.evidence.get_settings",
        lambda: type("S", (), {"evidence_max_bytes": 10}),
    )
    with db.session() as session, pytest.raises(Invalid) as too_big:
        evidence.add_file(session, people["focal"], aid, "WD1.1.1", "big.pdf", b"x" * 11)
    assert too_big.value.code == "file_too_large"
    assert count(db, EvidenceFile) == 1


def test_a_save_is_one_statement_on_postgresql_and_audits_old_and_new(db, people):
    """The hot path: BEGIN, the restore guard (``db.RESTORE_LOCK`` shared), one statement,
    COMMIT on PostgreSQL; the audit keeps old → new and the assessment's time moves, as on the
    checked path."""
    from sqlalchemy import event

    aid = new_assessment(db, people["focal"])
    first = save(db, people["focal"], aid, AnswerInput("WD1.1.2", "C", "Decree 7", "", "low"), 0)
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        second = save(db, people["focal"], aid, AnswerInput("WD1.1.2", "B", "Decree 8"), 1)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    if db.engine.dialect.name == "postgresql":
        guard, *saves = statements
        assert "pg_try_advisory_xact_lock_shared" in guard and len(saves) == 1, statements
    with db.session() as session:
        history = assessments.history(session, people["focal"], aid, "WD1.1.2")
        assessment = assessments.get(session, people["focal"], aid)
    assert [(h["old"], h["new"]["grade"]) for h in history] == [
        (None, "C"),
        ({"grade": "C", "justification": "Decree 7", "evidence": "", "confidence": "low"}, "B"),
    ]
    assert second.row_version == first.row_version + 1
    assert assessment.updated_at.replace(tzinfo=None) == second.saved_at.replace(tzinfo=None)


def test_a_refused_save_by_the_hot_path_writes_nothing(db, people):
    """Another country's focal point, a locked assessment, a stale version: the guards fail and
    the checked path says why; no answer, audit row or time changes."""
    from wddf.errors import NotAllowed, NotFound

    aid = new_assessment(db, people["focal"])
    save(db, people["focal"], aid, AnswerInput("WD1.1.3", "A", "Act 1"), 0)
    before = (count(db, Answer), count(db, AuditEntry))
    with pytest.raises(NotFound):
        save(db, people["other_focal"], aid, AnswerInput("WD1.1.3", "D", "theirs"), 1)
    with pytest.raises(Conflict):
        save(db, people["focal"], aid, AnswerInput("WD1.1.3", "D", "stale"), 0)
    set_status(db, aid, Status.SUBMITTED)
    with pytest.raises(NotAllowed):
        save(db, people["focal"], aid, AnswerInput("WD1.1.3", "D", "late"), 1)
    assert (count(db, Answer), count(db, AuditEntry)) == before


def test_pages_get_read_only_records_that_load_nothing(db, people):
    """What a page is given is a copy: it cannot be changed, and it holds no session."""
    aid = new_assessment(db, people["focal"])
    save(db, people["focal"], aid, AnswerInput("WD1.1.1", "B", "Code art. 12"), 0)
    with db.session() as session:
        [answer] = assessments.answers(session, people["focal"], aid)
        shown = assessments.view(session, people["focal"], aid)
    assert (answer.grade, answer.justification, shown.status) == ("B", "Code art. 12", "draft")
    with pytest.raises(AttributeError):
        answer.grade = "A"
    with pytest.raises(AttributeError):
        shown.no_such_column  # noqa: B018
    with db.session() as session:
        [again] = assessments.answers(session, people["focal"], aid)
    assert again.grade == "B"
