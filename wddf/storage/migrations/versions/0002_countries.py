"""Seed the countries with artisanal diamond mining, with their working language and region.

Revision ID: 0002_countries
Revises: 0001_initial
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_countries"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

COUNTRIES = [
    ("CAF", "fr", "Central Africa"),
    ("CIV", "fr", "West Africa"),
    ("COD", "fr", "Central Africa"),
    ("GIN", "fr", "West Africa"),
    ("COG", "fr", "Central Africa"),
    ("TGO", "fr", "West Africa"),
    ("CMR", "fr", "Central Africa"),
    ("AGO", "pt", "Southern Africa"),
    ("BRA", "pt", "South America"),
    ("GHA", "en", "West Africa"),
    ("GUY", "en", "South America"),
    ("LBR", "en", "West Africa"),
    ("SLE", "en", "West Africa"),
    ("ZAF", "en", "Southern Africa"),
    ("TZA", "en", "East Africa"),
    ("ZWE", "en", "Southern Africa"),
    ("VEN", "es", "South America"),
]


def upgrade() -> None:
    table = sa.table("countries", sa.column("iso3"), sa.column("language"), sa.column("region"))
    op.bulk_insert(table, [{"iso3": c, "language": lang, "region": r} for c, lang, r in COUNTRIES])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM countries"))
