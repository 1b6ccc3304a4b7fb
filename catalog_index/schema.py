"""The canonical product model (see docs/catalog.md).

``Product.from_dict`` validates one canonical record and raises ``FieldError`` (one per
bad field, collected in ``ProductInvalid``) so the loader can name file, line and field.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from catalog_index.errors import FieldError

__all__ = [
    "Product",
    "ProductCard",
    "ProductInvalid",
    "Variant",
    "REQUIRED_FIELDS",
    "short_description",
    "plain_text",
]

REQUIRED_FIELDS = ("id", "title", "category", "price")
DEFAULT_CURRENCY = "USD"
SHORT_DESCRIPTION_CHARS = 160
_GENDERS = {"men", "women", "unisex", "kids"}
_TAG_RE = re.compile(r"<[^>]+>")


class ProductCard(TypedDict):
    """What a product card (carousel item) shows; the wire format for actions."""

    id: str
    title: str
    brand: str
    category: str
    price: float
    currency: str
    colours: list[str]
    sizes: list[str]
    rating: float | None
    review_count: int
    in_stock: bool
    image_url: str
    url: str
    description: str


class ProductInvalid(ValueError):
    """One record with one or more invalid fields."""

    def __init__(self, errors: list[FieldError]) -> None:
        """Create from the field errors.

        Args:
            errors: At least one field error.
        """
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


@dataclass
class Variant:
    """A sellable variant of a product."""

    sku: str
    colour: str = ""
    size: str = ""
    stock: int = 0
    price: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Canonical JSON form (empty optional values left out)."""
        data: dict[str, Any] = {"sku": self.sku}
        if self.colour:
            data["colour"] = self.colour
        if self.size:
            data["size"] = self.size
        data["stock"] = self.stock
        if self.price is not None:
            data["price"] = self.price
        return data


@dataclass
class Product:
    """A catalog product.

    ``colours``, ``sizes`` and ``stock`` are derived from the variants when there are
    any; a product without variants keeps its own ``stock`` and may list the
    ``colours`` and ``sizes`` it comes in.
    """

    id: str
    title: str
    category: str
    price: float
    description: str = ""
    brand: str = ""
    department: str = ""
    gender: str = ""
    material: str = ""
    currency: str = DEFAULT_CURRENCY
    rating: float | None = None
    review_count: int = 0
    image_url: str = ""
    url: str = ""
    tags: list[str] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    stock: int = 0
    colours: list[str] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Derive colours, sizes and stock from the variants."""
        if self.variants:
            self.colours = _distinct(v.colour for v in self.variants)
            self.sizes = _distinct(v.size for v in self.variants)
            self.stock = sum(v.stock for v in self.variants)

    @property
    def in_stock(self) -> bool:
        """Whether any unit is in stock."""
        return self.stock > 0

    @property
    def short_description(self) -> str:
        """The description cut at a word boundary for cards."""
        return short_description(self.description)

    def card(self) -> ProductCard:
        """The fields a product card needs."""
        return ProductCard(
            id=self.id,
            title=self.title,
            brand=self.brand,
            category=self.category,
            price=self.price,
            currency=self.currency,
            colours=list(self.colours),
            sizes=list(self.sizes),
            rating=self.rating,
            review_count=self.review_count,
            in_stock=self.in_stock,
            image_url=self.image_url,
            url=self.url,
            description=self.short_description,
        )

    def to_dict(self) -> dict[str, Any]:
        """Canonical JSON form; ``from_dict(to_dict())`` round-trips."""
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "category": self.category,
            "price": self.price,
            "currency": self.currency,
        }
        for name in ("description", "brand", "department", "gender", "material"):
            value = getattr(self, name)
            if value:
                data[name] = value
        if self.rating is not None:
            data["rating"] = self.rating
        if self.review_count:
            data["review_count"] = self.review_count
        if self.image_url:
            data["image_url"] = self.image_url
        if self.url:
            data["url"] = self.url
        if self.tags:
            data["tags"] = list(self.tags)
        if self.variants:
            data["variants"] = [v.to_dict() for v in self.variants]
        else:
            data["stock"] = self.stock
            if self.colours:
                data["colours"] = list(self.colours)
            if self.sizes:
                data["sizes"] = list(self.sizes)
        return data

    def canonical_json(self) -> str:
        """Deterministic JSON used for content hashes."""
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Product:
        """Validate a canonical record and build the product.

        Args:
            data: A canonical record (keys as in docs/catalog.md).

        Returns:
            The product.

        Raises:
            ProductInvalid: One error per invalid field.
        """
        errors: list[FieldError] = []

        def guard(name: str, fn: Any, *args: Any) -> Any:
            try:
                return fn(*args)
            except FieldError as exc:
                errors.append(exc)
                return None

        for name in ("id", "title", "category"):
            if _is_missing(data.get(name)):
                errors.append(FieldError(name, "required field is missing"))
        if _is_missing(data.get("price")):
            errors.append(FieldError("price", "required field is missing"))
            price = None
        else:
            price = guard("price", _price, "price", data.get("price"))
        rating = guard("rating", _optional_float, "rating", data.get("rating"), 0.0, 5.0)
        reviews = guard("review_count", _count, "review_count", data.get("review_count"))
        stock = guard("stock", _count, "stock", data.get("stock"))
        tags = guard("tags", _str_list, "tags", data.get("tags"))
        colours = guard("colours", _str_list, "colours", data.get("colours"), True)
        sizes = guard("sizes", _str_list, "sizes", data.get("sizes"))
        variants = guard("variants", _variants, data.get("variants"))
        gender = _text(data.get("gender")).lower()
        if gender and gender not in _GENDERS:
            errors.append(FieldError("gender", f"unknown gender {gender!r}"))
        if errors:
            raise ProductInvalid(errors)
        currency = _text(data.get("currency")).upper() or DEFAULT_CURRENCY
        return cls(
            id=_text(data["id"]),
            title=_text(data["title"]),
            category=_text(data["category"]).lower(),
            price=float(price or 0.0),
            description=plain_text(_text(data.get("description"))),
            brand=_text(data.get("brand")),
            department=_text(data.get("department")).lower(),
            gender=gender,
            material=_text(data.get("material")).lower(),
            currency=currency,
            rating=rating,
            review_count=reviews or 0,
            image_url=_text(data.get("image_url")),
            url=_text(data.get("url")),
            tags=tags or [],
            variants=variants or [],
            stock=stock or 0,
            colours=colours or [],
            sizes=sizes or [],
        )


def short_description(text: str, limit: int = SHORT_DESCRIPTION_CHARS) -> str:
    """Cut ``text`` at a word boundary to at most ``limit`` characters (plus an ellipsis).

    Args:
        text: Plain text.
        limit: Maximum characters kept.

    Returns:
        The shortened text.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:- ")
    return cut + "…"


def plain_text(text: str) -> str:
    """Strip HTML tags, unescape entities and collapse white space.

    Args:
        text: Text that may contain HTML.

    Returns:
        Plain single-spaced text.
    """
    if "<" in text or "&" in text:
        text = html.unescape(_TAG_RE.sub(" ", text))
    return " ".join(text.split())


def _distinct(values: Any) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return list(seen)


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(name: str, value: object) -> float:
    if isinstance(value, bool):
        raise FieldError(name, f"not a number: {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = float(str(value).strip().replace(",", ""))
        except ValueError:
            raise FieldError(name, f"not a number: {value!r}") from None
    if not math.isfinite(number):
        raise FieldError(name, f"not a finite number: {value!r}")
    return number


def _price(name: str, value: object) -> float:
    number = _number(name, value)
    if number < 0:
        raise FieldError(name, f"negative price {number:g}")
    return number


def _optional_float(name: str, value: object, low: float, high: float) -> float | None:
    if _is_missing(value):
        return None
    number = _number(name, value)
    if not low <= number <= high:
        raise FieldError(name, f"{number:g} is outside {low:g}-{high:g}")
    return number


def _count(name: str, value: object) -> int:
    if _is_missing(value):
        return 0
    number = _number(name, value)
    if not number.is_integer():
        raise FieldError(name, f"not an integer: {value!r}")
    if number < 0:
        raise FieldError(name, f"negative: {value!r}")
    return int(number)


def _str_list(name: str, value: object, lower: bool = False) -> list[str]:
    if _is_missing(value):
        return []
    if isinstance(value, str):
        items: Sequence[Any] = [value]
    elif isinstance(value, Sequence):
        items = value
    else:
        raise FieldError(name, f"expected a list of strings, got {type(value).__name__}")
    out = [_text(item) for item in items if not _is_missing(item)]
    return _distinct(item.lower() if lower else item for item in out)


def _variants(value: object) -> list[Variant]:
    if _is_missing(value):
        return []
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise FieldError("variants", "expected a list of variants")
    variants: list[Variant] = []
    for index, item in enumerate(value):
        where = f"variants[{index}]"
        if not isinstance(item, Mapping):
            raise FieldError(where, "expected an object")
        sku = _text(item.get("sku"))
        if not sku:
            raise FieldError(f"{where}.sku", "required field is missing")
        price = item.get("price")
        variants.append(
            Variant(
                sku=sku,
                colour=_text(item.get("colour")).lower(),
                size=_text(item.get("size")),
                stock=_count(f"{where}.stock", item.get("stock")),
                price=None if _is_missing(price) else _price(f"{where}.price", price),
            )
        )
    return variants
