"""Claiming, replying, handing back, resolving, the transcript, escaping, dashboard, audit."""

from __future__ import annotations

from console_helpers import RASA_TOKEN, Agent, Console, key

from formats.cards import card_buttons

REPLY_PATH = "/conversations/s-1/tracker/events"
#: What the console appends to give the conversation back to the bot.
RESUME = [{"event": "resume"}, {"event": "action", "name": "action_listen"}]


def _claimed(console: Console, name: str = "Bob") -> tuple[Agent, Agent]:
    console.open_case("s-1")
    admin = console.agent()
    bob = console.add_agent(admin, name)
    assert bob.post("/cases/C-000001/claim").status_code == 200
    console.rasa.requests.clear()  # the claim's tracker read (the case is already paused)
    return admin, bob


def test_claim_then_second_claim_is_409(console: Console) -> None:
    console.open_case("s-1")
    admin = console.agent()
    bob = console.add_agent(admin, "Bob")
    ann = console.add_agent(admin, "Ann")
    first = bob.post("/cases/C-000001/claim")
    assert first.status_code == 200
    assert first.json() == {
        "case_id": "C-000001",
        "status": "claimed",
        "claimed_by": "Bob",
        "paused_now": False,
    }
    second = ann.post("/cases/C-000001/claim")
    assert second.status_code == 409 and second.json() == {"detail": "already claimed by Bob"}
    page = ann.form("/cases/C-000001/claim")
    assert page.status_code == 409 and "already claimed by Bob" in page.text
    assert bob.post("/cases/C-000001/claim").status_code == 200  # claiming again is harmless
    assert console.count("audit_log", "action = 'claim'") == 1
    assert ann.post("/cases/C-000099/claim").status_code == 404
    assert ann.post("/cases/nonsense/claim").status_code == 404


def test_claim_from_the_queue_page_form(console: Console) -> None:
    console.open_case("s-1")
    admin = console.agent()
    response = admin.form("/cases/C-000001/claim")
    assert response.status_code == 303 and response.headers["location"] == "/cases/C-000001"
    assert "claimed" in admin.get("/cases/C-000001").text


def test_only_the_claiming_agent_or_an_admin_acts(console: Console) -> None:
    admin, bob = _claimed(console)
    ann = console.add_agent(admin, "Ann")
    refused = ann.post("/cases/C-000001/reply", json={"text": "hi", "idempotency_key": key()})
    assert refused.status_code == 403 and refused.json() == {"detail": "case is claimed by Bob"}
    assert ann.post("/cases/C-000001/handback", json={"idempotency_key": key()}).status_code == 403
    assert ann.post("/cases/C-000001/resolve", json={"idempotency_key": key()}).status_code == 403
    assert console.rasa.requests == []
    by_admin = admin.post(
        "/cases/C-000001/reply", json={"text": "admin here", "idempotency_key": key()}
    )
    assert by_admin.status_code == 201
    assert console.rasa.calls()[0][3]["metadata"] == {"agent": "Admin"}


def test_an_unclaimed_case_must_be_claimed_first(console: Console) -> None:
    console.open_case("s-1")
    admin = console.agent()
    bob = console.add_agent(admin, "Bob")
    response = bob.post("/cases/C-000001/reply", json={"text": "hi", "idempotency_key": key()})
    assert response.status_code == 409 and response.json() == {"detail": "claim the case first"}


def test_idle_claim_returns_to_the_queue(console: Console) -> None:
    admin, bob = _claimed(console)
    console.clock.advance(299)
    assert bob.get("/queue.json").json()["cases"][0]["status"] == "claimed"
    bob.post("/cases/C-000001/reply", json={"text": "still here", "idempotency_key": key()})
    console.clock.advance(299)  # activity renewed the claim
    assert bob.get("/queue.json").json()["cases"][0]["status"] == "claimed"
    console.clock.advance(2)
    row = bob.get("/queue.json").json()["cases"][0]
    assert row["status"] == "queued" and row["claimed_by"] is None and row["queue_position"] == 1
    assert console.count("audit_log", "action = 'claim_expired'") == 1
    late = bob.post("/cases/C-000001/reply", json={"text": "late", "idempotency_key": key()})
    assert late.status_code == 409
    ann = console.add_agent(admin, "Ann")
    assert ann.post("/cases/C-000001/claim").status_code == 200


def test_reply_reaches_rasa_exactly(console: Console) -> None:
    _admin, bob = _claimed(console)
    response = bob.post(
        "/cases/C-000001/reply", json={"text": "Hola Ana", "idempotency_key": key()}
    )
    assert response.status_code == 201
    assert response.json()["duplicate"] is False
    assert console.rasa.calls() == [
        (
            "POST",
            REPLY_PATH,
            {"token": RASA_TOKEN, "output_channel": "latest", "execute_side_effects": "true"},
            {"event": "bot", "text": "Hola Ana", "metadata": {"agent": "Bob"}},
        )
    ]
    assert str(console.rasa.requests[0].url).startswith("http://rasa.test:5005/conversations/")


def test_double_submitted_reply_is_stored_and_sent_once(console: Console) -> None:
    _admin, bob = _claimed(console)
    body = {"text": "Un momento", "idempotency_key": key()}
    first = bob.post("/cases/C-000001/reply", json=body)
    second = bob.post("/cases/C-000001/reply", json=body)
    assert first.status_code == 201 and second.status_code == 200
    assert (
        second.json()["duplicate"] is True and second.json()["event_id"] == first.json()["event_id"]
    )
    assert console.count("case_events", "kind = 'reply'") == 1
    assert len(console.rasa.requests) == 1


def test_reply_kept_when_rasa_is_down_and_retried_with_the_same_key(console: Console) -> None:
    _admin, bob = _claimed(console)
    body = {"text": "¿Sigues ahí?", "idempotency_key": key()}
    console.rasa.fail = True
    down = bob.post("/cases/C-000001/reply", json=body)
    assert down.status_code == 502 and "stored" in down.json()["detail"]
    assert console.count("case_events", "kind = 'reply' AND NOT delivered") == 1
    console.rasa.fail = False
    retry = bob.post("/cases/C-000001/reply", json=body)
    assert retry.status_code == 200 and retry.json()["delivered"] is True
    assert console.count("case_events", "kind = 'reply' AND delivered") == 1
    assert console.count("case_events") == 1


def test_bad_replies(console: Console) -> None:
    _admin, bob = _claimed(console)
    assert (
        bob.post("/cases/C-000001/reply", json={"text": "", "idempotency_key": key()}).status_code
        == 422
    )
    assert (
        bob.post(
            "/cases/C-000001/reply", json={"text": "x" * 4001, "idempotency_key": key()}
        ).status_code
        == 422
    )
    assert bob.post("/cases/C-000001/reply", json={"text": "hi"}).status_code == 422
    assert (
        bob.post(
            "/cases/C-000001/reply", json={"text": "hi", "idempotency_key": key(), "x": 1}
        ).status_code
        == 422
    )
    huge = bob.post("/cases/C-000001/reply", json={"text": "x" * 70000, "idempotency_key": key()})
    assert huge.status_code == 413
    assert console.rasa.requests == []


def test_handback_resumes_and_says_utter_handback(console: Console) -> None:
    _admin, bob = _claimed(console)
    response = bob.post("/cases/C-000001/handback", json={"idempotency_key": key()})
    assert response.status_code == 200 and response.json() == {
        "case_id": "C-000001",
        "status": "handed_back",
    }
    assert console.rasa.calls() == [
        ("POST", REPLY_PATH, {"token": RASA_TOKEN}, RESUME),
        (
            "POST",
            "/conversations/s-1/execute",
            {"token": RASA_TOKEN, "output_channel": "latest"},
            {"name": "utter_handback"},
        ),
        # the bot listens again, so the next message follows the rules as usual
        ("POST", REPLY_PATH, {"token": RASA_TOKEN}, {"event": "action", "name": "action_listen"}),
    ]
    again = bob.post("/cases/C-000001/handback", json={"idempotency_key": key()})
    assert again.status_code == 409 and again.json() == {"detail": "case is already handed back"}
    assert len(console.rasa.requests) == 3


def test_resolve_then_hand_back_or_resolve_again_is_409(console: Console) -> None:
    _admin, bob = _claimed(console)
    done = bob.post(
        "/cases/C-000001/resolve", json={"note": "refund issued", "idempotency_key": key()}
    )
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    assert console.rasa.calls() == [("POST", REPLY_PATH, {"token": RASA_TOKEN}, RESUME)]
    handback = bob.post("/cases/C-000001/handback", json={"idempotency_key": key()})
    assert handback.status_code == 409 and handback.json() == {"detail": "case is already resolved"}
    again = bob.post("/cases/C-000001/resolve", json={"note": "x", "idempotency_key": key()})
    assert again.status_code == 409 and again.json() == {"detail": "case is already resolved"}
    reply = bob.post("/cases/C-000001/reply", json={"text": "x", "idempotency_key": key()})
    assert reply.status_code == 409
    form = bob.form("/cases/C-000001/handback", {"idempotency_key": key()})
    assert form.status_code == 409 and "case is already resolved" in form.text
    assert "refund issued" in bob.get("/cases/C-000001").text
    assert len(console.rasa.requests) == 1


def test_resolve_from_the_case_page_form(console: Console) -> None:
    _admin, bob = _claimed(console)
    page = bob.get("/cases/C-000001").text
    assert 'name="idempotency_key"' in page and "Resolve" in page
    response = bob.form(
        "/cases/C-000001/resolve", {"note": "ok", "idempotency_key": "resolve-C-000001"}
    )
    assert response.status_code == 303 and response.headers["location"] == "/queue"
    assert console.count("cases", "status = 'resolved'") == 1


def test_case_page_shows_summary_trail_and_customer(console: Console) -> None:
    _admin, bob = _claimed(console)
    page = bob.get("/cases/C-000001").text
    for text in (
        "negative_sentiment",
        "2 of the last 3 messages negative",
        "running shoes",
        "TF-RS-0001",
        "ORD-100234",
        "Ana García",
        "CUS-1001",
        "-0.6",
        "esto es un desastre",
    ):
        assert text in page
    assert "Hola, soy del equipo" in page  # canned replies in the case's language
    data = bob.get("/cases/C-000001/data").json()
    assert data["claimed_by"] == "Bob" and data["profile"]["segment"] == "regular"


def test_canned_replies_in_four_languages(console: Console) -> None:
    admin = console.agent()
    replies = admin.get("/canned.json").json()["replies"]
    keys = {
        "greeting",
        "one_moment",
        "anything_else",
        "goodbye",
        "order_looked_up",
        "refund_explained",
    }
    assert {(r["key"], r["language"]) for r in replies} == {
        (k, lang) for k in keys for lang in ("en", "es", "de", "fr")
    }
    german = admin.get("/canned.json", params={"language": "de"}).json()["replies"]
    assert len(german) == 6 and all(r["language"] == "de" for r in german)


def test_script_is_stored_as_given_and_rendered_inert(console: Console) -> None:
    script = "<script>alert('x')</script>"
    console.open_case(
        "s-1",
        reason_detail=script,
        summary={"last_messages": [{"from": "shopper", "text": script}]},
        profile={"name": script},
    )
    admin = console.agent()
    admin.post("/cases/C-000001/claim")
    console.rasa.requests.clear()
    admin.post("/cases/C-000001/reply", json={"text": script, "idempotency_key": key()})
    with console.engine.connect() as conn:
        import sqlalchemy as sa

        stored = conn.execute(sa.text("SELECT text FROM case_events")).scalar_one()
    assert stored == script
    assert console.rasa.calls()[0][3]["text"] == script
    page = admin.get("/cases/C-000001").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    console.rasa.events["s-1"] = [{"event": "user", "text": script, "timestamp": 1.0}]
    items = admin.get("/cases/C-000001/transcript").json()["items"]
    assert items[0]["text"] == script  # JSON carries the text; the page inserts it as text


def test_transcript_merges_rasa_and_console_events(console: Console) -> None:
    _admin, bob = _claimed(console)
    start = console.clock.now.timestamp()
    console.rasa.events["s-1"] = [
        {"event": "action", "name": "action_listen", "timestamp": start - 30},
        {"event": "user", "text": "quiero una persona", "timestamp": start - 20},
        {"event": "bot", "text": "Un agente viene", "timestamp": start - 10},
        {"event": "pause", "timestamp": start - 9},
        {
            "event": "bot",
            "text": "Hola, soy Bob",
            "metadata": {"agent": "Bob"},
            "timestamp": start + 5,
        },
        {"event": "user", "text": "gracias", "timestamp": start + 6},
    ]
    console.rasa.fail = True
    bob.post("/cases/C-000001/reply", json={"text": "pendiente", "idempotency_key": key()})
    console.rasa.fail = False
    console.rasa.requests.clear()
    data = bob.get("/cases/C-000001/transcript").json()
    assert [(i["from"], i["text"], i["kind"]) for i in data["items"]] == [
        ("shopper", "quiero una persona", "message"),
        ("bot", "Un agente viene", "message"),
        ("agent", "pendiente", "pending_reply"),
        ("agent", "Hola, soy Bob", "message"),
        ("shopper", "gracias", "message"),
    ]
    assert data["rasa"] is True
    assert console.rasa.calls() == [
        ("GET", "/conversations/s-1/tracker", {"token": RASA_TOKEN}, None)
    ]
    console.rasa.fail = True
    offline = bob.get("/cases/C-000001/transcript").json()
    assert offline["rasa"] is False and [i["text"] for i in offline["items"]] == ["pendiente"]


def test_dashboard(console: Console) -> None:
    console.open_case("s-1")
    console.open_case("s-2")
    console.open_case("s-3")
    admin = console.agent()
    console.clock.advance(40)
    admin.post("/cases/C-000001/claim")
    console.clock.advance(40)
    admin.post("/cases/C-000002/claim")
    admin.post("/cases/C-000002/resolve", json={"idempotency_key": key()})
    figures = admin.get("/dashboard.json").json()
    assert figures == {
        "open_cases": 2,
        "median_wait_seconds": 60.0,
        "handoffs_today": 3,
        "resolutions_today": 1,
        "agents_online": 1,
        "open_tickets": 0,
        "handoff_rate": None,
        "handoff_rate_note": "CONSOLE_EVENTS_DATABASE_URL is not set",
        "conversations_today": None,
        "handed_off_conversations_today": 3,
    }
    page = admin.get("/dashboard").text
    assert "60 s" in page
    assert "n/a (CONSOLE_EVENTS_DATABASE_URL is not set)" in page


def test_audit_log_records_who_what_when(console: Console) -> None:
    _admin, bob = _claimed(console)
    bob.post("/cases/C-000001/reply", json={"text": "secret text", "idempotency_key": key()})
    bob.post("/cases/C-000001/resolve", json={"note": "n", "idempotency_key": key()})
    page = _admin.get("/audit").text
    for action in ("case_opened", "login", "agent_created", "claim", "reply", "resolve"):
        assert action in page
    assert "2025-06-02 10:00:00" in page and "Bob" in page and "C-000001" in page
    assert "secret text" not in page


CARD = {
    "id": "TF-RS-0001",
    "title": "Trailfox Runner",
    "brand": "Trailfox",
    "price": 89.5,
    "currency": "EUR",
    "in_stock": True,
    "image_url": "https://img.shop.test/tf-rs-0001.jpg",
    "url": "https://shop.test/p/TF-RS-0001",
}


#: The carousel the shopper gets for CARD: the case is in Spanish, so are the card's buttons.
CAROUSEL = {
    "type": "product_carousel",
    "language": "es",
    "products": [{**CARD, "buttons": card_buttons("TF-RS-0001", "es")}],
}


def test_product_card_reaches_rasa_as_a_carousel(console: Console) -> None:
    _admin, bob = _claimed(console)
    body = {"product": CARD, "idempotency_key": key()}
    sent = bob.post("/cases/C-000001/card", json=body)
    assert sent.status_code == 201
    text = "Trailfox Runner (Trailfox) - 89.50 EUR https://shop.test/p/TF-RS-0001"
    assert console.rasa.calls() == [
        (
            "POST",
            REPLY_PATH,
            {"token": RASA_TOKEN, "output_channel": "latest", "execute_side_effects": "true"},
            {
                "event": "bot",
                "text": text,
                "metadata": {"agent": "Bob"},
                "data": {"custom": CAROUSEL},
            },
        )
    ]
    again = bob.post("/cases/C-000001/card", json=body)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert len(console.rasa.requests) == 1
    assert console.count("case_events", "kind = 'product_card'") == 1
    # The same key cannot be reused for another kind of action.
    clash = bob.post(
        "/cases/C-000001/reply", json={"text": "x", "idempotency_key": body["idempotency_key"]}
    )
    assert clash.status_code == 409


def test_card_buttons_are_the_consoles_own_in_the_cases_language(console: Console) -> None:
    _admin, bob = _claimed(console)
    english = {**CARD, "buttons": card_buttons("TF-RS-0001", "en")}
    sent = bob.post("/cases/C-000001/card", json={"product": english, "idempotency_key": key()})
    assert sent.status_code == 201, sent.text
    [(_method, _path, _params, body)] = console.rasa.calls()
    assert body["data"]["custom"] == CAROUSEL
    buttons = body["data"]["custom"]["products"][0]["buttons"]
    assert [b["title"] for b in buttons] == ["Detalles", "Más como este", "Comparar"]
    assert buttons[2]["payload"] == '/compare_products{"product_id":"TF-RS-0001"}'
    # the stored card is the agent's, without buttons
    assert console.count("case_events", "kind = 'product_card'") == 1
    assert console.count("case_events", "kind = 'product_card' AND data LIKE '%buttons%'") == 0


def test_bad_product_cards(console: Console) -> None:
    _admin, bob = _claimed(console)
    for change in (
        {"url": "javascript:alert(1)"},
        {"image_url": 'https://x.test/a"onerror="x'},
        {"price": -1},
        {"currency": "euro"},
        {"secret": 1},
        {"title": ""},
        {"buttons": [{"kind": "buy_now", "title": "Buy", "payload": "/x"}]},
        {"buttons": [{"kind": "details", "title": "x", "payload": "/x", "extra": 1}]},
        {"buttons": card_buttons("TF-RS-0001", "en") * 2},
    ):
        product = {**CARD, **change}
        response = bob.post(
            "/cases/C-000001/card", json={"product": product, "idempotency_key": key()}
        )
        assert response.status_code == 422, change
    assert console.rasa.requests == []


def test_transcript_shows_a_pending_card_once(console: Console) -> None:
    _admin, bob = _claimed(console)
    console.rasa.fail = True
    assert (
        bob.post(
            "/cases/C-000001/card", json={"product": CARD, "idempotency_key": key()}
        ).status_code
        == 502
    )
    items = bob.get("/cases/C-000001/transcript").json()["items"]
    assert [(i["kind"], i["custom"]) for i in items] == [("pending_product_card", CAROUSEL)]


def test_an_expired_claim_refuses_a_late_reply_even_without_a_queue_read(console: Console) -> None:
    _admin, bob = _claimed(console)
    console.clock.advance(301)
    late = bob.post("/cases/C-000001/reply", json={"text": "late", "idempotency_key": key()})
    assert late.status_code == 409 and late.json() == {"detail": "claim the case first"}
    assert console.rasa.requests == []
    assert bob.post("/cases/C-000001/claim").status_code == 200
