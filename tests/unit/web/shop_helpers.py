"""Shared values and helpers of the demo shop's unit tests."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from web.customers import DemoCustomer

SECRET = "unit-test-identity-secret-0123456789abcdef"
NOW = 1_750_000_000
RASA = "http://rasa.test:5005"
CONSOLE = "http://console.test:8400"


def product(number: int, **fields: Any) -> dict[str, Any]:
    """A catalog record (canonical JSONL shape)."""
    record: dict[str, Any] = {
        "id": f"P-{number:04d}",
        "title": f"Product {number}",
        "brand": "Trailforge",
        "category": "running shoes" if number % 2 else "tents",
        "price": 10.0 + number,
        "currency": "USD",
        "rating": 4.5,
        "review_count": number,
        "image_url": "/static/products/running-shoes.svg",
        "url": f"/products/P-{number:04d}",
        "stock": number % 3,
    }
    record.update(fields)
    return record


def write_catalog(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


CUSTOMERS = [
    DemoCustomer(id="CUS-1001", name="Emily Carter", note="VIP, English"),
    DemoCustomer(id="CUS-2001", name="Maya Chen", note="order scenarios, English"),
]


CONFIG = re.compile(r"window\.ShopAssistantConfig = (.*?);</script>", re.S)


def widget_config(html: str) -> dict[str, Any]:
    """The config object the page hands to the widget."""
    found = CONFIG.search(html)
    assert found, html[:2000]
    return dict(json.loads(found.group(1)))
