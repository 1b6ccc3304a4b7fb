"""Build the catalog index: chroma vectors (incremental) + lexical index + product table.

Files in ``INDEX_DIR``::

    manifest.json          written last, atomically (temp file + rename); names the generation
    gen-<stamp>/products.jsonl   the validated catalog in canonical JSON, one product a line
    gen-<stamp>/lexical/         the LexicalIndex (catalog_index.lexical) files

A build validates the whole catalog first; on any error nothing is touched. Products are
re-embedded only when their content hash changes: sha256 of the canonical product JSON,
the dense text and the embedding model id.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from catalog_index.embeddings import Embedder, model_id
from catalog_index.lexical import LexicalIndex
from catalog_index.loaders import load_catalog
from catalog_index.mapping import MappingSpec
from catalog_index.schema import Product
from catalog_index.settings import Settings
from catalog_index.store import ProductStore, connect, product_metadata
from catalog_index.text import dense_text, lexical_text

__all__ = [
    "BuildReport",
    "Manifest",
    "build_index",
    "content_hash",
    "file_sha256",
    "is_up_to_date",
    "read_manifest",
    "read_products",
    "open_store",
    "MANIFEST_FILE",
]

MANIFEST_FILE = "manifest.json"
PRODUCTS_FILE = "products.jsonl"
LEXICAL_DIR = "lexical"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    total: int
    added: int
    updated: int
    removed: int
    unchanged: int
    seconds: float
    skipped: bool = False

    def summary(self) -> str:
        """One line for the console."""
        if self.skipped:
            return f"index up to date ({self.total} products); nothing to do"
        return (
            f"{self.total} products: {self.added} added, {self.updated} updated, "
            f"{self.removed} removed, {self.unchanged} unchanged in {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class Manifest:
    """Contents of ``manifest.json``."""

    version: int
    generation: str
    catalog_file: str
    catalog_sha256: str
    mapping_file: str | None
    mapping_sha256: str | None
    model: str
    model_id: str
    collection: str
    chroma: str
    products: int
    counts: dict[str, int]
    built_at: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        """Parse the JSON form."""
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes (hex)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_hash(product: Product, model: str) -> str:
    """Hash deciding whether a product must be re-embedded.

    Args:
        product: The product.
        model: The embedding model id (see ``embeddings.model_id``).

    Returns:
        Hex sha256 of the canonical JSON, the dense text and the model id.
    """
    payload = "\n".join((product.canonical_json(), dense_text(product), model))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def open_store(settings: Settings) -> ProductStore:
    """Open the configured chroma collection.

    Args:
        settings: The settings in force.

    Returns:
        The product store.
    """
    client = connect(str(settings.chroma_path), settings.chroma_url)
    return ProductStore(client, settings.collection)


def read_manifest(index_dir: Path) -> Manifest | None:
    """The current manifest, or ``None`` when there is no (readable) index."""
    path = Path(index_dir) / MANIFEST_FILE
    try:
        return Manifest.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def read_products(index_dir: Path, manifest: Manifest | None = None) -> list[Product]:
    """Load the product table of the current generation.

    Args:
        index_dir: The index folder.
        manifest: The manifest, read if not given.

    Returns:
        The products.

    Raises:
        FileNotFoundError: No index has been built.
    """
    manifest = manifest or read_manifest(index_dir)
    if manifest is None:
        raise FileNotFoundError(
            f"no catalog index in {index_dir}; run `python -m catalog_index build`"
        )
    path = Path(index_dir) / manifest.generation / PRODUCTS_FILE
    with path.open(encoding="utf-8") as handle:
        return [Product.from_dict(json.loads(line)) for line in handle if line.strip()]


def _chroma_label(settings: Settings) -> str:
    return settings.chroma_url or str(settings.chroma_path)


def is_up_to_date(
    settings: Settings,
    catalog: Path | None = None,
    mapping: Path | None = None,
    store: ProductStore | None = None,
) -> bool:
    """Cheap check: same catalog bytes, mapping, model and collection as the last build.

    Args:
        settings: The settings in force.
        catalog: Catalog file (default: ``settings.catalog_file``).
        mapping: Mapping file (default: ``settings.catalog_mapping``).
        store: The collection to check the count of (opened if not given).

    Returns:
        True when a build would change nothing.
    """
    catalog = Path(catalog or settings.catalog_file)
    mapping = mapping if mapping is not None else settings.catalog_mapping
    manifest = read_manifest(settings.index_dir)
    if manifest is None or not catalog.is_file():
        return False
    if (
        manifest.version != FORMAT_VERSION
        or manifest.catalog_sha256 != file_sha256(catalog)
        or manifest.mapping_sha256 != (file_sha256(Path(mapping)) if mapping else None)
        or manifest.model_id != model_id(settings.embedding_model)
        or manifest.collection != settings.collection
        or manifest.chroma != _chroma_label(settings)
        or not (Path(settings.index_dir) / manifest.generation / PRODUCTS_FILE).is_file()
    ):
        return False
    store = store or open_store(settings)
    return store.count() == manifest.products


EMBED_CHUNK = 512
"""Products embedded and written per step of the build (the progress bar moves per step)."""


def _batches(items: Sequence[Product], size: int) -> list[Sequence[Product]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _write_generation(index_dir: Path, products: list[Product]) -> str:
    """Write the product table and the lexical index into a fresh generation folder."""
    index_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=index_dir))
    try:
        with (staging / PRODUCTS_FILE).open("w", encoding="utf-8") as handle:
            for product in products:
                handle.write(json.dumps(product.to_dict(), ensure_ascii=False) + "\n")
        lexical = LexicalIndex.build([p.id for p in products], [lexical_text(p) for p in products])
        lexical.save(staging / LEXICAL_DIR)
        generation = f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{staging.name[-6:]}"
        os.replace(staging, index_dir / generation)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return generation


def _write_manifest(index_dir: Path, manifest: Manifest) -> None:
    tmp = index_dir / f".{MANIFEST_FILE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(asdict(manifest), indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, index_dir / MANIFEST_FILE)


def _prune_generations(index_dir: Path, keep: str) -> None:
    for child in index_dir.iterdir():
        if child.is_dir() and child.name.startswith(("gen-", ".staging-")) and child.name != keep:
            shutil.rmtree(child, ignore_errors=True)


def build_index(
    settings: Settings,
    *,
    catalog: Path | None = None,
    mapping: Path | MappingSpec | None = None,
    embedder: Embedder | Callable[[], Embedder] | None = None,
    store: ProductStore | None = None,
    if_changed: bool = False,
    progress: bool = True,
) -> BuildReport:
    """Validate the catalog, then update chroma, the lexical index and the product table.

    Args:
        settings: The settings in force.
        catalog: Catalog file (default: ``settings.catalog_file``).
        mapping: Mapping file or spec (default: ``settings.catalog_mapping``; none = canonical).
        embedder: An embedder, or a factory called only if something must be embedded
            (default: load ``settings.embedding_model``).
        store: The chroma collection (default: from settings).
        if_changed: Return at once when ``is_up_to_date``.
        progress: Show a tqdm bar while embedding.

    Returns:
        What changed.

    Raises:
        CatalogError: The catalog is invalid; nothing was modified.
    """
    started = time.perf_counter()
    catalog = Path(catalog or settings.catalog_file)
    if mapping is None:
        mapping = settings.catalog_mapping
    mapping_path = mapping if isinstance(mapping, Path) else None
    if if_changed and is_up_to_date(settings, catalog, mapping_path, store):
        manifest = read_manifest(settings.index_dir)
        total = manifest.products if manifest else 0
        return BuildReport(total, 0, 0, 0, total, time.perf_counter() - started, skipped=True)

    catalog_sha = file_sha256(catalog) if catalog.is_file() else ""
    products = load_catalog(catalog, mapping)  # raises before anything is touched
    model = model_id(settings.embedding_model)
    store = store or open_store(settings)

    hashes = {p.id: content_hash(p, model) for p in products}
    stored = store.hashes()
    added = [p for p in products if p.id not in stored]
    updated = [p for p in products if p.id in stored and stored[p.id] != hashes[p.id]]
    removed = [pid for pid in stored if pid not in hashes]
    todo = added + updated

    if todo:
        if embedder is None:
            embedder = Embedder.from_settings(settings)
        elif not isinstance(embedder, Embedder):
            embedder = embedder()
        batch = settings.embed_batch_size
        # Sorted by text length and encoded in large chunks, so each model batch holds texts of
        # similar length (little padding) and chroma receives few, large writes.
        texts = {p.id: dense_text(p) for p in todo}
        ordered = sorted(todo, key=lambda p: len(texts[p.id]), reverse=True)
        bar = tqdm(total=len(todo), desc="embedding", unit="product", disable=not progress)
        try:
            for chunk in _batches(ordered, max(batch * 16, EMBED_CHUNK)):
                vectors = embedder.encode([texts[p.id] for p in chunk], batch_size=batch)
                store.upsert(
                    [p.id for p in chunk],
                    vectors,
                    [product_metadata(p, hashes[p.id]) for p in chunk],
                )
                bar.update(len(chunk))
        finally:
            bar.close()
    if removed:
        store.delete(removed)

    index_dir = Path(settings.index_dir)
    generation = _write_generation(index_dir, products)
    seconds = time.perf_counter() - started
    report = BuildReport(
        total=len(products),
        added=len(added),
        updated=len(updated),
        removed=len(removed),
        unchanged=len(products) - len(todo),
        seconds=seconds,
    )
    _write_manifest(
        index_dir,
        Manifest(
            version=FORMAT_VERSION,
            generation=generation,
            catalog_file=str(catalog),
            catalog_sha256=catalog_sha,
            mapping_file=str(mapping_path) if mapping_path else None,
            mapping_sha256=file_sha256(mapping_path) if mapping_path else None,
            model=settings.embedding_model,
            model_id=model,
            collection=settings.collection,
            chroma=_chroma_label(settings),
            products=len(products),
            counts={
                k: v
                for k, v in asdict(report).items()
                if isinstance(v, int) and not isinstance(v, bool)
            },
            built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        ),
    )
    _prune_generations(index_dir, generation)
    return report
