"""Hostile text and files at the door of every service, on both databases: control characters,
lone surrogates, huge sizes, tampered ids, files whose content lies about their type. Each is
refused with a located, translated message, and nothing is stored."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, func, select

from tests.storage.helpers import new_assessment
from wddf.domain import Role, Status
from wddf.errors import ErrorCode, Invalid, ServiceError
from wddf.services import accounts
from wddf.services.actor import SYSTEM
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments, evidence, offline
from wddf.services.documents import reports
from wddf.services.process import action_plan
from wddf.services.review import workflow
from wddf.storage.tables import ActionItem, Answer, EvidenceFile, ReviewComment, User
from wddf.textpolicy import LIMITS

CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\ud800"]
CONTROLS += ["\uffff"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n%test\n"


def rows(db, table) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(table))


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_a_refused_character_in_an_answer_is_located_and_nothing_is_saved(db, people, char):
    aid = new_assessment(db, people["focal"])
    given = AnswerInput("WD1.1.1", "B", justification=f"Decree 12{char} of 2019")
    with pytest.raises(Invalid) as refused, db.session() as session:
        assessments.save_answer(session, people["focal"], aid, given, 0)
    assert refused.value.code is ErrorCode.TEXT_CONTROL
    assert refused.value.params == {"field": "justification", "position": 10}
    assert refused.value.message("fr").startswith("Justification : le caractère 10 ")
    assert rows(db, Answer) == 0


def test_tabs_newlines_and_other_line_ends_are_kept_and_text_is_stored_in_nfc(db, people):
    aid = new_assessment(db, people["focal"])
    given = AnswerInput("WD1.1.1", "B", "Loi\tn° 12\r\nArticle 3\rCafe\u0301", "Journal officiel")
    with db.session() as session:
        assessments.save_answer(session, people["focal"], aid, given, 0)
        [stored] = assessments.answers(session, people["focal"], aid)
    assert stored.justification == "Loi\tn° 12\nArticle 3\nCafé"


def test_exports_still_open_after_hostile_text_was_refused(db, people):
    """What the policy lets in, every export can hold: the donor workbook and the offline
    questionnaire open again in openpyxl."""
    aid = new_assessment(db, people["focal"])
    with db.session() as session:
        for char in CONTROLS:
            given = AnswerInput("WD1.1.1", "B", f"refused {char}")
            with pytest.raises(Invalid):
                assessments.save_answer(session, people["focal"], aid, given, 0)
        given = AnswerInput("WD1.1.1", "B", '=HYPERLINK("http://x")\tkept\nas text')
        assessments.save_answer(session, people["focal"], aid, given, 0)
        workbook = reports.donor_workbook(session, SYSTEM, "fr")
        template = offline.template(session, people["focal"], "SLE", 2024, "fr")
    for content in (workbook, template):
        assert load_workbook(io.BytesIO(content)).sheetnames


# (service call, field) for every text a service takes, each one character over its limit
def _over(field: str) -> str:
    return "x" * (LIMITS[field] + 1)


OVERSIZED = {
    "justification": lambda s, p, aid: assessments.save_answer(
        s, p["focal"], aid, AnswerInput("WD1.1.1", "B", _over("justification")), 0
    ),
    "evidence": lambda s, p, aid: assessments.save_answer(
        s, p["focal"], aid, AnswerInput("WD1.1.1", "B", "ok", _over("evidence")), 0
    ),
    "dimension_id": lambda s, p, aid: assessments.save_answer(
        s, p["focal"], aid, AnswerInput(_over("dimension_id"), "B", "ok"), 0
    ),
    "comment": lambda s, p, aid: workflow.add_comment(s, p["reviewer"], aid, "x" * 1_000_000),
    "action": lambda s, p, aid: action_plan.add_item(
        s, p["focal"], aid, "WD1.1.1", "x" * 1_000_000
    ),
    "owner": lambda s, p, aid: action_plan.add_item(
        s, p["focal"], aid, "WD1.1.1", "Publish the register", _over("owner")
    ),
    "username": lambda s, p, aid: accounts.create_user(
        s, p["admin"], _over("username"), Role.DONOR, "Donor-strong-pass-1"
    ),
    "file_name": lambda s, p, aid: evidence.add_file(
        s, p["focal"], aid, "WD1.1.1", _over("file_name") + ".pdf", PDF
    ),
}


@pytest.mark.parametrize("field", sorted(OVERSIZED))
def test_every_text_over_its_limit_is_refused_with_its_field(db, people, field):
    aid = new_assessment(db, people["focal"])
    if field == "comment":
        aid = new_assessment(db, people["focal"], year=2023, status=Status.SUBMITTED)
    before = {t: rows(db, t) for t in (Answer, ReviewComment, ActionItem, User, EvidenceFile)}
    with pytest.raises(Invalid) as refused, db.session() as session:
        OVERSIZED[field](session, people, aid)
    assert refused.value.code is ErrorCode.TEXT_TOO_LONG
    assert refused.value.params["field"] == field
    assert {t: rows(db, t) for t in before} == before


def test_evidence_is_typed_by_its_content_not_its_name(db, people):
    aid = new_assessment(db, people["focal"])
    focal = people["focal"]
    with db.session() as session:
        png = evidence.add_file(session, focal, aid, "WD1.1.1", "C:\\Users\\ama\\site.png", PNG)
        text = evidence.add_file(session, focal, aid, None, "notes.txt", "Procès-verbal".encode())
    assert (png.name, png.content_type) == ("site.png", "image/png")
    assert text.content_type == "text/plain"
    lies = [("decree.pdf", PNG), ("notes.txt", PDF), ("table.csv", b"a,b\x00c"), ("x.pdf", b"")]
    for name, content in lies:
        with pytest.raises(Invalid) as refused, db.session() as session:
            evidence.add_file(session, focal, aid, "WD1.1.1", name, content)
        assert refused.value.code is ErrorCode.FILE_CONTENT, name
    for name, code in [("run.exe", ErrorCode.FILE_TYPE), ("..\\..", ErrorCode.FILE_TYPE)]:
        with pytest.raises(Invalid) as refused, db.session() as session:
            evidence.add_file(session, focal, aid, "WD1.1.1", name, PDF)
        assert refused.value.code is code, name
    with pytest.raises(Invalid) as refused, db.session() as session:
        evidence.add_file(session, focal, aid, "WD9.9.9", "decree.pdf", PDF)
    assert refused.value.code is ErrorCode.UNKNOWN_DIMENSION
    assert rows(db, EvidenceFile) == 2


def test_evidence_has_a_limit_per_dimension_and_files_are_listed_without_their_bytes(
    db, people, monkeypatch
):
    aid = new_assessment(db, people["focal"])
    monkeypatch.setattr(evidence, "MAX_FILES_PER_DIMENSION", 3)
    with db.session() as session:
        for n in range(3):
            evidence.add_file(session, people["focal"], aid, "WD1.1.1", f"p{n}.pdf", PDF)
    with pytest.raises(Invalid) as refused, db.session() as session:
        evidence.add_file(session, people["focal"], aid, "WD1.1.1", "p4.pdf", PDF)
    assert refused.value.code is ErrorCode.TOO_MANY_FILES
    with db.session() as session:
        listed = evidence.files(session, people["focal"], aid)
        assert all("content" not in f for f in listed)  # listed without their bytes
        name, kind, content = evidence.content(session, people["focal"], listed[0].id)
    assert (name, kind, content) == ("p0.pdf", "application/pdf", PDF)
    with pytest.raises(ServiceError), db.session() as session:
        evidence.content(session, people["other_focal"], listed[0].id)  # another country


def test_an_answer_removed_while_it_is_saved_is_a_clear_refusal(db, people, monkeypatch):
    """The row read at the start of a save is gone when the save writes: a translated refusal
    (``stale_missing``), not a crash."""
    aid = new_assessment(db, people["focal"])
    with db.session() as session:
        seen = assessments.save_answer(
            session, people["focal"], aid, AnswerInput("WD1.1.1", "B", "first"), 0
        ).row_version
    real_now = assessments.audit.now
    with db.session() as session:

        def now_after_a_removal():
            session.execute(delete(Answer).where(Answer.assessment_id == aid))
            return real_now()

        monkeypatch.setattr(assessments.audit, "now", now_after_a_removal)
        with pytest.raises(Invalid) as refused:
            given = AnswerInput("WD1.1.1", "C", "second")
            assessments.save_answer(session, people["focal"], aid, given, seen)
    assert refused.value.code is ErrorCode.STALE_MISSING
    assert "Reload the page" in refused.value.message("en")


def test_bidirectional_controls_never_disguise_a_name_and_stay_closed_in_free_text(db, people):
    """A right-to-left override makes ``invoice\u202efdp.exe.txt`` read as ``invoice.txt``
    ending in ``exe.pdf``: refused in file names and names; in free text a closed one (a quote
    in Arabic within French) is kept, one left open or closing nothing is refused."""
    focal = people["focal"]
    aid = new_assessment(db, focal)
    with pytest.raises(Invalid) as refused, db.session() as session:
        evidence.add_file(session, focal, aid, "WD1.1.1", "invoice\u202efdp.exe.txt", b"text")
    assert refused.value.code is ErrorCode.TEXT_BIDI
    assert refused.value.params == {"field": "file_name", "position": 8}
    assert "sens d'écriture" in refused.value.message("fr")
    quoted = "Le décret cite \u2067\u0645\u0631\u0633\u0648\u0645\u2069 (art. 4)."
    for text, code in [
        (quoted, None),
        ("Décret \u202e12 du 3 mai", ErrorCode.TEXT_BIDI),
        ("Décret \u2069 12", ErrorCode.TEXT_BIDI),
        ("Décret \u2067 12\n\u2069", ErrorCode.TEXT_BIDI),
    ]:
        given = AnswerInput("WD1.1.1", "B", justification=text)
        with db.session() as session:
            if code is None:
                assessments.save_answer(session, focal, aid, given, 0)
                continue
            with pytest.raises(Invalid) as refused:
                assessments.save_answer(session, focal, aid, given, 1)
            assert refused.value.code is code, text
    assert rows(db, EvidenceFile) == 0
    with db.session() as session:
        kept = assessments.answers(session, focal, aid)[0].justification
    assert kept == quoted
