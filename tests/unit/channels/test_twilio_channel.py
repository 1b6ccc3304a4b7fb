"""The Twilio (WhatsApp) channel on a real Sanic server, Twilio's API replaced by a fake."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from urllib.parse import urlencode

import pytest

from assistant.channels.twilio import ShopTwilioInput, TwilioApiOutput
from formats.cards import payload
from tests.support.fake_platform import TWILIO_SID, FakePlatform
from tests.unit.channels.channel_harness import Running, serve
from tests.unit.channels.messaging_harness import (
    CAROUSEL,
    post,
    set_env,
    store_with,
    twilio_form,
    twilio_signature,
)

AUTH_TOKEN = "12345678901234567890123456789012"
NUMBER = "whatsapp:+14155238886"
SHOPPER = "whatsapp:+15551234567"
WEBHOOK = "/webhooks/twilio/webhook"
PUBLIC_WEBHOOK = "https://bot.shop.example/webhooks/twilio/webhook"


@pytest.fixture()
def platform() -> Iterator[FakePlatform]:
    with FakePlatform() as running:
        yield running


@pytest.fixture()
def configured(monkeypatch: pytest.MonkeyPatch, platform: FakePlatform) -> FakePlatform:
    set_env(
        monkeypatch,
        platform,
        TWILIO_ACCOUNT_SID=TWILIO_SID,
        TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        TWILIO_NUMBER=NUMBER,
    )
    return platform


def run(scenario: Callable[[Running], Awaitable[None]]) -> None:
    async def main() -> None:
        async with serve(ShopTwilioInput.from_credentials(None)) as running:
            await scenario(running)

    asyncio.run(main())


async def send(
    running: Running, text: str, *, url: str | None = None, token: str = AUTH_TOKEN
) -> tuple[int, str]:
    form = twilio_form(text, SHOPPER)
    signature = twilio_signature(token, url or running.url + WEBHOOK, form)
    return await post(
        running,
        WEBHOOK,
        data=urlencode(form),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature,
        },
    )


def bodies(platform: FakePlatform) -> list[str]:
    return [c.field("Body") for c in platform.of("twilio", "Messages")]


def test_a_signed_form_post_becomes_a_user_message_and_the_reply_is_created(
    configured: FakePlatform,
) -> None:
    async def scenario(running: Running) -> None:
        assert (await send(running, "red running shoes"))[0] == 204
        (message,) = running.recorder.messages
        assert message.text == "red running shoes"
        assert message.sender_id == SHOPPER
        assert message.input_channel == "twilio"

    run(scenario)
    (call,) = configured.of("twilio", "Messages")
    assert call.path == f"/twilio/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"
    assert call.headers["Authorization"].startswith("Basic ")
    assert (call.field("To"), call.field("From"), call.field("Body")) == (
        SHOPPER,
        NUMBER,
        "reply to red running shoes",
    )


@pytest.mark.parametrize("forgery", ["wrong token", "other url", "tampered form", "no signature"])
def test_forged_requests_are_refused(configured: FakePlatform, forgery: str) -> None:
    async def scenario(running: Running) -> None:
        if forgery == "wrong token":
            status, body = await send(running, "hi", token="0" * 32)
        elif forgery == "other url":
            status, body = await send(running, "hi", url="https://evil.example/webhook")
        else:
            form = twilio_form("hi", SHOPPER)
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            if forgery == "tampered form":
                headers["X-Twilio-Signature"] = twilio_signature(
                    AUTH_TOKEN, running.url + WEBHOOK, form
                )
                form["Body"] = "delete my data"
            status, body = await post(running, WEBHOOK, data=urlencode(form), headers=headers)
        assert (status, body) == (403, "invalid signature")
        assert running.recorder.messages == []

    run(scenario)
    assert configured.calls == []


def test_the_public_webhook_url_is_what_twilio_signs(
    monkeypatch: pytest.MonkeyPatch, configured: FakePlatform
) -> None:
    monkeypatch.setenv("TWILIO_WEBHOOK_URL", PUBLIC_WEBHOOK)

    async def scenario(running: Running) -> None:
        assert (await send(running, "hi", url=PUBLIC_WEBHOOK))[0] == 204
        assert (await send(running, "hi"))[0] == 403  # signed for the URL rasa sees locally
        assert len(running.recorder.messages) == 1

    run(scenario)


def test_the_carousel_is_one_numbered_message_and_2_picks_product_2(
    configured: FakePlatform,
) -> None:
    async def scenario(running: Running) -> None:
        running.recorder.custom_reply = CAROUSEL
        assert (await send(running, "shoes"))[0] == 204
        running.recorder.custom_reply = None
        running.recorder.tracker_store = await store_with(SHOPPER, {"custom": CAROUSEL})
        assert (await send(running, "2"))[0] == 204
        assert (await send(running, "3"))[0] == 204
        assert [m.text for m in running.recorder.messages] == [
            "shoes",
            payload("details", "TF-RS-0002"),
            "3",
        ]

    run(scenario)
    listing = bodies(configured)[1]
    assert listing == (
        "1. Fastpack Pro Running Shoe (Trailforge) - $89\n"
        "   red | 9, 10\n"
        "2. Tempo Racer (Trailforge) - $89\n"
        "   (you usually buy size 10)\n"
        "   red | 9, 10\n"
        "\n"
        "Reply with a number to see that product."
    )


def test_buttons_are_numbered_options_in_one_message(configured: FakePlatform) -> None:
    async def main() -> None:
        output = ShopTwilioInput.from_credentials(None).get_output_channel()
        assert isinstance(output, TwilioApiOutput)
        await output.send_response(
            SHOPPER,
            {
                "text": "Did that help?",
                "buttons": [
                    {"title": "Yes", "payload": "/affirm"},
                    {"title": "No", "payload": "/deny"},
                ],
            },
        )
        await output.send_response(SHOPPER, {"text": "Back in stock", "agent": {"name": "Alice"}})

    asyncio.run(main())
    assert bodies(configured) == ["Did that help?\n1. Yes\n2. No", "Alice: Back in stock"]


def test_a_number_picks_the_button_of_the_last_options_message(
    configured: FakePlatform,
) -> None:
    async def scenario(running: Running) -> None:
        running.recorder.tracker_store = await store_with(
            SHOPPER,
            {"custom": CAROUSEL},
            {"text": "Anything else?", "buttons": [{"title": "No, thanks", "payload": "/deny"}]},
        )
        assert (await send(running, "1"))[0] == 204
        assert running.recorder.messages[0].text == "/deny"

    run(scenario)


def test_without_credentials_the_channel_is_off(
    monkeypatch: pytest.MonkeyPatch, platform: FakePlatform
) -> None:
    set_env(monkeypatch, platform, TWILIO_ACCOUNT_SID=TWILIO_SID, TWILIO_NUMBER=NUMBER)

    async def main() -> None:
        channel = ShopTwilioInput.from_credentials(None)
        assert channel.get_output_channel() is None
        async with serve(channel) as running:
            status, body = await send(running, "hi")
            assert status == 503
            assert json.loads(body)["error"] == "twilio: disabled (set TWILIO_AUTH_TOKEN)"

    asyncio.run(main())
    assert platform.calls == []
