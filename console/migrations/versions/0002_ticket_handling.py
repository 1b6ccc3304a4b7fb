"""Tickets: who handled them, when, with which note (and the form's idempotency key).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 13:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply the revision."""
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handled_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("handled_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("handled_key", sa.String(length=100), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_tickets_handled_by_agents"),
            "agents",
            ["handled_by"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_tickets_status_created", ["status", "created_at"], unique=False)


def downgrade() -> None:
    """Revert the revision."""
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_status_created")
        batch_op.drop_constraint(batch_op.f("fk_tickets_handled_by_agents"), type_="foreignkey")
        batch_op.drop_column("handled_key")
        batch_op.drop_column("handled_note")
        batch_op.drop_column("handled_at")
        batch_op.drop_column("handled_by")
