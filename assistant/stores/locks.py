"""Conversation lock stores that retry every 50 ms instead of every second.

Rasa serialises the work on one conversation with a ticket lock. Whoever finds the lock taken
(a shopper's message while an agent's reply is being written through the HTTP API, or two
messages in a row) polls it again after ``wait_time_in_seconds``, which Rasa 3.6 leaves at its
default of 1 s: every collision adds up to a second to a message, and a handoff has many (the
console writes replies into conversations the shopper is typing in). These subclasses only
change that default; ``wait_seconds`` in the endpoint configuration sets it.

In ``endpoints.yml``::

    lock_store:
      type: assistant.stores.locks.QuickInMemoryLockStore
      wait_seconds: 0.05
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

__all__ = ["DEFAULT_WAIT_SECONDS", "QuickInMemoryLockStore", "QuickRedisLockStore"]

DEFAULT_WAIT_SECONDS = 0.05


def _wait_seconds(kwargs: dict[str, Any]) -> float:
    value = float(kwargs.pop("wait_seconds", DEFAULT_WAIT_SECONDS))
    if not 0.001 <= value <= 5:
        raise ValueError(f"lock_store wait_seconds must be 0.001-5 seconds, got {value}")
    return value


class _QuickRetry(LockStore):
    """The retry interval: ``wait_seconds`` unless the caller gives one."""

    wait_seconds: float = DEFAULT_WAIT_SECONDS

    def lock(  # type: ignore[override]
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float | None = None,
    ) -> AbstractAsyncContextManager[TicketLock]:
        """Rasa's lock, retried every ``wait_seconds`` unless the caller says otherwise."""
        wait = self.wait_seconds if wait_time_in_seconds is None else wait_time_in_seconds
        return super().lock(conversation_id, lock_lifetime, wait)


class QuickInMemoryLockStore(_QuickRetry, InMemoryLockStore):
    """Rasa's in-memory lock store (one process) with a short retry interval."""

    def __init__(self, endpoint_config: EndpointConfig | None = None) -> None:
        """Read ``wait_seconds`` from the endpoint configuration.

        Args:
            endpoint_config: The ``lock_store`` section of ``endpoints.yml``.
        """
        super().__init__()
        self.wait_seconds = _wait_seconds(dict(endpoint_config.kwargs) if endpoint_config else {})


class QuickRedisLockStore(_QuickRetry, RedisLockStore):
    """Rasa's Redis lock store (several replicas) with a short retry interval."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        """Connect as Rasa's ``type: redis`` does, plus ``wait_seconds``.

        Args:
            endpoint_config: The ``lock_store`` section (``url`` is the Redis host).
        """
        kwargs = dict(endpoint_config.kwargs)
        self.wait_seconds = _wait_seconds(kwargs)
        super().__init__(host=endpoint_config.url, **kwargs)
