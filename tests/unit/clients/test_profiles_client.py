"""ProfileClient against httpx.MockTransport: paths, bodies, errors, retries, budget, breaker."""

from __future__ import annotations

import asyncio
import json
import logging
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from actions.clients.breaker import CircuitBreaker, CircuitOpen
from actions.clients.orders import OrdersClient, OrdersClientError
from actions.clients.profiles import ProfileClient, ProfilesUnavailable

pytestmark = pytest.mark.asyncio

TOKEN = "s3cr3t-service-token-0123456789"
BASE = "http://profiles.test:8300"

CUSTOMER: dict[str, Any] = {
    "customer_id": "CUS-1001",
    "name": "Lucía Fernández",
    "email": "lucia.fernandez@example.com",
    "phone": "+34 600 123 456",
    "preferred_language": "es",
    "sizes": {"t-shirts": "M"},
    "favourite_brands": ["Trailforge"],
    "favourite_categories": ["t-shirts"],
    "price_band": {"min": 20.0, "max": 120.0, "currency": "USD"},
    "segment": "vip",
    "consent": {
        "personalisation": {"granted": True, "updated_at": "2026-11-20T10:00:00Z"},
        "marketing": {"granted": None, "updated_at": None},
    },
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-11-20T10:00:00Z",
}
ORDER: dict[str, Any] = {
    "order_id": "ORD-100234",
    "customer_id": "CUS-1001",
    "status": "paid",
    "placed_at": "2026-11-20",
    "currency": "USD",
    "total": 59.9,
    "items": [{"product_id": "P-1", "title": "Tee", "quantity": 1, "unit_price": 59.9}],
    "status_history": [{"status": "paid", "at": "2026-11-20"}],
    "shipping_address": {
        "name": "L F",
        "line1": "Calle Mayor 5",
        "city": "Madrid",
        "postcode": "28013",
        "country": "ES",
    },
}
REFUND: dict[str, Any] = {
    "refund_id": "REF-100234-1",
    "status": "requested",
    "amount": 59.9,
    "currency": "USD",
    "requested_at": "2026-11-21",
}


class FakeClock:
    """A monotonic clock the test moves; ``sleep`` advances it and records the delay."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


Reply = httpx.Response | Exception


@dataclass
class Service:
    """A scripted service: replies in order (the last one repeats), requests recorded."""

    replies: list[Reply] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)
    started_at: list[float] = field(default_factory=list)
    clock: FakeClock | None = None
    latency: float = 0.0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if self.clock is not None:
            self.started_at.append(self.clock.now)
            self.clock.now += self.latency
        reply = self.replies[min(len(self.requests) - 1, len(self.replies) - 1)]
        if isinstance(reply, Exception):
            if isinstance(reply, httpx.RequestError):
                reply._request = request
            raise reply
        return reply

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def body(self, index: int = -1) -> Any:
        return json.loads(self.requests[index].content)


def ok(payload: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=payload)


def make(
    service: Service,
    *,
    clock: FakeClock | None = None,
    breaker: CircuitBreaker | None = None,
    **kwargs: Any,
) -> ProfileClient:
    clock = clock or FakeClock()
    service.clock = service.clock or clock
    return ProfileClient(
        BASE,
        TOKEN,
        transport=httpx.MockTransport(service),
        breaker=breaker,
        clock=clock,
        sleep=clock.sleep,
        jitter=lambda: 0.5,  # factor 1.0: delays are backoff * 2**n exactly
        **kwargs,
    )


def assert_request(
    request: httpx.Request, method: str, raw_path: str, body: Any = None, query: str = ""
) -> None:
    assert request.method == method
    assert request.url.raw_path.decode() == raw_path + (f"?{query}" if query else "")
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    if body is None:
        assert request.content == b""
    else:
        assert request.headers["content-type"] == "application/json"
        assert json.loads(request.content) == body


# --- happy paths ---------------------------------------------------------------------------


async def test_implements_the_orders_protocol() -> None:
    client: OrdersClient = make(Service([ok({})]))
    assert isinstance(client, ProfileClient)
    assert issubclass(ProfilesUnavailable, OrdersClientError)


async def test_get_order() -> None:
    service = Service([ok(ORDER)])
    order = await make(service).get_order("ORD-100234", "CUS-1001")
    assert order == ORDER
    assert_request(service.last, "GET", "/v1/customers/CUS-1001/orders/ORD-100234")
    assert service.last.headers["accept"] == "application/json"


async def test_cancel_order() -> None:
    service = Service([ok({"outcome": "ok", "order": ORDER})])
    result = await make(service).cancel_order("ORD-100234", "CUS-1001")
    assert result == {"outcome": "ok", "order": ORDER}
    assert_request(service.last, "POST", "/v1/customers/CUS-1001/orders/ORD-100234/cancel")


async def test_cancel_not_allowed_is_an_answer_not_an_error() -> None:
    service = Service([ok({"outcome": "not_allowed", "detail": "shipped"})])
    result = await make(service).cancel_order("ORD-100234", "CUS-1001")
    assert result == {"outcome": "not_allowed", "detail": "shipped"}


async def test_change_order() -> None:
    service = Service([ok({"outcome": "ok", "order": ORDER})])
    change = {"product_id": "P-1", "size": "L"}
    result = await make(service).change_order("ORD-100234", change, "CUS-1001")  # type: ignore[arg-type]
    assert result["outcome"] == "ok"
    assert_request(service.last, "POST", "/v1/customers/CUS-1001/orders/ORD-100234/change", change)


async def test_start_return_with_and_without_products() -> None:
    answer = {"outcome": "ok", "return_request": {"return_id": "RET-1"}}
    service = Service([ok(answer)])
    client = make(service)
    assert await client.start_return("ORD-100234", "too small", "CUS-1001") == answer
    assert_request(
        service.last,
        "POST",
        "/v1/customers/CUS-1001/orders/ORD-100234/returns",
        {"reason": "too small"},
    )
    await client.start_return("ORD-100234", "too small", "CUS-1001", product_ids=["P-1"])
    assert service.body() == {"reason": "too small", "product_ids": ["P-1"]}


async def test_refund_status() -> None:
    service = Service([ok({"refund": REFUND}), ok({"refund": None})])
    client = make(service)
    assert await client.refund_status("ORD-100234", "CUS-1001") == REFUND
    assert_request(service.last, "GET", "/v1/customers/CUS-1001/orders/ORD-100234/refund")
    assert await client.refund_status("ORD-100234", "CUS-1001") is None


async def test_list_orders() -> None:
    service = Service([ok({"orders": [ORDER]})])
    assert await make(service).list_orders("CUS-1001", limit=5) == [ORDER]
    assert_request(service.last, "GET", "/v1/customers/CUS-1001/orders", query="limit=5")


async def test_get_customer() -> None:
    service = Service([ok(CUSTOMER)])
    assert await make(service).get_customer("CUS-1001") == CUSTOMER
    assert_request(service.last, "GET", "/v1/customers/CUS-1001")


async def test_summary() -> None:
    answer = {"customer": CUSTOMER, "order_count": 3, "channel_links": 1, "conversations": 2}
    service = Service([ok(answer)])
    assert await make(service).summary("CUS-1001") == answer
    assert_request(service.last, "GET", "/v1/customers/CUS-1001/summary")


async def test_set_consent() -> None:
    service = Service([ok(CUSTOMER)])
    assert await make(service).set_consent("CUS-1001", "personalisation", False) == CUSTOMER
    assert_request(
        service.last,
        "PUT",
        "/v1/customers/CUS-1001/consent/personalisation",
        {"granted": False},
    )


async def test_set_consent_rejects_an_unknown_kind_without_a_call() -> None:
    service = Service([ok(CUSTOMER)])
    with pytest.raises(ValueError):
        await make(service).set_consent("CUS-1001", "cookies", True)  # type: ignore[arg-type]
    assert service.requests == []


async def test_erase() -> None:
    report = {
        "customer_id": "CUS-1001",
        "profile_deleted": True,
        "channel_links_deleted": 1,
        "orders_anonymised": 4,
        "conversations": ["abc", "def"],
    }
    service = Service([ok(report)])
    assert await make(service).erase("CUS-1001") == report
    assert_request(service.last, "DELETE", "/v1/customers/CUS-1001")


async def test_record_conversation() -> None:
    service = Service([httpx.Response(204)])
    assert await make(service).record_conversation("CUS-1001", "sender-1", "socketio") is None
    assert_request(
        service.last,
        "POST",
        "/v1/customers/CUS-1001/conversations",
        {"sender_id": "sender-1", "channel": "socketio"},
    )


async def test_customer_for_channel() -> None:
    link = {"channel": "twilio", "external_id": "whatsapp:+34600123456", "customer_id": "CUS-7"}
    service = Service([ok(link)])
    assert await make(service).customer_for_channel("twilio", "whatsapp:+34600123456") == "CUS-7"
    assert_request(service.last, "GET", "/v1/channel-identities/twilio/whatsapp%3A%2B34600123456")


def basket(n: int) -> dict[str, Any]:
    return {"basket": f"B{n}", "product_ids": [f"P-{n}"], "placed_at": "2026-11-01T00:00:00Z"}


async def test_baskets_reads_every_page_and_caches_them() -> None:
    clock = FakeClock()
    service = Service(
        [
            ok({"baskets": [basket(1), basket(2)], "total": 3}),
            ok({"baskets": [basket(3)], "total": 3}),
            ok({"baskets": [basket(4)], "total": 1}),
        ]
    )
    client = make(service, clock=clock, baskets_ttl=600)
    assert await client.baskets() == [basket(1), basket(2), basket(3)]
    assert [r.url.params["offset"] for r in service.requests] == ["0", "2"]
    assert {r.url.params["limit"] for r in service.requests} == {"1000"}
    assert_request(
        service.requests[0], "GET", "/v1/insights/purchases", query="limit=1000&offset=0"
    )

    clock.now += 599
    assert await client.baskets() == [basket(1), basket(2), basket(3)]
    assert len(service.requests) == 2  # cached
    clock.now += 2
    assert await client.baskets() == [basket(4)]
    assert len(service.requests) == 3


async def test_baskets_stops_on_an_empty_page() -> None:
    service = Service([ok({"baskets": [basket(1)], "total": 5}), ok({"baskets": [], "total": 5})])
    assert await make(service).baskets() == [basket(1)]
    assert len(service.requests) == 2


async def test_health() -> None:
    up = Service([ok({"status": "ok"})])
    assert await make(up).health() is True
    assert_request(up.last, "GET", "/health")
    assert await make(Service([ok({"status": "ok"}, 500)])).health() is False
    assert await make(Service([httpx.ConnectError("refused")])).health() is False
    assert await make(Service([httpx.Response(200, text="<html>")])).health() is False


async def test_aclose_then_reuse_opens_a_new_pool() -> None:
    service = Service([ok(CUSTOMER)])
    async with make(service) as client:
        await client.get_customer("CUS-1001")
        await client.aclose()
        assert await client.get_customer("CUS-1001") == CUSTOMER
    assert len(service.requests) == 2


# --- not found, anonymous, hostile ids -----------------------------------------------------


NOT_FOUND = httpx.Response(404, json={"detail": "customer or order not found"})

NOT_FOUND_CALLS: list[tuple[str, Callable[[ProfileClient], Awaitable[Any]], Any]] = [
    ("get_order", lambda c: c.get_order("ORD-1", "CUS-1"), None),
    ("cancel_order", lambda c: c.cancel_order("ORD-1", "CUS-1"), {"outcome": "not_found"}),
    (
        "change_order",
        lambda c: c.change_order("ORD-1", {"size": "L"}, "CUS-1"),
        {"outcome": "not_found"},
    ),
    ("start_return", lambda c: c.start_return("ORD-1", "x", "CUS-1"), {"outcome": "not_found"}),
    ("refund_status", lambda c: c.refund_status("ORD-1", "CUS-1"), None),
    ("list_orders", lambda c: c.list_orders("CUS-1"), []),
    ("get_customer", lambda c: c.get_customer("CUS-1"), None),
    ("summary", lambda c: c.summary("CUS-1"), None),
    ("set_consent", lambda c: c.set_consent("CUS-1", "marketing", True), None),
    (
        "erase",
        lambda c: c.erase("CUS-1"),
        {
            "customer_id": "CUS-1",
            "profile_deleted": False,
            "channel_links_deleted": 0,
            "orders_anonymised": 0,
            "conversations": [],
        },
    ),
    ("record_conversation", lambda c: c.record_conversation("CUS-1", "s", "rest"), None),
    ("customer_for_channel", lambda c: c.customer_for_channel("telegram", "42"), None),
]


@pytest.mark.parametrize(
    ("name", "call", "expected"), NOT_FOUND_CALLS, ids=[c[0] for c in NOT_FOUND_CALLS]
)
async def test_404_means_not_found(
    name: str, call: Callable[[ProfileClient], Awaitable[Any]], expected: Any
) -> None:
    service = Service([NOT_FOUND])
    client = make(service)
    assert await call(client) == expected, name
    assert len(service.requests) == 1
    assert client.breaker.failures == 0


ANONYMOUS_CALLS: list[tuple[Callable[[ProfileClient], Awaitable[Any]], Any]] = [
    (lambda c: c.get_order("ORD-100234"), None),
    (lambda c: c.get_order("ORD-100234", None), None),
    (lambda c: c.cancel_order("ORD-100234", None), {"outcome": "not_found"}),
    (lambda c: c.change_order("ORD-100234", {"size": "L"}), {"outcome": "not_found"}),
    (lambda c: c.start_return("ORD-100234", "x"), {"outcome": "not_found"}),
    (lambda c: c.refund_status("ORD-100234"), None),
    (lambda c: c.list_orders(None), []),
    (lambda c: c.get_customer(None), None),
    (lambda c: c.summary(None), None),
    (lambda c: c.get_order("", "CUS-1"), None),
    (lambda c: c.customer_for_channel("telegram", ""), None),
]


@pytest.mark.parametrize(("call", "expected"), ANONYMOUS_CALLS)
async def test_anonymous_shoppers_cause_no_call(
    call: Callable[[ProfileClient], Awaitable[Any]], expected: Any
) -> None:
    service = Service([ok(ORDER)])
    assert await call(make(service)) == expected
    assert service.requests == []


@pytest.mark.parametrize(
    ("customer_id", "raw_segment"),
    [
        ("../../admin", "%2E%2E%2F%2E%2E%2Fadmin"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("CUS-1/orders", "CUS-1%2Forders"),
        ("CUS-1?limit=100#x", "CUS-1%3Flimit%3D100%23x"),
        ("%2e%2e", "%252e%252e"),
        ("CUS 1;drop", "CUS%201%3Bdrop"),
        ("Jürgen", "J%C3%BCrgen"),
    ],
)
async def test_hostile_ids_stay_inside_their_segment(customer_id: str, raw_segment: str) -> None:
    service = Service([ok(ORDER)])
    await make(service).get_order("ORD-100234", customer_id)
    assert service.last.url.raw_path.decode() == (f"/v1/customers/{raw_segment}/orders/ORD-100234")
    assert service.last.url.host == "profiles.test"


async def test_hostile_order_id_and_channel_ids() -> None:
    service = Service([ok(ORDER), ok({"customer_id": "CUS-1"})])
    client = make(service)
    await client.get_order("../../../health", "CUS-1")
    assert (
        service.last.url.raw_path == b"/v1/customers/CUS-1/orders/%2E%2E%2F%2E%2E%2F%2E%2E%2Fhealth"
    )
    await client.customer_for_channel("../customers", "..")
    assert service.last.url.raw_path == b"/v1/channel-identities/%2E%2E%2Fcustomers/%2E%2E"


# --- errors, retries, budget ----------------------------------------------------------------


async def test_500_raises_profiles_unavailable_without_retry() -> None:
    service = Service([ok({"detail": "boom"}, 500)])
    with pytest.raises(ProfilesUnavailable) as info:
        await make(service).get_customer("CUS-1001")
    assert info.value.status == 500
    assert len(service.requests) == 1
    assert "/v1/customers/{customer_id}" in str(info.value)
    assert "CUS-1001" not in str(info.value)


@pytest.mark.parametrize("status", [400, 401, 409, 422])
async def test_other_4xx_raise_but_do_not_trip_the_breaker(status: int) -> None:
    service = Service([ok({"detail": "no"}, status)])
    breaker = CircuitBreaker(failure_threshold=1)
    client = make(service, breaker=breaker)
    with pytest.raises(ProfilesUnavailable) as info:
        await client.get_customer("CUS-1001")
    assert info.value.status == status
    assert not info.value.service_failure
    assert breaker.state == "closed"
    assert len(service.requests) == 1


async def test_a_non_json_answer_raises() -> None:
    service = Service([httpx.Response(200, text="<html>proxy</html>")])
    with pytest.raises(ProfilesUnavailable):
        await make(service).get_customer("CUS-1001")


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_get_is_retried_on_gateway_errors(status: int) -> None:
    clock = FakeClock()
    service = Service([ok({}, status), ok({}, status), ok(CUSTOMER)])
    client = make(service, clock=clock, retries=2, backoff=0.1)
    assert await client.get_customer("CUS-1001") == CUSTOMER
    assert len(service.requests) == 3
    assert clock.sleeps == pytest.approx([0.1, 0.2])


async def test_get_gives_up_after_the_retries() -> None:
    clock = FakeClock()
    service = Service([ok({}, 503)])
    client = make(service, clock=clock, retries=2)
    with pytest.raises(ProfilesUnavailable) as info:
        await client.get_customer("CUS-1001")
    assert len(service.requests) == 3
    assert info.value.status == 503
    assert client.breaker.failures == 1  # one call, one failure, however many attempts


async def test_jitter_spreads_the_delays() -> None:
    clock = FakeClock()
    service = Service([ok({}, 503), ok({}, 503), ok(CUSTOMER)])
    draws = iter([0.0, 0.99])
    client = ProfileClient(
        BASE,
        TOKEN,
        transport=httpx.MockTransport(service),
        backoff=0.1,
        clock=clock,
        sleep=clock.sleep,
        jitter=lambda: next(draws),
    )
    await client.get_customer("CUS-1001")
    assert clock.sleeps == pytest.approx([0.05, 0.2 * 1.49])


@pytest.mark.parametrize(
    "error", [httpx.ConnectError("refused"), httpx.ConnectTimeout("connect timed out")]
)
async def test_get_is_retried_on_connect_errors(error: Exception) -> None:
    service = Service([error, error, ok(CUSTOMER)])
    assert await make(service, retries=2).get_customer("CUS-1001") == CUSTOMER
    assert len(service.requests) == 3


async def test_put_and_delete_are_retried() -> None:
    service = Service([ok({}, 503), ok(CUSTOMER)])
    client = make(service)
    assert await client.set_consent("CUS-1001", "marketing", True) == CUSTOMER
    assert [r.method for r in service.requests] == ["PUT", "PUT"]
    service2 = Service([httpx.ConnectError("refused"), ok({"customer_id": "CUS-1001"})])
    await make(service2).erase("CUS-1001")
    assert [r.method for r in service2.requests] == ["DELETE", "DELETE"]


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.cancel_order("ORD-1", "CUS-1"),
        lambda c: c.change_order("ORD-1", {"size": "L"}, "CUS-1"),
        lambda c: c.start_return("ORD-1", "x", "CUS-1"),
        lambda c: c.record_conversation("CUS-1", "s", "rest"),
    ],
)
@pytest.mark.parametrize("reply", [ok({}, 503), httpx.ConnectError("refused")])
async def test_post_is_never_retried(
    call: Callable[[ProfileClient], Awaitable[Any]], reply: Reply
) -> None:
    service = Service([reply, ok({"outcome": "ok"})])
    with pytest.raises(ProfilesUnavailable):
        await call(make(service, retries=5))
    assert len(service.requests) == 1


async def test_read_timeout_is_not_retried() -> None:
    service = Service([httpx.ReadTimeout("slow"), ok(CUSTOMER)])
    with pytest.raises(ProfilesUnavailable) as info:
        await make(service, retries=5).get_customer("CUS-1001")
    assert len(service.requests) == 1
    assert "timed out" in str(info.value)


async def test_other_transport_errors_are_not_retried() -> None:
    service = Service([httpx.RemoteProtocolError("peer closed"), ok(CUSTOMER)])
    with pytest.raises(ProfilesUnavailable):
        await make(service, retries=5).get_customer("CUS-1001")
    assert len(service.requests) == 1


async def test_retries_stop_at_the_budget() -> None:
    clock = FakeClock()
    service = Service([ok({}, 503)], latency=0.3)
    client = make(service, clock=clock, retries=10, backoff=0.5, budget=2.2)
    start = clock.now
    with pytest.raises(ProfilesUnavailable) as info:
        await client.get_customer("CUS-1001")
    # attempts at +0.0, +0.8 (0.3 + 0.5), +2.1 (1.1 + 1.0); the next wait (2.0) would end
    # past the budget, so the client gives up instead of sleeping.
    assert [round(t - start, 6) for t in service.started_at] == [0.0, 0.8, 2.1]
    assert clock.sleeps == pytest.approx([0.5, 1.0])
    assert all(t - start < 2.2 for t in service.started_at)
    assert "budget" in str(info.value)


async def test_no_attempt_starts_after_the_budget() -> None:
    clock = FakeClock()
    service = Service([httpx.ConnectError("refused")], latency=1.0)
    client = make(service, clock=clock, retries=10, backoff=0.0, budget=2.2)
    with pytest.raises(ProfilesUnavailable):
        await client.get_customer("CUS-1001")
    assert len(service.requests) == 3  # at +0, +1, +2; at +3 the budget is spent


async def test_a_hung_service_is_cut_off_at_the_budget() -> None:
    async def hang(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(60)
        return ok(CUSTOMER)

    client = ProfileClient(BASE, TOKEN, transport=httpx.MockTransport(hang), budget=0.05)
    with pytest.raises(ProfilesUnavailable) as info:
        await client.get_customer("CUS-1001")
    assert "timed out" in str(info.value)
    assert client.breaker.failures == 1


# --- circuit breaker ----------------------------------------------------------------------------


async def test_breaker_opens_fails_fast_and_a_probe_closes_it() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=3, reset_after=30.0, clock=clock)
    service = Service([ok({}, 500), ok({}, 500), ok({}, 500), ok(CUSTOMER)])
    client = make(service, clock=clock, breaker=breaker)
    for _ in range(3):
        with pytest.raises(ProfilesUnavailable):
            await client.get_customer("CUS-1001")
    assert breaker.state == "open"
    assert len(service.requests) == 3

    with pytest.raises(ProfilesUnavailable) as info:
        await client.get_customer("CUS-1001")
    assert "circuit open" in str(info.value)
    assert len(service.requests) == 3  # the transport was not called
    anonymous = await client.get_order("ORD-1")  # anonymous calls never need the service
    assert anonymous is None

    clock.now += 30.0
    assert breaker.state == "half_open"
    assert await client.get_customer("CUS-1001") == CUSTOMER
    assert breaker.state == "closed"
    assert len(service.requests) == 4


async def test_a_failed_probe_reopens_the_circuit() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=2, reset_after=10.0, clock=clock)
    service = Service([httpx.ConnectError("refused")])
    client = make(service, clock=clock, breaker=breaker, retries=0)
    for _ in range(2):
        with pytest.raises(ProfilesUnavailable):
            await client.get_customer("CUS-1001")
    clock.now += 10.0
    with pytest.raises(ProfilesUnavailable):
        await client.get_customer("CUS-1001")  # the probe
    assert len(service.requests) == 3
    assert breaker.state == "open"
    clock.now += 9.0
    with pytest.raises(ProfilesUnavailable):
        await client.get_customer("CUS-1001")
    assert len(service.requests) == 3


async def test_a_404_counts_as_the_service_answering() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=2, reset_after=10.0, clock=clock)
    service = Service([ok({}, 500), NOT_FOUND, ok({}, 500)])
    client = make(service, clock=clock, breaker=breaker)
    with pytest.raises(ProfilesUnavailable):
        await client.get_customer("CUS-1001")
    assert await client.get_customer("CUS-1001") is None
    with pytest.raises(ProfilesUnavailable):
        await client.get_customer("CUS-1001")
    assert breaker.state == "closed"  # the 404 broke the run of failures


# --- the token stays secret ---------------------------------------------------------------------


async def test_token_never_reaches_logs_or_exception_messages(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=4, clock=clock)
    service = Service(
        [
            ok(CUSTOMER),
            ok({"detail": "no"}, 401),
            ok({"detail": f"bad token {TOKEN}"}, 500),
            httpx.ConnectError("refused"),
            httpx.ReadTimeout("slow"),
            ok({}, 503),
        ]
    )
    client = make(service, clock=clock, breaker=breaker, retries=0)
    errors: list[BaseException] = []
    await client.get_customer("CUS-1001")
    for _ in range(6):
        try:
            await client.get_customer("CUS-1001")
        except ProfilesUnavailable as exc:
            errors.append(exc)
    assert len(errors) == 6
    assert "circuit open" in str(errors[-1])
    assert caplog.records, "the failures are logged"
    for exc in errors:
        text = "".join(traceback.format_exception(exc))
        assert TOKEN not in text
        assert TOKEN not in repr(exc)
    assert TOKEN not in caplog.text
    assert TOKEN not in repr(client)


# --- the breaker on its own --------------------------------------------------------------------


async def test_breaker_rejects_bad_settings() -> None:
    with pytest.raises(ValueError):
        CircuitBreaker(failure_threshold=0)
    with pytest.raises(ValueError):
        CircuitBreaker(reset_after=-1)


async def test_breaker_lets_one_probe_through_at_a_time() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, reset_after=5.0, clock=clock)
    breaker.before_call()
    breaker.record_failure()
    assert breaker.state == "open"
    clock.now += 5.0
    gate = asyncio.Event()

    async def probe() -> str:
        await gate.wait()
        return "up"

    first = asyncio.ensure_future(breaker.call(probe))
    await asyncio.sleep(0)
    assert breaker.state == "half_open"
    with pytest.raises(CircuitOpen):
        await breaker.call(probe)
    gate.set()
    assert await first == "up"
    assert breaker.state == "closed"
    assert breaker.failures == 0


async def test_a_cancelled_probe_frees_the_slot_without_a_verdict() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, reset_after=5.0, clock=clock)
    breaker.before_call()
    breaker.record_failure()
    clock.now += 5.0

    async def never() -> None:
        await asyncio.Event().wait()

    task = asyncio.ensure_future(breaker.call(never))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert breaker.state == "half_open"
    breaker.before_call()  # a new probe is admitted


async def test_breaker_counts_only_consecutive_failures() -> None:
    breaker = CircuitBreaker(failure_threshold=3)

    async def fail() -> None:
        raise OSError("down")

    async def succeed() -> int:
        return 1

    for _ in range(2):
        with pytest.raises(OSError):
            await breaker.call(fail)
    await breaker.call(succeed)
    for _ in range(2):
        with pytest.raises(OSError):
            await breaker.call(fail)
    assert breaker.state == "closed"
    with pytest.raises(OSError):
        await breaker.call(fail)
    assert breaker.state == "open"


async def test_exceptions_outside_failures_are_no_verdict() -> None:
    breaker = CircuitBreaker(failure_threshold=1)

    async def bug() -> None:
        raise KeyError("caller bug")

    with pytest.raises(KeyError):
        await breaker.call(bug, failures=(OSError,))
    assert breaker.state == "closed"
    assert breaker.failures == 0
