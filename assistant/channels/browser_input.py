"""What the socket.io channel accepts from browsers: metadata, page origins, re-sent messages.

- :func:`allowed_client_metadata`: the allow-listed client metadata passed on to Rasa.
- :func:`allowed_origins`: the page origins a browser may connect from (``WIDGET_ORIGINS``).
- :class:`RecentClientIds`: the widget's message ids seen lately, so a message re-sent after
  a reconnect is handled once.
"""

from __future__ import annotations

import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

__all__ = [
    "ALLOWED_METADATA_KEYS",
    "DEFAULT_ORIGINS_ENV",
    "RecentClientIds",
    "allowed_client_metadata",
    "allowed_origins",
    "client_id",
]

logger = logging.getLogger(__name__)

#: Client metadata keys that are passed on; everything else is dropped.
ALLOWED_METADATA_KEYS = ("language", "page", "widget_version")
#: Longest kept client metadata string value.
MAX_METADATA_VALUE_CHARS = 512
#: Environment variable with the page origins allowed to connect (``origins_env`` renames it).
DEFAULT_ORIGINS_ENV = "WIDGET_ORIGINS"
#: A repeated ``client_id`` within this many seconds is dropped.
CLIENT_ID_TTL_SECONDS = 300.0
#: At most this many client ids are remembered (the oldest are forgotten first).
MAX_REMEMBERED_CLIENT_IDS = 10_000
_CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
_ORIGIN = re.compile(r"https?://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?", re.IGNORECASE)


def allowed_client_metadata(raw: object) -> dict[str, Any]:
    """The client metadata that is passed on: allow-listed keys with short scalar values.

    Args:
        raw: The client's metadata; anything but a mapping gives ``{}``.

    Returns:
        A new dict with at most the keys of :data:`ALLOWED_METADATA_KEYS`.
    """
    metadata: dict[str, Any] = {}
    if isinstance(raw, Mapping):
        for key in ALLOWED_METADATA_KEYS:
            value = raw.get(key)
            if isinstance(value, str):
                metadata[key] = value[:MAX_METADATA_VALUE_CHARS]
            elif isinstance(value, (bool, int, float)):
                metadata[key] = value
    return metadata


def allowed_origins(configured: object, env_value: str | None) -> list[str] | str | None:
    """The page origins browsers may connect from, as python-engineio takes them.

    Args:
        configured: ``cors_allowed_origins`` from ``credentials.yml`` (a list or a comma
            separated string; anything else is ignored).
        env_value: The value of the origins variable (comma separated), or ``None``.

    Returns:
        ``"*"`` (any origin; logged as a warning), a list of origins, or ``None`` when none is
        configured: python-engineio then only accepts the channel's own origin (a browser on
        another origin is refused; clients that send no ``Origin``, such as servers, are not
        affected).
    """
    entries: list[str] = []
    for source in (configured, env_value):
        if isinstance(source, str):
            entries.extend(source.split(","))
        elif isinstance(source, (list, tuple)):
            entries.extend(str(item) for item in source)
    origins: list[str] = []
    for entry in entries:
        origin = entry.strip().rstrip("/")
        if not origin:
            continue
        if origin == "*":
            logger.warning(
                "socketio: any web page may open the chat (allowed origins '*'); "
                "list the shop's origins in %s instead",
                DEFAULT_ORIGINS_ENV,
            )
            return "*"
        if _ORIGIN.fullmatch(origin) is None:
            logger.warning(
                "socketio: ignoring allowed origin %r (expected scheme://host[:port])", origin
            )
            continue
        scheme, _, rest = origin.partition("://")
        normalised = f"{scheme.lower()}://{rest.lower()}"
        if normalised not in origins:
            origins.append(normalised)
    return origins or None


def client_id(data: Mapping[str, Any]) -> str | None:
    """The widget's id of a message (``client_id``), when it has a well-formed one.

    Args:
        data: The ``user_uttered`` payload.

    Returns:
        The id, or ``None``.
    """
    value = data.get("client_id")
    if isinstance(value, str) and _CLIENT_ID.fullmatch(value):
        return value
    return None


class RecentClientIds:
    """The client ids seen per conversation in the last minutes (bounded, in memory).

    Per process: with several rasa replicas behind sticky sessions a re-sent message reaches
    the same replica as long as the socket does.
    """

    def __init__(
        self,
        ttl: float = CLIENT_ID_TTL_SECONDS,
        max_entries: int = MAX_REMEMBERED_CLIENT_IDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Create an empty set.

        Args:
            ttl: Seconds a client id is remembered.
            max_entries: Most ids kept; the oldest go first.
            clock: Seconds, monotonic.
        """
        self._ttl = ttl
        self._max_entries = max_entries
        self._clock = clock
        self._seen: OrderedDict[tuple[str, str], float] = OrderedDict()

    def __len__(self) -> int:
        """How many ids are remembered."""
        return len(self._seen)

    def seen_before(self, conversation: str, client_id: str) -> bool:
        """Whether the id was seen for the conversation recently; remembers it if not.

        Args:
            conversation: The conversation's sender id.
            client_id: The message's client id.

        Returns:
            True for a repeat within the time to live.
        """
        now = self._clock()
        while self._seen:
            oldest_key, expires = next(iter(self._seen.items()))
            if expires > now and len(self._seen) < self._max_entries:
                break
            del self._seen[oldest_key]
        key = (conversation, client_id)
        if key in self._seen:
            return True
        self._seen[key] = now + self._ttl
        return False
