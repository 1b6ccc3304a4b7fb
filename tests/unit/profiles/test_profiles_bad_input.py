"""Bad input: a clear 4xx, nothing stored, nothing leaked (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from profiles_helpers import AUTH, Api

VALID = {"name": "Ana Ruiz", "email": "ana@example.es", "preferred_language": "es"}


def _customers(api: Api) -> int:
    return api.count("customers")


@pytest.mark.parametrize(
    ("body", "content_type", "status", "detail"),
    [
        (b'{"name": "Ana", ', "application/json", 400, "malformed JSON"),
        (b"not json at all", "application/json", 400, "malformed JSON"),
        (
            json.dumps({**VALID, "x": "a" * 70_000}).encode(),
            "application/json",
            413,
            "request body is larger than 64 KB",
        ),
        (
            b"name=Ana",
            "application/x-www-form-urlencoded",
            415,
            "request body must be JSON (application/json)",
        ),
        (
            json.dumps(VALID).encode(),
            "text/plain",
            415,
            "request body must be JSON (application/json)",
        ),
    ],
)
def test_body_level_errors(
    any_api: Api, body: bytes, content_type: str, status: int, detail: str
) -> None:
    before = _customers(any_api)
    response = any_api.post("/v1/customers", content=body, headers={"content-type": content_type})
    assert response.status_code == status
    assert response.json() == {"detail": detail}
    assert _customers(any_api) == before


def test_chunked_oversized_body_is_413(api: Api) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(80):
            yield b" " * 1024

    response = api.post(
        "/v1/customers", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**VALID, "is_admin": True}, "is_admin"),
        ({**VALID, "name": 5}, "name"),
        ({**VALID, "name": ""}, "name"),
        ({**VALID, "name": "x" * 201}, "name"),
        ({**VALID, "name": "Ana\x00Ruiz"}, "name"),
        ({**VALID, "email": "not-an-email"}, "email"),
        ({**VALID, "preferred_language": "it"}, "preferred_language"),
        ({**VALID, "segment": "admin"}, "segment"),
        ({**VALID, "sizes": {"jeans": 32}}, "sizes"),
        ({**VALID, "sizes": {f"c{i}": "M" for i in range(51)}}, "sizes"),
        ({**VALID, "favourite_brands": "Kestrel"}, "favourite_brands"),
        ({**VALID, "favourite_brands": ["b"] * 21}, "favourite_brands"),
        ({**VALID, "price_band": {"min": 50, "max": 10}}, "price_band"),
        ({**VALID, "price_band": {"min": -1, "max": 10}}, "price_band"),
        ({**VALID, "price_band": {"min": "1", "max": 10}}, "price_band"),
        ({**VALID, "customer_id": "CUS-1001"}, "customer_id"),
        ({"email": "ana@example.es"}, "name"),
        ([VALID], ""),
    ],
)
def test_invalid_customer_bodies_are_422_and_store_nothing(
    any_api: Api, body: object, field: str
) -> None:
    before = _customers(any_api)
    response = any_api.post("/v1/customers", json=body)
    assert response.status_code == 422, response.text
    answer = response.json()
    assert answer["detail"] == "invalid request"
    assert any(field in "/".join(e["loc"]) for e in answer["errors"])
    assert all(set(e) == {"loc", "msg", "type"} for e in answer["errors"])
    assert _customers(any_api) == before


def test_validation_errors_do_not_echo_personal_data(api: Api) -> None:
    response = api.post("/v1/customers", json={**VALID, "email": "secret-person@@example.com"})
    assert response.status_code == 422
    assert "secret-person" not in response.text


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/v1/customers/CUS-1001", {"email": 12}),
        ("PATCH", "/v1/customers/CUS-1001", {"favourite_brands": ["x" * 61]}),
        ("PUT", "/v1/customers/CUS-1001/consent/personalisation", {"granted": 1}),
        ("PUT", "/v1/customers/CUS-1001/consent/personalisation", {"granted": True, "at": "now"}),
        ("POST", "/v1/customers/CUS-2002/orders/ORD-100238/change", {"size": "M", "price": 0}),
        (
            "POST",
            "/v1/customers/CUS-2002/orders/ORD-100238/change",
            {"shipping_address": {"name": "A", "line1": "B", "city": "C", "postcode": "1"}},
        ),
        ("POST", "/v1/customers/CUS-2004/orders/ORD-100293/returns", {"reason": "x" * 201}),
        (
            "POST",
            "/v1/customers/CUS-2004/orders/ORD-100293/returns",
            {"reason": "x", "product_ids": []},
        ),
        ("POST", "/v1/customers/CUS-2004/orders/ORD-100293/returns", {}),
        ("POST", "/v1/customers/CUS-1001/conversations", {"sender_id": ""}),
        ("PUT", "/v1/channel-identities/telegram/1", {"customer_id": "CUS 1001; --"}),
    ],
)
def test_invalid_writes_are_422_and_change_nothing(
    any_api: Api, method: str, path: str, body: object
) -> None:
    customer = any_api.get("/v1/customers/CUS-1001").json()
    order = any_api.get("/v1/customers/CUS-2004/orders/ORD-100293").json()
    other = any_api.get("/v1/customers/CUS-2002/orders/ORD-100238").json()
    response = any_api.client.request(method, path, json=body, headers=AUTH)
    assert response.status_code == 422, response.text
    assert any_api.get("/v1/customers/CUS-1001").json() == customer
    assert any_api.get("/v1/customers/CUS-2004/orders/ORD-100293").json() == order
    assert any_api.get("/v1/customers/CUS-2002/orders/ORD-100238").json() == other
    assert any_api.count("conversations") == 0
    assert any_api.count("channel_identities", "external_id = '1'") == 0


@pytest.mark.parametrize("limit", ["0", "101", "100000", "99999999999999999999", "abc", "-1"])
def test_bad_page_sizes_are_422(api: Api, limit: str) -> None:
    assert api.get("/v1/customers", params={"limit": limit}).status_code == 422
    assert api.get("/v1/customers/CUS-1001/orders", params={"limit": limit}).status_code == 422


SQL = "'; DROP TABLE customers; --"
SCRIPT = "<script>alert('x')</script>"


def test_sql_and_script_text_is_stored_verbatim_and_harmless(any_api: Api) -> None:
    before = _customers(any_api)
    body = {
        **VALID,
        "name": SQL,
        "favourite_brands": [SCRIPT, SQL],
        "sizes": {SQL: "M", "t-shirts": SCRIPT[:20]},
    }
    response = any_api.post("/v1/customers", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["name"] == SQL and created["favourite_brands"] == [SCRIPT, SQL]
    assert any_api.get(f"/v1/customers/{created['customer_id']}").json() == created
    assert _customers(any_api) == before + 1
    reason = f"{SQL} {SCRIPT}"
    result = any_api.post(
        "/v1/customers/CUS-2004/orders/ORD-100293/returns", json={"reason": reason}
    ).json()
    assert result["return_request"]["reason"] == reason
    assert (
        any_api.get("/v1/customers/CUS-2004/orders/ORD-100293").json()["returns"][0]["reason"]
        == reason
    )
    assert any_api.count("orders") > 250


@pytest.mark.parametrize(
    "path",
    [
        "/v1/customers/CUS-1001'%20OR%20'1'='1",
        "/v1/customers/CUS-1001%00",
        "/v1/customers/CUS-2001/orders/ORD-100234'%20OR%201=1--",
        "/v1/customers/%2A/orders",
        "/v1/channel-identities/telegram/100%00200",
    ],
)
def test_injection_in_paths_is_refused(api: Api, path: str) -> None:
    response = api.get(path)
    assert 400 <= response.status_code < 500
    assert "CUS-1001" not in response.text.replace(path, "")
    assert api.count("customers") > 60


def test_other_customers_ids_reveal_nothing(api: Api) -> None:
    mine = api.get("/v1/customers/CUS-2001/orders/ORD-100238")
    assert mine.status_code == 404 and "Jonas" not in mine.text
    refund = api.get("/v1/customers/CUS-2001/orders/ORD-100343/refund")
    assert refund.status_code == 404 and refund.json() == {"detail": "order not found"}
