"""ConsoleClient against the real console app: answers, state, refusals, outages, breaker.

The console is our own app (``tests/support/console_app.py``: migrated SQLite in the test's
folder, reached through ``httpx.ASGITransport``); what a call did is read back from the
console's database. The network is the edge: ``LiveConsole.mode = "down"`` refuses every
connection. Faults the console itself cannot be made to produce on demand (a gateway's 502 or
503, a proxy's HTML page, a read timeout, a bare 500) come from an ``httpx.MockTransport``
that plays that network between the client and the console.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from actions.clients.breaker import CircuitBreaker
from actions.clients.console import CaseRequest, ConsoleClient, ConsoleUnavailable, TicketRequest
from tests.support.console_app import (
    BASE_URL,
    TOKEN,
    LiveConsole,
)

pytestmark = pytest.mark.asyncio

CASE: CaseRequest = {
    "conversation_id": "s-3f2a",
    "channel": "socketio",
    "language": "es",
    "reason": "negative_sentiment",
    "reason_detail": "2 of the last 3 messages negative",
    "customer_id": "CUS-1001",
    "profile": None,
    "sentiment_trail": [{"label": "negative", "score": -0.8, "intent": "complaint"}],
    "summary": {
        "intents": ["complaint"],
        "constraints": {"category": "running shoes"},
        "products_shown": ["TF-RS-0001"],
        "order_ids": ["ORD-100234"],
        "last_messages": [{"from": "shopper", "text": "esto es un desastre"}],
    },
    "priority_hint": "normal",
}
TICKET: TicketRequest = {
    "conversation_id": "s-3f2a",
    "customer_id": None,
    "language": "en",
    "kind": "email",
    "contact": "ana@example.com",
    "reason": "request_human",
    "summary": {},
}
OPENED = {"case_id": "C-000123", "status": "queued", "queue_position": 3, "agents_online": 1}


def case_for(conversation_id: str, **fields: Any) -> CaseRequest:
    """``CASE`` for another conversation (and other fields)."""
    case: dict[str, Any] = {**CASE, "conversation_id": conversation_id, **fields}
    return case  # type: ignore[return-value]


# --- against the real console ------------------------------------------------------------------


async def test_open_case_opens_one_case_with_every_field(console: LiveConsole) -> None:
    async with console.client() as client:
        opened = await client.open_case(CASE)
    assert opened == {
        "case_id": "C-000001",
        "status": "queued",
        "queue_position": 1,
        "agents_online": 0,
    }
    (case,) = console.cases()
    assert case.conversation_id == "s-3f2a" and case.status == "queued"
    assert (case.channel, case.language, case.reason) == ("socketio", "es", "negative_sentiment")
    assert case.reason_detail == CASE["reason_detail"]
    assert case.customer_id == "CUS-1001" and case.profile is None
    assert case.sentiment_trail == CASE["sentiment_trail"]
    assert case.summary == CASE["summary"]
    assert case.priority == "normal" and case.sentiment_score == -0.8


async def test_open_case_again_returns_the_open_case(console: LiveConsole) -> None:
    """The console is idempotent on ``conversation_id``: a retry never opens a second case."""
    async with console.client() as client:
        first = await client.open_case(CASE)
        await client.open_case(case_for("s-other"))
        again = await client.open_case(CASE | {"reason": "request_human"})
    assert again["case_id"] == first["case_id"] and again["queue_position"] == 1
    assert [c.conversation_id for c in console.cases()] == ["s-3f2a", "s-other"]
    assert console.cases(conversation_id="s-3f2a")[0].reason == "negative_sentiment"


async def test_open_ticket_is_stored(console: LiveConsole) -> None:
    async with console.client() as client:
        assert await client.open_ticket(TICKET) == {"ticket_id": "T-000001"}
    (ticket,) = console.tickets()
    assert (ticket.kind, ticket.contact, ticket.language) == ("email", "ana@example.com", "en")
    assert ticket.conversation_id == "s-3f2a" and ticket.reason == "request_human"


async def test_availability_follows_the_agent_hours(console: LiveConsole) -> None:
    async with console.client() as client:
        assert await client.availability() == {
            "open": True,
            "agents_online": 0,
            "opens_at": None,
        }
        console.mode = "closed"  # a Saturday
        closed = await client.availability()
    assert closed["open"] is False
    assert closed["opens_at"] == "2025-06-09T09:00:00+00:00"  # Monday morning


async def test_erasure_counts_and_removes_the_records(console: LiveConsole) -> None:
    async with console.client() as client:
        await client.open_case(CASE)
        await client.open_case(case_for("s-older"))
        await client.open_ticket(TICKET | {"customer_id": "CUS-1001"})
        await client.open_case(case_for("s-anon", customer_id=None))
        await client.open_case(case_for("s-1002", customer_id="CUS-1002"))
        assert await client.erase_customer("CUS-1001") == {
            "cases": 2,
            "case_events": 0,
            "tickets": 1,
        }
        assert await client.erase_conversation("s-anon") == {
            "cases": 1,
            "case_events": 0,
            "tickets": 0,
        }
        # Erasing again is harmless (the client retries DELETEs).
        assert (await client.erase_customer("CUS-1001"))["cases"] == 0
    assert [c.conversation_id for c in console.cases()] == ["s-1002"]
    assert console.tickets() == []


async def test_ids_travel_as_one_path_segment(console: LiveConsole) -> None:
    """``..`` and ``/`` in an id never become another path, and their erasure is not lost."""
    async with console.client() as client:
        await client.open_case(case_for("s-2", customer_id="CUS-1001"))
        # Unquoted, "CUS/../1001" would reach /api/v1/customers/1001 (or be a 404, dropped).
        assert (await client.erase_customer("CUS/../1001"))["cases"] == 0
        assert len(console.cases()) == 1
        # Unquoted, ".." would reach /api/v1/ instead of the conversation "..".
        assert (await client.erase_conversation(".."))["cases"] == 0
        assert len(console.cases()) == 1
        assert (await client.erase_conversation("s-2"))["cases"] == 1
    assert console.cases() == []


async def test_a_wrong_token_is_refused_and_is_no_outage(console: LiveConsole) -> None:
    breaker = CircuitBreaker(failure_threshold=1)
    client = ConsoleClient(BASE_URL, "not-the-token", transport=console.transport, breaker=breaker)
    with pytest.raises(ConsoleUnavailable) as caught:
        await client.open_case(CASE)
    await client.aclose()
    assert caught.value.status == 401 and not caught.value.service_failure
    assert breaker.state == "closed"
    assert console.cases() == []


async def test_a_refused_body_is_unavailable_but_no_service_failure(console: LiveConsole) -> None:
    breaker = CircuitBreaker(failure_threshold=1)
    async with console.client(breaker=breaker) as client:
        for refused in (CASE | {"language": "it"}, CASE | {"unknown": 1}):
            with pytest.raises(ConsoleUnavailable) as caught:
                await client.open_case(refused)  # type: ignore[arg-type]
            assert caught.value.status == 422 and not caught.value.service_failure
        assert breaker.state == "closed"
        assert (await client.open_case(CASE))["queue_position"] == 1


async def test_connect_errors_are_retried_then_fail(console: LiveConsole) -> None:
    console.mode = "down"
    async with console.client(retries=2) as client:
        with pytest.raises(ConsoleUnavailable, match="cannot connect"):
            await client.open_case(CASE)
        assert console.transport.refused == 3
        with pytest.raises(ConsoleUnavailable, match="cannot connect"):
            await client.erase_customer("CUS-1001")
        assert console.transport.refused == 6
        console.mode = "open"
        assert (await client.open_case(CASE))["case_id"] == "C-000001"


async def test_open_ticket_is_never_retried(console: LiveConsole) -> None:
    console.mode = "down"
    async with console.client(retries=2) as client:
        with pytest.raises(ConsoleUnavailable, match="POST /api/v1/tickets: cannot connect"):
            await client.open_ticket(TICKET)
    assert console.transport.refused == 1
    assert console.tickets() == []


async def test_breaker_opens_and_fails_fast(console: LiveConsole) -> None:
    now = [0.0]
    breaker = CircuitBreaker(failure_threshold=2, reset_after=30.0, clock=lambda: now[0])
    console.mode = "down"
    async with console.client(breaker=breaker, retries=0) as client:
        for _ in range(2):
            with pytest.raises(ConsoleUnavailable, match="cannot connect"):
                await client.open_case(CASE)
        assert breaker.state == "open"
        with pytest.raises(ConsoleUnavailable, match="circuit open"):
            await client.open_case(CASE)
        assert console.transport.refused == 2
        now[0] = 31.0
        console.mode = "open"
        assert (await client.open_case(CASE))["status"] == "queued"
        assert breaker.state == "closed"


async def test_secrets_and_contacts_stay_out_of_errors_and_repr(console: LiveConsole) -> None:
    console.mode = "down"
    client = console.client(retries=0)
    assert TOKEN not in repr(client)
    with pytest.raises(ConsoleUnavailable) as caught:
        await client.open_ticket(TICKET)
    text = str(caught.value)
    assert TOKEN not in text and "ana@example.com" not in text and "s-3f2a" not in text
    console.mode = "open"
    with pytest.raises(ConsoleUnavailable) as caught:
        await client.open_ticket(TICKET | {"contact": "x"})  # too short: 422
    text = str(caught.value)
    assert caught.value.status == 422
    assert TOKEN not in text and "s-3f2a" not in text and "contact" not in text
    await client.aclose()


# --- the network between the client and the console (gateways, proxies, timeouts) --------------


class Network:
    """A MockTransport handler answering from a list, recording every request."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


async def _no_sleep(_: float) -> None:
    return None


def through(network: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> ConsoleClient:
    kwargs.setdefault("sleep", _no_sleep)
    kwargs.setdefault("jitter", lambda: 0.5)
    return ConsoleClient(BASE_URL, TOKEN, transport=httpx.MockTransport(network), **kwargs)


async def test_open_case_is_retried_on_gateway_errors_and_connect_errors() -> None:
    network = Network(
        httpx.Response(503),
        httpx.ConnectError("refused"),
        httpx.Response(201, json=OPENED),
    )
    async with through(network, budget=10.0) as client:
        assert await client.open_case(CASE) == OPENED
    assert len(network.requests) == 3
    assert len({r.content for r in network.requests}) == 1  # the same body each time


async def test_a_gateway_error_on_a_ticket_is_not_retried() -> None:
    network = Network(httpx.Response(503), httpx.Response(201, json={"ticket_id": "T-1"}))
    async with through(network, budget=10.0) as client:
        with pytest.raises(ConsoleUnavailable, match="POST /api/v1/tickets: HTTP 503"):
            await client.open_ticket(TICKET)
    assert len(network.requests) == 1


async def test_read_timeout_is_not_retried() -> None:
    network = Network(httpx.ReadTimeout("slow"), httpx.Response(201, json=OPENED))
    async with through(network, budget=10.0) as client:
        with pytest.raises(ConsoleUnavailable, match="timed out"):
            await client.open_case(CASE)
    assert len(network.requests) == 1


async def test_500_is_not_retried_and_retries_stop_after_the_limit() -> None:
    network = Network(httpx.Response(500))
    async with through(network, budget=10.0) as client:
        with pytest.raises(ConsoleUnavailable) as caught:
            await client.open_case(CASE)
    assert caught.value.status == 500 and caught.value.service_failure
    assert len(network.requests) == 1
    network = Network(httpx.Response(502))
    async with through(network, budget=10.0, retries=2) as client:
        with pytest.raises(ConsoleUnavailable, match="HTTP 502"):
            await client.availability()
    assert len(network.requests) == 3


async def test_non_json_answer_is_unavailable() -> None:
    network = Network(httpx.Response(200, text="<html>proxy</html>"))
    async with through(network) as client:
        with pytest.raises(ConsoleUnavailable, match="not JSON"):
            await client.availability()


async def test_invalid_arguments() -> None:
    with pytest.raises(ValueError):
        ConsoleClient(BASE_URL, TOKEN, retries=-1)
    with pytest.raises(ValueError):
        ConsoleClient(BASE_URL, TOKEN, budget=0)
