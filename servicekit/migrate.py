"""Schema migrations of a service, run programmatically (``alembic upgrade head``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

__all__ = ["alembic_config", "upgrade"]


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
