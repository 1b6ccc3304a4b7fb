"""Turns messages no classifier can read sensibly into the NLU fallback.

A 10,000-character paste gets some intent from DIET with high confidence, and the bot then
answers something unrelated. After the FallbackClassifier, this component marks a message
longer than `max_characters` as `nlu_fallback`, so the dialogue asks the shopper to say
briefly what they need.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class MessageGuard(GraphComponent):
    """Marks over-long messages as `nlu_fallback` (place it after the FallbackClassifier)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The component's default config (see parent class for full docstring)."""
        return {"max_characters": 1000}

    def __init__(self, config: dict[str, Any]) -> None:
        """Keeps the limit."""
        self.max_characters = int({**self.get_default_config(), **config}["max_characters"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageGuard:
        """Creates the component (see parent class for full docstring)."""
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Sets the fallback intent on messages longer than the limit.

        Args:
            messages: The messages to process.

        Returns:
            The same messages.
        """
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and len(text) > self.max_characters:
                fallback = {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 1.0}
                message.data[INTENT] = fallback
                ranking = message.data.get(INTENT_RANKING_KEY) or []
                message.data[INTENT_RANKING_KEY] = [fallback, *ranking]
        return messages
