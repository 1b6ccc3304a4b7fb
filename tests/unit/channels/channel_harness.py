"""A real Sanic server with the project's channels on a loopback port, and a socket.io browser.

The channels are registered exactly as Rasa does it (``rasa.core.channels.channel.register``);
instead of an agent, a recorder keeps every ``UserMessage`` and answers through the message's
own output channel, so routing of bot messages is exercised for real.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import secrets
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import jwt
import socketio
from rasa.core.channels.channel import InputChannel, UserMessage, register
from sanic import Sanic
from socketio.packet import DISCONNECT

SECRET = "test-secret-" + "x" * 40
OTHER_SECRET = "other-secret-" + "y" * 40
WAIT = 10.0  # longest wait for an event that must arrive (never asserted on)

_app_numbers = itertools.count()


def token(
    sub: Any = "CUS-1001",
    *,
    secret: str = SECRET,
    ttl: int = 900,
    algorithm: str = "HS256",
    **claims: Any,
) -> str:
    """A customer token as the shop's page signs it."""
    payload: dict[str, Any] = {"iat": int(time.time()), "exp": int(time.time()) + ttl}
    if sub is not None:
        payload["sub"] = sub
    payload.update(claims)
    return jwt.encode(payload, secret, algorithm=algorithm)


def client_session_id() -> str:
    """A fresh client session id as the widget makes one."""
    return secrets.token_urlsafe(24)


class Recorder:
    """Stands in for Rasa's agent: records messages and replies through their output channel."""

    def __init__(self) -> None:
        self.messages: list[UserMessage] = []
        self.custom_reply: dict[str, Any] | None = None

    async def handle_message(self, message: UserMessage) -> None:
        self.messages.append(message)
        assert message.output_channel is not None
        await message.output_channel.send_text_message(
            message.sender_id, f"reply to {message.text[:40]}"
        )
        if self.custom_reply is not None:
            await message.output_channel.send_custom_json(
                message.sender_id, dict(self.custom_reply)
            )


@dataclass
class Running:
    """A running server."""

    url: str
    recorder: Recorder
    channels: list[InputChannel] = field(default_factory=list)


@asynccontextmanager
async def serve(*channels: InputChannel) -> AsyncIterator[Running]:
    """Serve the channels under ``/webhooks/`` on a free loopback port."""
    Sanic.test_mode = True  # lets several apps start in one process (sanic's TouchUp)
    app = Sanic(f"channel-test-{next(_app_numbers)}")
    app.config.ACCESS_LOG = False
    recorder = Recorder()
    app.ctx.agent = recorder
    register(list(channels), app, route="/webhooks/")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
    assert server is not None  # create_server already awaited the listening socket
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield Running(f"http://127.0.0.1:{port}", recorder, list(channels))
    finally:
        await server.before_stop()
        closing = server.close()
        if closing is not None:
            await closing
        await server.after_stop()
        sock.close()


class Browser:
    """One browser tab on the socket.io channel."""

    def __init__(self, url: str, token: str | None = None, session_id: str | None = None):
        self.url = url
        self.token = token
        self.session_id = session_id
        self.sio = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue[Any] = asyncio.Queue()
        self.received: list[Any] = []
        self.auth_errors: asyncio.Queue[Any] = asyncio.Queue()
        self.connect_errors: list[Any] = []
        self.confirmations: asyncio.Queue[Any] = asyncio.Queue()
        # The client disconnects itself after a refused connect; do that without waiting too.
        self.sio.disconnect = self.close  # type: ignore[method-assign]

        @self.sio.on("bot_uttered")
        async def on_bot(data: Any) -> None:
            self.received.append(data)
            await self.replies.put(data)

        @self.sio.on("session_confirm")
        async def on_confirm(data: Any) -> None:
            await self.confirmations.put(data)

        @self.sio.on("auth_error")
        async def on_auth_error(data: Any) -> None:
            await self.auth_errors.put(data)

        @self.sio.on("connect_error")
        async def on_connect_error(data: Any) -> None:
            self.connect_errors.append(data)

    async def connect(self, *, auth: Any = None, transports: list[str] | None = None) -> Browser:
        if auth is None and self.token is not None:
            auth = {"token": self.token}
        await self.sio.connect(
            self.url,
            auth=auth,
            # The rasa env's aiohttp (3.9) lacks what engineio's websocket *client* needs,
            # so these tests use long-polling; the server handlers are the same.
            transports=transports or ["polling"],
            wait_timeout=WAIT,
        )
        return self

    async def start_session(self, payload: Any = None) -> Any:
        """Send ``session_request`` and return what ``session_confirm`` carried."""
        if payload is None:
            payload = {"session_id": self.session_id}
        await self.sio.emit("session_request", payload)
        return await asyncio.wait_for(self.confirmations.get(), WAIT)

    async def send(self, text: str, **extra: Any) -> None:
        await self.sio.emit("user_uttered", {"message": text, **extra})

    async def say(self, text: str, **extra: Any) -> Any:
        """Send a message and return the first bot message that arrives afterwards."""
        await self.send(text, **extra)
        return await asyncio.wait_for(self.replies.get(), WAIT)

    async def close(self) -> None:
        """Disconnect the socket.io session, then drop the transport without waiting.

        ``AsyncClient.disconnect`` waits for the pending long-poll GET, which the sanic
        driver only answers at the next ping (~30 s); the socket.io DISCONNECT packet is
        what the channel acts on, so the transport is aborted after sending it.
        """
        for namespace in list(self.sio.namespaces):
            await self.sio._send_packet(self.sio.packet_class(DISCONNECT, namespace=namespace))
        eio = self.sio.eio
        await eio.disconnect(abort=True)
        if eio.read_loop_task is not None and not eio.read_loop_task.done():
            eio.read_loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await eio.read_loop_task
        if eio.http is not None and not eio.http.closed:
            await eio.http.close()


async def wait_until(predicate: Any) -> None:
    """Poll a condition the server side fulfils asynchronously (bounded by ``WAIT``)."""

    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), WAIT)
