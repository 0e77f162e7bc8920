"""Sign-in failures counted per account and client address (a lock that an attacker elsewhere
cannot put on the owner), and the account's global slow-downs.

Revision ID: 0008_sign_in_by_address
Revises: 0007_sector_data
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_sign_in_by_address"
down_revision = "0007_sector_data"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sign_in_failures_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "address", name=op.f("pk_sign_in_failures")),
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("slowdowns", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("slowdowns")
    op.drop_table("sign_in_failures")
