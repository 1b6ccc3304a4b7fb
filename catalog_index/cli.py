"""Command line: ``python -m catalog_index {build,search,stats}``.

Exit codes: 0 success, 1 invalid catalog or mapping (the index is left untouched),
2 bad usage, 3 no index built yet (search/stats) or the chroma server is unreachable.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from catalog_index.errors import CatalogError
from catalog_index.settings import Settings

__all__ = ["main"]

EXIT_OK = 0
EXIT_CATALOG = 1
EXIT_USAGE = 2
EXIT_NO_INDEX = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m catalog_index", description="Build and query the catalog index."
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--chroma-url", help="chroma server URL (default: CHROMA_URL)")
    common.add_argument("--chroma-path", type=Path, help="embedded chroma folder (CHROMA_PATH)")
    common.add_argument("--collection", help="collection name (CATALOG_COLLECTION)")
    common.add_argument("--index-dir", type=Path, help="lexical index/table folder (INDEX_DIR)")
    common.add_argument("--model", help="embedding model name or path (EMBEDDING_MODEL)")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", parents=[common], help="validate the catalog and index it")
    build.add_argument("--catalog", type=Path, help="catalog file (CATALOG_FILE)")
    build.add_argument("--mapping", type=Path, help="field mapping YAML (CATALOG_MAPPING)")
    build.add_argument(
        "--if-changed",
        action="store_true",
        help="do nothing when catalog, mapping and model are unchanged",
    )
    build.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    search = sub.add_parser("search", parents=[common], help="search the index")
    search.add_argument("query", nargs="?", default="", help="free text (empty: best rated)")
    search.add_argument("--category")
    search.add_argument("--brand")
    search.add_argument("--colour", "--color", dest="colour")
    search.add_argument("--size")
    search.add_argument("--material")
    search.add_argument("--min-price", type=float, dest="price_min")
    search.add_argument("--max-price", type=float, dest="price_max")
    search.add_argument("--in-stock", action="store_true", default=None)
    search.add_argument("--limit", type=int, default=10)
    search.add_argument("--json", action="store_true", help="print JSON lines")

    sub.add_parser("stats", parents=[common], help="print what the index holds")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    base = Settings.from_env()
    return base.with_overrides(
        chroma_url=args.chroma_url,
        chroma_path=args.chroma_path,
        collection=args.collection,
        index_dir=args.index_dir,
        embedding_model=args.model,
        catalog_file=getattr(args, "catalog", None),
        catalog_mapping=getattr(args, "mapping", None),
    )


def _build(args: argparse.Namespace, settings: Settings) -> int:
    from catalog_index.index import build_index

    try:
        report = build_index(settings, if_changed=args.if_changed, progress=not args.no_progress)
    except CatalogError as exc:
        print(f"catalog error: {exc}", file=sys.stderr)
        print("the existing index was left untouched", file=sys.stderr)
        return EXIT_CATALOG
    print(report.summary())
    return EXIT_OK


def _search(args: argparse.Namespace, settings: Settings) -> int:
    from catalog_index.search import CatalogSearch, SearchFilters

    try:
        engine = CatalogSearch.from_settings(settings)
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_NO_INDEX
    filters = SearchFilters(
        category=args.category,
        brand=args.brand,
        colour=args.colour,
        size=args.size,
        material=args.material,
        price_min=args.price_min,
        price_max=args.price_max,
        in_stock=args.in_stock,
    )
    started = time.perf_counter()
    results = engine.search(args.query, filters, limit=args.limit)
    elapsed = (time.perf_counter() - started) * 1000
    for rank, result in enumerate(results, start=1):
        if args.json:
            print(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            colours = ", ".join(result.colours)
            print(
                f"{rank:2d}. {result.score:.3f}  {result.id}  {result.title} | {result.brand} | "
                f"{result.category} | {result.price:.2f} {result.currency} | {colours}"
                f"{'' if result.in_stock else ' | out of stock'}"
            )
    if not args.json:
        print(f"{len(results)} result(s) in {elapsed:.0f} ms", file=sys.stderr)
    return EXIT_OK


def _stats(settings: Settings) -> int:
    from catalog_index.index import open_store, read_manifest, read_products

    manifest = read_manifest(settings.index_dir)
    if manifest is None:
        print(f"no catalog index in {settings.index_dir}", file=sys.stderr)
        return EXIT_NO_INDEX
    products = read_products(settings.index_dir, manifest)
    store = open_store(settings)
    categories = sorted({p.category for p in products})
    print(f"catalog:     {manifest.catalog_file} (sha256 {manifest.catalog_sha256[:12]})")
    print(f"mapping:     {manifest.mapping_file or 'canonical'}")
    print(f"model:       {manifest.model} ({manifest.model_id})")
    print(f"collection:  {manifest.collection} at {manifest.chroma}: {store.count()} vectors")
    print(f"products:    {len(products)} ({sum(p.in_stock for p in products)} in stock)")
    print(f"categories:  {len(categories)}; brands: {len({p.brand for p in products if p.brand})}")
    print(f"last build:  {manifest.built_at} {manifest.counts}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI.

    Args:
        argv: Arguments (default: ``sys.argv[1:]``).

    Returns:
        The process exit code.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code != 0 else EXIT_OK
    try:
        settings = _settings(args)
    except ValueError as exc:
        print(f"bad setting: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "build":
            return _build(args, settings)
        if args.command == "search":
            return _search(args, settings)
        return _stats(settings)
    except CatalogError as exc:
        print(f"catalog error: {exc}", file=sys.stderr)
        return EXIT_CATALOG
    except ConnectionError as exc:
        print(f"cannot reach chroma: {exc}", file=sys.stderr)
        return EXIT_NO_INDEX
