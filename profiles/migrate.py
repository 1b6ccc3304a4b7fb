"""Schema migrations of the profile service, run programmatically (``alembic upgrade head``)."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config

from profiles.settings import Settings
from servicekit import migrate

__all__ = ["MIGRATIONS", "alembic_config", "upgrade"]

#: The service's Alembic folder.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(settings: Settings) -> Config:
    """An Alembic configuration for the service's database (no ``alembic.ini`` needed).

    Args:
        settings: The service's settings (the URL is taken from them).

    Returns:
        The configuration.
    """
    return migrate.alembic_config(MIGRATIONS, settings)


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Bring the database's schema up to ``revision``.

    Args:
        settings: The service's settings.
        revision: The target revision.
    """
    migrate.upgrade(MIGRATIONS, settings, revision)
