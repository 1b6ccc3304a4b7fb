"""The profile service's endpoints through its ASGI app (SQLite; writes also PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from profiles_helpers import Api

# --- open endpoints and auth -------------------------------------------------------------


def test_health_and_openapi_are_open(api: Api) -> None:
    assert api.client.get("/health").json() == {"status": "ok"}
    spec = api.client.get("/openapi.json").json()
    assert "/v1/customers/{customer_id}/orders/{order_id}/cancel" in spec["paths"]
    assert "HTTPBearer" in json.dumps(spec["components"]["securitySchemes"])


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Basic dGVzdA=="},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer test-token-7c1fX"},
    ],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/customers"),
        ("GET", "/v1/customers/CUS-1001"),
        ("DELETE", "/v1/customers/CUS-1001"),
        ("POST", "/v1/customers/CUS-2001/orders/ORD-100234/cancel"),
        ("GET", "/v1/insights/purchases"),
        ("GET", "/v1/channel-identities/telegram/100200300"),
    ],
)
def test_missing_or_wrong_token_is_401_and_changes_nothing(
    api: Api, headers: dict[str, str], method: str, path: str
) -> None:
    response = api.client.request(method, path, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "missing or wrong service token"}
    assert api.get("/v1/customers/CUS-1001").status_code == 200
    assert api.get("/v1/customers/CUS-2001/orders/ORD-100234").json()["status"] == "placed"


def test_unauthenticated_malformed_body_still_gets_401(api: Api) -> None:
    response = api.client.post(
        "/v1/customers", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert response.status_code == 401


# --- customers ---------------------------------------------------------------------------


def test_list_customers_pages(api: Api) -> None:
    first = api.get("/v1/customers", params={"limit": 10}).json()
    assert first["total"] >= 62 and len(first["customers"]) == 10
    second = api.get("/v1/customers", params={"limit": 10, "offset": 10}).json()
    ids = [c["customer_id"] for c in first["customers"] + second["customers"]]
    assert len(set(ids)) == 20 and ids == sorted(ids)


def test_get_customer_shape(api: Api) -> None:
    customer = api.get("/v1/customers/CUS-1002").json()
    assert customer["name"] == "Lucía Fernández" and customer["preferred_language"] == "es"
    assert set(customer) == {
        "customer_id",
        "name",
        "email",
        "phone",
        "preferred_language",
        "sizes",
        "favourite_brands",
        "favourite_categories",
        "price_band",
        "segment",
        "consent",
        "created_at",
        "updated_at",
    }
    assert customer["consent"]["personalisation"]["granted"] is True
    assert customer["created_at"].endswith("Z")
    assert api.get("/v1/customers/CUS-9999").status_code == 404
    assert api.get("/v1/customers/CUS-9999").json() == {"detail": "customer not found"}


def test_create_customer(any_api: Api) -> None:
    body = {
        "name": "Ana Ruiz",
        "email": "ana.ruiz@example.es",
        "phone": "+34 611 222 333",
        "preferred_language": "es",
        "sizes": {"t-shirts": "S"},
        "favourite_brands": ["Kestrel"],
        "favourite_categories": ["t-shirts"],
        "price_band": {"min": 10, "max": 60, "currency": "EUR"},
        "segment": "new",
        "consent": {"personalisation": {"granted": True}},
    }
    response = any_api.post("/v1/customers", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["customer_id"] == "CUS-2007"
    assert created["price_band"] == {"min": 10.0, "max": 60.0, "currency": "EUR"}
    assert created["consent"]["personalisation"]["granted"] is True
    assert created["consent"]["personalisation"]["updated_at"] is not None
    assert created["consent"]["marketing"] == {"granted": None, "updated_at": None}
    assert any_api.get("/v1/customers/CUS-2007").json() == created


def test_patch_customer(any_api: Api) -> None:
    before = any_api.get("/v1/customers/CUS-1001").json()
    response = any_api.patch(
        "/v1/customers/CUS-1001",
        json={"sizes": {"jeans": "32"}, "phone": None, "price_band": None, "segment": "regular"},
    )
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["sizes"] == {"jeans": "32"} and after["phone"] is None
    assert after["price_band"] is None and after["segment"] == "regular"
    assert after["name"] == before["name"] and after["email"] == before["email"]
    assert after["updated_at"] >= before["updated_at"]
    refused = any_api.patch("/v1/customers/CUS-1001", json={"name": None})
    assert refused.status_code == 422
    assert any_api.get("/v1/customers/CUS-1001").json()["name"] == before["name"]
    assert any_api.patch("/v1/customers/CUS-9999", json={"segment": "vip"}).status_code == 404


def test_consent_is_stamped_by_the_service(any_api: Api) -> None:
    never_asked = any_api.get("/v1/customers/CUS-1005").json()["consent"]
    assert never_asked["personalisation"] == {"granted": None, "updated_at": None}
    start = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    response = any_api.put("/v1/customers/CUS-1005/consent/personalisation", json={"granted": True})
    assert response.status_code == 200
    consent = response.json()["consent"]
    assert consent["personalisation"]["granted"] is True
    stamped = dt.datetime.fromisoformat(
        consent["personalisation"]["updated_at"].replace("Z", "+00:00")
    )
    assert stamped >= start - dt.timedelta(seconds=1)
    assert consent["marketing"] == never_asked["marketing"]
    off = any_api.put("/v1/customers/CUS-1005/consent/personalisation", json={"granted": False})
    assert off.json()["consent"]["personalisation"]["granted"] is False
    assert (
        any_api.get("/v1/customers/CUS-1006").json()["consent"]["personalisation"]["granted"]
        is False
    )
    assert (
        any_api.put("/v1/customers/CUS-1005/consent/cookies", json={"granted": True}).status_code
        == 422
    )
    assert (
        any_api.put("/v1/customers/CUS-1005/consent/marketing", json={"granted": "yes"}).status_code
        == 422
    )


def test_summary(api: Api) -> None:
    api.post(
        "/v1/customers/CUS-1003/conversations", json={"sender_id": "s-1", "channel": "socketio"}
    )
    summary = api.get("/v1/customers/CUS-1003/summary").json()
    assert summary["customer"]["customer_id"] == "CUS-1003"
    assert summary["order_count"] == len(
        api.get("/v1/customers/CUS-1003/orders", params={"limit": 100}).json()["orders"]
    )
    assert summary["channel_links"] == 2 and summary["conversations"] == 1


def test_conversations_are_idempotent(api: Api) -> None:
    for _ in range(2):
        response = api.post(
            "/v1/customers/CUS-1001/conversations", json={"sender_id": "abc", "channel": "socketio"}
        )
        assert response.status_code == 204
    assert api.count("conversations", "customer_id = :c", c="CUS-1001") == 1
    assert (
        api.post("/v1/customers/CUS-9999/conversations", json={"sender_id": "x"}).status_code == 404
    )


# --- orders ------------------------------------------------------------------------------


def test_orders_newest_first_and_limit(api: Api) -> None:
    orders = api.get("/v1/customers/CUS-2001/orders").json()["orders"]
    assert [o["order_id"] for o in orders] == [
        "ORD-100234",
        "ORD-100272",
        "ORD-100356",
        "ORD-100314",
    ]
    assert len(api.get("/v1/customers/CUS-2001/orders", params={"limit": 2}).json()["orders"]) == 2
    assert api.get("/v1/customers/CUS-9999/orders").status_code == 404


def test_order_shape_matches_the_contract(api: Api) -> None:
    order = api.get("/v1/customers/CUS-2006/orders/ORD-100267").json()
    assert order["shipment"]["carrier"] == "DHL" and order["shipment"]["tracking_number"]
    delivered = api.get("/v1/customers/CUS-2004/orders/ORD-100293").json()
    assert delivered["return_window_ends"] == "2025-06-26"
    assert api.get("/v1/customers/CUS-2004/orders/ord-100293").json()["order_id"] == "ORD-100293"


def test_another_customers_order_is_not_found_like_an_unknown_one(api: Api) -> None:
    theirs = api.get("/v1/customers/CUS-2002/orders/ORD-100234")
    unknown = api.get("/v1/customers/CUS-2002/orders/ORD-999999")
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json() == unknown.json() == {"detail": "order not found"}
    for path in ("cancel", "returns", "change"):
        body = {"reason": "x"} if path == "returns" else {"size": "M"}
        response = api.post(f"/v1/customers/CUS-2002/orders/ORD-100234/{path}", json=body)
        assert response.status_code == 404 and response.json() == {"detail": "order not found"}
    assert api.get("/v1/customers/CUS-2002/orders/ORD-100234/refund").status_code == 404
    assert api.get("/v1/customers/CUS-2001/orders/ORD-100234").json()["status"] == "placed"


def test_cancel_rules(any_api: Api) -> None:
    placed = any_api.post("/v1/customers/CUS-2001/orders/ORD-100234/cancel").json()
    assert placed["outcome"] == "ok" and placed["order"]["status"] == "cancelled"
    assert placed["order"]["status_history"][-1] == {"status": "cancelled", "at": "2025-06-02"}
    assert "refunds" not in placed["order"]
    paid = any_api.post("/v1/customers/CUS-2003/orders/ORD-100246/cancel").json()
    assert paid["outcome"] == "ok"
    assert paid["order"]["refunds"] == [
        {
            "refund_id": "REF-100246-1",
            "status": "requested",
            "amount": 469.96,
            "currency": "USD",
            "requested_at": "2025-06-02",
            "expected_by": "2025-06-09",
            "method": "original payment method",
        }
    ]
    stored = any_api.get("/v1/customers/CUS-2003/orders/ORD-100246").json()
    assert stored == paid["order"]
    shipped = any_api.post("/v1/customers/CUS-2006/orders/ORD-100267/cancel").json()
    assert shipped["outcome"] == "not_allowed" and shipped["detail"] == "order is shipped"
    again = any_api.post("/v1/customers/CUS-2001/orders/ORD-100234/cancel").json()
    assert again["outcome"] == "not_allowed"
    assert any_api.get("/v1/customers/CUS-2006/orders/ORD-100267").json()["status"] == "shipped"


def test_change_rules(any_api: Api) -> None:
    address = {
        "name": "Jonas Berg",
        "line1": "9 Pier Road",
        "city": "Tacoma",
        "postcode": "98402",
        "country": "US",
    }
    moved = any_api.post(
        "/v1/customers/CUS-2002/orders/ORD-100238/change", json={"shipping_address": address}
    ).json()
    assert moved["outcome"] == "ok" and moved["order"]["shipping_address"] == address
    resized = any_api.post(
        "/v1/customers/CUS-2002/orders/ORD-100238/change",
        json={"product_id": "NP-HB-0060", "size": "8", "colour": "black"},
    ).json()
    item = next(i for i in resized["order"]["items"] if i["product_id"] == "NP-HB-0060")
    assert (item["size"], item["colour"]) == ("8", "black")
    stored = any_api.get("/v1/customers/CUS-2002/orders/ORD-100238").json()
    assert stored["shipping_address"] == address and stored["items"] == resized["order"]["items"]
    unknown = any_api.post(
        "/v1/customers/CUS-2002/orders/ORD-100238/change", json={"product_id": "XX-1", "size": "9"}
    ).json()
    assert unknown == {"outcome": "invalid", "detail": "product_id"}
    empty = any_api.post("/v1/customers/CUS-2002/orders/ORD-100238/change", json={}).json()
    assert empty["outcome"] == "invalid"
    shipped = any_api.post(
        "/v1/customers/CUS-2002/orders/ORD-100280/change", json={"size": "M"}
    ).json()
    assert shipped["outcome"] == "not_allowed"
    assert any_api.get("/v1/customers/CUS-2002/orders/ORD-100238").json() == stored


def test_return_rules(any_api: Api) -> None:
    ok = any_api.post(
        "/v1/customers/CUS-2004/orders/ORD-100293/returns", json={"reason": "too big"}
    ).json()
    assert ok["outcome"] == "ok"
    assert ok["return_request"] == {
        "return_id": "RET-100293-1",
        "reason": "too big",
        "created_at": "2025-06-02",
        "status": "open",
        "label_url": "/returns/100293/label.pdf",
    }
    assert any_api.get("/v1/customers/CUS-2004/orders/ORD-100293").json()["returns"] == [
        ok["return_request"]
    ]
    again = any_api.post(
        "/v1/customers/CUS-2004/orders/ORD-100293/returns", json={"reason": "x"}
    ).json()
    assert (again["outcome"], again["detail"]) == ("not_allowed", "already_returned")
    late = any_api.post(
        "/v1/customers/CUS-2002/orders/ORD-100322/returns", json={"reason": "x"}
    ).json()
    assert late["outcome"] == "outside_window"
    early = any_api.post(
        "/v1/customers/CUS-2001/orders/ORD-100234/returns", json={"reason": "x"}
    ).json()
    assert (early["outcome"], early["detail"]) == ("not_allowed", "not_delivered")
    cancelled = any_api.post(
        "/v1/customers/CUS-2003/orders/ORD-100330/returns", json={"reason": "x"}
    ).json()
    assert cancelled["detail"] == "cancelled"
    wrong_item = any_api.post(
        "/v1/customers/CUS-2005/orders/ORD-100301/returns",
        json={"reason": "x", "product_ids": ["KE-SG-0617"]},
    ).json()
    assert wrong_item["outcome"] == "invalid"
    assert "returns" not in any_api.get("/v1/customers/CUS-2005/orders/ORD-100301").json()
    some = any_api.post(
        "/v1/customers/CUS-2005/orders/ORD-100301/returns",
        json={"reason": "x", "product_ids": ["SL-HP-0326"]},
    ).json()
    assert some["outcome"] == "ok"


def test_refund_status(api: Api) -> None:
    refund = api.get("/v1/customers/CUS-2005/orders/ORD-100343/refund").json()["refund"]
    assert refund["refund_id"] == "REF-100343-1" and refund["status"] == "processing"
    assert api.get("/v1/customers/CUS-2001/orders/ORD-100234/refund").json() == {"refund": None}


# --- channel identities ------------------------------------------------------------------


def test_channel_identities(any_api: Api) -> None:
    link = any_api.get("/v1/channel-identities/telegram/100200300").json()
    assert link == {"channel": "telegram", "external_id": "100200300", "customer_id": "CUS-1001"}
    whatsapp = any_api.get("/v1/channel-identities/twilio/whatsapp:+4915112345678").json()
    assert whatsapp["customer_id"] == "CUS-1003"
    put = any_api.put("/v1/channel-identities/slack/U0NEW", json={"customer_id": "CUS-1004"})
    assert put.status_code == 200 and put.json()["customer_id"] == "CUS-1004"
    moved = any_api.put("/v1/channel-identities/slack/U0NEW", json={"customer_id": "CUS-1005"})
    assert moved.json()["customer_id"] == "CUS-1005"
    assert any_api.get("/v1/channel-identities/slack/U0NEW").json()["customer_id"] == "CUS-1005"
    assert any_api.delete("/v1/channel-identities/slack/U0NEW").status_code == 204
    assert any_api.get("/v1/channel-identities/slack/U0NEW").status_code == 404
    assert any_api.delete("/v1/channel-identities/slack/U0NEW").status_code == 404
    assert (
        any_api.put("/v1/channel-identities/slack/U1", json={"customer_id": "CUS-9999"}).status_code
        == 404
    )
    assert any_api.count("channel_identities", "external_id = 'U1'") == 0
    assert any_api.get("/v1/channel-identities/myspace/1").status_code == 422


# --- erasure -----------------------------------------------------------------------------


def test_erasure(any_api: Api) -> None:
    neighbour = any_api.get("/v1/customers/CUS-1002").json()
    neighbour_orders = any_api.get("/v1/customers/CUS-1002/orders", params={"limit": 100}).json()
    own_orders = any_api.get("/v1/customers/CUS-1001/orders", params={"limit": 100}).json()[
        "orders"
    ]
    for sender in ("conv-b", "conv-a"):
        any_api.post(
            "/v1/customers/CUS-1001/conversations",
            json={"sender_id": sender, "channel": "socketio"},
        )
    baskets_before = any_api.get("/v1/insights/purchases", params={"limit": 5000}).json()["total"]

    erased = any_api.delete("/v1/customers/CUS-1001")
    assert erased.status_code == 200
    assert erased.json() == {
        "customer_id": "CUS-1001",
        "profile_deleted": True,
        "channel_links_deleted": 1,
        "orders_anonymised": len(own_orders),
        "conversations": ["conv-a", "conv-b"],
    }
    assert any_api.get("/v1/customers/CUS-1001").status_code == 404
    assert any_api.get("/v1/channel-identities/telegram/100200300").status_code == 404
    assert any_api.count("conversations", "customer_id = 'CUS-1001'") == 0
    assert any_api.count("orders", "customer_id = 'CUS-1001'") == 0
    ids = [o["order_id"] for o in own_orders]
    with any_api.engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT erased_ref, ship_name, ship_line1, ship_postcode, ship_city,"
                " total_cents FROM orders WHERE order_id IN :ids"
            ).bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": ids},
        ).all()
        tracking = (
            conn.execute(
                sa.text("SELECT tracking_number FROM shipments WHERE order_id IN :ids").bindparams(
                    sa.bindparam("ids", expanding=True)
                ),
                {"ids": ids},
            )
            .scalars()
            .all()
        )
    assert len(rows) == len(ids)
    assert len({r.erased_ref for r in rows}) == 1 and rows[0].erased_ref.startswith("ERASED-")
    assert all(r.ship_name == r.ship_line1 == r.ship_postcode == "" for r in rows)
    assert all(r.ship_city and r.total_cents > 0 for r in rows)
    assert all(t == "" for t in tracking)
    assert any_api.count("order_items", "order_id IN ('" + "','".join(ids) + "')") == sum(
        len(o["items"]) for o in own_orders
    )
    assert (
        any_api.get("/v1/insights/purchases", params={"limit": 5000}).json()["total"]
        == baskets_before
    )
    assert any_api.get("/v1/customers/CUS-1002").json() == neighbour
    assert (
        any_api.get("/v1/customers/CUS-1002/orders", params={"limit": 100}).json()
        == neighbour_orders
    )
    assert any_api.delete("/v1/customers/CUS-1001").status_code == 404


# --- insights ----------------------------------------------------------------------------


def test_insights_carry_no_personal_data(api: Api) -> None:
    page = api.get("/v1/insights/purchases", params={"limit": 5000}).json()
    assert page["total"] == len(page["baskets"]) > 250
    text = json.dumps(page)
    customers = api.get("/v1/customers", params={"limit": 100}).json()["customers"]
    for customer in customers:
        for value in (customer["customer_id"], customer["email"], customer["name"]):
            assert value not in text
    assert "ORD-" not in text and "CUS-" not in text
    for basket in page["baskets"]:
        assert set(basket) == {"basket", "product_ids", "placed_at"}
        assert basket["product_ids"]
    assert api.get("/v1/insights/purchases", params={"limit": 5001}).status_code == 422
    second = api.get("/v1/insights/purchases", params={"limit": 3, "offset": 3}).json()["baskets"]
    assert second == page["baskets"][3:6]


def test_generated_order_ids_are_served(api: Api) -> None:
    orders = api.get("/v1/customers/CUS-1001/orders", params={"limit": 100}).json()["orders"]
    assert orders and all(o["customer_id"] == "CUS-1001" for o in orders)
