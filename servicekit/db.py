"""The SQLAlchemy engine and session factory of a service (SQLite or PostgreSQL by URL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["make_engine", "make_sessionmaker"]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def make_engine(database_url: str) -> Engine:
    """Create the engine for a database URL.

    SQLite gets foreign keys switched on for every connection and its folder created;
    PostgreSQL connections are checked before use.

    Args:
        database_url: A SQLAlchemy URL (``sqlite:///...`` or ``postgresql+psycopg://...``).

    Returns:
        The engine.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to the engine (objects stay usable after commit).

    Args:
        engine: The engine.

    Returns:
        The session factory.
    """
    return sessionmaker(bind=engine, expire_on_commit=False)
