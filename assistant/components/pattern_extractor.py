"""The shared graph-component plumbing of the deterministic (pattern table) extractors.

`PriceExtractor` and `OrdinalExtractor` differ only in how they find entities in a text;
creating, loading, persisting their config and adding entities to messages live here.
"""

from __future__ import annotations

import abc
import logging
from collections.abc import Mapping
from typing import Any

import rasa.shared.utils.io
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.components._entities import LANGUAGE_ATTRIBUTE, new_entities, resolve_language

logger = logging.getLogger(__name__)


class PatternEntityExtractor(GraphComponent, EntityExtractorMixin, abc.ABC):
    """An entity extractor driven by per-language pattern tables; needs no training data.

    Subclasses set `CONFIG_FILE_NAME` and `LEXICONS` (language -> table), validate their
    config in `__init__` after calling this one, and implement `find`.
    """

    CONFIG_FILE_NAME = "pattern_extractor.json"
    LEXICONS: Mapping[str, Any] = {}

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        """Keeps the effective config (defaults overlaid with the given config)."""
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.default_language = str(self._config.get("default_language", "en")).lower()

    @abc.abstractmethod
    def find(self, text: str, language: str) -> list[dict[str, Any]]:
        """Returns the entities found in `text` with the table of `language`."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PatternEntityExtractor:
        """Creates a new component (see parent class for full docstring)."""
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> PatternEntityExtractor:
        """Loads the component, using the persisted config if there is one.

        The patterns live in code, so a component that was never persisted loads
        exactly like a new one.
        """
        try:
            with model_storage.read_from(resource) as path:
                persisted = rasa.shared.utils.io.read_json_file(path / cls.CONFIG_FILE_NAME)
        except (ValueError, FileNotFoundError):
            persisted = {}
        return cls({**persisted, **config}, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Persists the config; the patterns need no training data.

        Rasa does not call this (the components are registered as not trainable); it
        exists so that a trained copy can be stored and loaded like Rasa's own.

        Args:
            training_data: Ignored.

        Returns:
            The resource the config was written to.
        """
        self.persist()
        return self._resource

    def persist(self) -> None:
        """Writes the effective config to the model storage."""
        with self._model_storage.write_to(self._resource) as path:
            rasa.shared.utils.io.dump_obj_as_json_to_file(
                path / self.CONFIG_FILE_NAME, self._config
            )

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds the entities found to each message's entities.

        Never raises: a message whose text is missing or odd gets no new entities.

        Args:
            messages: The messages to process.

        Returns:
            The same messages, with entities appended.
        """
        for message in messages:
            try:
                self._process_one(message)
            except Exception:  # noqa: BLE001 - never break the NLU pipeline
                logger.exception("%s failed on a message; skipped it.", self.name)
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT)
        existing = message.get(ENTITIES)
        existing = list(existing) if isinstance(existing, list) else []
        if not isinstance(text, str) or not text.strip():
            return
        language = resolve_language(
            message.get(LANGUAGE_ATTRIBUTE), self.LEXICONS, self.default_language
        )
        added = self.add_extractor_name(new_entities(existing, self.find(text, language)))
        if added:
            message.set(ENTITIES, [*existing, *added], add_to_output=True)
