"""Settings of the action server, read from the environment once per process.

Catalog, chroma and index settings belong to ``catalog_index.settings``; this module
only holds what the actions themselves decide. Tests set the environment (or build an
``ActionSettings`` directly) before anything calls :func:`get_settings`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["ActionSettings", "get_settings", "DEFAULT_ORDERS_FIXTURE"]

#: The demo orders shipped with the package.
DEFAULT_ORDERS_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "orders.json"


@dataclass(frozen=True)
class ActionSettings:
    """What the actions read from the environment.

    Attributes:
        rich_channels: Input channels that render the product carousel payload; every
            other channel gets the numbered text list.
        search_page_size: Products shown per search page.
        orders_fixture: JSON file the fixture orders client answers from.
        warm_search: Whether ``python -m actions`` loads the search index before it
            accepts requests.
    """

    rich_channels: frozenset[str] = frozenset({"socketio", "rest"})
    search_page_size: int = 5
    orders_fixture: Path = DEFAULT_ORDERS_FIXTURE
    warm_search: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ActionSettings:
        """Build the settings from environment variables.

        Variables: ``RICH_CHANNELS`` (comma separated, default ``socketio,rest``),
        ``SEARCH_PAGE_SIZE`` (default 5, 1-20), ``ORDERS_FIXTURE`` (a path),
        ``ACTIONS_WARM_SEARCH`` (``1``/``0``, default ``1``).

        Args:
            environ: The environment to read; ``os.environ`` when omitted.

        Returns:
            The settings.

        Raises:
            ValueError: A variable has a value that cannot be used.
        """
        env = os.environ if environ is None else environ
        channels = frozenset(
            part.strip().lower()
            for part in env.get("RICH_CHANNELS", "socketio,rest").split(",")
            if part.strip()
        )
        raw_size = env.get("SEARCH_PAGE_SIZE", "5").strip()
        try:
            page_size = int(raw_size)
        except ValueError:
            raise ValueError(f"SEARCH_PAGE_SIZE must be an integer, got {raw_size!r}") from None
        if not 1 <= page_size <= 20:
            raise ValueError(f"SEARCH_PAGE_SIZE must be between 1 and 20, got {page_size}")
        fixture = env.get("ORDERS_FIXTURE", "").strip()
        warm = env.get("ACTIONS_WARM_SEARCH", "1").strip().lower() not in {"0", "false", "no"}
        return cls(
            rich_channels=channels,
            search_page_size=page_size,
            orders_fixture=Path(fixture) if fixture else DEFAULT_ORDERS_FIXTURE,
            warm_search=warm,
        )


@lru_cache(maxsize=1)
def get_settings() -> ActionSettings:
    """The process-wide settings, read from the environment on first use.

    Returns:
        The settings.
    """
    return ActionSettings.from_env()
