"""Tables of the profile service (created only by the Alembic migrations).

Money is stored in integer cents; dates as ``DATE``; timestamps as UTC. Every order's
children are removed with the order; an erased customer's orders keep their rows with
``customer_id`` NULL and an opaque ``erased_ref``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "Base",
    "Customer",
    "Order",
    "OrderItem",
    "StatusChange",
    "Shipment",
    "ReturnRequest",
    "Refund",
    "ChannelIdentity",
    "Conversation",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention for constraints."""

    metadata = MetaData(naming_convention=NAMING)


class Customer(Base):
    """A shop customer and what the shop knows about them."""

    __tablename__ = "customers"

    customer_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    preferred_language: Mapped[str] = mapped_column(String(8))
    sizes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    favourite_brands: Mapped[list[str]] = mapped_column(JSON, default=list)
    favourite_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    price_min_cents: Mapped[int | None] = mapped_column(Integer)
    price_max_cents: Mapped[int | None] = mapped_column(Integer)
    price_currency: Mapped[str | None] = mapped_column(String(3))
    segment: Mapped[str] = mapped_column(String(20))
    personalisation_granted: Mapped[bool | None] = mapped_column(Boolean)
    personalisation_updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    marketing_granted: Mapped[bool | None] = mapped_column(Boolean)
    marketing_updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Order(Base):
    """An order; its items, history, shipment, returns and refunds hang off it."""

    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_customer_placed", "customer_id", "placed_at"),)

    order_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    customer_id: Mapped[str | None] = mapped_column(
        String(40), ForeignKey("customers.customer_id", ondelete="SET NULL")
    )
    erased_ref: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    placed_at: Mapped[dt.date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    total_cents: Mapped[int] = mapped_column(Integer)
    ship_name: Mapped[str] = mapped_column(String(200))
    ship_line1: Mapped[str] = mapped_column(String(200))
    ship_line2: Mapped[str | None] = mapped_column(String(200))
    ship_city: Mapped[str] = mapped_column(String(100))
    ship_postcode: Mapped[str] = mapped_column(String(20))
    ship_country: Mapped[str] = mapped_column(String(2))
    estimated_ship_date: Mapped[dt.date | None] = mapped_column(Date)
    return_window_ends: Mapped[dt.date | None] = mapped_column(Date)

    items: Mapped[list[OrderItem]] = relationship(
        order_by="OrderItem.position", cascade="all, delete-orphan", passive_deletes=True
    )
    history: Mapped[list[StatusChange]] = relationship(
        order_by="StatusChange.position", cascade="all, delete-orphan", passive_deletes=True
    )
    shipment: Mapped[Shipment | None] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    returns: Mapped[list[ReturnRequest]] = relationship(
        order_by="ReturnRequest.position", cascade="all, delete-orphan", passive_deletes=True
    )
    refunds: Mapped[list[Refund]] = relationship(
        order_by="Refund.position", cascade="all, delete-orphan", passive_deletes=True
    )


class OrderItem(Base):
    """One line of an order."""

    __tablename__ = "order_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("orders.order_id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    colour: Mapped[str | None] = mapped_column(String(40))
    size: Mapped[str | None] = mapped_column(String(20))
    sku: Mapped[str | None] = mapped_column(String(60))


class StatusChange(Base):
    """One entry of an order's status history."""

    __tablename__ = "status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("orders.order_id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.date] = mapped_column(Date)


class Shipment(Base):
    """How an order travels (one per order)."""

    __tablename__ = "shipments"

    order_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("orders.order_id", ondelete="CASCADE"), primary_key=True
    )
    carrier: Mapped[str] = mapped_column(String(40))
    tracking_number: Mapped[str] = mapped_column(String(60))
    tracking_url: Mapped[str | None] = mapped_column(String(300))
    shipped_at: Mapped[dt.date | None] = mapped_column(Date)
    estimated_delivery: Mapped[dt.date | None] = mapped_column(Date)
    delivered_at: Mapped[dt.date | None] = mapped_column(Date)


class ReturnRequest(Base):
    """A return the customer started."""

    __tablename__ = "returns"

    return_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    order_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("orders.order_id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    label_url: Mapped[str | None] = mapped_column(String(300))
    product_ids: Mapped[list[str] | None] = mapped_column(JSON)


class Refund(Base):
    """Money on its way back."""

    __tablename__ = "refunds"

    refund_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    order_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("orders.order_id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    requested_at: Mapped[dt.date] = mapped_column(Date)
    expected_by: Mapped[dt.date | None] = mapped_column(Date)
    completed_at: Mapped[dt.date | None] = mapped_column(Date)
    method: Mapped[str | None] = mapped_column(String(60))


class ChannelIdentity(Base):
    """A messaging-channel user linked to a customer."""

    __tablename__ = "channel_identities"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    customer_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("customers.customer_id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Conversation(Base):
    """A Rasa conversation (sender id) that belongs to a customer, to erase with them."""

    __tablename__ = "conversations"

    customer_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("customers.customer_id", ondelete="CASCADE"), primary_key=True
    )
    sender_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    channel: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
