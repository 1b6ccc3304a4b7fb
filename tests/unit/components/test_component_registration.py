"""The components plug into Rasa's default recipe by their class path."""

from __future__ import annotations

import pytest
from rasa.engine.graph import GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.data import TrainingType

from assistant.components.ordinal_extractor import OrdinalExtractor
from assistant.components.price_extractor import PriceExtractor

PRICE_PATH = "assistant.components.price_extractor.PriceExtractor"
ORDINAL_PATH = "assistant.components.ordinal_extractor.OrdinalExtractor"


@pytest.mark.parametrize("component", [PriceExtractor, OrdinalExtractor])
def test_registered_as_untrainable_entity_extractor(
    component: type[GraphComponent],
) -> None:
    registered = DefaultV1Recipe._from_registry(f"{component.__module__}.{component.__name__}")
    assert registered.clazz is component
    assert registered.types == {DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR}
    assert registered.is_trainable is False


def test_recipe_puts_them_in_the_predict_graph() -> None:
    config = {
        "recipe": "default.v1",
        "language": "en",
        "pipeline": [
            {"name": "WhitespaceTokenizer"},
            {"name": PRICE_PATH, "approx_tolerance": 0.25},
            {"name": ORDINAL_PATH},
        ],
        "policies": [],
    }
    graph = DefaultV1Recipe().graph_config_for_recipe(config, {}, training_type=TrainingType.NLU)
    nodes = {
        node.uses: node
        for node in graph.predict_schema.nodes.values()
        if node.uses in (PriceExtractor, OrdinalExtractor)
    }
    assert set(nodes) == {PriceExtractor, OrdinalExtractor}
    assert all(node.fn == "process" for node in nodes.values())
    # untrainable: no stored resource, `load` falls back to the config alone
    assert all(node.resource is None for node in nodes.values())
    assert nodes[PriceExtractor].config["approx_tolerance"] == 0.25
    train_uses = {node.uses for node in graph.train_schema.nodes.values()}
    assert not train_uses & {PriceExtractor, OrdinalExtractor}
