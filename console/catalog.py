"""Catalog search for agents: the catalog index's lexical side and product table, read-only.

The console never loads the embedding model: it reads the index folder that
``python -m catalog_index build`` (``make index``) writes (``manifest.json`` naming the current
generation, its ``products.jsonl`` and ``lexical/`` BM25 index) and answers with the same card
fields the widget's product carousel shows (``actions/rendering.py``). The index is loaded on
first use and again only when the manifest names a new generation.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog_index.lexical import LexicalIndex
from catalog_index.schema import Product

__all__ = ["CatalogSearch", "CatalogUnavailable", "card_of", "format_price"]

MANIFEST = "manifest.json"
PRODUCTS = "products.jsonl"
LEXICAL = "lexical"
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


class CatalogUnavailable(RuntimeError):
    """There is no readable catalog index."""


def format_price(amount: float, currency: str) -> str:
    """A price as the widget shows it ("$79.99", "€45", "120.00 CHF").

    Args:
        amount: The amount.
        currency: ISO 4217 code.

    Returns:
        The text (the same as ``actions.rendering.format_price``).
    """
    code = (currency or "USD").upper()
    number = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    symbol = _SYMBOLS.get(code)
    return f"{symbol}{number}" if symbol else f"{number} {code}"


def _in_stock(product: Product, attribute: str) -> list[str]:
    if not product.variants:
        values: list[str] = getattr(product, f"{attribute}s")
        return list(values) if product.in_stock else []
    seen: dict[str, None] = {}
    for variant in product.variants:
        value = getattr(variant, attribute)
        if variant.stock > 0 and value:
            seen.setdefault(value, None)
    return list(seen)


def card_of(product: Product) -> dict[str, Any]:
    """The carousel card of a product (the shape ``actions.rendering.product_card`` sends).

    Empty optional fields are left out, so the card validates as the console's
    ``ProductCard``.

    Args:
        product: The product.

    Returns:
        The card.
    """
    card: dict[str, Any] = dict(product.card())
    card["price_text"] = format_price(product.price, product.currency)
    card["colours_in_stock"] = _in_stock(product, "colour")
    card["sizes_in_stock"] = _in_stock(product, "size")
    return {k: v for k, v in card.items() if v is not None and v != ""}


@dataclass(frozen=True)
class _Loaded:
    generation: str
    products: dict[str, Product]
    lexical: LexicalIndex


class CatalogSearch:
    """Lexical search over the built catalog index (thread-safe, loaded lazily)."""

    def __init__(self, index_dir: Path) -> None:
        """Remember where the index lives (nothing is read yet).

        Args:
            index_dir: The catalog index folder (``INDEX_DIR``).
        """
        self._dir = Path(index_dir)
        self._lock = threading.Lock()
        self._loaded: _Loaded | None = None

    def _generation(self) -> str:
        try:
            manifest = json.loads((self._dir / MANIFEST).read_text(encoding="utf-8"))
            generation = manifest["generation"]
        except (OSError, ValueError, KeyError, TypeError):
            raise CatalogUnavailable(
                "the catalog index is not built; run `make index` and try again"
            ) from None
        if not isinstance(generation, str) or "/" in generation or generation.startswith("."):
            raise CatalogUnavailable("the catalog index manifest is unreadable; run `make index`")
        return generation

    def _load(self) -> _Loaded:
        generation = self._generation()
        with self._lock:
            if self._loaded is not None and self._loaded.generation == generation:
                return self._loaded
            folder = self._dir / generation
            try:
                with (folder / PRODUCTS).open(encoding="utf-8") as handle:
                    products = [
                        Product.from_dict(json.loads(line)) for line in handle if line.strip()
                    ]
                lexical = LexicalIndex.load(folder / LEXICAL)
            except (OSError, ValueError, KeyError) as exc:
                raise CatalogUnavailable(
                    f"the catalog index cannot be read ({type(exc).__name__}); run `make index`"
                ) from None
            self._loaded = _Loaded(generation, {p.id: p for p in products}, lexical)
            return self._loaded

    def search(self, query: str, limit: int = 10) -> list[dict[str, Any]]:
        """The best matching products' cards, best first.

        A query that is a product id (``TF-RS-0001``) finds that product first.

        Args:
            query: What the agent typed.
            limit: How many cards at most.

        Returns:
            The cards.

        Raises:
            CatalogUnavailable: No readable index.
        """
        loaded = self._load()
        found: list[Product] = []
        exact = loaded.products.get(query.strip().upper())
        if exact is not None:
            found.append(exact)
        for product_id, _score in loaded.lexical.search(query, limit):
            product = loaded.products.get(product_id)
            if product is not None and all(p.id != product_id for p in found):
                found.append(product)
        return [card_of(p) for p in found[:limit]]
