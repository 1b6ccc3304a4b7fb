"""Settings of the profile service, read from the environment once per process.

Tests build a :class:`Settings` directly (or call :func:`load_settings` with their own
mapping) before anything creates an engine or an app.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr

__all__ = ["Settings", "SettingsError", "load_settings", "get_settings", "REPO_ROOT"]

#: The repository's root (``profiles/`` lives directly in it).
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{REPO_ROOT / 'var' / 'profiles' / 'profiles.db'}"
DEFAULT_CATALOG = REPO_ROOT / "catalog" / "demo_catalog.jsonl"


class SettingsError(ValueError):
    """An environment variable is missing or cannot be used."""


@dataclass(frozen=True)
class Settings:
    """What the profile service reads from the environment.

    Attributes:
        database_url: SQLAlchemy URL (``sqlite:///...`` or ``postgresql+psycopg://...``).
        token: The bearer token the service's callers present (a secret: never logged).
        today: A fixed business date (demos and tests); ``None`` means the real date.
        seed_demo: Whether ``serve`` seeds an empty database with the demo data.
        catalog_path: The catalog the demo data is generated from.
    """

    database_url: str
    token: SecretStr
    today: dt.date | None = None
    seed_demo: bool = True
    catalog_path: Path = DEFAULT_CATALOG

    def business_date(self) -> dt.date:
        """The date the order rules judge by.

        Returns:
            ``today`` when set, else the real date (UTC).
        """
        return self.today or dt.datetime.now(dt.timezone.utc).date()


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from environment variables.

    Variables: ``PROFILES_DATABASE_URL`` (default SQLite under ``var/profiles/``),
    ``PROFILES_TOKEN`` (required), ``PROFILES_TODAY`` (``YYYY-MM-DD``, optional),
    ``PROFILES_SEED_DEMO`` (``1``/``0``, default ``1``), ``PROFILES_CATALOG`` (default
    ``catalog/demo_catalog.jsonl``).

    Args:
        environ: The environment to read; ``os.environ`` when omitted.

    Returns:
        The settings.

    Raises:
        SettingsError: The token is missing or a value cannot be used.
    """
    env = os.environ if environ is None else environ
    token = env.get("PROFILES_TOKEN", "").strip()
    if not token:
        raise SettingsError("PROFILES_TOKEN must be set (the service's bearer token)")
    raw_today = env.get("PROFILES_TODAY", "").strip()
    try:
        today = dt.date.fromisoformat(raw_today) if raw_today else None
    except ValueError:
        raise SettingsError(f"PROFILES_TODAY must be YYYY-MM-DD, got {raw_today!r}") from None
    seed = env.get("PROFILES_SEED_DEMO", "1").strip().lower() not in {"0", "false", "no", "off"}
    catalog = Path(env.get("PROFILES_CATALOG", "").strip() or DEFAULT_CATALOG)
    if not catalog.is_absolute():
        catalog = REPO_ROOT / catalog
    return Settings(
        database_url=env.get("PROFILES_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL,
        token=SecretStr(token),
        today=today,
        seed_demo=seed,
        catalog_path=catalog,
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read from ``os.environ`` on first use.

    Returns:
        The settings.
    """
    return load_settings()
