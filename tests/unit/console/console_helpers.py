"""Helpers shared by the handoff console's tests."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import sqlalchemy as sa
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from pydantic import SecretStr

from console.app import create_app
from console.hours import parse_hours
from console.settings import Settings
from servicekit.db import make_engine

TOKEN = "console-test-token-51"
SECRET = "console-test-secret-key-0c9e"
RASA_TOKEN = "rasa-secret-77"
RASA_URL = "http://rasa.test:5005"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
START = dt.datetime(2025, 6, 2, 10, 0, tzinfo=dt.timezone.utc)  # a Monday, inside hours
ADMIN = ("admin@shop.test", "admin-password-1")
PASSWORD = "agent-password-1"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def make_settings(url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": url,
        "token": SecretStr(TOKEN),
        "secret_key": SecretStr(SECRET),
        "rasa_url": RASA_URL,
        "rasa_token": SecretStr(RASA_TOKEN),
        "hours": parse_hours("Mon-Fri 09:00-17:00", "UTC"),
        "claim_timeout": 300,
        "admin_email": ADMIN[0],
        "admin_password": SecretStr(ADMIN[1]),
    }
    values.update(overrides)
    return Settings(**values)


class Clock:
    """A clock the test moves."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@dataclass
class FakeRasa:
    """Stands in for Rasa's network: records every request, answers like Rasa 3.6."""

    requests: list[httpx.Request] = field(default_factory=list)
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Conversations are paused unless a test says otherwise (action_handoff pauses them).
    paused: dict[str, bool] = field(default_factory=dict)
    fail: bool = False

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fail:
            return httpx.Response(503, json={"status": "failure"})
        sender = request.url.path.split("/")[2] if request.url.path.count("/") >= 2 else ""
        if request.method == "GET" and request.url.path.endswith("/tracker"):
            return httpx.Response(
                200,
                json={
                    "sender_id": sender,
                    "paused": self.paused.get(sender, True),
                    "events": self.events.get(sender, []),
                },
            )
        if request.url.path.endswith("/tracker/events") and request.content:
            body = json.loads(request.content)
            for event in body if isinstance(body, list) else [body]:
                kind = event.get("event")
                if kind in ("pause", "resume"):
                    self.paused[sender] = kind == "pause"
        return httpx.Response(200, json={"sender_id": "x", "events": []})

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)

    def calls(self) -> list[tuple[str, str, dict[str, str], Any]]:
        out = []
        for r in self.requests:
            body = json.loads(r.content) if r.content else None
            out.append((r.method, r.url.path, dict(r.url.params), body))
        return out


class Console:
    """The app on one database, a moveable clock, a fake Rasa, and one client per agent."""

    def __init__(
        self, url: str, profiles: httpx.AsyncBaseTransport | None = None, **overrides: Any
    ) -> None:
        self.settings = make_settings(url, **overrides)
        self.engine = make_engine(self.settings.database_url)
        self.clock = Clock()
        self.rasa = FakeRasa()
        self.app = create_app(
            self.settings,
            self.engine,
            clock=self.clock,
            rasa_transport=self.rasa.transport(),
            profiles_transport=profiles,
            hasher=CHEAP,
        )
        self._clients: list[TestClient] = []

    def client(self) -> TestClient:
        client = TestClient(self.app, raise_server_exceptions=False, follow_redirects=False)
        self._clients.append(client)
        return client

    def service(self, method: str, path: str, **kw: Any) -> httpx.Response:
        client = self.client()
        return client.request(method, path, headers={**AUTH, **kw.pop("headers", {})}, **kw)

    def agent(self, email: str = ADMIN[0], password: str = ADMIN[1]) -> Agent:
        client = self.client()
        response = login(client, email, password)
        assert response.status_code == 303, response.text
        csrf = client.get("/session").json()["csrf_token"]
        return Agent(client, csrf)

    def add_agent(self, admin: Agent, name: str, role: str = "agent") -> Agent:
        email = f"{name.lower()}@shop.test"
        response = admin.post(
            "/agents",
            json={"email": email, "display_name": name, "role": role, "password": PASSWORD},
        )
        assert response.status_code == 201, response.text
        return self.agent(email, PASSWORD)

    def open_case(self, conversation_id: str, **fields: Any) -> httpx.Response:
        body = case_body(conversation_id, **fields)
        return self.service("POST", "/api/v1/cases", json=body)

    def count(self, table: str, where: str = "", **params: Any) -> int:
        sql = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
        with self.engine.connect() as conn:
            return int(conn.execute(sa.text(sql), params).scalar_one())

    def close(self) -> None:
        for client in self._clients:
            client.close()
        self.engine.dispose()


@dataclass
class Agent:
    """A logged-in client with its CSRF token."""

    client: TestClient
    csrf: str

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.client.get(path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf, **kw.pop("headers", {})}
        return self.client.post(path, json=json if json is not None else {}, headers=headers, **kw)

    def form(self, path: str, data: dict[str, str] | None = None) -> httpx.Response:
        return self.client.post(path, data={"csrf_token": self.csrf, **(data or {})})


def login_token(client: TestClient) -> str:
    page = client.get("/login").text
    match = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', page)
    assert match, page
    return match.group(1)


def login(client: TestClient, email: str, password: str) -> httpx.Response:
    """Log in through the form, as a browser does (its CSRF token first)."""
    token = login_token(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def key() -> str:
    return uuid.uuid4().hex


def case_body(conversation_id: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "conversation_id": conversation_id,
        "channel": "socketio",
        "language": "es",
        "reason": "negative_sentiment",
        "reason_detail": "2 of the last 3 messages negative",
        "customer_id": "CUS-1001",
        "profile": {
            "name": "Ana García",
            "segment": "regular",
            "preferred_language": "es",
            "order_count": 4,
            "consent": {"personalisation": True},
        },
        "sentiment_trail": [{"label": "negative", "score": -0.6, "intent": "complaint"}],
        "summary": {
            "intents": ["search_product", "complaint"],
            "constraints": {"category": "running shoes", "size": "9"},
            "products_shown": ["TF-RS-0001"],
            "order_ids": ["ORD-100234"],
            "last_messages": [
                {"from": "shopper", "text": "esto es un desastre"},
                {"from": "bot", "text": "Lo siento"},
            ],
        },
        "priority_hint": "normal",
    }
    body.update(fields)
    return body
