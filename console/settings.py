"""Settings of the handoff console, read from the environment once per process.

Tests build a :class:`Settings` directly (or call :func:`load_settings` with their own
mapping) before anything creates an engine or an app.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr

from console.hours import AgentHours, parse_hours

__all__ = ["Settings", "SettingsError", "load_settings", "get_settings", "REPO_ROOT"]

#: The repository's root (``console/`` lives directly in it).
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{REPO_ROOT / 'var' / 'console' / 'console.db'}"
DEFAULT_HOURS = "Mon-Fri 09:00-17:00"


class SettingsError(ValueError):
    """An environment variable is missing or cannot be used."""


@dataclass(frozen=True)
class Settings:
    """What the console reads from the environment.

    Attributes:
        database_url: SQLAlchemy URL (``sqlite:///...`` or ``postgresql+psycopg://...``).
        token: The bearer token of the service API (the action server's; a secret).
        secret_key: Signs the session cookie and derives CSRF tokens (a secret).
        rasa_url: Rasa's HTTP API, e.g. ``http://127.0.0.1:5005``.
        rasa_token: Rasa's API token (a secret; shoppers never see it).
        hours: When agents answer (``CONSOLE_HOURS`` in ``CONSOLE_TZ``).
        claim_timeout: Seconds an idle claimed case stays with its agent.
        admin_email: The first admin's email (created when there is no agent).
        admin_password: The first admin's password.
        cookie_secure: Whether the session cookie is sent over HTTPS only.
        index_dir: The catalog index folder (lexical index and product table, read-only).
        profiles_url: The profile service, e.g. ``http://127.0.0.1:8300`` (``None``: no
            live customer panel, the case's profile snapshot only).
        profiles_token: The profile service's bearer token (a secret).
        widget_dir: The built chat widget (``widget/dist/``), served under ``/widget/``.
        images_dir: The catalog's product images, served under ``/static/products/``.
        events_database_url: SQLAlchemy URL of Rasa's SQL event broker database (read
            only, for the dashboard's handoff rate); ``None``: the rate shows "n/a".
    """

    database_url: str
    token: SecretStr
    secret_key: SecretStr
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: SecretStr = SecretStr("")
    hours: AgentHours = field(default_factory=lambda: parse_hours(DEFAULT_HOURS, "UTC"))
    claim_timeout: int = 300
    admin_email: str | None = None
    admin_password: SecretStr | None = None
    cookie_secure: bool = False
    index_dir: Path = REPO_ROOT / "var" / "index"
    profiles_url: str | None = None
    profiles_token: SecretStr = SecretStr("")
    widget_dir: Path = REPO_ROOT / "widget" / "dist"
    images_dir: Path = REPO_ROOT / "catalog" / "images"
    events_database_url: str | None = None


def _required(env: Mapping[str, str], name: str, what: str) -> SecretStr:
    value = env.get(name, "").strip()
    if not value:
        raise SettingsError(f"{name} must be set ({what})")
    return SecretStr(value)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from environment variables.

    Variables: ``CONSOLE_DATABASE_URL`` (default SQLite under ``var/console/``),
    ``CONSOLE_TOKEN`` and ``CONSOLE_SECRET_KEY`` (required), ``RASA_URL``, ``RASA_TOKEN``,
    ``CONSOLE_HOURS`` (default ``Mon-Fri 09:00-17:00``), ``CONSOLE_TZ`` (default ``UTC``),
    ``CONSOLE_CLAIM_TIMEOUT`` (seconds, default 300), ``CONSOLE_ADMIN_EMAIL``,
    ``CONSOLE_ADMIN_PASSWORD``, ``CONSOLE_COOKIE_SECURE`` (``1``/``0``, default ``0``),
    ``CONSOLE_INDEX_DIR`` (else ``INDEX_DIR``, default ``var/index``), ``PROFILES_URL`` and
    ``PROFILES_TOKEN`` (the live customer panel), ``CONSOLE_EVENTS_DATABASE_URL`` (Rasa's
    SQL event broker database, read for the dashboard's handoff rate).

    Args:
        environ: The environment to read; ``os.environ`` when omitted.

    Returns:
        The settings.

    Raises:
        SettingsError: A required value is missing or a value cannot be used.
    """
    env = os.environ if environ is None else environ
    token = _required(env, "CONSOLE_TOKEN", "the service API's bearer token")
    secret = _required(env, "CONSOLE_SECRET_KEY", "signs sessions and CSRF tokens")
    try:
        hours = parse_hours(
            env.get("CONSOLE_HOURS", "").strip() or DEFAULT_HOURS,
            env.get("CONSOLE_TZ", "").strip() or "UTC",
        )
    except ValueError as exc:
        raise SettingsError(f"CONSOLE_HOURS/CONSOLE_TZ: {exc}") from None
    raw_timeout = env.get("CONSOLE_CLAIM_TIMEOUT", "").strip() or "300"
    if not raw_timeout.isdigit() or int(raw_timeout) < 1:
        raise SettingsError(f"CONSOLE_CLAIM_TIMEOUT must be a positive integer: {raw_timeout!r}")
    admin_email = env.get("CONSOLE_ADMIN_EMAIL", "").strip().lower() or None
    admin_password = env.get("CONSOLE_ADMIN_PASSWORD", "")
    if admin_email and len(admin_password) < 12:
        raise SettingsError("CONSOLE_ADMIN_PASSWORD must have at least 12 characters")
    index_dir = (
        env.get("CONSOLE_INDEX_DIR", "").strip() or env.get("INDEX_DIR", "").strip() or "var/index"
    )
    index_path = Path(index_dir)
    if not index_path.is_absolute():
        index_path = REPO_ROOT / index_path
    profiles_url = env.get("PROFILES_URL", "").strip().rstrip("/") or None
    secure = env.get("CONSOLE_COOKIE_SECURE", "0").strip().lower() in {"1", "true", "yes", "on"}
    return Settings(
        database_url=env.get("CONSOLE_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL,
        token=token,
        secret_key=secret,
        rasa_url=(env.get("RASA_URL", "").strip() or "http://127.0.0.1:5005").rstrip("/"),
        rasa_token=SecretStr(env.get("RASA_TOKEN", "").strip()),
        hours=hours,
        claim_timeout=int(raw_timeout),
        admin_email=admin_email,
        admin_password=SecretStr(admin_password) if admin_email else None,
        cookie_secure=secure,
        index_dir=index_path,
        profiles_url=profiles_url,
        profiles_token=SecretStr(env.get("PROFILES_TOKEN", "").strip()),
        events_database_url=env.get("CONSOLE_EVENTS_DATABASE_URL", "").strip() or None,
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read from ``os.environ`` on first use.

    Returns:
        The settings.
    """
    return load_settings()
