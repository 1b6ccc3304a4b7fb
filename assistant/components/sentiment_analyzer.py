"""Puts the shopper's mood on every message: ``sentiment`` = label, score, intensity, model.

The label is ``negative``, ``neutral`` or ``positive``; the score is in [-1, 1]
(``P(positive) - P(negative)``); ``intensity`` in [0, 1] says how heated the message is,
from lexical cues (:mod:`assistant.components.sentiment_intensity`: strong words, threats,
"never again", exclamations, capitals up; hedges and signs of calm down; no training);
``model`` names the model that answered (``default`` or the name of the larger-set model).
The message's ``language`` attribute (set by the LanguageDetector) picks the language's
word lists and, with a larger-set model, which model answers.

Training (``rasa train``) fits the default model on the project's own labelled
shopping-chat sentences (``data``, all four languages; a few seconds) and persists it in the
Rasa model. When ``extended_model_dir`` holds a valid model written by
``scripts/train_sentiment.py`` (``make train-sentiment DATA=FILE``), that model is persisted
too and answers the languages it was shown to be better for; every other language keeps the
default model. The model code lives in :mod:`assistant.components.sentiment_model`.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.components._entities import LANGUAGE_ATTRIBUTE
from assistant.components.sentiment_intensity import intensity
from assistant.components.sentiment_model import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    MANIFEST,
    NEUTRAL,
    Prediction,
    RoutedSentimentModel,
    SentimentModel,
    load_model,
    train_default,
)

logger = logging.getLogger(__name__)

SENTIMENT_ATTRIBUTE = "sentiment"
INTENSITY_KEY = "intensity"
PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
_MODEL_DIR = "sentiment_model"


def _project_path(value: str | Path) -> Path:
    """A configured path: as given if it exists, else relative to the project root."""
    path = Path(value)
    if path.is_absolute() or path.exists():
        return path
    return PROJECT_ROOT / path


def extended_languages(model: SentimentModel) -> list[str]:
    """Languages a larger-set model is meant for (its manifest's ``info.languages``)."""
    info = getattr(model, "info", {}) or {}
    languages = info.get("use_for_languages") or [DEFAULT_LANGUAGE]
    return [language for language in languages if language in LANGUAGES]


def load_extended(directory: Path) -> SentimentModel | None:
    """The larger-set model in ``directory``, or None when absent or invalid."""
    if not (directory / MANIFEST).is_file():
        return None
    try:
        model = load_model(directory)
        model.predict("ok", DEFAULT_LANGUAGE)
    except (OSError, ValueError, KeyError, TypeError) as error:
        logger.warning("Ignoring the sentiment model in %s: %s", directory, error)
        return None
    return model


def combine(default: SentimentModel, extended: SentimentModel | None) -> SentimentModel:
    """The model the assistant uses: the larger-set one for its languages, else the default."""
    if extended is None:
        return default
    routes = dict.fromkeys(extended_languages(extended), extended)
    if not routes:
        return default
    return RoutedSentimentModel(f"routed:{extended.name}", routes, default)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SentimentAnalyzer(GraphComponent):
    """Sets ``sentiment`` ({label, score, model}) on every message (see module docstring)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The component's default config (see parent class for full docstring)."""
        return {
            # labelled sentences: sentence<TAB>label<TAB>language (project root relative)
            "data": "assistant/sentiment/train.tsv",
            "lexicon": "assistant/sentiment/lexicon.tsv",
            # written by `make train-sentiment DATA=FILE`; used when present and valid
            "extended_model_dir": "var/sentiment/extended",
            "use_extended_model": True,
        }

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrains when the data, the lexicon or the larger-set model changes."""
        merged = {**cls.get_default_config(), **config}
        digest = hashlib.sha256()
        for key in ("data", "lexicon"):
            path = _project_path(merged[key])
            digest.update(path.read_bytes() if path.is_file() else b"missing")
        if merged["use_extended_model"]:
            directory = _project_path(merged["extended_model_dir"])
            for path in sorted(directory.rglob("*")) if directory.is_dir() else []:
                if path.is_file():
                    stat = path.stat()
                    digest.update(f"{path.relative_to(directory)}:{stat.st_size}".encode())
                    digest.update(str(stat.st_mtime_ns).encode())
        return digest.hexdigest()

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: SentimentModel | None = None,
    ) -> None:
        """Keeps the config, the storage to persist into and the trained model."""
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentimentAnalyzer:
        """Creates an untrained component (see parent class for full docstring)."""
        return cls(config, model_storage, resource)

    def _train_model(self) -> SentimentModel:
        default = train_default(
            _project_path(self.config["data"]), _project_path(self.config["lexicon"])
        )
        extended = None
        if self.config["use_extended_model"]:
            extended = load_extended(_project_path(self.config["extended_model_dir"]))
        model = combine(default, extended)
        logger.info("Sentiment model: %s", model.name)
        return model

    def train(self, training_data: TrainingData) -> Resource:
        """Fits the default model on the configured data and persists the model in use.

        The Rasa training data is not used: the sentiment data is a file of its own.

        Args:
            training_data: Rasa's NLU training data (ignored).

        Returns:
            The resource the model was persisted into.
        """
        self.model = self._train_model()
        with self._model_storage.write_to(self._resource) as directory:
            self.model.save(Path(directory) / _MODEL_DIR)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SentimentAnalyzer:
        """Loads the persisted model (see parent class for full docstring).

        A missing or unreadable model is replaced by a freshly trained default model.
        """
        try:
            with model_storage.read_from(resource) as directory:
                model = load_model(Path(directory) / _MODEL_DIR)
        except (ValueError, OSError, KeyError) as error:
            logger.warning("No stored sentiment model (%s); training the default one.", error)
            component = cls(config, model_storage, resource)
            component.model = component._train_model()
            return component
        return cls(config, model_storage, resource, model)

    def predict(self, text: Any, language: Any = None) -> Prediction:
        """The prediction for one text (an empty or non-text message is neutral)."""
        if self.model is None:
            self.model = self._train_model()
        if not isinstance(text, str) or not text.strip():
            name = getattr(self.model, "fallback", self.model).name
            return Prediction(NEUTRAL, 0.0, {NEUTRAL: 1.0}, name)
        lang = language if isinstance(language, str) and language in LANGUAGES else None
        return self.model.predict(text, lang or DEFAULT_LANGUAGE)

    def process(self, messages: list[Message]) -> list[Message]:
        """Sets ``sentiment`` (with its ``intensity``) on each message and the parse result.

        Args:
            messages: The messages to process.

        Returns:
            The same messages.
        """
        for message in messages:
            text = message.get(TEXT)
            language = message.get(LANGUAGE_ATTRIBUTE)
            sentiment = self.predict(text, language).as_dict()
            lang = language if isinstance(language, str) and language in LANGUAGES else None
            sentiment[INTENSITY_KEY] = intensity(text, lang or DEFAULT_LANGUAGE).value
            message.set(SENTIMENT_ATTRIBUTE, sentiment, add_to_output=True)
        return messages
