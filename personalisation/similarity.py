"""Product-to-product similarity in [0, 1]: embedding cosine when known, else attributes.

The catalog index stores one unit vector per product (the chroma collection);
``ProductStore.embeddings(ids)`` reads them once, and ``ContentSimilarity`` keeps them
in one matrix. Products without a vector are compared on brand, category, department
and tags.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from catalog_index.schema import Product
from personalisation.signals import key

__all__ = ["ContentSimilarity", "attribute_similarity"]

Vector = npt.NDArray[np.float32]

_CATEGORY = 0.4
_BRAND = 0.3
_DEPARTMENT = 0.1
_TAGS = 0.2


def attribute_similarity(a: Product, b: Product) -> float:
    """Similarity from shared category, brand, department and tags.

    Args:
        a: One product.
        b: The other.

    Returns:
        A value in [0, 1]; 1 for the same category, brand, department and tags.
    """
    score = 0.0
    if key(a.category) == key(b.category):
        score += _CATEGORY
    if a.brand and key(a.brand) == key(b.brand):
        score += _BRAND
    if a.department and key(a.department) == key(b.department):
        score += _DEPARTMENT
    tags_a = {key(t) for t in a.tags}
    tags_b = {key(t) for t in b.tags}
    if tags_a or tags_b:
        score += _TAGS * len(tags_a & tags_b) / len(tags_a | tags_b)
    elif key(a.category) == key(b.category):
        score += _TAGS
    return score


class ContentSimilarity:
    """Similarity of products: cosine of their embeddings, else attribute similarity."""

    def __init__(self, embeddings: Mapping[str, Vector] | None = None) -> None:
        """Keep the product vectors (normalised to unit length).

        Args:
            embeddings: Product id -> vector (e.g. from ``ProductStore.embeddings``);
                ``None`` or empty = attributes only.
        """
        self._row: dict[str, int] = {}
        rows: list[Vector] = []
        for product_id, vector in (embeddings or {}).items():
            array = np.asarray(vector, dtype=np.float32).ravel()
            norm = float(np.linalg.norm(array))
            if norm > 0:
                self._row[product_id] = len(rows)
                rows.append(array / norm)
        self._matrix: Vector = (
            np.vstack(rows).astype(np.float32) if rows else np.zeros((0, 0), dtype=np.float32)
        )

    @property
    def uses_embeddings(self) -> bool:
        """Whether any product vector is known."""
        return bool(self._row)

    def __call__(self, a: Product, b: Product) -> float:
        """Similarity of two products in [0, 1].

        Args:
            a: One product.
            b: The other.

        Returns:
            Cosine (clipped at 0) when both have vectors, else attribute similarity.
        """
        if a.id == b.id:
            return 1.0
        row_a, row_b = self._row.get(a.id), self._row.get(b.id)
        if row_a is None or row_b is None:
            return attribute_similarity(a, b)
        cosine = float(self._matrix[row_a] @ self._matrix[row_b])
        return min(max(cosine, 0.0), 1.0)

    def to_many(self, product: Product, others: Sequence[Product]) -> list[float]:
        """Similarity of one product to many (vectorised when vectors are known).

        Args:
            product: The reference product.
            others: The products to compare with.

        Returns:
            One similarity per product of ``others``.
        """
        row = self._row.get(product.id)
        if row is None:
            return [self(product, other) for other in others]
        rows = [self._row.get(other.id) for other in others]
        known = [r for r in rows if r is not None]
        cosines = self._matrix[known] @ self._matrix[row] if known else np.zeros(0)
        out: list[float] = []
        position = 0
        for other, other_row in zip(others, rows, strict=True):
            if other.id == product.id:
                out.append(1.0)
                if other_row is not None:
                    position += 1
            elif other_row is None:
                out.append(attribute_similarity(product, other))
            else:
                out.append(min(max(float(cosines[position]), 0.0), 1.0))
                position += 1
        return out
