"""Shared pieces of the messaging-channel tests: cards, the environment, a real tracker store.

The channels run on a real Sanic server (``channel_harness.serve``, registered as Rasa does it);
their outbound HTTP goes to :class:`tests.support.fake_platform.FakePlatform` on loopback. The
recorded webhook payloads and their signatures (computed from the platforms' documented
algorithms, not with the code under test) come from ``tests/support/platform_payloads.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import aiohttp
import pytest
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from formats.cards import card_buttons
from tests.support.fake_platform import FakePlatform
from tests.support.platform_payloads import (  # noqa: F401 - re-exported for the channel tests
    CHAT_ID,
    hub_signature,
    messenger_event,
    messenger_postback,
    slack_action,
    slack_event,
    slack_headers,
    telegram_callback,
    telegram_update,
    twilio_form,
    twilio_signature,
)
from tests.unit.channels.channel_harness import Running


def card(product_id: str, title: str, **extra: Any) -> dict[str, Any]:
    """A carousel card as the actions send it."""
    value: dict[str, Any] = {
        "id": product_id,
        "title": title,
        "brand": "Trailforge",
        "category": "running shoes",
        "price": 89.0,
        "currency": "USD",
        "price_text": "$89",
        "rating": 4.6,
        "review_count": 120,
        "in_stock": True,
        "image_url": "/static/products/running-shoes.svg",
        "url": f"/products/{product_id}",
        "colours_in_stock": ["red"],
        "sizes_in_stock": ["9", "10"],
        "buttons": card_buttons(product_id, extra.pop("language", "en")),
    }
    value.update(extra)
    return value


def carousel(*cards: dict[str, Any], language: str = "en") -> dict[str, Any]:
    """A product carousel payload."""
    return {"type": "product_carousel", "language": language, "products": list(cards)}


CAROUSEL = carousel(
    card("TF-RS-0001", "Fastpack Pro Running Shoe"),
    card(
        "TF-RS-0002",
        "Tempo Racer",
        image_url="https://cdn.shop.example/tempo.png",
        reason="you usually buy size 10",
    ),
)


# -- the platform, the environment and the server ---------------------------------------------


def set_env(monkeypatch: pytest.MonkeyPatch, platform: FakePlatform, **values: str) -> None:
    """Clear every channel variable, then set the given ones and the platform's API addresses."""
    for name in (
        "TELEGRAM_TOKEN TELEGRAM_VERIFY TELEGRAM_WEBHOOK_URL TELEGRAM_SECRET_TOKEN "
        "TELEGRAM_SET_WEBHOOK SLACK_TOKEN SLACK_SIGNING_SECRET FACEBOOK_VERIFY FACEBOOK_SECRET "
        "FACEBOOK_PAGE_ACCESS_TOKEN TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN TWILIO_NUMBER "
        "TWILIO_WEBHOOK_URL SHOP_PUBLIC_URL"
    ).split():
        monkeypatch.delenv(name, raising=False)
    for name, value in {**platform.environment(), **values}.items():
        monkeypatch.setenv(name, value)


async def post(
    running: Running,
    path: str,
    *,
    json_body: Any = None,
    data: bytes | str | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, str]:
    """POST to the channel server; returns the status and the body text."""
    async with aiohttp.ClientSession() as http:
        async with http.post(
            running.url + path, json=json_body, data=data, headers=dict(headers or {})
        ) as answer:
            return answer.status, await answer.text()


async def get(running: Running, path: str) -> tuple[int, str]:
    """GET from the channel server."""
    async with aiohttp.ClientSession() as http:
        async with http.get(running.url + path) as answer:
            return answer.status, await answer.text()


# -- a real tracker store holding what the bot offered ---------------------------------------


async def store_with(sender_id: str, *bot_messages: dict[str, Any]) -> InMemoryTrackerStore:
    """An in-memory tracker store whose conversation ends with these bot messages."""
    store = InMemoryTrackerStore(Domain.empty())
    events: list[Event] = [
        ActionExecuted("action_listen"),
        UserUttered("show me running shoes", {"name": "search_products", "confidence": 1.0}),
    ]
    for message in bot_messages:
        data = {k: v for k, v in message.items() if k != "text"}
        events.append(BotUttered(message.get("text"), data))
    events.append(ActionExecuted("action_listen"))
    await store.save(DialogueStateTracker.from_events(sender_id, events))
    return store


@contextmanager
def no_platform_calls(platform: FakePlatform) -> Iterator[None]:
    """Asserts that nothing reached the platform inside the block."""
    before = len(platform.calls)
    yield
    assert platform.calls[before:] == []
