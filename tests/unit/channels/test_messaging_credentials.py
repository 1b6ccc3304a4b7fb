"""The credentials file builds the four messaging channels, each on only with its variables."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from rasa.core.run import create_http_input_channels

from assistant.channels.facebook import ShopFacebookInput
from assistant.channels.slack import ShopSlackInput
from assistant.channels.telegram import ShopTelegramInput
from assistant.channels.twilio import ShopTwilioInput
from tests.support.fake_platform import BOT_USERNAME, TWILIO_SID, FakePlatform
from tests.unit.channels.channel_harness import serve
from tests.unit.channels.messaging_harness import set_env

ROOT = Path(__file__).resolve().parents[3]
CREDENTIALS = str(ROOT / "assistant" / "credentials.yml")
MESSAGING = {
    "telegram": ShopTelegramInput,
    "slack": ShopSlackInput,
    "facebook": ShopFacebookInput,
    "twilio": ShopTwilioInput,
}
ALL_SET = {
    "TELEGRAM_TOKEN": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
    "TELEGRAM_VERIFY": BOT_USERNAME,
    "SLACK_TOKEN": "xoxb-1-2-abc",
    "SLACK_SIGNING_SECRET": "signing-secret",
    "FACEBOOK_VERIFY": "verify",
    "FACEBOOK_SECRET": "app-secret",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "EAAG",
    "TWILIO_ACCOUNT_SID": TWILIO_SID,
    "TWILIO_AUTH_TOKEN": "auth-token",
    "TWILIO_NUMBER": "whatsapp:+14155238886",
}


@pytest.fixture()
def platform() -> Iterator[FakePlatform]:
    with FakePlatform() as running:
        yield running


def messaging_channels() -> dict[str, object]:
    channels = create_http_input_channels(None, CREDENTIALS)
    return {c.name(): c for c in channels if c.name() in MESSAGING}


def test_without_variables_rasa_builds_every_channel_disabled_and_calls_nothing(
    monkeypatch: pytest.MonkeyPatch, platform: FakePlatform, caplog: pytest.LogCaptureFixture
) -> None:
    set_env(monkeypatch, platform)
    caplog.set_level("INFO")
    channels = messaging_channels()
    assert {name: type(c) for name, c in channels.items()} == MESSAGING
    assert all(c.disabled_reason for c in channels.values())  # type: ignore[attr-defined]
    logged = [r.getMessage() for r in caplog.records if ": disabled (set " in r.getMessage()]
    assert sorted(logged) == [
        "facebook: disabled (set FACEBOOK_VERIFY, FACEBOOK_SECRET, FACEBOOK_PAGE_ACCESS_TOKEN)",
        "slack: disabled (set SLACK_TOKEN, SLACK_SIGNING_SECRET)",
        "telegram: disabled (set TELEGRAM_TOKEN, TELEGRAM_VERIFY)",
        "twilio: disabled (set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER)",
    ]

    async def main() -> None:
        async with serve(*channels.values()) as running:  # type: ignore[arg-type]
            async with aiohttp.ClientSession() as http:
                for name in MESSAGING:
                    url = f"{running.url}/webhooks/{name}/webhook"
                    async with http.post(url, data=b"{}") as answer:
                        assert answer.status == 503
                        assert name in json.loads(await answer.text())["error"]

    asyncio.run(main())
    assert platform.calls == []


def test_with_variables_every_channel_is_on_and_still_calls_nothing_at_start(
    monkeypatch: pytest.MonkeyPatch, platform: FakePlatform
) -> None:
    set_env(monkeypatch, platform, **ALL_SET)
    channels = messaging_channels()
    assert not any(c.disabled_reason for c in channels.values())  # type: ignore[attr-defined]

    async def main() -> None:
        async with serve(*channels.values()) as running:  # type: ignore[arg-type]
            for channel in running.channels:
                assert channel.get_output_channel() is not None
            async with aiohttp.ClientSession() as http:
                for name in MESSAGING:
                    async with http.get(f"{running.url}/webhooks/{name}/") as answer:
                        assert answer.status == 200

    asyncio.run(main())
    assert platform.calls == []
