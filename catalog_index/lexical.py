"""BM25 lexical index over product texts (bm25s), with a shop-aware tokenizer.

The tokenizer lowercases, splits on non-alphanumerics while keeping decimal
numbers ("9.5", "1.9") and sizes ("xl", "18x18"), normalises units written in
many ways ("60-Watt", "60 W", "60w" -> ``60w``; ``18"`` / "18 in." -> ``18in``),
and applies a light English suffix stemmer (plurals and a few verb endings).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import bm25s  # type: ignore[import-untyped]
import numpy as np

__all__ = ["LexicalIndex", "tokenize", "stem"]

_FORMAT_VERSION = 1
_META_FILE = "lexical.json"
_MODEL_DIR = "bm25"

#: Default BM25 parameters (Lucene variant).
DEFAULT_K1 = 1.2
DEFAULT_B = 0.75

_STOPWORDS = frozenset(
    """a an and are as at be by for from has have i in into is it its of on or
    that the their this to was were will with me my you your we our
    """.split()
)

#: Unit spellings -> canonical unit, used when a unit follows a number.
_UNITS: dict[str, str] = {
    "in": "in",
    "inch": "in",
    "inches": "in",
    '"': "in",
    "''": "in",
    "ft": "ft",
    "foot": "ft",
    "feet": "ft",
    "'": "ft",
    "gal": "gal",
    "gallon": "gal",
    "gallons": "gal",
    "lb": "lb",
    "lbs": "lb",
    "pound": "lb",
    "pounds": "lb",
    "oz": "oz",
    "ounce": "oz",
    "ounces": "oz",
    "v": "v",
    "volt": "v",
    "volts": "v",
    "w": "w",
    "watt": "w",
    "watts": "w",
    "amp": "amp",
    "amps": "amp",
    "a": "amp",
    "mm": "mm",
    "cm": "cm",
    "m": "m",
    "qt": "qt",
    "quart": "qt",
    "quarts": "qt",
    "gb": "gb",
    "tb": "tb",
    "mb": "mb",
    "pc": "pc",
    "pcs": "pc",
    "piece": "pc",
    "pieces": "pc",
    "pack": "pk",
    "pk": "pk",
    "btu": "btu",
    "mah": "mah",
    "hp": "hp",
    "cc": "cc",
    "ml": "ml",
    "l": "l",
    "x": "x",
}

# A number, optionally with a decimal part or a simple fraction, followed by an
# optional unit (attached, or after a space, hyphen or dot).
_NUMBER_UNIT_RE = re.compile(
    r"(?<![a-z0-9.])(\d+(?:\.\d+)?(?:/\d+)?)\s*-?\s*"
    r"(inches|inch|in\.?|feet|foot|ft\.?|gallons|gallon|gal\.?|pounds|pound|lbs\.?|lb\.?"
    r"|ounces|ounce|oz\.?|volts|volt|watts|watt|amps|amp|quarts|quart|qt\.?"
    r"|pieces|piece|pcs|pc|pack|pk|mah|btu|hp|gb|tb|mb|mm|cm|ml|cc|v|w|\"|'')"
    r"(?![a-z0-9])"
)
_TOKEN_RE = re.compile(r"\d+(?:\.\d+)+|\d+/\d+|[a-z0-9]+")


def stem(token: str) -> str:
    """Strip common English inflection suffixes (a tiny, S-stemmer-like rule set).

    Numbers and short tokens are returned unchanged.

    Args:
        token: A lowercased token.

    Returns:
        The stemmed token.
    """
    if len(token) <= 3 or not token.isalpha():
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith(("sses", "shes", "ches", "xes", "zes")):
        return token[:-2]
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def _unit_sub(match: re.Match[str]) -> str:
    number, unit = match.group(1), match.group(2).rstrip(".")
    canonical = _UNITS.get(unit, unit)
    return f" {number}{canonical} {number} "


def tokenize(text: str, *, use_stem: bool = True, stopwords: bool = True) -> list[str]:
    """Split a text into index tokens.

    Args:
        text: Any text (product field or shopper query).
        use_stem: Apply the light suffix stemmer.
        stopwords: Drop English stopwords.

    Returns:
        The tokens, in order.
    """
    lowered = text.lower().replace("\u201d", '"').replace("\u2033", '"')
    lowered = _NUMBER_UNIT_RE.sub(_unit_sub, lowered)
    tokens: list[str] = []
    for token in _TOKEN_RE.findall(lowered):
        if stopwords and token in _STOPWORDS:
            continue
        tokens.append(stem(token) if use_stem else token)
    return tokens


class LexicalIndex:
    """A BM25 index of product ids and their lexical texts."""

    def __init__(self, ids: list[str], model: bm25s.BM25, k1: float, b: float) -> None:
        """Wrap a fitted bm25s model.

        Args:
            ids: Product ids, in the order of the indexed documents.
            model: The fitted bm25s model.
            k1: BM25 term-frequency saturation used to fit the model.
            b: BM25 length normalisation used to fit the model.
        """
        self._ids = ids
        self._position = {product_id: i for i, product_id in enumerate(ids)}
        self._model = model
        self.k1 = k1
        self.b = b

    @classmethod
    def build(
        cls,
        ids: list[str],
        texts: list[str],
        *,
        k1: float = DEFAULT_K1,
        b: float = DEFAULT_B,
    ) -> LexicalIndex:
        """Tokenize and index the texts.

        Args:
            ids: Product ids, one per text.
            texts: Lexical texts (see ``catalog_index.text.lexical_text``).
            k1: BM25 term-frequency saturation.
            b: BM25 length normalisation.

        Returns:
            The fitted index.

        Raises:
            ValueError: If ids and texts differ in length or ids repeat.
        """
        if len(ids) != len(texts):
            raise ValueError("ids and texts must have the same length")
        if len(set(ids)) != len(ids):
            raise ValueError("product ids must be unique")
        model = bm25s.BM25(k1=k1, b=b, method="lucene")
        corpus = [tokenize(text) or [""] for text in texts]
        model.index(corpus, show_progress=False)
        return cls(list(ids), model, k1, b)

    def __len__(self) -> int:
        """Return the number of indexed products."""
        return len(self._ids)

    def save(self, directory: Path) -> None:
        """Write the index to a directory (created if missing).

        Args:
            directory: Target folder.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self._model.save(str(directory / _MODEL_DIR), show_progress=False)
        meta = {
            "version": _FORMAT_VERSION,
            "k1": self.k1,
            "b": self.b,
            "ids": self._ids,
        }
        (directory / _META_FILE).write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        """Read an index written by :meth:`save`.

        Args:
            directory: Folder given to :meth:`save`.

        Returns:
            The loaded index.

        Raises:
            ValueError: If the folder holds an unknown format version.
        """
        directory = Path(directory)
        meta = json.loads((directory / _META_FILE).read_text(encoding="utf-8"))
        if meta.get("version") != _FORMAT_VERSION:
            raise ValueError(
                f"unsupported lexical index version: {meta.get('version')}"
            )
        model = bm25s.BM25.load(str(directory / _MODEL_DIR), show_progress=False)
        return cls(list(meta["ids"]), model, float(meta["k1"]), float(meta["b"]))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every indexed product for a query.

        Args:
            query: The shopper's query text.

        Returns:
            A float array aligned with the indexed ids (zeros when nothing matches).
        """
        tokens = tokenize(query)
        if not tokens:
            return np.zeros(len(self._ids), dtype=np.float32)
        return np.asarray(self._model.get_scores(tokens), dtype=np.float32)

    def search(
        self, query: str, k: int, allowed_ids: set[str] | None = None
    ) -> list[tuple[str, float]]:
        """Return the ``k`` best products for a query.

        Args:
            query: The shopper's query text.
            k: How many results at most.
            allowed_ids: If given, only these products may be returned.

        Returns:
            ``(product_id, bm25_score)`` pairs, score descending; products that
            match no query token are left out.
        """
        if k <= 0 or not self._ids:
            return []
        scores = self.scores(query)
        if allowed_ids is not None:
            mask = np.zeros(len(self._ids), dtype=bool)
            positions = [self._position[i] for i in allowed_ids if i in self._position]
            mask[positions] = True
            scores = np.where(mask, scores, 0.0)
        candidates = np.flatnonzero(scores > 0)
        if candidates.size > k:
            top = np.argpartition(-scores[candidates], k - 1)[:k]
            candidates = candidates[top]
        order = candidates[np.argsort(-scores[candidates], kind="stable")]
        return [(self._ids[i], float(scores[i])) for i in order]
