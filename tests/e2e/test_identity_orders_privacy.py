"""Verified identity, orders, consent and privacy through the widget's socket.io channel.

The real stack: the profile service (seeded demo customers), rasa with the verified socket.io
channel, the action server. Tokens are signed here the way the shop's page would sign them.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
import socketio
from socket_shopper import SocketShopper, carousels, customer_token, texts
from stack import Stack

from assistant.channels.identity import derive_sender_id

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture()
def profiles(stack: Stack) -> Iterator[httpx.Client]:
    """The profile service's API, with the action server's token."""
    headers = {"Authorization": f"Bearer {stack.profiles_token}"}
    with httpx.Client(base_url=stack.config.profiles_url, headers=headers, timeout=30) as client:
        yield client


def run(coro: Any) -> Any:
    """Run one coroutine to the end (each test drives its own shoppers)."""
    return asyncio.run(coro)


def order_of(profiles: httpx.Client, customer: str, status: str) -> dict[str, Any]:
    orders = profiles.get(f"/v1/customers/{customer}/orders").json()["orders"]
    return next(o for o in orders if o["status"] == status)


def test_a_logged_in_customer_tracks_their_own_order(stack: Stack, profiles: httpx.Client) -> None:
    order = order_of(profiles, "CUS-2001", "shipped")

    async def talk() -> str:
        token = customer_token(stack.identity_secret, "CUS-2001")
        shopper = await SocketShopper(stack.config.rasa_url, token).connect()
        try:
            return texts(await shopper.say(f"where is my order {order['order_id']}?"))
        finally:
            await shopper.close()

    answer = run(talk())
    assert order["shipment"]["tracking_number"] in answer


def test_another_customers_order_is_simply_not_found(stack: Stack, profiles: httpx.Client) -> None:
    order = order_of(profiles, "CUS-2001", "shipped")

    async def talk() -> str:
        token = customer_token(stack.identity_secret, "CUS-2002")
        shopper = await SocketShopper(stack.config.rasa_url, token).connect()
        try:
            return texts(await shopper.say(f"where is my order {order['order_id']}?"))
        finally:
            await shopper.close()

    answer = run(talk())
    assert order["order_id"] in answer and "find" in answer.lower()
    assert order["shipment"]["tracking_number"] not in answer
    assert order["shipping_address"]["line1"] not in answer


def test_an_anonymous_visitor_is_asked_to_log_in(stack: Stack, profiles: httpx.Client) -> None:
    order = order_of(profiles, "CUS-2001", "shipped")

    async def talk() -> tuple[str, str]:
        shopper = await SocketShopper(stack.config.rasa_url).connect()
        try:
            first = texts(await shopper.say("where is my order?"))
            second = texts(await shopper.say(f"cancel order {order['order_id']}"))
            return first, second
        finally:
            await shopper.close()

    first, second = run(talk())
    assert "log in" in first.lower() and "log in" in second.lower()
    assert order["shipment"]["tracking_number"] not in first + second


def _forged(stack: Stack) -> list[str]:
    now = int(time.time())
    claims = {"sub": "CUS-2001", "iat": now, "exp": now + 600}
    header, payload, _ = jwt.encode(claims, "x" * 32, algorithm="HS256").split(".")
    unsigned = jwt.encode(claims, None, algorithm="none")
    return [
        jwt.encode(claims, "not-the-shop-secret-" * 2, algorithm="HS256"),  # wrong secret
        customer_token(stack.identity_secret, "CUS-2001", ttl=-120),  # expired
        unsigned,  # alg none
        f"{header}.{payload}.",  # signature stripped
        "garbage",
    ]


def test_forged_expired_or_unsigned_tokens_are_refused(stack: Stack) -> None:
    async def attempt(token: str) -> bool:
        shopper = SocketShopper(stack.config.rasa_url, token)
        try:
            await shopper.connect()
        except (socketio.exceptions.ConnectionError, TimeoutError):
            return False
        await shopper.close()
        return True

    for token in _forged(stack):
        assert run(attempt(token)) is False, token[:40]
    assert run(attempt(customer_token(stack.identity_secret, "CUS-2001"))) is True


def test_a_copied_session_id_or_sender_id_reveals_nothing(
    stack: Stack, profiles: httpx.Client, rasa: httpx.Client
) -> None:
    order = order_of(profiles, "CUS-2001", "shipped")
    tracking = order["shipment"]["tracking_number"]
    session = uuid.uuid4().hex

    async def talk() -> tuple[str, str, str]:
        owner = await SocketShopper(
            stack.config.rasa_url, customer_token(stack.identity_secret, "CUS-2001"), session
        ).connect()
        try:
            mine = texts(await owner.say(f"where is my order {order['order_id']}?"))
        finally:
            await owner.close()
        # a stranger reuses the customer's own session id: a different conversation
        stranger = await SocketShopper(stack.config.rasa_url, None, session).connect()
        try:
            early = texts(await stranger.collect(timeout=2))
            theirs = texts(await stranger.say(f"where is my order {order['order_id']}?"))
        finally:
            await stranger.close()
        return mine, early, theirs

    mine, early, theirs = run(talk())
    assert tracking in mine
    assert early == "" and tracking not in theirs and "log in" in theirs.lower()
    # even the exact conversation id, used over REST, is refused or anonymous
    sender = derive_sender_id(stack.identity_secret, "CUS-2001", session)
    reply = rasa.post(
        "/webhooks/rest/webhook",
        json={
            "sender": sender,
            "message": f"where is my order {order['order_id']}?",
            "input_channel": "socketio",
            "metadata": {"customer_id": "CUS-2001", "identity": {"verified": True}},
        },
    )
    assert tracking not in reply.text


def test_consent_is_asked_once_then_reasons_then_opt_out_on_the_next_turn(
    stack: Stack, profiles: httpx.Client
) -> None:
    customer = "CUS-1005"  # seeded without an answer to the consent question
    assert (
        profiles.get(f"/v1/customers/{customer}").json()["consent"]["personalisation"]["granted"]
        is None
    )

    granted: dict[str, Any] = {}

    async def talk() -> dict[str, list[dict[str, Any]]]:
        token = customer_token(stack.identity_secret, customer)
        shopper = await SocketShopper(stack.config.rasa_url, token).connect()
        said: dict[str, list[dict[str, Any]]] = {}
        try:
            said["first"] = await shopper.say("show me running shoes")
            said["yes"] = await shopper.say("yes")
            granted.update(profiles.get(f"/v1/customers/{customer}").json()["consent"])
            said["personal"] = await shopper.say("now show me hiking boots")
            said["again"] = await shopper.say("and t-shirts")
            said["opt_out"] = await shopper.say("stop personalising my recommendations")
            said["after"] = await shopper.say("show me backpacks")
        finally:
            await shopper.close()
        return said

    said = run(talk())
    first = carousels(said["first"])
    assert first and not any("reason" in p for p in first[0]["products"])
    assert "tailor" in texts(said["first"]).lower()  # the consent question
    assert "thanks" in texts(said["yes"]).lower()
    consent = granted["personalisation"]  # right after the "yes"
    assert consent["granted"] is True and consent["updated_at"]
    for turn in ("personal", "again"):
        products = carousels(said[turn])[0]["products"]
        assert products and all(p.get("reason") for p in products), turn
        assert "tailor" not in texts(said[turn]).lower()  # asked once
    assert "stopped personalising" in texts(said["opt_out"]).lower()
    after = carousels(said["after"])[0]["products"]
    assert after and not any("reason" in p for p in after)
    consent = profiles.get(f"/v1/customers/{customer}").json()["consent"]["personalisation"]
    assert consent["granted"] is False


def test_what_do_you_know_about_me_shows_the_profile(stack: Stack, profiles: httpx.Client) -> None:
    customer = profiles.get("/v1/customers/CUS-1001").json()
    summary = profiles.get("/v1/customers/CUS-1001/summary").json()

    async def talk() -> str:
        token = customer_token(stack.identity_secret, "CUS-1001")
        shopper = await SocketShopper(stack.config.rasa_url, token).connect()
        try:
            return texts(await shopper.say("what do you know about me?"))
        finally:
            await shopper.close()

    answer = run(talk())
    assert customer["email"] in answer and customer["name"] in answer
    assert f"orders: {summary['order_count']}" in answer
    assert "personalisation: on" in answer


def test_delete_my_data_erases_profile_links_orders_and_conversations(
    stack: Stack, profiles: httpx.Client, rasa: httpx.Client
) -> None:
    customer = "CUS-1040"
    before = profiles.get(f"/v1/customers/{customer}/orders").json()["orders"]
    assert before
    profiles.put(
        f"/v1/channel-identities/telegram/99{int(time.time())}", json={"customer_id": customer}
    ).raise_for_status()
    session = uuid.uuid4().hex
    secret_text = "my phone is +49 151 23456789, remember it"

    async def talk() -> dict[str, str]:
        token = customer_token(stack.identity_secret, customer)
        shopper = await SocketShopper(stack.config.rasa_url, token, session).connect()
        said: dict[str, str] = {}
        try:
            said["chat"] = texts(await shopper.say(secret_text))
            said["ask"] = texts(await shopper.say("delete my data"))
            said["yes"] = texts(await shopper.say("yes"))
        finally:
            await shopper.close()
        return said

    said = run(talk())
    assert "permanently erases" in said["ask"]
    assert "Done. I erased your customer profile" in said["yes"]
    assert profiles.get(f"/v1/customers/{customer}").status_code == 404
    assert profiles.get(f"/v1/customers/{customer}/orders").status_code == 404
    # the conversation's events are gone from the tracker store and the event broker
    sender = derive_sender_id(stack.identity_secret, customer, session)
    tracker = rasa.get(f"/conversations/{sender}/tracker", params={"token": stack.token}).json()
    assert "+49 151" not in json.dumps(tracker)
    events_db = stack.config.var_dir / "rasa" / "events.db"
    with sqlite3.connect(events_db) as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ?", (sender,)).fetchall()
    assert not any("+49 151" in row[0] for row in rows)
    # the shop's books keep the orders' items (the baskets), never who bought them
    baskets = profiles.get("/v1/insights/purchases", params={"limit": 1000}).json()["baskets"]
    ids = {tuple(sorted(b["product_ids"])) for b in baskets}
    assert tuple(sorted(i["product_id"] for i in before[0]["items"])) in ids
    assert customer not in json.dumps(baskets)


def test_the_assistant_answers_without_the_profile_service(stack: Stack) -> None:
    async def talk() -> dict[str, list[dict[str, Any]]]:
        token = customer_token(stack.identity_secret, "CUS-1001")
        shopper = await SocketShopper(stack.config.rasa_url, token).connect()
        try:
            return {
                "search": await shopper.say("show me rain jackets"),
                "order": await shopper.say("where is my order ORD-100234?"),
            }
        finally:
            await shopper.close()

    stack.stop_process("profiles")
    try:
        said = run(talk())
    finally:
        stack.start_process("profiles", f"{stack.config.profiles_url}/health")
    products = carousels(said["search"])[0]["products"]
    assert products and not any("reason" in p for p in products)
    assert "wrong" not in texts(said["search"]).lower()
    assert "can't reach our order system" in texts(said["order"])
