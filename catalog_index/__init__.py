"""Catalog loading, embeddings, the chroma index and hybrid product search.

Nothing here imports Rasa; nothing is created at import time. Typical use::

    from catalog_index.settings import Settings
    from catalog_index.search import CatalogSearch

    search = CatalogSearch.from_settings(Settings.from_env())
    results = search.search("waterproof hiking boots", SearchFilters(max_price=150))
"""

from __future__ import annotations

from catalog_index.errors import CatalogError, RowError
from catalog_index.schema import Product, ProductCard, Variant

__all__ = ["CatalogError", "Product", "ProductCard", "RowError", "Variant"]
