"""The REST channel stays anonymous; the credentials file builds the project's channels."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput

from assistant.channels.rest import AnonymousRestInput
from assistant.channels.socketio import VerifiedSocketIOInput
from tests.unit.channels.channel_harness import SECRET, Running, serve

ROOT = Path(__file__).resolve().parents[3]

FORGED = {
    "sender": "shopper-1",
    "message": "where is my order",
    "input_channel": "socketio",
    "metadata": {
        "customer_id": "CUS-1001",
        "identity": {"verified": True},
        "language": "es",
    },
}


async def post(running: Running, body: Any) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as http:
        async with http.post(running.url + "/webhooks/rest/webhook", json=body) as answer:
            content = await answer.json(content_type=None) if answer.status == 200 else None
            return answer.status, content


def run(scenario: Callable[[Running], Awaitable[None]]) -> None:
    async def main() -> None:
        async with serve(AnonymousRestInput(), VerifiedSocketIOInput(secret=SECRET)) as running:
            await scenario(running)

    asyncio.run(main())


def test_rasa_rest_channel_would_accept_a_forged_identity() -> None:
    """Why the subclass exists: Rasa's RestInput takes input_channel and metadata from the body."""
    recorded: list[UserMessage] = []

    async def main() -> None:
        async with serve(RestInput()) as running:
            status, _ = await post(running, FORGED)
            assert status == 200
            recorded.extend(running.recorder.messages)

    asyncio.run(main())
    assert recorded[0].input_channel == "socketio"
    assert recorded[0].metadata["customer_id"] == "CUS-1001"


def test_rest_messages_are_always_anonymous() -> None:
    async def scenario(running: Running) -> None:
        status, replies = await post(running, FORGED)
        assert status == 200
        assert replies == [{"recipient_id": "shopper-1", "text": "reply to where is my order"}]
        message = running.recorder.messages[-1]
        assert message.input_channel == "rest"
        assert message.sender_id == "shopper-1"
        assert message.metadata == {"language": "es", "identity": {"verified": False}}

    run(scenario)


@pytest.mark.parametrize("metadata", [None, "text", ["customer_id"], {"customer_id": "CUS-1"}])
def test_rest_metadata_of_any_shape_carries_no_identity(metadata: Any) -> None:
    async def scenario(running: Running) -> None:
        status, _ = await post(running, {"sender": "x-1", "message": "hi", "metadata": metadata})
        assert status == 200
        assert running.recorder.messages[-1].metadata == {"identity": {"verified": False}}

    run(scenario)


def test_rest_cannot_write_into_a_socket_conversation() -> None:
    async def scenario(running: Running) -> None:
        derived_shape = "s-" + "0123456789abcdef" * 2
        status, _ = await post(running, {"sender": derived_shape, "message": "hi"})
        assert status == 400
        assert running.recorder.messages == []
        status, _ = await post(running, {"sender": "s-not-derived", "message": "hi"})
        assert status == 200
        assert [m.sender_id for m in running.recorder.messages] == ["s-not-derived"]


@pytest.mark.parametrize("body", [{"message": "hi"}, {"sender": "", "message": "hi"}])
def test_rest_without_a_sender_is_refused(body: dict[str, Any]) -> None:
    async def scenario(running: Running) -> None:
        status, _ = await post(running, body)
        assert status == 400
        assert running.recorder.messages == []

    run(scenario)


def test_the_credentials_file_builds_the_project_channels(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rasa.core.run import create_http_input_channels

    monkeypatch.setenv("IDENTITY_JWT_SECRET", SECRET)
    channels = create_http_input_channels(None, str(ROOT / "assistant" / "credentials.yml"))
    by_name = {channel.name(): channel for channel in channels}
    # The messaging channels too (tests/unit/channels/test_messaging_credentials.py).
    assert set(by_name) == {"rest", "socketio", "telegram", "slack", "facebook", "twilio"}
    assert type(by_name["rest"]) is AnonymousRestInput
    socket_channel = by_name["socketio"]
    assert isinstance(socket_channel, VerifiedSocketIOInput)
    assert socket_channel.session_persistence is True
    assert socket_channel.user_message_evt == "user_uttered"
    assert socket_channel.bot_message_evt == "bot_uttered"
    assert socket_channel._secret == SECRET
