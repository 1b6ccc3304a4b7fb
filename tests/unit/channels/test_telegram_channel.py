"""The Telegram channel on a real Sanic server, the Bot API replaced by a fake on loopback."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator

import pytest

from assistant.channels.telegram import ShopTelegramInput, ShopTelegramOutput
from formats.cards import payload
from tests.support.fake_platform import BOT_USERNAME, FakePlatform
from tests.unit.channels.channel_harness import Running, serve
from tests.unit.channels.messaging_harness import (
    CAROUSEL,
    CHAT_ID,
    get,
    post,
    set_env,
    store_with,
    telegram_callback,
    telegram_update,
)

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SECRET = "s3cret-token_for-webhook"
WEBHOOK = "/webhooks/telegram/webhook"


@pytest.fixture()
def platform() -> Iterator[FakePlatform]:
    with FakePlatform() as running:
        yield running


@pytest.fixture()
def configured(monkeypatch: pytest.MonkeyPatch, platform: FakePlatform) -> FakePlatform:
    set_env(
        monkeypatch,
        platform,
        TELEGRAM_TOKEN=TOKEN,
        TELEGRAM_VERIFY=BOT_USERNAME,
        TELEGRAM_WEBHOOK_URL="https://bot.shop.example/webhooks/telegram/webhook",
        TELEGRAM_SECRET_TOKEN=SECRET,
    )
    return platform


def run(scenario: Callable[[Running], Awaitable[None]]) -> None:
    async def main() -> None:
        async with serve(ShopTelegramInput.from_credentials(None)) as running:
            await scenario(running)

    asyncio.run(main())


def headers(secret: str | None = SECRET) -> dict[str, str]:
    return {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}


def test_an_update_becomes_a_user_message_and_the_reply_goes_to_the_chat(
    configured: FakePlatform,
) -> None:
    async def scenario(running: Running) -> None:
        status, body = await post(
            running, WEBHOOK, json_body=telegram_update("red running shoes"), headers=headers()
        )
        assert (status, body) == (200, "success")
        (message,) = running.recorder.messages
        assert message.text == "red running shoes"
        assert message.sender_id == str(CHAT_ID)
        assert message.input_channel == "telegram"
        assert isinstance(message.output_channel, ShopTelegramOutput)

    run(scenario)
    assert [c.method for c in configured.of("telegram")] == ["getMe", "sendMessage"]
    sent = configured.of("telegram", "sendMessage")[0]
    assert sent.path == f"/telegram/bot{TOKEN}/sendMessage"
    assert sent.field("chat_id") == str(CHAT_ID)
    assert sent.field("text") == "reply to red running shoes"


def test_the_bot_is_asked_for_its_name_once(configured: FakePlatform) -> None:
    async def scenario(running: Running) -> None:
        for number in range(3):
            update = telegram_update(f"message {number}", update_id=900 + number)
            assert (await post(running, WEBHOOK, json_body=update, headers=headers()))[0] == 200

    run(scenario)
    assert len(configured.of("telegram", "getMe")) == 1
    assert len(configured.of("telegram", "sendMessage")) == 3


@pytest.mark.parametrize("secret", [None, "wrong-token", SECRET + "x"])
def test_updates_without_the_secret_token_are_refused(
    configured: FakePlatform, secret: str | None
) -> None:
    async def scenario(running: Running) -> None:
        status, body = await post(
            running, WEBHOOK, json_body=telegram_update("hi"), headers=headers(secret)
        )
        assert status == 403
        assert "secret token" in body
        assert running.recorder.messages == []

    run(scenario)
    assert configured.calls == []


def test_an_update_for_another_bot_is_refused(
    monkeypatch: pytest.MonkeyPatch, platform: FakePlatform
) -> None:
    set_env(monkeypatch, platform, TELEGRAM_TOKEN=TOKEN, TELEGRAM_VERIFY="some_other_bot")

    async def scenario(running: Running) -> None:
        status, _ = await post(running, WEBHOOK, json_body=telegram_update("hi"))
        assert status == 403
        assert running.recorder.messages == []

    run(scenario)
    assert [c.method for c in platform.of("telegram")] == ["getMe"]


def test_a_button_tap_delivers_the_payload_and_is_acknowledged(configured: FakePlatform) -> None:
    details = payload("details", "TF-RS-0002")

    async def scenario(running: Running) -> None:
        status, _ = await post(
            running, WEBHOOK, json_body=telegram_callback(details), headers=headers()
        )
        assert status == 200
        (message,) = running.recorder.messages
        assert message.text == details
        assert message.sender_id == str(CHAT_ID)

    run(scenario)
    (answer,) = configured.of("telegram", "answerCallbackQuery")
    assert answer.field("callback_query_id") == "4382bfdwdsb323b2d9"


def test_the_carousel_arrives_as_one_message_per_card_with_an_inline_keyboard(
    configured: FakePlatform,
) -> None:
    async def scenario(running: Running) -> None:
        running.recorder.custom_reply = CAROUSEL
        assert (
            await post(running, WEBHOOK, json_body=telegram_update("shoes"), headers=headers())
        )[0] == 200

    run(scenario)
    sent = [c for c in configured.of("telegram") if c.method in ("sendMessage", "sendPhoto")]
    assert [c.method for c in sent] == ["sendMessage", "sendMessage", "sendPhoto"]
    first, second = sent[1], sent[2]
    assert first.field("text").startswith("1. Fastpack Pro Running Shoe (Trailforge)")
    assert "$89 · ★ 4.6 (120) · In stock" in first.field("text")
    keyboard = first.json_field("reply_markup")["inline_keyboard"]
    assert keyboard == [
        [
            {"text": "Details", "callback_data": payload("details", "TF-RS-0001")},
            {"text": "More like this", "callback_data": payload("similar", "TF-RS-0001")},
            {"text": "Compare", "callback_data": payload("compare", "TF-RS-0001")},
        ]
    ]
    assert second.field("photo") == "https://cdn.shop.example/tempo.png"
    assert second.field("caption").startswith("2. Tempo Racer")
    assert "you usually buy size 10" in second.field("caption")
    assert second.json_field("reply_markup")["inline_keyboard"][0][0]["callback_data"] == (
        payload("details", "TF-RS-0002")
    )


def test_buttons_become_an_inline_keyboard_and_agent_replies_name_the_agent(
    configured: FakePlatform,
) -> None:
    async def main() -> None:
        channel = ShopTelegramInput.from_credentials(None)
        output = channel.get_output_channel()
        assert output is not None
        await output.send_response(
            str(CHAT_ID),
            {
                "text": "Did that help?",
                "buttons": [
                    {"title": "Yes", "payload": "/affirm"},
                    {"title": "No", "payload": "/deny"},
                ],
            },
        )
        await output.send_response(
            str(CHAT_ID), {"text": "I found it for you", "agent": "Alice", "timestamp": 1.0}
        )
        await output._session.close()

    asyncio.run(main())
    buttons, agent = configured.of("telegram", "sendMessage")
    assert buttons.field("text") == "Did that help?"
    assert json.loads(buttons.field("reply_markup")) == {
        "inline_keyboard": [
            [{"text": "Yes", "callback_data": "/affirm"}],
            [{"text": "No", "callback_data": "/deny"}],
        ]
    }
    assert agent.field("text") == "Alice: I found it for you"


def test_making_the_output_channel_calls_nothing_and_set_webhook_is_on_request(
    configured: FakePlatform,
) -> None:
    async def scenario(running: Running) -> None:
        channel = running.channels[0]
        assert channel.get_output_channel() is channel.get_output_channel()
        assert configured.calls == []
        status, body = await get(running, "/webhooks/telegram/set_webhook")
        assert (status, body) == (200, "Webhook setup successful")

    run(scenario)
    (call,) = configured.calls
    assert call.method == "setWebhook"
    assert call.field("url") == "https://bot.shop.example/webhooks/telegram/webhook"
    assert call.field("secret_token") == SECRET


def test_a_number_picks_the_product_of_the_last_carousel(configured: FakePlatform) -> None:
    async def scenario(running: Running) -> None:
        running.recorder.tracker_store = await store_with(
            str(CHAT_ID), {"text": "Here you go", "custom": CAROUSEL}
        )
        for text in ("2", "7"):
            update = telegram_update(text, update_id=hash(text) % 1000)
            assert (await post(running, WEBHOOK, json_body=update, headers=headers()))[0] == 200
        picked, out_of_range = running.recorder.messages
        assert picked.text == payload("details", "TF-RS-0002")
        assert out_of_range.text == "7"

    run(scenario)


def test_without_credentials_the_channel_is_off_and_says_why(
    monkeypatch: pytest.MonkeyPatch, platform: FakePlatform, caplog: pytest.LogCaptureFixture
) -> None:
    set_env(monkeypatch, platform)
    caplog.set_level("INFO")

    async def main() -> None:
        channel = ShopTelegramInput.from_credentials(None)
        assert channel.get_output_channel() is None
        async with serve(channel) as running:
            status, body = await post(running, WEBHOOK, json_body=telegram_update("hi"))
            assert status == 503
            assert json.loads(body)["error"] == (
                "telegram: disabled (set TELEGRAM_TOKEN, TELEGRAM_VERIFY)"
            )
            assert (await get(running, "/webhooks/telegram/set_webhook"))[0] == 503
            assert running.recorder.messages == []

    asyncio.run(main())
    assert platform.calls == []
    disabled = [r for r in caplog.records if "telegram: disabled" in r.getMessage()]
    assert len(disabled) == 1


def test_a_malformed_token_disables_the_channel(
    monkeypatch: pytest.MonkeyPatch, platform: FakePlatform
) -> None:
    set_env(monkeypatch, platform, TELEGRAM_TOKEN="not-a-token", TELEGRAM_VERIFY=BOT_USERNAME)
    channel = ShopTelegramInput.from_credentials(None)
    assert channel.disabled_reason == "telegram: disabled (TELEGRAM_TOKEN is not a bot token)"
    assert channel.get_output_channel() is None
