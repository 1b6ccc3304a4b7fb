"""BM25 lexical index over product texts (bm25s), with a shop-aware tokenizer.

The tokenizer lowercases, splits on non-alphanumerics while keeping decimal
numbers and fractions ("9.5", "3/4"), adds ``AxB`` tokens for dimensions
("4 ft. x 8 ft.", "4x8", "4*8"), splits letters from digits ("4x8wood"),
normalises units written in many ways ("60-Watt", "60 W", "60w" -> ``60w``;
``18"`` / "18 in." -> ``18in``) and applies a plural stemmer ("-ing"/"-ed"
stripping is available with ``STEM_LEVEL = 2`` but scored lower on both
development sets).

Search scores are BM25 multiplied by a title-phrase boost, and query tokens the
index has never seen are split, spell-corrected or dropped (``CORRECT_QUERY``).
Measurements: bench/RESULTS.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import bm25s
import numpy as np
import numpy.typing as npt
from scipy import sparse

__all__ = ["LexicalIndex", "tokenize", "stem"]

_FORMAT_VERSION = 2
_PHRASES_FILE = "phrases.npz"
_META_FILE = "lexical.json"
_MODEL_DIR = "bm25"

#: Default BM25 parameters (Lucene variant).
DEFAULT_K1 = 1.2
DEFAULT_B = 0.5
#: Multiplier weight of the title-phrase boost (share of query bigrams in the title).
DEFAULT_PHRASE_BOOST = 0.5

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
_TOKEN_RE = re.compile(r"\d+(?:[./]\d+)+[a-z]*|[a-z0-9]+")


#: Stemming strength: 1 = plurals only, 2 = also "-ing"/"-ed" and a final "e".
STEM_LEVEL = 1
#: Split letter/digit boundaries ("4x8wood" -> "4 x 8 wood", "60w" -> "60 w").
SPLIT_ALNUM = True
#: Add ``AxB`` tokens for dimensions written "A x B", "A in. x B in.", "A*B".
DIMENSIONS = True

_ALNUM_BOUNDARY_RE = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_NUM = r"\d+(?:\.\d+)?(?:/\d+)?"
_DIM_UNIT = r"(?:\s*(?:in|inch|inches|ft|feet|foot|cm|mm|m|\"|''|')\.?)?"
_DIMENSION_RE = re.compile(
    rf"(?<![\d.])({_NUM}){_DIM_UNIT}\s*(?:x|\*|\u00d7|by)\s*(?=({_NUM})(?![\d/]))"
)
_DIM_SEPARATOR_RE = re.compile(rf"(?<=\d){_DIM_UNIT}\s*(?:x|\*|\u00d7)\s*(?=\d)")


def stem(token: str) -> str:
    """Strip common English inflection suffixes (a tiny rule set).

    Plurals ("batteries" -> "battery", "boxes" -> "box", "shoes" -> "shoe");
    with ``STEM_LEVEL`` 2 also "-ing" and "-ed" and a final "e", so that
    "tiling", "tiled", "tile" and "tiles" share one stem.
    Numbers, tokens with digits and short tokens are returned unchanged.

    Args:
        token: A lowercased token.

    Returns:
        The stemmed token.
    """
    if len(token) <= 3 or not token.isalpha():
        return token
    if token.endswith("ies") and len(token) > 4:
        token = token[:-3] + "y"
    elif token.endswith(("sses", "shes", "ches", "xes", "zes")):
        token = token[:-2]
    elif token.endswith("s") and not token.endswith(("ss", "us", "is")):
        token = token[:-1]
    if STEM_LEVEL < 2:
        return token
    if token.endswith("ing") and len(token) >= 6:
        token = token[:-3]
    elif token.endswith("ed") and len(token) >= 5 and not token.endswith("eed"):
        token = token[:-2]
    else:
        if token.endswith("e") and len(token) >= 4:
            token = token[:-1]
        return token
    if len(token) >= 4 and token[-1] == token[-2] and token[-1] not in "lsz":
        token = token[:-1]  # "cutting" -> "cutt" -> "cut"
    return token


def _unit_sub(match: re.Match[str]) -> str:
    number, unit = match.group(1), match.group(2).rstrip(".")
    canonical = _UNITS.get(unit, unit)
    return f" {number}{canonical} {number} "


def tokenize(text: str, *, use_stem: bool = True, stopwords: bool = True) -> list[str]:
    """Split a text into index tokens.

    Steps: lowercase; add ``AxB`` tokens for dimensions; split letter/digit
    boundaries; join numbers with their units (``60w``, ``18in``) while keeping
    the bare number; split on non-alphanumerics (decimals and fractions kept);
    drop stopwords; stem.

    Args:
        text: Any text (product field or shopper query).
        use_stem: Apply the light suffix stemmer.
        stopwords: Drop English stopwords.

    Returns:
        The tokens, in order (dimension tokens last).
    """
    lowered = text.lower().replace("\u201d", '"').replace("\u2033", '"')
    extra: list[str] = []
    if DIMENSIONS:
        extra = [f"{a}x{b}" for a, b in _DIMENSION_RE.findall(lowered)]
        lowered = _DIM_SEPARATOR_RE.sub(" ", lowered)
    if SPLIT_ALNUM:
        lowered = _ALNUM_BOUNDARY_RE.sub(" ", lowered)
    lowered = _NUMBER_UNIT_RE.sub(_unit_sub, lowered)
    tokens: list[str] = []
    for token in _TOKEN_RE.findall(lowered):
        if stopwords and token in _STOPWORDS:
            continue
        tokens.append(stem(token) if use_stem else token)
    tokens.extend(extra)
    return tokens


#: Rewrite query tokens the catalog has never seen (split compounds, fix typos).
CORRECT_QUERY = True
_MIN_CORRECTABLE = 4


def _deletes(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein with transpositions)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


class _QueryCorrector:
    """Maps out-of-vocabulary query tokens onto the index vocabulary.

    A token is split into two known words when possible ("rainbird" ->
    "rain bird"), otherwise replaced by the most frequent known word within
    edit distance 2 (symmetric-delete lookup: "toliet" -> "toilet"), otherwise
    dropped.
    """

    def __init__(self, document_frequency: dict[str, int]) -> None:
        self._df = document_frequency
        self._by_delete: dict[str, list[str]] = {}
        for word in document_frequency:
            if len(word) >= _MIN_CORRECTABLE and word.isalpha():
                for variant in _deletes(word) | {word}:
                    self._by_delete.setdefault(variant, []).append(word)

    def _split(self, token: str) -> list[str] | None:
        best: tuple[int, list[str]] | None = None
        for i in range(3, len(token) - 2):
            left, right = token[:i], token[i:]
            if left in self._df and right in self._df:
                score = min(self._df[left], self._df[right])
                if best is None or score > best[0]:
                    best = (score, [left, right])
        return best[1] if best else None

    def _spell(self, token: str) -> str | None:
        candidates: set[str] = set()
        for variant in _deletes(token) | {token}:
            candidates.update(self._by_delete.get(variant, ()))
        if not candidates:
            return None
        ranked = sorted(
            candidates,
            key=lambda word: (_edit_distance(token, word), -self._df[word], word),
        )
        best = ranked[0]
        return best if _edit_distance(token, best) <= 2 else None

    def correct(self, tokens: list[str]) -> list[str]:
        """Return the tokens with unknown ones split, corrected or dropped."""
        out: list[str] = []
        for token in tokens:
            if token in self._df:
                out.append(token)
            elif len(token) >= _MIN_CORRECTABLE and token.isalpha():
                parts = self._split(token)
                if parts is not None:
                    out.extend(parts)
                else:
                    fixed = self._spell(token)
                    if fixed is not None:
                        out.append(fixed)
        return out


def _bigrams(tokens: list[str]) -> set[str]:
    return {f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False) if a != b}


def _title_of(text: str) -> str:
    return text.split("\n", 1)[0]


class LexicalIndex:
    """A BM25 index of product ids and their lexical texts, with a title-phrase boost.

    The first line of each text is taken as the product title (see
    ``catalog_index.text.lexical_text``). Besides BM25 over the whole text, the
    index keeps which adjacent token pairs (bigrams) occur in each title; a
    product whose title contains the query's word pairs in order gets its BM25
    score multiplied by ``1 + phrase_boost * share_of_query_bigrams_matched``.
    """

    def __init__(
        self,
        ids: list[str],
        model: bm25s.BM25,
        phrases: sparse.csc_matrix,
        phrase_vocab: dict[str, int],
        *,
        k1: float = DEFAULT_K1,
        b: float = DEFAULT_B,
        phrase_boost: float = DEFAULT_PHRASE_BOOST,
    ) -> None:
        """Wrap fitted parts (use :meth:`build` or :meth:`load`).

        Args:
            ids: Product ids, in the order of the indexed documents.
            model: The fitted bm25s model.
            phrases: Binary products x title-bigrams matrix.
            phrase_vocab: Bigram ("word word") -> column of ``phrases``.
            k1: BM25 term-frequency saturation used to fit the model.
            b: BM25 length normalisation used to fit the model.
            phrase_boost: Weight of the title-phrase boost (0 disables it).
        """
        self._ids = ids
        self._position = {product_id: i for i, product_id in enumerate(ids)}
        self._model = model
        self._phrases = phrases
        self._phrase_vocab = phrase_vocab
        self.k1 = k1
        self.b = b
        self.phrase_boost = phrase_boost
        self._corrector: _QueryCorrector | None = None

    @classmethod
    def build(
        cls,
        ids: list[str],
        texts: list[str],
        *,
        k1: float = DEFAULT_K1,
        b: float = DEFAULT_B,
        phrase_boost: float = DEFAULT_PHRASE_BOOST,
    ) -> LexicalIndex:
        """Tokenize and index the texts.

        Args:
            ids: Product ids, one per text.
            texts: Lexical texts, title on the first line
                (see ``catalog_index.text.lexical_text``).
            k1: BM25 term-frequency saturation.
            b: BM25 length normalisation.
            phrase_boost: Weight of the title-phrase boost (0 disables it).

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
        model.index([tokenize(text) or [""] for text in texts], show_progress=False)
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for row, text in enumerate(texts):
            for bigram in _bigrams(tokenize(_title_of(text))):
                rows.append(row)
                cols.append(vocab.setdefault(bigram, len(vocab)))
        phrases = sparse.csc_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(texts), max(len(vocab), 1)),
        )
        return cls(list(ids), model, phrases, vocab, k1=k1, b=b, phrase_boost=phrase_boost)

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
        sparse.save_npz(directory / _PHRASES_FILE, self._phrases.tocsc())
        meta = {
            "version": _FORMAT_VERSION,
            "k1": self.k1,
            "b": self.b,
            "phrase_boost": self.phrase_boost,
            "ids": self._ids,
            "phrase_vocab": self._phrase_vocab,
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
        version = meta.get("version")
        if version not in (1, _FORMAT_VERSION):
            raise ValueError(f"unsupported lexical index version: {version}")
        model = bm25s.BM25.load(str(directory / _MODEL_DIR), show_progress=False)
        ids = [str(i) for i in meta["ids"]]
        if version == 1:  # written before the title-phrase boost: BM25 only
            phrases = sparse.csc_matrix((len(ids), 1), dtype=np.float32)
            vocab: dict[str, int] = {}
            boost = 0.0
        else:
            phrases = sparse.load_npz(directory / _PHRASES_FILE).tocsc()
            vocab = {str(k): int(v) for k, v in meta["phrase_vocab"].items()}
            boost = float(meta["phrase_boost"])
        return cls(
            ids,
            model,
            phrases,
            vocab,
            k1=float(meta["k1"]),
            b=float(meta["b"]),
            phrase_boost=boost,
        )

    def _document_frequency(self) -> dict[str, int]:
        counts = np.diff(np.asarray(self._model.scores["indptr"]))
        vocab: dict[str, int] = self._model.vocab_dict
        return {
            token: int(counts[i])
            for token, i in vocab.items()
            if token and i < counts.size and counts[i] > 0
        }

    def query_tokens(self, query: str) -> list[str]:
        """Tokenize a query; unknown tokens are split, spell-corrected or dropped.

        Args:
            query: The shopper's query text.

        Returns:
            The query tokens (all known to the index when correction is on).
        """
        tokens = tokenize(query)
        if not CORRECT_QUERY:
            return tokens
        if self._corrector is None:
            self._corrector = _QueryCorrector(self._document_frequency())
        return self._corrector.correct(tokens)

    def scores(self, query: str) -> npt.NDArray[np.float32]:
        """Boosted BM25 score of every indexed product for a query.

        Args:
            query: The shopper's query text.

        Returns:
            A float array aligned with the indexed ids (zeros when nothing matches).
        """
        tokens = self.query_tokens(query)
        if not tokens:
            return np.zeros(len(self._ids), dtype=np.float32)
        scores = np.asarray(self._model.get_scores(tokens), dtype=np.float32)
        bigrams = _bigrams(tokens)
        if self.phrase_boost > 0 and bigrams:
            columns = [self._phrase_vocab[g] for g in bigrams if g in self._phrase_vocab]
            if columns:
                matched = np.asarray(self._phrases[:, columns].sum(axis=1)).ravel()
                scores *= 1.0 + self.phrase_boost * matched / len(bigrams)
        return scores

    def search(
        self, query: str, k: int, allowed_ids: set[str] | None = None
    ) -> list[tuple[str, float]]:
        """Return the ``k`` best products for a query.

        Args:
            query: The shopper's query text.
            k: How many results at most.
            allowed_ids: If given, only these products may be returned.

        Returns:
            ``(product_id, score)`` pairs, score descending; products that match
            no query token are left out.
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
