"""The sector data sheet of an assessment: one row per item (a figure or a statement), with its
source and year, versioned like an answer.

Revision ID: 0007_sector_data
Revises: 0006_continuity_revisions
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_sector_data"
down_revision = "0006_continuity_revisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sector_data",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_sector_data_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_sector_data_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("assessment_id", "item", name=op.f("pk_sector_data")),
    )


def downgrade() -> None:
    op.drop_table("sector_data")
