"""An ASGI guard in front of a service: the token on its API paths, body size and type.

It runs before FastAPI parses anything, so a caller without the token learns nothing
(not even whether its JSON was valid), and an oversized body (or a non-JSON body on an API
path) is refused before it reaches a handler.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from servicekit.auth import AUTH_FAILED, token_matches

__all__ = ["RequestGuard", "MAX_BODY_BYTES"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Largest request body accepted (64 KB).
MAX_BODY_BYTES = 64 * 1024
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def _reply(send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]]) -> None:
    body = json.dumps({"detail": detail}).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode("ascii")),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestGuard:
    """Checks the token on the API paths, every body's size, and API bodies' content type."""

    def __init__(
        self, app: ASGIApp, token: bytes, *, api_prefix: str, max_body: int = MAX_BODY_BYTES
    ) -> None:
        """Wrap an ASGI app.

        Args:
            app: The app.
            token: The service's token, UTF-8 encoded.
            api_prefix: The paths that need the token (``/v1``: ``/v1`` and ``/v1/...``).
            max_body: Largest body accepted, in bytes.
        """
        self.app = app
        self._token = token
        self._prefix = api_prefix.rstrip("/")
        self._max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call.

        Args:
            scope: The ASGI scope.
            receive: The ASGI receive channel.
            send: The ASGI send channel.
        """
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        path = scope["path"]
        api = path == self._prefix or path.startswith(self._prefix + "/")
        if api and not token_matches(headers.get("authorization"), self._token):
            await _reply(send, 401, AUTH_FAILED, [(b"www-authenticate", b"Bearer")])
            return
        if scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_body:
            await _reply(send, 413, "request body is larger than 64 KB", [])
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self._max_body:
                await _reply(send, 413, "request body is larger than 64 KB", [])
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body and api:
            media = headers.get("content-type", "").split(";")[0].strip().lower()
            if media != "application/json" and not media.endswith("+json"):
                await _reply(send, 415, "request body must be JSON (application/json)", [])
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
