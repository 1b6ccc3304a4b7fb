"""The same behaviour on SQLite and on a real PostgreSQL (migrations, claims, idempotency)."""

from __future__ import annotations

import threading

from console_helpers import Console, key


def test_case_lifecycle_on_both_backends(any_console: Console) -> None:
    console = any_console
    assert console.count("canned_replies") == 24
    assert console.open_case("s-1").status_code == 201
    assert console.open_case("s-1").status_code == 200
    console.open_case("s-2", priority_hint="vip")
    admin = console.agent()
    bob = console.add_agent(admin, "Bob")
    rows = bob.get("/queue.json").json()["cases"]
    assert [r["case_id"] for r in rows] == ["C-000002", "C-000001"]
    assert bob.post("/cases/C-000001/claim").status_code == 200
    ann = console.add_agent(admin, "Ann")
    assert ann.post("/cases/C-000001/claim").json() == {"detail": "already claimed by Bob"}
    body = {"text": "<b>hola</b>", "idempotency_key": key()}
    assert bob.post("/cases/C-000001/reply", json=body).status_code == 201
    assert bob.post("/cases/C-000001/reply", json=body).status_code == 200
    assert console.count("case_events") == 1
    console.clock.advance(301)
    assert bob.get("/queue.json").json()["cases"][1]["status"] == "queued"
    assert ann.post("/cases/C-000001/claim").status_code == 200
    assert (
        admin.post("/cases/C-000001/handback", json={"idempotency_key": key()}).status_code == 200
    )
    # A handed-back case can still be closed with a note; after that it is closed for good.
    assert ann.post("/cases/C-000001/resolve", json={"idempotency_key": key()}).status_code == 200
    assert ann.post("/cases/C-000001/resolve", json={"idempotency_key": key()}).status_code == 409
    assert console.open_case("s-1").json()["case_id"] == "C-000003"
    erased = console.service("DELETE", "/api/v1/conversations/s-1")
    assert erased.json() == {"cases": 2, "case_events": 3, "tickets": 0}


def test_simultaneous_claims_have_one_winner(any_console: Console) -> None:
    console = any_console
    console.open_case("s-1")
    admin = console.agent()
    agents = [console.add_agent(admin, f"Agent{i}") for i in range(4)]
    barrier = threading.Barrier(len(agents))
    statuses: list[int] = []

    def claim(index: int) -> None:
        barrier.wait()
        statuses.append(agents[index].post("/cases/C-000001/claim").status_code)

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(len(agents))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409, 409, 409]
    assert console.count("audit_log", "action = 'claim'") == 1


def test_simultaneous_case_opening_makes_one_case(any_console: Console) -> None:
    console = any_console
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def open_case() -> None:
        barrier.wait()
        statuses.append(console.open_case("s-race").status_code)

    threads = [threading.Thread(target=open_case) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 200, 200, 201]
    assert console.count("cases") == 1
