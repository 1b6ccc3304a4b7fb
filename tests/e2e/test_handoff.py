"""Human handoff end to end: shopper on socket.io, agent in the console, bot after hand back.

The real stack on loopback ports: rasa (verified socket.io channel, tracker store), the action
server (escalation rules, ``action_handoff``), the profile service and the console (which holds
Rasa's API token and writes agent replies into the conversation). The agent talks to the
console over HTTP the way the console's pages do (session cookie + CSRF header).
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from socket_shopper import SocketShopper, carousels, customer_token, texts
from stack import Stack

from assistant.channels.identity import derive_sender_id

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


class AgentSession:
    """A logged-in agent: an HTTP client with the session cookie and the CSRF token."""

    def __init__(self, base_url: str, email: str, password: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30, follow_redirects=False)
        page = self.http.get("/login").text
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match, page
        answer = self.http.post(
            "/login", data={"email": email, "password": password, "csrf_token": match[1]}
        )
        assert answer.status_code == 303, answer.text
        self.csrf = self.http.get("/session").json()["csrf_token"]

    def post(self, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf, "Accept": "application/json"}
        return self.http.post(path, json=body or {}, headers=headers)

    def case_of(self, conversation_id: str, timeout: float = 30.0) -> dict[str, Any]:
        """The open case of a conversation, waiting for it to appear in the queue."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for row in self.http.get("/queue.json").json()["cases"]:
                case = self.http.get(f"/cases/{row['case_id']}/data").json()
                if case["conversation_id"] == conversation_id:
                    return dict(case)
            time.sleep(0.5)
        raise AssertionError(f"no case for {conversation_id} in the queue")

    def transcript(self, case_id: str) -> list[dict[str, Any]]:
        data = self.http.get(f"/cases/{case_id}/transcript").json()
        return list(data["items"])

    def close(self) -> None:
        self.http.close()


@pytest.fixture()
def agent(stack: Stack) -> Iterator[AgentSession]:
    session = AgentSession(stack.config.console_url, *stack.console_admin)
    yield session
    session.close()


def tracker(stack: Stack, conversation_id: str) -> dict[str, Any]:
    response = httpx.get(
        f"{stack.config.rasa_url}/conversations/{conversation_id}/tracker",
        params={"token": stack.token},
        timeout=30,
    )
    response.raise_for_status()
    return dict(response.json())


def conversation_id_of(stack: Stack, customer_id: str, shopper: SocketShopper) -> str:
    """The sender id rasa gave the shopper's socket (derived by the channel, not chosen)."""
    return derive_sender_id(stack.identity_secret, customer_id, shopper.session_id)


def test_shopper_to_agent_and_back_to_the_bot(stack: Stack, agent: AgentSession) -> None:
    async def scenario() -> None:
        token = customer_token(stack.identity_secret, "CUS-1001")
        shopper = await SocketShopper(stack.config.rasa_url, token).connect()
        try:
            found = await shopper.say("show me running shoes under 150 dollars")
            assert carousels(found), texts(found)
            sender = conversation_id_of(stack, "CUS-1001", shopper)
            slots_before = tracker(stack, sender)["slots"]

            reply = texts(await shopper.say("I want to talk to a human"))
            assert "number 1" in reply or "queue" in reply, reply
            case = agent.case_of(sender)
            assert case["reason"] == "request_human"
            assert tracker(stack, sender)["paused"] is True

            # While the case waits, the bot is silent and the message reaches the console.
            assert await shopper.say("hello? is anyone there?", timeout=4) == []
            claimed = agent.post(f"/cases/{case['case_id']}/claim")
            assert claimed.status_code == 200, claimed.text
            items = agent.transcript(case["case_id"])
            assert any(i["from"] == "shopper" and "anyone there" in i["text"] for i in items)

            sent = agent.post(
                f"/cases/{case['case_id']}/reply",
                {"text": "Hi, I'm Sam from the shop. How can I help?", "idempotency_key": key()},
            )
            assert sent.status_code == 201, sent.text
            got = await shopper.collect(quiet=1.0, timeout=15)
            assert "I'm Sam from the shop" in texts(got)

            card = agent.http.get("/catalog/search.json", params={"q": "running shoes"})
            assert card.status_code == 200, card.text
            product = card.json()["products"][0]
            sent = agent.post(
                f"/cases/{case['case_id']}/card", {"product": product, "idempotency_key": key()}
            )
            assert sent.status_code == 201, sent.text
            got = await shopper.collect(quiet=1.0, timeout=15)
            assert [p["id"] for c in carousels(got) for p in c["products"]] == [product["id"]]

            back = agent.post(f"/cases/{case['case_id']}/handback", {"idempotency_key": key()})
            assert back.status_code == 200, back.text
            got = texts(await shopper.collect(quiet=1.5, timeout=15))
            assert "back with me" in got, got
            after = tracker(stack, sender)
            assert after["paused"] is False
            for name in ("category", "max_price", "language"):
                if slots_before.get(name) is not None:
                    assert after["slots"].get(name) == slots_before[name], name

            found = await shopper.say("show me hiking boots")
            assert carousels(found), f"the bot searches again after hand back: {texts(found)}"

            done = agent.post(
                f"/cases/{case['case_id']}/resolve",
                {"note": "answered sizing question", "idempotency_key": key()},
            )
            assert done.status_code == 200, done.text
        finally:
            await shopper.close()

    asyncio.run(scenario())


def test_console_down_offers_a_ticket_and_the_case_arrives_later(
    stack: Stack, agent: AgentSession
) -> None:
    console_health = f"{stack.config.console_url}/health"

    async def scenario() -> str:
        token = customer_token(stack.identity_secret, "CUS-1005")
        shopper = await SocketShopper(stack.config.rasa_url, token).connect()
        try:
            stack.stop_process("console")
            try:
                reply = texts(await shopper.say("let me speak to a real person please"))
            finally:
                stack.start_process("console", console_health)
            assert "can't reach our support team" in reply, reply
            return conversation_id_of(stack, "CUS-1005", shopper)
        finally:
            await shopper.close()

    sender = asyncio.run(scenario())
    # The action server retries the kept case (HANDOFF_RETRY_INTERVAL=2 in these tests).
    fresh = AgentSession(stack.config.console_url, *stack.console_admin)
    try:
        case = fresh.case_of(sender, timeout=60)
        assert case["reason"] == "request_human"
        assert case.get("customer_id") == "CUS-1005"
    finally:
        fresh.close()


def key() -> str:
    return uuid.uuid4().hex
