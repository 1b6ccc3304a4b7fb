"""The console's client of the profile service (docs/profiles-api.md): the customer panel.

One :class:`httpx.AsyncClient` per app with short timeouts: a slow or down profile service
must not hold up the case page, which then shows the case's stored profile snapshot. Nothing
personal is logged (neither customer ids nor answers), only the kind of failure.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import httpx

__all__ = ["ProfilesClient", "ProfilesUnavailable", "customer_panel", "snapshot_panel"]

logger = logging.getLogger("console.profiles")
TIMEOUT = httpx.Timeout(2.0, connect=1.0)
RECENT_ORDERS = 5


class ProfilesUnavailable(RuntimeError):
    """The profile service did not answer, or answered with an error."""

    def __init__(self, message: str, status: int | None = None) -> None:
        """Create the error.

        Args:
            message: What went wrong (no personal data).
            status: The service's HTTP status, when it answered.
        """
        super().__init__(message)
        self.status = status


class ProfilesClient:
    """Reads a customer's profile and recent orders."""

    def __init__(
        self, base_url: str, token: str, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        """Create the client (no connection is made yet).

        Args:
            base_url: The service's URL, e.g. ``http://127.0.0.1:8300``.
            token: Its bearer token.
            transport: A transport to use instead of the network (tests).
        """
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=TIMEOUT,
            headers={"Authorization": f"Bearer {token}"},
            transport=transport,
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def _get(self, path: str, params: dict[str, str] | None = None) -> Any:
        try:
            response = await self._client.get(path, params=params)
            response.raise_for_status()
            return response.json()
        except httpx.HTTPStatusError as exc:
            status = exc.response.status_code
            logger.warning("profile service answered %d", status)
            raise ProfilesUnavailable(f"profile service answered {status}", status) from None
        except (httpx.HTTPError, ValueError) as exc:
            logger.warning("profile service unavailable: %s", type(exc).__name__)
            raise ProfilesUnavailable("profile service unavailable") from None

    async def customer(self, customer_id: str) -> dict[str, Any]:
        """A customer record.

        Args:
            customer_id: The customer's id.

        Returns:
            The ``Customer`` JSON.

        Raises:
            ProfilesUnavailable: The service failed (or does not know the customer).
        """
        data = await self._get(f"/v1/customers/{quote(customer_id, safe='')}")
        return data if isinstance(data, dict) else {}

    async def orders(self, customer_id: str, limit: int = RECENT_ORDERS) -> list[dict[str, Any]]:
        """A customer's orders, newest first.

        Args:
            customer_id: The customer's id.
            limit: How many.

        Returns:
            The ``Order`` JSON objects.

        Raises:
            ProfilesUnavailable: The service failed.
        """
        data = await self._get(
            f"/v1/customers/{quote(customer_id, safe='')}/orders", {"limit": str(limit)}
        )
        orders = data.get("orders") if isinstance(data, dict) else None
        return [o for o in orders if isinstance(o, dict)] if isinstance(orders, list) else []


def _consent(value: Any) -> dict[str, Any]:
    """``{"personalisation": {"granted", "updated_at"}, ...}`` from either wire shape."""
    out: dict[str, Any] = {}
    if not isinstance(value, dict):
        return out
    for kind, state in value.items():
        if isinstance(state, dict):
            out[str(kind)] = {
                "granted": state.get("granted"),
                "updated_at": state.get("updated_at"),
            }
        elif isinstance(state, bool) or state is None:
            out[str(kind)] = {"granted": state, "updated_at": None}
    return out


def _order_row(order: dict[str, Any]) -> dict[str, Any]:
    return {
        "order_id": order.get("order_id"),
        "status": order.get("status"),
        "placed_at": order.get("placed_at"),
        "total": order.get("total"),
        "currency": order.get("currency"),
    }


def customer_panel(
    customer: dict[str, Any], orders: list[dict[str, Any]], orders_ok: bool = True
) -> dict[str, Any]:
    """The customer panel from the live service.

    Args:
        customer: The ``Customer`` JSON.
        orders: Recent ``Order`` JSON objects.
        orders_ok: Whether the orders could be read.

    Returns:
        ``{source: "live", profile: {...}, orders: [...] | None, message}``.
    """
    return {
        "source": "live",
        "message": None if orders_ok else "recent orders unavailable",
        "profile": {
            "name": customer.get("name"),
            "segment": customer.get("segment"),
            "preferred_language": customer.get("preferred_language"),
            "consent": _consent(customer.get("consent")),
        },
        "orders": [_order_row(o) for o in orders] if orders_ok else None,
    }


def snapshot_panel(snapshot: dict[str, Any] | None, message: str) -> dict[str, Any]:
    """The customer panel from the profile snapshot stored with the case.

    Args:
        snapshot: The case's profile snapshot (``None`` for anonymous shoppers).
        message: Why the live profile is not shown.

    Returns:
        ``{source: "snapshot", profile: {...} | None, orders: None, message}``.
    """
    profile = None
    if snapshot:
        profile = {
            "name": snapshot.get("name"),
            "segment": snapshot.get("segment"),
            "preferred_language": snapshot.get("preferred_language"),
            "consent": _consent(snapshot.get("consent")),
        }
    return {"source": "snapshot", "message": message, "profile": profile, "orders": None}
