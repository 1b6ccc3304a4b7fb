"""Tests for assistant.components.language_detector.LanguageDetector."""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.events import SlotSet
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.data import TrainingType
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.components.language_detector import (
    LANGUAGE_DETECTION_ATTRIBUTE,
    LanguageDetector,
)
from assistant.components.language_scoring import language_text, words_of

DETECTOR_PATH = "assistant.components.language_detector.LanguageDetector"


@pytest.fixture(scope="module")
def detector(tmp_path_factory: pytest.TempPathFactory) -> LanguageDetector:
    """A detector that went through create -> process_training_data -> load."""
    storage = LocalModelStorage.create(tmp_path_factory.mktemp("language_storage"))
    resource = Resource("LanguageDetector")
    context = ExecutionContext(GraphSchema({}), "test-model")
    config = LanguageDetector.get_default_config()
    created = LanguageDetector.create(config, storage, resource, context)
    created.process_training_data(TrainingData([Message(data={TEXT: "hola"})]))
    loaded = LanguageDetector.load(config, storage, resource, context)
    assert isinstance(loaded, LanguageDetector)
    return loaded


def tracker_with_language(language: str | None) -> DialogueStateTracker:
    events = [SlotSet("language", language)] if language else []
    return DialogueStateTracker.from_events(
        "shopper", events, slots=[TextSlot("language", mappings=[])]
    )


def run(
    detector: LanguageDetector,
    text: Any,
    *,
    previous: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> Message:
    data: dict[str, Any] = {TEXT: text}
    if metadata is not None:
        data["metadata"] = metadata
    message = Message(data=data)
    tracker = tracker_with_language(previous) if previous else None
    detector.process([message], tracker=tracker)
    return message


# Detected without any conversation context (default en would win otherwise).
DETECTED = [
    # English
    ("red shoes under 50", "en"),
    ("where is my order", "en"),
    ("thank you so much", "en"),
    ("I'd like to return the jacket, it's too small", "en"),
    ("thx", "en"),
    # Spanish
    ("hola", "es"),
    ("zapatillas rojas", "es"),
    ("muchas gracias", "es"),
    ("¿dónde está mi pedido?", "es"),
    ("quiero unas botas de cuero por menos de 80 euros", "es"),
    ("porfa", "es"),
    ("enséñame algo más barato", "es"),
    # German
    ("danke", "de"),
    ("rote Schuhe", "de"),
    ("wo ist meine Bestellung", "de"),
    ("Ich hätte gern eine Jacke in Größe M", "de"),
    ("zu teuer", "de"),
    ("gibt's das auch in blau?", "de"),
    # French
    ("merci", "fr"),
    ("bonjour", "fr"),
    ("chaussures rouges", "fr"),
    ("où est ma commande ?", "fr"),
    ("je voudrais une robe noire à moins de 40 €", "fr"),
    ("c'est trop cher", "fr"),
    ("stp", "fr"),
    # code-switching with a dominant language
    ("hola, necesito ayuda con my order por favor", "es"),
    ("Can you show me the Schuhe in red please", "en"),
    ("je cherche des sneakers Nike pas chères", "fr"),
]


@pytest.mark.parametrize(("text", "expected"), DETECTED)
def test_detects_language_without_context(
    detector: LanguageDetector, text: str, expected: str
) -> None:
    message = run(detector, text)
    assert message.get("language") == expected
    detection = message.get(LANGUAGE_DETECTION_ATTRIBUTE)
    assert detection["detected"] == expected
    assert detection["source"] == "detected"
    assert detection["confidence"] >= detector.min_confidence


@pytest.mark.parametrize(("text", "expected"), DETECTED)
def test_a_clear_message_flips_the_conversation_language(
    detector: LanguageDetector, text: str, expected: str
) -> None:
    previous = "de" if expected != "de" else "fr"
    assert run(detector, text, previous=previous).get("language") == expected


# Short, ambiguous or unsupported: the conversation's language is kept.
KEPT = [
    "",
    "   ",
    "ok",
    "no",
    "si",
    "12",
    "42.50",
    "ORD-123456",
    "ORD-123456 ?",
    "😀👍",
    "???",
    "Nike",
    "Nike Adidas Puma",
    "taxi",
    "hotel",
    "https://shop.example.com/p/123",
    "grazie mille",  # Italian
    "vorrei delle scarpe rosse",  # Italian
    "muito obrigado",  # Portuguese
    "dank je wel",  # Dutch
    "Привет",  # Russian: no candidate writes Cyrillic
    "こんにちは",  # Japanese
]


@pytest.mark.parametrize("previous", ["en", "es", "de", "fr"])
@pytest.mark.parametrize("text", KEPT)
def test_short_or_unsupported_keeps_conversation_language(
    detector: LanguageDetector, text: str, previous: str
) -> None:
    message = run(detector, text, previous=previous)
    assert message.get("language") == previous
    assert message.get(LANGUAGE_DETECTION_ATTRIBUTE)["source"] == "conversation"


@pytest.mark.parametrize("text", ["12345", "ORD-654321", "👍", "Adidas"])
def test_without_a_slot_the_metadata_hint_is_kept(detector: LanguageDetector, text: str) -> None:
    message = run(detector, text, metadata={"language": "de-AT", "customer_id": "c1"})
    assert message.get("language") == "de"
    assert message.get(LANGUAGE_DETECTION_ATTRIBUTE)["source"] == "metadata"


def test_slot_beats_metadata_and_detection_beats_both(detector: LanguageDetector) -> None:
    kept = run(detector, "ok", previous="fr", metadata={"language": "es"})
    assert (kept.get("language"), kept.get(LANGUAGE_DETECTION_ATTRIBUTE)["source"]) == (
        "fr",
        "conversation",
    )
    flipped = run(detector, "muchas gracias", previous="fr", metadata={"language": "de"})
    assert flipped.get("language") == "es"


@pytest.mark.parametrize(
    "metadata", [None, {}, {"language": "it"}, {"language": 3}, {"language": None}]
)
def test_without_slot_or_supported_hint_the_default_is_used(
    detector: LanguageDetector, metadata: dict[str, Any] | None
) -> None:
    message = run(detector, "12", metadata=metadata)
    assert message.get("language") == "en"
    detection = message.get(LANGUAGE_DETECTION_ATTRIBUTE)
    assert detection == {"detected": None, "confidence": 0.0, "source": "default"}


def test_an_unsupported_slot_value_is_ignored(detector: LanguageDetector) -> None:
    message = Message(data={TEXT: "ok", "metadata": {"language": "fr"}})
    detector.process([message], tracker=tracker_with_language("xx"))
    assert message.get("language") == "fr"


def test_an_unsupported_language_is_reported_but_not_used(detector: LanguageDetector) -> None:
    detection = run(detector, "grazie mille, a presto", previous="es").get(
        LANGUAGE_DETECTION_ATTRIBUTE
    )
    assert detection["detected"] == "it"
    assert detection["source"] == "conversation"


@pytest.mark.parametrize("text", [None, 42, "", "\n", "a" * 20000, "<b>hola</b>"])
def test_never_crashes(detector: LanguageDetector, text: Any) -> None:
    message = run(detector, text)
    assert message.get("language") in {"en", "es", "de", "fr"}


def test_language_and_details_are_output_properties(detector: LanguageDetector) -> None:
    message = run(detector, "hallo, ich suche eine Jacke")
    output = message.as_dict(only_output_properties=True)
    assert output["language"] == "de"
    assert output[LANGUAGE_DETECTION_ATTRIBUTE]["source"] == "detected"


def test_training_examples_get_a_language(detector: LanguageDetector) -> None:
    data = TrainingData(
        [
            Message(data={TEXT: "zeig mir rote Schuhe", "intent": "search"}),
            Message(data={TEXT: "montre-moi des chaussures rouges", "intent": "search"}),
            Message(data={TEXT: "ok", "intent": "affirm"}),
        ]
    )
    detector.process_training_data(data)
    assert [m.get("language") for m in data.training_examples] == ["de", "fr", "en"]


def test_languages_are_configurable(tmp_path: Path) -> None:
    storage = LocalModelStorage.create(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test-model")
    config = {**LanguageDetector.get_default_config(), "languages": ["de", "fr"]}
    config["default_language"] = "fr"
    only_two = LanguageDetector.create(config, storage, Resource("ld"), context)
    message = Message(data={TEXT: "muchas gracias por todo"})
    only_two.process([message])
    # Spanish is not a candidate any more: it must not come out as a language
    assert message.get("language") in {"de", "fr"}


@pytest.mark.parametrize(
    "config",
    [
        {"languages": []},
        {"languages": "en"},
        {"default_language": "it"},
        {"min_confidence": 1.5},
    ],
)
def test_invalid_config_is_rejected(config: dict[str, Any]) -> None:
    with pytest.raises(InvalidConfigException):
        LanguageDetector({**LanguageDetector.get_default_config(), **config})


def test_a_language_without_word_list_is_rejected(tmp_path: Path) -> None:
    detector = LanguageDetector({"languages": ["en", "xx"]})
    with pytest.raises(InvalidConfigException):
        detector.warm_up()


def test_text_cleaning_drops_codes_links_and_handles() -> None:
    cleaned = language_text("ORD-123456 at https://x.io/a?b=1 @shop #sale mail a@b.co 15-Zoll")
    assert words_of(cleaned) == ["at", "mail"]
    assert words_of("Größe L’homme") == ["grösse", "l'homme"]


def test_registered_as_untrainable_featurizer() -> None:
    registered = DefaultV1Recipe._from_registry(DETECTOR_PATH)
    assert registered.clazz is LanguageDetector
    assert registered.types == {DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER}
    assert registered.is_trainable is False


def test_recipe_runs_it_first_with_the_tracker() -> None:
    config = {
        "recipe": "default.v1",
        "language": "en",
        "pipeline": [
            {"name": DETECTOR_PATH, "min_confidence": 0.9},
            {"name": "WhitespaceTokenizer"},
            {"name": "KeywordIntentClassifier"},
        ],
        "policies": [{"name": "RulePolicy"}],
    }
    graph = DefaultV1Recipe().graph_config_for_recipe(config, {}, training_type=TrainingType.BOTH)
    predict = graph.predict_schema.nodes
    name = next(n for n, node in predict.items() if node.uses is LanguageDetector)
    assert predict[name].fn == "process"
    assert predict[name].needs == {"messages": "nlu_message_converter", "tracker": "__tracker__"}
    assert predict[name].config["min_confidence"] == 0.9
    tokenizer = next(n for n in predict if n.startswith("run_WhitespaceTokenizer"))
    assert predict[tokenizer].needs["messages"] == name
    train = graph.train_schema.nodes
    train_name = next(n for n, node in train.items() if node.uses is LanguageDetector)
    assert train[train_name].fn == "process_training_data"
    assert train[train_name].needs == {"training_data": "nlu_training_data_provider"}
    # Rasa's own graph validation (type hints of process/tracker included)
    from rasa.engine import validation

    validation.validate(graph)


def test_trained_model_sets_language_on_the_parse_result(tmp_path: Path) -> None:
    from rasa.core.agent import Agent
    from rasa.model_training import train

    (tmp_path / "config.yml").write_text(
        textwrap.dedent(
            f"""
            recipe: default.v1
            language: en
            assistant_id: language-test
            pipeline:
              - name: {DETECTOR_PATH}
              - name: WhitespaceTokenizer
              - name: KeywordIntentClassifier
            policies:
              - name: RulePolicy
            """
        )
    )
    (tmp_path / "domain.yml").write_text(
        textwrap.dedent(
            """
            version: "3.1"
            intents: [greet]
            slots:
              language:
                type: text
                influence_conversation: false
                mappings:
                  - type: custom
            responses:
              utter_greet:
                - text: hi
            """
        )
    )
    (tmp_path / "data.yml").write_text(
        textwrap.dedent(
            """
            version: "3.1"
            nlu:
              - intent: greet
                examples: |
                  - hello
                  - hola
                  - hallo
                  - bonjour
            rules:
              - rule: greet
                steps:
                  - intent: greet
                  - action: utter_greet
            """
        )
    )
    result = train(
        str(tmp_path / "domain.yml"),
        str(tmp_path / "config.yml"),
        [str(tmp_path / "data.yml")],
        output=str(tmp_path / "models"),
    )
    assert result.code == 0, result
    agent = Agent.load(result.model)

    parsed = asyncio.run(agent.parse_message("hola, quiero unas zapatillas rojas"))
    assert parsed["language"] == "es"
    assert parsed[LANGUAGE_DETECTION_ATTRIBUTE]["source"] == "detected"
    short = asyncio.run(agent.parse_message("ok"))
    assert short["language"] == "en"
    assert short[LANGUAGE_DETECTION_ATTRIBUTE]["source"] == "default"

    # with the conversation's tracker, the `language` slot is kept on a short message
    tracker = DialogueStateTracker.from_events(
        "shopper", [SlotSet("language", "de")], slots=agent.domain.slots
    )
    kept = asyncio.run(agent.processor.parse_message(UserMessage("ok"), tracker))
    assert kept["language"] == "de"
    assert kept[LANGUAGE_DETECTION_ATTRIBUTE]["source"] == "conversation"
    hinted = asyncio.run(
        agent.processor.parse_message(UserMessage("12", metadata={"language": "fr"}))
    )
    assert hinted["language"] == "fr"


def test_an_opening_message_takes_its_likely_language(detector: LanguageDetector) -> None:
    # no language yet: "Hallo!" (shared with Dutch, below min_confidence) opens German
    opening = run(detector, "Hallo!")
    assert opening.get("language") == "de"
    assert opening.get("language_detection")["source"] == "detected"
    # the slot's initial value alone (no slot event) is no conversation language either
    initial = DialogueStateTracker.from_events(
        "shopper", [], slots=[TextSlot("language", mappings=[], initial_value="en")]
    )
    message = Message(data={TEXT: "Hallo!"})
    detector.process([message], tracker=initial)
    assert message.get("language") == "de"
    # once the conversation is English, the same word keeps English
    assert run(detector, "Hallo!", previous="en").get("language") == "en"
    # too little to go on still falls back to the default
    assert run(detector, "ok").get("language") == "en"
    assert run(detector, "ciao").get("language") == "en"
