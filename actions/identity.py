"""Who the shopper is: only verified data, never what they type or a sender id they chose.

Two sources are trusted:

- The project's socket.io channel (``assistant/channels/socketio.py``) verifies the shop's
  signed token and writes ``metadata.customer_id`` and ``metadata.identity.verified`` on
  every message, overwriting whatever the browser sent. Only messages that came in through
  that channel are read this way.
- Messaging platforms (Telegram, Slack, Messenger, WhatsApp through Twilio) authenticate
  their users themselves; their user id (Rasa's sender id on those channels) is linked to a
  customer in the profile service (``/v1/channel-identities``).

Everything else (the REST channel, unknown channels) is an anonymous shopper.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Protocol, cast

from rasa_sdk import Tracker

__all__ = [
    "CUSTOMER_ID_KEY",
    "VERIFIED_CHANNELS",
    "MESSAGING_CHANNELS",
    "ChannelDirectory",
    "IdentityResolver",
    "verified_customer_id",
]

logger = logging.getLogger(__name__)

#: Message-metadata key the project's channel fills with the verified customer id.
CUSTOMER_ID_KEY = "customer_id"
#: Input channels whose metadata the project's own channel code verified.
VERIFIED_CHANNELS = frozenset({"socketio"})
#: Input channels whose sender id is a platform-authenticated user id.
MESSAGING_CHANNELS = frozenset({"telegram", "slack", "facebook", "twilio"})


def _latest_user_event(tracker: Tracker) -> dict[str, Any] | None:
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            return cast(dict[str, Any], event)
    return None


def _from_metadata(metadata: Any) -> str | None:
    if not isinstance(metadata, dict):
        return None
    identity = metadata.get("identity")
    if not (isinstance(identity, dict) and identity.get("verified") is True):
        return None
    value = metadata.get(CUSTOMER_ID_KEY)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def verified_customer_id(tracker: Tracker) -> str | None:
    """The customer id the socket.io channel verified for the latest message.

    Args:
        tracker: The conversation tracker.

    Returns:
        The customer id, or ``None`` (anonymous, or a channel that verifies nothing).
    """
    event = _latest_user_event(tracker)
    if event is None or event.get("input_channel") not in VERIFIED_CHANNELS:
        return None
    return _from_metadata(event.get("metadata"))


class ChannelDirectory(Protocol):
    """Looks up which customer a messaging-platform user is linked to."""

    async def customer_for_channel(self, channel: str, external_id: str) -> str | None:
        """The linked customer id, or ``None``.

        Args:
            channel: ``telegram``, ``slack``, ``facebook`` or ``twilio``.
            external_id: The platform's user id (Rasa's sender id on that channel).
        """
        ...

    async def record_conversation(self, customer_id: str, sender_id: str, channel: str) -> None:
        """Remember that a conversation belongs to a customer (to erase it on request).

        Args:
            customer_id: The customer.
            sender_id: Rasa's conversation id.
            channel: The input channel.
        """
        ...


class IdentityResolver:
    """Resolves the customer of a conversation, caching channel links for a while."""

    def __init__(self, directory: ChannelDirectory, ttl: float = 300.0) -> None:
        """Create the resolver.

        Args:
            directory: The profile service's channel-identity look-up.
            ttl: Seconds a looked-up link (or its absence) is reused.
        """
        self._directory = directory
        self._ttl = ttl
        self._links: dict[tuple[str, str], tuple[float, str | None]] = {}
        self._recorded: set[tuple[str, str]] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def customer_id(self, tracker: Tracker) -> str | None:
        """The verified customer of the conversation, or ``None`` for anonymous shoppers.

        A failing profile service makes the shopper anonymous for this turn.

        Args:
            tracker: The conversation tracker.

        Returns:
            The customer id, or ``None``.
        """
        event = _latest_user_event(tracker)
        if event is None:
            return None
        channel = str(event.get("input_channel") or "")
        if channel in VERIFIED_CHANNELS:
            found = _from_metadata(event.get("metadata"))
        elif channel in MESSAGING_CHANNELS and tracker.sender_id:
            found = await self._linked(channel, str(tracker.sender_id))
        else:
            return None
        if found is not None:
            await self._record(found, str(tracker.sender_id), channel)
        return found

    async def _linked(self, channel: str, external_id: str) -> str | None:
        key = (channel, external_id)
        cached = self._links.get(key)
        now = time.monotonic()
        if cached is not None and now - cached[0] < self._ttl:
            return cached[1]
        try:
            found = await self._directory.customer_for_channel(channel, external_id)
        except Exception as exc:  # noqa: BLE001 - an unknown customer is the safe answer
            logger.warning("channel link look-up failed (%s)", type(exc).__name__)
            return None
        self._links[key] = (now, found)
        return found

    async def _record(self, customer_id: str, sender_id: str, channel: str) -> None:
        """Record the conversation in the background: the reply does not wait for it."""
        key = (customer_id, sender_id)
        if key in self._recorded:
            return
        self._recorded.add(key)
        task = asyncio.create_task(self._send_record(key, channel))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send_record(self, key: tuple[str, str], channel: str) -> None:
        try:
            await self._directory.record_conversation(key[0], key[1], channel)
        except Exception as exc:  # noqa: BLE001 - recorded on a later turn instead
            logger.warning("could not record the conversation (%s)", type(exc).__name__)
            self._recorded.discard(key)

    async def settle(self) -> None:
        """Wait for background recordings (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def forget(self, customer_id: str) -> None:
        """Drop cached links of a customer (after erasure).

        Args:
            customer_id: The erased customer.
        """
        self._links = {k: v for k, v in self._links.items() if v[1] != customer_id}
        self._recorded = {k for k in self._recorded if k[0] != customer_id}
