"""Editions live in the database: installed once, served by checksum, never silently replaced,
and refused at start when a stored text was changed behind the tool's back."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text, update

from tests.conftest import EDITION_1_1, run_wddf, shipped
from tests.storage.conftest import SHIPPED_IDS, new_database_url
from tests.storage.helpers import new_assessment
from wddf.domain import TRANSITIONS, Action, Role, Status
from wddf.errors import ErrorCode, Invalid, NotAllowed, NotFound, ServiceError
from wddf.services import accounts, editions
from wddf.services.actor import SYSTEM
from wddf.services.answers import assessments, carry_over
from wddf.services.review import workflow
from wddf.services.scores import insights
from wddf.storage.db import Database
from wddf.storage.tables import Assessment, AuditEntry, EditionRecord

EDITION_1_1_TEXT = EDITION_1_1.read_text("utf-8")
NATIONAL = editions.SHIPPED.read_text("utf-8").replace("id: wddf-1.0", "id: wddf-national-1.0", 1)


def test_the_shipped_edition_is_installed_once_however_often_the_database_is_prepared(db):
    editions.prepare_database(db.url)
    editions.prepare_database(db.url)
    with db.session() as session:
        stored = session.scalars(select(EditionRecord)).all()
        assert sorted((e.id, e.installed_by) for e in stored) == [
            ("wddf-1.0", "system"),
            ("wddf-1.1", "system"),
            ("wddf-1.2", "system"),
        ]
        assert all(e.checksum == editions.checksum(e.yaml_text) for e in stored)
        assert len(editions.get_edition(session, "wddf-1.0").dimensions()) == len(
            shipped().dimensions()
        )


def test_an_admin_installs_an_edition_and_its_id_is_never_given_other_content(db, people):
    with db.session() as session:
        made = editions.install(session, people["admin"], "national.yaml", NATIONAL.encode())
    assert made.id == "wddf-national-1.0"
    with db.session() as session:  # the same text again changes nothing
        editions.install(session, people["admin"], "national.yaml", NATIONAL.encode())
        assert set(editions.all_editions(session)) == {
            "wddf-1.0",
            "wddf-1.1",
            "wddf-1.2",
            "wddf-national-1.0",
        }
        installs = session.scalar(
            select(func.count()).where(
                AuditEntry.entity == "edition", AuditEntry.action == "installed"
            )
        )
        assert installs == 1
    changed = NATIONAL.replace("WDDF working edition 1.0", "A changed title", 1)
    with pytest.raises(Invalid) as refused, db.session() as session:
        editions.install(session, people["admin"], "national.yaml", changed.encode())
    assert refused.value.code is ErrorCode.EDITION_EXISTS
    assert refused.value.params == {"edition": "wddf-national-1.0"}
    with db.session() as session:
        title = editions.get_edition(session, "wddf-national-1.0").title["en"]
    assert title == "WDDF working edition 1.0"


@pytest.mark.parametrize("who", ["focal", "reviewer", "donor", "panelist"])
def test_only_admins_install_editions(db, people, who):
    with pytest.raises(NotAllowed), db.session() as session:
        editions.install(session, people[who], "national.yaml", NATIONAL.encode())
    with db.session() as session:
        assert list(editions.all_editions(session)) == SHIPPED_IDS


def test_an_invalid_edition_is_refused_and_nothing_is_stored(db, people):
    broken = NATIONAL.replace("languages: [en, fr, pt]", "languages: [en, fr, pt, xx]", 1)
    with pytest.raises(Invalid) as refused, db.session() as session:
        editions.install(session, people["admin"], "broken.yaml", broken.encode())
    assert refused.value.code is ErrorCode.EDITION_INVALID
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(EditionRecord)) == len(SHIPPED_IDS)


def test_a_stored_edition_changed_behind_the_tools_back_is_refused_at_start(database_url, tmp_path):
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    url, drop = new_database_url(backend, tmp_path)
    try:
        editions.prepare_database(url)
        database = Database(url)
        with database.session() as session:
            session.execute(
                update(EditionRecord)
                .where(EditionRecord.id == "wddf-1.0")
                .values(yaml_text=EditionRecord.yaml_text + text("'\n# edited by hand'"))
            )
        database.dispose()
        with pytest.raises(Invalid) as refused:
            editions.prepare_database(url)
        assert refused.value.code is ErrorCode.EDITION_TAMPERED
        assert "wddf-1.0" in refused.value.message("fr")
        upgrade = run_wddf("db", "upgrade", url=url)
        assert upgrade.returncode == 2
        assert "The stored edition wddf-1.0 does not match its checksum" in upgrade.stderr
    finally:
        drop()


def _outcome(db, actor, assessment_id: int, action: Action) -> bool:
    """Whether ``transition`` accepts the step (tried in a savepoint that is rolled back); a
    comment is given and completeness is not what is asked."""
    with db.session() as session:
        savepoint = session.begin_nested()
        try:
            workflow.transition(session, actor, assessment_id, action, "A reason")
            accepted = True
        except (NotAllowed, NotFound):
            accepted = False
        except ServiceError as exc:
            accepted = exc.code is ErrorCode.INCOMPLETE  # allowed, but the checklist is open
        savepoint.rollback()
    return accepted


@pytest.mark.parametrize("status", list(Status))
def test_allowed_actions_are_exactly_what_the_workflow_accepts(db, people, status):
    assessment_id = new_assessment(db, people["focal"], status=status)
    for who in ("admin", "focal", "other_focal", "panelist", "reviewer", "donor"):
        actor = people[who]
        with db.session() as session:
            item = session.get(Assessment, assessment_id)
            offered = set(workflow.allowed_actions(actor, item))
        accepted = {a for a in TRANSITIONS if _outcome(db, actor, assessment_id, a)}
        assert offered == accepted, (who, status)


@pytest.mark.parametrize("who", ["donor", "panelist"])
def test_consistency_flags_are_refused_to_roles_that_do_not_see_them(db, people, who):
    assessment_id = new_assessment(db, people["focal"], status=Status.PUBLISHED)
    with pytest.raises(NotAllowed), db.session() as session:
        insights.flags(session, people[who], assessment_id)
    with db.session() as session:
        assert insights.flags(session, SYSTEM, assessment_id).empty


def test_a_reading_session_never_holds_the_sqlite_write_lock(tmp_path, monkeypatch):
    url, _ = new_database_url("sqlite", tmp_path)
    editions.prepare_database(url)
    monkeypatch.setattr("wddf.storage.db.SQLITE_BUSY_TIMEOUT_MS", 200)
    database = Database(url)  # a writer waits 0.2 s at most, then "database is locked"
    reader = database.reader()
    try:
        assert list(editions.all_editions(reader)) == SHIPPED_IDS  # its transaction is open
        with database.session() as session:
            admin = accounts.create_user(
                session, SYSTEM, "amadou", Role.ADMIN, "Second-admin-pass-9"
            )
        assert admin.id is not None
    finally:
        reader.close()
        database.dispose()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (("dimension: WD1.1.1", "dimension: WD1.9.9"), "Q019"),
        (("schema_version: '2'", "schema_version: '7'"), "Q018"),
    ],
    ids=["continues-a-missing-dimension", "unknown-schema-version"],
)
def test_an_edition_continuing_what_does_not_exist_is_refused_whole(db, people, change, code):
    text = EDITION_1_1_TEXT.replace("id: wddf-1.1", "id: wddf-national-1.1", 1)
    broken = text.replace(*change, 1)
    assert broken != text
    with pytest.raises(Invalid) as refused, db.session() as session:
        editions.install(session, people["admin"], "national.yaml", broken.encode())
    assert refused.value.code is ErrorCode.EDITION_INVALID
    with db.session() as session:
        known = editions.known_dimensions(session)
        result = editions.check_upload(people["admin"], "national.yaml", broken.encode(), known)
        assert list(editions.all_editions(session)) == SHIPPED_IDS
    assert [p.code.value for p in result.errors] == [code]
    assert "(ligne " in result.report("fr")


REVISION_2 = b"""kind: continuity_revision
edition: wddf-1.1
revision: 2
note: {en: "Partly comparable after all.", fr: "Comparable en partie.", pt: "Compara-se em parte."}
links:
  - dimension: WD6.3.3
    continues: {edition: wddf-1.0, dimension: WD7.3.3, comparability: partial}
"""


def test_continuity_runs_through_the_editions_between_with_the_weakest_link(db, people):
    """1.2 continues 1.1, which continues 1.0: a 1.2 dimension compares with a 1.0 one through
    its 1.1 link, as comparable as the weakest link (revisions applied), and a country that
    skipped 1.1 starts its 1.2 assessment from its 1.0 answers along the same chain."""
    with db.session() as session:
        links = editions.continuity_of(session, "wddf-1.2")
    back = links[links["previous_edition"].eq("wddf-1.0")].set_index("dimension_id")
    assert back.loc["WD1.1.1", ["previous_dimension_id", "comparability"]].tolist() == [
        "WD1.1.1",
        "full",
    ]
    # 1.2 WD7.4.1 (partial to 1.1) ← 1.1 WD7.4.1 ← 1.0 WD7.3.1, the old security-forces rules
    assert back.loc["WD7.4.1"].tolist() == ["wddf-1.0", "WD7.3.1", "partial"]
    assert "WD6.3.3" not in back.index  # revision 1: 1.1's women's work continues nothing
    assert "WD9.3.3" not in back.index and "WD9.3.3" not in set(links["dimension_id"])  # new
    with db.session() as session:
        earlier = assessments.create(session, people["focal"], "SLE", 2023, "wddf-1.0")
        later = assessments.create(session, people["focal"], "SLE", 2025, "wddf-1.2")
        sources = carry_over.sources(session, later, earlier)
    assert sources["WD7.4.1"] == "WD7.3.1" and sources["WD1.1.1"] == "WD1.1.1"
    assert "WD6.3.3" not in sources and "WD1.2.4" not in sources


def test_continuity_is_revised_by_numbered_revisions_without_touching_the_edition(db, people):
    """The shipped revision 1 says WD6.3.3 continues nothing; a revision 2 says partly. The
    edition's text and checksum never change; each revision is audited; the same file again
    changes nothing; another text under a number, a gap, an unknown dimension, a stranger or
    a broken file are refused, saying where."""
    admin = people["admin"]
    with db.session() as session:
        before = editions.get_edition(session, "wddf-1.1")
        assert before.dimension_index["WD6.3.3"].continues is None  # revision 1, as shipped
        assert before.dimension_index["WD7.4.1"].continues.comparability.value == "partial"
        stored = session.get(EditionRecord, "wddf-1.1")
        text_before = stored.yaml_text
        assert "WD6.3.3" in text_before and editions.checksum(text_before) == stored.checksum
    with db.session() as session:
        editions.install_revision(session, admin, REVISION_2)
    with db.session() as session:
        link = editions.get_edition(session, "wddf-1.1").dimension_index["WD6.3.3"].continues
        assert (link.dimension, link.comparability.value) == ("WD7.3.3", "partial")
        assert session.get(EditionRecord, "wddf-1.1").yaml_text == text_before
        entries = audit_of(session, "continuity_revised")
        assert len(entries) == 1 and '"WD6.3.3": "wddf-1.0/WD7.3.3 (partial)"' in entries[0]
        editions.install_revision(session, admin, REVISION_2)  # the same text: nothing new
        assert len(audit_of(session, "continuity_revised")) == 1
    refusals = {
        REVISION_2.replace(b"after all", b"in the end"): ErrorCode.REVISION_EXISTS,
        REVISION_2.replace(b"revision: 2", b"revision: 4"): ErrorCode.REVISION_NOT_NEXT,
        REVISION_2.replace(b"revision: 2", b"revision: 3").replace(
            b"dimension: WD6.3.3", b"dimension: WD9.9.9"
        ): ErrorCode.REVISION_UNKNOWN_DIMENSION,
        REVISION_2.replace(b"revision: 2", b"revision: 3").replace(
            b"dimension: WD7.3.3", b"dimension: WD7.9.9"
        ): ErrorCode.REVISION_UNKNOWN_DIMENSION,
        REVISION_2.replace(b"links:", b"linkz:"): ErrorCode.REVISION_INVALID,
        b"kind: continuity_revision\n\xff\xfe": ErrorCode.REVISION_INVALID,
        b"kind: continuity_revision\nl0: &l0 [x, x, x, x, x, x, x, x, x]\n"
        + b"".join(
            f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n".encode() for n in range(1, 10)
        ): ErrorCode.REVISION_INVALID,  # an alias bomb, refused before it is expanded
    }
    for content, code in refusals.items():
        with db.session() as session, pytest.raises(Invalid) as refused:
            editions.install_revision(session, admin, content)
        assert refused.value.code is code, content
        assert refused.value.message("fr")  # said in the reader's language
    with db.session() as session, pytest.raises(NotAllowed):
        editions.install_revision(session, people["focal"], REVISION_2)


def audit_of(session, action: str) -> list[str]:
    return session.scalars(
        select(AuditEntry.new_value).where(AuditEntry.action == action).order_by(AuditEntry.id)
    ).all()
