"""Revisions of an installed edition's continuity claims: an edition's text is checksummed and
never changes, so a correction of what its dimensions continue is a numbered revision of its own.

Revision ID: 0006_continuity_revisions
Revises: 0005_process
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_continuity_revisions"
down_revision = "0005_process"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "continuity_revisions",
        sa.Column("edition_id", sa.String(length=80), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        sa.Column("installed_by", sa.String(length=80), nullable=False),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["editions.id"],
            name=op.f("fk_continuity_revisions_edition_id_editions"),
        ),
        sa.PrimaryKeyConstraint("edition_id", "revision", name=op.f("pk_continuity_revisions")),
    )


def downgrade() -> None:
    op.drop_table("continuity_revisions")
