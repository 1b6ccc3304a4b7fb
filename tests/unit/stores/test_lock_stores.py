"""The quick lock stores: created from endpoints.yml, retry at the configured interval."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rasa.core.lock_store import LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config

from assistant.stores.locks import QuickInMemoryLockStore, QuickRedisLockStore

ROOT = Path(__file__).resolve().parents[3]


def test_the_embedded_endpoints_use_the_quick_in_memory_store(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("ACTION_ENDPOINT_URL", "TRACKER_DB", "EVENTS_DB"):
        monkeypatch.setenv(name, "unused")
    config = read_endpoint_config(str(ROOT / "assistant" / "endpoints.yml"), "lock_store")
    store = LockStore.create(config)
    assert isinstance(store, QuickInMemoryLockStore)
    assert store.wait_seconds == 0.05


def test_the_production_endpoints_name_the_quick_redis_store() -> None:
    text = (ROOT / "assistant" / "endpoints.production.yml").read_text(encoding="utf-8")
    assert "type: assistant.stores.locks.QuickRedisLockStore" in text


def test_redis_store_passes_the_connection_settings_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, Any] = {}

    def fake_init(self: RedisLockStore, **kwargs: Any) -> None:
        seen.update(kwargs)

    monkeypatch.setattr(RedisLockStore, "__init__", fake_init)
    store = QuickRedisLockStore(
        EndpointConfig(url="redis.local", port=6379, db=1, key_prefix="shop", wait_seconds=0.2)
    )
    assert store.wait_seconds == 0.2
    assert seen == {"host": "redis.local", "port": 6379, "db": 1, "key_prefix": "shop"}


@pytest.mark.parametrize("bad", [0, -1, 10])
def test_an_unreasonable_wait_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="wait_seconds"):
        QuickInMemoryLockStore(EndpointConfig(wait_seconds=bad))


def test_a_waiting_caller_polls_at_the_configured_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second holder of a conversation's lock retries every wait_seconds, then gets it."""
    store = QuickInMemoryLockStore(EndpointConfig(wait_seconds=0.02))
    sleeps: list[float] = []
    real_sleep = asyncio.sleep

    async def recording_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        await real_sleep(0)

    async def scenario() -> list[str]:
        order: list[str] = []
        first_has_it = asyncio.Event()

        async def first() -> None:
            async with store.lock("conversation"):
                first_has_it.set()
                order.append("first")
                for _ in range(3):
                    await real_sleep(0)
            order.append("first released")

        async def second() -> None:
            await first_has_it.wait()
            async with store.lock("conversation"):
                order.append("second")

        monkeypatch.setattr(asyncio, "sleep", recording_sleep)
        await asyncio.gather(first(), second())
        return order

    order = asyncio.run(scenario())
    assert order == ["first", "first released", "second"]
    assert sleeps and set(sleeps) == {0.02}
