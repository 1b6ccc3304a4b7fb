"""A bare number picks the option it names, read from a real tracker store."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.channels.options import OptionChoices, OptionChooser, last_offered_options
from formats.cards import payload
from tests.unit.channels.channel_harness import serve
from tests.unit.channels.messaging_harness import CAROUSEL, store_with

BUTTONS = {
    "text": "Which size?",
    "buttons": [
        {"title": "9", "payload": '/inform{"size":"9"}'},
        {"title": "10", "payload": '/inform{"size":"10"}'},
    ],
}


def test_the_last_message_with_options_counts() -> None:
    events = [
        BotUttered("results", {"custom": CAROUSEL}),
        UserUttered("hm"),
        BotUttered("Which size?", {"buttons": BUTTONS["buttons"]}),
        BotUttered("Take your time"),
    ]
    assert last_offered_options(events) == ['/inform{"size":"9"}', '/inform{"size":"10"}']
    assert last_offered_options(events[:2]) == [
        payload("details", "TF-RS-0001"),
        payload("details", "TF-RS-0002"),
    ]


def test_options_of_an_earlier_session_do_not_count() -> None:
    events = [BotUttered("results", {"custom": CAROUSEL}), SessionStarted(), BotUttered("hi")]
    assert last_offered_options(events) == []


class Collector:
    def __init__(self) -> None:
        self.texts: list[str | None] = []

    async def __call__(self, message: UserMessage) -> None:
        self.texts.append(message.text)


class App:
    """Stands for the Sanic app: only ``ctx.agent.tracker_store`` is read."""

    def __init__(self, store: Any) -> None:
        self.ctx = type("Ctx", (), {"agent": type("Agent", (), {"tracker_store": store})()})()


def choose(store: Any, *texts: str, sender: str = "shopper-1") -> list[str | None]:
    collector = Collector()
    chooser = OptionChooser(collector)
    chooser._app = App(store)  # type: ignore[assignment]

    async def main() -> None:
        for text in texts:
            await chooser(UserMessage(text, sender_id=sender))

    asyncio.run(main())
    return collector.texts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2", '/inform{"size":"10"}'),
        ("#1", '/inform{"size":"9"}'),
        (" 2. ", '/inform{"size":"10"}'),
        ("3", "3"),
        ("0", "0"),
        ("2 please", "2 please"),
        ("size 10", "size 10"),
    ],
)
def test_numbers_within_the_options_become_their_payload(text: str, expected: str) -> None:
    store = asyncio.run(store_with("shopper-1", BUTTONS))
    assert choose(store, text) == [expected]


def test_quick_replies_count_as_options() -> None:
    quick = {"text": "Ok?", "quick_replies": [{"title": "Yes", "payload": "/affirm"}]}
    store = asyncio.run(store_with("shopper-1", quick))
    assert choose(store, "1") == ["/affirm"]


def test_another_conversation_or_none_at_all_passes_the_number_on() -> None:
    store = asyncio.run(store_with("shopper-1", BUTTONS))
    assert choose(store, "1", sender="someone-else") == ["1"]
    assert choose(None, "1") == ["1"]
    assert choose(InMemoryTrackerStore(Domain.empty()), "1") == ["1"]


def test_a_failing_store_passes_the_number_on() -> None:
    class Broken:
        async def retrieve(self, sender_id: str) -> None:
            raise ConnectionError("database down")

    assert choose(Broken(), "2") == ["2"]


class ChoosingRest(OptionChoices, RestInput):
    """A channel that keeps its parent's blueprint (how socketio uses the mixin)."""


def test_the_mixin_wraps_a_parent_blueprint_on_a_real_server() -> None:
    async def main() -> None:
        async with serve(ChoosingRest()) as running:
            store = InMemoryTrackerStore(Domain.empty())
            await store.save(
                DialogueStateTracker.from_events(
                    "web-1",
                    [ActionExecuted("action_listen"), BotUttered("r", {"custom": CAROUSEL})],
                )
            )
            running.recorder.tracker_store = store
            async with aiohttp.ClientSession() as http:
                body = {"sender": "web-1", "message": "2"}
                async with http.post(running.url + "/webhooks/rest/webhook", json=body) as answer:
                    assert answer.status == 200
            assert running.recorder.messages[0].text == payload("details", "TF-RS-0002")

    asyncio.run(main())
