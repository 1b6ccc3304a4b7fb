"""The Slack channel on a real Sanic server, the Web API replaced by a fake on loopback."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Iterator

import pytest

from assistant.channels.slack import ShopSlackInput, ShopSlackOutput
from formats.cards import payload
from tests.support.fake_platform import FakePlatform
from tests.unit.channels.channel_harness import Running, serve, wait_until
from tests.unit.channels.messaging_harness import (
    CAROUSEL,
    post,
    set_env,
    slack_action,
    slack_event,
    slack_headers,
    store_with,
)

TOKEN = "xoxb-0000000000-1111111111111-abcdefABCDEF0123456789ab"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
WEBHOOK = "/webhooks/slack/webhook"


@pytest.fixture()
def platform() -> Iterator[FakePlatform]:
    with FakePlatform() as running:
        yield running


@pytest.fixture()
def configured(monkeypatch: pytest.MonkeyPatch, platform: FakePlatform) -> FakePlatform:
    set_env(monkeypatch, platform, SLACK_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET)
    return platform


def run(scenario: Callable[[Running], Awaitable[None]]) -> None:
    async def main() -> None:
        async with serve(ShopSlackInput.from_credentials(None)) as running:
            await scenario(running)

    asyncio.run(main())


def event_request(text: str, secret: str = SIGNING_SECRET, **kw: int) -> dict[str, object]:
    body = json.dumps(slack_event(text)).encode()
    headers = {"Content-Type": "application/json", **slack_headers(secret, body, **kw)}
    return {"data": body, "headers": headers}


def test_a_signed_event_becomes_a_user_message_and_the_reply_is_posted(
    configured: FakePlatform,
) -> None:
    async def scenario(running: Running) -> None:
        status, _ = await post(running, WEBHOOK, **event_request("red running shoes"))
        assert status == 200
        await wait_until(lambda: configured.of("slack"))
        (message,) = running.recorder.messages
        assert message.text == "red running shoes"
        assert message.sender_id == "U0SHOPPER"
        assert message.input_channel == "slack"

    run(scenario)
    (call,) = configured.of("slack", "chat.postMessage")
    assert call.headers["Authorization"] == f"Bearer {TOKEN}"
    assert call.body["channel"] == "D0DIRECT"
    assert call.body["text"] == "reply to red running shoes"


@pytest.mark.parametrize(
    "forgery",
    ["wrong secret", "stale timestamp", "tampered body", "no signature"],
)
def test_forged_requests_are_refused(configured: FakePlatform, forgery: str) -> None:
    request = event_request("where is my order")
    headers = dict(request["headers"])  # type: ignore[arg-type]
    if forgery == "wrong secret":
        request = event_request("where is my order", secret="not-the-signing-secret")
        headers = dict(request["headers"])  # type: ignore[arg-type]
    elif forgery == "stale timestamp":
        request = event_request("where is my order", timestamp=int(time.time()) - 600)
        headers = dict(request["headers"])  # type: ignore[arg-type]
    elif forgery == "tampered body":
        request["data"] = json.dumps(slack_event("transfer my points")).encode()
    else:
        headers.pop("X-Slack-Signature")

    async def scenario(running: Running) -> None:
        status, body = await post(running, WEBHOOK, data=request["data"], headers=headers)  # type: ignore[arg-type]
        assert status == 400
        assert "X-Slack-Signature" in body
        await asyncio.sleep(0.2)  # a wrongly accepted event would be handled in the background
        assert running.recorder.messages == []

    run(scenario)
    assert configured.calls == []


def test_the_url_verification_challenge_is_answered(configured: FakePlatform) -> None:
    body = json.dumps(
        {"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY", "type": "url_verification"}
    ).encode()

    async def scenario(running: Running) -> None:
        headers = {"Content-Type": "application/json", **slack_headers(SIGNING_SECRET, body)}
        status, text = await post(running, WEBHOOK, data=body, headers=headers)
        assert (status, json.loads(text)) == (200, "3eZbrw1aBm2rZgRNFdxV2595E9CY")

    run(scenario)


def test_a_button_tap_delivers_its_value_as_the_message(configured: FakePlatform) -> None:
    details = payload("details", "TF-RS-0002")
    body = slack_action(details).encode()

    async def scenario(running: Running) -> None:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            **slack_headers(SIGNING_SECRET, body),
        }
        status, _ = await post(running, WEBHOOK, data=body, headers=headers)
        assert status == 200
        await wait_until(lambda: running.recorder.messages)
        (message,) = running.recorder.messages
        assert message.text == details
        assert message.sender_id == "U0SHOPPER"

    run(scenario)


def test_the_carousel_arrives_as_blocks_with_buttons(configured: FakePlatform) -> None:
    async def scenario(running: Running) -> None:
        running.recorder.custom_reply = CAROUSEL
        assert (await post(running, WEBHOOK, **event_request("shoes")))[0] == 200
        await wait_until(lambda: len(configured.of("slack")) == 2)

    run(scenario)
    carousel = configured.of("slack", "chat.postMessage")[1].body
    blocks = carousel["blocks"]
    assert [b["type"] for b in blocks] == [
        "section",
        "actions",
        "divider",
        "section",
        "context",
        "actions",
    ]
    assert blocks[0]["text"]["text"].startswith("*1. Fastpack Pro Running Shoe*")
    assert "$89 · ★ 4.6 (120) · In stock" in blocks[0]["text"]["text"]
    assert "accessory" not in blocks[0]  # an SVG image is not shown
    assert blocks[3]["accessory"] == {
        "type": "image",
        "image_url": "https://cdn.shop.example/tempo.png",
        "alt_text": "Tempo Racer",
    }
    assert blocks[4]["elements"][0]["text"] == "you usually buy size 10"
    assert [e["value"] for e in blocks[5]["elements"]] == [
        payload("details", "TF-RS-0002"),
        payload("similar", "TF-RS-0002"),
        payload("compare", "TF-RS-0002"),
    ]
    assert [e["text"]["text"] for e in blocks[1]["elements"]] == [
        "Details",
        "More like this",
        "Compare",
    ]
    assert carousel["text"].startswith("1. Fastpack Pro Running Shoe (Trailforge) - $89")


def test_agent_replies_reach_the_shopper_through_the_output_channel(
    configured: FakePlatform,
) -> None:
    async def main() -> None:
        output = ShopSlackInput.from_credentials(None).get_output_channel()
        assert isinstance(output, ShopSlackOutput)
        await output.send_response(
            "U0SHOPPER", {"text": "Your order ships today <!channel>", "agent": "Alice"}
        )

    asyncio.run(main())
    (call,) = configured.of("slack", "chat.postMessage")
    assert call.body["channel"] == "U0SHOPPER"
    assert call.body["text"] == "Alice: Your order ships today &lt;!channel&gt;"
    assert call.body["blocks"][0] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "*Alice*"}],
    }


def test_a_thread_conversation_id_is_answered_in_its_channel_and_thread(
    configured: FakePlatform,
) -> None:
    async def main() -> None:
        output = ShopSlackInput.from_credentials(None).get_output_channel()
        assert output is not None
        await output.send_response("U0SHOPPER_C0SHOP_1700000000.000100", {"text": "hello"})

    asyncio.run(main())
    (call,) = configured.of("slack")
    assert (call.body["channel"], call.body["thread_ts"]) == ("C0SHOP", "1700000000.000100")


def test_a_number_picks_the_option_of_the_last_buttons(configured: FakePlatform) -> None:
    offered = {
        "text": "Did that help?",
        "buttons": [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}],
    }

    async def scenario(running: Running) -> None:
        running.recorder.tracker_store = await store_with("U0SHOPPER", offered)
        assert (await post(running, WEBHOOK, **event_request("2")))[0] == 200
        await wait_until(lambda: running.recorder.messages)
        assert running.recorder.messages[0].text == "/deny"

    run(scenario)


def test_without_credentials_slack_is_off_instead_of_refusing_to_start(
    monkeypatch: pytest.MonkeyPatch, platform: FakePlatform
) -> None:
    set_env(monkeypatch, platform, SLACK_TOKEN=TOKEN)

    async def main() -> None:
        channel = ShopSlackInput.from_credentials(None)
        assert channel.get_output_channel() is None
        async with serve(channel) as running:
            status, body = await post(running, WEBHOOK, **event_request("hi"))
            assert status == 503
            assert json.loads(body)["error"] == "slack: disabled (set SLACK_SIGNING_SECRET)"

    asyncio.run(main())
    assert platform.calls == []
