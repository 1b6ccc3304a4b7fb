"""Tables of the handoff console (created only by the Alembic migrations).

Timestamps are UTC. Personal data (profile snapshots, transcripts, ticket contacts) lives in
``cases``, ``case_events`` and ``tickets``, which erasure empties; ``audit_log`` keeps only
who did what, when, and the case id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "Agent",
    "AgentSession",
    "Case",
    "CaseEvent",
    "Ticket",
    "AuditEntry",
    "CannedReply",
    "LoginFailure",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

UTC = DateTime(timezone=True)


class Base(DeclarativeBase):
    """Declarative base with a naming convention for constraints."""

    metadata = MetaData(naming_convention=NAMING)


class Agent(Base):
    """A support agent or admin."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(10))  # agent | admin
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTC)


class AgentSession(Base):
    """A server-side login session (its id travels in a signed cookie)."""

    __tablename__ = "agent_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    csrf_secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTC)
    last_seen: Mapped[dt.datetime] = mapped_column(UTC)


class LoginFailure(Base):
    """A failed login (rate limiting by email and client address)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64), index=True)  # sha256(email|ip)
    at: Mapped[dt.datetime] = mapped_column(UTC)


class Case(Base):
    """A conversation handed to the agents."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    # Equal to conversation_id while the case is open, NULL once closed: one open case per
    # conversation, enforced by the database even under concurrent retries.
    open_key: Mapped[str | None] = mapped_column(String(200), unique=True, nullable=True)
    channel: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(2))
    reason: Mapped[str] = mapped_column(String(40))
    reason_detail: Mapped[str] = mapped_column(String(500), default="")
    customer_id: Mapped[str | None] = mapped_column(String(40), index=True, nullable=True)
    profile: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    sentiment_trail: Mapped[list[Any]] = mapped_column(JSON)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    priority: Mapped[str] = mapped_column(String(10))  # vip | normal
    sentiment_score: Mapped[float] = mapped_column(default=0.0)  # most negative score seen
    status: Mapped[str] = mapped_column(String(12))  # queued|claimed|resolved|handed_back
    claimed_by: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), nullable=True
    )
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTC, nullable=True)
    first_claimed_at: Mapped[dt.datetime | None] = mapped_column(UTC, nullable=True)
    last_agent_activity: Mapped[dt.datetime | None] = mapped_column(UTC, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTC)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTC, nullable=True)
    resolved_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    erased: Mapped[bool] = mapped_column(Boolean, default=False)


class CaseEvent(Base):
    """What the console did in a case: agent replies, product cards, hand back, resolve."""

    __tablename__ = "case_events"
    __table_args__ = (UniqueConstraint("case_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # reply|product_card|handback|resolve|claim
    agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), nullable=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    idempotency_key: Mapped[str] = mapped_column(String(100))
    delivered: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[dt.datetime] = mapped_column(UTC)


class Ticket(Base):
    """A callback or email request taken outside agent hours (or with the console down)."""

    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(40), index=True, nullable=True)
    language: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(10))  # callback | email
    contact: Mapped[str] = mapped_column(String(254))
    reason: Mapped[str] = mapped_column(String(40))
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | handled
    created_at: Mapped[dt.datetime] = mapped_column(UTC)
    handled_by: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), nullable=True
    )
    handled_at: Mapped[dt.datetime | None] = mapped_column(UTC, nullable=True)
    handled_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The idempotency key of the request that handled it: a repeat answers 200, not 409.
    handled_key: Mapped[str | None] = mapped_column(String(100), nullable=True)


class AuditEntry(Base):
    """Who did what, when (kept after erasure: no personal data)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), nullable=True
    )
    actor: Mapped[str] = mapped_column(String(100))  # display name, or "service"
    action: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    detail: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[dt.datetime] = mapped_column(UTC, index=True)


class CannedReply(Base):
    """A ready-made reply in one language."""

    __tablename__ = "canned_replies"
    __table_args__ = (UniqueConstraint("key", "language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text)
