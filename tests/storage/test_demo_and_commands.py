"""demo load writes flagged, varied, progressing data; db and users commands keep their contract."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import func, select

from tests.conftest import run_wddf as wddf
from tests.conftest import score_by_edition
from tests.storage.conftest import make_user
from tests.storage.helpers import new_assessment
from tests.storage.test_backup import snapshot
from wddf.domain import Role
from wddf.errors import ErrorCode, Invalid, NotAllowed
from wddf.i18n import t
from wddf.services.actor import SYSTEM
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments, carry_over, demo
from wddf.services.answers.demo import DEMO_NOTE
from wddf.storage.db import Database
from wddf.storage.tables import ActionItem, Answer, Assessment, AuditEntry, User


def test_demo_load_writes_flagged_assessments_with_progress(db):
    with db.session() as session:
        report = demo.load(session, SYSTEM, countries=8, years=4, seed=3)
    assert (report.assessments, report.skipped) == (32, 0)
    with db.session() as session:
        rows = session.execute(
            select(Assessment.country, Assessment.year, Assessment.is_demo, Assessment.status)
        ).all()
        answers = session.execute(
            select(
                Assessment.country,
                Assessment.year,
                Assessment.edition_id,
                Answer.dimension_id,
                Answer.grade,
                Answer.justification,
            )
            .join(Assessment, Answer.assessment_id == Assessment.id)
            .where(Answer.group == "consensus")
        ).all()
        demo_user = session.scalar(select(User).where(User.username == demo.DEMO_USER))
        plans = dict(
            session.execute(
                select(Assessment.country, ActionItem.action).join(
                    ActionItem, ActionItem.assessment_id == Assessment.id
                )
            ).all()
        )
    assert all(is_demo for *_, is_demo, _ in rows) and not demo_user.active
    languages = {"SLE", "COD", "AGO"} <= {country for country, *_ in rows}
    assert languages, "demo data mixes English, French and Portuguese-speaking countries"
    frame = pd.DataFrame(
        answers,
        columns=["country", "year", "edition_id", "dimension_id", "grade", "justification"],
    )
    assert frame["justification"].eq(DEMO_NOTE).all()  # sample text in every language
    # the rest in each country's working language, marked as demo, as its officials would write
    assert plans["SLE"].startswith("DEMO: ") and plans["COD"].startswith("DÉMO : ")
    assert plans["AGO"].startswith("DEMO: ") and plans["AGO"] != plans["SLE"]
    assert plans["AGO"] in {t(f"demo.reform.{n}", "pt") for n in range(1, 5)}
    scored = score_by_edition(frame)
    overall = scored.pivot(index="country", columns="year", values="score")
    editions = scored.pivot(index="country", columns="year", values="edition_id")
    # Every other country, Sierra Leone first, walks through the editions: 1.1 the year before
    # its last, the newest (1.2) in its last year.
    assert editions.loc["SLE"].tolist() == ["wddf-1.0", "wddf-1.0", "wddf-1.1", "wddf-1.2"]
    assert (editions[2025] == "wddf-1.2").all() and (editions[2022] == "wddf-1.0").sum() == 4
    assert (editions[2024] == "wddf-1.1").sum() == 4
    assert overall.std().mean() > 3, "countries differ"
    assert (overall[2025] > overall[2022]).mean() >= 0.75, "most countries progress"
    with db.session() as session:
        again = demo.load(session, SYSTEM, countries=8, years=4, seed=3)
        total = session.scalar(select(func.count()).select_from(Assessment))
    assert (again.assessments, again.skipped, total) == (0, 32, 32)


def test_db_upgrade_users_add_demo_load_and_unload_commands(tmp_path):
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    assert wddf("db", "upgrade", url=url).returncode == 0
    made = wddf(
        "users",
        "add",
        "amina",
        "--role",
        "admin",
        "--password-stdin",
        url=url,
        stdin="Long-enough-pass-1\n",
    )
    assert made.returncode == 0, made.stderr
    weak = wddf(
        "users",
        "add",
        "kofi",
        "--role",
        "focal_point",
        "--country",
        "GHA",
        "--password-stdin",
        url=url,
        stdin="123\n",
    )
    assert weak.returncode == 2 and "needs at least 10 characters" in weak.stderr
    loaded = wddf("demo", "load", "--countries", "2", "--years", "2", url=url)
    assert loaded.returncode == 0 and "4 assessments" in loaded.stdout
    unloaded = wddf("demo", "unload", url=url)
    assert unloaded.returncode == 0 and "4 assessments" in unloaded.stdout, unloaded.stderr
    db = Database(url)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Assessment)) == 0
        assert session.scalar(select(User).where(User.username == "amina")) is not None
    db.dispose()


def test_demo_unload_removes_every_demo_row_and_nothing_else(db, people):
    real = new_assessment(db, people["focal"], year=2031)
    with db.session() as session:
        given = AnswerInput("WD1.1.1", "B", "Loi minière, art. 12")
        assessments.save_answer(session, people["focal"], real, given, 0)
    before = snapshot(db)
    with db.session() as session:
        demo.load(session, SYSTEM, countries=3, years=2, seed=2)
    with db.session() as session:
        assert demo.count(session, people["admin"]) > 0
        with pytest.raises(NotAllowed):
            demo.unload(session, people["focal"])
    with db.session() as session:
        removed = demo.unload(session, people["admin"])
    assert removed == 6
    after = snapshot(db)
    with db.session() as session:
        assert demo.count(session, people["admin"]) == 0
        assert session.scalar(select(User).where(User.username == demo.DEMO_USER)) is None
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "unload"))
    assert (entry.user_id, json.loads(entry.new_value)) == (people["admin"].id, {"assessments": 6})
    # every real row is as it was before the demo came; the audit log gained the unload alone
    for name, rows in before.items():
        if name == "audit_log":
            gained = [row for row in after[name] if row not in rows]
            assert set(rows) <= set(after[name]) and [row[0] for row in gained] == [entry.id]
        else:
            assert after[name] == rows, name


def test_a_real_assessment_never_starts_from_a_demo_year(db, people):
    with db.session() as session:
        demo.load(session, SYSTEM, countries=1, years=2, seed=2, last_year=2030)
        country = session.scalar(select(Assessment.country).where(Assessment.is_demo.is_(True)))
    focal = make_user(db, "focal-demo-country", Role.FOCAL_POINT, country)
    with pytest.raises(Invalid) as refused, db.session() as session:
        carry_over.create_from_last_year(session, focal, country, 2031, "wddf-1.1")
    assert refused.value.code is ErrorCode.DEMO_SOURCE
    with db.session() as session:  # nothing was made
        made = select(Assessment).where(Assessment.country == country, Assessment.year == 2031)
        assert session.scalar(made) is None
