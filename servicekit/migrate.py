"""Schema migrations of a service, run programmatically (``alembic upgrade head``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import Connection, MetaData

from servicekit.db import make_engine

__all__ = ["alembic_config", "upgrade", "run_environment"]


def alembic_config(migrations: Path, settings: Any) -> Config:
    """An Alembic configuration for a service's database (no ``alembic.ini`` needed).

    Args:
        migrations: The service's migrations folder (with its ``env.py``).
        settings: The service's settings; its ``env.py`` takes the URL from them.

    Returns:
        The configuration.
    """
    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.attributes["settings"] = settings
    return config


def upgrade(migrations: Path, settings: Any, revision: str = "head") -> None:
    """Bring a service's database schema up to ``revision``.

    Args:
        migrations: The service's migrations folder.
        settings: The service's settings.
        revision: The target revision.
    """
    command.upgrade(alembic_config(migrations, settings), revision)


def _migrate(connection: Connection, metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_environment(metadata: MetaData, settings: Callable[[], Any], service: str) -> None:
    """The body of a service's Alembic ``env.py`` (online migrations only).

    The connection comes from the caller (``config.attributes["connection"]``), else an
    engine is made from the settings the caller passed, else from the service's own.

    Args:
        metadata: The service's models' metadata.
        settings: Returns the service's settings when the caller passed none.
        service: The service's package name (for the error message).

    Raises:
        SystemExit: Alembic was asked for offline (SQL script) migrations.
    """
    if context.is_offline_mode():
        raise SystemExit(f"offline migrations are not supported; run `python -m {service} migrate`")
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection, metadata)
        return
    chosen = config.attributes.get("settings") or settings()
    engine = make_engine(chosen.database_url)
    try:
        with engine.connect() as conn:
            _migrate(conn, metadata)
            conn.commit()
    finally:
        engine.dispose()
