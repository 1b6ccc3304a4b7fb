"""The case page's helpers: catalog search, customer panel, heartbeat, pause on claim, files."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from console_helpers import PASSWORD, Agent, Console, key

from catalog_index.lexical import LexicalIndex
from catalog_index.schema import Product
from catalog_index.text import lexical_text
from console.catalog import card_of
from console.schemas import ProductCard
from console.settings import REPO_ROOT, load_settings
from formats.cards import card_buttons

CATALOG = REPO_ROOT / "catalog" / "demo_catalog.jsonl"
EVENTS = "/conversations/s-1/tracker/events"


def _products(limit: int | None = None) -> list[Product]:
    lines = CATALOG.read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line.strip()]
    return [Product.from_dict(json.loads(line)) for line in rows[:limit]]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small catalog index as ``catalog_index`` writes it (lexical side only)."""
    root = tmp_path_factory.mktemp("index")
    products = _products(60)
    generation = root / "gen-test"
    generation.mkdir()
    with (generation / "products.jsonl").open("w", encoding="utf-8") as handle:
        for product in products:
            handle.write(json.dumps(product.to_dict()) + "\n")
    LexicalIndex.build([p.id for p in products], [lexical_text(p) for p in products]).save(
        generation / "lexical"
    )
    (root / "manifest.json").write_text(json.dumps({"generation": "gen-test"}), encoding="utf-8")
    return root


@pytest.fixture
def shop(sqlite_url: str, index_dir: Path) -> Iterator[Console]:
    app = Console(sqlite_url, index_dir=index_dir)
    yield app
    app.close()


def _claimed(console: Console, conversation: str = "s-1", **fields: Any) -> tuple[Agent, Agent]:
    console.open_case(conversation, **fields)
    admin = console.agent()
    bob = console.add_agent(admin, "Bob")
    assert bob.post("/cases/C-000001/claim").status_code == 200
    console.rasa.requests.clear()
    return admin, bob


# -- catalog search -------------------------------------------------------------------------
def test_catalog_search_answers_carousel_cards(shop: Console) -> None:
    admin = shop.agent()
    answer = admin.get("/catalog/search.json", params={"q": "running shoes"})
    assert answer.status_code == 200
    products = answer.json()["products"]
    assert 0 < len(products) <= 8
    assert all(p["category"] == "running shoes" for p in products[:3])
    first = products[0]
    for name in ("id", "title", "price", "currency", "price_text", "sizes_in_stock", "image_url"):
        assert name in first, name
    assert first["image_url"].startswith("/static/products/")
    assert answer.json()["language"] == "en"
    assert all(p["buttons"] == card_buttons(p["id"], "en") for p in products)
    german = admin.get("/catalog/search.json", params={"q": "running shoes", "language": "de"})
    assert german.json()["language"] == "de"
    assert [b["title"] for b in german.json()["products"][0]["buttons"]] == [
        "Details",
        "Ähnliche Artikel",
        "Vergleichen",
    ]
    assert admin.get("/catalog/search.json", params={"q": "x", "language": "xx"}).status_code == 422
    by_id = admin.get("/catalog/search.json", params={"q": "tf-rs-0001", "limit": 3}).json()
    assert by_id["products"][0]["id"] == "TF-RS-0001"
    assert admin.get("/catalog/search.json", params={"q": "zzqxv"}).json()["products"] == []


def test_a_searched_card_can_be_sent_as_is(shop: Console) -> None:
    _admin, bob = _claimed(shop)
    product = bob.get("/catalog/search.json", params={"q": "running shoes"}).json()["products"][0]
    sent = bob.post("/cases/C-000001/card", json={"product": product, "idempotency_key": key()})
    assert sent.status_code == 201, sent.text
    [(method, path, params, body)] = shop.rasa.calls()
    assert (method, path, params["output_channel"]) == ("POST", EVENTS, "latest")
    # the case is in Spanish: the shopper's card has Spanish buttons
    assert body["data"]["custom"] == {
        "type": "product_carousel",
        "language": "es",
        "products": [{**product, "buttons": card_buttons(product["id"], "es")}],
    }
    assert product["title"] in body["text"]


def test_every_demo_catalog_card_is_a_valid_product_card() -> None:
    products = _products()
    assert len(products) > 100
    for product in products:
        ProductCard.model_validate(card_of(product))


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "//evil.example/x.png", "/\\evil.example", "data:text/html,x", "/a b"],
)
def test_card_urls_must_be_web_or_site_paths(shop: Console, url: str) -> None:
    _admin, bob = _claimed(shop)
    product = {"id": "X-1", "title": "Thing", "price": 1.0, "image_url": url}
    sent = bob.post("/cases/C-000001/card", json={"product": product, "idempotency_key": key()})
    assert sent.status_code == 422 and "product.image_url" in sent.json()["detail"]
    assert shop.rasa.requests == []


def test_catalog_search_without_an_index_is_503(console: Console, tmp_path: Path) -> None:
    missing = Console(console.settings.database_url, index_dir=tmp_path / "nothing")
    try:
        admin = missing.agent()
        answer = admin.get("/catalog/search.json", params={"q": "shoes"})
        assert answer.status_code == 503
        assert "catalog index is not built" in answer.json()["detail"]
    finally:
        missing.close()


def test_catalog_search_checks_its_query(shop: Console) -> None:
    admin = shop.agent()
    assert admin.get("/catalog/search.json", params={"q": ""}).status_code == 422
    assert admin.get("/catalog/search.json", params={"q": "x" * 201}).status_code == 422
    assert admin.get("/catalog/search.json", params={"q": "x", "limit": 50}).status_code == 422


def test_catalog_search_follows_a_rebuilt_index(shop: Console, tmp_path: Path) -> None:
    root = tmp_path / "index"
    for name, products in (("gen-a", _products(5)), ("gen-b", _products(60)[50:])):
        folder = root / name
        folder.mkdir(parents=True)
        (folder / "products.jsonl").write_text(
            "".join(json.dumps(p.to_dict()) + "\n" for p in products), encoding="utf-8"
        )
        LexicalIndex.build([p.id for p in products], [lexical_text(p) for p in products]).save(
            folder / "lexical"
        )
    app = Console(shop.settings.database_url, index_dir=root)
    later = _products(60)[55].id
    try:
        admin = app.agent()

        def found() -> list[str]:
            answer = admin.get("/catalog/search.json", params={"q": later})
            return [p["id"] for p in answer.json()["products"]]

        (root / "manifest.json").write_text(json.dumps({"generation": "gen-a"}))
        assert later not in found()
        (root / "manifest.json").write_text(json.dumps({"generation": "gen-b"}))
        assert found()[0] == later
    finally:
        app.close()


# -- customer panel -------------------------------------------------------------------------
CUSTOMER = {
    "customer_id": "CUS-1001",
    "name": "Lucía Fernández",
    "email": "lucia.fernandez@example.com",
    "preferred_language": "es",
    "segment": "vip",
    "consent": {
        "personalisation": {"granted": True, "updated_at": "2026-11-20T10:00:00Z"},
        "marketing": {"granted": False, "updated_at": "2026-10-01T08:00:00Z"},
    },
}
ORDERS = {
    "orders": [
        {
            "order_id": "ORD-100234",
            "status": "shipped",
            "placed_at": "2026-11-18T09:00:00Z",
            "total": 129.5,
            "currency": "USD",
            "shipping_address": {"name": "Lucía Fernández"},
        }
    ]
}


class FakeProfiles:
    """The profile service's network: answers, fails, or is down."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.down = False
        self.orders_fail = False

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.down:
            raise httpx.ConnectError("refused", request=request)
        if request.headers.get("authorization") != "Bearer profiles-secret":
            return httpx.Response(401, json={"detail": "missing or wrong service token"})
        if request.url.path == "/v1/customers/CUS-1001":
            return httpx.Response(200, json=CUSTOMER)
        if request.url.path == "/v1/customers/CUS-1001/orders":
            if self.orders_fail:
                return httpx.Response(500, json={"detail": "boom"})
            return httpx.Response(200, json=ORDERS)
        return httpx.Response(404, json={"detail": "customer not found"})


@pytest.fixture
def profiles() -> FakeProfiles:
    return FakeProfiles()


@pytest.fixture
def crm(sqlite_url: str, profiles: FakeProfiles) -> Iterator[Console]:
    app = Console(
        sqlite_url,
        profiles=httpx.MockTransport(profiles.handler),
        profiles_url="http://profiles.test:8300",
        profiles_token=__import__("pydantic").SecretStr("profiles-secret"),
    )
    yield app
    app.close()


def test_customer_panel_shows_the_live_profile_and_orders(
    crm: Console, profiles: FakeProfiles
) -> None:
    crm.open_case("s-1", customer_id="CUS-1001")
    admin = crm.agent()
    panel = admin.get("/cases/C-000001/customer.json").json()
    assert panel["source"] == "live" and panel["message"] is None
    assert panel["profile"] == {
        "name": "Lucía Fernández",
        "segment": "vip",
        "preferred_language": "es",
        "consent": {
            "personalisation": {"granted": True, "updated_at": "2026-11-20T10:00:00Z"},
            "marketing": {"granted": False, "updated_at": "2026-10-01T08:00:00Z"},
        },
    }
    assert panel["orders"] == [
        {
            "order_id": "ORD-100234",
            "status": "shipped",
            "placed_at": "2026-11-18T09:00:00Z",
            "total": 129.5,
            "currency": "USD",
        }
    ]
    assert "email" not in json.dumps(panel)  # only what the panel shows
    assert [r.url.path for r in profiles.requests] == [
        "/v1/customers/CUS-1001",
        "/v1/customers/CUS-1001/orders",
    ]
    assert profiles.requests[1].url.params["limit"] == "5"


def test_a_down_profile_service_falls_back_to_the_snapshot_without_logging_personal_data(
    crm: Console, profiles: FakeProfiles, caplog: pytest.LogCaptureFixture
) -> None:
    crm.open_case("s-1", customer_id="CUS-1001")
    admin = crm.agent()
    profiles.down = True
    with caplog.at_level(logging.DEBUG):
        panel = admin.get("/cases/C-000001/customer.json").json()
        page = admin.get("/cases/C-000001")
    assert panel["source"] == "snapshot" and panel["message"] == "profile service unavailable"
    assert panel["profile"]["name"] == "Ana García" and panel["orders"] is None
    assert page.status_code == 200 and "Ana García" in page.text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "profile service unavailable" in logged
    for secret in ("CUS-1001", "Ana García", "Lucía"):
        assert secret not in logged


def test_customer_panel_when_orders_fail_or_the_customer_is_unknown(
    crm: Console, profiles: FakeProfiles
) -> None:
    crm.open_case("s-1", customer_id="CUS-1001")
    crm.open_case("s-2", customer_id="CUS-9999")
    admin = crm.agent()
    profiles.orders_fail = True
    panel = admin.get("/cases/C-000001/customer.json").json()
    assert panel["source"] == "live" and panel["orders"] is None
    assert panel["message"] == "recent orders unavailable"
    unknown = admin.get("/cases/C-000002/customer.json").json()
    assert unknown["source"] == "snapshot"
    assert unknown["message"] == "customer not found in the profile service"


def test_customer_panel_for_anonymous_shoppers_and_without_a_profile_service(
    console: Console,
) -> None:
    console.open_case("s-1", customer_id=None, profile=None)
    console.open_case("s-2")
    admin = console.agent()
    anonymous = admin.get("/cases/C-000001/customer.json").json()
    assert anonymous["source"] == "none" and anonymous["profile"] is None
    offline = admin.get("/cases/C-000002/customer.json").json()
    assert offline["source"] == "snapshot"
    assert offline["message"] == "profile service not configured"
    assert offline["profile"]["segment"] == "regular"
    assert offline["profile"]["consent"] == {
        "personalisation": {"granted": True, "updated_at": None}
    }


def test_profiles_settings_are_read_once_from_the_environment(tmp_path: Path) -> None:
    env = {
        "CONSOLE_TOKEN": "t" * 20,
        "CONSOLE_SECRET_KEY": "s" * 20,
        "PROFILES_URL": "http://127.0.0.1:8300/",
        "PROFILES_TOKEN": "p-token",
        "CONSOLE_INDEX_DIR": str(tmp_path),
    }
    settings = load_settings(env)
    assert settings.profiles_url == "http://127.0.0.1:8300"
    assert settings.profiles_token.get_secret_value() == "p-token"
    assert settings.index_dir == tmp_path
    bare = load_settings({"CONSOLE_TOKEN": "t" * 20, "CONSOLE_SECRET_KEY": "s" * 20})
    assert bare.profiles_url is None and bare.index_dir == REPO_ROOT / "var" / "index"
    relative = load_settings({**env, "CONSOLE_INDEX_DIR": "", "INDEX_DIR": "elsewhere/idx"})
    assert relative.index_dir == REPO_ROOT / "elsewhere" / "idx"


# -- claim: pause, heartbeat ------------------------------------------------------------------
def test_claim_pauses_a_conversation_the_bot_still_answers(console: Console) -> None:
    console.open_case("s-1")
    console.rasa.paused["s-1"] = False  # opened by the action server's retry
    admin = console.agent()
    answer = admin.post("/cases/C-000001/claim")
    assert answer.status_code == 200 and answer.json()["paused_now"] is True
    writes = [c for c in console.rasa.calls() if c[0] == "POST"]
    assert writes == [("POST", EVENTS, {"token": "rasa-secret-77"}, {"event": "pause"})]
    console.rasa.requests.clear()
    assert admin.post("/cases/C-000001/claim").json()["paused_now"] is False
    assert [c[0] for c in console.rasa.calls()] == ["GET"]


def test_claim_still_succeeds_when_rasa_is_down_but_says_so(console: Console) -> None:
    console.open_case("s-1")
    console.rasa.fail = True
    admin = console.agent()
    answer = admin.post("/cases/C-000001/claim")
    assert answer.status_code == 200 and answer.json()["status"] == "claimed"
    assert "bot may still answer" in answer.json()["warning"]


def test_heartbeat_keeps_an_open_page_s_claim(console: Console) -> None:
    admin, bob = _claimed(console)
    for _ in range(4):
        console.clock.advance(200)
        beat = bob.post("/cases/C-000001/heartbeat")
        assert beat.status_code == 200 and beat.json()["status"] == "claimed"
    assert bob.get("/queue.json").json()["cases"][0]["status"] == "claimed"
    assert console.rasa.requests == []  # the heartbeat never talks to Rasa


def test_an_abandoned_page_loses_the_claim_and_a_late_heartbeat_cannot_revive_it(
    console: Console,
) -> None:
    admin, bob = _claimed(console)
    console.clock.advance(301)
    late = bob.post("/cases/C-000001/heartbeat")
    assert late.status_code == 409 and late.json() == {"detail": "claim the case first"}
    assert admin.get("/queue.json").json()["cases"][0]["status"] == "queued"


def test_others_cannot_act_on_a_case_claimed_by_someone_else(shop: Console) -> None:
    admin, bob = _claimed(shop)
    ann = shop.add_agent(admin, "Ann")
    product = {"id": "X-1", "title": "Thing", "price": 1.0}
    attempts = [
        ("/cases/C-000001/reply", {"text": "hi", "idempotency_key": key()}),
        ("/cases/C-000001/card", {"product": product, "idempotency_key": key()}),
        ("/cases/C-000001/handback", {"idempotency_key": key()}),
        ("/cases/C-000001/resolve", {"note": "x", "idempotency_key": key()}),
        ("/cases/C-000001/heartbeat", {}),
    ]
    for path, body in attempts:
        refused = ann.post(path, json=body)
        assert refused.status_code == 403, path
        assert refused.json() == {"detail": "case is claimed by Bob"}, path
    assert shop.rasa.requests == []
    assert admin.post("/cases/C-000001/heartbeat").status_code == 200
    sent = admin.post("/cases/C-000001/card", json={"product": product, "idempotency_key": key()})
    assert sent.status_code == 201


NEW_ROUTES = [
    ("GET", "/catalog/search.json?q=shoes"),
    ("GET", "/cases/C-000001/customer.json"),
    ("POST", "/cases/C-000001/heartbeat"),
    ("POST", "/cases/C-000001/card"),
]


@pytest.mark.parametrize(("method", "path"), NEW_ROUTES)
def test_new_routes_need_a_session(shop: Console, method: str, path: str) -> None:
    shop.open_case("s-1")
    client = shop.client()
    as_script = client.request(method, path, headers={"Accept": "application/json"}, json={})
    assert as_script.status_code == 401 and as_script.json() == {"detail": "log in first"}
    as_page = client.request(method, path)
    assert as_page.status_code == 303 and as_page.headers["location"] == "/login"


@pytest.mark.parametrize("path", ["/cases/C-000001/heartbeat", "/cases/C-000001/card"])
def test_new_posts_need_the_csrf_token(shop: Console, path: str) -> None:
    shop.open_case("s-1")
    admin = shop.agent()
    refused = admin.client.post(path, json={}, headers={"X-CSRF-Token": "stale"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]


# -- bad input, hand back then resolve -----------------------------------------------------------
def test_an_oversized_reply_gets_a_clear_422(console: Console) -> None:
    _admin, bob = _claimed(console)
    answer = bob.post("/cases/C-000001/reply", json={"text": "x" * 4001, "idempotency_key": key()})
    assert answer.status_code == 422
    assert answer.json() == {"detail": "invalid fields: text (longer than 4000 characters)"}
    empty = bob.post("/cases/C-000001/reply", json={"text": "", "idempotency_key": key()})
    assert empty.json() == {"detail": "invalid fields: text (empty)"}
    assert console.rasa.requests == [] and console.count("case_events") == 0


def test_script_laden_texts_travel_raw_in_json_and_escaped_in_pages(console: Console) -> None:
    script = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    _admin, bob = _claimed(console)
    console.rasa.events["s-1"] = [{"event": "user", "text": script, "timestamp": 1.0}]
    sent = bob.post("/cases/C-000001/reply", json={"text": script, "idempotency_key": key()})
    assert sent.status_code == 201
    items = bob.get("/cases/C-000001/transcript").json()["items"]
    assert items[0]["text"] == script  # raw: the page inserts it with textContent
    page = bob.get("/cases/C-000001").text
    assert "<script>alert" not in page and "<img src=x" not in page


def test_a_handed_back_case_can_be_resolved_with_a_note(console: Console) -> None:
    _admin, bob = _claimed(console)
    assert bob.post("/cases/C-000001/handback", json={"idempotency_key": key()}).status_code == 200
    console.rasa.requests.clear()
    done = bob.post("/cases/C-000001/resolve", json={"note": "sizing", "idempotency_key": key()})
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    assert console.rasa.requests == []  # the bot already has the conversation: no resume
    again = bob.post("/cases/C-000001/handback", json={"idempotency_key": key()})
    assert again.status_code == 409 and again.json() == {"detail": "case is already resolved"}
    assert bob.post("/cases/C-000001/heartbeat").status_code == 409


# -- pages, files, headers ------------------------------------------------------------------------
def test_pages_carry_no_inline_script_or_style_and_a_strict_csp(console: Console) -> None:
    console.open_case("s-1")
    admin = console.agent()
    for path in ("/queue", "/dashboard", "/cases/C-000001", "/agents", "/audit"):
        page = admin.get(path)
        assert page.status_code == 200, path
        assert page.headers["content-security-policy"].startswith("default-src 'self'")
        assert page.headers["x-frame-options"] == "DENY"
        html = page.text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert "<style" not in html and " style=" not in html and " on" + "click=" not in html
    scripts = re.findall(r'<script src="([^"]+)"', admin.get("/cases/C-000001").text)
    assert scripts == ["/static/console.js", "/static/case.js"]
    login_page = console.client().get("/login")
    assert "default-src 'self'" in login_page.headers["content-security-policy"]


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/static/console.js", "text/javascript"),
        ("/static/case.js", "text/javascript"),
        ("/static/queue.js", "text/javascript"),
        ("/static/dashboard.js", "text/javascript"),
        ("/static/console.css", "text/css"),
        ("/static/products/running-shoes.svg", "image/svg+xml"),
    ],
)
def test_static_files_are_served(console: Console, path: str, kind: str) -> None:
    answer = console.client().get(path)
    assert answer.status_code == 200, path
    assert answer.headers["content-type"].startswith(kind)
    assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/static/",
        "/static/products/",
        "/static/products/..%2F..%2Fconsole%2Fapp.py",
        "/static/app.py",
        "/static/nothing.js",
    ],
)
def test_no_listing_no_source_no_escape(console: Console, path: str) -> None:
    answer = console.client().get(path, follow_redirects=True)
    assert answer.status_code == 404, path
    assert "import" not in answer.text


def test_case_page_exposes_what_its_script_needs(console: Console) -> None:
    console.open_case("s-1", language="de")
    admin = console.agent()
    bob = console.add_agent(admin, "Bob")
    bob.post("/cases/C-000001/claim")
    page = bob.get("/cases/C-000001").text
    root = re.search(r'<div id="case"([^>]*)>', page)
    assert root, page
    attributes = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', root.group(1)))
    me = re.search(r'id="me" data-agent-id="(\d+)"', page)
    assert me
    assert attributes["case"] == "C-000001" and attributes["status"] == "claimed"
    assert attributes["language"] == "de" and attributes["claimed-by-id"] == me.group(1)
    assert attributes["heartbeat"] == "30" and attributes["has-customer"] == "1"
    for element in ("transcript", "reply-text", "catalog-q", "handback", "resolve-note"):
        assert f'id="{element}"' in page, element
    assert PASSWORD not in page
