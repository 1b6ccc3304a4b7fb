"""Fusion of dense (cosine) and lexical (BM25) result lists.

Scores are put on a common scale per query and combined linearly:
``dense_weight * dense_norm + (1 - dense_weight) * lexical_norm``. Dense cosine
similarities are min-max normalised over the candidate list; BM25 scores are
divided by the query's best BM25 score (so a weak lexical match stays weak).
A product missing from one list gets that list's floor (0).
"""

from __future__ import annotations

__all__ = ["fuse", "DEFAULT_DENSE_WEIGHT"]

#: Weight of the dense score in the fused score (lexical gets the rest). Chosen on the
#: development queries of both relevance sets (see bench/RESULTS.md): CrowdFlower
#: nDCG@10 is flat for 0.3-0.5 (0.843-0.845), Home Depot, where MiniLM is much weaker
#: than BM25, falls from 0.428 at 0.3 to 0.396 at 0.5.
DEFAULT_DENSE_WEIGHT = 0.3


def _minmax(results: list[tuple[str, float]]) -> dict[str, float]:
    if not results:
        return {}
    values = [score for _, score in results]
    low, high = min(values), max(values)
    span = high - low
    if span <= 0:
        return {product_id: 1.0 for product_id, _ in results}
    return {product_id: (score - low) / span for product_id, score in results}


def _by_max(results: list[tuple[str, float]]) -> dict[str, float]:
    if not results:
        return {}
    high = max(score for _, score in results)
    if high <= 0:
        return {product_id: 0.0 for product_id, _ in results}
    return {product_id: max(score, 0.0) / high for product_id, score in results}


def fuse(
    dense: list[tuple[str, float]],
    lexical: list[tuple[str, float]],
    limit: int,
    *,
    dense_weight: float = DEFAULT_DENSE_WEIGHT,
) -> list[tuple[str, float]]:
    """Merge dense and lexical results into one ranking.

    Args:
        dense: ``(product_id, cosine_similarity)`` pairs from the dense index.
        lexical: ``(product_id, bm25_score)`` pairs from the lexical index.
        limit: How many fused results to return at most.
        dense_weight: Weight of the dense score, between 0 and 1.

    Returns:
        ``(product_id, fused_score)`` pairs, score descending (ties by product id).
    """
    if limit <= 0:
        return []
    dense_norm = _minmax(dense)
    lexical_norm = _by_max(lexical)
    fused: dict[str, float] = {}
    for product_id in dense_norm.keys() | lexical_norm.keys():
        fused[product_id] = dense_weight * dense_norm.get(product_id, 0.0) + (
            1.0 - dense_weight
        ) * lexical_norm.get(product_id, 0.0)
    ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:limit]
