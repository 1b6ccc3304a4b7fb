"""Personalised re-ranking: consented boosts, then MMR diversity and one exploration slot.

Order of concerns, each one unable to undo the one before:

1. Hard filters (the shopper's category, colour, size, price, stock) already chose the
   candidates; ``hard_filter`` is applied again to candidates and to the exploration
   pool, so no boost can ever bring back a product that fails them.
2. Score = relevance (divided by the best candidate's) + boosts: brand and category
   affinity, the customer's size in stock for the product's category, price inside the
   usual band, minus a penalty for something already bought (unless consumable-like).
3. MMR (Carbonell & Goldstein 1998): pick ``argmax lambda * score - (1 - lambda) *
   max similarity to the picked ones``, over the ``pool`` best-scored candidates.
4. The last slot goes to a good product from outside the customer's usual categories.

Every result of a personalised list carries at least one ``Reason``; with empty signals
(anonymous, no consent) the candidates come back in their own order with no reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from catalog_index.schema import Product
from personalisation import reasons as codes
from personalisation.baseline import quality
from personalisation.reasons import Reason
from personalisation.signals import CustomerSignals, key
from personalisation.similarity import attribute_similarity

__all__ = [
    "Candidate",
    "Ranked",
    "Weights",
    "HardFilter",
    "Similarity",
    "personalise",
    "size_in_stock",
]

HardFilter = Callable[[Product], bool]
Similarity = Callable[[Product, Product], float]


@dataclass(frozen=True)
class Candidate:
    """A product proposed for ranking, with its relevance and (optionally) why it came."""

    product: Product
    relevance: float
    reason: Reason | None = None


@dataclass
class Ranked:
    """A ranked product, its score and the reasons shown with it (best reason first)."""

    product: Product
    score: float
    reasons: list[Reason] = field(default_factory=list)


@dataclass(frozen=True)
class Weights:
    """Boosts and knobs of the personal ranking (added to relevance in [0, 1])."""

    brand: float = 0.3
    category: float = 0.25
    size: float = 0.15
    #: The customer has a size for the category, but it is not in stock.
    size_missing: float = -0.1
    price_band: float = 0.1
    #: Already bought and not consumable-like.
    bought: float = -0.5
    #: Already bought and consumable-like (bought again).
    buy_again: float = 0.05
    #: Added to ``bought`` per unit of the customer's repeat rate (a customer who
    #: re-buys a fifth of their lines gets ``bought + rebuy / 5``).
    rebuy: float = 2.0
    #: Times how far (relative, capped at 1) the price is outside the price band.
    price_outside: float = -0.2
    #: Times (1 - gender fit): a product made for someone the customer never buys for.
    gender: float = -0.6
    #: Affinity from which a brand or category is named as a reason.
    reason_affinity: float = 0.5
    consumable_categories: frozenset[str] = frozenset({"socks"})
    #: Candidates (best scored) that MMR chooses from.
    pool: int = 200
    #: Lists shorter than this get no exploration slot.
    explore_min_limit: int = 3


DEFAULT_WEIGHTS = Weights()


def size_in_stock(product: Product, size: str) -> bool:
    """Whether a product has the size in stock (on a variant when it has variants).

    Args:
        product: The product.
        size: The size.

    Returns:
        True when a unit of that size is in stock.
    """
    wanted = key(size)
    if product.variants:
        return any(key(v.size) == wanted and v.stock > 0 for v in product.variants)
    return product.in_stock and any(key(s) == wanted for s in product.sizes)


def _boosts(
    product: Product, signals: CustomerSignals, weights: Weights
) -> tuple[float, list[tuple[float, Reason]]]:
    """Total boost of a product and the reasons, each with its contribution."""
    total = 0.0
    found: list[tuple[float, Reason]] = []
    brand = signals.brand(product.brand) if product.brand else 0.0
    if brand > 0:
        total += weights.brand * brand
        if brand >= weights.reason_affinity or key(product.brand) in signals.favourite_brands:
            found.append(
                (weights.brand * brand, Reason.of(codes.FAVOURITE_BRAND, brand=product.brand))
            )
    category = signals.category(product.category)
    if category > 0:
        total += weights.category * category
        if (
            category >= weights.reason_affinity
            or key(product.category) in signals.favourite_categories
        ):
            found.append(
                (
                    weights.category * category,
                    Reason.of(codes.FAVOURITE_CATEGORY, category=product.category),
                )
            )
    size = signals.size_for(product.category)
    if size is not None and (product.variants or product.sizes):
        if size_in_stock(product, size):
            total += weights.size
            found.append((weights.size, Reason.of(codes.USUAL_SIZE, size=size)))
        else:
            total += weights.size_missing
    if signals.price_band is not None:
        if signals.price_band.contains(product.price):
            total += weights.price_band
            found.append((weights.price_band, Reason.of(codes.PRICE_BAND)))
        else:
            total += weights.price_outside * signals.price_band.distance(product.price)
    if product.gender:
        total += weights.gender * (1.0 - signals.gender_fit(product.gender))
    if product.id in signals.purchased:
        title = signals.titles.get(product.id) or product.title
        if key(product.category) in weights.consumable_categories:
            total += weights.buy_again
            found.append((1.0, Reason.of(codes.BUY_AGAIN, title=title)))
        else:
            total += weights.bought + weights.rebuy * signals.repeat_rate
            if signals.repeat_rate > 0:
                found.append((1.0, Reason.of(codes.BUY_AGAIN, title=title)))
    found.sort(key=lambda pair: pair[0], reverse=True)
    return total, found


def _scaled(values: Sequence[float]) -> list[float]:
    """Relevance brought to [0, 1]: divided by the best (min-max when some are negative)."""
    if not values:
        return []
    low, high = min(values), max(values)
    if low >= 0:
        return [v / high if high > 0 else 1.0 for v in values]
    return [(v - low) / (high - low) for v in values]


def _mmr(
    scored: list[tuple[float, Product]], limit: int, similarity: Similarity, lambda_: float
) -> list[int]:
    """Indices of ``scored`` chosen by maximal marginal relevance (on the raw scores)."""
    scores = [s for s, _ in scored]
    chosen: list[int] = []
    closest = [0.0] * len(scored)
    remaining = set(range(len(scored)))
    while remaining and len(chosen) < limit:
        best = max(
            remaining,
            key=lambda i: (lambda_ * scores[i] - (1 - lambda_) * closest[i], scores[i], -i),
        )
        chosen.append(best)
        remaining.discard(best)
        picked = scored[best][1]
        for i in remaining:
            sim = similarity(scored[i][1], picked)
            if sim > closest[i]:
                closest[i] = sim
    return chosen


def _explore(
    pool: Sequence[Candidate],
    signals: CustomerSignals,
    taken: set[str],
    hard_filter: HardFilter | None,
) -> Candidate | None:
    """The best product of the pool outside the usual categories (passing the filter)."""
    usual = signals.usual_categories
    best: Candidate | None = None
    for candidate in pool:
        product = candidate.product
        if (
            product.id in taken
            or product.id in signals.purchased
            or not product.in_stock
            or key(product.category) in usual
            or (hard_filter is not None and not hard_filter(product))
        ):
            continue
        if best is None or (candidate.relevance, quality(product)) > (
            best.relevance,
            quality(best.product),
        ):
            best = candidate
    return best


def personalise(
    candidates: Sequence[Candidate],
    signals: CustomerSignals,
    *,
    limit: int,
    hard_filter: HardFilter | None = None,
    explore_pool: Sequence[Candidate] | None = None,
    lambda_: float = 0.7,
    similarity: Similarity | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[Ranked]:
    """Re-rank search candidates for one customer.

    Args:
        candidates: Products that passed the hard filters, with relevance (best first).
        signals: The customer's consented signals (empty = anonymous / no consent).
        limit: How many results.
        hard_filter: The shopper's hard filter; applied again to candidates and to
            the exploration pool (a boost never re-admits a filtered product).
        explore_pool: Where the exploration slot is looked for (default: the
            candidates); ``relevance`` ranks it.
        lambda_: MMR trade-off (1 = score only, 0 = diversity only).
        similarity: Product similarity for MMR (default: attribute similarity; pass a
            ``ContentSimilarity`` for embeddings).
        weights: Boost weights and knobs.

    Returns:
        Up to ``limit`` results; each carries at least one reason unless the signals
        are empty, in which case the candidates' own order is kept and no reasons given.
    """
    allowed = [c for c in candidates if hard_filter is None or hard_filter(c.product)]
    if limit <= 0 or not allowed:
        return []
    if signals.is_empty:
        return [Ranked(c.product, c.relevance) for c in allowed[:limit]]
    relevance = _scaled([c.relevance for c in allowed])
    scored: list[tuple[float, Candidate, list[Reason]]] = []
    for candidate, rel in zip(allowed, relevance, strict=True):
        boost, found = _boosts(candidate.product, signals, weights)
        reasons = [reason for _, reason in found]
        if candidate.reason is not None:
            reasons.insert(0, candidate.reason)
        scored.append((rel + boost, candidate, reasons))
    scored.sort(key=lambda item: item[0], reverse=True)
    pool = scored[: max(weights.pool, limit)]
    picks = _mmr(
        [(score, candidate.product) for score, candidate, _ in pool],
        limit,
        similarity or attribute_similarity,
        lambda_,
    )
    results = [
        Ranked(pool[i][1].product, pool[i][0], pool[i][2] or [_fallback(pool[i][1].product)])
        for i in picks
    ]
    if limit >= weights.explore_min_limit and signals.usual_categories:
        kept = results[: limit - 1]
        explore = _explore(
            allowed if explore_pool is None else explore_pool,
            signals,
            {r.product.id for r in kept},
            hard_filter,
        )
        if explore is not None:
            product = explore.product
            _, extra = _boosts(product, signals, weights)
            reasons = [Reason.of(codes.EXPLORE, category=product.category)]
            reasons += [r for _, r in extra if r.code != codes.FAVOURITE_CATEGORY]
            score = min((r.score for r in kept), default=0.0)
            results = [*kept, Ranked(product, score, reasons)]
    return results


def _fallback(product: Product) -> Reason:
    """The reason of a product no personal boost applies to."""
    return Reason.of(codes.POPULAR_IN, category=product.category)
