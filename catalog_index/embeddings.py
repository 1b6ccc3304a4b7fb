"""Sentence embeddings for products and queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from catalog_index.settings import Settings, prepare_model_env

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

__all__ = ["Embedder", "model_id"]


class Embedder:
    """Wraps a ``SentenceTransformer``; create one per process and pass it around."""

    def __init__(self, model: SentenceTransformer, name: str) -> None:
        """Wrap an already loaded model.

        Args:
            model: The loaded sentence-transformers model.
            name: The model name or path (recorded in content hashes and the manifest).
        """
        self._model = model
        self.name = name

    @classmethod
    def load(cls, name_or_path: str, *, device: str = "cpu") -> Embedder:
        """Load a model by path or hub name (hub only if downloads are allowed).

        Args:
            name_or_path: Model folder or hub name.
            device: Torch device.

        Returns:
            The embedder.
        """
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(name_or_path), device=device)
        return cls(model, str(name_or_path))

    @classmethod
    def from_settings(cls, settings: Settings) -> Embedder:
        """Load the configured model (sets ``HF_HUB_OFFLINE`` first).

        Args:
            settings: The settings in force.

        Returns:
            The embedder.
        """
        prepare_model_env(settings)
        return cls.load(settings.embedding_model)

    @property
    def dimension(self) -> int:
        """Embedding size."""
        size = self._model.get_sentence_embedding_dimension()
        if size is None:
            raise RuntimeError("the model does not report its embedding size")
        return int(size)

    def encode(
        self, texts: Sequence[str], batch_size: int = 64, progress: bool = False
    ) -> npt.NDArray[np.float32]:
        """Embed texts into unit-length float32 vectors.

        Args:
            texts: The texts.
            batch_size: Texts per forward pass.
            progress: Show the model's progress bar.

        Returns:
            An array of shape ``(len(texts), dimension)``.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=batch_size,
            show_progress_bar=progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.asarray(vectors, dtype=np.float32)

    def encode_one(self, text: str) -> npt.NDArray[np.float32]:
        """Embed a single text (a query).

        Args:
            text: The text.

        Returns:
            A vector of shape ``(dimension,)``.
        """
        vectors = self.encode([text], batch_size=1)
        return np.asarray(vectors[0], dtype=np.float32)


def model_id(name_or_path: str) -> str:
    """A stable identifier of a model for content hashes and the manifest.

    A hub name is its own id. A local folder is identified by its configuration
    files and weight sizes, so moving the folder (another venv path) does not force
    re-embedding while swapping the model does.

    Args:
        name_or_path: Model folder or hub name.

    Returns:
        The identifier.
    """
    import hashlib
    from pathlib import Path

    folder = Path(name_or_path).expanduser()
    if not folder.is_dir():
        return name_or_path
    digest = hashlib.sha256()
    for name in ("config.json", "modules.json", "sentence_bert_config.json"):
        file = folder / name
        if file.is_file():
            digest.update(name.encode() + b"\0" + file.read_bytes())
    for name in ("model.safetensors", "pytorch_model.bin"):
        file = folder / name
        if file.is_file():
            digest.update(f"{name}:{file.stat().st_size}".encode())
    return f"local:{folder.name}:{digest.hexdigest()[:16]}"
