"""Detects the language of each message and keeps the conversation's language when unsure.

Sets two attributes on every message (both appear on the parse result and in the
tracker's ``latest_message``):

* ``language``: one of the configured ``languages`` (default en, es, de, fr), always set.
* ``language_detection``: ``{"detected": code or None, "confidence": float, "source": ...}``
  where ``detected`` is the detector's best guess (it may be an unsupported distractor
  language such as ``"it"``; None when the text has no letters), ``confidence`` its
  probability, and ``source`` tells where ``language`` came from: ``"detected"``,
  ``"conversation"`` (the tracker's ``language`` slot), ``"metadata"`` (the message
  metadata's ``language``, e.g. the widget's locale or the customer's preferred language)
  or ``"default"`` (``default_language``).

A message keeps the conversation's language instead of flipping when it has fewer than
``min_letters`` letters (numbers, emoji, order ids, "ok"), when the best language's
probability is below ``min_confidence`` (brand names alone, words shared by several
languages, code-switching without a dominant language), or when the best guess is a
language the assistant does not support.

The scoring lives in :mod:`assistant.components.language_scoring` (word frequencies,
langdetect's character n-gram profiles with a fixed seed, distinctive letters).

The component is registered as a message featurizer so that Rasa runs it both on the
training data (training examples get a ``language`` as well, for components that train
per language) and on every message at prediction time, in pipeline order; put it first.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.components._entities import LANGUAGE_ATTRIBUTE
from assistant.components.language_scoring import LanguageScorer, LanguageScores

logger = logging.getLogger(__name__)

#: Message attribute with the details of the decision.
LANGUAGE_DETECTION_ATTRIBUTE = "language_detection"
#: Name of the slot that holds the conversation's language.
LANGUAGE_SLOT = "language"
#: Key of the language hint in the message metadata.
METADATA_LANGUAGE_KEY = "language"

SOURCE_DETECTED = "detected"
SOURCE_CONVERSATION = "conversation"
SOURCE_METADATA = "metadata"
SOURCE_DEFAULT = "default"


def normalise_code(raw: Any, supported: tuple[str, ...]) -> str | None:
    """Maps "es-ES", "DE", "fr_CA" onto a supported ISO code; None if not supported.

    Args:
        raw: A language code or locale (may be anything).
        supported: The supported codes.

    Returns:
        The supported code, or None.
    """
    if not isinstance(raw, str):
        return None
    code = raw.strip().lower().replace("_", "-").split("-", 1)[0]
    return code if code in supported else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class LanguageDetector(GraphComponent):
    """Sets the `language` of each message; first in the pipeline, needs no training data."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The component's default config (see parent class for full docstring)."""
        return {
            # languages the assistant speaks: the only possible values of `language`
            "languages": ["en", "es", "de", "fr"],
            # language of a conversation with no slot and no metadata hint
            "default_language": "en",
            # unsupported languages that compete in the scoring, so that an Italian or
            # Portuguese message keeps the conversation's language instead of being read
            # as Spanish or French
            "distractor_languages": ["it", "pt", "nl"],
            # fewer letters than this keeps the conversation's language ("ok", "ja", "12")
            "min_letters": 3,
            # probability the best language needs to replace the conversation's language
            "min_confidence": 0.8,
            # probability enough for the first message of a conversation that has no
            # language yet (no `language` slot set, no metadata hint): "Hallo!" opens German
            "first_message_confidence": 0.5,
            # weight of langdetect's character n-gram evidence against word frequencies
            "char_weight": 0.3,
        }

    def __init__(self, config: dict[str, Any]) -> None:
        """Validates the config; the scorer is built on first use.

        Args:
            config: The component config (merged with the defaults).

        Raises:
            InvalidConfigException: If the config is inconsistent.
        """
        self._config = {**self.get_default_config(), **config}
        languages = self._config["languages"]
        if (
            not isinstance(languages, list)
            or not languages
            or not all(isinstance(lang, str) and lang for lang in languages)
        ):
            raise InvalidConfigException(
                f"{self.__class__.__name__}: 'languages' must be a non-empty list of ISO "
                f"codes, got {languages!r}."
            )
        self.languages = tuple(dict.fromkeys(lang.lower() for lang in languages))
        default = normalise_code(self._config["default_language"], self.languages)
        if default is None:
            raise InvalidConfigException(
                f"{self.__class__.__name__}: default_language "
                f"{self._config['default_language']!r} is not one of {list(self.languages)}."
            )
        self.default_language = default
        self.distractors = tuple(
            lang.lower()
            for lang in self._config["distractor_languages"] or []
            if lang.lower() not in self.languages
        )
        self.min_letters = int(self._config["min_letters"])
        self.min_confidence = float(self._config["min_confidence"])
        self.first_message_confidence = float(self._config["first_message_confidence"])
        if not 0.0 <= self.min_confidence <= 1.0:
            raise InvalidConfigException(
                f"{self.__class__.__name__}: min_confidence must be in [0, 1], "
                f"got {self.min_confidence}."
            )
        self.char_weight = float(self._config["char_weight"])
        self._scorer: LanguageScorer | None = None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        """Creates the component (see parent class for full docstring)."""
        detector = cls(config)
        detector.warm_up()
        return detector

    def warm_up(self) -> None:
        """Loads the word lists and n-gram profiles now rather than on the first message."""
        _ = self.scorer

    @property
    def scorer(self) -> LanguageScorer:
        """The scorer of the configured languages (built once).

        Raises:
            InvalidConfigException: If a language has no word list or n-gram profile.
        """
        if self._scorer is None:
            try:
                self._scorer = LanguageScorer(
                    self.languages, self.distractors, char_weight=self.char_weight
                )
            except ValueError as error:
                raise InvalidConfigException(f"{self.__class__.__name__}: {error}.") from error
        return self._scorer

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Sets the language of the training examples (without conversation context).

        Args:
            training_data: The training data.

        Returns:
            The same training data.
        """
        self.process(training_data.training_examples)
        return training_data

    def process(
        self,
        messages: list[Message],
        tracker: DialogueStateTracker | None = None,
    ) -> list[Message]:
        """Sets `language` and `language_detection` on each message.

        Args:
            messages: The messages to process.
            tracker: The conversation, whose `language` slot is the language to keep
                (None for NLU-only parsing and training).

        Returns:
            The same messages.
        """
        slot_language = self._slot_language(tracker)
        for message in messages:
            try:
                self._process_one(message, slot_language)
            except Exception:  # noqa: BLE001 - never break the NLU pipeline
                logger.exception("%s failed on a message; kept the default.", self.name)
                self._set(message, self.default_language, None, 0.0, SOURCE_DEFAULT)
        return messages

    @property
    def name(self) -> str:
        """The component's class name (for log messages)."""
        return self.__class__.__name__

    def detect(self, text: Any) -> tuple[str | None, str | None, float]:
        """Detects the language of a text without any conversation context.

        Args:
            text: The text (anything that is not a string counts as empty).

        Returns:
            ``(accepted, guess, confidence)``: the supported language if the evidence is
            strong enough (else None), the best guess including distractor languages
            (None without letters) and the guess's probability.
        """
        if not isinstance(text, str):
            return None, None, 0.0
        return self._decide(self.scorer.scores(text))

    def _decide(self, scores: LanguageScores) -> tuple[str | None, str | None, float]:
        """``detect``'s answer from the scores of a text."""
        guess = scores.best_overall
        if guess is None:
            return None, None, 0.0
        confidence = scores.probabilities[guess]
        accepted = (
            guess in self.languages
            and scores.letters >= self.min_letters
            and confidence >= self.min_confidence
        )
        return (guess if accepted else None), guess, round(confidence, 4)

    def conversation_language(self, message: Message, slot_language: str | None) -> tuple[str, str]:
        """The language to keep: slot, else metadata hint, else default.

        Args:
            message: The message (its metadata may carry a `language` hint).
            slot_language: The supported value of the tracker's `language` slot, if any.

        Returns:
            ``(language, source)``.
        """
        if slot_language:
            return slot_language, SOURCE_CONVERSATION
        metadata = message.get("metadata") or {}
        if isinstance(metadata, dict):
            hinted = normalise_code(metadata.get(METADATA_LANGUAGE_KEY), self.languages)
            if hinted:
                return hinted, SOURCE_METADATA
        return self.default_language, SOURCE_DEFAULT

    def _slot_language(self, tracker: DialogueStateTracker | None) -> str | None:
        """The `language` slot's value once the conversation has set it.

        The slot's initial value (no `slot` event for it yet) is not a language the
        shopper used, so it does not count.
        """
        if tracker is None:
            return None
        established = any(
            isinstance(event, SlotSet) and event.key == LANGUAGE_SLOT
            for event in reversed(tracker.events)
        )
        if not established:
            return None
        slot = getattr(tracker, "slots", {}).get(LANGUAGE_SLOT)
        return normalise_code(getattr(slot, "value", None), self.languages)

    def _first_guess(self, scores: LanguageScores) -> tuple[str, float] | None:
        """The best supported language when it is likely enough for an opening message."""
        best = scores.best
        if best is None or scores.letters < self.min_letters:
            return None
        probability = scores.probabilities.get(best, 0.0)
        if probability < self.first_message_confidence:
            return None
        return best, round(probability, 4)

    def _process_one(self, message: Message, slot_language: str | None) -> None:
        text = message.get(TEXT)
        scores = self.scorer.scores(text) if isinstance(text, str) else None
        accepted, guess, confidence = (
            self._decide(scores) if scores is not None else (None, None, 0.0)
        )
        if accepted:
            self._set(message, accepted, guess, confidence, SOURCE_DETECTED)
            return
        language, source = self.conversation_language(message, slot_language)
        if source == SOURCE_DEFAULT and scores is not None:
            first = self._first_guess(scores)
            if first is not None:
                self._set(message, first[0], guess, first[1], SOURCE_DETECTED)
                return
        self._set(message, language, guess, confidence, source)

    @staticmethod
    def _set(
        message: Message, language: str, guess: str | None, confidence: float, source: str
    ) -> None:
        message.set(LANGUAGE_ATTRIBUTE, language, add_to_output=True)
        message.set(
            LANGUAGE_DETECTION_ATTRIBUTE,
            {"detected": guess, "confidence": confidence, "source": source},
            add_to_output=True,
        )
