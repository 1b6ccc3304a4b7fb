"""Fixtures for the custom NLU component tests: model storage and round-tripped components."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.components.ordinal_extractor import OrdinalExtractor
from assistant.components.price_extractor import PriceExtractor

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


@pytest.fixture()
def model_storage(tmp_path: Path) -> ModelStorage:
    """A fresh local model storage in a temporary directory."""
    return LocalModelStorage.create(tmp_path)


@pytest.fixture()
def execution_context() -> ExecutionContext:
    """An execution context for a graph run with an empty schema."""
    return ExecutionContext(GraphSchema({}), "test-model")


@pytest.fixture(scope="session")
def price_extractor(tmp_path_factory: pytest.TempPathFactory) -> PriceExtractor:
    """A PriceExtractor that went through create -> train -> load."""
    return round_trip(PriceExtractor, tmp_path_factory.mktemp("price_storage"))


@pytest.fixture(scope="session")
def ordinal_extractor(tmp_path_factory: pytest.TempPathFactory) -> OrdinalExtractor:
    """An OrdinalExtractor that went through create -> train -> load."""
    return round_trip(OrdinalExtractor, tmp_path_factory.mktemp("ordinal_storage"))


Parser = Callable[..., list[tuple[str, str, str]]]


def _parse(component: Any, text: Any, **attributes: Any) -> list[tuple[str, str, str]]:
    message = Message(data={TEXT: text, **attributes})
    component.process([message])
    return [
        (entity["entity"], entity["value"], text[entity["start"] : entity["end"]])
        for entity in message.get(ENTITIES, [])
    ]


@pytest.fixture(scope="session")
def parse_price(price_extractor: PriceExtractor) -> Parser:
    """Runs the PriceExtractor on a text; returns (entity, value, covered text) triples."""
    return lambda text, **attributes: _parse(price_extractor, text, **attributes)


@pytest.fixture(scope="session")
def parse_ordinal(ordinal_extractor: OrdinalExtractor) -> Parser:
    """Runs the OrdinalExtractor on a text; returns (entity, value, covered text) triples."""
    return lambda text, **attributes: _parse(ordinal_extractor, text, **attributes)
