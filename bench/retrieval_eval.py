"""Retrieval benchmark: BM25 only, dense only and the fused CatalogSearch on judged queries.

Run through ``bench/retrieval``. The index is built with the project's own build path
(``catalog_index.index.build_index``: catalog loader + mapping, chroma PersistentClient,
LexicalIndex); ``--index-dir`` keeps it between runs (the build is incremental, so a
second run embeds nothing).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402
    ROOT,
    evaluate,
    load_judgments,
    machine,
    model_label,
    percentile,
    print_table,
    split_halves,
    write_json,
)

DEPTH = 50  # results kept per query (recall@50)


def _query_key(query: str) -> str:
    """The text CatalogSearch embeds for a query (whitespace-normalised, lower case)."""
    return " ".join(query.split()).lower()


def _mapping_for(products: Path) -> Path | None:
    name = products.name.lower()
    for key in ("crowdflower", "homedepot"):
        if key in name:
            return ROOT / "catalog" / "mappings" / f"{key}.yml"
    return None


def main() -> int:
    """Run the benchmark; return the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=Path, required=True)
    parser.add_argument("--judgments", type=Path, required=True)
    parser.add_argument("--mapping", type=Path, default=None)
    parser.add_argument("--latency-queries", type=int, default=200, help="queries timed one by one")
    parser.add_argument("--index-dir", type=Path, default=None, help="keep/reuse the index here")
    args = parser.parse_args()

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    from catalog_index.embeddings import Embedder
    from catalog_index.index import LEXICAL_DIR, build_index, open_store, read_manifest
    from catalog_index.lexical import LexicalIndex
    from catalog_index.search import CatalogSearch
    from catalog_index.settings import Settings

    class _PrecomputedEmbedder(Embedder):
        """Serves batch-encoded query vectors; falls back to the model."""

        def __init__(self, inner: Embedder, vectors: dict[str, Any]) -> None:
            super().__init__(inner._model, inner.name)  # noqa: SLF001
            self._vectors = vectors

        def encode_one(self, text: str) -> Any:
            vector = self._vectors.get(text)
            return vector if vector is not None else super().encode_one(text)

    mapping = args.mapping or _mapping_for(args.products)
    judgments = load_judgments(args.judgments)
    tmp = None
    if args.index_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-retrieval-")
        work = Path(tmp.name)
    else:
        work = args.index_dir
        work.mkdir(parents=True, exist_ok=True)
    settings = Settings.from_env({}).with_overrides(
        chroma_path=work / "chroma",
        index_dir=work / "index",
        collection="bench",
        catalog_file=args.products,
        catalog_mapping=mapping,
    )
    embedder = Embedder.from_settings(settings)
    started = time.perf_counter()
    report = build_index(
        settings, catalog=args.products, mapping=mapping, embedder=embedder, progress=False
    )
    build_seconds = time.perf_counter() - started

    manifest = read_manifest(settings.index_dir)
    assert manifest is not None
    lexical = LexicalIndex.load(settings.index_dir / manifest.generation / LEXICAL_DIR)
    store = open_store(settings)
    queries = judgments.queries

    # Quality: every judged query, end to end through CatalogSearch.search. The query
    # vectors are encoded in one batch first (same model, same normalised text as
    # CatalogSearch uses) so thousands of queries do not pay one forward pass each.
    texts = [_query_key(q) for q in queries]
    table = dict(zip(texts, embedder.encode(texts), strict=True))
    quality_search = CatalogSearch.from_settings(
        settings, embedder=_PrecomputedEmbedder(embedder, table)
    )
    runs: dict[str, dict[str, list[str]]] = {"bm25": {}, "dense": {}, "fused": {}}
    for query in queries:
        runs["fused"][query] = [r.id for r in quality_search.search(query, limit=DEPTH)]
        runs["bm25"][query] = [pid for pid, _ in lexical.search(query, DEPTH)]
        runs["dense"][query] = [pid for pid, _ in store.query(table[_query_key(query)], DEPTH)]

    # Latency: a sample of queries, one at a time, real query encoding, cold cache.
    search = CatalogSearch.from_settings(settings, embedder=embedder)
    latency: dict[str, list[float]] = {"bm25": [], "dense": [], "fused": []}
    timed = queries[: args.latency_queries]
    for query in timed:
        t0 = time.perf_counter()
        search.search(query, limit=10)
        t1 = time.perf_counter()
        lexical.search(query, 10)
        t2 = time.perf_counter()
        store.query(embedder.encode_one(_query_key(query)), 10)
        t3 = time.perf_counter()
        latency["fused"].append((t1 - t0) * 1000)
        latency["bm25"].append((t2 - t1) * 1000)
        latency["dense"].append((t3 - t2) * 1000)

    half_a, half_b = split_halves(queries)
    results: dict[str, dict[str, float]] = {}
    rows = []
    for system, label in (
        ("bm25", "BM25 only (LexicalIndex)"),
        ("dense", "dense only (chroma)"),
        ("fused", "ours: CatalogSearch.search"),
    ):
        full = evaluate(runs[system], judgments)
        a = evaluate(runs[system], judgments, half_a)["ndcg@10"]
        b = evaluate(runs[system], judgments, half_b)["ndcg@10"]
        p50 = percentile(latency[system], 50)
        p95 = percentile(latency[system], 95)
        results[system] = {
            **full,
            "ndcg@10_half_a": a,
            "ndcg@10_half_b": b,
            "latency_p50_ms": p50,
            "latency_p95_ms": p95,
        }
        rows.append(
            [
                label,
                full["ndcg@10"],
                a,
                b,
                full["mrr"],
                full["recall@50"],
                f"{p50:.1f}",
                f"{p95:.1f}",
            ]
        )

    info = machine()
    mapping_name = mapping.name if mapping else "canonical"
    judged = (
        f"{judgments.rows} rows, {len(queries)} queries, label '{judgments.label_column}', "
        f"gain = label - {judgments.lowest_label:g}"
    )
    print_table(
        "How",
        ["item", "value"],
        [
            ["machine", f"{info['cpu']}, {info['cores']} cores, GPU: {info['gpu']}"],
            ["model", model_label(settings.embedding_model)],
            [
                "products",
                f"{report.total} ({args.products.name}, mapping {mapping_name})",
            ],
            ["judgments", judged],
            ["relevant (MRR, recall)", f"gain >= {judgments.relevant_threshold:g}"],
            [
                "build",
                f"{build_seconds:.1f} s ({report.added} embedded, {report.unchanged} unchanged)",
            ],
            ["halves", f"random split of the queries (seed 13): {len(half_a)} / {len(half_b)}"],
            ["quality", "all queries via CatalogSearch.search; query vectors batch-encoded"],
            ["latency", f"first {len(timed)} queries, one by one, limit 10, cold cache"],
        ],
    )
    print_table(
        f"Retrieval on {args.products.name} (nDCG@10 over the whole catalog; unjudged = gain 0)",
        ["system", "nDCG@10", "half A", "half B", "MRR", "R@50", "p50 ms", "p95 ms"],
        rows,
    )
    stem = args.products.stem.replace("_products", "")
    path = write_json(
        f"retrieval_{stem}",
        {
            "products": str(args.products),
            "judgments": str(args.judgments),
            "mapping": str(mapping) if mapping else None,
            "machine": info,
            "model": settings.embedding_model,
            "catalog_size": report.total,
            "queries": len(queries),
            "build_seconds": build_seconds,
            "results": results,
        },
    )
    print(f"\nJSON: {path.relative_to(ROOT)}")
    if tmp is not None:
        tmp.cleanup()
    print(f"ndcg@10: {results['fused']['ndcg@10']:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
