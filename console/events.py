"""Conversations active today, read from Rasa's SQL event broker table (read-only).

Rasa's ``SQLEventBroker`` (``rasa/core/brokers/sql.py``) writes every tracker event to a table
``events`` (``id`` integer key, ``sender_id`` string, ``data`` the event's JSON text with
``"event"`` and ``"timestamp"`` in seconds since the epoch). The console only reads it
(ARCHITECTURE.md): a SQLite file is opened in read-only mode, so a wrong path is an error,
never a new empty file.

Counting is incremental: the first call of a day finds the day's first row by bisecting the
ids (rows arrive in time order), later calls read only the rows added since (plus a short
overlap for rows committed out of order). Error messages never carry the URL (it may hold a
password).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

__all__ = ["ActiveConversations", "EventsUnavailable", "make_events_engine", "EVENTS"]

#: Rasa's SQL event broker table (only the columns read here).
EVENTS = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("sender_id", sa.String),
    sa.column("data", sa.Text),
)
#: Bisecting starts this much before midnight: rows are in time order only roughly.
MARGIN = dt.timedelta(hours=1)
#: Rows re-read at each call in case a lower id was committed after a higher one.
OVERLAP = 200
BATCH = 5000


class EventsUnavailable(RuntimeError):
    """The event broker table cannot be read (the message says why, without the URL)."""


def make_events_engine(url: str) -> Engine:
    """An engine for the broker's database, read-only for SQLite files.

    Args:
        url: SQLAlchemy URL (``sqlite:///path`` or ``postgresql+psycopg://...``).

    Returns:
        The engine (no connection is made yet).

    Raises:
        EventsUnavailable: The URL cannot be used.
    """
    try:
        parsed = sa.make_url(url)
    except ArgumentError:
        raise EventsUnavailable("CONSOLE_EVENTS_DATABASE_URL is not a database URL") from None
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ""
        if not path or path == ":memory:":
            raise EventsUnavailable("CONSOLE_EVENTS_DATABASE_URL must name a SQLite file")

        def connect() -> sqlite3.Connection:
            return sqlite3.connect(
                f"file:{quote(path)}?mode=ro", uri=True, check_same_thread=False, timeout=1.0
            )

        return sa.create_engine("sqlite://", creator=connect)
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = 2
    return sa.create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)


def _event(data: str | None) -> tuple[str | None, float | None]:
    try:
        event = json.loads(data or "")
    except ValueError:
        return None, None
    if not isinstance(event, dict):
        return None, None
    stamp = event.get("timestamp")
    kind = event.get("event")
    return (
        kind if isinstance(kind, str) else None,
        float(stamp) if isinstance(stamp, int | float) else None,
    )


@dataclass
class _Day:
    since: float
    start_id: int
    next_id: int
    senders: set[str] = field(default_factory=set)


class ActiveConversations:
    """Counts distinct senders with a ``user`` event since an instant."""

    def __init__(self, engine_factory: Callable[[], Engine]) -> None:
        """Create the counter (nothing is read yet).

        Args:
            engine_factory: Makes the engine on first use (:func:`make_events_engine`).
        """
        self._factory = engine_factory
        self._engine: Engine | None = None
        self._day: _Day | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        """Release the engine's connections."""
        if self._engine is not None:
            self._engine.dispose()

    def since(self, start: dt.datetime) -> set[str]:
        """Sender ids with a ``user`` event at or after ``start``.

        Args:
            start: An aware instant (the console's local midnight).

        Returns:
            The sender ids.

        Raises:
            EventsUnavailable: The table cannot be read.
        """
        with self._lock:
            try:
                if self._engine is None:
                    self._engine = self._factory()
                with self._engine.connect() as conn:
                    if not sa.inspect(conn).has_table("events"):
                        raise EventsUnavailable(
                            "no events table yet (Rasa creates it when it starts)"
                        )
                    return set(self._update(conn, start.timestamp()).senders)
            except SQLAlchemyError as exc:
                raise EventsUnavailable(
                    f"event broker database unreadable ({type(exc).__name__})"
                ) from None

    def _update(self, conn: sa.Connection, since: float) -> _Day:
        if self._day is None or self._day.since != since:
            first = self._first_id(conn, since - MARGIN.total_seconds())
            self._day = _Day(since=since, start_id=first, next_id=first)
        day = self._day
        top = conn.execute(sa.select(sa.func.max(EVENTS.c.id))).scalar()
        if top is None:
            return day
        low = max(day.next_id - OVERLAP, day.start_id)
        while low <= top:
            rows = conn.execute(
                sa.select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.data)
                .where(EVENTS.c.id >= low, EVENTS.c.id <= top, EVENTS.c.data.like('%"user"%'))
                .order_by(EVENTS.c.id)
                .limit(BATCH)
            ).all()
            for row_id, sender, data in rows:
                kind, stamp = _event(data)
                if kind == "user" and stamp is not None and stamp >= since and sender:
                    day.senders.add(str(sender))
                low = int(row_id) + 1
            if len(rows) < BATCH:
                break
        day.next_id = max(day.next_id, int(top) + 1)
        return day

    @staticmethod
    def _first_id(conn: sa.Connection, target: float) -> int:
        """The smallest id whose row is at or after ``target`` (ids in rough time order)."""
        low, high = conn.execute(
            sa.select(sa.func.min(EVENTS.c.id), sa.func.max(EVENTS.c.id))
        ).one()
        if low is None:
            return 0
        low, high = int(low), int(high) + 1
        while low < high:
            middle = (low + high) // 2
            row = conn.execute(
                sa.select(EVENTS.c.id, EVENTS.c.data)
                .where(EVENTS.c.id >= middle)
                .order_by(EVENTS.c.id)
                .limit(1)
            ).first()
            if row is None:
                high = middle
                continue
            _kind, stamp = _event(row.data)
            if stamp is not None and stamp >= target:
                high = middle
            else:
                low = int(row.id) + 1
        return low
