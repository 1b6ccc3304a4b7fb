"""The actions' view of the catalog: search by constraints, look products up by id.

:class:`Catalog` wraps a ``catalog_index.search.CatalogSearch`` (anything with the same
``search``/``get``/``vocabulary`` methods) and speaks the actions' terms:
:class:`~actions.constraints.SearchConstraints` in, ``Product`` objects out, and a
:class:`~actions.entities.Vocabulary` built once from the catalog's own values.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, Protocol

from actions.constraints import SearchConstraints
from actions.entities import Vocabulary
from catalog_index.schema import Product
from catalog_index.search import SearchFilters, SearchResult

__all__ = ["ProductSearch", "Catalog", "to_filters"]


class ProductSearch(Protocol):
    """The part of ``catalog_index.search.CatalogSearch`` the actions use."""

    def search(
        self,
        query: str,
        filters: SearchFilters | None = None,
        limit: int = 10,
        exclude_ids: Collection[str] = (),
    ) -> list[SearchResult]:
        """Products for a query, best first, every one passing the filters."""
        ...

    def get(self, product_id: str) -> Product | None:
        """A product by id."""
        ...

    def vocabulary(self) -> dict[str, list[str]]:
        """Distinct catalog values per field."""
        ...

    def all_products(self) -> list[Product]:
        """Every product of the catalog."""
        ...

    def embeddings(self, ids: Sequence[str]) -> Mapping[str, Any]:
        """Stored product vectors by id."""
        ...

    def similar(
        self,
        product_id: str,
        limit: int = 5,
        filters: SearchFilters | None = None,
        exclude_ids: Collection[str] = (),
    ) -> list[SearchResult]:
        """Dense neighbours of a product, the product itself excluded."""
        ...


def to_filters(constraints: SearchConstraints, *, in_stock: bool = True) -> SearchFilters:
    """The catalog filters for a set of constraints.

    Args:
        constraints: The shopper's constraints.
        in_stock: Only products (and, with colour/size, variants) in stock.

    Returns:
        The filters.
    """
    return SearchFilters(
        category=constraints.category,
        brand=constraints.brand,
        colour=constraints.colour,
        size=constraints.size,
        material=constraints.material,
        price_min=constraints.price_min,
        price_max=constraints.price_max,
        in_stock=in_stock or None,
    )


class Catalog:
    """Constraint-based product search and look-ups over one loaded index."""

    def __init__(self, search: ProductSearch) -> None:
        """Wrap a loaded search object.

        Args:
            search: The catalog search (``CatalogSearch``).
        """
        self._search = search
        self._vocabulary: Vocabulary | None = None
        self._lock = threading.Lock()

    @property
    def vocabulary(self) -> Vocabulary:
        """The catalog's vocabulary (demo defaults merged in), computed once."""
        if self._vocabulary is None:
            with self._lock:
                if self._vocabulary is None:
                    self._vocabulary = Vocabulary.from_mapping(self._search.vocabulary())
        return self._vocabulary

    def find(
        self,
        query: str,
        constraints: SearchConstraints,
        limit: int,
        exclude_ids: Iterable[str] = (),
    ) -> list[Product]:
        """Products matching a query under hard constraints (in stock only).

        Args:
            query: Free text; empty means best rated under the constraints.
            constraints: The hard filters.
            limit: Maximum results.
            exclude_ids: Products never returned (already shown).

        Returns:
            The products, best first.
        """
        results = self._search.search(
            query, to_filters(constraints), limit=limit, exclude_ids=tuple(exclude_ids)
        )
        return self.products(r.id for r in results)

    def similar(
        self,
        product_id: str,
        constraints: SearchConstraints,
        limit: int,
        *,
        in_stock_only: bool = False,
    ) -> list[Product]:
        """Products most like one product (dense neighbours of its stored vector).

        Args:
            product_id: The reference product (never returned).
            constraints: Hard filters on the neighbours.
            limit: Maximum results.
            in_stock_only: Only products (and, with colour/size, variants) in stock.

        Returns:
            The products, most similar first; empty when the product is unknown.
        """
        results = self._search.similar(
            product_id, limit=limit, filters=to_filters(constraints, in_stock=in_stock_only)
        )
        return self.products(r.id for r in results)

    def get(self, product_id: str) -> Product | None:
        """A product by id.

        Args:
            product_id: The id.

        Returns:
            The product, or ``None`` when it is not (any more) in the catalog.
        """
        return self._search.get(product_id)

    def products(self, ids: Iterable[str]) -> list[Product]:
        """Products by id, in the given order, skipping unknown ids.

        Args:
            ids: Product ids.

        Returns:
            The known products.
        """
        found: list[Product] = []
        for product_id in ids:
            product = self._search.get(str(product_id))
            if product is not None:
                found.append(product)
        return found

    def all_products(self) -> list[Product]:
        """Every product of the catalog (in stock or not).

        Returns:
            The products.
        """
        return self._search.all_products()

    def embeddings(self, ids: Sequence[str]) -> Mapping[str, Any]:
        """Stored product vectors (similarity between products).

        Args:
            ids: Product ids.

        Returns:
            Vectors by id.
        """
        return self._search.embeddings(ids)

    def titles(self, ids: Sequence[str]) -> dict[str, str]:
        """Titles of products by id (unknown ids left out).

        Args:
            ids: Product ids.

        Returns:
            Id to title.
        """
        return {p.id: p.title for p in self.products(ids)}
