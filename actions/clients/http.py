"""What every client of our own services shares: one pool, a breaker, retries, a budget.

:class:`ServiceClient` is the base of :class:`~actions.clients.profiles.ProfileClient` and
:class:`~actions.clients.console.ConsoleClient`. Every call:

- goes through a :class:`~actions.clients.breaker.CircuitBreaker`: while the service is
  down, calls fail at once instead of making the shopper wait;
- is retried with exponential backoff and jitter only when the caller says it is safe,
  on connect errors and 502/503/504, never on a read timeout (a slow service is not
  hammered) and never past ``budget`` seconds;
- turns every failure into the subclass's :class:`ServiceUnavailable`, whose message names
  the method and the route template only: no ids, no token, no personal data.

The service token travels in ``Authorization: Bearer``; it is never logged nor put into an
exception message or ``repr``.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, ClassVar, Final
from urllib.parse import quote

import httpx

from actions.clients.breaker import CircuitBreaker, CircuitOpen

__all__ = [
    "DEFAULT_TIMEOUT",
    "IDEMPOTENT_METHODS",
    "NOT_FOUND",
    "RETRY_STATUSES",
    "ServiceClient",
    "ServiceUnavailable",
    "segment",
]

logger = logging.getLogger(__name__)

#: Connect 1 s, read 2 s, write 2 s, waiting for a pooled connection 1 s.
DEFAULT_TIMEOUT: Final = httpx.Timeout(connect=1.0, read=2.0, write=2.0, pool=1.0)
#: Methods whose repetition changes nothing, so a retry is safe.
IDEMPOTENT_METHODS: Final = frozenset({"GET", "PUT", "DELETE"})
#: Gateway answers that mean "try again": the request did not reach a working backend.
RETRY_STATUSES: Final = frozenset({502, 503, 504})
#: What a call returns for a 404 when the client treats "not found" as an answer.
NOT_FOUND: Final = object()


class ServiceUnavailable(Exception):
    """A service could not answer (down, slow, failing, or refusing the call).

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


def segment(value: str) -> str:
    """Quote one path segment so that no value can change the path.

    ``/``, ``?``, ``#``, ``%`` and every other reserved character are percent-encoded,
    and so are dots: httpx removes ``.`` and ``..`` segments while parsing a URL.

    Args:
        value: The raw id.

    Returns:
        The encoded segment.
    """
    return quote(value, safe="").replace(".", "%2E")


class ServiceClient:
    """Async client of one of our services (subclasses add the service's calls).

    Class attributes a subclass sets: ``service`` (its name in logs), ``unavailable`` (the
    error it raises), ``default_budget`` and ``not_found_is_answer`` (a 404 returns
    :data:`NOT_FOUND` instead of raising).
    """

    service: ClassVar[str] = "service"
    unavailable: ClassVar[type[ServiceUnavailable]] = ServiceUnavailable
    default_budget: ClassVar[float] = 2.2
    not_found_is_answer: ClassVar[bool] = False

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
        budget: float | None = None,
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
            budget: Total seconds one call may take, retries and waits included
                (default: the class's ``default_budget``).
            clock: Monotonic seconds (injectable for tests).
            sleep: The backoff wait (injectable for tests).
            jitter: Returns a number in [0, 1) (injectable for tests).

        Raises:
            ValueError: A negative number of retries, backoff or a budget of 0 or less.
        """
        budget = self.default_budget if budget is None else budget
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
        self._clock = clock
        self._sleep = sleep
        self._jitter = jitter
        self._client: httpx.AsyncClient | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        """Name the service, never the token."""
        return f"{type(self).__name__}({self.base_url!r})"

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

    async def __aenter__(self) -> ServiceClient:
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
        idempotent: bool | None = None,
        params: Mapping[str, int] | None = None,
        body: Mapping[str, Any] | None = None,
        **segments: str,
    ) -> Any:
        """Make one call and decode its answer.

        Args:
            method: HTTP method.
            route: Path template, e.g. ``/v1/customers/{customer_id}``.
            idempotent: Whether a retry is safe (default: GET, PUT and DELETE are).
            params: Query parameters.
            body: JSON body.
            **segments: Raw values of the template's placeholders (quoted here).

        Returns:
            The decoded JSON, ``None`` for an empty answer, or :data:`NOT_FOUND` for a
            404 when ``not_found_is_answer``.

        Raises:
            ServiceUnavailable: The circuit is open, or the call failed (the subclass's).
        """
        path = route.format(**{name: segment(value) for name, value in segments.items()})
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        try:
            self.breaker.before_call()
        except CircuitOpen:
            raise self.unavailable(f"{method} {route}: circuit open") from None
        try:
            response = await self._send(method, route, path, params, body, idempotent)
            if response.status_code == 404 and self.not_found_is_answer:
                result: Any = NOT_FOUND
            else:
                try:
                    response.raise_for_status()
                except httpx.HTTPStatusError:
                    status = response.status_code
                    raise self.unavailable(
                        f"{method} {route}: HTTP {status}",
                        status=status,
                        service_failure=status >= 500,
                    ) from None
                result = self._decode(method, route, response)
        except ServiceUnavailable as exc:
            if exc.service_failure:
                self.breaker.record_failure()
            else:
                self.breaker.record_success()
            logger.warning("%s: %s", self.service, exc)
            raise
        except BaseException:
            self.breaker.release()
            raise
        self.breaker.record_success()
        return result

    def _decode(self, method: str, route: str, response: httpx.Response) -> Any:
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise self.unavailable(
                f"{method} {route}: answer is not JSON", status=response.status_code
            ) from None

    async def _send(
        self,
        method: str,
        route: str,
        path: str,
        params: Mapping[str, int] | None,
        body: Mapping[str, Any] | None,
        idempotent: bool,
    ) -> httpx.Response:
        """Send with retries inside the budget; 5xx after the last attempt raise.

        Returns:
            A response with a status below 500.

        Raises:
            ServiceUnavailable: Network error, timeout, 5xx, or the budget ran out.
        """
        client = self._http()
        started = self._clock()
        attempts = 1 + (self.retries if idempotent else 0)
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
                raise self.unavailable(f"{method} {route}: timed out") from exc
            except httpx.TransportError as exc:
                raise self.unavailable(f"{method} {route}: {type(exc).__name__}") from exc
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
            logger.debug("%s: %s %s: %s, retrying", self.service, method, route, reason)
            await self._sleep(delay)
        raise self.unavailable(f"{method} {route}: {reason}", status=status)
