"""Index benchmark: build throughput, search latency and RSS of the catalog index.

Run through ``bench/index``.

* Build: ``catalog_index.index.build_index`` (load + validate + embed + chroma upsert +
  lexical index + product table) on the first ``--sample`` products, timed between two
  runs of raw ``SentenceTransformer.encode`` on the same dense texts (the mean of the two
  raw runs is the reference, which evens out load from other processes).
* Search: ``CatalogSearch.search`` (query encode, chroma top-100, BM25 top-100, fusion)
  against raw query encode + raw chroma ``collection.query`` top-10, on the full catalog,
  distinct queries (cold query-vector cache), interleaved.
* RSS: a fresh process loads the full index (``CatalogSearch.from_settings``, model
  included), runs 20 queries and reports VmRSS and ru_maxrss.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402
    ROOT,
    machine,
    model_label,
    percentile,
    print_table,
    rss_mb,
    write_json,
)

WARMUP = 5


def _env() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def _mapping_for(products: Path) -> Path | None:
    name = products.name.lower()
    for key in ("crowdflower", "homedepot"):
        if key in name:
            return ROOT / "catalog" / "mappings" / f"{key}.yml"
    return None


def _settings(work: Path, products: Path, mapping: Path | None):  # type: ignore[no-untyped-def]
    from catalog_index.settings import Settings

    return Settings.from_env({}).with_overrides(
        chroma_path=work / "chroma",
        index_dir=work / "index",
        collection="bench",
        catalog_file=products,
        catalog_mapping=mapping,
    )


def _queries(products: Path, explicit: Path | None, count: int) -> list[str]:
    path = explicit or products.with_name(products.name.replace("_products", "_judgments_dev"))
    if path.is_file():
        with open(path, newline="", encoding="utf-8") as handle:
            seen = dict.fromkeys(row["query"] for row in csv.DictReader(handle))
        return list(seen)[: count + WARMUP]
    with open(products, newline="", encoding="utf-8") as handle:
        titles = [row["title"] for row in csv.DictReader(handle)]
    return [" ".join(t.split()[:3]) for t in titles[: count + WARMUP]]


def rss_probe(work: Path, products: Path, mapping: Path | None, queries: list[str]) -> None:
    """Load the index in this (fresh) process, search, print memory as JSON."""
    _env()
    from catalog_index.search import CatalogSearch

    before = rss_mb()
    search = CatalogSearch.from_settings(_settings(work, products, mapping))
    for query in queries[:20]:
        search.search(query, limit=10)
    after = rss_mb()
    print(json.dumps({"before_load_mb": before["rss_mb"], **after, "products": len(search)}))


def main() -> int:  # noqa: PLR0915 - a linear script
    """Run the benchmark; return the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=Path, required=True)
    parser.add_argument("--mapping", type=Path, default=None)
    parser.add_argument("--sample", type=int, default=5000, help="products for the build part")
    parser.add_argument("--index-dir", type=Path, default=None, help="keep/reuse the full index")
    parser.add_argument("--queries", type=Path, default=None, help="CSV with a query column")
    parser.add_argument("--n-queries", type=int, default=200)
    parser.add_argument("--rss-probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    mapping = args.mapping or _mapping_for(args.products)
    queries = _queries(args.products, args.queries, args.n_queries)
    if args.rss_probe:
        assert args.index_dir is not None
        rss_probe(args.index_dir, args.products, mapping, queries)
        return 0

    _env()
    from catalog_index.embeddings import Embedder
    from catalog_index.index import build_index, open_store
    from catalog_index.loaders import load_catalog
    from catalog_index.search import CatalogSearch
    from catalog_index.text import dense_text

    tmp = tempfile.TemporaryDirectory(prefix="bench-index-")
    scratch = Path(tmp.name)

    # ---- build throughput on a sample ---------------------------------------------------
    with open(args.products, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    sample_n = len(rows) - 1 if args.sample <= 0 else min(args.sample, len(rows) - 1)
    sample_csv = scratch / f"sample{args.products.suffix}"
    with open(sample_csv, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows[: sample_n + 1])
    settings = _settings(scratch / "sample", sample_csv, mapping)
    embedder = Embedder.from_settings(settings)
    texts = [dense_text(p) for p in load_catalog(sample_csv, mapping)]
    model = embedder._model  # the raw SentenceTransformer  # noqa: SLF001
    batch = settings.embed_batch_size
    model.encode(texts[:batch], batch_size=batch)  # warm-up

    def raw_encode() -> float:
        t0 = time.perf_counter()
        model.encode(texts, batch_size=batch, convert_to_numpy=True, normalize_embeddings=True)
        return time.perf_counter() - t0

    raw_1 = raw_encode()
    t0 = time.perf_counter()
    report = build_index(
        settings, catalog=sample_csv, mapping=mapping, embedder=embedder, progress=False
    )
    ours = time.perf_counter() - t0
    raw_2 = raw_encode()
    raw = (raw_1 + raw_2) / 2
    build_ratio = (sample_n / ours) / (sample_n / raw)

    # ---- full index: search latency -----------------------------------------------------
    work = args.index_dir or scratch / "full"
    full_settings = _settings(work, args.products, mapping)
    t0 = time.perf_counter()
    full_report = build_index(
        full_settings, catalog=args.products, mapping=mapping, embedder=embedder, progress=False
    )
    full_seconds = time.perf_counter() - t0
    search = CatalogSearch.from_settings(full_settings, embedder=embedder)
    collection = open_store(full_settings)._collection  # raw chroma collection  # noqa: SLF001
    ours_ms: list[float] = []
    raw_ms: list[float] = []
    for n, query in enumerate(queries):
        t0 = time.perf_counter()
        search.search(query, limit=10)
        t1 = time.perf_counter()
        vector = model.encode([query], convert_to_numpy=True, normalize_embeddings=True)
        collection.query(query_embeddings=vector, n_results=10, include=["distances"])
        t2 = time.perf_counter()
        if n >= WARMUP:
            ours_ms.append((t1 - t0) * 1000)
            raw_ms.append((t2 - t1) * 1000)
    latency = {
        "ours_p50_ms": percentile(ours_ms, 50),
        "ours_p95_ms": percentile(ours_ms, 95),
        "raw_p50_ms": percentile(raw_ms, 50),
        "raw_p95_ms": percentile(raw_ms, 95),
    }
    p95_ratio = latency["ours_p95_ms"] / latency["raw_p95_ms"]

    # ---- RSS of a process holding the loaded index --------------------------------------
    probe = subprocess.run(
        [
            sys.executable,
            __file__,
            "--rss-probe",
            "--products",
            str(args.products),
            "--index-dir",
            str(work),
        ]
        + (["--mapping", str(mapping)] if mapping else []),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    memory = json.loads(probe.stdout.strip().splitlines()[-1])

    info = machine()
    print_table(
        "How",
        ["item", "value"],
        [
            [
                "machine",
                f"{info['cpu']}, {info['cores']} cores, GPU: {info['gpu']}, "
                f"torch threads {info['torch_threads']}",
            ],
            ["model", model_label(settings.embedding_model)],
            [
                "catalog",
                f"{args.products.name}: {full_report.total} products "
                f"(mapping {mapping.name if mapping else 'canonical'})",
            ],
            [
                "build sample",
                f"first {sample_n} products, batch {batch}; raw encode before and "
                "after our build, mean used",
            ],
            [
                "full index",
                f"{full_seconds:.1f} s ({full_report.added} embedded, "
                f"{full_report.unchanged} unchanged)",
            ],
            [
                "search",
                f"{len(ours_ms)} distinct queries after {WARMUP} warm-up, limit 10, "
                f"ours = {search.candidates} candidates per side + fusion",
            ],
        ],
    )
    print_table(
        "Build throughput",
        ["path", "seconds", "products/s"],
        [
            ["raw SentenceTransformer.encode (run 1)", raw_1, sample_n / raw_1],
            ["ours: build_index (embed + chroma + lexical + table)", ours, sample_n / ours],
            ["raw SentenceTransformer.encode (run 2)", raw_2, sample_n / raw_2],
            ["ratio ours / raw (target >= 0.9)", "", build_ratio],
        ],
    )
    print_table(
        "Search latency (ms)",
        ["path", "p50", "p95"],
        [
            ["raw: encode + chroma top-10", latency["raw_p50_ms"], latency["raw_p95_ms"]],
            ["ours: CatalogSearch.search", latency["ours_p50_ms"], latency["ours_p95_ms"]],
            ["ratio p95 ours / raw (target <= 1.3)", "", p95_ratio],
        ],
    )
    print_table(
        "Memory of a process holding the loaded index (MB)",
        ["measure", "MB"],
        [
            ["VmRSS after load + 20 queries", memory["rss_mb"]],
            ["ru_maxrss (peak)", memory["peak_rss_mb"]],
            ["target", "<= 1024"],
        ],
    )
    path = write_json(
        f"index_{args.products.stem.replace('_products', '')}",
        {
            "products": str(args.products),
            "machine": info,
            "sample": sample_n,
            "build": {
                "raw_seconds": [raw_1, raw_2],
                "ours_seconds": ours,
                "ratio": build_ratio,
                "report": report.summary(),
            },
            "full_build_seconds": full_seconds,
            "catalog_size": full_report.total,
            "latency": latency,
            "p95_ratio": p95_ratio,
            "memory": memory,
        },
    )
    print(f"\nJSON: {path.relative_to(ROOT)}")
    tmp.cleanup()
    print(f"build_ratio: {build_ratio:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
