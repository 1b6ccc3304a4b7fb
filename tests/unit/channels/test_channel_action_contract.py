"""What the channels write is what the action server trusts (actions/identity.py), and no more."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import socketio
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import UserUttered
from rasa_sdk import Tracker

from actions.identity import verified_customer_id
from assistant.channels.rest import AnonymousRestInput
from assistant.channels.socketio import VerifiedSocketIOInput
from tests.unit.channels.channel_harness import (
    OTHER_SECRET,
    SECRET,
    Browser,
    client_session_id,
    serve,
    token,
)


def tracker_for(message: UserMessage) -> Tracker:
    """The action server's view of the message, as Rasa's processor logs it."""
    event: dict[str, Any] = UserUttered(
        message.text, input_channel=message.input_channel, metadata=message.metadata
    ).as_dict()
    return Tracker(message.sender_id, {}, {}, [event], False, None, {}, None)


def test_only_verified_socket_messages_name_a_customer() -> None:
    seen: dict[str, str | None] = {}

    async def main() -> None:
        async with serve(AnonymousRestInput(), VerifiedSocketIOInput(secret=SECRET)) as running:
            recorder = running.recorder
            verified = Browser(running.url, token("CUS-1001"), client_session_id())
            await verified.connect()
            await verified.start_session()
            await verified.say("hi", metadata={"customer_id": "CUS-2002"})
            seen["verified socket"] = verified_customer_id(tracker_for(recorder.messages[-1]))
            await verified.close()

            anonymous = Browser(running.url, None, client_session_id())
            await anonymous.connect()
            await anonymous.start_session()
            await anonymous.say(
                "hi", metadata={"customer_id": "CUS-2002", "identity": {"verified": True}}
            )
            seen["anonymous socket"] = verified_customer_id(tracker_for(recorder.messages[-1]))
            await anonymous.close()

            forged = Browser(running.url, token("CUS-2002", secret=OTHER_SECRET))
            try:
                await forged.connect()
            except socketio.exceptions.ConnectionError:
                seen["forged socket"] = None
            else:
                seen["forged socket"] = "connected"

            async with aiohttp.ClientSession() as http:
                body = {
                    "sender": "guess",
                    "message": "hi",
                    "input_channel": "socketio",
                    "metadata": {"customer_id": "CUS-2002", "identity": {"verified": True}},
                }
                async with http.post(running.url + "/webhooks/rest/webhook", json=body) as r:
                    assert r.status == 200
            seen["forged rest"] = verified_customer_id(tracker_for(recorder.messages[-1]))

    asyncio.run(main())
    assert seen == {
        "verified socket": "CUS-1001",
        "anonymous socket": None,
        "forged socket": None,
        "forged rest": None,
    }
