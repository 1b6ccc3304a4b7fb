"""Small catalogs, customers and orders in the profile service's wire shapes."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from catalog_index.schema import Product, Variant

TODAY = date(2026, 11, 24)
CATEGORIES = ["running shoes", "t-shirts", "hoodies", "tents", "socks", "hats"]
BRANDS = ["Trailforge", "Northpeak", "Cascadia", "Kestrel"]


def product(
    pid: str,
    category: str = "t-shirts",
    brand: str = "Northpeak",
    price: float = 50.0,
    *,
    sizes: dict[str, int] | None = None,
    rating: float = 4.0,
    reviews: int = 50,
    tags: list[str] | None = None,
    stock: int = 10,
) -> Product:
    """A product; ``sizes`` maps size -> stock (variants), else one stock count."""
    variants = [
        Variant(sku=f"{pid}-{size}", size=size, colour="black", stock=units)
        for size, units in (sizes or {}).items()
    ]
    return Product(
        id=pid,
        title=f"{brand} {category} {pid}",
        category=category,
        brand=brand,
        department="clothing",
        price=price,
        rating=rating,
        review_count=reviews,
        tags=tags or [],
        variants=variants,
        stock=0 if variants else stock,
    )


def customer(
    cid: str = "CUS-1",
    *,
    granted: object = True,
    brands: list[str] | None = None,
    categories: list[str] | None = None,
    sizes: dict[str, str] | None = None,
    band: tuple[float, float] | None = None,
    segment: str = "regular",
) -> dict[str, Any]:
    return {
        "customer_id": cid,
        "name": "Test",
        "email": "t@example.com",
        "preferred_language": "en",
        "sizes": sizes or {},
        "favourite_brands": brands or [],
        "favourite_categories": categories or [],
        "price_band": None if band is None else {"min": band[0], "max": band[1], "currency": "USD"},
        "segment": segment,
        "consent": {"personalisation": {"granted": granted, "updated_at": "2026-11-20T10:00:00Z"}},
    }


def order(
    oid: str,
    days_ago: int,
    items: list[tuple[str, str]],
    *,
    status: str = "delivered",
    price: float = 50.0,
) -> dict[str, Any]:
    """An order placed ``days_ago`` days before TODAY with ``(product_id, size)`` items."""
    placed = (TODAY - timedelta(days=days_ago)).isoformat() + "T10:00:00Z"
    return {
        "order_id": oid,
        "customer_id": "CUS-1",
        "status": status,
        "placed_at": placed,
        "currency": "USD",
        "total": price * len(items),
        "items": [
            {"product_id": pid, "title": f"title {pid}", "quantity": 1, "unit_price": price}
            | ({"size": size} if size else {})
            for pid, size in items
        ],
        "status_history": [],
        "shipping_address": {"name": "", "line1": "", "city": "", "postcode": "", "country": ""},
    }


def catalog(seed: int = 1, per_pair: int = 2) -> list[Product]:
    """A deterministic catalog: ``per_pair`` products per category and brand."""
    rng = random.Random(seed)
    products = []
    for c, category in enumerate(CATEGORIES):
        for b, brand in enumerate(BRANDS):
            for n in range(per_pair):
                pid = f"P{c}{b}{n}"
                products.append(
                    product(
                        pid,
                        category,
                        brand,
                        price=round(rng.uniform(10, 200), 2),
                        sizes={s: rng.choice([0, 3, 8]) for s in ("S", "M", "L")},
                        rating=round(rng.uniform(3.0, 5.0), 1),
                        reviews=rng.randint(0, 300),
                        tags=rng.sample(["hiking", "running", "city", "winter", "summer"], 2),
                    )
                )
    return products


def demo_customers(
    products: list[Product], count: int = 20, seed: int = 3
) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Customers with a latent taste and orders that mostly follow it."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        cats = rng.sample(CATEGORIES, 2)
        brands = rng.sample(BRANDS, 1)
        cust = customer(
            f"CUS-{n}",
            brands=brands,
            categories=cats,
            sizes={c: rng.choice(["S", "M", "L"]) for c in cats},
            band=(20.0, 150.0),
            segment=rng.choice(["vip", "regular", "new", "bargain_hunter"]),
        )
        orders = []
        for k in range(rng.randint(1, 5)):
            liked = [p for p in products if p.category in cats]
            pick = rng.choice(liked if rng.random() < 0.8 else products)
            orders.append(order(f"ORD-{n}-{k}", rng.randint(1, 600), [(pick.id, "M")]))
        out.append((cust, orders))
    return out
