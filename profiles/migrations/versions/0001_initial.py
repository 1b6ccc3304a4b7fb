"""Initial schema: customers, orders and their children, channel identities, conversations.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply the revision."""
    op.create_table(
        "customers",
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("preferred_language", sa.String(length=8), nullable=False),
        sa.Column("sizes", sa.JSON(), nullable=False),
        sa.Column("favourite_brands", sa.JSON(), nullable=False),
        sa.Column("favourite_categories", sa.JSON(), nullable=False),
        sa.Column("price_min_cents", sa.Integer(), nullable=True),
        sa.Column("price_max_cents", sa.Integer(), nullable=True),
        sa.Column("price_currency", sa.String(length=3), nullable=True),
        sa.Column("segment", sa.String(length=20), nullable=False),
        sa.Column("personalisation_granted", sa.Boolean(), nullable=True),
        sa.Column("personalisation_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("marketing_granted", sa.Boolean(), nullable=True),
        sa.Column("marketing_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customers")),
    )
    op.create_index(op.f("ix_customers_email"), "customers", ["email"], unique=False)

    op.create_table(
        "channel_identities",
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.customer_id"],
            name=op.f("fk_channel_identities_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("channel", "external_id", name=op.f("pk_channel_identities")),
    )
    op.create_index(
        op.f("ix_channel_identities_customer_id"),
        "channel_identities",
        ["customer_id"],
        unique=False,
    )

    op.create_table(
        "conversations",
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("sender_id", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.customer_id"],
            name=op.f("fk_conversations_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("customer_id", "sender_id", name=op.f("pk_conversations")),
    )
    op.create_table(
        "orders",
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=True),
        sa.Column("erased_ref", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("placed_at", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("ship_name", sa.String(length=200), nullable=False),
        sa.Column("ship_line1", sa.String(length=200), nullable=False),
        sa.Column("ship_line2", sa.String(length=200), nullable=True),
        sa.Column("ship_city", sa.String(length=100), nullable=False),
        sa.Column("ship_postcode", sa.String(length=20), nullable=False),
        sa.Column("ship_country", sa.String(length=2), nullable=False),
        sa.Column("estimated_ship_date", sa.Date(), nullable=True),
        sa.Column("return_window_ends", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.customer_id"],
            name=op.f("fk_orders_customer_id_customers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_orders")),
    )
    op.create_index(
        "ix_orders_customer_placed", "orders", ["customer_id", "placed_at"], unique=False
    )

    op.create_table(
        "order_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.Column("colour", sa.String(length=40), nullable=True),
        sa.Column("size", sa.String(length=20), nullable=True),
        sa.Column("sku", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.order_id"],
            name=op.f("fk_order_items_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_items")),
    )
    op.create_index(op.f("ix_order_items_order_id"), "order_items", ["order_id"], unique=False)
    op.create_index(op.f("ix_order_items_product_id"), "order_items", ["product_id"], unique=False)

    op.create_table(
        "refunds",
        sa.Column("refund_id", sa.String(length=60), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("requested_at", sa.Date(), nullable=False),
        sa.Column("expected_by", sa.Date(), nullable=True),
        sa.Column("completed_at", sa.Date(), nullable=True),
        sa.Column("method", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.order_id"],
            name=op.f("fk_refunds_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("refund_id", name=op.f("pk_refunds")),
    )
    op.create_index(op.f("ix_refunds_order_id"), "refunds", ["order_id"], unique=False)

    op.create_table(
        "returns",
        sa.Column("return_id", sa.String(length=60), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("label_url", sa.String(length=300), nullable=True),
        sa.Column("product_ids", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.order_id"],
            name=op.f("fk_returns_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("return_id", name=op.f("pk_returns")),
    )
    op.create_index(op.f("ix_returns_order_id"), "returns", ["order_id"], unique=False)

    op.create_table(
        "shipments",
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("carrier", sa.String(length=40), nullable=False),
        sa.Column("tracking_number", sa.String(length=60), nullable=False),
        sa.Column("tracking_url", sa.String(length=300), nullable=True),
        sa.Column("shipped_at", sa.Date(), nullable=True),
        sa.Column("estimated_delivery", sa.Date(), nullable=True),
        sa.Column("delivered_at", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.order_id"],
            name=op.f("fk_shipments_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_shipments")),
    )
    op.create_table(
        "status_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("at", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.order_id"],
            name=op.f("fk_status_history_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_history")),
    )
    op.create_index(
        op.f("ix_status_history_order_id"), "status_history", ["order_id"], unique=False
    )


def downgrade() -> None:
    """Revert the revision."""
    op.drop_index(op.f("ix_status_history_order_id"), table_name="status_history")

    op.drop_table("status_history")
    op.drop_table("shipments")
    op.drop_index(op.f("ix_returns_order_id"), table_name="returns")

    op.drop_table("returns")
    op.drop_index(op.f("ix_refunds_order_id"), table_name="refunds")

    op.drop_table("refunds")
    op.drop_index(op.f("ix_order_items_product_id"), table_name="order_items")
    op.drop_index(op.f("ix_order_items_order_id"), table_name="order_items")

    op.drop_table("order_items")
    op.drop_index("ix_orders_customer_placed", table_name="orders")

    op.drop_table("orders")
    op.drop_table("conversations")
    op.drop_index(op.f("ix_channel_identities_customer_id"), table_name="channel_identities")

    op.drop_table("channel_identities")
    op.drop_index(op.f("ix_customers_email"), table_name="customers")

    op.drop_table("customers")
