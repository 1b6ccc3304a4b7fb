"""Schema migrations, run programmatically (``alembic upgrade head``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from console.settings import Settings

__all__ = ["alembic_config", "upgrade"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(settings: Settings) -> Config:
    """An Alembic configuration for the service's database (no ``alembic.ini`` needed).

    Args:
        settings: The service's settings (the URL is taken from them).

    Returns:
        The configuration.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["settings"] = settings
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Bring the database's schema up to ``revision``.

    Args:
        settings: The service's settings.
        revision: The target revision.
    """
    command.upgrade(alembic_config(settings), revision)
