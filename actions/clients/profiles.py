"""The profile service's HTTP client (``docs/profiles-api.md``), one per process.

:class:`ProfileClient` implements the :class:`~actions.clients.orders.OrdersClient`
protocol and the customer calls the actions need (profile, summary, consent, erasure,
channel links, conversations, co-purchase baskets). Calls go through
:class:`~actions.clients.http.ServiceClient` (breaker, retries of idempotent methods (GET,
PUT, DELETE), a time budget, errors that name no id or token); a 404 is "not found"
(``None``, ``[]`` or ``{"outcome": "not_found"}``), every other failure
:class:`ProfilesUnavailable`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Final, cast, get_args

import httpx

from actions.clients.http import NOT_FOUND, ServiceClient, ServiceUnavailable
from actions.clients.orders import OrdersClientError
from contracts.profiles import (
    Basket,
    ConsentKind,
    Customer,
    CustomerSummary,
    ErasureReport,
    Order,
    OrderChange,
    OrderResult,
    Refund,
    ReturnResult,
)

__all__ = ["ProfileClient", "ProfilesUnavailable"]

logger = logging.getLogger(__name__)

#: Page size for ``/v1/insights/purchases`` (the service's maximum for that endpoint).
BASKETS_PAGE: Final = 1000


class ProfilesUnavailable(OrdersClientError, ServiceUnavailable):
    """The profile service could not answer (down, slow, failing, or refusing the call).

    A subclass of :class:`~actions.clients.orders.OrdersClientError`, so the order
    actions that catch that keep working with this client.
    """


class ProfileClient(ServiceClient):
    """Async client of the profile service; also an ``OrdersClient``."""

    service = "profile service"
    unavailable = ProfilesUnavailable
    default_budget = 2.2
    not_found_is_answer = True

    def __init__(
        self, base_url: str, token: str, *, baskets_ttl: float = 600.0, **options: Any
    ) -> None:
        """Create the client; the connection pool is opened on first use.

        Args:
            base_url: The service's root, e.g. ``http://127.0.0.1:8300``.
            token: The service token (sent as ``Authorization: Bearer``).
            baskets_ttl: Seconds :meth:`baskets` keeps its answer.
            **options: Transport, timeout, retries, backoff, breaker, budget, clock, sleep
                and jitter of :class:`~actions.clients.http.ServiceClient`.
        """
        super().__init__(base_url, token, **options)
        self.baskets_ttl = baskets_ttl
        self._baskets: tuple[float, list[Basket]] | None = None

    # --- OrdersClient ----------------------------------------------------------------------

    async def get_order(self, order_id: str, customer_id: str | None = None) -> Order | None:
        """See :meth:`OrdersClient.get_order`; anonymous shoppers have no orders."""
        if not customer_id or not order_id:
            return None
        data = await self._call(
            "GET",
            "/v1/customers/{customer_id}/orders/{order_id}",
            customer_id=customer_id,
            order_id=order_id,
        )
        return None if data is NOT_FOUND else cast(Order, data)

    async def cancel_order(self, order_id: str, customer_id: str | None = None) -> OrderResult:
        """See :meth:`OrdersClient.cancel_order`."""
        if not customer_id or not order_id:
            return {"outcome": "not_found"}
        data = await self._call(
            "POST",
            "/v1/customers/{customer_id}/orders/{order_id}/cancel",
            customer_id=customer_id,
            order_id=order_id,
        )
        return {"outcome": "not_found"} if data is NOT_FOUND else cast(OrderResult, data)

    async def change_order(
        self, order_id: str, change: OrderChange, customer_id: str | None = None
    ) -> OrderResult:
        """See :meth:`OrdersClient.change_order`."""
        if not customer_id or not order_id:
            return {"outcome": "not_found"}
        data = await self._call(
            "POST",
            "/v1/customers/{customer_id}/orders/{order_id}/change",
            body=change,
            customer_id=customer_id,
            order_id=order_id,
        )
        return {"outcome": "not_found"} if data is NOT_FOUND else cast(OrderResult, data)

    async def start_return(
        self,
        order_id: str,
        reason: str,
        customer_id: str | None = None,
        product_ids: list[str] | None = None,
    ) -> ReturnResult:
        """See :meth:`OrdersClient.start_return`."""
        if not customer_id or not order_id:
            return {"outcome": "not_found"}
        body: dict[str, Any] = {"reason": reason}
        if product_ids is not None:
            body["product_ids"] = product_ids
        data = await self._call(
            "POST",
            "/v1/customers/{customer_id}/orders/{order_id}/returns",
            body=body,
            customer_id=customer_id,
            order_id=order_id,
        )
        return {"outcome": "not_found"} if data is NOT_FOUND else cast(ReturnResult, data)

    async def refund_status(self, order_id: str, customer_id: str | None = None) -> Refund | None:
        """See :meth:`OrdersClient.refund_status`."""
        if not customer_id or not order_id:
            return None
        data = await self._call(
            "GET",
            "/v1/customers/{customer_id}/orders/{order_id}/refund",
            customer_id=customer_id,
            order_id=order_id,
        )
        if data is NOT_FOUND:
            return None
        return cast(Refund | None, data.get("refund"))

    # --- customers ---------------------------------------------------------------------------

    async def list_orders(self, customer_id: str | None, limit: int = 20) -> list[Order]:
        """The customer's orders, newest first.

        Args:
            customer_id: The verified customer id (``None``: anonymous, no call).
            limit: At most this many (1-100).

        Returns:
            The orders; empty for an unknown or anonymous customer.

        Raises:
            ProfilesUnavailable: The service could not answer.
        """
        if not customer_id:
            return []
        data = await self._call(
            "GET",
            "/v1/customers/{customer_id}/orders",
            params={"limit": limit},
            customer_id=customer_id,
        )
        return [] if data is NOT_FOUND else cast(list[Order], data["orders"])

    async def get_customer(self, customer_id: str | None) -> Customer | None:
        """The customer's profile.

        Args:
            customer_id: The verified customer id (``None``: anonymous, no call).

        Returns:
            The profile, or ``None`` when unknown or anonymous.

        Raises:
            ProfilesUnavailable: The service could not answer.
        """
        if not customer_id:
            return None
        data = await self._call("GET", "/v1/customers/{customer_id}", customer_id=customer_id)
        return None if data is NOT_FOUND else cast(Customer, data)

    async def summary(self, customer_id: str | None) -> CustomerSummary | None:
        """What is kept about the customer ("what do you know about me").

        Args:
            customer_id: The verified customer id (``None``: anonymous, no call).

        Returns:
            The summary, or ``None`` when unknown or anonymous.

        Raises:
            ProfilesUnavailable: The service could not answer.
        """
        if not customer_id:
            return None
        data = await self._call(
            "GET", "/v1/customers/{customer_id}/summary", customer_id=customer_id
        )
        return None if data is NOT_FOUND else cast(CustomerSummary, data)

    async def set_consent(
        self, customer_id: str, kind: ConsentKind, granted: bool
    ) -> Customer | None:
        """Record the customer's answer to a consent question (the service stamps the time).

        Args:
            customer_id: The verified customer id.
            kind: ``personalisation`` or ``marketing``.
            granted: The answer.

        Returns:
            The updated profile, or ``None`` when the customer is unknown.

        Raises:
            ValueError: An unknown consent kind.
            ProfilesUnavailable: The service could not answer.
        """
        if kind not in get_args(ConsentKind):
            raise ValueError(f"unknown consent kind {kind!r}")
        if not customer_id:
            return None
        data = await self._call(
            "PUT",
            "/v1/customers/{customer_id}/consent/{kind}",
            body={"granted": granted},
            customer_id=customer_id,
            kind=kind,
        )
        return None if data is NOT_FOUND else cast(Customer, data)

    async def erase(self, customer_id: str) -> ErasureReport:
        """Erase the customer: profile, channel links, personal fields of orders.

        The caller erases the returned Rasa conversations (and console records) too.

        Args:
            customer_id: The verified customer id.

        Returns:
            What was erased; for an unknown (e.g. already erased) customer a report
            with ``profile_deleted`` false and nothing counted.

        Raises:
            ProfilesUnavailable: The service could not answer.
        """
        nothing: ErasureReport = {
            "customer_id": customer_id,
            "profile_deleted": False,
            "channel_links_deleted": 0,
            "orders_anonymised": 0,
            "conversations": [],
        }
        if not customer_id:
            return nothing
        data = await self._call("DELETE", "/v1/customers/{customer_id}", customer_id=customer_id)
        return nothing if data is NOT_FOUND else cast(ErasureReport, data)

    async def record_conversation(self, customer_id: str, sender_id: str, channel: str) -> None:
        """Remember that a Rasa conversation belongs to the customer (for erasure).

        Idempotent on the service's side; an unknown customer is ignored.

        Args:
            customer_id: The verified customer id.
            sender_id: Rasa's conversation id.
            channel: The input channel's name.

        Raises:
            ProfilesUnavailable: The service could not answer.
        """
        if not customer_id or not sender_id:
            return
        data = await self._call(
            "POST",
            "/v1/customers/{customer_id}/conversations",
            body={"sender_id": sender_id, "channel": channel},
            customer_id=customer_id,
        )
        if data is NOT_FOUND:
            logger.info("profile service: conversation of an unknown customer not recorded")

    async def customer_for_channel(self, channel: str, external_id: str) -> str | None:
        """The customer linked to a messaging-app identity.

        Args:
            channel: ``telegram``, ``slack``, ``facebook`` or ``twilio``.
            external_id: The user's id in that app.

        Returns:
            The customer id, or ``None`` when the identity is not linked.

        Raises:
            ProfilesUnavailable: The service could not answer.
        """
        if not channel or not external_id:
            return None
        data = await self._call(
            "GET",
            "/v1/channel-identities/{channel}/{external_id}",
            channel=channel,
            external_id=external_id,
        )
        return None if data is NOT_FOUND else cast(str, data["customer_id"])

    async def baskets(self) -> list[Basket]:
        """Every customer's baskets without who bought them (for co-purchase).

        All pages of ``/v1/insights/purchases``, kept for ``baskets_ttl`` seconds.

        Returns:
            The baskets.

        Raises:
            ProfilesUnavailable: The service could not answer (nothing is cached then).
        """
        now = self._clock()
        if self._baskets is not None and now - self._baskets[0] < self.baskets_ttl:
            return self._baskets[1]
        collected: list[Basket] = []
        offset = 0
        while True:
            data = await self._call(
                "GET",
                "/v1/insights/purchases",
                params={"limit": BASKETS_PAGE, "offset": offset},
            )
            if data is NOT_FOUND:
                raise ProfilesUnavailable("GET /v1/insights/purchases: HTTP 404", status=404)
            page = cast(list[Basket], data["baskets"])
            collected.extend(page)
            offset += len(page)
            if not page or offset >= int(data["total"]):
                break
        self._baskets = (self._clock(), collected)
        return collected

    async def health(self) -> bool:
        """Whether the service answers ``/health`` (no retries, outside the breaker).

        Returns:
            True when it answered ``{"status": "ok"}`` within the budget.
        """
        try:
            async with asyncio.timeout(self.budget):
                response = await self._http().get("/health")
            return response.status_code == 200 and response.json().get("status") == "ok"
        except (httpx.HTTPError, TimeoutError, ValueError, AttributeError):
            return False
