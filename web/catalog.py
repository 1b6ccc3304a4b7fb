"""The demo shop's shelf: the catalog loaded once, grouped by category and cut into pages.

The catalog is read and validated by :func:`catalog_index.loaders.load_catalog` (the same
reader the index uses), so the grid shows exactly the products the assistant can find.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from catalog_index.loaders import load_catalog
from catalog_index.schema import Product

__all__ = ["PAGE_SIZE", "Listing", "Shelf", "format_price", "slug"]

#: Products on one page of the grid.
PAGE_SIZE = 48
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def format_price(amount: float, currency: str) -> str:
    """A price as the shop shows it ("$79.99", "€45", "120.00 CHF").

    Args:
        amount: The amount.
        currency: ISO 4217 code.

    Returns:
        The text.
    """
    code = currency.upper() or "USD"
    number = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    return f"{_SYMBOLS[code]}{number}" if code in _SYMBOLS else f"{number} {code}"


def slug(text: str) -> str:
    """A URL-safe name: ``"Running shoes"`` -> ``"running-shoes"``.

    Args:
        text: Any text.

    Returns:
        Lower-case letters and digits joined by single hyphens.
    """
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


@dataclass(frozen=True)
class Listing:
    """One page of the grid.

    Attributes:
        products: The products on this page.
        page: The page number (from 1).
        pages: How many pages the listing has.
        total: How many products the listing has over all its pages.
        category: The category shown, or ``None`` for every product.
    """

    products: list[Product]
    page: int
    pages: int
    total: int
    category: str | None


class Shelf:
    """The products, in catalog order, with their categories."""

    def __init__(self, products: list[Product]) -> None:
        """Keep the products.

        Args:
            products: The validated products, in catalog order.
        """
        self.products = products
        self.by_id = {product.id: product for product in products}
        self.categories: dict[str, str] = {}  # slug -> category name, sorted by name
        for name in sorted({product.category for product in products}):
            self.categories[slug(name)] = name

    @classmethod
    def load(cls, catalog_file: Path, mapping: Path | None = None) -> Shelf:
        """Read a catalog file.

        Args:
            catalog_file: The catalog (canonical JSONL unless a mapping is given).
            mapping: A mapping file for other formats.

        Returns:
            The shelf.

        Raises:
            catalog_index.errors.CatalogError: The file cannot be read or has invalid rows.
        """
        return cls(load_catalog(catalog_file, mapping))

    def listing(self, category_slug: str | None, page: int) -> Listing | None:
        """One page of products, all of them or those of one category.

        Args:
            category_slug: A key of :attr:`categories`, or ``None`` for every product.
            page: The page number (from 1).

        Returns:
            The page, or ``None`` for an unknown category or a page out of range.
        """
        category = None
        chosen = self.products
        if category_slug is not None:
            category = self.categories.get(category_slug)
            if category is None:
                return None
            chosen = [product for product in self.products if product.category == category]
        pages = max(1, math.ceil(len(chosen) / PAGE_SIZE))
        if not 1 <= page <= pages:
            return None
        start = (page - 1) * PAGE_SIZE
        return Listing(
            products=chosen[start : start + PAGE_SIZE],
            page=page,
            pages=pages,
            total=len(chosen),
            category=category,
        )
