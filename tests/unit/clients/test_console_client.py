"""ConsoleClient against httpx.MockTransport: exact requests, retries, breaker, failures."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from actions.clients.breaker import CircuitBreaker
from actions.clients.console import CaseRequest, ConsoleClient, ConsoleUnavailable, TicketRequest

pytestmark = pytest.mark.asyncio

TOKEN = "console-service-token-0123456789"
BASE = "http://console.test:8400"

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
        "constraints": {},
        "products_shown": [],
        "order_ids": [],
        "last_messages": [],
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


class Recorder:
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


def make(recorder: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> ConsoleClient:
    kwargs.setdefault("sleep", _no_sleep)
    kwargs.setdefault("jitter", lambda: 0.5)
    return ConsoleClient(BASE, TOKEN, transport=httpx.MockTransport(recorder), **kwargs)


def body(request: httpx.Request) -> Any:
    return json.loads(request.content)


async def test_open_case_sends_the_exact_request() -> None:
    rec = Recorder(httpx.Response(201, json=OPENED))
    async with make(rec) as client:
        assert await client.open_case(CASE) == OPENED
    (request,) = rec.requests
    assert request.method == "POST"
    assert str(request.url) == f"{BASE}/api/v1/cases"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["content-type"] == "application/json"
    assert body(request) == CASE


async def test_open_case_returns_the_already_open_case() -> None:
    rec = Recorder(httpx.Response(200, json=OPENED | {"queue_position": 1}))
    async with make(rec) as client:
        assert (await client.open_case(CASE))["queue_position"] == 1


async def test_open_ticket_availability_and_erasure_requests() -> None:
    rec = Recorder(
        httpx.Response(201, json={"ticket_id": "T-000045"}),
        httpx.Response(200, json={"open": False, "agents_online": 0, "opens_at": "09:00"}),
        httpx.Response(200, json={"cases": 2, "tickets": 1}),
        httpx.Response(200, json={"cases": 1}),
    )
    async with make(rec) as client:
        assert await client.open_ticket(TICKET) == {"ticket_id": "T-000045"}
        assert (await client.availability())["open"] is False
        assert await client.erase_customer("CUS/../1001") == {"cases": 2, "tickets": 1}
        assert await client.erase_conversation("s.1?x") == {"cases": 1}
    methods = [(r.method, r.url.raw_path.decode()) for r in rec.requests]
    assert methods == [
        ("POST", "/api/v1/tickets"),
        ("GET", "/api/v1/availability"),
        ("DELETE", "/api/v1/customers/CUS%2F%2E%2E%2F1001"),
        ("DELETE", "/api/v1/conversations/s%2E1%3Fx"),
    ]
    assert body(rec.requests[0]) == TICKET


async def test_open_case_is_retried_on_503_and_connect_errors() -> None:
    rec = Recorder(
        httpx.Response(503),
        httpx.ConnectError("refused"),
        httpx.Response(201, json=OPENED),
    )
    async with make(rec, budget=10.0) as client:
        assert await client.open_case(CASE) == OPENED
    assert len(rec.requests) == 3
    assert all(body(r) == CASE for r in rec.requests)


async def test_open_ticket_is_never_retried() -> None:
    rec = Recorder(httpx.Response(503), httpx.Response(201, json={"ticket_id": "T-1"}))
    async with make(rec, budget=10.0) as client:
        with pytest.raises(ConsoleUnavailable, match="POST /api/v1/tickets: HTTP 503"):
            await client.open_ticket(TICKET)
    assert len(rec.requests) == 1


async def test_read_timeout_is_not_retried() -> None:
    rec = Recorder(httpx.ReadTimeout("slow"), httpx.Response(201, json=OPENED))
    async with make(rec, budget=10.0) as client:
        with pytest.raises(ConsoleUnavailable, match="timed out"):
            await client.open_case(CASE)
    assert len(rec.requests) == 1


async def test_500_is_not_retried_and_retries_stop_after_the_limit() -> None:
    rec = Recorder(httpx.Response(500))
    async with make(rec, budget=10.0) as client:
        with pytest.raises(ConsoleUnavailable) as caught:
            await client.open_case(CASE)
    assert caught.value.status == 500 and caught.value.service_failure
    assert len(rec.requests) == 1
    rec = Recorder(httpx.Response(502))
    async with make(rec, budget=10.0, retries=2) as client:
        with pytest.raises(ConsoleUnavailable, match="HTTP 502"):
            await client.availability()
    assert len(rec.requests) == 3


async def test_client_errors_are_unavailable_but_not_service_failures() -> None:
    breaker = CircuitBreaker(failure_threshold=1)
    rec = Recorder(httpx.Response(422, json={"detail": "unknown field"}))
    async with make(rec, breaker=breaker) as client:
        with pytest.raises(ConsoleUnavailable) as caught:
            await client.open_case(CASE)
    assert caught.value.status == 422 and not caught.value.service_failure
    assert breaker.state == "closed"


async def test_breaker_opens_and_fails_fast() -> None:
    now = [0.0]
    breaker = CircuitBreaker(failure_threshold=2, reset_after=30.0, clock=lambda: now[0])
    rec = Recorder(httpx.ConnectError("refused"))
    async with make(rec, breaker=breaker, retries=0) as client:
        for _ in range(2):
            with pytest.raises(ConsoleUnavailable, match="cannot connect"):
                await client.open_case(CASE)
        assert breaker.state == "open"
        with pytest.raises(ConsoleUnavailable, match="circuit open"):
            await client.open_case(CASE)
        assert len(rec.requests) == 2
        now[0] = 31.0
        rec.answers = [httpx.Response(201, json=OPENED)]
        assert await client.open_case(CASE) == OPENED
        assert breaker.state == "closed"


async def test_non_json_answer_is_unavailable() -> None:
    rec = Recorder(httpx.Response(200, text="<html>proxy</html>"))
    async with make(rec) as client:
        with pytest.raises(ConsoleUnavailable, match="not JSON"):
            await client.availability()


async def test_secrets_and_contacts_stay_out_of_errors_and_repr() -> None:
    rec = Recorder(httpx.Response(503))
    client = make(rec, retries=0)
    assert TOKEN not in repr(client)
    with pytest.raises(ConsoleUnavailable) as caught:
        await client.open_ticket(TICKET)
    text = str(caught.value)
    assert TOKEN not in text and "ana@example.com" not in text and "s-3f2a" not in text
    await client.aclose()


async def test_invalid_arguments() -> None:
    with pytest.raises(ValueError):
        ConsoleClient(BASE, TOKEN, retries=-1)
    with pytest.raises(ValueError):
        ConsoleClient(BASE, TOKEN, budget=0)
