"""The policy priority matrix: an action of the plan gets a priority, partners, an estimated cost
and its currency, a timeframe and evidence of progress, and addresses one or more dimensions
(``action_item_dimensions``) instead of one.

Revision ID: 0004_priority_matrix
Revises: 0003_editions
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_priority_matrix"
down_revision = "0003_editions"
branch_labels = None
depends_on = None

MATRIX_COLUMNS = ("priority", "partners", "estimated_cost", "currency", "timeframe", "progress")


def upgrade() -> None:
    op.create_table(
        "action_item_dimensions",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("dimension_id", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["action_items.id"],
            name=op.f("fk_action_item_dimensions_item_id_action_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "dimension_id", name=op.f("pk_action_item_dimensions")),
    )
    op.execute(
        "INSERT INTO action_item_dimensions (item_id, dimension_id, position) "
        "SELECT id, dimension_id, 0 FROM action_items"
    )
    # Plain ALTER TABLE (SQLite 3.35 and later drop a column in place): a batch migration would
    # copy and drop action_items on SQLite, and the drop would cascade to the rows just copied.
    op.drop_column("action_items", "dimension_id")
    op.add_column("action_items", sa.Column("priority", sa.Integer(), nullable=True))
    op.add_column(
        "action_items", sa.Column("partners", sa.String(400), nullable=False, server_default="")
    )
    op.add_column("action_items", sa.Column("estimated_cost", sa.BigInteger(), nullable=True))
    op.add_column("action_items", sa.Column("currency", sa.String(3), nullable=True))
    op.add_column("action_items", sa.Column("timeframe", sa.String(10), nullable=True))
    op.add_column(
        "action_items", sa.Column("progress", sa.Text(), nullable=False, server_default="")
    )


def downgrade() -> None:
    op.add_column(
        "action_items",
        sa.Column("dimension_id", sa.String(40), nullable=False, server_default=""),
    )
    op.execute(
        "UPDATE action_items SET dimension_id = (SELECT MIN(d.dimension_id) FROM "
        "action_item_dimensions d WHERE d.item_id = action_items.id)"
    )
    for column in MATRIX_COLUMNS:
        op.drop_column("action_items", column)
    op.drop_table("action_item_dimensions")
