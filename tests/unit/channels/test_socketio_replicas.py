"""The socket.io channel across rasa replicas: bot messages shared through a real Redis.

Two channel instances served by two Sanic servers on loopback are two replicas; a real
``redis-server`` (tests/support/redis_server.py) links them. A shopper's socket.io client
connects to replica A; replica B sends a bot message the way Rasa does for the console's
reply (``get_output_channel().send_response``), and it must reach the shopper on A.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from redis import asyncio as aioredis

from assistant.channels import replicas
from assistant.channels.replicas import DEFAULT_CHANNEL, ReplicaRedisManager, redacted_url
from assistant.channels.socketio import VerifiedSocketIOInput
from assistant.channels.socketio_output import VerifiedSocketIOOutput
from tests.support.redis_server import free_port, temporary_redis
from tests.unit.channels.channel_harness import (
    SECRET,
    WAIT,
    Browser,
    Running,
    client_session_id,
    serve,
    token,
    wait_until,
)

ROOT = Path(__file__).resolve().parents[3]
#: Longest wait for a replica to subscribe again after Redis comes back (its backoff).
RESUBSCRIBE_WAIT = 60.0
LOGGER = "assistant.channels.replicas"
CAROUSEL = {"type": "product_carousel", "language": "en", "products": [{"id": "P1"}]}


def replica(redis_url: str | None) -> VerifiedSocketIOInput:
    """One rasa replica's socket.io channel (the replicas share the token secret)."""
    return VerifiedSocketIOInput(secret=SECRET, redis_url=redis_url)


@asynccontextmanager
async def two_replicas(redis_url: str | None) -> AsyncIterator[tuple[Running, Running]]:
    async with serve(replica(redis_url)) as a, serve(replica(redis_url)) as b:
        yield a, b


async def subscribers(url: str, channel: str = DEFAULT_CHANNEL) -> int:
    """How many clients are subscribed to the channel, as Redis sees it."""
    client = aioredis.Redis.from_url(url)
    try:
        result = await client.pubsub_numsub(channel)
        return int(result[0][1])
    finally:
        await client.close(close_connection_pool=True)


async def until_subscribed(url: str, count: int, wait: float = WAIT) -> None:
    async def poll() -> None:
        while await subscribers(url) < count:
            await asyncio.sleep(0.05)

    await asyncio.wait_for(poll(), wait)


def output(running: Running) -> VerifiedSocketIOOutput:
    channel = running.channels[0]
    out = channel.get_output_channel()
    assert isinstance(out, VerifiedSocketIOOutput)
    return out


async def shopper(running: Running) -> tuple[Browser, str]:
    """A shopper whose socket is on this replica, with a bound conversation.

    Returns:
        The browser (its first reply already taken) and the conversation's sender id.
    """
    browser = Browser(running.url, token=token("CUS-1001"), session_id=client_session_id())
    await browser.connect()
    await browser.start_session()
    reply = await browser.say("hello")
    assert reply == {"text": "reply to hello"}
    return browser, running.recorder.messages[-1].sender_id


def logged(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == LOGGER]


def logged_errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in logged(caplog) if r.levelno == logging.ERROR]


async def next_reply(browser: Browser) -> Any:
    return await asyncio.wait_for(browser.replies.get(), WAIT)


# -- with Redis ------------------------------------------------------------------------------


def test_an_agents_reply_sent_by_another_replica_reaches_the_shopper() -> None:
    async def main() -> None:
        with temporary_redis() as redis:
            async with two_replicas(redis.url) as (a, b):
                await until_subscribed(redis.url, 2)
                browser, sender_id = await shopper(a)
                try:
                    # What Rasa does on B for the console's reply (metadata {"agent": name}).
                    await output(b).send_response(
                        sender_id, {"text": "Hi, Dana from support here", "agent": "Dana"}
                    )
                    assert await next_reply(browser) == {
                        "text": "Hi, Dana from support here",
                        "agent": {"name": "Dana"},
                    }
                    await output(b).send_response(sender_id, {"custom": CAROUSEL})
                    assert await next_reply(browser) == {"custom": CAROUSEL}
                    # Sent once: the replica's own copy comes back from Redis and is ignored.
                    await output(a).send_text_message(sender_id, "marker")
                    assert await next_reply(browser) == {"text": "marker"}
                    assert browser.received == [
                        {"text": "reply to hello"},
                        {"text": "Hi, Dana from support here", "agent": {"name": "Dana"}},
                        {"custom": CAROUSEL},
                        {"text": "marker"},
                    ]
                finally:
                    await browser.close()

    asyncio.run(main())


def test_messages_cross_both_ways_and_only_to_their_conversation() -> None:
    async def main() -> None:
        with temporary_redis() as redis:
            async with two_replicas(redis.url) as (a, b):
                await until_subscribed(redis.url, 2)
                on_a, conversation_a = await shopper(a)
                on_b, conversation_b = await shopper(b)
                try:
                    assert conversation_a != conversation_b
                    await output(b).send_text_message(conversation_a, "for A, sent by B")
                    await output(a).send_text_message(conversation_b, "for B, sent by A")
                    assert await next_reply(on_a) == {"text": "for A, sent by B"}
                    assert await next_reply(on_b) == {"text": "for B, sent by A"}
                    # Same path (Redis, in order) for the markers: nothing else was on its way.
                    await output(b).send_text_message(conversation_a, "end A")
                    await output(a).send_text_message(conversation_b, "end B")
                    assert await next_reply(on_a) == {"text": "end A"}
                    assert await next_reply(on_b) == {"text": "end B"}
                    assert [m["text"] for m in on_a.received] == [
                        "reply to hello",
                        "for A, sent by B",
                        "end A",
                    ]
                    assert [m["text"] for m in on_b.received] == [
                        "reply to hello",
                        "for B, sent by A",
                        "end B",
                    ]
                finally:
                    await on_a.close()
                    await on_b.close()

    asyncio.run(main())


# -- without Redis: the message is lost (what the Redis manager fixes) ------------------------


def test_without_redis_a_message_sent_by_another_replica_is_lost() -> None:
    async def main() -> None:
        async with two_replicas(None) as (a, b):
            browser, sender_id = await shopper(a)
            try:
                # B has no such socket; the emit goes nowhere (nothing is in flight after it).
                await output(b).send_response(sender_id, {"text": "lost", "agent": "Dana"})
                await output(a).send_text_message(sender_id, "marker")
                assert await next_reply(browser) == {"text": "marker"}
                assert browser.received == [{"text": "reply to hello"}, {"text": "marker"}]
            finally:
                await browser.close()

    asyncio.run(main())


# -- Redis down ------------------------------------------------------------------------------


def test_redis_down_at_start_is_logged_and_each_replica_serves_its_own_sockets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def main() -> None:
        url = f"redis://:hunter2@127.0.0.1:{free_port()}/2"  # nothing listens there
        async with two_replicas(url) as (a, b):

            def errors() -> list[logging.LogRecord]:
                return logged_errors(caplog)

            await wait_until(lambda: len(errors()) >= 2)  # each replica, when it starts
            assert all("cannot reach Redis at redis://127.0.0.1:" in r.message for r in errors())
            assert all("only the sockets on this replica" in r.message for r in errors())
            assert not any("hunter2" in r.getMessage() for r in caplog.records)
            # Message handling on A goes on: the reply reaches A's own socket.
            browser, sender_id = await shopper(a)
            try:
                # B's message cannot reach A's socket, but sending it does not fail.
                await output(b).send_response(sender_id, {"text": "lost", "agent": "Dana"})
                await output(a).send_text_message(sender_id, "marker")
                assert await next_reply(browser) == {"text": "marker"}
                assert browser.received == [{"text": "reply to hello"}, {"text": "marker"}]
            finally:
                await browser.close()
            # One error line per replica and outage, not one per message.
            assert len(errors()) == 2

    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        asyncio.run(main())


def test_the_replicas_share_messages_again_once_redis_is_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def main() -> None:
        with temporary_redis(start=False) as redis:
            async with two_replicas(redis.url) as (a, b):
                await wait_until(
                    lambda: any("cannot reach Redis" in r.message for r in logged(caplog))
                )
                browser, sender_id = await shopper(a)  # served while Redis is down
                try:
                    redis.start()
                    await until_subscribed(redis.url, 2, RESUBSCRIBE_WAIT)
                    await output(b).send_text_message(sender_id, "after the outage")
                    assert await next_reply(browser) == {"text": "after the outage"}
                    assert any("reachable again" in r.message for r in logged(caplog))
                finally:
                    await browser.close()

    with caplog.at_level(logging.INFO, logger=LOGGER):
        asyncio.run(main())


def test_an_outage_while_running_keeps_local_delivery_and_recovers(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Publishing is tried again at once after a failure (no pause), to keep the test short.
    monkeypatch.setattr(replicas, "PUBLISH_RETRY_SECONDS", 0.0)

    async def main() -> None:
        with temporary_redis() as redis:
            async with two_replicas(redis.url) as (a, b):
                await until_subscribed(redis.url, 2)
                browser, sender_id = await shopper(a)
                try:
                    redis.stop()
                    await wait_until(lambda: len(logged_errors(caplog)) >= 2)
                    # A still answers its own shopper; B's message is dropped, not raised.
                    assert await browser.say("still there?") == {"text": "reply to still there?"}
                    await output(b).send_text_message(sender_id, "lost")
                    redis.start()
                    await until_subscribed(redis.url, 2, RESUBSCRIBE_WAIT)
                    await output(b).send_text_message(sender_id, "back")
                    assert await next_reply(browser) == {"text": "back"}
                    assert [m["text"] for m in browser.received] == [
                        "reply to hello",
                        "reply to still there?",
                        "back",
                    ]
                finally:
                    await browser.close()

    with caplog.at_level(logging.INFO, logger=LOGGER):
        asyncio.run(main())


def test_after_a_failed_publish_messages_stay_local_for_a_while(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [100.0]

    async def main() -> None:
        with temporary_redis(start=False) as redis:
            manager = ReplicaRedisManager(redis.url, clock=lambda: now[0])
            message = {"method": "emit", "event": "bot_uttered", "data": [{"text": "x"}]}
            await manager._publish(message)  # refused: logged, not raised
            assert [r.levelno for r in logged(caplog)] == [logging.ERROR]
            now[0] += 1
            await manager._publish(message)  # paused: not even tried
            assert "kept on this replica" in logged(caplog)[-1].message
            redis.start()
            listener = aioredis.Redis.from_url(redis.url)
            pubsub = listener.pubsub(ignore_subscribe_messages=True)
            await pubsub.subscribe(DEFAULT_CHANNEL)
            try:
                now[0] += replicas.PUBLISH_RETRY_SECONDS
                await manager._publish(message)
                got = await pubsub.get_message(timeout=WAIT)
                while got is None:  # get_message returns None for a subscribe confirmation
                    got = await pubsub.get_message(timeout=WAIT)
                assert json.loads(got["data"]) == message
                assert "reachable again" in logged(caplog)[-1].message
            finally:
                await pubsub.close()
                await listener.close(close_connection_pool=True)
                await manager.close()

    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        asyncio.run(main())


# -- configuration ---------------------------------------------------------------------------


def test_the_redis_url_comes_from_the_named_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_SIO_REDIS", "redis://127.0.0.1:6390/3")
    channel = VerifiedSocketIOInput.from_credentials(
        {"redis_url_env": "SHOP_SIO_REDIS", "redis_channel": "shop-b"}
    )
    assert isinstance(channel, VerifiedSocketIOInput)
    server = channel._server()
    assert isinstance(server.manager, ReplicaRedisManager)
    assert server.manager.channel == "shop-b"
    assert server.manager.address == "redis://127.0.0.1:6390/3"


def test_without_the_variable_the_channel_works_as_before(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("SOCKETIO_REDIS_URL", raising=False)
    with caplog.at_level(logging.INFO):
        channel = VerifiedSocketIOInput.from_credentials({"redis_url_env": "SOCKETIO_REDIS_URL"})
    assert isinstance(channel, VerifiedSocketIOInput)
    assert not isinstance(channel._server().manager, ReplicaRedisManager)
    assert any("SOCKETIO_REDIS_URL is not set" in r.message for r in caplog.records)
    plain = VerifiedSocketIOInput.from_credentials({})
    assert isinstance(plain, VerifiedSocketIOInput)
    assert not isinstance(plain._server().manager, ReplicaRedisManager)


def test_a_url_that_is_not_redis_is_refused_without_showing_the_password() -> None:
    with pytest.raises(ValueError, match="Redis URL") as raised:
        ReplicaRedisManager("http://user:pw@redis:6379/2")
    assert "pw" not in str(raised.value)
    assert redacted_url("redis://:secret@redis:6379/2") == "redis://redis:6379/2"
    assert redacted_url("rediss://u:p@cache.example:6380/0") == "rediss://cache.example:6380/0"


def test_credentials_and_compose_give_the_replicas_their_own_redis_database() -> None:
    credentials = yaml.safe_load((ROOT / "assistant" / "credentials.yml").read_text())
    block = credentials["assistant.channels.socketio.VerifiedSocketIOInput"]
    assert block["redis_url_env"] == "SOCKETIO_REDIS_URL"
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    url = compose["services"]["rasa"]["environment"]["SOCKETIO_REDIS_URL"]
    assert url.startswith("redis://redis:6379/")
    endpoints = yaml.safe_load((ROOT / "assistant" / "endpoints.production.yml").read_text())
    assert int(url.rsplit("/", 1)[1]) != int(endpoints["lock_store"]["db"])
