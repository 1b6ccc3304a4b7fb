"""Fixtures for the custom NLU component tests: model storage and round-tripped components."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.storage import ModelStorage

from assistant.components.ordinal_extractor import OrdinalExtractor
from assistant.components.price_extractor import PriceExtractor
from tests.unit.components.support import Parser, parse, round_trip


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


@pytest.fixture(scope="session")
def parse_price(price_extractor: PriceExtractor) -> Parser:
    """Runs the PriceExtractor on a text; returns (entity, value, covered text) triples."""
    return lambda text, **attributes: parse(price_extractor, text, **attributes)


@pytest.fixture(scope="session")
def parse_ordinal(ordinal_extractor: OrdinalExtractor) -> Parser:
    """Runs the OrdinalExtractor on a text; returns (entity, value, covered text) triples."""
    return lambda text, **attributes: parse(ordinal_extractor, text, **attributes)
