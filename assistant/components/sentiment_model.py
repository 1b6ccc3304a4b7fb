"""Sentiment models of the assistant: features, training, prediction, save and load.

Pure model code (numpy, scipy and scikit-learn only; nothing from Rasa), shared by the
``SentimentAnalyzer`` component, ``scripts/train_sentiment.py`` and ``bench/sentiment``.

Three kinds of model, with the same interface (:class:`SentimentModel`):

* :class:`LinearSentimentModel`: multinomial logistic regression over hashed word uni- and
  bigrams (with negation scope marks), character n-grams and lexicon / intensity / emoji
  features. The default model is this one, trained on the project's own labelled shopping
  chat sentences (``assistant/sentiment/train.tsv``) in en, es, de and fr.
* :class:`GatedSentimentModel`: neutral-or-not from the default model, the sign from a
  model trained on a large set of polar sentences (``scripts/train_sentiment.py``).
* :class:`RoutedSentimentModel`: picks a model per message language (e.g. an English-only
  model trained on a large English set for ``en``, the default model for the others).

Every prediction has a label (``negative``/``neutral``/``positive``), a score in [-1, 1]
(``P(positive) - P(negative)``) and the class probabilities. A saved model is a directory
with ``manifest.json`` and numpy arrays; :func:`load_model` reads any kind back. No pickles.
"""

from __future__ import annotations

import csv
import json
import math
import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp

NEGATIVE = "negative"
NEUTRAL = "neutral"
POSITIVE = "positive"
LABELS = (NEGATIVE, NEUTRAL, POSITIVE)
LANGUAGES = ("en", "es", "de", "fr")
DEFAULT_LANGUAGE = "en"

MANIFEST = "manifest.json"
SHIPPED_DIR = Path(__file__).resolve().parent.parent / "sentiment"
SHIPPED_DATA = SHIPPED_DIR / "train.tsv"
SHIPPED_LEXICON = SHIPPED_DIR / "lexicon.tsv"

_BINARY_LABELS = {"0": NEGATIVE, "1": POSITIVE}
_TEXT_LABELS = {label: label for label in LABELS} | {"neg": NEGATIVE, "pos": POSITIVE}

# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Example:
    """One labelled sentence."""

    text: str
    label: str
    language: str = DEFAULT_LANGUAGE


def parse_label(raw: str) -> str:
    """Maps ``0``/``1`` and ``negative``/``neutral``/``positive`` to a label.

    Raises:
        ValueError: For anything else.
    """
    value = raw.strip().lower()
    label = _BINARY_LABELS.get(value) or _TEXT_LABELS.get(value)
    if label is None:
        raise ValueError(f"unknown sentiment label {raw!r}")
    return label


def read_examples(path: Path, default_language: str = DEFAULT_LANGUAGE) -> list[Example]:
    """Reads ``sentence<TAB>label[<TAB>language]`` rows; a header line is optional.

    Labels are ``1``/``0`` (positive/negative) or ``negative``/``neutral``/``positive``.

    Args:
        path: The TSV file.
        default_language: Language of rows without a language column.

    Returns:
        The examples, in file order (empty sentences are skipped).

    Raises:
        ValueError: On a row without a label or with an unknown label.
    """
    examples = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for number, row in enumerate(reader, start=1):
            if not row or not row[0].strip():
                continue
            if len(row) < 2:
                raise ValueError(f"{path}:{number}: expected sentence<TAB>label")
            if number == 1 and row[1].strip().lower() == "label":
                continue
            try:
                label = parse_label(row[1])
            except ValueError as error:
                raise ValueError(f"{path}:{number}: {error}") from None
            language = row[2].strip().lower() if len(row) > 2 and row[2].strip() else None
            examples.append(Example(row[0].strip(), label, language or default_language))
    return examples


# --------------------------------------------------------------------------- text analysis

_EMOJI_POSITIVE = set("😀😃😄😁😆😊😍🥰😘😎🤩🙂😇👍👌🙏🎉🥳❤💕💖💯✨🤗😻⭐🌟💪👏☺😺")
_EMOJI_NEGATIVE = set("😠😡🤬😤😞😟😢😭😩😫😒🙄👎💩😣😖😕🙁☹😔😿🤮🤢😱💔😑😐")
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*['’]?|\d+|[!?]+|[.,;:]", re.UNICODE)
_REPEATS = re.compile(r"(\w)\1{2,}")
_URL = re.compile(r"https?://\S+|www\.\S+")
_CLAUSE_END = frozenset(".,;:!?")
_ELIDED = re.compile(r"^([^\W\d_]{1,3})['’](.+)$")
NEGATION_SCOPE = 3


@dataclass
class Lexicon:
    """Per-language word lists: positive, negative, negator, intensifier (``word*`` = prefix)."""

    exact: dict[tuple[str, str], str] = field(default_factory=dict)
    prefixes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> Lexicon:
        """Reads ``term<TAB>kind<TAB>language`` rows (with a header)."""
        lexicon = cls()
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                lexicon.add(row["term"], row["kind"], row["language"])
        return lexicon

    def add(self, term: str, kind: str, language: str) -> None:
        """Adds one term (lower-cased; a trailing ``*`` makes it a prefix)."""
        term = _fold(term.strip().lower())
        if term.endswith("*"):
            self.prefixes.setdefault(language, []).append((term[:-1], kind))
            self.prefixes[language].sort(key=lambda item: -len(item[0]))
        else:
            self.exact[(language, term)] = kind

    def kind(self, token: str, language: str) -> str | None:
        """The kind of a (folded, lower-case) token, or None."""
        found = self.exact.get((language, token))
        if found is not None:
            return found
        for prefix, kind in self.prefixes.get(language, ()):
            if token.startswith(prefix) and len(token) >= len(prefix) + 0:
                return kind
        return None

    def to_rows(self) -> list[list[str]]:
        """The lexicon as ``[term, kind, language]`` rows (for saving)."""
        rows = [[term, kind, language] for (language, term), kind in self.exact.items()]
        rows += [
            [f"{prefix}*", kind, language]
            for language, items in self.prefixes.items()
            for prefix, kind in items
        ]
        return rows

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[str]]) -> Lexicon:
        """Builds a lexicon from ``[term, kind, language]`` rows."""
        lexicon = cls()
        for term, kind, language in rows:
            lexicon.add(term, kind, language)
        return lexicon


def _fold(text: str) -> str:
    """Removes accents: "décevant" -> "decevant", "enttäuscht" -> "enttauscht"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """Lower-cases, folds accents, shortens "sooo" to "soo" and hides URLs."""
    text = unicodedata.normalize("NFKC", text)
    text = _URL.sub(" url ", text.lower())
    return _REPEATS.sub(r"\1\1", _fold(text))


@dataclass(frozen=True)
class Analysis:
    """Tokens and cues of one message, the input of the linear model's features."""

    tokens: list[str]
    text: str
    dense: list[float]


DENSE_FEATURES = (
    "lexicon_positive",
    "lexicon_negative",
    "negators",
    "intensified",
    "exclamations",
    "question",
    "emoji_positive",
    "emoji_negative",
    "upper_words",
    "length",
)


def analyse(text: str, language: str, lexicon: Lexicon) -> Analysis:
    """Tokenises a message and marks negation scope, lexicon hits and other cues.

    A word within ``NEGATION_SCOPE`` words after a negator (up to the end of the clause)
    gets a ``NEG_`` prefix, and its lexicon polarity flips.

    Args:
        text: The message (any string; empty is fine).
        language: One of :data:`LANGUAGES` (others use English word lists).
        language: Language code.
        lexicon: The word lists.

    Returns:
        The analysis.
    """
    raw = text if isinstance(text, str) else ""
    raw = raw[:2000]
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    emoji_pos = sum(1 for ch in raw if ch in _EMOJI_POSITIVE)
    emoji_neg = sum(1 for ch in raw if ch in _EMOJI_NEGATIVE)
    words = re.findall(r"[^\W\d_]{2,}", raw)
    upper = sum(1 for word in words if word.isupper() and len(word) > 2)
    clean = normalise(raw)
    tokens: list[str] = []
    for token in _TOKEN.findall(clean):
        elided = _ELIDED.match(token) if language != "en" else None
        if elided:
            tokens.extend([elided.group(1) + "'", elided.group(2)])
        else:
            tokens.append(token.replace("’", "'"))
    out: list[str] = []
    counts = dict.fromkeys(DENSE_FEATURES, 0.0)
    scope = 0
    boost = False
    for token in tokens:
        if token[0] in _CLAUSE_END:
            scope = 0
            boost = False
            if "!" in token:
                counts["exclamations"] += len(token)
                out.append("!")
            elif "?" in token:
                counts["question"] = 1.0
                out.append("?")
            continue
        kind = lexicon.kind(token, language)
        if kind == "negator" or (language == "en" and token.endswith("n't")):
            counts["negators"] += 1
            scope = NEGATION_SCOPE
            out.append(token)
            continue
        if kind == "intensifier":
            boost = True
            out.append(token)
            continue
        negated = scope > 0
        out.append(f"NEG_{token}" if negated else token)
        if kind in (POSITIVE, NEGATIVE):
            polarity = kind
            if negated:
                polarity = NEGATIVE if kind == POSITIVE else POSITIVE
            counts[f"lexicon_{polarity}"] += 1
            out.append(f"LEX_{polarity.upper()}")
            if boost:
                counts["intensified"] += 1 if polarity == POSITIVE else -1
        scope = max(0, scope - 1)
    out.extend(["EMOJI_POSITIVE"] * emoji_pos + ["EMOJI_NEGATIVE"] * emoji_neg)
    counts["emoji_positive"] = emoji_pos
    counts["emoji_negative"] = emoji_neg
    counts["upper_words"] = upper
    counts["length"] = len(tokens)
    dense = [math.copysign(math.log1p(abs(counts[name])), counts[name]) for name in DENSE_FEATURES]
    return Analysis(out, clean, dense)


# --------------------------------------------------------------------------- predictions


@dataclass(frozen=True)
class Prediction:
    """A model's answer for one message."""

    label: str
    score: float
    probabilities: dict[str, float]
    model: str

    def as_dict(self) -> dict[str, Any]:
        """The ``sentiment`` attribute of a parsed message."""
        return {"label": self.label, "score": round(self.score, 4), "model": self.model}


def prediction_from(probabilities: np.ndarray, classes: Sequence[str], model: str) -> Prediction:
    """Builds a prediction from class probabilities (score = P(pos) - P(neg))."""
    probs = {label: 0.0 for label in LABELS}
    for label, value in zip(classes, probabilities, strict=True):
        probs[label] = float(value)
    score = max(-1.0, min(1.0, probs[POSITIVE] - probs[NEGATIVE]))
    label = max(LABELS, key=lambda name: probs[name])
    return Prediction(label, score, probs, model)


class SentimentModel(Protocol):
    """What every sentiment model offers."""

    name: str

    def predict(self, text: str, language: str = DEFAULT_LANGUAGE) -> Prediction:
        """Predicts the sentiment of one message."""

    def save(self, directory: Path) -> None:
        """Writes the model into an (existing or new) directory."""


def load_model(directory: Path) -> SentimentModel:
    """Loads a model saved by any model's ``save``.

    Raises:
        ValueError: If the directory holds no valid model.
    """
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise ValueError(f"{directory}: no {MANIFEST}")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    kind = manifest.get("kind")
    if kind == LinearSentimentModel.kind:
        return LinearSentimentModel.load(directory, manifest)
    if kind == RoutedSentimentModel.kind:
        return RoutedSentimentModel.load(directory, manifest)
    if kind == GatedSentimentModel.kind:
        return GatedSentimentModel.load(directory, manifest)
    raise ValueError(f"{directory}: unknown model kind {kind!r}")


def _write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")


# --------------------------------------------------------------------------- linear model


@dataclass(frozen=True)
class LinearSettings:
    """Feature and training settings of the linear model."""

    hash_bits: int = 19
    char_min: int = 2
    char_max: int = 5
    char_weight: float = 0.5
    dense_weight: float = 1.0
    regularisation: float = 8.0
    max_iter: int = 2000
    solver: str = "lbfgs"


def _hash_index(strings: list[str], bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes feature strings (CRC-32, stable across processes) into buckets and signs."""
    hashes = np.fromiter(
        (zlib.crc32(s.encode("utf-8")) for s in strings), dtype=np.int64, count=len(strings)
    )
    signs = np.where(hashes & (1 << 31), -1.0, 1.0)
    return hashes & ((1 << bits) - 1), signs


class LinearSentimentModel:
    """Logistic regression over hashed n-grams and lexicon cues (see module docstring)."""

    kind = "linear"

    def __init__(
        self,
        name: str,
        lexicon: Lexicon,
        coef: np.ndarray,
        intercept: np.ndarray,
        classes: Sequence[str],
        settings: LinearSettings,
        info: dict[str, Any] | None = None,
    ) -> None:
        """Wraps trained weights (use :meth:`train` or :func:`load_model`)."""
        self.name = name
        self.lexicon = lexicon
        self.coef = np.asarray(coef, dtype=np.float32)
        self.coef_t = np.ascontiguousarray(self.coef.T)  # (features, classes) for fast products
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.classes = tuple(classes)
        self.settings = settings
        self.info = dict(info or {})

    # features -------------------------------------------------------------
    @staticmethod
    def feature_strings(analysis: Analysis, settings: LinearSettings) -> tuple[list[str], int]:
        """Word, bigram and character n-gram feature names; returns them and the word count."""
        tokens = analysis.tokens
        words = [f"w:{t}" for t in tokens]
        words += [f"b:{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
        chars = []
        for word in analysis.text.split():
            padded = f" {word[:30]} "
            for size in range(settings.char_min, settings.char_max + 1):
                chars.extend(
                    f"c:{padded[i : i + size]}" for i in range(max(1, len(padded) - size + 1))
                )
        return words + chars, len(words)

    @classmethod
    def features(
        cls, analysis: Analysis, settings: LinearSettings
    ) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and values of one message.

        The word and the character blocks are L2-normalised; the dense cue columns come
        after the hashed ones.
        """
        size = 1 << settings.hash_bits
        strings, n_words = cls.feature_strings(analysis, settings)
        index, signs = _hash_index(strings, settings.hash_bits)
        values = signs.copy()
        values[:n_words] /= math.sqrt(max(1, n_words))
        values[n_words:] *= settings.char_weight / math.sqrt(max(1, len(strings) - n_words))
        dense = np.asarray(analysis.dense) * settings.dense_weight
        columns = np.concatenate([index, np.arange(size, size + len(DENSE_FEATURES))])
        return columns, np.concatenate([values, dense])

    @classmethod
    def vectorise(cls, analyses: Sequence[Analysis], settings: LinearSettings) -> sp.csr_matrix:
        """Feature matrix of many messages (rows as in :meth:`features`)."""
        pairs = [cls.features(analysis, settings) for analysis in analyses]
        matrix = sp.csr_matrix(
            (
                np.concatenate([values for _, values in pairs]),
                np.concatenate([columns for columns, _ in pairs]),
                np.cumsum([0] + [len(columns) for columns, _ in pairs]),
            ),
            shape=(len(analyses), (1 << settings.hash_bits) + len(DENSE_FEATURES)),
        )
        matrix.sum_duplicates()
        return matrix

    # training -------------------------------------------------------------
    @classmethod
    def train(
        cls,
        examples: Sequence[Example],
        lexicon: Lexicon,
        name: str = "default",
        settings: LinearSettings | None = None,
        sample_weight: Sequence[float] | None = None,
    ) -> LinearSentimentModel:
        """Fits the model on labelled examples (seconds for a few thousand sentences).

        Raises:
            ValueError: With fewer than two labels in the data.
        """
        from sklearn.linear_model import LogisticRegression, SGDClassifier  # noqa: PLC0415

        settings = settings or LinearSettings()
        labels = sorted({example.label for example in examples}, key=LABELS.index)
        if len(labels) < 2:
            raise ValueError("sentiment training needs at least two different labels")
        analyses = [analyse(e.text, e.language, lexicon) for e in examples]
        matrix = cls.vectorise(analyses, settings)
        target = np.array([e.label for e in examples])
        if settings.solver == "sgd":  # large sets: minutes with lbfgs, seconds with SGD
            classifier = SGDClassifier(
                loss="log_loss",
                alpha=1.0 / (settings.regularisation * len(examples)),
                max_iter=settings.max_iter,
                tol=1e-4,
                class_weight="balanced",
                average=True,
                random_state=0,
            )
        else:
            classifier = LogisticRegression(
                C=settings.regularisation,
                max_iter=settings.max_iter,
                solver="lbfgs",
                class_weight="balanced",
            )
        weights = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        # fit on the columns that occur (a few 10k of 2**bits): much faster, same model
        used = np.unique(matrix.indices)
        classifier.fit(matrix[:, used], target, sample_weight=weights)
        coef = np.zeros((classifier.coef_.shape[0], matrix.shape[1]))
        coef[:, used] = classifier.coef_
        intercept = classifier.intercept_
        classes = list(classifier.classes_)
        if len(classes) == 2:  # binary: expand to the two-row form of a multinomial model
            coef = np.vstack([-coef[0] / 2, coef[0] / 2])
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        info = {
            "examples": len(examples),
            "languages": sorted({e.language for e in examples}),
            "labels": labels,
        }
        return cls(name, lexicon, coef, intercept, classes, settings, info)

    # prediction -----------------------------------------------------------
    def probabilities(self, texts: Sequence[str], languages: Sequence[str]) -> np.ndarray:
        """Class probabilities, one row per text (columns in ``self.classes`` order)."""
        analyses = [
            analyse(text, language, self.lexicon)
            for text, language in zip(texts, languages, strict=True)
        ]
        logits = np.empty((len(analyses), len(self.classes)))
        for row, analysis in enumerate(analyses):
            columns, values = self.features(analysis, self.settings)
            logits[row] = values @ self.coef_t[columns]
        logits += self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict(self, text: str, language: str = DEFAULT_LANGUAGE) -> Prediction:
        """Predicts the sentiment of one message."""
        probs = self.probabilities([text], [language])[0]
        return prediction_from(probs, self.classes, self.name)

    # persistence ----------------------------------------------------------
    def save(self, directory: Path) -> None:
        """Writes ``manifest.json``, ``weights.npz`` and ``lexicon.json``."""
        directory.mkdir(parents=True, exist_ok=True)
        nonzero = np.flatnonzero(np.any(self.coef != 0, axis=0))
        np.savez_compressed(
            directory / "weights.npz",
            columns=nonzero.astype(np.int64),
            coef=self.coef[:, nonzero],
            intercept=self.intercept,
        )
        (directory / "lexicon.json").write_text(
            json.dumps(self.lexicon.to_rows(), ensure_ascii=False), encoding="utf-8"
        )
        _write_manifest(
            directory,
            {
                "kind": self.kind,
                "name": self.name,
                "classes": list(self.classes),
                "settings": self.settings.__dict__,
                "info": self.info,
            },
        )

    @classmethod
    def load(cls, directory: Path, manifest: dict[str, Any]) -> LinearSentimentModel:
        """Reads a model written by :meth:`save`."""
        settings = LinearSettings(**manifest["settings"])
        with np.load(directory / "weights.npz") as arrays:
            width = (1 << settings.hash_bits) + len(DENSE_FEATURES)
            coef = np.zeros((len(manifest["classes"]), width), dtype=np.float32)
            coef[:, arrays["columns"]] = arrays["coef"]
            intercept = arrays["intercept"]
        rows = json.loads((directory / "lexicon.json").read_text(encoding="utf-8"))
        return cls(
            manifest["name"],
            Lexicon.from_rows(rows),
            coef,
            intercept,
            manifest["classes"],
            settings,
            manifest.get("info"),
        )


def train_default(
    data: Path = SHIPPED_DATA, lexicon: Path = SHIPPED_LEXICON, name: str = "default"
) -> LinearSentimentModel:
    """Trains the default model on the shipped shopping-chat sentences."""
    return LinearSentimentModel.train(read_examples(data), Lexicon.read(lexicon), name=name)


# --------------------------------------------------------------------------- routed model


class RoutedSentimentModel:
    """Sends each message to the model of its language, or to the fallback model."""

    kind = "routed"

    def __init__(
        self,
        name: str,
        routes: dict[str, SentimentModel],
        fallback: SentimentModel,
        info: dict[str, Any] | None = None,
    ) -> None:
        """Keeps the models (``routes`` maps language code -> model)."""
        self.name = name
        self.routes = routes
        self.fallback = fallback
        self.info = dict(info or {})

    def model_for(self, language: str) -> SentimentModel:
        """The model that answers messages in ``language``."""
        return self.routes.get(language, self.fallback)

    def predict(self, text: str, language: str = DEFAULT_LANGUAGE) -> Prediction:
        """Predicts with the language's model."""
        return self.model_for(language).predict(text, language)

    def save(self, directory: Path) -> None:
        """Saves each distinct model in a sub-directory and a manifest of the routes."""
        names: dict[int, str] = {}
        for model in [self.fallback, *self.routes.values()]:
            if id(model) not in names:
                names[id(model)] = f"m{len(names)}"
                model.save(directory / names[id(model)])
        _write_manifest(
            directory,
            {
                "kind": self.kind,
                "name": self.name,
                "fallback": names[id(self.fallback)],
                "routes": {lang: names[id(model)] for lang, model in self.routes.items()},
                "info": self.info,
            },
        )

    @classmethod
    def load(cls, directory: Path, manifest: dict[str, Any]) -> RoutedSentimentModel:
        """Reads a model written by :meth:`save`."""
        cache: dict[str, SentimentModel] = {}

        def sub(key: str) -> SentimentModel:
            if key not in cache:
                cache[key] = load_model(directory / key)
            return cache[key]

        routes = {lang: sub(key) for lang, key in manifest["routes"].items()}
        return cls(manifest["name"], routes, sub(manifest["fallback"]), manifest.get("info"))


# --------------------------------------------------------------------------- gated model


class GatedSentimentModel:
    """Neutral or not from one model (the gate), positive or negative from another.

    Used for a model trained on a large set of polar (positive/negative) sentences, such as
    film reviews: it knows polarity well but has seen few neutral shop questions, which
    the default model knows. The label is neutral when the gate says so, else the polarity
    model's sign; the score is the polarity model's score times the gate's P(not neutral).
    """

    kind = "gated"

    def __init__(
        self,
        name: str,
        gate: SentimentModel,
        polarity: SentimentModel,
        info: dict[str, Any] | None = None,
    ) -> None:
        """Keeps both models."""
        self.name = name
        self.gate = gate
        self.polarity = polarity
        self.info = dict(info or {})

    def predict(self, text: str, language: str = DEFAULT_LANGUAGE) -> Prediction:
        """Combines the gate's neutral decision with the polarity model's sign."""
        gate = self.gate.predict(text, language)
        polar = self.polarity.predict(text, language)
        polar_share = 1.0 - gate.probabilities.get(NEUTRAL, 0.0)
        score = polar.score * polar_share
        if gate.label == NEUTRAL:
            label = NEUTRAL
        else:
            label = POSITIVE if polar.score >= 0 else NEGATIVE
        return Prediction(label, score, polar.probabilities, self.name)

    def save(self, directory: Path) -> None:
        """Saves both models in sub-directories and a manifest."""
        self.gate.save(directory / "gate")
        self.polarity.save(directory / "polarity")
        _write_manifest(directory, {"kind": self.kind, "name": self.name, "info": self.info})

    @classmethod
    def load(cls, directory: Path, manifest: dict[str, Any]) -> GatedSentimentModel:
        """Reads a model written by :meth:`save`."""
        return cls(
            manifest["name"],
            load_model(directory / "gate"),
            load_model(directory / "polarity"),
            manifest.get("info"),
        )
