"""The socket.io channel across several rasa replicas: bot messages shared through Redis.

Behind a load balancer a shopper's socket lives on one replica, while Rasa may send a bot
message from another one (an agent's reply from the handoff console goes through Rasa's HTTP
API to whichever replica the request reaches). python-socketio's :class:`AsyncRedisManager`
publishes every emit on a Redis pub/sub channel; each replica delivers it to the sockets it
holds. :class:`ReplicaRedisManager` adds what a shop needs on top of it:

* a Redis outage never breaks message handling: the replica delivers to its own sockets,
  logs one clear line per outage (no password in it) and, for a few seconds after a failed
  publish, does not try again (no bot message waits on a dead Redis);
* the subscription is retried with a backoff and logged when it is back;
* the manager starts with the server (:func:`start`), so a Redis that is down when rasa
  starts is reported at once rather than at the first shopper.

Redis pub/sub channels are shared by every database of a server: the channel name
(:data:`DEFAULT_CHANNEL`), not the database number, keeps two shops on one Redis apart.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import urlparse

from socketio import AsyncRedisManager, AsyncServer

__all__ = [
    "DEFAULT_CHANNEL",
    "PUBLISH_TIMEOUT_SECONDS",
    "ReplicaRedisManager",
    "redacted_url",
    "start",
    "stop",
]

logger = logging.getLogger(__name__)

#: Redis pub/sub channel the replicas share (``redis_channel`` in credentials renames it).
DEFAULT_CHANNEL = "shop-socketio"
#: Longest wait for Redis to accept a connection or a publish.
PUBLISH_TIMEOUT_SECONDS = 2.0
#: After a failed publish, messages stay local for this many seconds before Redis is retried.
PUBLISH_RETRY_SECONDS = 5.0
#: The subscription is retried after 1, 2, 4 ... seconds, at most this many.
MAX_LISTEN_RETRY_SECONDS = 30.0
_SCHEMES = ("redis", "rediss", "redis+sentinel", "unix")


def redacted_url(url: str) -> str:
    """The Redis address for log lines: scheme, host, port and path, never the password.

    Args:
        url: A Redis URL, e.g. ``redis://:secret@redis:6379/2``.

    Returns:
        e.g. ``redis://redis:6379/2``.
    """
    parsed = urlparse(url)
    host = parsed.netloc.rpartition("@")[2]
    return f"{parsed.scheme}://{host}{parsed.path}"


class ReplicaRedisManager(AsyncRedisManager):
    """python-socketio's Redis client manager that degrades to local delivery on an outage."""

    def __init__(
        self,
        url: str,
        channel: str = DEFAULT_CHANNEL,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Create the manager (nothing is connected before the server starts).

        Args:
            url: ``redis://[:password@]host:port/db`` (``rediss://`` for TLS,
                ``redis+sentinel://`` and ``unix://`` work too).
            channel: The pub/sub channel; the same on every replica.
            clock: Seconds, monotonic (for the pause after a failed publish).

        Raises:
            ValueError: The URL is not a Redis URL.
        """
        if urlparse(url).scheme.lower() not in _SCHEMES:
            raise ValueError(
                f"socketio: the Redis URL must start with one of {', '.join(_SCHEMES)}, "
                f"got {redacted_url(url)!r}"
            )
        super().__init__(
            url,
            channel=channel,
            redis_options={"socket_connect_timeout": PUBLISH_TIMEOUT_SECONDS},
        )
        self.address = redacted_url(url)
        self._clock = clock
        self._reachable: bool | None = None  # None: not tried yet
        self._publish_paused_until = 0.0
        self.subscribed = False  # the listener receives the other replicas' messages
        # Each its own client: python-socketio's manager shares one between them.
        self._publisher: Any = None
        self._listener: tuple[Any, Any] | None = None  # (client, pubsub)

    def _new_client(self) -> tuple[Any, Any]:
        """A new Redis client and its pub/sub object (no connection is opened yet).

        Returns:
            The client and its pub/sub object.
        """
        self._redis_connect()  # python-socketio's: plain URLs and sentinels
        return self.redis, self.pubsub

    async def close(self) -> None:
        """Close the publisher's and the listener's connections."""
        publisher, self._publisher = self._publisher, None
        listener, self._listener = self._listener, None
        self.subscribed = False
        if listener is not None:
            await _closed(listener[1].close())
            await _closed(listener[0].close(close_connection_pool=True))
        if publisher is not None:
            await _closed(publisher.close(close_connection_pool=True))

    # -- state changes, one log line each ------------------------------------------------

    def _succeeded(self) -> None:
        if self._reachable is False:
            logger.warning(
                "socketio: Redis at %s is reachable again; bot messages are shared "
                "between the replicas",
                self.address,
            )
        elif self._reachable is None:
            logger.info(
                "socketio: sharing bot messages between the replicas through Redis at %s "
                "(channel %r)",
                self.address,
                self.channel,
            )
        self._reachable = True

    def _failed(self, doing: str, exc: BaseException) -> None:
        if self._reachable is False:
            logger.debug("socketio: Redis at %s still unreachable (%s)", self.address, doing)
            return
        self._reachable = False
        logger.error(
            "socketio: cannot reach Redis at %s (%s: %s: %s); bot messages reach only the "
            "sockets on this replica until it is back",
            self.address,
            doing,
            type(exc).__name__,
            exc or "no detail",
        )

    # -- publishing -----------------------------------------------------------------------

    async def _publish(self, data: Any) -> None:
        """Publish to the other replicas; on failure log it and keep the message local.

        Args:
            data: The pub/sub message (python-socketio's format).
        """
        now = self._clock()
        if now < self._publish_paused_until:
            logger.debug("socketio: Redis down, %s kept on this replica", data.get("method"))
            return
        try:
            if self._publisher is None:
                self._publisher, _ = self._new_client()
            await asyncio.wait_for(
                self._publisher.publish(self.channel, self.json.dumps(data)),
                PUBLISH_TIMEOUT_SECONDS,
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure: deliver locally only
            publisher, self._publisher = self._publisher, None  # a fresh client next time
            if publisher is not None:
                await _closed(publisher.close(close_connection_pool=True))
            self._publish_paused_until = now + PUBLISH_RETRY_SECONDS
            self._failed("publish", exc)
            return
        self._succeeded()

    # -- receiving ------------------------------------------------------------------------

    async def _redis_listen_with_retries(self) -> AsyncIterator[Any]:
        """Pub/sub messages from the other replicas; re-subscribes with a backoff.

        Yields:
            Redis pub/sub messages.
        """
        retry = 1.0
        while True:
            try:
                self._listener = client, pubsub = self._new_client()
                await pubsub.subscribe(self.channel)
                self.subscribed = True
                self._succeeded()
                retry = 1.0
                async for message in pubsub.listen():
                    yield message
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - retried until Redis is back
                self._failed("subscribe", exc)
            self.subscribed = False
            listener, self._listener = self._listener, None
            if listener is not None:
                await _closed(listener[1].close())
                await _closed(listener[0].close(close_connection_pool=True))
            await asyncio.sleep(retry)
            retry = min(retry * 2, MAX_LISTEN_RETRY_SECONDS)


async def _closed(closing: Awaitable[Any]) -> None:
    """Wait for a Redis connection to close (briefly; it may be gone already)."""
    try:
        await asyncio.wait_for(closing, PUBLISH_TIMEOUT_SECONDS)
    except asyncio.CancelledError:
        raise
    except Exception:  # noqa: BLE001 - nothing left to do about it
        logger.debug("socketio: closing a Redis connection failed", exc_info=True)


def start(sio: AsyncServer) -> None:
    """Start the server's client manager now rather than at the first connection.

    A Redis manager then subscribes when rasa starts (and logs an outage at once); the
    default in-memory manager is unaffected.

    Args:
        sio: The socket.io server (inside the running event loop).
    """
    if not sio.manager_initialized:
        sio.manager_initialized = True
        sio.manager.initialize()


async def stop(sio: AsyncServer) -> None:
    """Stop a Redis manager's listener and close its connections (when the server stops).

    Args:
        sio: The socket.io server.
    """
    manager = sio.manager
    if not isinstance(manager, ReplicaRedisManager):
        return
    task = getattr(manager, "thread", None)
    if isinstance(task, asyncio.Future) and not task.done():
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        except Exception:  # noqa: BLE001 - stopping: nothing left to do about it
            logger.debug("socketio: the Redis listener ended with an error", exc_info=True)
    await manager.close()
