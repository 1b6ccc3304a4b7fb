"""The fixture orders refer to real products and variants of the shipped demo catalog."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_ordered_item_exists_in_the_demo_catalog() -> None:
    products = {
        p["id"]: p
        for p in map(json.loads, (ROOT / "catalog" / "demo_catalog.jsonl").read_text().splitlines())
    }
    orders = json.loads((ROOT / "profiles" / "seed" / "scenarios.json").read_text())["orders"]
    assert len(orders) >= 20
    for order in orders:
        for item in order["items"]:
            product = products.get(item["product_id"])
            assert product is not None, item["product_id"]
            assert item["title"] == product["title"]
            if "sku" in item:
                skus = {v["sku"] for v in product.get("variants", [])}
                assert item["sku"] in skus, item["sku"]
