"""Alembic environment: the URL comes from the caller or from the service's settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from console.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on a connection given by the caller or made from settings."""
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from console.settings import get_settings
    from servicekit.db import make_engine

    settings = config.attributes.get("settings") or get_settings()
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `python -m console migrate`")
run_migrations_online()
