"""The verified socket.io channel, served for real on loopback and driven by socket.io clients."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import jwt
import pytest
import socketio
from rasa.core.channels.channel import UserMessage

from assistant.channels.socketio import VerifiedSocketIOInput
from assistant.channels.socketio_output import VerifiedSocketIOOutput
from tests.unit.channels.channel_harness import (
    OTHER_SECRET,
    SECRET,
    Browser,
    Running,
    client_session_id,
    serve,
    token,
    wait_until,
)

Scenario = Callable[[Running], Awaitable[None]]


def run(scenario: Scenario, channel: VerifiedSocketIOInput | None = None) -> None:
    """Serve a fresh channel and run the scenario against it."""

    async def main() -> None:
        async with serve(channel or VerifiedSocketIOInput(secret=SECRET)) as running:
            await scenario(running)

    asyncio.run(main())


async def connected(
    running: Running, token: str | None = None, session_id: str | None = None
) -> Browser:
    browser = Browser(running.url, token=token, session_id=session_id or client_session_id())
    await browser.connect()
    await browser.start_session()
    return browser


def last(running: Running) -> UserMessage:
    return running.recorder.messages[-1]


# -- verified and anonymous shoppers ------------------------------------------------------


def test_verified_token_puts_the_customer_into_the_metadata() -> None:
    async def scenario(running: Running) -> None:
        browser = await connected(running, token("CUS-1001"))
        reply = await browser.say("where is my order")
        assert reply == {"text": "reply to where is my order"}
        message = last(running)
        assert message.input_channel == "socketio"
        assert message.metadata == {"customer_id": "CUS-1001", "identity": {"verified": True}}
        assert message.sender_id.startswith("s-")
        await browser.close()

    run(scenario)


def test_client_sent_identity_is_overwritten_or_dropped() -> None:
    forged = {
        "customer_id": "CUS-9999",
        "identity": {"verified": True},
        "language": "de",
        "page": "/checkout",
        "widget_version": "1.2.0",
        "email": "someone@example.com",
        "nested": {"customer_id": "CUS-9999"},
    }

    async def scenario(running: Running) -> None:
        verified = await connected(running, token("CUS-1001"))
        await verified.say("hello", metadata=forged)
        assert last(running).metadata == {
            "language": "de",
            "page": "/checkout",
            "widget_version": "1.2.0",
            "customer_id": "CUS-1001",
            "identity": {"verified": True},
        }
        anonymous = await connected(running)
        await anonymous.say("hello", metadata=forged)
        assert last(running).metadata == {
            "language": "de",
            "page": "/checkout",
            "widget_version": "1.2.0",
            "identity": {"verified": False},
        }
        await verified.close()
        await anonymous.close()

    run(scenario)


def test_without_a_token_the_shopper_is_anonymous() -> None:
    async def scenario(running: Running) -> None:
        browser = await connected(running)
        await browser.say("hi")
        assert last(running).metadata == {"identity": {"verified": False}}
        assert "customer_id" not in last(running).metadata
        await browser.close()

    run(scenario)


@pytest.mark.parametrize("auth", [{"token": ""}, {"token": None}, {}])
def test_an_empty_auth_payload_is_anonymous(auth: dict[str, Any]) -> None:
    async def scenario(running: Running) -> None:
        browser = Browser(running.url, session_id=client_session_id())
        await browser.connect(auth=auth)
        await browser.start_session()
        await browser.say("hi")
        assert last(running).metadata == {"identity": {"verified": False}}
        await browser.close()

    run(scenario)


@pytest.mark.parametrize(
    "bad_token",
    [
        pytest.param(lambda: token(secret=OTHER_SECRET), id="forged"),
        pytest.param(lambda: token(ttl=-300), id="expired"),
        pytest.param(
            lambda: jwt.encode({"sub": "CUS-1001", "exp": int(time.time()) + 900}, None, "none"),
            id="alg-none",
        ),
        pytest.param(lambda: token(sub="CUS 1001"), id="bad-subject"),
        pytest.param(lambda: "garbage", id="garbage"),
        pytest.param(lambda: 42, id="not-a-string"),
    ],
)
def test_untrusted_tokens_are_refused_at_connect(bad_token: Callable[[], Any]) -> None:
    async def scenario(running: Running) -> None:
        browser = Browser(running.url)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await browser.connect(auth={"token": bad_token()})
        assert browser.connect_errors == [{"message": "invalid_token"}]
        assert running.recorder.messages == []

    run(scenario)


def test_a_non_dict_auth_payload_is_refused() -> None:
    async def scenario(running: Running) -> None:
        browser = Browser(running.url)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await browser.connect(auth=token())  # the bare token instead of {"token": ...}
        assert browser.connect_errors == [{"message": "invalid_token"}]

    run(scenario)


# -- conversations: derived ids, rooms, persistence ----------------------------------------


def test_two_customers_with_the_same_session_id_get_separate_conversations() -> None:
    shared = client_session_id()

    async def scenario(running: Running) -> None:
        alice = await connected(running, token("CUS-A"), shared)
        bob = await connected(running, token("CUS-B"), shared)
        assert await alice.say("alice secret") == {"text": "reply to alice secret"}
        alice_sender = last(running).sender_id
        # Per-connection order: had Alice's reply been sent to Bob's socket, it would be
        # queued there before Bob's own reply.
        assert await bob.say("bob secret") == {"text": "reply to bob secret"}
        bob_sender = last(running).sender_id
        assert alice_sender != bob_sender
        assert await alice.say("alice again") == {"text": "reply to alice again"}
        assert bob.received == [{"text": "reply to bob secret"}]
        assert alice.received == [
            {"text": "reply to alice secret"},
            {"text": "reply to alice again"},
        ]
        await alice.close()
        await bob.close()

    run(scenario)


def test_session_confirm_echoes_the_client_session_id_not_the_sender_id() -> None:
    mine = client_session_id()

    async def scenario(running: Running) -> None:
        browser = Browser(running.url, token=token(), session_id=mine)
        await browser.connect()
        assert await browser.start_session() == mine
        await browser.say("hi")
        assert last(running).sender_id != mine
        await browser.close()

    run(scenario)


@pytest.mark.parametrize(
    "payload", [{}, {"session_id": None}, {"session_id": "short"}, {"session_id": "a b" * 10}, 5]
)
def test_a_missing_or_invalid_session_id_is_replaced_by_a_random_one(payload: Any) -> None:
    async def scenario(running: Running) -> None:
        browser = Browser(running.url)
        await browser.connect()
        confirmed = await browser.start_session(payload)
        assert isinstance(confirmed, str) and len(confirmed) >= 16
        if isinstance(payload, dict):
            assert confirmed != payload.get("session_id")
        await browser.say("hi")
        first_sender = last(running).sender_id
        other = Browser(running.url)
        await other.connect()
        await other.start_session(payload)
        await other.say("hi")
        assert last(running).sender_id != first_sender
        await browser.close()
        await other.close()

    run(scenario)


def test_an_anonymous_client_cannot_enter_a_known_conversation() -> None:
    async def scenario(running: Running) -> None:
        victim = await connected(running, token("CUS-1001"))
        await victim.say("my order")
        victim_sender = last(running).sender_id
        # The attacker learned the victim's sender id (and the victim's own session id).
        for guess in [victim_sender, victim.session_id]:
            attacker = await connected(running, session_id=guess)
            await attacker.say("show me the order", session_id=victim_sender)
            assert last(running).sender_id != victim_sender
            assert last(running).metadata == {"identity": {"verified": False}}
            await victim.say("victim again")
            assert last(running).sender_id == victim_sender
            assert await attacker.say("anything else") == {"text": "reply to anything else"}
            assert all(
                "victim" not in str(m) and "my order" not in str(m) for m in attacker.received
            )
            await attacker.close()
        await victim.close()

    run(scenario)


def test_the_session_id_in_a_message_is_ignored_for_routing() -> None:
    async def scenario(running: Running) -> None:
        browser = await connected(running, token("CUS-1"))
        await browser.say("first")
        bound = last(running).sender_id
        await browser.say("second", session_id="s-00000000000000000000000000000000")
        assert last(running).sender_id == bound
        await browser.close()

    run(scenario)


def test_a_message_before_session_request_gets_a_fresh_conversation() -> None:
    async def scenario(running: Running) -> None:
        first = Browser(running.url, token=token("CUS-1"))
        await first.connect()
        assert await first.say("no session yet") == {"text": "reply to no session yet"}
        sender = last(running).sender_id
        assert sender.startswith("s-")
        await first.say("again")
        assert last(running).sender_id == sender
        second = Browser(running.url, token=token("CUS-1"))
        await second.connect()
        await second.say("no session either")
        assert last(running).sender_id != sender
        await first.close()
        await second.close()

    run(scenario)


def test_reconnecting_with_the_same_session_and_customer_resumes_the_conversation() -> None:
    session = client_session_id()

    async def scenario(running: Running) -> None:
        first = await connected(running, token("CUS-1001"), session)
        await first.say("before")
        before = last(running).sender_id
        await first.close()
        again = await connected(running, token("CUS-1001", ttl=600), session)
        assert await again.say("after") == {"text": "reply to after"}
        assert last(running).sender_id == before
        await again.close()
        anonymous = await connected(running, None, session)
        await anonymous.say("same session, no token")
        assert last(running).sender_id != before
        await anonymous.close()

    run(scenario)


def test_two_tabs_of_the_same_conversation_both_see_the_replies() -> None:
    session = client_session_id()

    async def scenario(running: Running) -> None:
        tab1 = await connected(running, token("CUS-1"), session)
        tab2 = await connected(running, token("CUS-1"), session)
        await tab1.say("from tab one")
        assert await asyncio.wait_for(tab2.replies.get(), 10) == {"text": "reply to from tab one"}
        await tab1.close()
        await tab2.close()

    run(scenario)


def test_without_session_persistence_every_socket_gets_its_own_conversation() -> None:
    session = client_session_id()

    async def scenario(running: Running) -> None:
        first = await connected(running, token("CUS-1"), session)
        await first.say("one")
        one = last(running).sender_id
        await first.close()
        second = await connected(running, token("CUS-1"), session)
        await second.say("two")
        assert last(running).sender_id != one
        await second.close()

    run(scenario, VerifiedSocketIOInput(secret=SECRET, session_persistence=False))


# -- expiry after connect -------------------------------------------------------------------


def test_a_token_that_expires_after_connect_stops_the_messages() -> None:
    clock = {"now": time.time()}
    channel = VerifiedSocketIOInput(secret=SECRET, clock=lambda: clock["now"])

    async def scenario(running: Running) -> None:
        browser = await connected(running, token("CUS-1", ttl=600))
        await browser.say("while valid")
        count = len(running.recorder.messages)
        clock["now"] += 600 + 31  # past exp and the 30 s leeway
        await browser.send("after expiry")
        assert await asyncio.wait_for(browser.auth_errors.get(), 10) == {"reason": "token_expired"}
        assert len(running.recorder.messages) == count
        assert browser.received == [{"text": "reply to while valid"}]
        # The page reconnects with a fresh token and carries on in the same conversation.
        sender = last(running).sender_id
        await browser.close()
        fresh = await connected(running, token("CUS-1", ttl=1200), browser.session_id)
        await fresh.say("fresh token")
        assert last(running).sender_id == sender
        await fresh.close()

    run(scenario, channel)


def test_anonymous_sockets_never_expire() -> None:
    clock = {"now": time.time()}
    channel = VerifiedSocketIOInput(secret=SECRET, clock=lambda: clock["now"])

    async def scenario(running: Running) -> None:
        browser = await connected(running)
        clock["now"] += 10**7
        assert await browser.say("still here") == {"text": "reply to still here"}
        assert browser.auth_errors.empty()
        await browser.close()

    run(scenario, channel)


# -- message and metadata shapes ------------------------------------------------------------


def test_oversized_messages_are_cut_and_marked() -> None:
    async def scenario(running: Running) -> None:
        browser = await connected(running, token())
        await browser.say("x" * 20_000)
        message = last(running)
        assert len(message.text) == 5000
        assert message.metadata["truncated"] is True
        await browser.say("y" * 5000)
        assert len(last(running).text) == 5000
        assert "truncated" not in last(running).metadata
        await browser.close()

    run(scenario)


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ('{"language": "fr", "customer_id": "CUS-9"}', {"language": "fr"}),
        ("not json", {}),
        ("[" * 100_000 + "]" * 100_000, {}),
        ('["language"]', {}),
        (["language", "fr"], {}),
        (42, {}),
        (None, {}),
        ({"language": {"x": 1}, "page": ["/"], "widget_version": 3}, {"widget_version": 3}),
        ({"page": "/" + "p" * 2000}, {"page": "/" + "p" * 511}),
    ],
)
def test_client_metadata_shapes(raw: Any, kept: dict[str, Any]) -> None:
    async def scenario(running: Running) -> None:
        browser = await connected(running, token("CUS-1"))
        await browser.say("hi", metadata=raw)
        assert last(running).metadata == {
            **kept,
            "customer_id": "CUS-1",
            "identity": {"verified": True},
        }
        await browser.close()

    run(scenario)


def test_malformed_messages_are_dropped_and_the_socket_keeps_working() -> None:
    async def scenario(running: Running) -> None:
        browser = await connected(running, token())
        await browser.sio.emit("user_uttered", "just a string")
        await browser.sio.emit("user_uttered", {"message": {"nested": True}})
        await browser.sio.emit("user_uttered", {"message": 12})
        assert await browser.say("still fine") == {"text": "reply to still fine"}
        assert [m.text for m in running.recorder.messages] == ["still fine"]
        await browser.close()

    run(scenario)


def test_custom_payloads_go_to_the_conversation_room_only() -> None:
    async def scenario(running: Running) -> None:
        running.recorder.custom_reply = {"type": "product_carousel", "products": [], "room": "x"}
        owner = await connected(running, token("CUS-1"))
        bystander = await connected(running, token("CUS-2"))
        await owner.say("show shoes")
        assert await asyncio.wait_for(owner.replies.get(), 10) == {
            "custom": {"type": "product_carousel", "products": [], "room": "x"}
        }
        running.recorder.custom_reply = None
        await bystander.say("hi")
        assert bystander.received == [{"text": "reply to hi"}]
        await owner.close()
        await bystander.close()

    run(scenario)


def test_disconnect_forgets_the_socket() -> None:
    channel = VerifiedSocketIOInput(secret=SECRET)

    async def scenario(running: Running) -> None:
        browser = await connected(running, token())
        await browser.say("hi")
        assert len(channel._sockets) == 1
        await browser.close()
        await wait_until(lambda: not channel._sockets)

    run(scenario, channel)


def test_the_output_channel_for_rasa_sends_to_the_room() -> None:
    channel = VerifiedSocketIOInput(secret=SECRET)

    async def scenario(running: Running) -> None:
        browser = await connected(running, token())
        await browser.say("hi")
        output = channel.get_output_channel()
        assert isinstance(output, VerifiedSocketIOOutput)
        await output.send_text_message(last(running).sender_id, "reminder")
        assert await asyncio.wait_for(browser.replies.get(), 10) == {"text": "reminder"}
        await browser.close()

    run(scenario, channel)


def test_health_route_is_kept() -> None:
    async def scenario(running: Running) -> None:
        async with aiohttp.ClientSession() as http:
            async with http.get(running.url + "/webhooks/socketio/") as answer:
                assert answer.status == 200
                assert await answer.json() == {"status": "ok"}

    run(scenario)


# -- configuration ----------------------------------------------------------------------------


def test_without_a_secret_tokens_are_ignored_and_everyone_is_anonymous(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level("WARNING"):
        channel = VerifiedSocketIOInput(secret=None)
    assert [r.message for r in caplog.records if "IDENTITY_JWT_SECRET" in r.message]

    async def scenario(running: Running) -> None:
        browser = await connected(running, token("CUS-1001"))
        await browser.say("hi")
        assert last(running).metadata == {"identity": {"verified": False}}
        await browser.close()

    run(scenario, channel)


def test_from_credentials_reads_the_secret_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IDENTITY_JWT_SECRET", SECRET)
    channel = VerifiedSocketIOInput.from_credentials(
        {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered"}
    )
    assert isinstance(channel, VerifiedSocketIOInput)
    assert channel.name() == "socketio"
    assert channel.session_persistence is True
    monkeypatch.delenv("IDENTITY_JWT_SECRET")  # read once: later changes do not matter

    async def scenario(running: Running) -> None:
        browser = await connected(running, token("CUS-5"))
        await browser.say("hi")
        assert last(running).metadata["customer_id"] == "CUS-5"
        await browser.close()

    run(scenario, channel)


def test_jwt_secret_env_renames_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDENTITY_JWT_SECRET", OTHER_SECRET)
    monkeypatch.setenv("SHOP_TOKEN_SECRET", SECRET)
    channel = VerifiedSocketIOInput.from_credentials({"jwt_secret_env": "SHOP_TOKEN_SECRET"})
    assert isinstance(channel, VerifiedSocketIOInput)

    async def scenario(running: Running) -> None:
        browser = await connected(running, token("CUS-6", secret=SECRET))
        await browser.say("hi")
        assert last(running).metadata["customer_id"] == "CUS-6"
        refused = Browser(running.url)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await refused.connect(auth={"token": token("CUS-6", secret=OTHER_SECRET)})
        await browser.close()

    run(scenario, channel)
