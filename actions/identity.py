"""Who the shopper is: only the channel's verified claim, never what they type."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

__all__ = ["CUSTOMER_ID_KEY", "verified_customer_id"]

#: Message-metadata key the project's channel fills with the verified customer id.
CUSTOMER_ID_KEY = "customer_id"


def _from_metadata(metadata: Any) -> str | None:
    if isinstance(metadata, dict):
        value = metadata.get(CUSTOMER_ID_KEY)
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()
    return None


def verified_customer_id(tracker: Tracker) -> str | None:
    """The verified customer id from the latest user message's metadata.

    The project's socketio channel overwrites ``metadata.customer_id`` with the id from
    the verified token, so the value cannot be chosen by the shopper.

    Args:
        tracker: The conversation tracker.

    Returns:
        The customer id, or ``None`` for anonymous shoppers.
    """
    found = _from_metadata(tracker.latest_message.get("metadata"))
    if found:
        return found
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            return _from_metadata(event.get("metadata"))
    return None
