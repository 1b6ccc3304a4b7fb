"""Recorded webhook payloads of the messaging platforms, and their request signatures.

What Telegram, Slack, Messenger and Twilio post to a bot's webhook, shaped like the platforms'
own examples, and the signatures computed from the platforms' documented algorithms (not with
the code under test, so a channel that checks them wrongly fails). Standard library only: the
channel unit tests (rasa's environment) and the end-to-end tests (the app's) both use it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

CHAT_ID = 1111111


# -- recorded webhook payloads -------------------------------------------------------------

TELEGRAM_USER = {
    "id": CHAT_ID,
    "is_bot": False,
    "first_name": "Ana",
    "username": "ana_runs",
    "language_code": "en",
}


def telegram_update(text: str, update_id: int = 733491001) -> dict[str, Any]:
    """A Telegram ``message`` update as Telegram posts it."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1365,
            "from": TELEGRAM_USER,
            "chat": {
                "id": CHAT_ID,
                "first_name": "Ana",
                "username": "ana_runs",
                "type": "private",
            },
            "date": 1700000000,
            "text": text,
        },
    }


def telegram_callback(data: str, update_id: int = 733491002) -> dict[str, Any]:
    """A Telegram ``callback_query`` update (an inline keyboard tap)."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": "4382bfdwdsb323b2d9",
            "from": TELEGRAM_USER,
            "message": {
                "message_id": 1366,
                "from": {"id": 4242, "is_bot": True, "first_name": "Shop", "username": "shop_bot"},
                "chat": {"id": CHAT_ID, "type": "private"},
                "date": 1700000005,
                "text": "1. Fastpack Pro Running Shoe (Trailforge)",
            },
            "chat_instance": "-6182357124839",
            "data": data,
        },
    }


def slack_event(text: str, user: str = "U0SHOPPER", channel: str = "D0DIRECT") -> dict[str, Any]:
    """A Slack Events API ``event_callback`` for a direct message."""
    return {
        "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl",
        "team_id": "T0SHOP",
        "api_app_id": "A0SHOPBOT",
        "event": {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": "1700000000.000100",
            "event_ts": "1700000000.000100",
            "channel_type": "im",
        },
        "type": "event_callback",
        "event_id": "Ev0SHOP01",
        "event_time": 1700000000,
        "authorizations": [{"team_id": "T0SHOP", "user_id": "U0BOT", "is_bot": True}],
    }


def slack_action(value: str, user: str = "U0SHOPPER", channel: str = "D0DIRECT") -> str:
    """A Slack ``block_actions`` interaction (a button tap) as its form body."""
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": "ana", "team_id": "T0SHOP"},
        "api_app_id": "A0SHOPBOT",
        "container": {"type": "message", "message_ts": "1700000001.000200", "channel_id": channel},
        "channel": {"id": channel, "name": "directmessage"},
        "message": {"type": "message", "ts": "1700000001.000200", "text": "results"},
        "actions": [
            {
                "type": "button",
                "action_id": "card2-1",
                "block_id": "b2",
                "text": {"type": "plain_text", "text": "Details"},
                "value": value,
                "action_ts": "1700000002.000300",
            }
        ],
    }
    return "payload=" + quote(json.dumps(payload), safe="")


def messenger_event(text: str, psid: str = "6543210987654321") -> dict[str, Any]:
    """A Messenger webhook batch with one text message."""
    return {
        "object": "page",
        "entry": [
            {
                "id": "107000000000001",
                "time": 1700000000000,
                "messaging": [
                    {
                        "sender": {"id": psid},
                        "recipient": {"id": "107000000000001"},
                        "timestamp": 1700000000000,
                        "message": {"mid": "m_AbCdEf0123", "text": text},
                    }
                ],
            }
        ],
    }


def messenger_postback(payload: str, psid: str = "6543210987654321") -> dict[str, Any]:
    """A Messenger webhook batch with one postback (a template button tap)."""
    return {
        "object": "page",
        "entry": [
            {
                "id": "107000000000001",
                "time": 1700000001000,
                "messaging": [
                    {
                        "sender": {"id": psid},
                        "recipient": {"id": "107000000000001"},
                        "timestamp": 1700000001000,
                        "postback": {"title": "Details", "payload": payload, "mid": "m_Pb01"},
                    }
                ],
            }
        ],
    }


def twilio_form(text: str, sender: str = "whatsapp:+15551234567") -> dict[str, str]:
    """A Twilio WhatsApp inbound message as its form fields."""
    return {
        "SmsMessageSid": "SM0123456789abcdef0123456789abcdef",
        "NumMedia": "0",
        "ProfileName": "Ana",
        "SmsSid": "SM0123456789abcdef0123456789abcdef",
        "WaId": sender.removeprefix("whatsapp:+"),
        "SmsStatus": "received",
        "Body": text,
        "To": "whatsapp:+14155238886",
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": "SM0123456789abcdef0123456789abcdef",
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }


# -- signatures, as the platforms document them ----------------------------------------------


def slack_headers(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """``X-Slack-Signature`` v0 headers for a body."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + stamp.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def hub_signature(secret: str, body: bytes, algorithm: str = "sha256") -> dict[str, str]:
    """Messenger's ``X-Hub-Signature-256`` (or ``X-Hub-Signature`` for sha1) header."""
    digest = hmac.new(secret.encode(), body, getattr(hashlib, algorithm)).hexdigest()
    header = "X-Hub-Signature-256" if algorithm == "sha256" else "X-Hub-Signature"
    return {header: f"{algorithm}={digest}"}


def twilio_signature(auth_token: str, url: str, form: Mapping[str, str]) -> str:
    """``X-Twilio-Signature``: base64 HMAC-SHA1 of the URL and the sorted key+value pairs."""
    data = url + "".join(key + form[key] for key in sorted(form))
    return base64.b64encode(
        hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    ).decode()
