"""The handoff console's service-API client (``docs/console-api.md``), one per process.

:class:`ConsoleClient` opens cases and tickets, reads the agents' availability and erases
a customer's or a conversation's records. Every call, in the style of
:class:`~actions.clients.profiles.ProfileClient`:

- goes through a :class:`~actions.clients.breaker.CircuitBreaker`, so while the console is
  down a handoff fails at once and the shopper is told instead of kept waiting;
- is retried with exponential backoff and jitter only when that is safe: GET and DELETE,
  and ``POST /api/v1/cases``, which the console makes idempotent on ``conversation_id``
  (a retry after a timeout never opens a second case); never ``POST /api/v1/tickets``.
  Retries happen on connect errors and 502/503/504, never on a read timeout, never past
  ``budget`` seconds;
- turns every failure into :class:`ConsoleUnavailable`, whose message names the method and
  the route template only: no ids, no contact details, no token.

The service token travels in ``Authorization: Bearer``; it is never logged nor put into an
exception message or ``repr``.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final, Literal, TypedDict, cast
from urllib.parse import quote

import httpx

from actions.clients.breaker import CircuitBreaker, CircuitOpen

__all__ = [
    "DEFAULT_TIMEOUT",
    "Availability",
    "CaseOpened",
    "CaseRequest",
    "ConsoleClient",
    "ConsoleUnavailable",
    "TicketOpened",
    "TicketRequest",
]

logger = logging.getLogger(__name__)

#: Connect 1 s, read 2 s, write 2 s, waiting for a pooled connection 1 s.
DEFAULT_TIMEOUT: Final = httpx.Timeout(connect=1.0, read=2.0, write=2.0, pool=1.0)
#: Gateway answers that mean "try again": the request did not reach a working backend.
RETRY_STATUSES: Final = frozenset({502, 503, 504})


class CaseRequest(TypedDict):
    """``POST /api/v1/cases``: a conversation handed to the agents."""

    conversation_id: str
    channel: str
    language: str
    reason: str
    reason_detail: str
    customer_id: str | None
    profile: dict[str, Any] | None
    sentiment_trail: list[dict[str, Any]]
    summary: dict[str, Any]
    priority_hint: Literal["vip", "normal"]


class CaseOpened(TypedDict):
    """The console's answer to a case: new (201) or the already open one (200)."""

    case_id: str
    status: str
    queue_position: int
    agents_online: int


class TicketRequest(TypedDict):
    """``POST /api/v1/tickets``: a callback or email request outside agent hours."""

    conversation_id: str
    customer_id: str | None
    language: str
    kind: Literal["callback", "email"]
    contact: str
    reason: str
    summary: dict[str, Any]


class TicketOpened(TypedDict):
    """The console's answer to a ticket."""

    ticket_id: str


class Availability(TypedDict):
    """``GET /api/v1/availability``: whether agents are on duty."""

    open: bool
    agents_online: int
    opens_at: str | None


class ConsoleUnavailable(Exception):
    """The console could not answer (down, slow, failing, or refusing the call).

    Attributes:
        status: The HTTP status when the console answered, else ``None``.
        service_failure: Whether this counts against the console in the circuit breaker
            (network errors, timeouts, 5xx) or is the caller's problem (4xx).
    """

    def __init__(self, message: str, *, status: int | None = None, service_failure: bool = True):
        """Create the error.

        Args:
            message: Method, route template and reason; never ids, contacts or secrets.
            status: The HTTP status, when there was an answer.
            service_failure: Whether the breaker counts it as a failure.
        """
        super().__init__(message)
        self.status = status
        self.service_failure = service_failure


def _segment(value: str) -> str:
    """Quote one path segment (dots too: httpx removes ``.``/``..`` segments)."""
    return quote(value, safe="").replace(".", "%2E")


class ConsoleClient:
    """Async client of the console's service API."""

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
        budget: float = 2.5,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        """Create the client; the connection pool is opened on first use.

        Args:
            base_url: The console's root, e.g. ``http://127.0.0.1:8400``.
            token: The console's service token (``Authorization: Bearer``).
            transport: An httpx transport (``httpx.MockTransport`` in tests).
            timeout: Per-request httpx timeouts.
            retries: Extra attempts for idempotent calls (0 disables retries).
            backoff: First retry delay in seconds; doubled each retry, times a jitter
                factor between 0.5 and 1.5.
            breaker: The circuit breaker (default: 5 failures, 30 s).
            budget: Total seconds one call may take, retries and waits included.
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
        self._clock = clock
        self._sleep = sleep
        self._jitter = jitter
        self._client: httpx.AsyncClient | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        """Name the service, never the token."""
        return f"ConsoleClient({self.base_url!r})"

    # --- the connection pool -------------------------------------------------------------

    def _http(self) -> httpx.AsyncClient:
        """The AsyncClient, created on first use inside the running event loop."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
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

    async def __aenter__(self) -> ConsoleClient:
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
        idempotent: bool,
        body: Mapping[str, Any] | None = None,
        **segments: str,
    ) -> Any:
        """Make one call and decode its JSON answer.

        Args:
            method: HTTP method.
            route: Path template, e.g. ``/api/v1/customers/{customer_id}``.
            idempotent: Whether a retry is safe.
            body: JSON body.
            **segments: Raw values of the template's placeholders (quoted here).

        Returns:
            The decoded JSON (``None`` for an empty answer).

        Raises:
            ConsoleUnavailable: The circuit is open, or the call failed.
        """
        path = route.format(**{name: _segment(value) for name, value in segments.items()})
        try:
            self.breaker.before_call()
        except CircuitOpen:
            raise ConsoleUnavailable(f"{method} {route}: circuit open") from None
        try:
            response = await self._send(method, route, path, body, idempotent)
            try:
                response.raise_for_status()
            except httpx.HTTPStatusError:
                status = response.status_code
                raise ConsoleUnavailable(
                    f"{method} {route}: HTTP {status}",
                    status=status,
                    service_failure=status >= 500,
                ) from None
            result = self._decode(method, route, response)
        except ConsoleUnavailable as exc:
            if exc.service_failure:
                self.breaker.record_failure()
            else:
                self.breaker.record_success()
            logger.warning("console: %s", exc)
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
            raise ConsoleUnavailable(
                f"{method} {route}: answer is not JSON", status=response.status_code
            ) from None

    async def _send(
        self,
        method: str,
        route: str,
        path: str,
        body: Mapping[str, Any] | None,
        idempotent: bool,
    ) -> httpx.Response:
        """Send with retries inside the budget; 5xx after the last attempt raise.

        Returns:
            A response with a status below 500.

        Raises:
            ConsoleUnavailable: Network error, timeout, 5xx, or the budget ran out.
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
                    response = await client.request(method, path, json=body)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                reason, retryable = f"cannot connect ({type(exc).__name__})", True
            except (httpx.TimeoutException, TimeoutError) as exc:
                raise ConsoleUnavailable(f"{method} {route}: timed out") from exc
            except httpx.TransportError as exc:
                raise ConsoleUnavailable(f"{method} {route}: {type(exc).__name__}") from exc
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
            logger.debug("console: %s %s: %s, retrying", method, route, reason)
            await self._sleep(delay)
        raise ConsoleUnavailable(f"{method} {route}: {reason}", status=status)

    # --- the service API -------------------------------------------------------------------

    async def open_case(self, case: CaseRequest) -> CaseOpened:
        """Open the conversation's case (or get the one already open).

        Idempotent on ``conversation_id`` by the console's contract, so it is retried.

        Args:
            case: The case.

        Returns:
            The case id, its status and the shopper's place in the queue.

        Raises:
            ConsoleUnavailable: The console could not answer.
        """
        data = await self._call("POST", "/api/v1/cases", idempotent=True, body=case)
        return cast(CaseOpened, data)

    async def open_ticket(self, ticket: TicketRequest) -> TicketOpened:
        """Store a callback or email ticket (never retried: it is not idempotent).

        Args:
            ticket: The ticket; its contact is personal data and is never logged.

        Returns:
            The ticket id.

        Raises:
            ConsoleUnavailable: The console could not answer.
        """
        data = await self._call("POST", "/api/v1/tickets", idempotent=False, body=ticket)
        return cast(TicketOpened, data)

    async def availability(self) -> Availability:
        """Whether agents are on duty now.

        Returns:
            ``open``, ``agents_online`` and ``opens_at`` (when closed).

        Raises:
            ConsoleUnavailable: The console could not answer.
        """
        data = await self._call("GET", "/api/v1/availability", idempotent=True)
        return cast(Availability, data)

    async def erase_customer(self, customer_id: str) -> dict[str, Any]:
        """Erase the console's records of a customer.

        Args:
            customer_id: The customer.

        Returns:
            The console's counts of what it erased.

        Raises:
            ConsoleUnavailable: The console could not answer.
        """
        data = await self._call(
            "DELETE",
            "/api/v1/customers/{customer_id}",
            idempotent=True,
            customer_id=customer_id,
        )
        return cast(dict[str, Any], data or {})

    async def erase_conversation(self, conversation_id: str) -> dict[str, Any]:
        """Erase the console's records of a conversation.

        Args:
            conversation_id: Rasa's sender id.

        Returns:
            The console's counts of what it erased.

        Raises:
            ConsoleUnavailable: The console could not answer.
        """
        data = await self._call(
            "DELETE",
            "/api/v1/conversations/{conversation_id}",
            idempotent=True,
            conversation_id=conversation_id,
        )
        return cast(dict[str, Any], data or {})
