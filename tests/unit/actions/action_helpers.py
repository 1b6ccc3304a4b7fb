"""Helpers for action tests: trackers from JSON fixtures, a multi-turn driver, checks."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

FIXTURES = Path(__file__).parent / "fixtures"
_PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")


def check_renderable(
    messages: list[dict[str, Any]], responses: dict[str, list[dict[str, Any]]]
) -> None:
    """Every message names an existing response and fills all of its placeholders."""
    for message in messages:
        name = message.get("response")
        if name is None:
            assert message.get("custom"), f"message without response or payload: {message}"
            continue
        assert name in responses, f"{name} is not in the domain"
        for variant in responses[name]:
            for placeholder in _PLACEHOLDER_RE.findall(variant.get("text", "")):
                assert placeholder in message, f"{name} needs {{{placeholder}}}"


# --- trackers ------------------------------------------------------------------------


def load_fixture(name: str) -> dict[str, Any]:
    """A JSON fixture from ``fixtures/``."""
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def tracker_from(state: dict[str, Any]) -> Tracker:
    """Build a Tracker from a fixture state.

    Keys: ``slots``, ``latest_message`` (text, intent, entities, metadata), ``events``,
    ``latest_input_channel`` (stamped on the latest user event, added when missing),
    ``active_loop``.
    """
    state = copy.deepcopy(state)
    latest = state.get("latest_message") or {}
    events: list[dict[str, Any]] = state.get("events") or []
    channel = state.get("latest_input_channel")
    if not any(e.get("event") == "user" for e in events):
        events.append(
            {
                "event": "user",
                "text": latest.get("text"),
                "parse_data": latest,
                "input_channel": channel,
                "metadata": latest.get("metadata") or {},
            }
        )
    elif channel is not None:
        for event in reversed(events):
            if event.get("event") == "user":
                event["input_channel"] = channel
                break
    return Tracker.from_dict(
        {
            "sender_id": state.get("sender_id", "test-user"),
            "slots": state.get("slots") or {},
            "latest_message": latest,
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": state.get("active_loop") or {},
            "latest_action_name": state.get("latest_action_name", "action_listen"),
        }
    )


async def run_action(
    action: Action, tracker: Tracker, domain: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run an action with a fresh dispatcher; return (events, messages)."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain)
    return events, dispatcher.messages


class Conversation:
    """Plays turns against actions, carrying slots and events like Rasa does."""

    def __init__(self, domain: dict[str, Any], channel: str = "socketio") -> None:
        self.domain = domain
        self.channel = channel
        self.slots: dict[str, Any] = {name: None for name in domain["slots"]}
        self.events: list[dict[str, Any]] = []
        self.latest: dict[str, Any] = {}

    def user(self, message: dict[str, Any]) -> None:
        """The shopper says something (``text``, ``intent``, ``entities``)."""
        self.latest = {
            "text": message["text"],
            "intent": {"name": message.get("intent", "search_product"), "confidence": 1.0},
            "entities": message.get("entities", []),
            "metadata": message.get("metadata", {}),
        }
        for key in ("language", "sentiment", "message_id"):
            if key in message:
                self.latest[key] = message[key]
        for key in ("language",):
            if key in message:
                self.slots[key] = message[key]
        self.events.append({"event": "action", "name": "action_listen"})
        self.events.append(
            {
                "event": "user",
                "text": message["text"],
                "parse_data": self.latest,
                "input_channel": self.channel,
                "metadata": self.latest["metadata"],
            }
        )

    def tracker(self) -> Tracker:
        return tracker_from(
            {
                "slots": self.slots,
                "latest_message": self.latest,
                "events": self.events,
            }
        )

    async def run(self, action: Action) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Run an action and apply its events."""
        events, messages = await run_action(action, self.tracker(), self.domain)
        self.events.append({"event": "action", "name": action.name()})
        for event in events:
            self.events.append(event)
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
        return events, messages


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots an action set, as a dict (last value wins)."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def carousel(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The products of the (single) carousel payload among the messages."""
    payloads = [m["custom"] for m in messages if m.get("custom")]
    assert len(payloads) == 1, f"expected one carousel, got {len(payloads)}"
    assert payloads[0]["type"] == "product_carousel"
    products: list[dict[str, Any]] = payloads[0]["products"]
    return products


def response_names(messages: list[dict[str, Any]]) -> list[str]:
    """The response names of the messages, in order."""
    return [m["response"] for m in messages if m.get("response")]
