"""The handoff console's service-API client (``docs/console-api.md``), one per process.

:class:`ConsoleClient` opens cases and tickets, reads the agents' availability and erases
a customer's or a conversation's records. Calls go through
:class:`~actions.clients.http.ServiceClient` (breaker, time budget, errors that name no id,
contact or token). Retries only where safe: GET and DELETE, and ``POST /api/v1/cases``,
which the console makes idempotent on ``conversation_id`` (a retry after a timeout never
opens a second case); never ``POST /api/v1/tickets``. Every failure, a 404 included, is
:class:`ConsoleUnavailable`.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict, cast

from actions.clients.http import ServiceClient, ServiceUnavailable

__all__ = [
    "Availability",
    "CaseOpened",
    "CaseRequest",
    "ConsoleClient",
    "ConsoleUnavailable",
    "TicketOpened",
    "TicketRequest",
]


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


class ConsoleUnavailable(ServiceUnavailable):
    """The console could not answer (down, slow, failing, or refusing the call)."""


class ConsoleClient(ServiceClient):
    """Async client of the console's service API (the options of ``ServiceClient``)."""

    service = "console"
    unavailable = ConsoleUnavailable
    default_budget = 2.5

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
