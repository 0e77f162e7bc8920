"""demo load writes flagged, varied, progressing data; db and users commands keep their contract."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from tests.conftest import run_wddf as wddf
from tests.conftest import score_by_edition
from wddf.services.actor import SYSTEM
from wddf.services.answers import demo
from wddf.storage.tables import Answer, Assessment, User


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
    assert all(is_demo for *_, is_demo, _ in rows) and not demo_user.active
    languages = {"SLE", "COD", "AGO"} <= {country for country, *_ in rows}
    assert languages, "demo data mixes English, French and Portuguese-speaking countries"
    frame = pd.DataFrame(
        answers,
        columns=["country", "year", "edition_id", "dimension_id", "grade", "justification"],
    )
    assert frame["justification"].str.startswith("DEMO DATA").all()
    scored = score_by_edition(frame)
    overall = scored.pivot(index="country", columns="year", values="score")
    editions = scored.pivot(index="country", columns="year", values="edition_id")
    # Every other country, Sierra Leone first, moves to the newest edition in its last year.
    assert editions.loc["SLE"].tolist() == ["wddf-1.0", "wddf-1.0", "wddf-1.0", "wddf-1.1"]
    assert (editions[2025] == "wddf-1.1").all() and (editions[2022] == "wddf-1.0").sum() == 4
    assert overall.std().mean() > 3, "countries differ"
    assert (overall[2025] > overall[2022]).mean() >= 0.75, "most countries progress"
    with db.session() as session:
        again = demo.load(session, SYSTEM, countries=8, years=4, seed=3)
        total = session.scalar(select(func.count()).select_from(Assessment))
    assert (again.assessments, again.skipped, total) == (0, 32, 32)


def test_db_upgrade_users_add_and_demo_load_commands(tmp_path):
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
