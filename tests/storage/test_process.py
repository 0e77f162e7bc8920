"""Thematic panels, their sessions linked to the audited grade changes of their day, members'
own notes, the validation workshop and its confirmation, the country's rule that requires it
before submission, and two writers assigning at once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from tests.storage.conftest import make_user
from tests.storage.helpers import answer_all, at_once, new_assessment, set_status
from wddf.domain import Action, Role, Status
from wddf.errors import ErrorCode, Invalid, NotAllowed, NotFound
from wddf.services import accounts, audit
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments, evidence
from wddf.services.process import action_plan, assignments, grade_changes, panels
from wddf.services.process import workshop as workshops
from wddf.services.process.panels import Guest, SessionRecord
from wddf.services.process.workshop import Participant
from wddf.services.review import workflow
from wddf.storage.tables import (
    Assignment,
    AuditEntry,
    Panel,
    PanelMember,
    PanelSession,
    SessionNote,
    Workshop,
)

TODAY = audit.now().date()  # process dates must fall in the window of the year assessed


def _grade(db, actor, aid, dimension_id, grade, version):
    with db.session() as session:
        given = AnswerInput(dimension_id, grade, "seen")
        return assessments.save_answer(session, actor, aid, given, version).row_version


def _panel(db, people, aid) -> tuple[int, int, int]:
    """A panel on WD1 and WD2 with the SLE panelist and an outside member; its ids."""
    with db.session() as session:
        panel = panels.create(session, people["focal"], aid, "Legal framework", ["WD1", "WD2"])
        member = panels.add_member(
            session, people["focal"], panel.id, "", "civil_society", "NGO", people["panelist"].id
        )
        other = panels.add_member(session, people["focal"], panel.id, "A. Kamara", "industry")
        return panel.id, member.id, other.id


def test_a_session_links_the_grade_changes_of_its_day_and_the_profile_says_so(db, people):
    aid = new_assessment(db, people["focal"], year=TODAY.year)
    version = _grade(db, people["focal"], aid, "WD1.1.1", "C", 0)
    _grade(db, people["focal"], aid, "WD1.1.1", "B", version)
    _grade(db, people["focal"], aid, "WD2.1.1", "D", 0)  # changed, but not discussed
    _grade(db, people["focal"], aid, "WD1.1.2", "A", 0)
    panel_id, member_id, _ = _panel(db, people, aid)
    record = SessionRecord(
        held_on=TODAY,
        place="Freetown",
        members=[member_id],
        guests=[Guest("Observer", "KP office")],
        dimensions=["WD1.1.1", "WD1.1.2"],
        decisions="WD1.1.1 moves to B",
        minutes="Long discussion.",
    )
    with db.session() as session:
        panels.record_session(session, people["focal"], panel_id, record)
    with db.session() as session:
        agreed = grade_changes.agreed_at(session, aid)
        [panel] = panels.of_assessment(session, people["admin"], aid)
        [held] = panel.sessions
        assert [a.member_id for a in held.attendees if a.member_id] == [member_id]
        assert [a.guest for a in held.attendees if not a.member_id] == ["Observer"]
    assert set(agreed) == {"WD1.1.1", "WD1.1.2"}
    assert (agreed["WD1.1.1"].kind, agreed["WD1.1.1"].day, agreed["WD1.1.1"].name) == (
        "session",
        TODAY,
        "Legal framework",
    )


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"held_on": date(2000, 1, 1)}, ErrorCode.OUTSIDE_WINDOW),
        ({"members": [999999]}, ErrorCode.UNKNOWN_PERSON),
        ({"guests": [Guest("  ")]}, ErrorCode.NAME_REQUIRED),
        ({"dimensions": ["WD3.1.1"]}, ErrorCode.NOT_IN_PANEL),
        ({"dimensions": ["WD99.9.9"]}, ErrorCode.UNKNOWN_DIMENSION),
        ({"minutes": "a\x00b"}, ErrorCode.TEXT_CONTROL),
        ({"place": "x" * 201}, ErrorCode.TEXT_TOO_LONG),
    ],
)
def test_bad_sessions_are_refused_in_words_and_store_nothing(db, people, change, code):
    aid = new_assessment(db, people["focal"], year=TODAY.year)
    panel_id, member_id, _ = _panel(db, people, aid)
    record = SessionRecord(**({"held_on": TODAY, "members": [member_id]} | change))
    with db.session() as session, pytest.raises(Invalid) as refused:
        panels.record_session(session, people["focal"], panel_id, record)
    assert refused.value.code is code and "{" not in refused.value.message("pt")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(PanelSession)) == 0


def test_panels_are_the_countrys_to_write_and_members_write_their_own_notes(db, people):
    aid = new_assessment(db, people["focal"], year=TODAY.year, status=Status.RETURNED)
    panel_id, _, _ = _panel(db, people, aid)
    with db.session() as session:
        for goals, code in ((["WD1.1"], ErrorCode.UNKNOWN_NODE), ([], ErrorCode.UNKNOWN_NODE)):
            with pytest.raises(Invalid) as refused:
                panels.create(session, people["focal"], aid, "Other", goals)
            assert refused.value.code is code
        with pytest.raises(Invalid) as refused:
            panels.create(session, people["focal"], aid, "Legal framework", ["WD3"])
        assert refused.value.code is ErrorCode.DUPLICATE_PANEL
    for who, error in (
        ("panelist", NotAllowed),
        ("reviewer", NotAllowed),
        ("other_focal", NotFound),
    ):
        with db.session() as session, pytest.raises(error):
            panels.create(session, people[who], aid, "Mine", ["WD3"])
        with db.session() as session, pytest.raises(error):
            panels.record_session(session, people[who], panel_id, SessionRecord(TODAY))
    with db.session() as session:
        held = panels.record_session(session, people["admin"], panel_id, SessionRecord(TODAY))
        panels.write_note(session, people["panelist"], held.id, "I disagreed on WD1.2.1.")
        with pytest.raises(Invalid) as refused:  # the focal point is not a member
            panels.write_note(session, people["focal"], held.id, "Not mine to write")
        assert refused.value.code is ErrorCode.NOT_A_MEMBER
    with db.session() as session:
        panels.write_note(session, people["panelist"], held.id, "I disagreed on WD1.2.1 and WD1.3.")
        notes = session.scalars(select(SessionNote)).all()
    assert [(n.author_id, n.body) for n in notes] == [
        (people["panelist"].id, "I disagreed on WD1.2.1 and WD1.3.")
    ]


@pytest.mark.parametrize(
    ("country", "at", "linked"),
    [
        ("GUY", datetime(2026, 6, 16, 1, 30, tzinfo=UTC), True),  # 21:30 on the 15th in Georgetown
        ("GUY", datetime(2026, 6, 15, 3, 0, tzinfo=UTC), False),  # 23:00 on the 14th there
        ("COD", datetime(2026, 6, 15, 23, 30, tzinfo=UTC), False),  # 00:30 on the 16th, Kinshasa
        ("COD", datetime(2026, 6, 14, 23, 30, tzinfo=UTC), True),  # 00:30 on the 15th there
        ("SLE", datetime(2026, 6, 15, 23, 59, tzinfo=UTC), True),  # Freetown keeps UTC
    ],
)
def test_a_sessions_day_is_read_by_its_countrys_clock(db, people, country, at, linked):
    """A panel in Georgetown grading late in the evening of its session's day: the change is
    that day's by the country's clock, whatever day it is in UTC."""
    admin = people["admin"]
    aid = new_assessment(db, admin, country=country, year=2026)
    _grade(db, admin, aid, "WD1.1.1", "B", 0)
    with db.session() as session:
        session.execute(update(AuditEntry).where(AuditEntry.entity == "answer").values(at=at))
        panel = panels.create(session, admin, aid, "Legal", ["WD1"])
        record = SessionRecord(date(2026, 6, 15), dimensions=["WD1.1.1"])
        panels.record_session(session, admin, panel.id, record)
        agreed = grade_changes.agreed_at(session, aid)
    assert ("WD1.1.1" in agreed) is linked


def _counts(db) -> dict[str, int]:
    with db.session() as session:
        return {
            table.__tablename__: session.scalar(select(func.count()).select_from(table))
            for table in (Panel, PanelMember, PanelSession, SessionNote, Workshop, Assignment)
        }


def test_process_records_stay_as_submitted_until_a_reviewer_returns_the_assessment(db, people):
    """Once submitted, the record of how the grades were reached is the one reviewers read:
    every change is refused in words and nothing is written; returned, it is open again."""
    focal, panelist = people["focal"], people["panelist"]
    aid = new_assessment(db, focal, year=TODAY.year)
    panel_id, member_id, _ = _panel(db, people, aid)
    with db.session() as session:
        held = panels.record_session(session, focal, panel_id, SessionRecord(TODAY))
        recorded = workshops.record(session, focal, aid, TODAY, [], "Bo").recorded_at
        [given] = assignments.assign(session, focal, aid, "WD1", [panelist.id], "panelist", TODAY)
        held_id, given_id = held.id, given.id
    set_status(db, aid, Status.SUBMITTED)
    before = _counts(db)
    attempts = {
        "create a panel": lambda s: panels.create(s, focal, aid, "Social", ["WD7"]),
        "add a member": lambda s: panels.add_member(s, focal, panel_id, "B. Sesay", "industry"),
        "record a session": lambda s: panels.record_session(
            s, focal, panel_id, SessionRecord(TODAY, members=[member_id])
        ),
        "write a note": lambda s: panels.write_note(s, panelist, held_id, "Late thought"),
        "record the workshop": lambda s: workshops.record(
            s, focal, aid, TODAY, [], "Kenema", seen=recorded
        ),
        "confirm the workshop": lambda s: workshops.confirm(s, focal, aid, {}, recorded),
        "assign": lambda s: assignments.assign(
            s, people["admin"], aid, "WD2", [panelist.id], "investigator", TODAY
        ),
        "take back": lambda s: assignments.unassign(s, focal, given_id),
    }
    for what, attempt in attempts.items():
        with db.session() as session, pytest.raises(NotAllowed) as refused:
            attempt(session)
        assert refused.value.code is ErrorCode.LOCKED_STATUS, what
        assert "soumise" in refused.value.message("fr"), what
    assert _counts(db) == before
    with db.session() as session:  # what was recorded is still read
        assert workshops.of_assessment(session, people["reviewer"], aid).place == "Bo"
    set_status(db, aid, Status.RETURNED)
    with db.session() as session:
        panels.write_note(session, panelist, held_id, "Returned: my note")
        panels.create(session, focal, aid, "Social", ["WD7"])
    assert _counts(db)["panels"] == before["panels"] + 1


def test_a_note_racing_the_submission_never_lands_after_it(db, people):
    """The note's check (is the assessment open?) and its write hold the assessment's row
    lock: either the note is saved before the submission, or it is refused."""
    focal, panelist = people["focal"], people["panelist"]
    aid = new_assessment(db, focal, year=TODAY.year)
    answer_all(db, focal, aid)
    panel_id, _, _ = _panel(db, people, aid)
    with db.session() as session:
        held_id = panels.record_session(session, focal, panel_id, SessionRecord(TODAY)).id
    outcomes: list[str] = []

    def submit() -> None:
        with db.session() as session:
            workflow.transition(session, focal, aid, Action.SUBMIT)

    def note() -> None:
        try:
            with db.session() as session:
                panels.write_note(session, panelist, held_id, "Written during the submission")
            outcomes.append("saved")
        except NotAllowed as exc:
            outcomes.append(exc.code.value)

    at_once(submit, note)
    with db.session() as session:
        [submitted] = [s for s in workflow.timeline(session, focal, aid) if s.action == "submit"]
        notes = session.scalars(select(SessionNote)).all()
    if outcomes == ["saved"]:
        [saved] = notes
        assert audit.aware(saved.updated_at) <= audit.aware(submitted.at)
    else:
        assert outcomes == ["locked_status"] and notes == []


def test_the_workshop_is_confirmed_with_a_reason_for_each_change(db, people):
    aid = new_assessment(db, people["focal"], year=TODAY.year)
    with db.session() as session:
        seen = workshops.record(
            session,
            people["focal"],
            aid,
            TODAY,
            [Participant("M. Conteh", "Ministry of Mines", "government")],
            "Bo",
        ).recorded_at
    _grade(db, people["focal"], aid, "WD1.1.1", "B", 0)
    with db.session() as session:
        [change] = workshops.changes(session, people["focal"], aid)
        assert (change.dimension_id, change.before, change.after) == ("WD1.1.1", None, "B")
        with pytest.raises(Invalid) as refused:
            workshops.confirm(session, people["focal"], aid, {}, seen)
        assert refused.value.code is ErrorCode.COMMENT_REQUIRED
        with pytest.raises(NotAllowed):
            workshops.confirm(session, people["panelist"], aid, {change.audit_id: "x"}, seen)
    with db.session() as session:
        done = workshops.confirm(
            session, people["focal"], aid, {change.audit_id: "New licence law"}, seen
        )
        assert done.confirmed_at is not None
        agreed = grade_changes.agreed_at(session, aid)
    assert agreed["WD1.1.1"].kind == "workshop"
    for bad, code in (
        ({"held_on": TODAY - timedelta(days=3650)}, ErrorCode.OUTSIDE_WINDOW),
        ({"participants": [Participant("X", "", "consensus")]}, ErrorCode.UNKNOWN_GROUP),
        ({"participants": [Participant("", "", "industry")]}, ErrorCode.NAME_REQUIRED),
    ):
        given = {"held_on": TODAY, "participants": []} | bad
        with db.session() as session, pytest.raises(Invalid) as refused:
            workshops.record(
                session, people["focal"], aid, given["held_on"], given["participants"], seen=seen
            )
        assert refused.value.code is code
    with db.session() as session:  # a refused record left the confirmed one as it was
        kept = workshops.of_assessment(session, people["admin"], aid)
        assert kept.confirmed_at is not None and [p.name for p in kept.participants] == [
            "M. Conteh"
        ]


def test_two_people_recording_the_workshop_never_overwrite_each_other(db, people):
    """Both read the same record; both save at once: one save lands, the other is refused in
    words and the record is the first one's. A stale confirmation is refused too."""
    aid = new_assessment(db, people["focal"], year=TODAY.year)
    second = make_user(db, "focal-sle-3", Role.FOCAL_POINT, "SLE")
    with db.session() as session:  # someone created it while this writer saw none
        seen = workshops.record(session, people["admin"], aid, TODAY, [], "Bo").recorded_at
    with db.session() as session, pytest.raises(Invalid) as refused:
        workshops.record(session, people["focal"], aid, TODAY, [], "Kenema")
    assert refused.value.code is ErrorCode.WORKSHOP_CHANGED
    assert "a de nouveau enregistré l'atelier" in refused.value.message("fr")

    outcomes: list[str] = []

    def save(actor, place):
        def step():
            try:
                with db.session() as session:
                    workshops.record(session, actor, aid, TODAY, [], place, seen=seen)
                outcomes.append(place)
            except Invalid as exc:
                outcomes.append(exc.code.value)

        return step

    at_once(save(people["focal"], "Freetown"), save(second, "Makeni"))
    assert sorted(outcomes)[-1] == "workshop_changed" and len(outcomes) == 2
    [landed] = [o for o in outcomes if o != "workshop_changed"]
    with db.session() as session:
        assert workshops.of_assessment(session, people["admin"], aid).place == landed
        with pytest.raises(Invalid) as refused:
            workshops.confirm(session, people["focal"], aid, {}, seen)
        assert refused.value.code is ErrorCode.WORKSHOP_CHANGED
        assert workshops.of_assessment(session, people["admin"], aid).confirmed_at is None


def test_a_country_that_requires_the_workshop_cannot_submit_without_it(db, people):
    aid = new_assessment(db, people["focal"], year=TODAY.year)
    answer_all(db, people["focal"], aid)
    with db.session() as session:
        for who in ("panelist", "other_focal", "reviewer"):
            with pytest.raises(NotAllowed):
                workshops.set_required(session, people[who], "SLE", True)
        workshops.set_required(session, people["focal"], "SLE", True)
    with db.session() as session, pytest.raises(Invalid) as refused:
        workflow.transition(session, people["focal"], aid, Action.SUBMIT)
    assert refused.value.code is ErrorCode.WORKSHOP_REQUIRED
    assert "atelier national de validation" in refused.value.message("fr")
    with db.session() as session:
        made = workshops.record(session, people["focal"], aid, TODAY, [], "Freetown", "Endorsed")
        changed = workshops.changes(session, people["focal"], aid)  # every grade given today
        reasons = {c.audit_id: "Endorsed by the workshop" for c in changed}
        workshops.confirm(session, people["focal"], aid, reasons, made.recorded_at)
    with db.session() as session:
        assert workflow.transition(session, people["focal"], aid, Action.SUBMIT).status == (
            Status.SUBMITTED.value
        )
        workshops.set_required(session, people["admin"], "SLE", False)


def test_two_writers_assigning_at_once_leave_one_assignment(db, people):
    aid = new_assessment(db, people["focal"], year=TODAY.year)
    second = make_user(db, "focal-sle-2", Role.FOCAL_POINT, "SLE")
    due = date(TODAY.year, 12, 31)

    failures = []

    def give(actor, task):
        def step():
            try:
                with db.session() as session:
                    ids = [people["panelist"].id]
                    assignments.assign(session, actor, aid, "WD4", ids, task, due)
            except Exception as exc:  # a thread's failure is the test's
                failures.append(exc)

        return step

    at_once(give(people["focal"], "panelist"), give(second, "investigator"))
    assert failures == []  # the assessment's row lock puts the writers one after the other
    with db.session() as session:
        rows = session.scalars(select(Assignment)).all()
    assert len(rows) == 1 and rows[0].task in ("panelist", "investigator")


@pytest.mark.parametrize("tampered", ["1", "1 OR 1=1", None, -1, True, 2**31, 10**12])
def test_tampered_ids_find_nothing(db, people, tampered):
    """Ids that are not ids of this database, not integers at all, or beyond what PostgreSQL's
    integer columns hold, are not found: never a database error."""
    with db.session() as session:
        for call in (
            lambda: panels.add_member(session, people["admin"], tampered, "X", "industry"),
            lambda: panels.record_session(session, people["admin"], tampered, SessionRecord(TODAY)),
            lambda: panels.write_note(session, people["panelist"], tampered, "x"),
            lambda: assignments.unassign(session, people["admin"], tampered),
            lambda: assessments.get(session, people["admin"], tampered),
            lambda: assessments.get(session, people["admin"], tampered, lock=True),
            lambda: evidence.content(session, people["admin"], tampered),
            lambda: evidence.remove_file(session, people["admin"], tampered),
            lambda: action_plan.set_status(
                session, people["admin"], tampered, "done", seen=("open", "")
            ),
            lambda: workflow.set_resolved(session, people["admin"], tampered, True),
            lambda: accounts.set_active(session, people["admin"], tampered, False),
        ):
            with pytest.raises(NotFound):
                call()
