"""Helpers for the custom NLU component tests (imported by conftest and tests)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

ComponentT = TypeVar("ComponentT", bound=GraphComponent)


def round_trip(
    component_class: type[ComponentT],
    storage_dir: Path,
    config: dict[str, Any] | None = None,
) -> ComponentT:
    """Creates, trains (persists) and loads a component the way Rasa's graph would.

    Args:
        component_class: The graph component class.
        storage_dir: An empty directory for the model storage.
        config: Config overriding the component's defaults.

    Returns:
        The component returned by ``load``.
    """
    model_storage = LocalModelStorage.create(storage_dir)
    resource = Resource(component_class.__name__)
    context = ExecutionContext(GraphSchema({}), "test-model")
    merged = {**component_class.get_default_config(), **(config or {})}
    component = component_class.create(merged, model_storage, resource, context)
    component.train(TrainingData())  # type: ignore[attr-defined]
    return component_class.load(merged, model_storage, resource, context)  # type: ignore[return-value]


Parser = Callable[..., list[tuple[str, str, str]]]


def parse(component: Any, text: Any, **attributes: Any) -> list[tuple[str, str, str]]:
    """Processes one message; returns (entity, value, covered text) for each entity."""
    message = Message(data={TEXT: text, **attributes})
    component.process([message])
    return [
        (entity["entity"], entity["value"], text[entity["start"] : entity["end"]])
        for entity in message.get(ENTITIES, [])
    ]
