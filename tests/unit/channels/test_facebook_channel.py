"""The Messenger channel on a real Sanic server, the Graph API replaced by a fake on loopback."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator

import pytest

from assistant.channels.facebook import GraphMessengerOutput, ShopFacebookInput
from formats.cards import payload
from tests.support.fake_platform import GRAPH_VERSION, FakePlatform
from tests.unit.channels.channel_harness import Running, serve
from tests.unit.channels.messaging_harness import (
    CAROUSEL,
    get,
    hub_signature,
    messenger_event,
    messenger_postback,
    post,
    set_env,
    store_with,
)

APP_SECRET = "0a1b2c3d4e5f67890a1b2c3d4e5f6789"
PAGE_TOKEN = "EAAGm0PX4ZCpsBAKZC0example"
VERIFY = "my-chosen-verify-token"
WEBHOOK = "/webhooks/facebook/webhook"
PSID = "6543210987654321"


@pytest.fixture()
def platform() -> Iterator[FakePlatform]:
    with FakePlatform() as running:
        yield running


@pytest.fixture()
def configured(monkeypatch: pytest.MonkeyPatch, platform: FakePlatform) -> FakePlatform:
    set_env(
        monkeypatch,
        platform,
        FACEBOOK_VERIFY=VERIFY,
        FACEBOOK_SECRET=APP_SECRET,
        FACEBOOK_PAGE_ACCESS_TOKEN=PAGE_TOKEN,
    )
    return platform


def run(scenario: Callable[[Running], Awaitable[None]]) -> None:
    async def main() -> None:
        async with serve(ShopFacebookInput.from_credentials(None)) as running:
            await scenario(running)

    asyncio.run(main())


def signed(event: dict[str, object], algorithm: str = "sha256") -> dict[str, object]:
    body = json.dumps(event).encode()
    headers = {"Content-Type": "application/json", **hub_signature(APP_SECRET, body, algorithm)}
    return {"data": body, "headers": headers}


def sent_messages(platform: FakePlatform) -> list[dict[str, object]]:
    return [c.body for c in platform.of("facebook", "messages") if "message" in c.body]


@pytest.mark.parametrize("algorithm", ["sha256", "sha1"])
def test_a_signed_event_becomes_a_user_message_and_the_reply_is_sent(
    configured: FakePlatform, algorithm: str
) -> None:
    async def scenario(running: Running) -> None:
        status, body = await post(
            running, WEBHOOK, **signed(messenger_event("red running shoes"), algorithm)
        )
        assert (status, body) == (200, "success")
        (message,) = running.recorder.messages
        assert message.text == "red running shoes"
        assert message.sender_id == PSID
        assert message.input_channel == "facebook"

    run(scenario)
    calls = configured.of("facebook", "messages")
    assert all(c.path == f"/graph/{GRAPH_VERSION}/me/messages" for c in calls)
    assert all(c.query["access_token"] == [PAGE_TOKEN] for c in calls)
    assert [c.body.get("sender_action") for c in calls if "sender_action" in c.body] == [
        "mark_seen",
        "typing_on",
        "typing_off",
    ]
    assert sent_messages(configured) == [
        {
            "recipient": {"id": PSID},
            "messaging_type": "RESPONSE",
            "message": {"text": "reply to red running shoes"},
        }
    ]


@pytest.mark.parametrize("forgery", ["wrong secret", "tampered body", "no signature", "md5"])
def test_forged_requests_are_refused(configured: FakePlatform, forgery: str) -> None:
    request = signed(messenger_event("where is my order"))
    headers = dict(request["headers"])  # type: ignore[arg-type]
    if forgery == "wrong secret":
        body = request["data"]
        headers.update(hub_signature("not-the-app-secret", body))  # type: ignore[arg-type]
    elif forgery == "tampered body":
        request["data"] = json.dumps(messenger_event("cancel all my orders")).encode()
    elif forgery == "no signature":
        headers.pop("X-Hub-Signature-256")
    else:
        headers.pop("X-Hub-Signature-256")
        headers["X-Hub-Signature"] = "md5=" + "0" * 32

    async def scenario(running: Running) -> None:
        status, body = await post(running, WEBHOOK, data=request["data"], headers=headers)  # type: ignore[arg-type]
        assert (status, body) == (403, "invalid signature")
        assert running.recorder.messages == []

    run(scenario)
    assert configured.calls == []


def test_the_webhook_verification_needs_the_verify_token(configured: FakePlatform) -> None:
    async def scenario(running: Running) -> None:
        good = f"{WEBHOOK}?hub.mode=subscribe&hub.verify_token={VERIFY}&hub.challenge=1158201444"
        assert await get(running, good) == (200, "1158201444")
        bad = f"{WEBHOOK}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444"
        assert (await get(running, bad))[0] == 403

    run(scenario)


def test_a_postback_delivers_its_payload_as_the_message(configured: FakePlatform) -> None:
    details = payload("details", "TF-RS-0002")

    async def scenario(running: Running) -> None:
        assert (await post(running, WEBHOOK, **signed(messenger_postback(details))))[0] == 200
        (message,) = running.recorder.messages
        assert message.text == details

    run(scenario)


def test_every_event_of_a_batch_is_handled(configured: FakePlatform) -> None:
    batch = messenger_event("first")
    batch["entry"].append(messenger_event("second", psid="1111")["entry"][0])  # type: ignore[attr-defined]

    async def scenario(running: Running) -> None:
        assert (await post(running, WEBHOOK, **signed(batch)))[0] == 200
        assert [(m.text, m.sender_id) for m in running.recorder.messages] == [
            ("first", PSID),
            ("second", "1111"),
        ]

    run(scenario)


def test_the_carousel_arrives_as_a_generic_template(configured: FakePlatform) -> None:
    async def scenario(running: Running) -> None:
        running.recorder.custom_reply = CAROUSEL
        assert (await post(running, WEBHOOK, **signed(messenger_event("shoes"))))[0] == 200

    run(scenario)
    template = sent_messages(configured)[1]["message"]
    assert template["attachment"]["payload"]["template_type"] == "generic"  # type: ignore[index]
    first, second = template["attachment"]["payload"]["elements"]  # type: ignore[index]
    assert first == {
        "title": "Fastpack Pro Running Shoe",
        "subtitle": "Trailforge · $89 · ★ 4.6 (120) · In stock",
        "buttons": [
            {"type": "postback", "title": "Details", "payload": payload("details", "TF-RS-0001")},
            {
                "type": "postback",
                "title": "More like this",
                "payload": payload("similar", "TF-RS-0001"),
            },
            {"type": "postback", "title": "Compare", "payload": payload("compare", "TF-RS-0001")},
        ],
    }
    assert second["image_url"] == "https://cdn.shop.example/tempo.png"
    assert "you usually buy size 10" in second["subtitle"]


def test_agent_replies_and_buttons_through_the_output_channel(configured: FakePlatform) -> None:
    async def main() -> None:
        output = ShopFacebookInput.from_credentials(None).get_output_channel()
        assert isinstance(output, GraphMessengerOutput)
        await output.send_response(PSID, {"text": "Here is the link", "agent": "Alice"})
        await output.send_response(
            PSID,
            {
                "text": "Did that help?",
                "buttons": [
                    {"title": "Yes", "payload": "/affirm"},
                    {"title": "No", "payload": "/deny"},
                ],
            },
        )

    asyncio.run(main())
    agent, buttons = (m["message"] for m in sent_messages(configured))
    assert agent == {"text": "Alice: Here is the link"}
    assert buttons["attachment"]["payload"] == {  # type: ignore[index]
        "template_type": "button",
        "text": "Did that help?",
        "buttons": [
            {"type": "postback", "title": "Yes", "payload": "/affirm"},
            {"type": "postback", "title": "No", "payload": "/deny"},
        ],
    }


def test_a_number_picks_the_product_of_the_last_carousel(configured: FakePlatform) -> None:
    async def scenario(running: Running) -> None:
        running.recorder.tracker_store = await store_with(PSID, {"custom": CAROUSEL})
        assert (await post(running, WEBHOOK, **signed(messenger_event("1"))))[0] == 200
        assert running.recorder.messages[0].text == payload("details", "TF-RS-0001")

    run(scenario)


def test_without_credentials_the_channel_is_off(
    monkeypatch: pytest.MonkeyPatch, platform: FakePlatform
) -> None:
    set_env(monkeypatch, platform, FACEBOOK_VERIFY=VERIFY)

    async def main() -> None:
        channel = ShopFacebookInput.from_credentials(None)
        assert channel.get_output_channel() is None
        async with serve(channel) as running:
            status, body = await post(running, WEBHOOK, **signed(messenger_event("hi")))
            assert status == 503
            assert json.loads(body)["error"] == (
                "facebook: disabled (set FACEBOOK_SECRET, FACEBOOK_PAGE_ACCESS_TOKEN)"
            )
            assert (await get(running, WEBHOOK))[0] == 503

    asyncio.run(main())
    assert platform.calls == []
