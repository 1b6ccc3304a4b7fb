"""Recommendations with no query ("recommend me something"): from profile and history.

Candidates are every in-stock catalog product that passes the hard filter and was not
bought before (bought products stay candidates for a customer who buys products again,
``CustomerSignals.repeat_rate`` > 0; ``personalise`` weighs them by that rate). Their
relevance mixes three sources:

- content: the closest of the customer's purchases (embedding cosine, or attributes),
  weighted by the purchase's recency;
- co-purchase: item-item cosine over all customers' baskets
  (``count(a, b) / sqrt(count(a) * count(b))``), summed over the customer's purchases;
- quality: the Bayesian average rating (a weak prior, so ties go to good products).

Brand, category, size and price affinities are then added by ``personalise`` as boosts,
followed by MMR and the exploration slot. With empty signals (anonymous, no consent)
the answer is ``popular``: the list anonymous shoppers get today.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from catalog_index.schema import Product
from personalisation import reasons as codes
from personalisation.baseline import popular, popularity, quality
from personalisation.ranking import (
    DEFAULT_WEIGHTS,
    Candidate,
    HardFilter,
    Ranked,
    Weights,
    personalise,
)
from personalisation.reasons import Reason
from personalisation.signals import CustomerSignals
from personalisation.similarity import ContentSimilarity

__all__ = ["CoPurchase", "Sources", "recommend", "popular", "RECOMMEND_LAMBDA"]


class CoPurchase:
    """Co-purchase counts over baskets (one basket = the products of one order)."""

    def __init__(self, item_counts: Mapping[str, int], pair_counts: Mapping[str, Counter[str]]):
        """Keep the counts (use ``from_baskets``).

        Args:
            item_counts: Baskets each product is in.
            pair_counts: Product -> other product -> baskets with both.
        """
        self.item_counts = dict(item_counts)
        self.pair_counts = dict(pair_counts)

    @classmethod
    def from_baskets(cls, baskets: Iterable[Iterable[str]]) -> CoPurchase:
        """Count products and pairs of products bought together.

        Args:
            baskets: Product ids per basket (duplicates in a basket count once).

        Returns:
            The counts.
        """
        items: Counter[str] = Counter()
        pairs: dict[str, Counter[str]] = {}
        for basket in baskets:
            distinct = sorted(set(basket))
            items.update(distinct)
            for i, a in enumerate(distinct):
                for b in distinct[i + 1 :]:
                    pairs.setdefault(a, Counter())[b] += 1
                    pairs.setdefault(b, Counter())[a] += 1
        return cls(items, pairs)

    def count(self, a: str, b: str) -> int:
        """Baskets holding both products."""
        return self.pair_counts.get(a, Counter()).get(b, 0)

    def score(self, a: str, b: str) -> float:
        """Item-item cosine of two products in [0, 1] (0 when never bought together)."""
        together = self.count(a, b)
        if together == 0:
            return 0.0
        return together / math.sqrt(self.item_counts[a] * self.item_counts[b])

    def neighbours(self, product_id: str) -> dict[str, float]:
        """Products bought with ``product_id`` and their cosine.

        Args:
            product_id: The product.

        Returns:
            Other product id -> cosine.
        """
        return {
            other: self.score(product_id, other) for other in self.pair_counts.get(product_id, {})
        }


@dataclass(frozen=True)
class Sources:
    """Weights of the candidate sources and the reason thresholds."""

    content: float = 0.5
    copurchase: float = 0.3
    quality: float = 0.2
    #: Purchases used as seeds (most weighted first).
    seeds: int = 20
    #: Similarity from which "like <purchase>" is given as the reason.
    similar_reason: float = 0.6


DEFAULT_SOURCES = Sources()
#: MMR trade-off of query-less recommendations: more diverse than search re-ranking, as
#: a "recommend me something" list must stay as varied as the best sellers it replaces
#: (the largest of 0.7, 0.6, ..., 0.2 keeping intra-list diversity within 5% of theirs
#: in bench/personalisation; a choice that does not look at the held-out purchases).
RECOMMEND_LAMBDA = 0.3


def recommend(
    signals: CustomerSignals,
    catalog_products: Iterable[Product],
    *,
    copurchase: CoPurchase,
    content: ContentSimilarity,
    limit: int = 10,
    hard_filter: HardFilter | None = None,
    lambda_: float = RECOMMEND_LAMBDA,
    weights: Weights = DEFAULT_WEIGHTS,
    sources: Sources = DEFAULT_SOURCES,
) -> list[Ranked]:
    """Recommend products to one customer without a query.

    Args:
        signals: The customer's consented signals.
        catalog_products: The catalog.
        copurchase: Co-purchase counts of all customers' baskets.
        content: Product similarity (embeddings or attributes).
        limit: How many.
        hard_filter: The shopper's hard filter (never overridden).
        lambda_: MMR trade-off (``RECOMMEND_LAMBDA``).
        weights: Boosts of ``personalise``.
        sources: Weights of the candidate sources.

    Returns:
        Up to ``limit`` results, each with reasons; ``popular`` (no reasons) when the
        signals are empty.
    """
    products = list(catalog_products)
    if signals.is_empty:
        return [Ranked(p, popularity(p)) for p in popular(products, limit, hard_filter=hard_filter)]
    allowed = [
        p
        for p in products
        if p.in_stock
        and (p.id not in signals.purchased or signals.repeat_rate > 0)
        and (hard_filter is None or hard_filter(p))
    ]
    if not allowed or limit <= 0:
        return []
    by_id = {p.id: p for p in products}
    seeds = _seeds(signals, by_id, sources.seeds)
    similar, similar_to = _content_scores(allowed, seeds, content)
    bought, bought_with = _copurchase_scores(allowed, seeds, copurchase)
    top_bought = max(bought, default=0.0)
    candidates: list[Candidate] = []
    for i, product in enumerate(allowed):
        from_content = sources.content * similar[i]
        from_baskets = sources.copurchase * (bought[i] / top_bought if top_bought > 0 else 0.0)
        relevance = from_content + from_baskets + sources.quality * quality(product) / 5.0
        reason: Reason | None = None
        if product.id in signals.purchased:
            pass  # bought before: ``personalise`` gives "to buy again" as its reason
        elif from_baskets > 0 and from_baskets >= from_content and bought_with[i] is not None:
            reason = Reason.of(codes.BOUGHT_TOGETHER, title=_title(bought_with[i], signals))
        elif similar[i] >= sources.similar_reason and similar_to[i] is not None:
            reason = Reason.of(codes.SIMILAR_TO_PURCHASE, title=_title(similar_to[i], signals))
        candidates.append(Candidate(product, relevance, reason))
    return personalise(
        candidates,
        signals,
        limit=limit,
        hard_filter=hard_filter,
        explore_pool=[Candidate(p, quality(p)) for p in allowed],
        lambda_=lambda_,
        similarity=content,
        weights=weights,
    )


def _seeds(
    signals: CustomerSignals, by_id: Mapping[str, Product], count: int
) -> list[tuple[Product, float]]:
    """The customer's purchases known to the catalog, with weights scaled to (0, 1]."""
    weighted = sorted(
        ((pid, w) for pid, w in signals.purchase_weights.items() if w > 0 and pid in by_id),
        key=lambda pair: (-pair[1], pair[0]),
    )[:count]
    top = max((w for _, w in weighted), default=0.0)
    return [(by_id[pid], w / top) for pid, w in weighted] if top > 0 else []


def _content_scores(
    allowed: Sequence[Product],
    seeds: Sequence[tuple[Product, float]],
    content: ContentSimilarity,
) -> tuple[list[float], list[Product | None]]:
    """Best recency-weighted similarity to a purchase, and that purchase."""
    best = [0.0] * len(allowed)
    source: list[Product | None] = [None] * len(allowed)
    for seed, weight in seeds:
        for i, sim in enumerate(content.to_many(seed, allowed)):
            if weight * sim > best[i]:
                best[i] = weight * sim
                source[i] = seed
    return best, source


def _copurchase_scores(
    allowed: Sequence[Product],
    seeds: Sequence[tuple[Product, float]],
    copurchase: CoPurchase,
) -> tuple[list[float], list[Product | None]]:
    """Recency-weighted co-purchase cosine summed over purchases, and the strongest one."""
    index = {p.id: i for i, p in enumerate(allowed)}
    total = [0.0] * len(allowed)
    strongest = [0.0] * len(allowed)
    source: list[Product | None] = [None] * len(allowed)
    for seed, weight in seeds:
        for other, cosine in copurchase.neighbours(seed.id).items():
            i = index.get(other)
            if i is None:
                continue
            total[i] += weight * cosine
            if weight * cosine > strongest[i]:
                strongest[i] = weight * cosine
                source[i] = seed
    return total, source


def _title(product: Product | None, signals: CustomerSignals) -> str:
    if product is None:
        return ""
    return signals.titles.get(product.id) or product.title
