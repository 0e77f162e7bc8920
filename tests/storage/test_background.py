"""Background reports: versioned and audited like answers, with their conflict rule; written by
the goal's investigators and the focal point, read by everyone who may read the assessment."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.storage.helpers import at_once, new_assessment
from wddf.domain import Status
from wddf.errors import Conflict, ErrorCode, Invalid, NotAllowed, NotFound
from wddf.services.answers import evidence
from wddf.services.process import assignments, background
from wddf.storage.tables import BackgroundReport

PDF = b"%PDF-1.4\n%test\n"
TEXT = "The 2009 Mines and Minerals Act licenses artisanal miners.\n\nBut few hold licences."


def test_versions_follow_each_save_and_a_stale_save_is_refused(db, people):
    aid = new_assessment(db, people["focal"])
    with db.session() as session:
        assert background.save(session, people["focal"], aid, "WD1", TEXT, "Act s.12", 0) == 1
    with db.session() as session:
        assert background.save(session, people["admin"], aid, "WD1", TEXT + " Rev.", "", 1) == 2
    with db.session() as session, pytest.raises(Conflict) as refused:
        background.save(session, people["focal"], aid, "WD1", "Mine, from version 1", "", 1)
    assert refused.value.theirs["body"] == TEXT + " Rev." and refused.value.row_version == 2
    assert "admin" in refused.value.message("en")
    with db.session() as session:
        found = background.get(session, people["panelist"], aid, "WD1")  # graders read it
        history = background.versions(session, people["panelist"], aid, "WD1")
    assert (found.body, found.row_version) == (TEXT + " Rev.", 2)
    assert [(v.by, v.body) for v in history] == [("focal-sle", TEXT), ("admin", TEXT + " Rev.")]


def test_the_goals_investigator_writes_it_and_others_may_not(db, people):
    aid = new_assessment(db, people["focal"])
    panelist = people["panelist"]
    with db.session() as session, pytest.raises(NotAllowed):
        background.save(session, panelist, aid, "WD2", TEXT, "", 0)
    with db.session() as session:
        due = date(2024, 9, 30)
        assignments.assign(session, people["focal"], aid, "WD2", [panelist.id], "investigator", due)
    with db.session() as session:
        assert background.save(session, panelist, aid, "WD2", TEXT, "", 0) == 1
        with pytest.raises(NotAllowed):  # another goal is not theirs
            background.save(session, panelist, aid, "WD3", TEXT, "", 0)
    for who, error in (("other_focal", NotFound), ("reviewer", NotFound), ("donor", NotFound)):
        with db.session() as session, pytest.raises(error):
            background.save(session, people[who], aid, "WD2", TEXT, "", 1)
    locked = new_assessment(db, people["focal"], year=2023, status=Status.SUBMITTED)
    with db.session() as session, pytest.raises(NotAllowed) as refused:
        background.save(session, people["focal"], locked, "WD2", TEXT, "", 0)
    assert refused.value.code is ErrorCode.LOCKED_STATUS


@pytest.mark.parametrize(
    ("goal", "body", "code"),
    [
        ("WD99", TEXT, ErrorCode.UNKNOWN_NODE),
        ("WD1.1", TEXT, ErrorCode.UNKNOWN_NODE),  # an indicator is not a goal
        ("WD1", "bad \x07 bell", ErrorCode.TEXT_CONTROL),
        ("WD1", "x" * 100_001, ErrorCode.TEXT_TOO_LONG),
    ],
)
def test_bad_reports_are_refused_in_words_and_store_nothing(db, people, goal, body, code):
    aid = new_assessment(db, people["focal"])
    with db.session() as session, pytest.raises(Invalid) as refused:
        background.save(session, people["focal"], aid, goal, body, "", 0)
    assert refused.value.code is code and "{" not in refused.value.message("fr")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(BackgroundReport)) == 0


def test_two_writers_of_one_version_at_once_one_wins_the_other_sees_it(db, people):
    aid = new_assessment(db, people["focal"])
    with db.session() as session:
        background.save(session, people["focal"], aid, "WD4", TEXT, "", 0)
    outcomes = []

    def write(actor, body):
        def step():
            try:
                with db.session() as session:
                    outcomes.append(background.save(session, actor, aid, "WD4", body, "", 1))
            except Conflict as exc:
                outcomes.append(exc.theirs["body"])

        return step

    at_once(write(people["focal"], "Focal's text"), write(people["admin"], "Admin's text"))
    saved = [o for o in outcomes if o == 2]
    seen = [o for o in outcomes if isinstance(o, str)]
    assert len(saved) == 1 and len(seen) == 1 and seen[0] in ("Focal's text", "Admin's text")
    with db.session() as session:
        found = background.get(session, people["admin"], aid, "WD4")
        assert (found.row_version, found.body) == (2, seen[0])
        assert len(background.versions(session, people["admin"], aid, "WD4")) == 2


def test_documents_are_attached_to_the_report_by_its_writers_only(db, people):
    aid = new_assessment(db, people["focal"])
    with db.session() as session:
        made = evidence.add_file(session, people["focal"], aid, "WD1", "survey.pdf", PDF)
        assert made.dimension_id == "WD1"
        with pytest.raises(NotAllowed):  # a panel member who does not investigate WD1
            evidence.add_file(session, people["panelist"], aid, "WD1", "mine.pdf", PDF)
        with pytest.raises(Invalid):  # an indicator is no place for a file
            evidence.add_file(session, people["focal"], aid, "WD1.1", "x.pdf", PDF)
        due = date(2024, 9, 30)
        panelist = people["panelist"]
        assignments.assign(session, people["focal"], aid, "WD1", [panelist.id], "investigator", due)
    with db.session() as session:
        evidence.add_file(session, panelist, aid, "WD1", "field-notes.pdf", PDF)
        names = [
            f.name for f in evidence.files(session, people["admin"], aid) if f.dimension_id == "WD1"
        ]
    assert names == ["survey.pdf", "field-notes.pdf"]
