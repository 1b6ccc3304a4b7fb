"""The demo customers and their order histories, generated from the catalog.

:func:`generate_demo` is pure and deterministic: the same catalog, business date and
seed always give the same customers, orders and channel links (plain dicts in the wire
shapes of ``docs/profiles-api.md``). Each customer has a latent taste (favourite
categories and brands, a price band, sizes) and a segment; their orders mostly follow
that taste, with some exploration. The benchmark of personalisation imports this module.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from profiles.seed.names import LOCALES, Locale

__all__ = [
    "DemoData",
    "FIXED_PERSONAS",
    "FIRST_CUSTOMER",
    "DEMO_CUSTOMERS",
    "generate_demo",
    "load_catalog",
]

#: Number of generated customers (CUS-1001 onwards).
DEMO_CUSTOMERS = 56
FIRST_CUSTOMER = 1001
FIRST_ORDER = 200001
LANGUAGES = ("en", "es", "de", "fr")
SEGMENTS = ("vip", "regular", "new", "bargain_hunter")

#: The personas the tests and demos rely on: id -> (language, gender, first, last,
#: segment, personalisation consent).
FIXED_PERSONAS: dict[str, tuple[str, str, str, str, str, bool | None]] = {
    "CUS-1001": ("en", "women", "Emily", "Carter", "vip", True),
    "CUS-1002": ("es", "women", "Lucía", "Fernández", "regular", True),
    "CUS-1003": ("de", "men", "Jonas", "Weber", "regular", True),
    "CUS-1004": ("fr", "women", "Camille", "Dubois", "bargain_hunter", True),
    "CUS-1005": ("en", "men", "Daniel", "Brooks", "new", None),
    "CUS-1006": ("en", "women", "Olivia", "Grant", "regular", False),
}

SHOE_CATEGORIES = frozenset(
    {
        "running shoes",
        "trail running shoes",
        "hiking boots",
        "sneakers",
        "sandals",
        "rain boots",
        "winter boots",
    }
)
LETTER_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
ORDERS_BY_SEGMENT = {"vip": (7, 12), "regular": (3, 8), "new": (1, 2), "bargain_hunter": (2, 7)}
#: Which part of the favourite categories' price range each segment buys in.
PRICE_QUANTILES = {
    "vip": (0.45, 1.0),
    "regular": (0.15, 0.8),
    "new": (0.1, 0.75),
    "bargain_hunter": (0.0, 0.4),
}
TRACKING_URLS = {
    "UPS": "https://www.ups.com/track?tracknum={n}",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction?tLabels={n}",
    "FedEx": "https://www.fedex.com/fedextrack/?trknbr={n}",
    "DHL": "https://www.dhl.com/track?id={n}",
}


@dataclass
class DemoData:
    """What :func:`generate_demo` returns (all plain dicts in the wire shapes)."""

    customers: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)
    channel_links: list[dict[str, Any]] = field(default_factory=list)


def load_catalog(catalog_path: Path | str) -> list[dict[str, Any]]:
    """Read the catalog's JSONL file.

    Args:
        catalog_path: ``catalog/demo_catalog.jsonl`` or another file of that shape.

    Returns:
        The products, in file order.
    """
    products: list[dict[str, Any]] = []
    with Path(catalog_path).open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                products.append(json.loads(line))
    return products


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _stamp(day: dt.date, rng: random.Random) -> str:
    return f"{day.isoformat()}T{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}:00Z"


def _phone(language: str, rng: random.Random, area: int) -> str:
    if language == "en":
        return f"+1 {area} 555 01{rng.randint(0, 99):02d}"
    if language == "es":
        return f"+34 6{rng.randint(0, 99):02d} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"
    if language == "de":
        return f"+49 15{rng.choice('1279')} {rng.randint(1000000, 9999999)}"
    pairs = " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))
    return f"+33 6 {pairs}"


def _address(locale: Locale, language: str, name: str, rng: random.Random) -> dict[str, str]:
    city, postcode = rng.choice(locale.cities)
    street = rng.choice(locale.streets)
    number = rng.randint(1, 180)
    if language == "en":
        line1 = f"{number} {street}"
    elif language == "fr":
        line1 = f"{number} {street}"
    elif language == "es":
        line1 = f"{street} {number}, {rng.randint(1, 8)}º {rng.choice('ABCD')}"
    else:
        line1 = f"{street} {number}"
    return {
        "name": name,
        "line1": line1,
        "city": city,
        "postcode": postcode,
        "country": locale.country,
    }


class _Catalog:
    """The catalog indexed for the generator."""

    def __init__(self, products: Sequence[dict[str, Any]]) -> None:
        self.products = [p for p in products if p.get("gender") != "kids" and p.get("variants")]
        self.by_category: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for product in self.products:
            self.by_category[product["category"]].append(product)
        self.categories = sorted(self.by_category)
        self.category_of = {p["id"]: str(p["category"]) for p in self.products}

    def for_gender(self, category: str, gender: str) -> list[dict[str, Any]]:
        return [p for p in self.by_category[category] if p.get("gender") in (gender, "unisex")]

    def sizes(self, category: str, gender: str) -> list[str]:
        found = {v["size"] for p in self.for_gender(category, gender) for v in p["variants"]}
        return sorted(found - {"one size"})


@dataclass
class _Taste:
    gender: str
    categories: list[str]
    brands: list[str]
    band: tuple[float, float]
    shoe: str
    letter: str
    waist: str
    head: str
    length: str


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _make_taste(catalog: _Catalog, gender: str, segment: str, rng: random.Random) -> _Taste:
    usable = [c for c in catalog.categories if catalog.for_gender(c, gender)]
    categories = rng.sample(usable, rng.randint(2, 4))
    brand_pool: dict[str, int] = defaultdict(int)
    for category in categories:
        for product in catalog.for_gender(category, gender):
            brand_pool[product["brand"]] += 1
    ranked = sorted(brand_pool, key=lambda b: (-brand_pool[b], b))
    brands = rng.sample(ranked[: max(3, len(ranked) // 2)], min(len(ranked), rng.randint(1, 3)))
    prices = [p["price"] for c in categories for p in catalog.for_gender(c, gender)]
    low_q, high_q = PRICE_QUANTILES[segment]
    low = float(int(_quantile(prices, low_q) // 5 * 5))
    high = float(int(_quantile(prices, high_q) // 5 * 5 + 5))
    if gender == "women":
        shoe = rng.choice(("6", "6.5", "7", "7.5", "8", "8.5", "9"))
        letter = rng.choice(("XS", "S", "S", "M", "M", "L"))
        waist = rng.choice(("28", "30", "31", "32"))
    else:
        shoe = rng.choice(("8.5", "9", "9.5", "10", "10.5", "11", "11.5", "12"))
        letter = rng.choice(("S", "M", "M", "L", "L", "XL", "XXL"))
        waist = rng.choice(("30", "31", "32", "33", "34", "36"))
    return _Taste(
        gender=gender,
        categories=categories,
        brands=brands,
        band=(low, max(high, low + 20.0)),
        shoe=shoe,
        letter=letter,
        waist=waist,
        head=rng.choice(("S/M", "M/L")),
        length=rng.choice(("regular", "regular", "long")),
    )


def _size_for(catalog: _Catalog, taste: _Taste, category: str) -> str | None:
    available = catalog.sizes(category, taste.gender)
    if not available:
        return None
    if category in SHOE_CATEGORIES:
        wanted = [taste.shoe]
    else:
        wanted = [taste.letter, taste.waist, taste.head, taste.length]
    for size in wanted:
        if size in available:
            return size
    if taste.letter in LETTER_SIZES:
        letters = [s for s in LETTER_SIZES if s in available]
        if letters:
            return min(
                letters, key=lambda s: abs(LETTER_SIZES.index(s) - LETTER_SIZES.index(taste.letter))
            )
    return available[len(available) // 2]


def _pick_product(
    catalog: _Catalog, taste: _Taste, category: str, rng: random.Random
) -> dict[str, Any] | None:
    candidates = catalog.for_gender(category, taste.gender)
    size = _size_for(catalog, taste, category)
    if size is not None:
        candidates = [p for p in candidates if any(v["size"] == size for v in p["variants"])]
    if not candidates:
        return None
    low, high = taste.band
    weights = []
    for product in candidates:
        weight = 1.0
        if product["brand"] in taste.brands:
            weight *= 5.0
        if low <= product["price"] <= high:
            weight *= 6.0
        weights.append(weight)
    return rng.choices(candidates, weights=weights, k=1)[0]


def _item(
    catalog: _Catalog, taste: _Taste, product: dict[str, Any], rng: random.Random
) -> dict[str, Any]:
    size = _size_for(catalog, taste, product["category"])
    variants = [v for v in product["variants"] if size is None or v["size"] == size]
    variant = rng.choice(variants or product["variants"])
    cheap = product["category"] in ("socks", "t-shirts", "water bottles")
    quantity = rng.choice((1, 1, 2, 3)) if cheap else rng.choice((1, 1, 1, 1, 1, 2))
    return {
        "product_id": product["id"],
        "title": product["title"],
        "quantity": quantity,
        "unit_price": float(product["price"]),
        "sku": variant["sku"],
        "colour": variant["colour"],
        "size": variant["size"],
    }


def _tracking_number(carrier: str, rng: random.Random) -> str:
    digits = "".join(str(rng.randint(0, 9)) for _ in range(10))
    prefixes = {"UPS": "1Z", "USPS": "9400", "FedEx": "7489", "DHL": "JD01", "Correos": "PQ4F"}
    prefixes.update({"SEUR": "SE", "Hermes": "H100", "DPD": "0150", "Colissimo": "6A19"})
    prefixes["Chronopost"] = "XW"
    return prefixes.get(carrier, "TR") + digits


def _order_ages(segment: str, rng: random.Random) -> list[int]:
    low, high = ORDERS_BY_SEGMENT[segment]
    count = rng.randint(low, high)
    oldest = 60 if segment == "new" else 730
    ages = [rng.randint(7 if segment == "new" else 30, oldest) for _ in range(count)]
    roll = rng.random()
    if roll < 0.3:
        ages[0] = rng.randint(0, 6)
    elif roll < 0.55:
        ages[0] = rng.randint(7, 40)
    return sorted(set(ages), reverse=True)


def _order(
    *,
    catalog: _Catalog,
    taste: _Taste,
    customer_id: str,
    address: dict[str, str],
    locale: Locale,
    placed: dt.date,
    today: dt.date,
    rng: random.Random,
) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
        if rng.random() < 0.8:
            category = rng.choice(taste.categories)
        else:
            category = rng.choice(
                [c for c in catalog.categories if catalog.for_gender(c, taste.gender)]
            )
        product = _pick_product(catalog, taste, category, rng)
        if product is not None and product["id"] not in seen:
            seen.add(product["id"])
            items.append(_item(catalog, taste, product, rng))
    if not items:
        product = _pick_product(catalog, taste, taste.categories[0], rng)
        assert product is not None
        items.append(_item(catalog, taste, product, rng))
    total = round(sum(i["unit_price"] * i["quantity"] for i in items), 2)
    age = (today - placed).days
    ship_off = rng.randint(1, 2)
    deliver_off = ship_off + rng.randint(2, 4)
    history = [{"status": "placed", "at": placed.isoformat()}]
    order: dict[str, Any] = {
        "order_id": "",
        "customer_id": customer_id,
        "status": "placed",
        "placed_at": placed.isoformat(),
        "currency": "USD",
        "total": total,
        "items": items,
        "status_history": history,
        "shipping_address": dict(address),
    }
    method = rng.choice(("card ending 4242", "card ending 1881", "PayPal", "card ending 0005"))

    def refund(number: int, amount: float, requested: dt.date) -> dict[str, Any]:
        completed = requested + dt.timedelta(days=rng.randint(3, 8))
        item: dict[str, Any] = {
            "refund_id": f"REF-#-{number}",
            "status": "completed" if completed <= today else "processing",
            "amount": round(amount, 2),
            "currency": "USD",
            "requested_at": requested.isoformat(),
            "expected_by": (requested + dt.timedelta(days=10)).isoformat(),
            "method": method,
        }
        if completed <= today:
            item["completed_at"] = completed.isoformat()
        return item

    paid = age > 1 or rng.random() < 0.6
    if age >= 1 and rng.random() < 0.06:
        if paid:
            history.append({"status": "paid", "at": placed.isoformat()})
        cancelled = placed + dt.timedelta(days=1)
        history.append({"status": "cancelled", "at": cancelled.isoformat()})
        order["status"] = "cancelled"
        if paid:
            order["refunds"] = [refund(1, total, cancelled)]
        return order
    if not paid:
        order["estimated_ship_date"] = (placed + dt.timedelta(days=2)).isoformat()
        return order
    history.append({"status": "paid", "at": placed.isoformat()})
    order["status"] = "paid"
    if age < ship_off:
        order["estimated_ship_date"] = (placed + dt.timedelta(days=ship_off)).isoformat()
        return order
    shipped = placed + dt.timedelta(days=ship_off)
    carrier = rng.choice(locale.carriers)
    number = _tracking_number(carrier, rng)
    shipment: dict[str, Any] = {"carrier": carrier, "tracking_number": number}
    if carrier in TRACKING_URLS:
        shipment["tracking_url"] = TRACKING_URLS[carrier].format(n=number)
    shipment["shipped_at"] = shipped.isoformat()
    shipment["estimated_delivery"] = (shipped + dt.timedelta(days=4)).isoformat()
    order["shipment"] = shipment
    history.append({"status": "shipped", "at": shipped.isoformat()})
    order["status"] = "shipped"
    if age < deliver_off:
        return order
    delivered = placed + dt.timedelta(days=deliver_off)
    shipment["delivered_at"] = delivered.isoformat()
    history.append({"status": "delivered", "at": delivered.isoformat()})
    order["status"] = "delivered"
    window_ends = delivered + dt.timedelta(days=30)
    order["return_window_ends"] = window_ends.isoformat()
    if age >= deliver_off + 12 and rng.random() < 0.1:
        opened = delivered + dt.timedelta(days=rng.randint(2, min(20, age - deliver_off - 8)))
        returned = opened + dt.timedelta(days=rng.randint(3, 7))
        number_part = "#"
        order["returns"] = [
            {
                "return_id": f"RET-{number_part}-1",
                "reason": rng.choice(
                    (
                        "too small",
                        "too big",
                        "changed my mind",
                        "colour not as expected",
                        "arrived damaged",
                    )
                ),
                "created_at": opened.isoformat(),
                "status": "closed",
                "label_url": "/returns/#/label.pdf",
            }
        ]
        history.append({"status": "returned", "at": returned.isoformat()})
        order["status"] = "returned"
        order["refunds"] = [refund(1, total, returned)]
    return order


def _number_orders(orders: list[dict[str, Any]]) -> None:
    orders.sort(key=lambda o: (o["placed_at"], o["customer_id"]))
    for offset, order in enumerate(orders):
        number = str(FIRST_ORDER + offset)
        order["order_id"] = f"ORD-{number}"
        for item in order.get("refunds", []):
            item["refund_id"] = item["refund_id"].replace("#", number)
        for item in order.get("returns", []):
            item["return_id"] = item["return_id"].replace("#", number)
            item["label_url"] = item["label_url"].replace("#", number)


def _consent(
    granted: bool | None, created: dt.date, today: dt.date, rng: random.Random
) -> dict[str, Any]:
    if granted is None:
        return {"granted": None, "updated_at": None}
    span = max(0, (today - created).days)
    return {
        "granted": granted,
        "updated_at": _stamp(created + dt.timedelta(days=rng.randint(0, span)), rng),
    }


def _identity_plan() -> list[tuple[str, str, str]]:
    return [
        ("telegram", "100200300", "CUS-1001"),
        ("slack", "U04DEMO1002", "CUS-1002"),
        ("facebook", "6021348876543210", "CUS-1003"),
        ("twilio", "whatsapp:+4915112345678", "CUS-1003"),
        ("telegram", "100200304", "CUS-1004"),
        ("twilio", "whatsapp:+34600123456", "CUS-1002"),
        ("facebook", "6021348876540007", "CUS-1007"),
    ]


def generate_demo(catalog_path: Path | str, today: dt.date, seed: int = 7) -> DemoData:
    """Generate the demo customers, their orders and a few channel links.

    Args:
        catalog_path: The catalog JSONL file (``catalog/demo_catalog.jsonl``).
        today: The business date; every date is relative to it.
        seed: The random seed; the same inputs always give the same data.

    Returns:
        Customers (``CUS-1001`` onwards, wire shape ``Customer``), orders (wire shape
        ``Order``, ids ``ORD-200001`` onwards, oldest first) and channel links
        (``{"channel", "external_id", "customer_id"}``).
    """
    rng = random.Random(seed)
    catalog = _Catalog(load_catalog(catalog_path))
    data = DemoData()
    used_names: set[str] = set()
    weights = {"vip": 0.15, "regular": 0.45, "new": 0.2, "bargain_hunter": 0.2}
    for index in range(DEMO_CUSTOMERS):
        customer_id = f"CUS-{FIRST_CUSTOMER + index}"
        persona = FIXED_PERSONAS.get(customer_id)
        if persona is not None:
            language, gender, first, last, segment, personal = persona
        else:
            language = LANGUAGES[index % len(LANGUAGES)]
            gender = rng.choice(("women", "men"))
            locale = LOCALES[language]
            while True:
                first = rng.choice(locale.women if gender == "women" else locale.men)
                last = rng.choice(locale.surnames)
                if f"{first} {last}" not in used_names:
                    break
            segment = rng.choices(list(weights), weights=list(weights.values()), k=1)[0]
            roll = rng.random()
            personal = True if roll < 0.78 else (False if roll < 0.9 else None)
        locale = LOCALES[language]
        name = f"{first} {last}"
        used_names.add(name)
        taste = _make_taste(catalog, gender, segment, rng)
        address = _address(locale, language, name, rng)
        area = rng.choice((503, 206, 303, 512, 312, 617, 612, 801))
        ages = _order_ages(segment, rng)
        first_order = today - dt.timedelta(days=ages[0])
        created = first_order - dt.timedelta(days=rng.randint(0, 30))
        orders = [
            _order(
                catalog=catalog,
                taste=taste,
                customer_id=customer_id,
                address=address,
                locale=locale,
                placed=today - dt.timedelta(days=age),
                today=today,
                rng=rng,
            )
            for age in ages
        ]
        data.orders.extend(orders)
        bought = set(taste.categories)
        bought |= {catalog.category_of[i["product_id"]] for o in orders for i in o["items"]}
        sizes = {}
        for category in sorted(bought):
            size = _size_for(catalog, taste, category)
            if size is not None:
                sizes[category] = size
        marketing_roll = rng.random()
        marketing = True if marketing_roll < 0.45 else (False if marketing_roll < 0.85 else None)
        consent = {
            "personalisation": _consent(personal, created, today, rng),
            "marketing": _consent(marketing, created, today, rng),
        }
        stamps = [_stamp(created, rng)] + [
            c["updated_at"] for c in consent.values() if c["updated_at"] is not None
        ]
        email_domain = {
            "en": "example.com",
            "es": "example.es",
            "de": "example.de",
            "fr": "example.fr",
        }
        data.customers.append(
            {
                "customer_id": customer_id,
                "name": name,
                "email": f"{_ascii(first)}.{_ascii(last)}@{email_domain[language]}",
                "phone": _phone(language, rng, area) if rng.random() < 0.85 or persona else None,
                "preferred_language": language,
                "sizes": sizes,
                "favourite_brands": list(taste.brands),
                "favourite_categories": list(taste.categories),
                "price_band": {"min": taste.band[0], "max": taste.band[1], "currency": "USD"},
                "segment": segment,
                "consent": consent,
                "created_at": stamps[0],
                "updated_at": max(stamps),
            }
        )
    _number_orders(data.orders)
    known = {c["customer_id"] for c in data.customers}
    data.channel_links = [
        {"channel": channel, "external_id": external, "customer_id": customer}
        for channel, external, customer in _identity_plan()
        if customer in known
    ]
    return data
