"""Settings of the demo shop's page server, read from the environment once per process.

Tests build a :class:`ShopSettings` directly (or call :func:`load_settings` with their own
mapping) before they create the app.

- ``IDENTITY_JWT_SECRET`` (required): signs the demo customers' tokens (HS256).
- ``SHOP_RASA_URL`` (else the ``--rasa-url`` flag, else ``RASA_URL``, else
  ``http://127.0.0.1:5005``): rasa as the browser reaches it.
- ``SHOP_CONSOLE_URL`` (else ``--console-url``, else ``CONSOLE_URL``, else
  ``http://127.0.0.1:8400``): the console, which serves ``/widget/widget.js``.
- ``CATALOG_FILE`` (else ``CATALOG``, else ``catalog/demo_catalog.jsonl``) and
  ``CATALOG_MAPPING`` (a mapping YAML for other formats): the products shown, as the index reads
  them.
- ``SHOP_IMAGES_DIR`` (default ``catalog/images``): served under ``/static/products/``.
- ``SHOP_TOKEN_TTL`` (default ``900``): seconds a customer token lives (60-86400).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["REPO_ROOT", "ShopSettings", "SettingsError", "load_settings", "origin_of"]

#: The repository's root (``web/`` lives directly in it).
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TOKEN_TTL = 900
MIN_TOKEN_TTL = 60
MAX_TOKEN_TTL = 86_400
DEFAULT_RASA_URL = "http://127.0.0.1:5005"
DEFAULT_CONSOLE_URL = "http://127.0.0.1:8400"
DEFAULT_CATALOG = REPO_ROOT / "catalog" / "demo_catalog.jsonl"
DEFAULT_IMAGES = REPO_ROOT / "catalog" / "images"


class SettingsError(ValueError):
    """An environment variable is missing or cannot be used."""


def origin_of(url: str, name: str) -> str:
    """The origin (``scheme://host[:port]``) of an http(s) URL.

    Args:
        url: The URL.
        name: The setting's name, for the error message.

    Returns:
        The origin, without a trailing slash.

    Raises:
        SettingsError: The URL is not an absolute http(s) URL.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"{name} must be an absolute http(s) URL: {url!r}")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise SettingsError(f"{name} must not carry credentials, a query or a fragment")
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class ShopSettings:
    """What the page server reads from the environment.

    Attributes:
        identity_secret: The HS256 secret shared with rasa's socket.io channel (never sent
            to the browser).
        rasa_url: Rasa's base URL as the browser reaches it (the widget's ``server``).
        console_url: The console's base URL; it serves the widget at ``/widget/widget.js``.
        catalog_file: The catalog shown in the grid.
        catalog_mapping: A mapping file for a non-canonical catalog, or ``None``.
        images_dir: The product images, served under ``/static/products/``.
        token_ttl: Seconds a signed customer token stays valid.
    """

    identity_secret: str = field(repr=False)
    rasa_url: str = DEFAULT_RASA_URL
    console_url: str = DEFAULT_CONSOLE_URL
    catalog_file: Path = DEFAULT_CATALOG
    catalog_mapping: Path | None = None
    images_dir: Path = DEFAULT_IMAGES
    token_ttl: int = DEFAULT_TOKEN_TTL

    def __post_init__(self) -> None:
        """Check the values (a bad URL or TTL fails at start, not on the first page)."""
        if not self.identity_secret:
            raise SettingsError("IDENTITY_JWT_SECRET must be set (signs the customer tokens)")
        origin_of(self.rasa_url, "the rasa URL")
        origin_of(self.console_url, "the console URL")
        if not MIN_TOKEN_TTL <= self.token_ttl <= MAX_TOKEN_TTL:
            raise SettingsError(
                f"SHOP_TOKEN_TTL must be between {MIN_TOKEN_TTL} and {MAX_TOKEN_TTL} seconds"
            )

    @property
    def rasa_origin(self) -> str:
        """Rasa's origin (for the page's connect-src)."""
        return origin_of(self.rasa_url, "the rasa URL")

    @property
    def console_origin(self) -> str:
        """The console's origin (for the page's script-src)."""
        return origin_of(self.console_url, "the console URL")

    @property
    def widget_script_url(self) -> str:
        """The widget's script as the console serves it."""
        return f"{self.console_url.rstrip('/')}/widget/widget.js"


def _first(env: Mapping[str, str], *names: str) -> str:
    for name in names:
        value = env.get(name, "").strip()
        if value:
            return value
    return ""


def load_settings(
    environ: Mapping[str, str] | None = None,
    *,
    rasa_url: str | None = None,
    console_url: str | None = None,
) -> ShopSettings:
    """Build the settings from environment variables (see the module's table).

    Args:
        environ: The environment to read; ``os.environ`` when omitted.
        rasa_url: The ``--rasa-url`` flag: used unless ``SHOP_RASA_URL`` is set (the URL
            browsers use when it differs from the stack's own, e.g. behind a proxy).
        console_url: The ``--console-url`` flag: used unless ``SHOP_CONSOLE_URL`` is set.

    Returns:
        The settings.

    Raises:
        SettingsError: A required value is missing or a value cannot be used.
    """
    env = os.environ if environ is None else environ
    raw_ttl = env.get("SHOP_TOKEN_TTL", "").strip() or str(DEFAULT_TOKEN_TTL)
    if not raw_ttl.isdigit():
        raise SettingsError(f"SHOP_TOKEN_TTL must be a whole number of seconds: {raw_ttl!r}")
    catalog = _first(env, "CATALOG_FILE", "CATALOG")
    mapping = _first(env, "CATALOG_MAPPING")
    images = _first(env, "SHOP_IMAGES_DIR")
    return ShopSettings(
        identity_secret=env.get("IDENTITY_JWT_SECRET", "").strip(),
        rasa_url=(
            _first(env, "SHOP_RASA_URL") or rasa_url or _first(env, "RASA_URL") or DEFAULT_RASA_URL
        ),
        console_url=(
            _first(env, "SHOP_CONSOLE_URL")
            or console_url
            or _first(env, "CONSOLE_URL")
            or DEFAULT_CONSOLE_URL
        ),
        catalog_file=_path(catalog) if catalog else DEFAULT_CATALOG,
        catalog_mapping=_path(mapping) if mapping else None,
        images_dir=_path(images) if images else DEFAULT_IMAGES,
        token_ttl=int(raw_ttl),
    )


def _path(value: str) -> Path:
    """A path from the environment; relative ones are relative to the repository."""
    path = Path(value)
    return path if path.is_absolute() else REPO_ROOT / path
