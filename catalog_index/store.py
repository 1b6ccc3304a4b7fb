"""Access to the chroma collection that holds the product embeddings.

Metadata per product is scalar or a list of scalars (chroma 1.x supports string
arrays with ``$contains``): ``category``, ``brand``, ``material``, ``department``,
``price``, ``rating``, ``in_stock``, ``colours``, ``sizes`` (lower-cased), plus the
``content_hash`` used for incremental builds. Search applies hard filters exactly on
the in-memory product table and restricts the dense query to the allowed ids, so the
metadata here serves other readers (and ``where`` queries) rather than correctness.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlparse

import numpy as np
import numpy.typing as npt

from catalog_index.schema import Product

__all__ = ["ProductStore", "connect", "product_metadata", "Where"]

Where = dict[str, Any]
_UPSERT_BATCH = 1000


def connect(chroma_path: str | None = None, chroma_url: str | None = None) -> Any:
    """Create a chroma client: HttpClient for a URL, else PersistentClient on disk.

    Args:
        chroma_path: Folder of the embedded database.
        chroma_url: ``http(s)://host:port`` of a chroma server (wins when set).

    Returns:
        A chroma ``ClientAPI``.
    """
    import chromadb

    if chroma_url:
        url = urlparse(chroma_url)
        ssl = url.scheme == "https"
        return chromadb.HttpClient(
            host=url.hostname or "localhost", port=url.port or (443 if ssl else 8000), ssl=ssl
        )
    if chroma_path is None:
        raise ValueError("either chroma_path or chroma_url is required")
    return chromadb.PersistentClient(path=str(chroma_path))


def product_metadata(product: Product, content_hash: str) -> dict[str, Any]:
    """Filterable metadata of a product (scalars and string lists only).

    Args:
        product: The product.
        content_hash: Its content hash.

    Returns:
        The metadata mapping.
    """
    meta: dict[str, Any] = {
        "content_hash": content_hash,
        "title": product.title,
        "category": product.category.lower(),
        "price": float(product.price),
        "in_stock": product.in_stock,
    }
    for name in ("brand", "material", "department", "gender"):
        value = getattr(product, name)
        if value:
            meta[name] = value.lower()
    if product.rating is not None:
        meta["rating"] = float(product.rating)
    if product.colours:
        meta["colours"] = [c.lower() for c in product.colours]
    if product.sizes:
        meta["sizes"] = [s.lower() for s in product.sizes]
    return meta


class ProductStore:
    """One chroma collection of product vectors (cosine space, no embedding function)."""

    def __init__(self, client: Any, collection: str) -> None:
        """Open (or create) the collection.

        Args:
            client: A chroma client (see ``connect``).
            collection: Collection name (3-512 chars of ``[a-zA-Z0-9._-]``).
        """
        self.client = client
        self.name = collection
        self._collection = client.get_or_create_collection(
            collection,
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=None,
        )

    def count(self) -> int:
        """Number of stored products."""
        return int(self._collection.count())

    def hashes(self) -> dict[str, str]:
        """Content hash of every stored product, by id."""
        out: dict[str, str] = {}
        total = self.count()
        page = 5000
        for offset in range(0, total, page):
            got = self._collection.get(include=["metadatas"], limit=page, offset=offset)
            for product_id, meta in zip(got["ids"], got["metadatas"] or [], strict=False):
                out[product_id] = str((meta or {}).get("content_hash", ""))
        return out

    def upsert(
        self,
        ids: Sequence[str],
        embeddings: npt.NDArray[np.float32],
        metadatas: Sequence[Mapping[str, Any]],
        documents: Sequence[str] | None = None,
    ) -> None:
        """Insert or replace products.

        Args:
            ids: Product ids.
            embeddings: One unit vector per id.
            metadatas: One metadata mapping per id.
            documents: Optional texts stored alongside.
        """
        for start in range(0, len(ids), _UPSERT_BATCH):
            end = start + _UPSERT_BATCH
            self._collection.upsert(
                ids=list(ids[start:end]),
                embeddings=embeddings[start:end],
                metadatas=[dict(m) for m in metadatas[start:end]],
                documents=None if documents is None else list(documents[start:end]),
            )

    def delete(self, ids: Iterable[str]) -> None:
        """Remove products by id (unknown ids are ignored).

        Args:
            ids: Product ids.
        """
        id_list = list(ids)
        for start in range(0, len(id_list), _UPSERT_BATCH):
            self._collection.delete(ids=id_list[start : start + _UPSERT_BATCH])

    def embeddings(self, ids: Sequence[str]) -> dict[str, npt.NDArray[np.float32]]:
        """Stored vectors of the given products.

        Args:
            ids: Product ids.

        Returns:
            Vectors by id (missing ids are absent).
        """
        if not ids:
            return {}
        got = self._collection.get(ids=list(ids), include=["embeddings"])
        vectors = got["embeddings"]
        if vectors is None:
            return {}
        return {
            product_id: np.asarray(vector, dtype=np.float32)
            for product_id, vector in zip(got["ids"], vectors, strict=False)
        }

    def query(
        self,
        embedding: npt.NDArray[np.float32],
        k: int,
        *,
        where: Where | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[tuple[str, float]]:
        """Nearest products to a vector.

        Args:
            embedding: A unit query vector.
            k: How many neighbours at most.
            where: A chroma metadata filter (e.g. ``{"colours": {"$contains": "red"}}``).
            ids: Restrict the search to these product ids.

        Returns:
            ``(product_id, cosine_similarity)`` pairs, best first.
        """
        if k <= 0 or (ids is not None and not ids):
            return []
        total = self.count()
        if total == 0:
            return []
        n_results = min(k, total if ids is None else len(ids))
        result = self._collection.query(
            query_embeddings=[embedding],
            n_results=n_results,
            where=where or None,
            ids=list(ids) if ids is not None else None,
            include=["distances"],
        )
        found_ids = result["ids"][0]
        distances = (result["distances"] or [[]])[0]
        return [(pid, 1.0 - float(d)) for pid, d in zip(found_ids, distances, strict=False)]
