"""The action server's profile client against the real profile service over loopback HTTP."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from stack import Stack

from actions.clients.profiles import ProfileClient, ProfilesUnavailable

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_the_client_reads_and_writes_the_real_service(stack: Stack) -> None:
    async def use() -> dict[str, Any]:
        client = ProfileClient(stack.config.profiles_url, stack.profiles_token)
        try:
            found: dict[str, Any] = {
                "health": await client.health(),
                "customer": await client.get_customer("CUS-1003"),
                "unknown": await client.get_customer("CUS-9999"),
                "orders": await client.list_orders("CUS-1003"),
                "anonymous_orders": await client.list_orders(None),
                "linked": await client.customer_for_channel("facebook", "6021348876543210"),
                "unlinked": await client.customer_for_channel("telegram", "1"),
                "baskets": await client.baskets(),
            }
            order_id = found["orders"][0]["order_id"]
            found["own_order"] = await client.get_order(order_id, "CUS-1003")
            found["not_theirs"] = await client.get_order(order_id, "CUS-1004")
            found["consent"] = await client.set_consent("CUS-1003", "marketing", True)
            return found
        finally:
            await client.aclose()

    found = asyncio.run(use())
    assert found["health"] is True
    assert found["customer"]["customer_id"] == "CUS-1003"
    assert found["customer"]["preferred_language"] == "de"
    assert found["unknown"] is None
    assert found["orders"] and found["anonymous_orders"] == []
    assert found["linked"] == "CUS-1003" and found["unlinked"] is None
    assert found["own_order"]["customer_id"] == "CUS-1003"
    assert found["not_theirs"] is None
    assert found["consent"]["consent"]["marketing"]["granted"] is True
    assert found["baskets"] and all("customer_id" not in b for b in found["baskets"])


def test_a_wrong_token_is_refused_and_reported_as_unavailable(stack: Stack) -> None:
    async def use() -> None:
        client = ProfileClient(stack.config.profiles_url, "not-the-token", retries=0)
        try:
            await client.get_customer("CUS-1001")
        finally:
            await client.aclose()

    with pytest.raises(ProfilesUnavailable) as raised:
        asyncio.run(use())
    assert "not-the-token" not in str(raised.value)
