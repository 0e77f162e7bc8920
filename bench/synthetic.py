"""Synthetic assessments in bulk, for benchmarks at scale (up to 200 countries × 20 years).

Countries are real ISO 3166 codes (so names show as in production), written with their region
and language; every assessment answers every dimension by consensus. All years are published
except the newest, which is submitted. Rows go in with bulk inserts, not through the services:
this is load for measuring, not a path users take.
"""

from __future__ import annotations

import random

import pycountry
from sqlalchemy import insert, select

from wddf.domain import Role, Status
from wddf.services import audit
from wddf.services.editions import get_edition, newest_edition_id
from wddf.storage.db import Database
from wddf.storage.tables import Answer, Assessment, Country, User

REGIONS = ["West Africa", "Central Africa", "Southern Africa", "East Africa", "South America"]
LANGUAGES = ["en", "fr", "pt"]
GRADES = ["D", "C", "B", "A"]


def _countries(db: Database, count: int) -> list[str]:
    """``count`` ISO3 codes, the seeded ones first; missing ones are added to the table."""
    with db.session() as session:
        known = [c.iso3 for c in session.scalars(select(Country).order_by(Country.iso3))]
        extra = [c.alpha_3 for c in pycountry.countries if c.alpha_3 not in known]
        chosen = (known + sorted(extra))[:count]
        new = [
            {"iso3": code, "region": REGIONS[i % len(REGIONS)], "language": LANGUAGES[i % 3]}
            for i, code in enumerate(chosen)
            if code not in known
        ]
        if new:
            session.execute(insert(Country), new)
    return chosen


def _author(db: Database) -> int:
    with db.session() as session:
        found = session.scalar(select(User.id).where(User.username == "synthetic-data"))
        if found is not None:
            return found
        user = User(
            username="synthetic-data",
            role=Role.ADMIN.value,
            active=False,
            failed_logins=0,
            created_at=audit.now(),
        )
        session.add(user)
        session.flush()
        return user.id


def load(db: Database, countries: int, years: int, seed: int = 0, last_year: int = 2025) -> int:
    """Write ``countries`` × ``years`` assessments with all their answers; the number written."""
    rng = random.Random(seed)
    with db.session() as session:
        edition_id = newest_edition_id(session)
        dims = [d.id for _, _, d in get_edition(session, edition_id).dimensions()]
    codes = _countries(db, countries)
    author = _author(db)
    moment = audit.now()
    first_year = last_year - years + 1
    with db.session() as session:
        session.execute(
            insert(Assessment),
            [
                {
                    "country": code,
                    "year": year,
                    "edition_id": edition_id,
                    "is_demo": True,
                    "status": (Status.SUBMITTED if year == last_year else Status.PUBLISHED).value,
                    "created_at": moment,
                    "updated_at": moment,
                    "version": 1,
                }
                for code in codes
                for year in range(first_year, last_year + 1)
            ],
        )
        made = session.execute(
            select(Assessment.id, Assessment.country).where(
                Assessment.country.in_(codes), Assessment.year >= first_year
            )
        ).all()
        level = {code: rng.uniform(0.3, 2.0) for code in codes}
        rows = [
            {
                "assessment_id": aid,
                "dimension_id": dim,
                "group": "consensus",
                "grade": GRADES[min(3, max(0, round(level[country] + rng.gauss(0, 0.8))))],
                "justification": "SYNTHETIC",
                "evidence": "",
                "confidence": "medium",
                "carried_over": False,
                "updated_by": author,
                "updated_at": moment,
                "row_version": 1,
            }
            for aid, country in made
            for dim in dims
        ]
        for start in range(0, len(rows), 20_000):
            session.execute(insert(Answer), rows[start : start + 20_000])
    return len(made)
