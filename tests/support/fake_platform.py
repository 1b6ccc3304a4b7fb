"""The messaging platforms' APIs on a loopback port: records every request, answers like each API.

The channels' outbound HTTP is the edge the tests replace: point ``TELEGRAM_API_URL``,
``SLACK_API_URL``, ``FACEBOOK_GRAPH_URL`` and ``TWILIO_API_URL`` at :class:`FakePlatform`
(:meth:`FakePlatform.environment`) and every call the channels make arrives here, is recorded,
and is answered the way the real API answers a success:

- Telegram Bot API (``/telegram/bot<token>/<method>``): ``{"ok": true, "result": ...}``;
  ``getMe`` names the bot :data:`BOT_USERNAME`;
- Slack Web API (``/slack/api/<method>``): ``{"ok": true, "channel": ..., "ts": ...}``;
- Graph Send API (``/graph/v19.0/me/messages``): ``{"recipient_id": ..., "message_id": ...}``;
- Twilio Messages API (``/twilio/2010-04-01/Accounts/<sid>/Messages.json``): 201 with a
  message resource.

Standard library only, so both environments (rasa's and the app's) use it.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

BOT_USERNAME = "shop_test_bot"
GRAPH_VERSION = "v19.0"
TWILIO_SID = "AC" + "0" * 32


@dataclass
class Call:
    """One request the platform received."""

    platform: str  # telegram, slack, facebook, twilio
    method: str  # the API method: sendMessage, chat.postMessage, messages, Messages
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any  # parsed JSON, or the form as {name: [values]}
    raw: bytes = field(repr=False, default=b"")

    def field(self, name: str) -> Any:
        """A form field's single value, or a JSON body's key."""
        if isinstance(self.body, dict):
            value = self.body.get(name)
            if isinstance(value, list) and self.platform in ("telegram", "twilio"):
                return value[0] if len(value) == 1 else value
            return value
        return None

    def json_field(self, name: str) -> Any:
        """A form field holding JSON (Telegram's ``reply_markup``), decoded."""
        value = self.field(name)
        return json.loads(value) if isinstance(value, str) else value


class FakePlatform:
    """A threaded HTTP server on 127.0.0.1 recording calls to the four platforms."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._changed = threading.Condition()
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def environment(self) -> dict[str, str]:
        """The channels' API-address variables pointing here."""
        return {
            "TELEGRAM_API_URL": f"{self.url}/telegram",
            "SLACK_API_URL": f"{self.url}/slack/api/",
            "FACEBOOK_GRAPH_URL": f"{self.url}/graph/{GRAPH_VERSION}",
            "TWILIO_API_URL": f"{self.url}/twilio",
        }

    def start(self) -> FakePlatform:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> FakePlatform:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- reading what arrived ------------------------------------------------------------

    def of(self, platform: str, method: str | None = None) -> list[Call]:
        """The calls to one platform (and API method), oldest first."""
        with self._changed:
            return [
                c
                for c in self.calls
                if c.platform == platform and (method is None or c.method == method)
            ]

    def wait_for(
        self, predicate: Callable[[list[Call]], bool], timeout: float = 30.0
    ) -> list[Call]:
        """Wait until the recorded calls satisfy the predicate; returns them (or raises)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(list(self.calls)):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"the platform never got the expected calls: {self.calls}")
                self._changed.wait(remaining)
            return list(self.calls)

    def clear(self) -> None:
        with self._changed:
            self.calls.clear()

    # -- the HTTP side -------------------------------------------------------------------

    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _answer(self, call: Call) -> tuple[int, Any]:
        number = next(self._ids)
        if call.platform == "telegram":
            if call.method == "getMe":
                result: Any = {
                    "id": 4242,
                    "is_bot": True,
                    "first_name": "Shop",
                    "username": BOT_USERNAME,
                }
            elif call.method.startswith("send"):
                chat = call.field("chat_id")
                result = {
                    "message_id": number,
                    "date": int(time.time()),
                    "chat": {"id": int(chat) if str(chat).lstrip("-").isdigit() else chat},
                }
            else:
                result = True
            return 200, {"ok": True, "result": result}
        if call.platform == "slack":
            channel = call.body.get("channel") if isinstance(call.body, dict) else None
            return 200, {"ok": True, "channel": channel, "ts": f"1700000000.{number:06d}"}
        if call.platform == "facebook":
            recipient = (call.body or {}).get("recipient", {}).get("id")
            answer = {"recipient_id": recipient}
            if "message" in (call.body or {}):
                answer["message_id"] = f"m_{number}"
            return 200, answer
        if call.platform == "twilio":
            return 201, {
                "sid": f"SM{number:032d}",
                "account_sid": TWILIO_SID,
                "to": call.field("To"),
                "from": call.field("From"),
                "body": call.field("Body"),
                "status": "queued",
                "num_media": str(len(call.body.get("MediaUrl", []))),
                "api_version": "2010-04-01",
            }
        return 404, {"error": "unknown platform"}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._handle()

            def do_POST(self) -> None:
                self._handle()

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
                body: Any
                if kind == "application/json":
                    body = json.loads(raw or b"null")
                elif kind == "application/x-www-form-urlencoded":
                    body = parse_qs(raw.decode(), keep_blank_values=True)
                else:
                    body = raw.decode(errors="replace")
                segments = [s for s in parts.path.split("/") if s]
                name = segments[0] if segments else ""
                call = Call(
                    platform={"graph": "facebook"}.get(name, name),
                    method=segments[-1].removesuffix(".json") if segments else "",
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k: v for k, v in self.headers.items()},
                    body=body,
                    raw=raw,
                )
                platform._record(call)
                status, answer = platform._answer(call)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


@contextmanager
def fake_platform() -> Iterator[FakePlatform]:
    """A started fake platform, stopped afterwards."""
    with FakePlatform() as platform:
        yield platform


#: The four channels' credentials the end-to-end stack runs with (fake values, loopback only).
CHANNEL_CREDENTIALS = {
    "TELEGRAM_TOKEN": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
    "TELEGRAM_VERIFY": BOT_USERNAME,
    "TELEGRAM_SECRET_TOKEN": "e2e-telegram-secret",
    "SLACK_TOKEN": "xoxb-0000000000-1111111111111-e2eSlackBotToken",
    "SLACK_SIGNING_SECRET": "e2e-slack-signing-secret",
    "FACEBOOK_VERIFY": "e2e-facebook-verify",
    "FACEBOOK_SECRET": "e2e-facebook-app-secret",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "EAAGe2ePageAccessToken",
    "TWILIO_ACCOUNT_SID": TWILIO_SID,
    "TWILIO_AUTH_TOKEN": "e2e0twilio0auth0token00000000000",
    "TWILIO_NUMBER": "whatsapp:+14155238886",
}


def channel_environment(platform: FakePlatform) -> dict[str, str]:
    """The stack's environment for the messaging channels: credentials, API addresses here."""
    return {
        **CHANNEL_CREDENTIALS,
        **platform.environment(),
        "RICH_CHANNELS": "socketio,rest,telegram,slack,facebook,twilio",
    }
