"""Questionnaire editions stored in the database, so that every replica serves the same ones.

Revision ID: 0003_editions
Revises: 0002_countries
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_editions"
down_revision = "0002_countries"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "editions",
        sa.Column("id", sa.String(80), nullable=False),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        sa.Column("installed_by", sa.String(80), nullable=False),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_editions")),
    )


def downgrade() -> None:
    op.drop_table("editions")
