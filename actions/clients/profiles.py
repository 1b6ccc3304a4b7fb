"""The profile service's HTTP client (``docs/profiles-api.md``), one per process.

:class:`ProfileClient` implements the :class:`~actions.clients.orders.OrdersClient`
protocol and the customer calls the actions need (profile, summary, consent, erasure,
channel links, conversations, co-purchase baskets). Every call:

- goes through a :class:`~actions.clients.breaker.CircuitBreaker`: while the service is
  down, calls fail at once instead of making the shopper wait;
- is retried with exponential backoff and jitter only when that is safe and useful:
  idempotent methods (GET, PUT, DELETE), on connect errors and 502/503/504, never on a
  read timeout (a slow service is not hammered) and never past ``budget`` seconds;
- turns a 404 into "not found" (``None``, ``[]`` or ``{"outcome": "not_found"}``) and
  every other failure into :class:`ProfilesUnavailable`, whose message names the method
  and the route template only: no ids, no token, no personal data.

The service token travels in ``Authorization: Bearer``; it is never logged nor put into
an exception message or ``repr``.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final, cast, get_args
from urllib.parse import quote

import httpx

from actions.clients.breaker import CircuitBreaker, CircuitOpen
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

__all__ = ["ProfileClient", "ProfilesUnavailable", "DEFAULT_TIMEOUT"]

logger = logging.getLogger(__name__)

#: Connect 1 s, read 2 s, write 2 s, waiting for a pooled connection 1 s.
DEFAULT_TIMEOUT: Final = httpx.Timeout(connect=1.0, read=2.0, write=2.0, pool=1.0)
#: Methods whose repetition changes nothing, so a retry is safe.
IDEMPOTENT_METHODS: Final = frozenset({"GET", "PUT", "DELETE"})
#: Gateway answers that mean "try again": the request did not reach a working backend.
RETRY_STATUSES: Final = frozenset({502, 503, 504})
#: Page size for ``/v1/insights/purchases`` (the service's maximum for that endpoint).
BASKETS_PAGE: Final = 1000

_NOT_FOUND: Final = object()


class ProfilesUnavailable(OrdersClientError):
    """The profile service could not answer (down, slow, failing, or refusing the call).

    A subclass of :class:`~actions.clients.orders.OrdersClientError`, so the order
    actions that catch that keep working with this client.

    Attributes:
        status: The HTTP status when the service answered, else ``None``.
        service_failure: Whether this counts against the service in the circuit breaker
            (network errors, timeouts, 5xx) or is the caller's problem (4xx).
    """

    def __init__(self, message: str, *, status: int | None = None, service_failure: bool = True):
        """Create the error.

        Args:
            message: Method, route template and reason; never ids or secrets.
            status: The HTTP status, when there was an answer.
            service_failure: Whether the breaker counts it as a failure.
        """
        super().__init__(message)
        self.status = status
        self.service_failure = service_failure


def _segment(value: str) -> str:
    """Quote one path segment so that no value can change the path.

    ``/``, ``?``, ``#``, ``%`` and every other reserved character are percent-encoded,
    and so are dots: httpx removes ``.`` and ``..`` segments while parsing a URL.

    Args:
        value: The raw id.

    Returns:
        The encoded segment.
    """
    return quote(value, safe="").replace(".", "%2E")


class ProfileClient:
    """Async client of the profile service; also an ``OrdersClient``."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retries: int = 2,
        backoff: float = 0.1,
        breaker: CircuitBreaker | None = None,
        budget: float = 2.2,
        baskets_ttl: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        """Create the client; the connection pool is opened on first use.

        Args:
            base_url: The service's root, e.g. ``http://127.0.0.1:8300``.
            token: The service token (sent as ``Authorization: Bearer``).
            transport: An httpx transport (``httpx.MockTransport`` in tests).
            timeout: Per-request httpx timeouts.
            retries: Extra attempts for idempotent calls (0 disables retries).
            backoff: First retry delay in seconds; doubled each retry, times a jitter
                factor between 0.5 and 1.5.
            breaker: The circuit breaker (default: 5 failures, 30 s).
            budget: Total seconds one call may take, retries and waits included.
            baskets_ttl: Seconds :meth:`baskets` keeps its answer.
            clock: Monotonic seconds (injectable for tests).
            sleep: The backoff wait (injectable for tests).
            jitter: Returns a number in [0, 1) (injectable for tests).

        Raises:
            ValueError: A negative number of retries, backoff or a budget of 0 or less.
        """
        if retries < 0 or backoff < 0 or budget <= 0:
            raise ValueError("retries and backoff must not be negative, budget must be > 0")
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._transport = transport
        self._timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.budget = budget
        self.breaker = breaker if breaker is not None else CircuitBreaker()
        self.baskets_ttl = baskets_ttl
        self._clock = clock
        self._sleep = sleep
        self._jitter = jitter
        self._client: httpx.AsyncClient | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None
        self._baskets: tuple[float, list[Basket]] | None = None

    def __repr__(self) -> str:
        """Name the service, never the token."""
        return f"ProfileClient({self.base_url!r})"

    # --- the connection pool -------------------------------------------------------------

    def _http(self) -> httpx.AsyncClient:
        """The AsyncClient, created on first use inside the running event loop."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            # A client from another (finished) loop cannot be reused or awaited closed.
            self._client = httpx.AsyncClient(
                base_url=self.base_url,
                headers={"Authorization": f"Bearer {self._token}", "Accept": "application/json"},
                timeout=self._timeout,
                transport=self._transport,
                follow_redirects=False,
            )
            self._client_loop = loop
        return self._client

    async def aclose(self) -> None:
        """Close the connection pool (a later call opens a new one)."""
        client, self._client, self._client_loop = self._client, None, None
        if client is not None:
            await client.aclose()

    async def __aenter__(self) -> ProfileClient:
        """Use the client as an async context manager."""
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Close the pool on exit."""
        await self.aclose()

    # --- one call: breaker, retries, budget ------------------------------------------------

    async def _call(
        self,
        method: str,
        route: str,
        *,
        params: Mapping[str, int] | None = None,
        body: Mapping[str, Any] | None = None,
        **segments: str,
    ) -> Any:
        """Make one call and decode its answer.

        Args:
            method: HTTP method.
            route: Path template, e.g. ``/v1/customers/{customer_id}``.
            params: Query parameters.
            body: JSON body.
            **segments: Raw values of the template's placeholders (quoted here).

        Returns:
            The decoded JSON, ``None`` for an empty answer, or ``_NOT_FOUND`` for a 404.

        Raises:
            ProfilesUnavailable: The circuit is open, or the call failed.
        """
        path = route.format(**{name: _segment(value) for name, value in segments.items()})
        try:
            self.breaker.before_call()
        except CircuitOpen:
            raise ProfilesUnavailable(f"{method} {route}: circuit open") from None
        try:
            response = await self._send(method, route, path, params, body)
            if response.status_code == 404:
                result: Any = _NOT_FOUND
            else:
                try:
                    response.raise_for_status()
                except httpx.HTTPStatusError:
                    status = response.status_code
                    raise ProfilesUnavailable(
                        f"{method} {route}: HTTP {status}",
                        status=status,
                        service_failure=status >= 500,
                    ) from None
                result = self._decode(method, route, response)
        except ProfilesUnavailable as exc:
            if exc.service_failure:
                self.breaker.record_failure()
            else:
                self.breaker.record_success()
            logger.warning("profile service: %s", exc)
            raise
        except BaseException:
            self.breaker.release()
            raise
        self.breaker.record_success()
        return result

    @staticmethod
    def _decode(method: str, route: str, response: httpx.Response) -> Any:
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ProfilesUnavailable(
                f"{method} {route}: answer is not JSON", status=response.status_code
            ) from None

    async def _send(
        self,
        method: str,
        route: str,
        path: str,
        params: Mapping[str, int] | None,
        body: Mapping[str, Any] | None,
    ) -> httpx.Response:
        """Send with retries inside the budget; 5xx after the last attempt raise.

        Returns:
            A response with a status below 500.

        Raises:
            ProfilesUnavailable: Network error, timeout, 5xx, or the budget ran out.
        """
        client = self._http()
        started = self._clock()
        attempts = 1 + (self.retries if method in IDEMPOTENT_METHODS else 0)
        reason = "budget exhausted"
        status: int | None = None
        for attempt in range(attempts):
            remaining = self.budget - (self._clock() - started)
            if remaining <= 0:
                break
            retryable = False
            try:
                async with asyncio.timeout(remaining):
                    response = await client.request(method, path, params=params, json=body)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # The request never reached the service: safe to try again.
                reason, retryable = f"cannot connect ({type(exc).__name__})", True
            except (httpx.TimeoutException, TimeoutError) as exc:
                raise ProfilesUnavailable(f"{method} {route}: timed out") from exc
            except httpx.TransportError as exc:
                raise ProfilesUnavailable(f"{method} {route}: {type(exc).__name__}") from exc
            else:
                if response.status_code < 500:
                    return response
                status = response.status_code
                reason = f"HTTP {status}"
                retryable = status in RETRY_STATUSES
            if not retryable or attempt == attempts - 1:
                break
            delay = self.backoff * (2**attempt) * (0.5 + self._jitter())
            if self._clock() - started + delay >= self.budget:
                reason += ", no budget left to retry"
                break
            logger.debug("profile service: %s %s: %s, retrying", method, route, reason)
            await self._sleep(delay)
        raise ProfilesUnavailable(f"{method} {route}: {reason}", status=status)

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
        return None if data is _NOT_FOUND else cast(Order, data)

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
        return {"outcome": "not_found"} if data is _NOT_FOUND else cast(OrderResult, data)

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
        return {"outcome": "not_found"} if data is _NOT_FOUND else cast(OrderResult, data)

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
        return {"outcome": "not_found"} if data is _NOT_FOUND else cast(ReturnResult, data)

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
        if data is _NOT_FOUND:
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
        return [] if data is _NOT_FOUND else cast(list[Order], data["orders"])

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
        return None if data is _NOT_FOUND else cast(Customer, data)

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
        return None if data is _NOT_FOUND else cast(CustomerSummary, data)

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
        return None if data is _NOT_FOUND else cast(Customer, data)

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
        return nothing if data is _NOT_FOUND else cast(ErasureReport, data)

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
        if data is _NOT_FOUND:
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
        return None if data is _NOT_FOUND else cast(str, data["customer_id"])

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
            if data is _NOT_FOUND:
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
