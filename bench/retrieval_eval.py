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

    search = CatalogSearch.from_settings(settings, embedder=embedder)
    manifest = read_manifest(settings.index_dir)
    assert manifest is not None
    lexical = LexicalIndex.load(settings.index_dir / manifest.generation / LEXICAL_DIR)
    store = open_store(settings)

    queries = judgments.queries
    runs: dict[str, dict[str, list[str]]] = {"bm25": {}, "dense": {}, "fused": {}}
    latency: dict[str, list[float]] = {"bm25": [], "dense": [], "fused": []}
    for query in queries:
        t0 = time.perf_counter()
        runs["fused"][query] = [r.id for r in search.search(query, limit=DEPTH)]
        t1 = time.perf_counter()
        runs["bm25"][query] = [pid for pid, _ in lexical.search(query, DEPTH)]
        t2 = time.perf_counter()
        vector = embedder.encode_one(" ".join(query.split()).lower())
        runs["dense"][query] = [pid for pid, _ in store.query(vector, DEPTH)]
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
            ["latency", "per query, sequential, cold query-vector cache"],
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
