"""MessageGuard: over-long messages become nlu_fallback; others keep their intent."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.components.message_guard import MessageGuard


def guard(tmp_path, **config) -> MessageGuard:  # type: ignore[no-untyped-def]
    return MessageGuard.create(
        {**MessageGuard.get_default_config(), **config},
        LocalModelStorage(tmp_path),
        Resource("guard"),
        ExecutionContext(GraphSchema({}), "test"),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x" * 10_000, "nlu_fallback"),
        ("red running shoes " * 100, "nlu_fallback"),
        ("red running shoes", "search_product"),
        ("y" * 1000, "search_product"),
        ("", "search_product"),
    ],
)
def test_long_messages_become_fallback(tmp_path, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    message = Message({TEXT: text})
    message.set(INTENT, {"name": "search_product", "confidence": 0.97})
    message.set(INTENT_RANKING_KEY, [{"name": "search_product", "confidence": 0.97}])
    guard(tmp_path).process([message])
    assert message.get(INTENT)["name"] == expected
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == expected


def test_limit_is_configurable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    message = Message({TEXT: "hello there"})
    message.set(INTENT, {"name": "greet", "confidence": 0.99})
    guard(tmp_path, max_characters=5).process([message])
    assert message.get(INTENT)["name"] == "nlu_fallback"
