"""The non-personal ranking the assistant shows anonymous shoppers (actions/recommend.py).

``quality`` and ``popularity`` are the same formulas as ``actions.recommend``; ``popular``
is its best-seller path: the best-rated in-stock products, ordered by popularity and
spread over categories round-robin.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Sequence

from catalog_index.schema import Product

__all__ = ["quality", "popularity", "round_robin", "popular", "BEST_RATED_POOL"]

#: Prior for the rating average: this many reviews at ``PRIOR_RATING`` stars.
PRIOR_REVIEWS = 20
PRIOR_RATING = 3.5
#: Best-rated products considered by the best-seller list (actions.recommend: POOL * 5).
BEST_RATED_POOL = 200


def quality(product: Product) -> float:
    """Rating shrunk towards a prior by review count (few reviews count less).

    Args:
        product: The product.

    Returns:
        The Bayesian average rating (0-5).
    """
    rating = product.rating or 0.0
    reviews = product.review_count
    return (rating * reviews + PRIOR_RATING * PRIOR_REVIEWS) / (reviews + PRIOR_REVIEWS)


def popularity(product: Product) -> float:
    """Best-seller score: rating times (log) review count.

    Args:
        product: The product.

    Returns:
        The score.
    """
    return (product.rating or 0.0) * math.log1p(product.review_count)


def round_robin(
    products: Sequence[Product], group: Callable[[Product], Hashable], limit: int
) -> list[Product]:
    """One product per group per round, keeping each group's order.

    Args:
        products: Ranked products.
        group: The group of a product (brand, category).
        limit: How many to keep.

    Returns:
        Up to ``limit`` products.
    """
    groups: dict[Hashable, list[Product]] = {}
    for product in products:
        groups.setdefault(group(product), []).append(product)
    chosen: list[Product] = []
    while len(chosen) < limit and any(groups.values()):
        for members in groups.values():
            if members and len(chosen) < limit:
                chosen.append(members.pop(0))
    return chosen


def popular(
    catalog_products: Iterable[Product],
    limit: int,
    *,
    hard_filter: Callable[[Product], bool] | None = None,
) -> list[Product]:
    """Best sellers: what an anonymous shopper gets for "recommend something".

    Args:
        catalog_products: The catalog.
        limit: How many.
        hard_filter: Products failing it are never returned.

    Returns:
        Up to ``limit`` in-stock products, one category per round.
    """
    allowed = [
        p for p in catalog_products if p.in_stock and (hard_filter is None or hard_filter(p))
    ]
    best_rated = sorted(allowed, key=lambda p: (-(p.rating or 0.0), -p.review_count, p.id))
    ranked = sorted(best_rated[:BEST_RATED_POOL], key=popularity, reverse=True)
    return round_robin(ranked, lambda p: p.category, limit)
