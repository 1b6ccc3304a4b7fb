"""A shopper on the widget's socket.io channel, as the widget talks to it (for e2e tests)."""

from __future__ import annotations

import asyncio
import secrets
import time
from typing import Any

import jwt
import socketio


def customer_token(secret: str, customer_id: str, *, ttl: int = 900, **claims: Any) -> str:
    """A token the shop's page would sign for a logged-in customer (HS256).

    Args:
        secret: The shared secret (``IDENTITY_JWT_SECRET``).
        customer_id: The ``sub`` claim.
        ttl: Seconds until it expires (negative: already expired).
        claims: Extra claims.

    Returns:
        The token.
    """
    now = int(time.time())
    payload = {"sub": customer_id, "iat": now, "exp": now + ttl, **claims}
    return jwt.encode(payload, secret, algorithm="HS256")


class SocketShopper:
    """One browser tab: connects, asks for its session, says things, collects replies."""

    def __init__(self, url: str, token: str | None = None, session_id: str | None = None) -> None:
        """Prepare (nothing connects yet).

        Args:
            url: Rasa's base URL.
            token: The signed customer token; ``None`` for an anonymous visitor.
            session_id: The client's own session id (random when omitted).
        """
        self.url = url
        self.token = token
        self.session_id = session_id or secrets.token_urlsafe(24)
        self.sio = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.auth_errors: list[dict[str, Any]] = []
        self._confirmed = asyncio.Event()

        @self.sio.on("bot_uttered")
        async def on_bot(data: dict[str, Any]) -> None:
            await self.replies.put(data)

        @self.sio.on("session_confirm")
        async def on_confirm(data: Any) -> None:
            self._confirmed.set()

        @self.sio.on("auth_error")
        async def on_auth_error(data: dict[str, Any]) -> None:
            self.auth_errors.append(data)

    async def connect(self) -> SocketShopper:
        """Connect (with the token when there is one) and start the session.

        Returns:
            Itself.

        Raises:
            socketio.exceptions.ConnectionError: The server refused the connection.
        """
        auth = {"token": self.token} if self.token else None
        await self.sio.connect(self.url, auth=auth, transports=["websocket"], wait_timeout=10)
        await self.sio.emit("session_request", {"session_id": self.session_id})
        await asyncio.wait_for(self._confirmed.wait(), timeout=10)
        return self

    async def say(
        self, text: str, *, quiet: float = 1.5, timeout: float = 60.0
    ) -> list[dict[str, Any]]:
        """Send a message and collect the replies until the bot has been quiet a while.

        Args:
            text: What the shopper types.
            quiet: Seconds without a new reply that end the turn (after the first reply).
            timeout: Longest wait for the first reply.

        Returns:
            The bot's messages (``text``, ``quick_replies``, ``attachment`` ...).
        """
        await self.sio.emit(
            "user_uttered", {"message": text, "session_id": self.session_id, "metadata": {}}
        )
        return await self.collect(quiet=quiet, timeout=timeout)

    async def collect(self, *, quiet: float = 1.5, timeout: float = 60.0) -> list[dict[str, Any]]:
        """Replies that arrive until the bot has been quiet for ``quiet`` seconds.

        Args:
            quiet: Seconds without a new reply that end the collection.
            timeout: Longest wait for the first reply (0 replies then).

        Returns:
            The messages.
        """
        found: list[dict[str, Any]] = []
        try:
            found.append(await asyncio.wait_for(self.replies.get(), timeout=timeout))
        except TimeoutError:
            return found
        while True:
            try:
                found.append(await asyncio.wait_for(self.replies.get(), timeout=quiet))
            except TimeoutError:
                return found

    async def close(self) -> None:
        """Disconnect."""
        await self.sio.disconnect()


def texts(messages: list[dict[str, Any]]) -> str:
    """The text of every message, one per line."""
    return "\n".join(str(m.get("text", "")) for m in messages if m.get("text"))


def carousels(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The product carousel payloads among the messages."""
    found = []
    for message in messages:
        payload = message.get("attachment") or message.get("custom") or {}
        if isinstance(payload, dict) and payload.get("type") == "product_carousel":
            found.append(payload)
    return found
