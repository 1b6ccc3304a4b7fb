"""The shop's socket.io channel: verified customer identity, unguessable conversations.

:class:`VerifiedSocketIOInput` subclasses Rasa 3.6's ``SocketIOInput`` and replaces the three
things it takes from the browser on trust: the token is verified on connect and its claims
kept per socket, the conversation id is derived from the verified identity and the client's
session id with an HMAC, and the message metadata carries the verified customer id,
overwriting whatever the client sent. The full trust model is in the package docstring
(``assistant/channels/__init__.py``); shop developers read ``docs/identity.md``.

Configuration (``assistant/credentials.yml``)::

    assistant.channels.socketio.VerifiedSocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
      # jwt_secret_env: IDENTITY_JWT_SECRET   (name of the variable holding the secret)
      # origins_env: WIDGET_ORIGINS           (variable with the allowed page origins)
      # cors_allowed_origins: [https://shop.example]   (more origins, fixed in the file)
      # redis_url_env: SOCKETIO_REDIS_URL     (several replicas: variable with the Redis URL)
      # redis_channel: shop-socketio          (the replicas' Redis pub/sub channel)

Bot messages go out through :mod:`assistant.channels.socketio_output`: custom payloads
(product carousels) as ``{"custom": {...}}`` to the conversation's room, the same shape as the
REST channel's replies; messages an agent writes in the handoff console (bot events with
metadata ``{"agent": name}``) carry ``"agent": {"name": name}``. What is accepted from browsers
(metadata, origins, re-sent messages) is in :mod:`assistant.channels.browser_input`.

For the widget (``widget/``, ``docs/widget.md``): right after ``session_confirm`` the socket
alone gets ``history`` ``{"messages": [...]}`` (:mod:`assistant.channels.history`), the
conversation's last messages in the shapes ``bot_uttered`` uses plus ``"sender": "user"|"bot"``;
a ``user_uttered`` with a ``client_id`` seen for the same conversation in the last minutes is
acknowledged and dropped (a message the widget re-sends after a reconnect is handled once).
Browsers connect only from the page origins allowed in ``WIDGET_ORIGINS`` (comma separated;
``*`` allows any, logged as a warning) or the channel's own origin.

Several rasa replicas (``docs/widget.md``): with ``redis_url_env`` naming a variable that holds
a Redis URL, the socket.io server shares its emits through Redis
(:mod:`assistant.channels.replicas`), so a bot message sent by one replica reaches a socket held
by another; a Redis outage leaves each replica delivering to its own sockets.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer
from socketio.exceptions import ConnectionRefusedError as SocketConnectionRefused

from assistant.channels.browser_input import (
    DEFAULT_ORIGINS_ENV,
    RecentClientIds,
    allowed_client_metadata,
    allowed_origins,
    client_id,
)
from assistant.channels.history import HISTORY_EVENT, history_messages
from assistant.channels.identity import (
    Claims,
    InvalidToken,
    derive_sender_id,
    valid_client_session_id,
    verify_customer_token,
)
from assistant.channels.options import OptionChooser
from assistant.channels.replicas import DEFAULT_CHANNEL as DEFAULT_REDIS_CHANNEL
from assistant.channels.replicas import ReplicaRedisManager
from assistant.channels.replicas import start as start_client_manager
from assistant.channels.replicas import stop as stop_client_manager
from assistant.channels.socketio_output import VerifiedSocketIOOutput
from assistant.speedups import install as install_speedups
from redact.filter import install_record_factory

__all__ = ["DEFAULT_SECRET_ENV", "MAX_MESSAGE_CHARS", "VerifiedSocketIOInput"]

logger = logging.getLogger(__name__)

#: Environment variable holding the token secret (``jwt_secret_env`` renames it).
DEFAULT_SECRET_ENV = "IDENTITY_JWT_SECRET"
#: Longer messages are cut to this many characters.
MAX_MESSAGE_CHARS = 5000
#: Event sent to a socket whose token expired; its message is dropped.
AUTH_ERROR_EVENT = "auth_error"
#: Shorter secrets are accepted but logged as weak.
MIN_SECRET_BYTES = 32


@dataclass
class _Socket:
    """What the channel knows about one connected socket."""

    claims: Claims | None
    sender_id: str | None = None


class _Blueprint(SocketBlueprint):
    """Rasa's socket.io blueprint, telling the channel which app it joined (for its agent)."""

    def __init__(self, channel: VerifiedSocketIOInput, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ctx.channel = channel  # sanic blueprints take no attributes of their own

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        """Attach the socket.io server and remember the app (``app.ctx.agent`` is Rasa's agent)."""
        self.ctx.channel._app = app
        super().register(app, options)


class VerifiedSocketIOInput(SocketIOInput):
    """socket.io input that verifies the shop's customer token (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        """The channel's name: ``socketio``, as the widget and ``RICH_CHANNELS`` expect."""
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build the channel from its ``credentials.yml`` block; reads the secret once.

        Args:
            credentials: The block's options.

        Returns:
            The channel.
        """
        # The channel is built once when rasa starts: from here on, no email, phone,
        # address or token in rasa's log records (redact/filter.py).
        install_record_factory()
        # Rasa re-checks its JSON schemas on every validation (assistant/speedups.py).
        install_speedups()
        credentials = credentials or {}
        if credentials.get("jwt_key"):
            logger.warning("socketio: 'jwt_key' is ignored; the secret comes from the environment")
        env_name = str(credentials.get("jwt_secret_env") or DEFAULT_SECRET_ENV)
        origins_env = str(credentials.get("origins_env") or DEFAULT_ORIGINS_ENV)
        redis_env = credentials.get("redis_url_env")
        redis_url = (os.environ.get(str(redis_env)) or "").strip() if redis_env else ""
        if redis_env and not redis_url:
            logger.info(
                "socketio: %s is not set; bot messages reach only the sockets of the replica "
                "that sends them (enough for a single rasa)",
                redis_env,
            )
        return cls(
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            namespace=credentials.get("namespace"),
            session_persistence=bool(credentials.get("session_persistence", True)),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            metadata_key=credentials.get("metadata_key", "metadata"),
            secret=os.environ.get(env_name) or None,
            secret_env=env_name,
            cors_allowed_origins=allowed_origins(
                credentials.get("cors_allowed_origins"), os.environ.get(origins_env)
            ),
            redis_url=redis_url or None,
            redis_channel=str(credentials.get("redis_channel") or DEFAULT_REDIS_CHANNEL),
        )

    def __init__(
        self,
        user_message_evt: str = "user_uttered",
        bot_message_evt: str = "bot_uttered",
        namespace: str | None = None,
        session_persistence: bool = True,
        socketio_path: str = "/socket.io",
        metadata_key: str = "metadata",
        *,
        secret: str | None = None,
        secret_env: str = DEFAULT_SECRET_ENV,
        leeway: int = 30,
        max_message_chars: int = MAX_MESSAGE_CHARS,
        clock: Callable[[], float] = time.time,
        cors_allowed_origins: list[str] | str | None = None,
        recent_client_ids: RecentClientIds | None = None,
        redis_url: str | None = None,
        redis_channel: str = DEFAULT_REDIS_CHANNEL,
    ) -> None:
        """Create the channel.

        Args:
            user_message_evt: Event name of shopper messages.
            bot_message_evt: Event name of bot messages.
            namespace: The socket.io namespace (``None`` for ``/``).
            session_persistence: Honour the client's session id (same id, same
                conversation). When false every socket gets a fresh conversation.
            socketio_path: Path the socket.io server is mounted on.
            metadata_key: Key of the client's metadata in ``user_uttered``.
            secret: The HS256 secret shared with the shop's page; ``None`` makes every
                shopper anonymous.
            secret_env: Name of the variable the secret came from (for the warning).
            leeway: Seconds of clock skew tolerated on ``exp``.
            max_message_chars: Longer messages are cut.
            clock: Seconds since the epoch, for the per-message ``exp`` check.
            cors_allowed_origins: Page origins browsers may connect from (see
                :func:`allowed_origins`); ``None``: the channel's own origin only.
            recent_client_ids: The client ids seen lately (a fresh set when omitted).
            redis_url: Redis shared by the rasa replicas (see
                :mod:`assistant.channels.replicas`); ``None``: this process only.
            redis_channel: The replicas' Redis pub/sub channel.
        """
        super().__init__(
            user_message_evt,
            bot_message_evt,
            namespace,
            session_persistence,
            socketio_path,
            None,
            "HS256",
            metadata_key,
        )
        self._secret = secret
        self._leeway = leeway
        self._max_message_chars = max_message_chars
        self._clock = clock
        # Keys the sender-id derivation; random per process when no secret is configured.
        self._derivation_key: bytes = secret.encode("utf-8") if secret else secrets.token_bytes(32)
        self._sockets: dict[str, _Socket] = {}
        self._origins = cors_allowed_origins
        self._recent = recent_client_ids or RecentClientIds()
        self._app: Sanic | None = None  # set when the blueprint is registered
        self._redis_url = redis_url
        self._redis_channel = redis_channel
        if not secret:
            logger.warning(
                "socketio: %s is not set; no customer token is accepted, every shopper "
                "is anonymous and conversations do not survive a restart",
                secret_env,
            )
        elif len(self._derivation_key) < MIN_SECRET_BYTES:
            logger.warning(
                "socketio: %s is shorter than %d bytes; use a longer random secret",
                secret_env,
                MIN_SECRET_BYTES,
            )

    def get_output_channel(self) -> OutputChannel | None:
        """The output channel for messages Rasa sends on its own (reminders, API calls).

        Returns:
            The output channel, or ``None`` before the blueprint was built.
        """
        if self.sio is None:
            return super().get_output_channel()
        return VerifiedSocketIOOutput(self.sio, self.bot_message_evt, self.namespace)

    # -- pieces of the handlers, kept small so each rule is visible --------------------

    def _claims_from_auth(self, auth: object) -> Claims | None:
        """Verify the connect ``auth`` payload.

        Args:
            auth: What the client passed as ``auth``.

        Returns:
            The claims, or ``None`` for an anonymous shopper.

        Raises:
            InvalidToken: A token was sent and must not be trusted.
        """
        if auth is None:
            return None
        if not isinstance(auth, Mapping):
            raise InvalidToken("malformed")
        token = auth.get("token")
        if token is None or token == "":
            return None
        if self._secret is None:
            return None  # no secret configured: tokens are ignored, never trusted
        return verify_customer_token(token, self._secret, leeway=self._leeway)

    def _client_session_id(self, data: object) -> str:
        if self.session_persistence and isinstance(data, Mapping):
            candidate = data.get("session_id")
            if valid_client_session_id(candidate):
                return str(candidate)
        return secrets.token_urlsafe(24)

    def _metadata(self, raw: object, claims: Claims | None) -> dict[str, Any]:
        """The message metadata: allow-listed client keys plus the verified identity.

        Args:
            raw: The client's metadata (a dict, or a JSON string of one).
            claims: The socket's verified claims, or ``None``.

        Returns:
            The metadata passed to Rasa.
        """
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except (ValueError, RecursionError):
                raw = None
        metadata = allowed_client_metadata(raw)
        if claims is not None:
            metadata["customer_id"] = claims.subject
        metadata["identity"] = {"verified": claims is not None}
        return metadata

    async def _bind(
        self, sio: AsyncServer, sid: str, state: _Socket, data: object
    ) -> tuple[str, str]:
        """Bind a socket to the conversation derived from its identity and session id.

        Args:
            sio: The socket.io server.
            sid: The socket.
            state: The socket's state.
            data: The ``session_request`` payload (or ``None``).

        Returns:
            The client session id in use (to confirm to the client) and the sender id.
        """
        client_session_id = self._client_session_id(data)
        subject = state.claims.subject if state.claims is not None else None
        sender_id = derive_sender_id(self._derivation_key, subject, client_session_id)
        if state.sender_id is not None and state.sender_id != sender_id:
            await sio.leave_room(sid, state.sender_id, namespace=self.namespace)
        await sio.enter_room(sid, sender_id, namespace=self.namespace)
        state.sender_id = sender_id
        return client_session_id, sender_id

    async def _history(self, sender_id: str) -> list[dict[str, Any]]:
        """The conversation's last messages from Rasa's tracker store (``[]`` when unknown).

        Args:
            sender_id: The conversation.

        Returns:
            The messages (see :func:`history_messages`).
        """
        agent = getattr(self._app.ctx, "agent", None) if self._app is not None else None
        tracker_store = getattr(agent, "tracker_store", None)
        if tracker_store is None:
            return []
        try:
            tracker = await tracker_store.retrieve(sender_id)
        except Exception:  # noqa: BLE001 - a failing store must not break the session
            logger.exception("socketio: could not read the conversation's history")
            return []
        if tracker is None:
            return []
        return await history_messages(tracker.events)

    def _server(self) -> AsyncServer:
        """The socket.io server; with a Redis URL its emits reach the other replicas' sockets.

        Returns:
            The server.
        """
        if self._redis_url is None:
            return AsyncServer(async_mode="sanic", cors_allowed_origins=self._origins)
        manager = ReplicaRedisManager(self._redis_url, channel=self._redis_channel)
        return AsyncServer(
            async_mode="sanic", cors_allowed_origins=self._origins, client_manager=manager
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The Sanic blueprint with the socket.io server attached.

        Args:
            on_new_message: Rasa's handler for incoming messages.

        Returns:
            The blueprint.
        """
        sio = self._server()
        # A typed "2" picks option 2 of the last message that offered options.
        chooser = OptionChooser(on_new_message)
        socketio_webhook = _Blueprint(self, sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        namespace = self.namespace

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @socketio_webhook.listener("after_server_start")
        async def start_manager(*_: Any) -> None:
            start_client_manager(sio)  # a Redis outage is logged when rasa starts

        @socketio_webhook.listener("before_server_stop")
        async def stop_manager(*_: Any) -> None:
            await stop_client_manager(sio)

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, environ: dict[str, Any], auth: object = None) -> bool:
            try:
                claims = self._claims_from_auth(auth)
            except InvalidToken as exc:
                logger.info("socketio: connection refused (%s)", exc.reason)
                raise SocketConnectionRefused("invalid_token") from None
            self._sockets[sid] = _Socket(claims=claims)
            logger.debug("socketio: %s connected (verified=%s)", sid, claims is not None)
            return True

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: str, reason: object = None) -> None:
            self._sockets.pop(sid, None)
            logger.debug("socketio: %s disconnected", sid)

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: object = None) -> None:
            state = self._sockets.get(sid)
            if state is None:
                return
            client_session_id, sender_id = await self._bind(sio, sid, state, data)
            await sio.emit("session_confirm", client_session_id, to=sid, namespace=namespace)
            # To this socket only: its conversation was derived from its own verified
            # identity and session id.
            messages = await self._history(sender_id)
            await sio.emit(HISTORY_EVENT, {"messages": messages}, to=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: object = None) -> dict[str, str]:
            # The return value is the acknowledgement a client asked for (once handled).
            state = self._sockets.get(sid)
            if state is None:
                return {"status": "rejected"}
            if state.claims is not None and state.claims.expired(self._clock()):
                await sio.emit(
                    AUTH_ERROR_EVENT, {"reason": "token_expired"}, to=sid, namespace=namespace
                )
                return {"status": "rejected"}
            if not isinstance(data, Mapping):
                return {"status": "rejected"}
            text = data.get("message")
            if text is None:
                text = ""
            if not isinstance(text, str):
                return {"status": "rejected"}
            metadata = self._metadata(data.get(self.metadata_key), state.claims)
            if len(text) > self._max_message_chars:
                text = text[: self._max_message_chars]
                metadata["truncated"] = True
            sender_id = state.sender_id
            if sender_id is None:
                _, sender_id = await self._bind(sio, sid, state, None)
            message_id = client_id(data)
            if message_id is not None and self._recent.seen_before(sender_id, message_id):
                logger.debug("socketio: dropped a repeated message for %s", sender_id)
                return {"status": "duplicate"}
            message = UserMessage(
                text,
                VerifiedSocketIOOutput(sio, self.bot_message_evt, namespace),
                sender_id,
                input_channel=self.name(),
                metadata=metadata,
            )
            await chooser(message)
            return {"status": "ok"}

        return chooser.attach(socketio_webhook)
