"""Hybrid product search: dense (chroma) + lexical (BM25), fused, with exact hard filters.

Filters are applied on the in-memory product table (the source of truth) and the
dense and lexical searches are restricted to the allowed ids, so a result never
violates a filter. Matching is case-insensitive; ``category`` also matches the
department and tolerates simple plurals ("tent" = "tents"); ``material`` matches when
all its words are in the product's material ("wool" matches "merino wool"); colour,
size and in-stock are checked together on one variant when the product has variants.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from catalog_index.embeddings import Embedder
from catalog_index.fusion import fuse
from catalog_index.index import LEXICAL_DIR, open_store, read_manifest, read_products
from catalog_index.lexical import LexicalIndex
from catalog_index.schema import Product, ProductCard
from catalog_index.settings import Settings
from catalog_index.store import ProductStore

__all__ = ["CatalogSearch", "SearchFilters", "SearchResult", "normalize", "singular"]

DEFAULT_CANDIDATES = 100
QUERY_CACHE_SIZE = 512
_COLOUR_SYNONYMS = {"gray": "grey"}
_WORD_RE = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")


def singular(word: str) -> str:
    """A comparison key that is the same for simple singular and plural forms.

    "tents"/"tent" -> "tent", "dresses"/"dress" -> "dress", "hoodies"/"hoodie" ->
    "hoodi", "berries"/"berry" -> "berri". Only meant for comparing two words.

    Args:
        word: A lower-case word.

    Returns:
        The key.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ie"):
        return word[:-1]
    if word.endswith("y") and len(word) > 3:
        return word[:-1] + "i"
    return word


def normalize(text: str, *, plural: bool = False) -> str:
    """Lower-case, collapse punctuation/space; optionally singularise the last word.

    Args:
        text: A category, brand, colour, ... value.
        plural: Singularise the last word (for categories).

    Returns:
        The comparison key.
    """
    words = _WORD_RE.findall(text.lower().replace("&", " and "))
    if plural and words:
        words[-1] = singular(words[-1])
    return " ".join(words)


@dataclass(frozen=True)
class SearchFilters:
    """Hard filters; ``None`` means "any"."""

    category: str | None = None
    brand: str | None = None
    colour: str | None = None
    size: str | None = None
    material: str | None = None
    price_min: float | None = None
    price_max: float | None = None
    in_stock: bool | None = None

    def is_empty(self) -> bool:
        """Whether no filter is set."""
        return all(getattr(self, f.name) in (None, "") for f in fields(self))


@dataclass(frozen=True)
class SearchResult:
    """A found product: its card fields and the relevance score."""

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
    score: float

    @classmethod
    def from_product(cls, product: Product, score: float) -> SearchResult:
        """Build from a product and its score."""
        return cls(score=score, **product.card())

    def card(self) -> ProductCard:
        """The card without the score (the carousel payload item)."""
        fields: dict[str, Any] = {name: getattr(self, name) for name in ProductCard.__annotations__}
        fields["colours"], fields["sizes"] = list(self.colours), list(self.sizes)
        return cast(ProductCard, fields)

    def to_dict(self) -> dict[str, Any]:
        """Card fields plus ``score`` as a plain dict."""
        return {**self.card(), "score": self.score}


class _Keys:
    """Precomputed comparison keys of one product."""

    __slots__ = ("categories", "brand", "material_words", "colours", "sizes", "variants")

    def __init__(self, product: Product) -> None:
        self.categories = {
            normalize(product.category, plural=True),
            normalize(product.department, plural=True),
        } - {""}
        self.brand = normalize(product.brand)
        self.material_words = set(normalize(product.material).split())
        self.colours = {_colour(c) for c in product.colours}
        self.sizes = {normalize(s) for s in product.sizes}
        self.variants = [(_colour(v.colour), normalize(v.size), v.stock) for v in product.variants]


def _colour(value: str) -> str:
    key = normalize(value)
    return _COLOUR_SYNONYMS.get(key, key)


class CatalogSearch:
    """Search over one built catalog index; build once per process and share."""

    def __init__(
        self,
        products: Iterable[Product],
        store: ProductStore,
        lexical: LexicalIndex,
        embedder: Embedder,
        *,
        candidates: int = DEFAULT_CANDIDATES,
    ) -> None:
        """Assemble from loaded parts.

        Args:
            products: The product table.
            store: The chroma collection.
            lexical: The lexical index.
            embedder: Query embedder (the model used to build the index).
            candidates: How many candidates each side (dense, lexical) contributes.
        """
        self._products = {p.id: p for p in products}
        self._keys = {pid: _Keys(p) for pid, p in self._products.items()}
        self._store = store
        self._lexical = lexical
        self._embedder = embedder
        self.candidates = candidates
        self._query_vectors: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        store: ProductStore | None = None,
        candidates: int = DEFAULT_CANDIDATES,
    ) -> CatalogSearch:
        """Load the index named by the settings (manifest, product table, lexical index).

        Args:
            settings: The settings in force.
            embedder: A loaded embedder to share (else the configured model is loaded).
            store: An open collection (else opened from settings).
            candidates: Candidates per side.

        Returns:
            The search object.

        Raises:
            FileNotFoundError: No index has been built.
        """
        index_dir = Path(settings.index_dir)
        manifest = read_manifest(index_dir)
        if manifest is None:
            raise FileNotFoundError(
                f"no catalog index in {index_dir}; run `python -m catalog_index build`"
            )
        products = read_products(index_dir, manifest)
        lexical = LexicalIndex.load(index_dir / manifest.generation / LEXICAL_DIR)
        return cls(
            products,
            store or open_store(settings),
            lexical,
            embedder or Embedder.from_settings(settings),
            candidates=candidates,
        )

    def __len__(self) -> int:
        """Number of products."""
        return len(self._products)

    # --- filters -------------------------------------------------------------------

    def matches(self, product_id: str, filters: SearchFilters | None) -> bool:
        """Whether a product satisfies every filter.

        Args:
            product_id: Product id.
            filters: The filters (``None`` = none).

        Returns:
            True when the product passes.
        """
        product = self._products.get(product_id)
        if product is None:
            return False
        if filters is None:
            return True
        keys = self._keys[product_id]
        if filters.category and normalize(filters.category, plural=True) not in keys.categories:
            return False
        if filters.brand and normalize(filters.brand) != keys.brand:
            return False
        if filters.material:
            wanted = set(normalize(filters.material).split())
            if not wanted or not wanted <= keys.material_words:
                return False
        if filters.price_min is not None and product.price < filters.price_min:
            return False
        if filters.price_max is not None and product.price > filters.price_max:
            return False
        colour = _colour(filters.colour) if filters.colour else None
        size = normalize(filters.size) if filters.size else None
        if keys.variants:
            return any(
                (colour is None or colour == v_colour)
                and (size is None or size == v_size)
                and (not filters.in_stock or stock > 0)
                for v_colour, v_size, stock in keys.variants
            )
        if colour is not None and colour not in keys.colours:
            return False
        if size is not None and size not in keys.sizes:
            return False
        return not (filters.in_stock and not product.in_stock)

    def _allowed(
        self, filters: SearchFilters | None, exclude_ids: Collection[str]
    ) -> set[str] | None:
        """Ids passing the filters, or ``None`` when nothing restricts the search."""
        if (filters is None or filters.is_empty()) and not exclude_ids:
            return None
        excluded = set(exclude_ids)
        return {pid for pid in self._products if pid not in excluded and self.matches(pid, filters)}

    # --- queries -------------------------------------------------------------------

    def search(
        self,
        query: str,
        filters: SearchFilters | None = None,
        limit: int = 10,
        exclude_ids: Collection[str] = (),
    ) -> list[SearchResult]:
        """Find products for a shopper's query.

        Args:
            query: Free text; empty means "best rated under the filters".
            filters: Hard filters.
            limit: Maximum results.
            exclude_ids: Products never returned (e.g. already shown).

        Returns:
            Results, best first; every one passes the filters.
        """
        if limit <= 0:
            return []
        allowed = self._allowed(filters, exclude_ids)
        if allowed is not None and not allowed:
            return []
        if not query.strip():
            return self._best_rated(allowed, limit)
        vector = self._query_vector(query)
        dense = self._store.query(
            vector,
            self.candidates,
            ids=sorted(allowed) if allowed is not None else None,
        )
        lexical = self._lexical.search(query, self.candidates, allowed_ids=allowed)
        fused = fuse(dense, lexical, self.candidates)
        results: list[SearchResult] = []
        for product_id, score in fused:
            if product_id not in self._products:
                continue  # in chroma but not in the current table (build in progress)
            if allowed is not None and product_id not in allowed:
                continue
            results.append(SearchResult.from_product(self._products[product_id], score))
            if len(results) >= limit:
                break
        return results

    def _query_vector(self, query: str) -> npt.NDArray[np.float32]:
        """Embed a query, remembering recent ones (refinements repeat the same text)."""
        key = " ".join(query.split()).lower()
        vector = self._query_vectors.get(key)
        if vector is None:
            vector = self._embedder.encode_one(key)
            self._query_vectors[key] = vector
            if len(self._query_vectors) > QUERY_CACHE_SIZE:
                self._query_vectors.popitem(last=False)
        else:
            self._query_vectors.move_to_end(key)
        return vector

    def _best_rated(self, allowed: set[str] | None, limit: int) -> list[SearchResult]:
        pool = (
            self._products.values() if allowed is None else (self._products[pid] for pid in allowed)
        )
        ranked = sorted(
            pool,
            key=lambda p: (not p.in_stock, -(p.rating or 0.0), -p.review_count, p.id),
        )
        return [SearchResult.from_product(p, p.rating or 0.0) for p in ranked[:limit]]

    def get(self, product_id: str) -> Product | None:
        """A product by id, or ``None``."""
        return self._products.get(product_id)

    def all_products(self) -> list[Product]:
        """Every product of the catalog (in stock or not), in id order."""
        return [self._products[pid] for pid in sorted(self._products)]

    def embeddings(self, ids: Sequence[str]) -> dict[str, npt.NDArray[np.float32]]:
        """The stored vectors of products (for similarity between products).

        Args:
            ids: Product ids.

        Returns:
            Vectors by id (unknown ids are absent).
        """
        return self._store.embeddings(ids)

    def similar(
        self,
        product_id: str,
        limit: int = 5,
        filters: SearchFilters | None = None,
        exclude_ids: Collection[str] = (),
    ) -> list[SearchResult]:
        """Dense neighbours of a product ("more like this"), the product itself excluded.

        Args:
            product_id: The reference product.
            limit: Maximum results.
            filters: Optional hard filters on the neighbours.
            exclude_ids: Products never returned.

        Returns:
            Results by cosine similarity; empty when the product is unknown.
        """
        if product_id not in self._products or limit <= 0:
            return []
        vector = self._store.embeddings([product_id]).get(product_id)
        if vector is None:
            return []
        allowed = self._allowed(filters, exclude_ids)
        if allowed is not None:
            allowed.discard(product_id)
            if not allowed:
                return []
        neighbours = self._store.query(
            vector, limit + 1, ids=sorted(allowed) if allowed is not None else None
        )
        return [
            SearchResult.from_product(self._products[pid], score)
            for pid, score in neighbours
            if pid in self._products and pid != product_id
        ][:limit]

    def vocabulary(self) -> dict[str, list[str]]:
        """Distinct catalog values for entity normalisation and lookup tables.

        Returns:
            Sorted lists under ``categories``, ``departments``, ``brands``, ``colours``,
            ``materials`` and ``sizes`` (sizes in first-seen order).
        """
        categories: set[str] = set()
        departments: set[str] = set()
        brands: set[str] = set()
        colours: set[str] = set()
        materials: set[str] = set()
        sizes: dict[str, None] = {}
        for product in self._products.values():
            categories.add(product.category)
            if product.department:
                departments.add(product.department)
            if product.brand:
                brands.add(product.brand)
            if product.material:
                materials.add(product.material)
            colours.update(c.lower() for c in product.colours)
            for size in product.sizes:
                sizes.setdefault(size, None)
        return {
            "categories": sorted(categories),
            "departments": sorted(departments),
            "brands": sorted(brands, key=str.lower),
            "colours": sorted(colours),
            "materials": sorted(materials),
            "sizes": list(sizes),
        }
