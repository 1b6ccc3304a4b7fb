"""The service API for the action server (docs/console-api.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from console_helpers import AUTH, Console, case_body, key


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/cases"),
        ("POST", "/api/v1/tickets"),
        ("GET", "/api/v1/availability"),
        ("DELETE", "/api/v1/customers/CUS-1001"),
        ("DELETE", "/api/v1/conversations/s-1"),
    ],
)
@pytest.mark.parametrize(
    "header", [None, "Bearer wrong", "Basic abc", f"bearer {AUTH['Authorization'][7:]}x"]
)
def test_service_api_demands_the_token(
    console: Console, method: str, path: str, header: str | None
) -> None:
    headers = {"Authorization": header} if header else {}
    response = console.client().request(method, path, headers=headers, json=case_body("s-1"))
    assert response.status_code == 401
    assert response.json() == {"detail": "missing or wrong service token"}
    assert console.count("cases") == 0


def test_agent_session_is_not_a_service_token(console: Console) -> None:
    admin = console.agent()
    assert admin.client.get("/api/v1/availability").status_code == 401


def test_case_creation_is_idempotent_per_conversation(console: Console) -> None:
    first = console.open_case("s-1")
    assert first.status_code == 201
    assert first.json() == {
        "case_id": "C-000001",
        "status": "queued",
        "queue_position": 1,
        "agents_online": 0,
    }
    retry = console.open_case("s-1")
    assert retry.status_code == 200 and retry.json()["case_id"] == "C-000001"
    assert console.count("cases") == 1
    other = console.open_case("s-2")
    assert other.status_code == 201 and other.json()["queue_position"] == 2


def test_a_closed_case_does_not_block_a_new_one(console: Console) -> None:
    console.open_case("s-1")
    admin = console.agent()
    admin.post("/cases/C-000001/claim")
    assert (
        admin.post(
            "/cases/C-000001/resolve", json={"note": "done", "idempotency_key": key()}
        ).status_code
        == 200
    )
    again = console.open_case("s-1")
    assert again.status_code == 201 and again.json()["case_id"] == "C-000002"


def test_agents_online_counts_recent_sessions(console: Console) -> None:
    console.agent()
    assert console.open_case("s-1").json()["agents_online"] == 1
    console.clock.advance(16 * 60)
    assert console.open_case("s-2").json()["agents_online"] == 0


def test_queue_position_by_priority(console: Console) -> None:
    console.open_case("s-old", sentiment_trail=[{"label": "negative", "score": -0.3}])
    console.clock.advance(60)
    console.open_case("s-angry", sentiment_trail=[{"label": "negative", "score": -0.9}])
    console.clock.advance(60)
    console.open_case("s-new", sentiment_trail=[{"label": "negative", "score": -0.3}])
    console.clock.advance(60)
    vip = console.open_case("s-vip", priority_hint="vip", sentiment_trail=[])
    assert vip.json()["queue_position"] == 1
    assert console.open_case("s-angry").json()["queue_position"] == 2
    assert console.open_case("s-old").json()["queue_position"] == 3
    assert console.open_case("s-new").json()["queue_position"] == 4
    admin = console.agent()
    rows = admin.get("/queue.json").json()["cases"]
    assert [r["case_id"] for r in rows] == ["C-000004", "C-000002", "C-000001", "C-000003"]
    assert [r["queue_position"] for r in rows] == [1, 2, 3, 4]
    page = admin.get("/queue").text
    assert (
        page.index("C-000004")
        < page.index("C-000002")
        < page.index("C-000001")
        < page.index("C-000003")
    )


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"surprise": 1}, 422),
        ({"language": "it"}, 422),
        ({"reason": "bored"}, 422),
        ({"conversation_id": ""}, 422),
        ({"conversation_id": "a\x00b"}, 422),
        ({"conversation_id": "x" * 129}, 422),
        ({"customer_id": "CUS\n1"}, 422),
        ({"channel": "x" * 41}, 422),
        ({"priority_hint": "gold"}, 422),
        ({"sentiment_trail": [{"label": "negative", "score": -3}]}, 422),
        ({"summary": {"intents": [], "extra": 1}}, 422),
    ],
)
def test_bad_case_bodies(console: Console, change: dict[str, object], status: int) -> None:
    body = {**case_body("s-1"), **change}
    response = console.service("POST", "/api/v1/cases", json=body)
    assert response.status_code == status
    assert console.count("cases") == 0


def test_oversized_malformed_and_non_json_bodies(console: Console) -> None:
    big = case_body(
        "s-1",
        reason_detail="x" * 400,
        summary={"last_messages": [{"from": "shopper", "text": "y" * 4000}] * 17},
    )
    assert console.service("POST", "/api/v1/cases", json=big).status_code == 413
    malformed = console.service(
        "POST", "/api/v1/cases", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert malformed.status_code == 400 and malformed.json() == {"detail": "malformed JSON"}
    form = console.service("POST", "/api/v1/cases", data={"conversation_id": "s-1"})
    assert form.status_code == 415
    assert console.count("cases") == 0


def test_tickets(console: Console) -> None:
    body = {
        "conversation_id": "s-9",
        "customer_id": None,
        "language": "fr",
        "kind": "callback",
        "contact": "+33 6 12 34 56 78",
        "reason": "request_human",
        "summary": {"intents": ["request_human"]},
    }
    first = console.service("POST", "/api/v1/tickets", json=body)
    assert first.status_code == 201 and first.json() == {"ticket_id": "T-000001"}
    second = console.service(
        "POST", "/api/v1/tickets", json={**body, "kind": "email", "contact": "a@b.fr"}
    )
    assert second.json() == {"ticket_id": "T-000002"}
    assert (
        console.service("POST", "/api/v1/tickets", json={**body, "kind": "fax"}).status_code == 422
    )
    assert console.count("tickets") == 2
    with console.engine.connect() as conn:
        import sqlalchemy as sa

        details = conn.execute(sa.text("SELECT detail FROM audit_log")).scalars().all()
    assert all("+33" not in d for d in details)


def test_availability_follows_hours(console: Console) -> None:
    console.agent()
    inside = console.service("GET", "/api/v1/availability").json()
    assert inside == {"open": True, "agents_online": 1, "opens_at": None}
    console.clock.now = dt.datetime(2025, 6, 6, 17, 30, tzinfo=dt.timezone.utc)  # Friday evening
    outside = console.service("GET", "/api/v1/availability").json()
    assert outside["open"] is False
    assert outside["opens_at"] == "2025-06-09T09:00:00+00:00"


def test_availability_in_another_time_zone(sqlite_url: str) -> None:
    from console.hours import parse_hours

    app = Console(sqlite_url, hours=parse_hours("Mon-Fri 09:00-17:00", "America/New_York"))
    try:
        # 10:00 UTC is 06:00 in New York: closed, opens at 09:00 EDT = 13:00 UTC.
        answer = app.service("GET", "/api/v1/availability").json()
        assert answer["open"] is False and answer["opens_at"] == "2025-06-02T13:00:00+00:00"
    finally:
        app.close()


def test_erase_customer(console: Console) -> None:
    console.open_case("s-1", customer_id="CUS-1")
    console.open_case("s-2", customer_id="CUS-1")
    console.open_case("s-3", customer_id="CUS-2")
    admin = console.agent()
    admin.post("/cases/C-000001/claim")
    admin.post("/cases/C-000001/reply", json={"text": "hola", "idempotency_key": key()})
    console.service(
        "POST",
        "/api/v1/tickets",
        json={
            "conversation_id": "s-1",
            "customer_id": "CUS-1",
            "language": "es",
            "kind": "email",
            "contact": "ana@example.com",
            "reason": "request_human",
        },
    )
    erased = console.service("DELETE", "/api/v1/customers/CUS-1")
    assert erased.status_code == 200
    assert erased.json() == {"cases": 2, "case_events": 1, "tickets": 1}
    assert (
        console.count("cases") == 1
        and console.count("case_events") == 0
        and console.count("tickets") == 0
    )
    assert console.count("audit_log", "case_id = 1 AND action = 'erased'") == 1
    assert console.count("audit_log", "case_id = 1 AND action = 'reply'") == 1
    assert console.service("DELETE", "/api/v1/customers/CUS-1").json() == {
        "cases": 0,
        "case_events": 0,
        "tickets": 0,
    }


def test_erase_conversation(console: Console) -> None:
    console.open_case("s-1", customer_id=None, profile=None)
    console.open_case("s-2")
    erased = console.service("DELETE", "/api/v1/conversations/s-1")
    assert erased.json() == {"cases": 1, "case_events": 0, "tickets": 0}
    assert console.count("cases", "conversation_id = 's-1'") == 0
    assert console.count("cases") == 1
