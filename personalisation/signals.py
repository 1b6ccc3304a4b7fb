"""What a consented profile and order history say about a customer's taste.

``CustomerSignals.from_profile`` reads the profile service's wire shapes (``Customer`` and
``Order`` of docs/profiles-api.md). Without personalisation consent (``granted`` not
``True``: refused or never asked) the signals are empty and nothing personal is used.

Affinities are in [0, 1] (the strongest brand or category is 1): a declared favourite
counts as one fresh purchase, each purchased line adds ``0.5 ** (age_days / half_life)``.
Cancelled orders are ignored; returned orders count as bought but add no affinity.

Two more habits are learnt from the history alone (never from the profile's segment):
who the customer shops for (purchased lines per product ``gender``: women, men,
kids, unisex) and how often they buy a product again (the share of
order lines, after the first order, that re-buy a product of an earlier order).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from catalog_index.schema import Product

__all__ = ["CustomerSignals", "PriceBand", "key", "has_consent"]

#: Days after which a purchase counts half as much.
HALF_LIFE_DAYS = 180.0
#: Weight of a declared favourite (a purchase made today weighs 1).
DECLARED_WEIGHT = 1.0
#: Purchases newer than this are "recent".
RECENT_DAYS = 120
#: Pseudo-count of ``gender_fit`` (how sure one purchase makes us).
GENDER_PRIOR = 0.5
#: Widening of a price band learnt from purchases (no declared band).
LEARNT_BAND_MARGIN = 0.2
_IGNORED_STATUSES = frozenset({"cancelled"})
_NO_AFFINITY_STATUSES = frozenset({"cancelled", "returned"})


def key(text: str) -> str:
    """Comparison key of a brand, category or size (case- and space-insensitive).

    Args:
        text: The value.

    Returns:
        The key.
    """
    return " ".join(text.casefold().split())


def has_consent(customer: Mapping[str, Any]) -> bool:
    """Whether the customer granted personalisation (``None`` = never asked = no).

    Args:
        customer: A ``Customer`` wire object.

    Returns:
        True only when ``consent.personalisation.granted`` is ``True``.
    """
    consent = customer.get("consent")
    if not isinstance(consent, Mapping):
        return False
    personalisation = consent.get("personalisation")
    if not isinstance(personalisation, Mapping):
        return False
    return personalisation.get("granted") is True


@dataclass(frozen=True)
class PriceBand:
    """The price range the customer usually buys in (inclusive)."""

    low: float
    high: float

    def contains(self, price: float) -> bool:
        """Whether a price is inside the band."""
        return self.low <= price <= self.high

    def distance(self, price: float) -> float:
        """How far a price is outside the band, relative to the nearest edge, in [0, 1].

        Args:
            price: The price.

        Returns:
            0 inside the band; ``(low - price) / low`` below it, ``(price - high) /
            high`` above it, capped at 1.
        """
        if price < self.low:
            return min(1.0, (self.low - price) / self.low) if self.low > 0 else 0.0
        if price > self.high:
            return min(1.0, (price - self.high) / self.high) if self.high > 0 else 1.0
        return 0.0


@dataclass(frozen=True)
class CustomerSignals:
    """A customer's consented taste; ``CustomerSignals()`` is the empty (anonymous) one."""

    brand_affinity: Mapping[str, float] = field(default_factory=dict)
    category_affinity: Mapping[str, float] = field(default_factory=dict)
    favourite_brands: frozenset[str] = frozenset()
    favourite_categories: frozenset[str] = frozenset()
    sizes: Mapping[str, str] = field(default_factory=dict)
    price_band: PriceBand | None = None
    purchased: frozenset[str] = frozenset()
    purchase_weights: Mapping[str, float] = field(default_factory=dict)
    recent: tuple[str, ...] = ()
    titles: Mapping[str, str] = field(default_factory=dict)
    #: Purchased lines per product gender key ("women", "men", "kids", "unisex").
    gender_lines: Mapping[str, int] = field(default_factory=dict)
    #: Share of order lines (after the first order) re-buying a product bought before.
    repeat_rate: float = 0.0

    @property
    def is_empty(self) -> bool:
        """Whether nothing personal is known (anonymous or no consent)."""
        return not (
            self.brand_affinity
            or self.category_affinity
            or self.sizes
            or self.price_band
            or self.purchased
        )

    def brand(self, brand: str) -> float:
        """Affinity to a brand (0 when unknown)."""
        return self.brand_affinity.get(key(brand), 0.0)

    def category(self, category: str) -> float:
        """Affinity to a category (0 when unknown)."""
        return self.category_affinity.get(key(category), 0.0)

    def size_for(self, category: str) -> str | None:
        """The customer's size in a category, if known."""
        return self.sizes.get(key(category))

    def gender_fit(self, gender: str) -> float:
        """How well a product gender fits who the customer buys for, in (0, 1].

        Args:
            gender: The product's ``gender`` ("women", "men", "kids", "unisex", "").

        Returns:
            1 for unisex or unknown genders and while no gendered purchase is known;
            else ``(lines + GENDER_PRIOR) / (lines of the most bought gender +
            GENDER_PRIOR)``: 1 for the gender bought most, small for one never bought
            (less small while the history is short).
        """
        wanted = key(gender)
        gendered = {g: n for g, n in self.gender_lines.items() if g != "unisex"}
        if not wanted or wanted == "unisex" or not gendered:
            return 1.0
        top = max(gendered.values())
        return (gendered.get(wanted, 0) + GENDER_PRIOR) / (top + GENDER_PRIOR)

    @property
    def usual_categories(self) -> frozenset[str]:
        """Categories with any affinity (keys)."""
        return frozenset(c for c, weight in self.category_affinity.items() if weight > 0)

    @classmethod
    def from_profile(
        cls,
        customer: Mapping[str, Any],
        orders: Sequence[Mapping[str, Any]],
        today: date,
        *,
        catalog: Mapping[str, Product] | None = None,
        half_life_days: float = HALF_LIFE_DAYS,
    ) -> CustomerSignals:
        """Build the signals of one customer.

        Args:
            customer: The ``Customer`` wire object.
            orders: The customer's ``Order`` wire objects (any order).
            today: The business date (ages of purchases are counted from it).
            catalog: Products by id, to learn brands, categories and sizes of purchases
                (without it only the declared profile and the bought ids are used).
            half_life_days: Recency half-life of a purchase.

        Returns:
            The signals; empty without personalisation consent.
        """
        if not has_consent(customer):
            return cls()
        products = catalog or {}
        brands: dict[str, float] = {}
        categories: dict[str, float] = {}
        fav_brands = frozenset(key(b) for b in _strings(customer.get("favourite_brands")))
        fav_categories = frozenset(key(c) for c in _strings(customer.get("favourite_categories")))
        for brand in fav_brands:
            brands[brand] = brands.get(brand, 0.0) + DECLARED_WEIGHT
        for category in fav_categories:
            categories[category] = categories.get(category, 0.0) + DECLARED_WEIGHT

        declared_sizes = customer.get("sizes")
        sizes: dict[str, str] = {}
        if isinstance(declared_sizes, Mapping):
            sizes = {key(str(c)): str(s) for c, s in declared_sizes.items() if str(s).strip()}
        learnt_sizes: dict[str, tuple[date, str]] = {}
        weights: dict[str, float] = {}
        last_bought: dict[str, date] = {}
        titles: dict[str, str] = {}
        prices: list[float] = []
        genders: dict[str, int] = {}
        earlier: set[str] = set()
        repeats = later_lines = 0
        for order in sorted(orders, key=_placed):
            status = str(order.get("status", ""))
            if status in _IGNORED_STATUSES:
                continue
            placed = _day(order.get("placed_at"))
            if placed is None:
                continue
            age = max((today - placed).days, 0)
            weight = 0.5 ** (age / half_life_days)
            lines = {str(item.get("product_id", "")) for item in _items(order)} - {""}
            if earlier:
                later_lines += len(lines)
                repeats += len(lines & earlier)
            earlier |= lines
            for item in _items(order):
                product_id = str(item.get("product_id", ""))
                if not product_id:
                    continue
                titles.setdefault(product_id, str(item.get("title", "")))
                if placed > last_bought.get(product_id, date.min):
                    last_bought[product_id] = placed
                if status in _NO_AFFINITY_STATUSES:
                    weights.setdefault(product_id, 0.0)
                    continue
                weights[product_id] = weights.get(product_id, 0.0) + weight
                price = item.get("unit_price")
                if isinstance(price, (int, float)):
                    prices.append(float(price))
                product = products.get(product_id)
                if product is None:
                    continue
                if product.gender:
                    genders[key(product.gender)] = genders.get(key(product.gender), 0) + 1
                if product.brand:
                    brands[key(product.brand)] = brands.get(key(product.brand), 0.0) + weight
                category = key(product.category)
                categories[category] = categories.get(category, 0.0) + weight
                size = str(item.get("size") or "").strip()
                if size and placed >= learnt_sizes.get(category, (date.min, ""))[0]:
                    learnt_sizes[category] = (placed, size)
        for category, (_, size) in learnt_sizes.items():
            sizes.setdefault(category, size)
        recent = tuple(
            pid
            for pid, day in sorted(last_bought.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
            if (today - day).days <= RECENT_DAYS
        )
        return cls(
            brand_affinity=_scaled(brands),
            category_affinity=_scaled(categories),
            favourite_brands=fav_brands,
            favourite_categories=fav_categories,
            sizes=sizes,
            price_band=_band(customer.get("price_band"), prices),
            purchased=frozenset(last_bought),
            purchase_weights=weights,
            recent=recent,
            titles=titles,
            gender_lines=genders,
            repeat_rate=repeats / later_lines if later_lines else 0.0,
        )


def _strings(value: object) -> list[str]:
    if not isinstance(value, Iterable) or isinstance(value, (str, bytes)):
        return []
    return [str(v) for v in value if str(v).strip()]


def _items(order: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    items = order.get("items")
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, Mapping)]


def _placed(order: Mapping[str, Any]) -> tuple[date, str]:
    """Sort key of an order: its day, then its id (undated orders first)."""
    return (_day(order.get("placed_at")) or date.min, str(order.get("order_id", "")))


def _day(value: object) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _scaled(raw: Mapping[str, float]) -> dict[str, float]:
    top = max(raw.values(), default=0.0)
    if top <= 0:
        return {}
    return {name: value / top for name, value in raw.items() if value > 0}


def _band(declared: object, prices: Sequence[float]) -> PriceBand | None:
    if isinstance(declared, Mapping):
        low, high = declared.get("min"), declared.get("max")
        if isinstance(low, (int, float)) and isinstance(high, (int, float)) and low <= high:
            return PriceBand(float(low), float(high))
    if len(prices) >= 2:
        return PriceBand(
            min(prices) * (1 - LEARNT_BAND_MARGIN), max(prices) * (1 + LEARNT_BAND_MARGIN)
        )
    return None
