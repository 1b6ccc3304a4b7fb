"""Tickets for agents: the list, marking one handled, authorization, privacy, erasure."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from console_helpers import Agent, Console, key

CONTACT = "+33 6 12 34 56 78"


def _ticket(console: Console, **fields: Any) -> str:
    body: dict[str, Any] = {
        "conversation_id": "s-9",
        "customer_id": "CUS-7",
        "language": "fr",
        "kind": "callback",
        "contact": CONTACT,
        "reason": "request_human",
        "summary": {
            "intents": ["request_human"],
            "order_ids": ["ORD-100234"],
            "last_messages": [{"from": "shopper", "text": "<script>alert(1)</script>"}],
        },
    }
    body.update(fields)
    answer = console.service("POST", "/api/v1/tickets", json=body)
    assert answer.status_code == 201, answer.text
    ticket_id: str = answer.json()["ticket_id"]
    return ticket_id


def _three(console: Console) -> None:
    _ticket(console)
    console.clock.advance(60)
    _ticket(console, kind="email", contact="ana@example.com", conversation_id="s-10")
    console.clock.advance(60)
    _ticket(console, customer_id=None, language="de", contact="+49 30 1234")


def test_open_tickets_first_newest_first(console: Console) -> None:
    _three(console)
    admin = console.agent()
    handled = admin.post("/tickets/T-000003/handle", json={"note": "x", "idempotency_key": key()})
    assert handled.status_code == 200
    tickets = admin.get("/tickets.json").json()["tickets"]
    assert [(t["ticket_id"], t["status"]) for t in tickets] == [
        ("T-000002", "open"),
        ("T-000001", "open"),
        ("T-000003", "handled"),
    ]
    second = tickets[0]
    assert second == {
        "ticket_id": "T-000002",
        "status": "open",
        "kind": "email",
        "contact": "ana@example.com",
        "language": "fr",
        "reason": "request_human",
        "summary": second["summary"],
        "customer_id": "CUS-7",
        "conversation_id": "s-10",
        "created_at": "2025-06-02T10:01:00+00:00",
        "handled_by": None,
        "handled_at": None,
        "note": None,
    }
    assert second["summary"]["order_ids"] == ["ORD-100234"]
    assert tickets[2]["handled_by"] == "Admin" and tickets[2]["note"] == "x"


def test_tickets_page_shows_them_escaped_with_a_nav_link(console: Console) -> None:
    _ticket(console, contact="<b>bold</b>@example.com")
    admin = console.agent()
    page = admin.get("/tickets")
    assert page.status_code == 200
    text = page.text
    assert '<a href="/tickets">Tickets</a>' in text
    assert "&lt;b&gt;bold&lt;/b&gt;@example.com" in text and "<b>bold</b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>alert" not in text
    for shown in ("T-000001", "callback", "request_human", "CUS-7", "ORD-100234", "2025-06-02"):
        assert shown in text
    assert 'action="/tickets/T-000001/handle"' in text
    assert admin.get("/queue").text.count('href="/tickets"') == 1


def test_handle_is_once_repeat_is_200_other_is_409(console: Console) -> None:
    _ticket(console)
    admin = console.agent()
    bob = console.add_agent(admin, "Bob")
    once = key()
    first = bob.post(
        "/tickets/T-000001/handle", json={"note": "called back", "idempotency_key": once}
    )
    assert first.status_code == 200
    body = first.json()
    assert body["duplicate"] is False
    assert body["ticket"]["status"] == "handled" and body["ticket"]["handled_by"] == "Bob"
    assert body["ticket"]["note"] == "called back"
    assert body["ticket"]["handled_at"] == "2025-06-02T10:00:00+00:00"
    # a double submit (same key): the same answer, nothing written twice
    again = bob.post("/tickets/T-000001/handle", json={"note": "other", "idempotency_key": once})
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["ticket"]["note"] == "called back"
    # anyone else, or Bob with a new request: a clear 409, the note kept
    for who in (admin, bob):
        late = who.post("/tickets/T-000001/handle", json={"note": "n", "idempotency_key": key()})
        assert late.status_code == 409
        assert late.json() == {"detail": "ticket T-000001 was already handled by Bob"}
    assert console.count("tickets", "handled_note = 'called back'") == 1
    assert console.count("audit_log", "action = 'ticket_handled'") == 1
    assert console.count("audit_log", "action = 'ticket_handled' AND detail = 'T-000001'") == 1


def test_handle_from_the_page_form(console: Console) -> None:
    _ticket(console)
    admin = console.agent()
    form = {"note": "emailed the refund form", "idempotency_key": key()}
    done = admin.form("/tickets/T-000001/handle", form)
    assert done.status_code == 303 and done.headers["location"] == "/tickets"
    assert admin.form("/tickets/T-000001/handle", form).status_code == 303  # double click
    page = admin.get("/tickets").text
    assert "emailed the refund form" in page and "handled by Admin" in page
    assert 'action="/tickets/T-000001/handle"' not in page
    late = admin.form("/tickets/T-000001/handle", {"note": "n", "idempotency_key": key()})
    assert late.status_code == 409 and "already handled by Admin" in late.text


@pytest.mark.parametrize("ref", ["T-000009", "C-000001", "T-x", "9" * 13])
def test_unknown_ticket_is_404(console: Console, ref: str) -> None:
    admin = console.agent()
    answer = admin.post(f"/tickets/{ref}/handle", json={"idempotency_key": key()})
    assert answer.status_code == 404 and answer.json() == {"detail": "no such ticket"}


def test_bad_handle_bodies_are_422(console: Console) -> None:
    _ticket(console)
    admin = console.agent()
    for body in (
        {"note": "x"},
        {"note": "x" * 4001, "idempotency_key": key()},
        {"idempotency_key": key(), "surprise": 1},
    ):
        assert admin.post("/tickets/T-000001/handle", json=body).status_code == 422
    assert console.count("tickets", "status = 'open'") == 1


def test_tickets_need_a_session_and_csrf(console: Console) -> None:
    _ticket(console)
    anonymous = console.client()
    page = anonymous.get("/tickets")
    assert page.status_code == 303 and page.headers["location"] == "/login"
    data = anonymous.get("/tickets.json", headers={"Accept": "application/json"})
    assert data.status_code == 401 and CONTACT not in data.text
    post = anonymous.post("/tickets/T-000001/handle", json={"idempotency_key": key()})
    assert post.status_code == 401
    # the service token is not a session either
    assert console.service("GET", "/tickets.json").status_code == 303

    admin = console.agent()
    no_csrf = admin.client.post("/tickets/T-000001/handle", json={"idempotency_key": key()})
    assert no_csrf.status_code == 403
    other = console.agent()  # another session's token does not fit this one
    wrong = Agent(admin.client, other.csrf)
    assert (
        wrong.post("/tickets/T-000001/handle", json={"idempotency_key": key()}).status_code == 403
    )
    form_without = admin.client.post("/tickets/T-000001/handle", data={"note": "x"})
    assert form_without.status_code == 403
    assert console.count("tickets", "status = 'open'") == 1


def test_stale_csrf_token_is_403(console: Console) -> None:
    _ticket(console)
    first = console.agent()
    stale = first.csrf
    first.post("/logout")
    second = console.agent()
    replay = Agent(second.client, stale)
    answer = replay.post("/tickets/T-000001/handle", json={"idempotency_key": key()})
    assert answer.status_code == 403
    assert console.count("tickets", "status = 'open'") == 1


def test_dashboard_counts_open_tickets(console: Console) -> None:
    _three(console)
    admin = console.agent()
    assert admin.get("/dashboard.json").json()["open_tickets"] == 3
    admin.post("/tickets/T-000002/handle", json={"idempotency_key": key()})
    assert admin.get("/dashboard.json").json()["open_tickets"] == 2
    page = admin.get("/dashboard").text
    assert '<dd data-figure="open_tickets"><a href="/tickets">2</a></dd>' in page


def test_contacts_and_notes_are_never_logged(
    console: Console, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _ticket(console)
    admin = console.agent()
    admin.get("/tickets")
    admin.get("/tickets.json")
    admin.post("/tickets/T-000001/handle", json={"note": "rang +33 6 12", "idempotency_key": key()})
    admin.post("/tickets/T-000001/handle", json={"idempotency_key": key()})  # 409
    assert CONTACT not in caplog.text and "+33 6 12" not in caplog.text
    audit = admin.get("/audit").text
    assert CONTACT not in audit and "+33 6 12" not in audit
    assert "ticket_handled" in audit and "T-000001" in audit


def test_erasure_deletes_open_and_handled_tickets(console: Console) -> None:
    _ticket(console)
    _ticket(console, conversation_id="s-10")
    _ticket(console, customer_id=None, conversation_id="s-11")
    admin = console.agent()
    admin.post("/tickets/T-000001/handle", json={"note": "done", "idempotency_key": key()})
    by_customer = console.service("DELETE", "/api/v1/customers/CUS-7")
    assert by_customer.json() == {"cases": 0, "case_events": 0, "tickets": 2}
    by_conversation = console.service("DELETE", "/api/v1/conversations/s-11")
    assert by_conversation.json()["tickets"] == 1
    assert console.count("tickets") == 0
    assert admin.get("/tickets.json").json() == {"tickets": []}
    assert console.count("audit_log", "action = 'ticket_handled'") == 1  # who/when stay
