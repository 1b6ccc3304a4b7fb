"""Settings of the action server, read from the environment once per process.

Catalog, chroma and index settings belong to ``catalog_index.settings``; this module
only holds what the actions themselves decide. Tests set the environment (or build an
``ActionSettings`` directly) before anything calls :func:`get_settings`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = [
    "ActionSettings",
    "get_settings",
    "DEFAULT_CONSOLE_URL",
    "DEFAULT_RICH_CHANNELS",
    "DEFAULT_HANDOFF_QUEUE",
    "DEFAULT_PROFILES_URL",
]

#: Channels whose output renders the carousel payload: the widget and REST clients render the
#: cards; the messaging channels' outputs turn them into their native format or a numbered
#: list (``formats/``).
DEFAULT_RICH_CHANNELS = frozenset({"socketio", "rest", "telegram", "slack", "facebook", "twilio"})
#: Where ``make run`` starts the profile service.
DEFAULT_PROFILES_URL = "http://127.0.0.1:8300"
#: Where ``make run`` starts the handoff console.
DEFAULT_CONSOLE_URL = "http://127.0.0.1:8400"
#: Cases the console could not take yet (JSON lines), retried until it can.
DEFAULT_HANDOFF_QUEUE = Path(__file__).resolve().parent.parent / "var" / "handoff" / "pending.jsonl"


@dataclass(frozen=True)
class ActionSettings:
    """What the actions read from the environment.

    Attributes:
        rich_channels: Input channels that render the product carousel payload; every
            other channel gets the numbered text list.
        search_page_size: Products shown per search page.
        profiles_url: Base URL of the profile service (customers, orders, consent).
        profiles_token: The profile service's token (a secret: never logged).
        warm_search: Whether ``python -m actions`` loads the search index before it
            accepts requests.
        business_date: A fixed "today" for order rules (demos and tests; the profile
            service reads the same ``PROFILES_TODAY``); ``None`` means the real date.
        console_url: Base URL of the handoff console's service API.
        console_token: The console's service token (a secret: never logged).
        handoff_queue: The JSON-lines file of cases waiting for the console.
        handoff_retry_interval: Seconds between retries of waiting cases.
        escalation_config: The escalation rules' file (``assistant/escalation.yml``).
    """

    rich_channels: frozenset[str] = DEFAULT_RICH_CHANNELS
    search_page_size: int = 5
    profiles_url: str = DEFAULT_PROFILES_URL
    profiles_token: str = field(default="", repr=False)
    warm_search: bool = True
    business_date: dt.date | None = None
    console_url: str = DEFAULT_CONSOLE_URL
    console_token: str = field(default="", repr=False)
    handoff_queue: Path = DEFAULT_HANDOFF_QUEUE
    handoff_retry_interval: float = 30.0
    escalation_config: Path | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ActionSettings:
        """Build the settings from environment variables.

        Variables: ``RICH_CHANNELS`` (comma separated, default
        ``socketio,rest,telegram,slack,facebook,twilio``),
        ``SEARCH_PAGE_SIZE`` (default 5, 1-20), ``PROFILES_URL`` (default
        ``http://127.0.0.1:8300``), ``PROFILES_TOKEN``, ``ACTIONS_WARM_SEARCH``
        (``1``/``0``, default ``1``), ``CONSOLE_URL`` (default ``http://127.0.0.1:8400``),
        ``CONSOLE_TOKEN``, ``HANDOFF_QUEUE`` (default ``var/handoff/pending.jsonl``),
        ``HANDOFF_RETRY_INTERVAL`` (seconds, default 30), ``ESCALATION_CONFIG`` (default
        ``assistant/escalation.yml``).

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
            for part in env.get("RICH_CHANNELS", ",".join(sorted(DEFAULT_RICH_CHANNELS))).split(",")
            if part.strip()
        )
        raw_size = env.get("SEARCH_PAGE_SIZE", "5").strip()
        try:
            page_size = int(raw_size)
        except ValueError:
            raise ValueError(f"SEARCH_PAGE_SIZE must be an integer, got {raw_size!r}") from None
        if not 1 <= page_size <= 20:
            raise ValueError(f"SEARCH_PAGE_SIZE must be between 1 and 20, got {page_size}")
        warm = env.get("ACTIONS_WARM_SEARCH", "1").strip().lower() not in {"0", "false", "no"}
        raw_today = env.get("PROFILES_TODAY", "").strip()
        try:
            business_date = dt.date.fromisoformat(raw_today) if raw_today else None
        except ValueError:
            raise ValueError(f"PROFILES_TODAY must be YYYY-MM-DD, got {raw_today!r}") from None
        raw_interval = env.get("HANDOFF_RETRY_INTERVAL", "30").strip()
        try:
            interval = float(raw_interval)
        except ValueError:
            raise ValueError(
                f"HANDOFF_RETRY_INTERVAL must be a number, got {raw_interval!r}"
            ) from None
        if not 1 <= interval <= 3600:
            raise ValueError(f"HANDOFF_RETRY_INTERVAL must be 1-3600 seconds, got {interval}")
        queue = env.get("HANDOFF_QUEUE", "").strip()
        escalation = env.get("ESCALATION_CONFIG", "").strip()
        return cls(
            rich_channels=channels,
            search_page_size=page_size,
            profiles_url=env.get("PROFILES_URL", "").strip() or DEFAULT_PROFILES_URL,
            profiles_token=env.get("PROFILES_TOKEN", "").strip(),
            warm_search=warm,
            business_date=business_date,
            console_url=env.get("CONSOLE_URL", "").strip() or DEFAULT_CONSOLE_URL,
            console_token=env.get("CONSOLE_TOKEN", "").strip(),
            handoff_queue=Path(queue) if queue else DEFAULT_HANDOFF_QUEUE,
            handoff_retry_interval=interval,
            escalation_config=Path(escalation) if escalation else None,
        )


@lru_cache(maxsize=1)
def get_settings() -> ActionSettings:
    """The process-wide settings, read from the environment on first use.

    Returns:
        The settings.
    """
    return ActionSettings.from_env()
