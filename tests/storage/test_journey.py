"""The journey's rules, on both databases: publish and reopen, carried-over answers that must be
confirmed, the per-field change list, comments resolved and reopened, evidence removed, flags
that do not depend on who looks, and the ``workflow`` command."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.conftest import shipped
from tests.storage.helpers import EDITION, answer_all, at_once, new_assessment, set_status
from wddf.domain import Action, Status
from wddf.errors import (
    ErrorCode,
    Invalid,
    NotAllowed,
    NotFound,
    ServiceError,
    TransitionRefused,
)
from wddf.services import audit
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments, carry_over, evidence
from wddf.services.documents import country_report, reports
from wddf.services.process import action_plan
from wddf.services.review import workflow
from wddf.services.scores import insights
from wddf.storage.tables import Assessment


def step(db, actor, aid, action, comment=""):
    with db.session() as session:
        return Status(workflow.transition(session, actor, aid, action, comment).status)


def status_of(db, aid) -> str:
    with db.session() as session:
        return session.get(Assessment, aid).status


def submitted(db, people) -> int:
    aid = new_assessment(db, people["focal"])
    answer_all(db, people["focal"], aid)
    step(db, people["focal"], aid, Action.SUBMIT)
    return aid


def carried(db, people) -> int:
    """Last year validated with every answer; this year started from it."""
    last = submitted(db, people)
    with db.session() as session:
        session.get(Assessment, last).year = 2023
    set_status(db, last, Status.VALIDATED)
    with db.session() as session:
        return carry_over.create_from_last_year(session, people["focal"], "SLE", 2024, EDITION).id


def test_publish_only_once_validated_and_by_the_country_or_an_admin(db, people):
    aid = submitted(db, people)
    with pytest.raises(TransitionRefused) as refused:
        step(db, people["focal"], aid, Action.PUBLISH)
    assert "submitted" in refused.value.message("en") or "soumise" in refused.value.message("fr")
    assert refused.value.message("fr").startswith("Cette étape (Publier)")
    step(db, people["reviewer"], aid, Action.VALIDATE)
    for outsider in ("reviewer", "panelist", "donor", "other_focal"):
        with pytest.raises((NotAllowed, NotFound)):
            step(db, people[outsider], aid, Action.PUBLISH)
    assert status_of(db, aid) == "validated"
    assert step(db, people["focal"], aid, Action.PUBLISH) is Status.PUBLISHED


def test_reopen_needs_an_admin_and_a_reason(db, people):
    aid = submitted(db, people)
    step(db, people["reviewer"], aid, Action.VALIDATE)
    step(db, people["focal"], aid, Action.PUBLISH)
    with pytest.raises(NotAllowed):
        step(db, people["focal"], aid, Action.REOPEN, "a typo")
    with pytest.raises(Invalid) as refused:
        step(db, people["admin"], aid, Action.REOPEN, "   ")
    assert refused.value.code == "comment_required"
    assert status_of(db, aid) == "published"
    assert step(db, people["admin"], aid, Action.REOPEN, "WD2 figures corrected") is Status.DRAFT
    with db.session() as session:
        steps = workflow.timeline(session, people["focal"], aid)
    assert [(s.action, s.status, s.user) for s in steps][-3:] == [
        ("validate", "validated", "reviewer"),
        ("publish", "published", "focal-sle"),
        ("reopen", "draft", "admin"),
    ]
    assert steps[-1].comment == "WD2 figures corrected"


def test_carried_over_answers_count_only_once_confirmed(db, people):
    aid = carried(db, people)
    total = len(shipped().dimensions())
    with db.session() as session:
        item = session.get(Assessment, aid)
        assert assessments.progress(session, people["focal"], [item])[aid] == (0, total)
        problems = {m.problem for m in workflow.missing_items(session, item)}
    assert problems == {"unconfirmed"}
    with pytest.raises(TransitionRefused) as refused:
        step(db, people["focal"], aid, Action.SUBMIT)
    assert refused.value.code == "unconfirmed" and refused.value.params["count"] == total
    assert "WD1.1.1" in refused.value.params["dimensions"]
    assert "confirmées" in refused.value.message("fr")
    assert status_of(db, aid) == "draft"


def test_a_goal_is_confirmed_at_once_and_each_answer_is_audited(db, people):
    aid = carried(db, people)
    goal = shipped().goals[0]
    dims = [d.id for i in goal.indicators for d in i.dimensions]
    with db.session() as session:
        done = carry_over.confirm(session, people["focal"], aid, dims)
    assert sorted(done) == sorted(dims) and {s.row_version for s in done.values()} == {2}
    with db.session() as session:
        again = carry_over.confirm(session, people["focal"], aid, dims)
        states = carry_over.states(session, people["focal"], aid)
        trail = audit.entries(session, "answer", f"{aid}:{dims[0]}:consensus")
        item = session.get(Assessment, aid)
        graded, _ = assessments.progress(session, people["focal"], [item])[aid]
    assert again == {}
    assert [e["action"] for e in trail] == ["confirm"] and trail[0]["new"]["grade"] == "B"
    assert {d for d, s in states.items() if s == "confirmed"} == set(dims)
    assert graded == len(dims)
    # a later save of a confirmed answer needs its new row version
    with db.session() as session:
        saved = assessments.save_answer(
            session, people["focal"], aid, AnswerInput(dims[0], "C", "new decree"), 2
        )
    assert saved.row_version == 3


def test_answers_confirmed_unchanged_and_in_bulk_are_counted_per_goal_everywhere(db, people):
    focal, aid = people["focal"], carried(db, people)
    first, second = shipped().goals[0], shipped().goals[1]
    dims = [d.id for i in first.indicators for d in i.dimensions]
    with db.session() as session:
        carry_over.confirm(session, focal, aid, dims, in_bulk=True)  # the goal's button
        one = second.indicators[0].dimensions[0].id
        carry_over.confirm(session, focal, aid, [one])  # one card
        assessments.save_answer(session, focal, aid, AnswerInput(dims[0], "A", "new law"), 2)
    with db.session() as session:
        counts = {c.goal_id: c for c in carry_over.confirmations(session, focal, aid)}
        states = carry_over.states(session, focal, aid)
        report = country_report.gather(session, focal, session.get(Assessment, aid), "fr")
        workbook = reports.donor_workbook(session, focal, "fr", "SLE", 2024)
    total = len(shipped().dimensions())
    assert (counts[first.id].confirmed, counts[first.id].in_bulk) == (len(dims) - 1,) * 2
    assert (counts[second.id].confirmed, counts[second.id].in_bulk) == (1, 0)
    assert sum(c.confirmed + c.to_confirm for c in counts.values()) == total - 1  # one changed
    assert dims[0] not in states and states[one] == "confirmed"
    table = report.carried.set_index("goal_id")
    assert table.loc[first.id, "in_bulk"] == len(dims) - 1
    said = f"{len(dims)} réponses ont été confirmées telles quelles depuis l'an dernier"
    assert any(said in line for line in report.readings["process"])
    sheet = load_workbook(io.BytesIO(workbook))["Reprises"]
    rows = {r[2]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[first.id][4:7] == (len(dims) - 1, len(dims) - 1, 0)


def test_confirming_is_refused_where_answers_may_not_change(db, people):
    aid = carried(db, people)
    for who in ("panelist", "reviewer", "other_focal"):
        with db.session() as session, pytest.raises((NotAllowed, NotFound)):
            carry_over.confirm(session, people[who], aid, ["WD1.1.1"])
    with db.session() as session:
        dims = [d.id for _, _, d in shipped().dimensions()]
        carry_over.confirm(session, people["focal"], aid, dims)
    step(db, people["focal"], aid, Action.SUBMIT)
    with db.session() as session, pytest.raises(NotAllowed) as refused:
        carry_over.confirm(session, people["focal"], aid, ["WD1.1.1"])
    assert refused.value.code == "locked_status"


def test_a_panelist_never_writes_the_consensus(db, people):
    aid = new_assessment(db, people["focal"])
    with db.session() as session, pytest.raises(NotAllowed):
        assessments.save_answer(
            session, people["panelist"], aid, AnswerInput("WD1.1.1", "A", "ours"), 0
        )
    with db.session() as session:
        assert assessments.answers(session, people["focal"], aid) == []
        own = AnswerInput("WD1.1.1", "A", "ours", group="civil_society")
        assessments.save_answer(session, people["panelist"], aid, own, 0)
        item = session.get(Assessment, aid)
        theirs = workflow.missing_items(session, item, "civil_society")
    assert "WD1.1.1" not in {m.dimension_id for m in theirs}


def test_changes_since_the_previous_submission_name_every_field(db, people):
    aid = submitted(db, people)
    step(db, people["reviewer"], aid, Action.RETURN, "cite the decree")
    with db.session() as session:
        given = {a.dimension_id: a for a in assessments.answers(session, people["focal"], aid)}
        version = given["WD1.1.1"].row_version
        changed = AnswerInput("WD1.1.1", "B", "Decree 2024/12, art. 3", "gazette p. 4", "high")
        assessments.save_answer(session, people["focal"], aid, changed, version)
        evidence.add_file(session, people["focal"], aid, "WD1.1.1", "decree.pdf", b"%PDF-1.4 x")
    step(db, people["focal"], aid, Action.SUBMIT)
    with db.session() as session:
        changes = workflow.changes_since_previous_submission(session, people["reviewer"], aid)
    found = {(c.dimension_id, c.field): (c.before, c.after) for c in changes}
    assert found == {
        ("WD1.1.1", "justification"): ("Evidence seen for WD1.1.1", "Decree 2024/12, art. 3"),
        ("WD1.1.1", "evidence"): ("", "gazette p. 4"),
        ("WD1.1.1", "confidence"): (None, "high"),
        ("WD1.1.1", "files"): (None, "decree.pdf"),
    }  # the grade stayed B: it is not listed


def test_comments_are_resolved_and_reopened(db, people):
    aid = submitted(db, people)
    with db.session() as session:
        note = workflow.add_comment(session, people["reviewer"], aid, "cite it", "WD1.1.1")
    for who in ("panelist", "donor"):
        with db.session() as session, pytest.raises((NotAllowed, NotFound)):
            workflow.set_resolved(session, people[who], note.id, True)
    with db.session() as session:
        workflow.set_resolved(session, people["reviewer"], note.id, True)
    with db.session() as session:
        [seen] = workflow.comments(session, people["focal"], aid)
        assert seen.resolved is True
        workflow.set_resolved(session, people["reviewer"], note.id, False)
    with db.session() as session:
        [seen] = workflow.comments(session, people["focal"], aid)
        trail = [e["action"] for e in audit.entries(session, "comment", str(note.id))]
    assert seen.resolved is False and trail == ["create", "resolve", "reopen"]
    with db.session() as session, pytest.raises(NotFound):
        workflow.set_resolved(session, people["reviewer"], 10**9, True)


def test_evidence_is_removed_only_while_answers_may_change(db, people):
    aid = new_assessment(db, people["focal"])
    with db.session() as session:
        kept = evidence.add_file(session, people["focal"], aid, "WD1.1.1", "a.txt", b"minutes")
    for who in ("reviewer", "other_focal", "panelist"):
        with db.session() as session, pytest.raises((NotAllowed, NotFound)):
            evidence.remove_file(session, people[who], kept.id)
    with db.session() as session:
        assert evidence.remove_file(session, people["focal"], kept.id) == "a.txt"
    with db.session() as session:
        assert evidence.files(session, people["focal"], aid) == []
        trail = audit.entries(session, "evidence_file", str(kept.id))
        [entry] = [e for e in trail if e["action"] == "delete"]
    assert entry["old"]["name"] == "a.txt" and entry["old"]["sha256"]
    with db.session() as session, pytest.raises(NotFound):
        evidence.remove_file(session, people["focal"], kept.id)


def test_flags_do_not_depend_on_who_looks(db, people):
    draft_before = new_assessment(db, people["focal"], year=2023)
    with db.session() as session:
        given = AnswerInput("WD1.1.1", "D", "nothing")
        assessments.save_answer(session, people["focal"], draft_before, given, 0)
    aid = submitted(db, people)
    with db.session() as session:
        seen = {
            who: insights.flags(session, people[who], aid).to_dict("records")
            for who in ("focal", "reviewer", "admin")
        }
    assert seen["focal"] == seen["reviewer"] == seen["admin"]


def test_the_workflow_command_takes_a_step_as_a_named_user(
    db, people, database_url, monkeypatch, capsys
):
    from wddf.cli import main
    from wddf.config import get_settings

    aid = submitted(db, people)
    monkeypatch.setenv("WDDF_DATABASE_URL", database_url)  # the command's own settings
    get_settings.cache_clear()

    def workflow_command(action: str, user: str, *more: str) -> tuple[int, str, str]:
        code = main(["workflow", action, "--assessment", str(aid), "--user", user, *more])
        out = capsys.readouterr()
        return code, out.out, out.err

    try:
        code, out, _ = workflow_command("validate", "reviewer")
        assert code == 0 and "now validated" in out
        code, _, err = workflow_command("reopen", "admin", "--lang", "fr")
        assert code == 2 and "commentaire est obligatoire" in err
        assert workflow_command("publish", "donor")[0] == 2
        assert status_of(db, aid) == "validated"
        assert workflow_command("publish", "focal-sle")[0] == 0
        assert workflow_command("publish", "nobody")[0] == 2  # no such user
    finally:
        get_settings.cache_clear()  # the next test reads its own settings
    assert status_of(db, aid) == "published"


def test_a_goal_confirmed_while_someone_changes_one_of_its_answers_loses_nothing(db, people):
    """Confirming a goal and changing one of its answers, started at the same moment, 10 times:
    the change either lands (and is no longer carried over, so the confirmation leaves it alone)
    or is refused as a conflict with the confirmation; the stored answer is never the old one
    marked confirmed over a change that was acknowledged."""
    focal, reviewer = people["focal"], people["reviewer"]
    last = submitted(db, people)
    with db.session() as session:
        session.get(Assessment, last).year = 2000
    step(db, reviewer, last, Action.VALIDATE)
    dims = [d.id for i in shipped().goals[0].indicators for d in i.dimensions]
    outcomes = set()
    for attempt in range(10):
        with db.session() as session:
            aid = carry_over.create_from_last_year(
                session, focal, "SLE", 2050 + attempt, EDITION
            ).id
        results = {}

        def confirm(aid=aid, results=results):
            with db.session() as session:
                results["confirmed"] = dims[0] in carry_over.confirm(session, focal, aid, dims)

        def change(aid=aid, results=results):
            try:
                with db.session() as session:
                    given = AnswerInput(dims[0], "A", "New decree")
                    assessments.save_answer(session, people["admin"], aid, given, 1)
                results["change"] = "done"
            except ServiceError as exc:
                results["change"] = exc.code

        at_once(confirm, change)
        with db.session() as session:
            stored = {a.dimension_id: a for a in assessments.answers(session, focal, aid)}
        if results["change"] == "done":
            assert (stored[dims[0]].grade, stored[dims[0]].carried_over) == ("A", False)
            assert results["confirmed"] is False
        else:
            assert results["change"] == ErrorCode.CONFLICT and results["confirmed"] is True
            assert stored[dims[0]].grade == "B"
        outcomes.add(results["change"])
    assert outcomes <= {"done", ErrorCode.CONFLICT}


@pytest.mark.parametrize(
    ("ids", "code"),
    [
        (["WD1.1.1\x00"], "text_control"),
        (["W" * 5000], "text_too_long"),
    ],
)
def test_tampered_dimension_ids_are_refused_with_a_located_message(db, people, ids, code):
    aid = carried(db, people)
    with db.session() as session, pytest.raises(Invalid) as refused:
        carry_over.confirm(session, people["focal"], aid, ids)
    assert refused.value.code == code and refused.value.message("pt")
    with db.session() as session:
        assert carry_over.confirm(session, people["focal"], aid, ["WD99.9.9"]) == {}
        many = [f"WD{n}" for n in range(100_000)]  # more than a statement may carry
        assert carry_over.confirm(session, people["focal"], aid, many) == {}


def test_a_reason_with_control_characters_is_refused_and_nothing_moves(db, people):
    aid = submitted(db, people)
    with pytest.raises(Invalid) as refused:
        step(db, people["reviewer"], aid, Action.RETURN, "see\x1b[2J WD1")
    assert refused.value.code == "text_control" and refused.value.message("fr")
    assert status_of(db, aid) == "submitted"
    with pytest.raises(NotFound):
        step(db, people["reviewer"], 10**9, Action.VALIDATE)


def test_a_new_edition_started_from_last_year_carries_answers_to_the_dimensions_continuing_them(
    db, people
):
    """2023 on wddf-1.0, 2024 started on wddf-1.1 from it: 1.0's WD7.3.1 (security forces)
    goes to 1.1's WD7.4.1; 1.1's WD7.3.1 (forced labour, new) gets nothing, and neither does
    WD6.3.3, which no longer continues 1.0's WD7.3.3 (continuity revision 1); last year's grades
    and the flags follow the same map."""
    last = new_assessment(db, people["focal"], year=2023)
    grades = {"WD7.3.3": "C", "WD7.3.1": "A", "WD1.1.1": "B", "WD9.2.2": "D"}
    with db.session() as session:
        for dimension_id, grade in grades.items():
            given = AnswerInput(dimension_id, grade, justification="Seen", evidence="Report")
            assessments.save_answer(session, people["focal"], last, given, 0)
    set_status(db, last, Status.VALIDATED)
    with db.session() as session:
        made = carry_over.create_from_last_year(session, people["focal"], "SLE", 2024, "wddf-1.1")
        carried_answers = {
            a.dimension_id: (a.grade, a.carried_over)
            for a in assessments.answers(session, people["focal"], made.id)
        }
        earlier, last_year = carry_over.previous(session, people["focal"], made)
    assert carried_answers == {
        "WD7.4.1": ("A", True),
        "WD1.1.1": ("B", True),
        "WD9.3.1": ("D", True),  # 1.0's WD9.2.2 was split in two
        "WD9.3.2": ("D", True),
    }
    assert earlier.id == last and "WD6.3.3" not in last_year
    assert "WD7.3.1" not in last_year and last_year["WD7.4.1"].dimension_id == "WD7.3.1"
    with db.session() as session:  # last year's plan is checked against the continuing dimension
        action_plan.add_item(session, people["admin"], last, "WD7.3.1", "Train", "DG", None, "B")
        given = AnswerInput("WD7.4.1", "B", justification="Rules adopted")
        assessments.save_answer(session, people["focal"], made.id, given, 1)
        checked = insights.plan_carried_over(session, people["focal"], made.id)
    assert checked[["dimension_id", "grade_now", "outcome"]].values.tolist() == [
        ["WD7.3.1", "B", "met"]
    ]
