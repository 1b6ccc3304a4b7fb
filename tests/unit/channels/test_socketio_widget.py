"""What the chat widget needs from the socket.io channel: agent names, history, de-duplicated
re-sends and the allowed page origins. Served for real on loopback (tests/unit/channels/
channel_harness.py) and driven by socket.io clients; Rasa's in-memory tracker store holds the
conversations whose history is asked for.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import socketio
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.channels.browser_input import RecentClientIds, allowed_origins
from assistant.channels.history import MAX_HISTORY_MESSAGES, history_messages
from assistant.channels.socketio import VerifiedSocketIOInput
from assistant.channels.socketio_output import VerifiedSocketIOOutput
from tests.unit.channels.channel_harness import (
    SECRET,
    WAIT,
    Browser,
    Running,
    client_session_id,
    serve,
    token,
)

Scenario = Callable[[Running], Awaitable[None]]
SHOP = "http://shop.test:8080"


def run(scenario: Scenario, channel: VerifiedSocketIOInput | None = None) -> None:
    """Serve a fresh channel (with an in-memory tracker store) and run the scenario."""

    async def main() -> None:
        async with serve(channel or VerifiedSocketIOInput(secret=SECRET)) as running:
            running.recorder.tracker_store = InMemoryTrackerStore(Domain.empty())  # type: ignore[attr-defined]
            await scenario(running)

    asyncio.run(main())


class WidgetBrowser(Browser):
    """A browser tab that also collects ``history`` events and asks for acknowledgements."""

    def __init__(self, url: str, token: str | None = None, session_id: str | None = None):
        super().__init__(url, token=token, session_id=session_id or client_session_id())
        self.histories: asyncio.Queue[Any] = asyncio.Queue()

        @self.sio.on("history")
        async def on_history(data: Any) -> None:
            await self.histories.put(data)

    async def history(self) -> list[dict[str, Any]]:
        data = await asyncio.wait_for(self.histories.get(), WAIT)
        assert isinstance(data, dict)
        messages: list[dict[str, Any]] = data["messages"]
        return messages

    async def call(self, payload: Any) -> Any:
        """Send ``user_uttered`` and return the server's acknowledgement."""
        return await self.sio.call("user_uttered", payload, timeout=WAIT)


async def opened(
    running: Running, tok: str | None = None, session: str | None = None
) -> WidgetBrowser:
    browser = WidgetBrowser(running.url, token=tok, session_id=session)
    await browser.connect()
    await browser.start_session()
    return browser


def sender_of(running: Running) -> str:
    return running.recorder.messages[-1].sender_id


async def save(running: Running, sender_id: str, events: list[Event]) -> None:
    store = running.recorder.tracker_store  # type: ignore[attr-defined]
    await store.save(DialogueStateTracker.from_events(sender_id, events))


CAROUSEL = {
    "type": "product_carousel",
    "language": "en",
    "products": [
        {
            "id": "P1",
            "title": "Trail shoe",
            "price_text": "$100.00",
            "buttons": [
                {
                    "kind": "details",
                    "title": "Details",
                    "payload": '/product_details{"product_id":"P1"}',
                },
            ],
        }
    ],
}


# -- agent messages ---------------------------------------------------------------------------


def test_an_agents_message_carries_the_name_on_every_part() -> None:
    channel = VerifiedSocketIOInput(secret=SECRET)

    async def scenario(running: Running) -> None:
        browser = await opened(running, token("CUS-1"))
        await browser.say("hi")
        sender = sender_of(running)
        output = channel.get_output_channel()
        assert isinstance(output, VerifiedSocketIOOutput)
        # What rasa does for the console's bot event (execute_side_effects).
        event = BotUttered(
            "Hello, I'm Anna.\n\nHere is one:",
            data={"custom": CAROUSEL},
            metadata={"agent": "Anna"},
        )
        await output.send_response(sender, event.message())
        received = [await asyncio.wait_for(browser.replies.get(), WAIT) for _ in range(3)]
        assert received == [
            {"text": "Hello, I'm Anna.", "agent": {"name": "Anna"}},
            {"text": "Here is one:", "agent": {"name": "Anna"}},
            {"custom": CAROUSEL, "agent": {"name": "Anna"}},
        ]
        # The bot's own messages on the same output channel carry no agent.
        await output.send_response(sender, BotUttered("from the bot").message())
        assert await asyncio.wait_for(browser.replies.get(), WAIT) == {"text": "from the bot"}
        await browser.close()

    run(scenario, channel)


def test_agent_quick_replies_and_odd_agent_metadata() -> None:
    channel = VerifiedSocketIOInput(secret=SECRET)

    async def scenario(running: Running) -> None:
        browser = await opened(running)
        await browser.say("hi")
        sender = sender_of(running)
        output = channel.get_output_channel()
        assert output is not None
        buttons = [{"title": "Yes", "payload": "/affirm"}]
        await output.send_response(
            sender,
            BotUttered("Shall I?", data={"buttons": buttons}, metadata={"agent": " Bo "}).message(),
        )
        assert await asyncio.wait_for(browser.replies.get(), WAIT) == {
            "text": "Shall I?",
            "quick_replies": [{"content_type": "text", "title": "Yes", "payload": "/affirm"}],
            "agent": {"name": "Bo"},
        }
        for odd in ["", "   ", 42, None, {"name": ""}]:
            await output.send_response(sender, BotUttered("x", metadata={"agent": odd}).message())
            assert await asyncio.wait_for(browser.replies.get(), WAIT) == {"text": "x"}
        long_name = "N" * 500
        await output.send_response(
            sender, BotUttered("y", metadata={"agent": {"name": long_name}}).message()
        )
        reply = await asyncio.wait_for(browser.replies.get(), WAIT)
        assert reply == {"text": "y", "agent": {"name": "N" * 80}}
        await browser.close()

    run(scenario, channel)


# -- history ----------------------------------------------------------------------------------


def conversation_events() -> list[Event]:
    details = '/product_details{"product_id":"P1"}'
    return [
        ActionExecuted("action_listen"),
        UserUttered("trail shoes"),
        BotUttered(
            "Found **one**:\n\nWant more?",
            data={"buttons": [{"title": "More", "payload": "/more"}]},
        ),
        BotUttered(None, data={"custom": CAROUSEL}),
        UserUttered(details),
        UserUttered("/more"),
        UserUttered("EXTERNAL: reminder"),
        BotUttered("I'm Anna from support.", metadata={"agent": "Anna"}),
        UserUttered("<script>alert(1)</script>"),
    ]


EXPECTED_HISTORY = [
    {"sender": "user", "text": "trail shoes"},
    {"sender": "bot", "text": "Found **one**:", "quick_replies": []},
    {
        "sender": "bot",
        "text": "Want more?",
        "quick_replies": [{"content_type": "text", "title": "More", "payload": "/more"}],
    },
    {"sender": "bot", "custom": CAROUSEL},
    {"sender": "user", "text": "Details"},
    {"sender": "user", "text": "More"},
    {"sender": "bot", "text": "I'm Anna from support.", "agent": {"name": "Anna"}},
    {"sender": "user", "text": "<script>alert(1)</script>"},
]


def test_history_messages_mirror_what_was_sent() -> None:
    assert asyncio.run(history_messages(conversation_events())) == EXPECTED_HISTORY


def test_history_keeps_the_last_fifty_messages() -> None:
    events: list[Event] = [UserUttered(f"message {n}") for n in range(70)]
    messages = asyncio.run(history_messages(events))
    assert len(messages) == MAX_HISTORY_MESSAGES == 50
    assert messages[0] == {"sender": "user", "text": "message 20"}
    assert messages[-1] == {"sender": "user", "text": "message 69"}


def test_the_history_goes_to_the_bound_socket_only() -> None:
    session = client_session_id()

    async def scenario(running: Running) -> None:
        first = await opened(running, token("CUS-1"), session)
        assert await first.history() == []  # nothing said yet
        await first.say("hello")
        sender = sender_of(running)
        await save(running, sender, conversation_events())

        # A reload: the same customer and session id get the conversation back.
        again = await opened(running, token("CUS-1", ttl=600), session)
        assert await again.history() == EXPECTED_HISTORY
        # The tab that was already open gets no history for the other tab's session request
        # (per-connection order: it would have arrived before this reply).
        assert await first.say("still here") == {"text": "reply to still here"}
        assert first.histories.empty()

        # Another customer, or an anonymous visitor, with the same session id: nothing of it.
        other = await opened(running, token("CUS-2"), session)
        assert await other.history() == []
        anonymous = await opened(running, None, session)
        assert await anonymous.history() == []
        for browser in (first, again, other, anonymous):
            await browser.close()

    run(scenario)


def test_without_a_tracker_store_or_with_a_failing_one_the_history_is_empty() -> None:
    class Broken:
        async def retrieve(self, sender_id: str) -> None:
            raise RuntimeError("database down")

    async def scenario(running: Running) -> None:
        running.recorder.tracker_store = Broken()  # type: ignore[attr-defined]
        browser = await opened(running, token("CUS-1"))
        assert await browser.history() == []
        assert await browser.say("works anyway") == {"text": "reply to works anyway"}
        del running.recorder.tracker_store  # type: ignore[attr-defined]
        other = await opened(running, token("CUS-2"))
        assert await other.history() == []
        await browser.close()
        await other.close()

    run(scenario)


# -- client_id de-duplication -------------------------------------------------------------------


def test_a_repeated_client_id_is_acknowledged_and_dropped() -> None:
    async def scenario(running: Running) -> None:
        browser = await opened(running, token("CUS-1"))
        message = {"message": "red shoes", "client_id": "c-0001-abcdef"}
        assert await browser.call(message) == {"status": "ok"}
        assert await browser.call(message) == {"status": "duplicate"}
        assert [m.text for m in running.recorder.messages] == ["red shoes"]
        # The same id in another conversation is another message.
        other = await opened(running, token("CUS-2"))
        assert await other.call(message) == {"status": "ok"}
        # A reconnect (new socket, same conversation) re-sending it: still dropped.
        await browser.close()
        again = await opened(running, token("CUS-1"), browser.session_id)
        assert await again.call(message) == {"status": "duplicate"}
        assert [m.text for m in running.recorder.messages] == ["red shoes", "red shoes"]
        await other.close()
        await again.close()

    run(scenario)


@pytest.mark.parametrize("client_id", [None, "", "short", "x" * 65, "bad id!", 12345678, ["a"]])
def test_messages_without_a_valid_client_id_are_never_dropped(client_id: Any) -> None:
    async def scenario(running: Running) -> None:
        browser = await opened(running, token("CUS-1"))
        for _ in range(2):
            assert await browser.call({"message": "again", "client_id": client_id}) == {
                "status": "ok"
            }
        assert [m.text for m in running.recorder.messages] == ["again", "again"]
        await browser.close()

    run(scenario)


def test_rejected_messages_are_acknowledged_as_such() -> None:
    async def scenario(running: Running) -> None:
        browser = await opened(running, token("CUS-1"))
        assert await browser.call("not a dict") == {"status": "rejected"}
        assert await browser.call({"message": 5}) == {"status": "rejected"}
        assert running.recorder.messages == []
        await browser.close()

    run(scenario)


def test_recent_client_ids_expire_and_stay_bounded() -> None:
    now = {"t": 1000.0}
    recent = RecentClientIds(ttl=300, max_entries=3, clock=lambda: now["t"])
    assert recent.seen_before("s-a", "id-1") is False
    assert recent.seen_before("s-a", "id-1") is True
    assert recent.seen_before("s-b", "id-1") is False
    now["t"] += 301
    assert recent.seen_before("s-a", "id-1") is False  # expired: a new message
    for n in range(10):
        recent.seen_before("s-c", f"id-{n}")
    assert len(recent) == 3
    assert recent.seen_before("s-c", "id-9") is True
    assert recent.seen_before("s-c", "id-0") is False  # forgotten to stay bounded


# -- allowed page origins ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("configured", "env", "expected"),
    [
        (None, None, None),
        (None, "", None),
        (
            None,
            " http://127.0.0.1:8080/ , HTTPS://Shop.Example ",
            ["http://127.0.0.1:8080", "https://shop.example"],
        ),
        (["https://a.example"], "https://b.example", ["https://a.example", "https://b.example"]),
        ("https://a.example,https://a.example", None, ["https://a.example"]),
        (None, "shop.example,javascript:alert(1),http://ok.example/path", None),
        (None, "http://[::1]:8080", ["http://[::1]:8080"]),
        (42, None, None),
    ],
)
def test_allowed_origins_parsing(configured: Any, env: str | None, expected: Any) -> None:
    assert allowed_origins(configured, env) == expected


def test_a_star_allows_any_origin_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING"):
        assert allowed_origins(None, "http://a.example, *") == "*"
    assert any("any web page" in r.message for r in caplog.records)


async def try_connect(url: str, origin: str | None) -> bool:
    client = socketio.AsyncClient(reconnection=False)
    headers = {"Origin": origin} if origin else {}
    try:
        await client.connect(url, headers=headers, transports=["polling"], wait_timeout=WAIT)
    except socketio.exceptions.ConnectionError:
        return False
    finally:
        with contextlib.suppress(Exception):
            await client.eio.disconnect(abort=True)
        if client.eio.http is not None and not client.eio.http.closed:
            await client.eio.http.close()
    return True


def test_browsers_connect_only_from_the_configured_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDENTITY_JWT_SECRET", SECRET)
    monkeypatch.setenv("WIDGET_ORIGINS", f"{SHOP},https://shop.example")
    channel = VerifiedSocketIOInput.from_credentials({"origins_env": "WIDGET_ORIGINS"})
    assert isinstance(channel, VerifiedSocketIOInput)

    async def scenario(running: Running) -> None:
        assert await try_connect(running.url, SHOP) is True
        assert await try_connect(running.url, "https://shop.example") is True
        assert await try_connect(running.url, "http://evil.example") is False
        assert await try_connect(running.url, None) is True  # servers send no Origin

    run(scenario, channel)


def test_without_configured_origins_only_the_channels_own_origin_is_accepted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("WIDGET_ORIGINS", raising=False)
    monkeypatch.setenv("SHOP_ORIGINS", SHOP)
    default = VerifiedSocketIOInput.from_credentials({})
    renamed = VerifiedSocketIOInput.from_credentials({"origins_env": "SHOP_ORIGINS"})
    assert isinstance(default, VerifiedSocketIOInput)
    assert isinstance(renamed, VerifiedSocketIOInput)

    async def refuses_the_shop(running: Running) -> None:
        assert await try_connect(running.url, SHOP) is False
        assert await try_connect(running.url, running.url) is True

    async def accepts_the_shop(running: Running) -> None:
        assert await try_connect(running.url, SHOP) is True

    run(refuses_the_shop, default)
    run(accepts_the_shop, renamed)


def test_the_channel_block_in_credentials_names_the_origins_variable() -> None:
    from rasa.shared.utils.io import read_yaml_file

    credentials = read_yaml_file("assistant/credentials.yml")
    assert isinstance(credentials, dict)
    block = credentials["assistant.channels.socketio.VerifiedSocketIOInput"]
    assert block["origins_env"] == "WIDGET_ORIGINS"
    json.dumps(block)  # plain data only


# -- a typed number picks an option -----------------------------------------------------------


def test_a_typed_number_picks_that_product_of_the_last_carousel() -> None:
    async def scenario(running: Running) -> None:
        browser = await opened(running, token("CUS-1"))
        assert await browser.call({"message": "trail shoes", "client_id": "c-0002-abcdef"}) == {
            "status": "ok"
        }
        sender_id = sender_of(running)
        await save(
            running,
            sender_id,
            [
                UserUttered("trail shoes"),
                ActionExecuted("action_search_products"),
                BotUttered(data={"custom": CAROUSEL}),
            ],
        )
        await browser.call({"message": "1", "client_id": "c-0003-abcdef"})
        # Out of range: the number passes on as typed.
        await browser.call({"message": "7", "client_id": "c-0004-abcdef"})
        texts = [m.text for m in running.recorder.messages]
        assert texts == ["trail shoes", '/product_details{"product_id":"P1"}', "7"]
        await browser.close()

    run(scenario)
