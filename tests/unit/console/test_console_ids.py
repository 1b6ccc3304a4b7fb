"""Conversation and customer ids: what is accepted, and that Rasa's URLs reach exactly that id.

``RawRasa`` routes like Rasa 3.6 (Sanic 21.12): ``/conversations/<conversation_id:path>/...``
matched on the raw request path, ``%``-escapes *not* decoded (checked against Sanic 21.12.2:
``/conversations/a%20b/tracker`` gives ``conversation_id == "a%20b"``). ``decodes=True`` is a
Rasa that decodes them (what a patched Rasa would do).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from console_helpers import AUTH, CHEAP, Clock, case_body, key, login, make_settings
from fastapi.testclient import TestClient

from console.app import create_app
from console.ids import printable, rasa_segment, travels_raw
from console.rasa import UNADDRESSABLE
from servicekit.db import make_engine

ROUTE = re.compile(rb"^/conversations/(?P<id>.+?)/(?P<what>tracker|tracker/events|execute)$")
RAW_OK = ["whatsapp:+33612345678", "a@b.c", "x!$&'()*,;=~y", "...", ".x", "A-Z_0-9"]
ESCAPED = ["a b", "a/b", "..", ".", "a?b", "a#b", "ünï", "x%2Fy", "../conversations/s-1", "😀 ok"]


@dataclass
class RawRasa:
    """Answers like Rasa's HTTP API, addressing trackers by the raw (or decoded) path."""

    decodes: bool = False
    down: bool = False
    calls: list[tuple[str, str, str, Any]] = field(default_factory=list)
    raw_paths: list[bytes] = field(default_factory=list)

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("refused")
        raw = request.url.raw_path.split(b"?", 1)[0]
        self.raw_paths.append(raw)
        match = ROUTE.match(raw)
        if match is None:
            return httpx.Response(404, text="not found")
        text = match["id"].decode("ascii")
        sender = unquote(text) if self.decodes else text
        body = json.loads(request.content) if request.content else None
        self.calls.append((request.method, sender, match["what"].decode(), body))
        tracker = {"sender_id": sender, "paused": False, "events": []}
        if match["what"] == b"execute":
            return httpx.Response(200, json={"tracker": tracker, "messages": []})
        return httpx.Response(200, json=tracker)

    def writes(self) -> list[tuple[str, str, Any]]:
        return [
            (sender, what, body) for method, sender, what, body in self.calls if method == "POST"
        ]


class App:
    """The console over a RawRasa."""

    def __init__(self, url: str, rasa: RawRasa) -> None:
        self.rasa = rasa
        self.engine = make_engine(url)
        self.app = create_app(
            make_settings(url),
            self.engine,
            clock=Clock(),
            rasa_transport=httpx.MockTransport(rasa.handler),
            hasher=CHEAP,
        )
        self.client = TestClient(self.app, raise_server_exceptions=False, follow_redirects=False)

    def service(self, method: str, path: str, **kw: Any) -> httpx.Response:
        return self.client.request(method, path, headers=AUTH, **kw)

    def admin_csrf(self) -> str:
        assert login(self.client, "admin@shop.test", "admin-password-1").status_code == 303
        csrf: str = self.client.get("/session").json()["csrf_token"]
        return csrf

    def close(self) -> None:
        self.client.close()
        self.engine.dispose()


@pytest.fixture
def rasa36(sqlite_url: str) -> Iterator[App]:
    app = App(sqlite_url, RawRasa(decodes=False))
    yield app
    app.close()


@pytest.fixture
def decoding(sqlite_url: str) -> Iterator[App]:
    app = App(sqlite_url, RawRasa(decodes=True))
    yield app
    app.close()


# -- the rules ---------------------------------------------------------------------------
@pytest.mark.parametrize("value", RAW_OK)
def test_path_safe_ids_travel_as_they_are(value: str) -> None:
    assert travels_raw(value) and rasa_segment(value) == value


@pytest.mark.parametrize("value", ESCAPED)
def test_other_ids_are_one_escaped_segment(value: str) -> None:
    segment = rasa_segment(value)
    assert not travels_raw(value)
    assert re.fullmatch(r"[A-Za-z0-9_~\-]*(%[0-9A-F]{2}[A-Za-z0-9_~\-]*)+", segment), segment
    assert unquote(segment) == value


@pytest.mark.parametrize(
    "value", ["a\x00b", "a\nb", "tab\there", "\x7f", "rlo\u202eevil", "\u2028"]
)
def test_control_characters_are_refused(value: str) -> None:
    with pytest.raises(ValueError):
        printable(value)


@pytest.mark.parametrize(
    ("conversation_id", "status"),
    [("", 422), ("x" * 129, 422), ("a\nb", 422), ("a\u200bb", 422), ("x" * 128, 201)],
)
def test_case_ids_length_and_control_characters(
    rasa36: App, conversation_id: str, status: int
) -> None:
    answer = rasa36.service("POST", "/api/v1/cases", json=case_body(conversation_id))
    assert answer.status_code == status, answer.text


# -- Rasa 3.6: only ids that travel raw reach their tracker ----------------------------------
@pytest.mark.parametrize("conversation_id", RAW_OK)
def test_raw_ids_reach_exactly_their_tracker(rasa36: App, conversation_id: str) -> None:
    opened = rasa36.service("POST", "/api/v1/cases", json=case_body(conversation_id))
    assert opened.status_code == 201 and rasa36.rasa.calls == []  # no check needed
    csrf = rasa36.admin_csrf()
    headers = {"X-CSRF-Token": csrf}
    assert rasa36.client.post("/cases/C-000001/claim", headers=headers).status_code == 200
    sent = rasa36.client.post(
        "/cases/C-000001/reply", json={"text": "hola", "idempotency_key": key()}, headers=headers
    )
    assert sent.status_code == 201
    back = rasa36.client.post(
        "/cases/C-000001/handback", json={"idempotency_key": key()}, headers=headers
    )
    assert back.status_code == 200
    senders = {sender for _method, sender, _what, _body in rasa36.rasa.calls}
    assert senders == {conversation_id}
    assert [what for _s, what, _b in rasa36.rasa.writes()] == [
        "tracker/events",  # pause (the fake's tracker is not paused)
        "tracker/events",  # the reply
        "tracker/events",  # resume + listen
        "execute",  # utter_handback
        "tracker/events",  # action_listen
    ]


@pytest.mark.parametrize("conversation_id", ESCAPED)
def test_escaped_ids_are_refused_when_rasa_reads_another_tracker(
    rasa36: App, conversation_id: str
) -> None:
    opened = rasa36.service("POST", "/api/v1/cases", json=case_body(conversation_id))
    # Refused (the action server then offers a ticket) rather than paused for nobody.
    assert opened.status_code == 422 and opened.json() == {"detail": UNADDRESSABLE}
    assert rasa36.rasa.writes() == []
    assert [what for _m, _s, what, _b in rasa36.rasa.calls] == ["tracker"]
    assert rasa36.rasa.raw_paths == [
        f"/conversations/{rasa_segment(conversation_id)}/tracker".encode()
    ]
    count = rasa36.client.get("/queue.json", headers={"Accept": "application/json"})
    assert count.status_code == 401  # (no session) - and no case was stored:
    with rasa36.engine.connect() as conn:
        import sqlalchemy as sa

        assert conn.execute(sa.text("SELECT count(*) FROM cases")).scalar_one() == 0


def test_rasa_down_while_checking_an_escaped_id_is_503(rasa36: App) -> None:
    rasa36.rasa.down = True
    opened = rasa36.service("POST", "/api/v1/cases", json=case_body("a b"))
    assert opened.status_code == 503  # the action server keeps the case and retries
    assert "retry" in opened.json()["detail"]
    assert rasa36.service("POST", "/api/v1/cases", json=case_body("s-1")).status_code == 201


# -- a Rasa that decodes: every id works, always as one segment ------------------------------
@pytest.mark.parametrize("conversation_id", ESCAPED)
def test_escaped_ids_work_when_rasa_decodes(decoding: App, conversation_id: str) -> None:
    opened = decoding.service("POST", "/api/v1/cases", json=case_body(conversation_id))
    assert opened.status_code == 201, opened.text
    headers = {"X-CSRF-Token": decoding.admin_csrf()}
    assert decoding.client.post("/cases/C-000001/claim", headers=headers).json()["paused_now"]
    sent = decoding.client.post(
        "/cases/C-000001/reply", json={"text": "hola", "idempotency_key": key()}, headers=headers
    )
    assert sent.status_code == 201
    transcript = decoding.client.get("/cases/C-000001/transcript")
    assert transcript.json()["rasa"] is True
    resolved = decoding.client.post(
        "/cases/C-000001/resolve", json={"idempotency_key": key()}, headers=headers
    )
    assert resolved.status_code == 200
    assert {sender for _m, sender, _w, _b in decoding.rasa.calls} == {conversation_id}
    segment = rasa_segment(conversation_id).encode()
    for raw in decoding.rasa.raw_paths:
        head, _, rest = raw.removeprefix(b"/conversations/").partition(b"/")
        assert head == segment and rest in (b"tracker", b"tracker/events", b"execute"), raw
    writes = [(what, body) for _s, what, body in decoding.rasa.writes()]
    assert ("tracker/events", {"event": "pause"}) in writes
    assert any(
        body and body[0] == {"event": "resume"} for _w, body in writes if isinstance(body, list)
    )


# -- erasure: ids with "/" (sent as %2F), spaces, unicode are never dropped -----------------
@pytest.mark.parametrize(
    ("customer_id", "path"),
    [
        ("CUS/7", "CUS%2F7"),
        ("CUS/7", "CUS/7"),
        ("a b", "a%20b"),
        ("ünï", "%C3%BCn%C3%AF"),
        ("..", "%2E%2E"),
        ("x?y#z", "x%3Fy%23z"),
    ],
)
def test_erase_customer_with_any_printable_id(rasa36: App, customer_id: str, path: str) -> None:
    ticket = {
        "conversation_id": "s-1",
        "customer_id": customer_id,
        "language": "en",
        "kind": "email",
        "contact": "a@b.c",
        "reason": "request_human",
    }
    assert rasa36.service("POST", "/api/v1/tickets", json=ticket).status_code == 201
    erased = rasa36.service("DELETE", f"/api/v1/customers/{path}")
    assert erased.status_code == 200, erased.text
    assert erased.json() == {"cases": 0, "case_events": 0, "tickets": 1}


@pytest.mark.parametrize("conversation_id", ["a b/c", "../x", "ünï?#", "s-1"])
def test_erase_conversation_with_any_printable_id(rasa36: App, conversation_id: str) -> None:
    ticket = {
        "conversation_id": conversation_id,
        "language": "en",
        "kind": "callback",
        "contact": "+1 555 0100",
        "reason": "request_human",
    }
    assert rasa36.service("POST", "/api/v1/tickets", json=ticket).status_code == 201
    path = rasa_segment(conversation_id)  # what actions/clients/http.py sends (dots too)
    erased = rasa36.service("DELETE", f"/api/v1/conversations/{path}")
    assert erased.status_code == 200 and erased.json()["tickets"] == 1


@pytest.mark.parametrize(
    "path", ["/api/v1/customers/", "/api/v1/customers/a%00b", "/api/v1/customers/" + "x" * 201]
)
def test_erase_refuses_empty_control_or_oversized_ids(rasa36: App, path: str) -> None:
    answer = rasa36.service("DELETE", path)
    assert answer.status_code == 422, (answer.status_code, answer.text)


def test_erase_routes_still_need_the_token(rasa36: App) -> None:
    answer = rasa36.client.delete("/api/v1/customers/CUS%2F7")
    assert answer.status_code == 401
