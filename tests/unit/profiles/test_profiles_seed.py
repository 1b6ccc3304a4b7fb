"""The demo data generator, the scenarios, migrations and the command line."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from profiles_helpers import TODAY, make_settings

from profiles import cli
from profiles.migrate import upgrade
from profiles.models import Base
from profiles.seed.generate import FIXED_PERSONAS, generate_demo, load_catalog
from profiles.seed.load import SCENARIOS, load_scenarios
from profiles.settings import DEFAULT_CATALOG

CATALOG = {p["id"]: p for p in load_catalog(DEFAULT_CATALOG)}


@pytest.fixture(scope="module")
def demo() -> Any:
    return generate_demo(DEFAULT_CATALOG, TODAY)


def test_generator_is_deterministic_and_seeded(demo: Any) -> None:
    assert generate_demo(DEFAULT_CATALOG, TODAY) == demo
    assert generate_demo(DEFAULT_CATALOG, TODAY, seed=8) != demo


def test_shifting_today_shifts_every_date(demo: Any) -> None:
    later = generate_demo(DEFAULT_CATALOG, TODAY + dt.timedelta(days=100))
    assert [o["order_id"] for o in later.orders] == [o["order_id"] for o in demo.orders]
    for old, new in zip(demo.orders, later.orders, strict=True):
        gap = dt.date.fromisoformat(new["placed_at"]) - dt.date.fromisoformat(old["placed_at"])
        assert gap.days == 100 and old["status"] == new["status"]


def test_customers_spread_over_languages_and_segments(demo: Any) -> None:
    customers = demo.customers
    assert len(customers) >= 56
    assert [c["customer_id"] for c in customers[:3]] == ["CUS-1001", "CUS-1002", "CUS-1003"]
    languages = Counter(c["preferred_language"] for c in customers)
    assert set(languages) == {"en", "es", "de", "fr"} and min(languages.values()) >= 10
    assert set(Counter(c["segment"] for c in customers)) == {
        "vip",
        "regular",
        "new",
        "bargain_hunter",
    }
    countries = {"en": "US", "es": "ES", "de": "DE", "fr": "FR"}
    prefixes = {"en": "+1 ", "es": "+34 ", "de": "+49 ", "fr": "+33 "}
    orders = defaultdict(list)
    for order in demo.orders:
        orders[order["customer_id"]].append(order)
    for customer in customers:
        language = customer["preferred_language"]
        assert customer["email"].endswith(".com" if language == "en" else f".{language}")
        if customer["phone"] is not None:
            assert customer["phone"].startswith(prefixes[language])
        for order in orders[customer["customer_id"]]:
            assert order["shipping_address"]["country"] == countries[language]
            assert order["shipping_address"]["name"] == customer["name"]
    assert len({c["name"] for c in customers}) == len(customers)


def test_fixed_personas_and_consent(demo: Any) -> None:
    by_id = {c["customer_id"]: c for c in demo.customers}
    for customer_id, persona in FIXED_PERSONAS.items():
        customer = by_id[customer_id]
        assert customer["preferred_language"] == persona[0]
        assert customer["consent"]["personalisation"]["granted"] is persona[5]
    assert by_id["CUS-1005"]["consent"]["personalisation"] == {"granted": None, "updated_at": None}
    granted = Counter(c["consent"]["personalisation"]["granted"] for c in demo.customers)
    assert granted[True] > granted[False] + granted[None]


def test_tastes_fit_the_catalog(demo: Any) -> None:
    sizes_by_category: dict[str, set[str]] = defaultdict(set)
    for product in CATALOG.values():
        sizes_by_category[product["category"]].update(v["size"] for v in product["variants"])
    for customer in demo.customers:
        assert 2 <= len(customer["favourite_categories"]) <= 4
        assert 1 <= len(customer["favourite_brands"]) <= 3
        band = customer["price_band"]
        assert 0 <= band["min"] < band["max"]
        for category, size in customer["sizes"].items():
            assert size in sizes_by_category[category], (customer["customer_id"], category, size)


def test_orders_follow_taste_and_are_consistent(demo: Any) -> None:
    customers = {c["customer_id"]: c for c in demo.customers}
    in_taste = total = 0
    statuses: Counter[str] = Counter()
    for order in demo.orders:
        customer = customers[order["customer_id"]]
        statuses[order["status"]] += 1
        assert 1 <= len(order["items"])
        for item in order["items"]:
            product = CATALOG[item["product_id"]]
            assert item["title"] == product["title"] and item["unit_price"] == product["price"]
            assert any(
                v["sku"] == item["sku"]
                and v["size"] == item["size"]
                and v["colour"] == item["colour"]
                for v in product["variants"]
            )
            total += 1
            in_taste += product["category"] in customer["favourite_categories"]
        expected = round(sum(i["unit_price"] * i["quantity"] for i in order["items"]), 2)
        assert order["total"] == expected
        history = [h["status"] for h in order["status_history"]]
        assert history[0] == "placed" and history[-1] == order["status"]
        dates = [h["at"] for h in order["status_history"]]
        assert dates == sorted(dates) and dates[-1] <= TODAY.isoformat()
        if order["status"] in ("shipped", "delivered", "returned"):
            assert order["shipment"]["carrier"] and order["shipment"]["tracking_number"]
        if order["status"] in ("delivered", "returned"):
            delivered = dt.date.fromisoformat(order["shipment"]["delivered_at"])
            assert order["return_window_ends"] == (delivered + dt.timedelta(days=30)).isoformat()
        if order["status"] == "returned" or (order["status"] == "cancelled" and "paid" in history):
            assert order["refunds"] and order["refunds"][0]["amount"] == order["total"]
        if order["status"] == "cancelled" and "paid" not in history:
            assert "refunds" not in order
    assert 0.6 < in_taste / total < 0.95
    assert set(statuses) == {"placed", "paid", "shipped", "delivered", "cancelled", "returned"}


def test_segments_shape_histories(demo: Any) -> None:
    by_category: dict[str, list[float]] = defaultdict(list)
    for product in CATALOG.values():
        by_category[product["category"]].append(product["price"])

    def rank(item: dict[str, Any]) -> float:
        prices = by_category[CATALOG[item["product_id"]]["category"]]
        return sum(p < item["unit_price"] for p in prices) / len(prices)

    counts: dict[str, list[int]] = defaultdict(list)
    ranks: dict[str, list[float]] = defaultdict(list)
    per_customer = Counter(o["customer_id"] for o in demo.orders)
    segment = {c["customer_id"]: c["segment"] for c in demo.customers}
    for customer in demo.customers:
        n = per_customer[customer["customer_id"]]
        assert 1 <= n <= 12
        counts[customer["segment"]].append(n)
    for order in demo.orders:
        ranks[segment[order["customer_id"]]].extend(rank(i) for i in order["items"])
    assert max(counts["new"]) <= 2
    assert min(counts["vip"]) > max(counts["new"])

    def mean(values: list[float]) -> float:
        return sum(values) / len(values)

    # VIPs buy the pricier end of each category, bargain hunters the cheaper end.
    assert mean(ranks["vip"]) > mean(ranks["regular"]) > mean(ranks["bargain_hunter"])


def test_channel_links(demo: Any) -> None:
    links = {(k["channel"], k["external_id"]): k["customer_id"] for k in demo.channel_links}
    assert links[("telegram", "100200300")] == "CUS-1001"
    assert {c for c, _ in links} == {"telegram", "slack", "facebook", "twilio"}
    assert any(e.startswith("whatsapp:+4915") for _, e in links)


def test_scenarios_shift_with_the_business_date() -> None:
    raw = json.loads(SCENARIOS.read_text())
    at_reference = load_scenarios(dt.date.fromisoformat(raw["reference_date"]))
    assert at_reference["orders"] == raw["orders"]
    assert [c["customer_id"] for c in at_reference["customers"]] == [
        f"CUS-200{i}" for i in range(1, 7)
    ]
    later = load_scenarios(dt.date(2025, 6, 12))
    for old, new in zip(raw["orders"], later["orders"], strict=True):
        shift = dt.date.fromisoformat(new["placed_at"]) - dt.date.fromisoformat(old["placed_at"])
        assert shift.days == 10
        if "return_window_ends" in old:
            assert new["return_window_ends"] > old["return_window_ends"]
        assert new["items"] == old["items"]


def test_scenario_customers_match_their_addresses() -> None:
    raw = json.loads(SCENARIOS.read_text())
    names = {c["customer_id"]: c["name"] for c in raw["customers"]}
    for order in raw["orders"]:
        assert order["shipping_address"]["name"] == names[order["customer_id"]]
    assert all(c["preferred_language"] == "en" for c in raw["customers"])
    assert all(c["consent"]["personalisation"]["granted"] is None for c in raw["customers"])


def test_migrations_create_exactly_the_models(any_url: str) -> None:
    engine = sa.create_engine(any_url)
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
            tables = set(sa.inspect(conn).get_table_names())
        assert {
            "customers",
            "orders",
            "order_items",
            "status_history",
            "shipments",
            "returns",
            "refunds",
            "channel_identities",
            "conversations",
            "alembic_version",
        } <= tables
    finally:
        engine.dispose()


def test_migrate_is_idempotent_and_downgrades(any_url: str) -> None:
    settings = make_settings(any_url)
    upgrade(settings)
    from alembic import command

    from profiles.migrate import alembic_config

    command.downgrade(alembic_config(settings), "base")
    engine = sa.create_engine(any_url)
    try:
        with engine.connect() as conn:
            assert "customers" not in sa.inspect(conn).get_table_names()
        upgrade(settings)
        with engine.connect() as conn:
            assert "customers" in sa.inspect(conn).get_table_names()
    finally:
        engine.dispose()


def test_cli_migrate_and_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("PROFILES_DATABASE_URL", url)
    monkeypatch.setenv("PROFILES_TOKEN", "cli-token")
    monkeypatch.setenv("PROFILES_TODAY", "2025-06-02")
    assert cli.main(["migrate"]) == 0
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM customers")).scalar_one() == 0
        assert cli.main(["seed"]) == 0
        with engine.connect() as conn:
            first = conn.execute(sa.text("SELECT count(*) FROM orders")).scalar_one()
            assert conn.execute(sa.text("SELECT count(*) FROM customers")).scalar_one() == 62
        assert cli.main(["seed"]) == 0
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM orders")).scalar_one() == first
        assert cli.main(["seed", "--reset", "--seed", "9"]) == 0
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM customers")).scalar_one() == 62
    finally:
        engine.dispose()


def test_cli_refuses_to_start_without_a_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PROFILES_TOKEN", raising=False)
    assert cli.main(["migrate"]) == 2
    assert "PROFILES_TOKEN" in capsys.readouterr().err
