"""Tests for assistant.components.ordinal_extractor.OrdinalExtractor."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.components.ordinal_extractor import OrdinalExtractor
from tests.unit.components.support import Parser

WORDS = ["first", "second", "third", "fourth", "fifth"]
WORDS += ["sixth", "seventh", "eighth", "ninth", "tenth"]
CARDINALS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
NUMERALS = ["1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th"]


def _o(value: str, covered: str) -> tuple[str, str, str]:
    return ("ordinal", value, covered)


POSITIVE = [
    *[(word, [_o(str(i), word)]) for i, word in enumerate(WORDS, start=1)],
    *[(f"the {word} one", [_o(str(i), word)]) for i, word in enumerate(WORDS, start=1)],
    *[(numeral, [_o(str(i), numeral)]) for i, numeral in enumerate(NUMERALS, start=1)],
    *[(f"#{i}", [_o(str(i), str(i))]) for i in range(1, 11)],
    *[(f"the {i}", [_o(str(i), str(i))]) for i in range(1, 11)],
    *[(f"option {i}", [_o(str(i), str(i))]) for i in range(1, 11)],
    *[(f"number {w}", [_o(str(i), w)]) for i, w in enumerate(CARDINALS, start=1)],
    ("number 2", [_o("2", "2")]),
    ("no. 2", [_o("2", "2")]),
    ("No.2 please", [_o("2", "2")]),
    ("item 3", [_o("3", "3")]),
    ("option #2", [_o("2", "2")]),
    ("option two", [_o("2", "two")]),
    ("the first", [_o("1", "first")]),
    ("First one", [_o("1", "First")]),
    ("second one", [_o("2", "second")]),
    ("the 2nd one", [_o("2", "2nd")]),
    ("show me the 3rd", [_o("3", "3rd")]),
    ("last", [_o("-1", "last")]),
    ("the last one", [_o("-1", "last")]),
    ("that last one", [_o("-1", "last")]),
    ("how about the last option", [_o("-1", "last")]),
    ("the second to last one", [_o("-2", "second to last")]),
    ("penultimate", [_o("-2", "penultimate")]),
    ("the second one, in size 10?", [_o("2", "second")]),
    ("compare the first and the third", [_o("1", "first"), _o("3", "third")]),
    ("compare first, second and third", [_o("1", "first"), _o("2", "second"), _o("3", "third")]),
    ("the 2 and the 4", [_o("2", "2"), _o("4", "4")]),
    ("I'll take the 2", [_o("2", "2")]),
    ("the 1 please", [_o("1", "1")]),
    ("2", [_o("2", "2")]),
    (" 3 ", [_o("3", "3")]),
    ("2 please", [_o("2", "2")]),
    ("#3", [_o("3", "3")]),
    ("2.", [_o("2", "2")]),
    ("number 2 please", [_o("2", "2")]),
    ("tell me more about the first", [_o("1", "first")]),
    ("the first of them", [_o("1", "first")]),
    ("is the third one waterproof?", [_o("3", "third")]),
    ("does the second come in red?", [_o("2", "second")]),
    ("add the fourth pair to my cart", [_o("4", "fourth")]),
    ("THE SECOND ONE", [_o("2", "SECOND")]),
    ("the first may be too small", [_o("1", "first")]),
    ("what about the last pair", [_o("-1", "last")]),
    ("I'll go with number 3", [_o("3", "3")]),
    ("can I see the 1st and 2nd", [_o("1", "1st"), _o("2", "2nd")]),
    ("compare #1 and #3", [_o("1", "1"), _o("3", "3")]),
    ("the third, size 9.5", [_o("3", "third")]),
]

NEGATIVE = [
    "both",
    "compare them",
    "the one in red",
    "that one",
    "size 10",
    "size 9.5",
    "US 10",
    "2 pairs",
    "I want 2",
    "the 2 jackets",
    "32 waist",
    "W32",
    "the 50 dollar one",
    "the $20 one",
    "under 80 dollars",
    "order 100234",
    "#100234",
    "ORD-100234",
    "order #2",
    "order number 2",
    "option 11",
    "the 12",
    "eleventh",
    "0",
    "#0",
    "is it the first time?",
    "for the first time",
    "last week I ordered boots",
    "my last order",
    "my first pair of boots",
    "at last",
    "wait a second",
    "one second please",
    "second hand boots",
    "second-hand boots",
    "do these boots last long?",
    "boots that last",
    "built to last",
    "will they last?",
    "first aid kit",
    "First, show me tents",
    "first I want to see boots",
    "first of all, hi",
    "the first two",
    "the first 2",
    "last 3 please",
    "give me the 3 in size 10",
    "2024-01-05",
    "10:30",
    "hello",
    "first things first",
    "the 3rd of May",
    "my first order never arrived",
    "return the 2 jackets from order 100234",
    "show me 3 options",
    "I want the one in position 2",
    "the 5 dollar one",
    "give me the cheapest",
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE)
def test_extracts_ordinals(parse_ordinal: Parser, text: str, expected: list) -> None:
    assert parse_ordinal(text) == expected


@pytest.mark.parametrize("text", NEGATIVE)
def test_ignores_non_ordinals(parse_ordinal: Parser, text: str) -> None:
    assert parse_ordinal(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "🙂🙂🙂",
        "👟 #2 👟",
        "<b>the second one</b><script>alert(1)</script>",
        "a" * 10_000,
        "the first " * 1_000,
        "2" * 10_000,
        "#" * 10_000,
        "\x00\x01",
        "ｔｈｅ ２",
    ],
)
def test_odd_inputs_never_raise(ordinal_extractor: OrdinalExtractor, text: str) -> None:
    message = Message(data={TEXT: text})
    assert ordinal_extractor.process([message]) == [message]
    for entity in message.get(ENTITIES, []):
        assert 0 <= entity[ENTITY_ATTRIBUTE_START] < entity[ENTITY_ATTRIBUTE_END]
        assert entity[ENTITY_ATTRIBUTE_END] <= len(text)


@pytest.mark.parametrize("data", [{}, {TEXT: None}, {TEXT: 3}])
def test_missing_or_non_text_is_skipped(ordinal_extractor: OrdinalExtractor, data: dict) -> None:
    message = Message(data=dict(data))
    ordinal_extractor.process([message])
    assert not message.get(ENTITIES)


def test_html_keeps_offsets(parse_ordinal: Parser) -> None:
    assert parse_ordinal("<p>the <b>second</b> one</p>") == [_o("2", "second")]


def test_entity_format(ordinal_extractor: OrdinalExtractor) -> None:
    message = Message(data={TEXT: "the second one"})
    ordinal_extractor.process([message])
    assert message.get(ENTITIES) == [
        {
            ENTITY_ATTRIBUTE_TYPE: "ordinal",
            ENTITY_ATTRIBUTE_VALUE: "2",
            ENTITY_ATTRIBUTE_START: 4,
            ENTITY_ATTRIBUTE_END: 10,
            ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
            "confidence_entity": 1.0,
            EXTRACTOR: "OrdinalExtractor",
        }
    ]


def test_keeps_other_entities_and_skips_duplicates(
    ordinal_extractor: OrdinalExtractor,
) -> None:
    size = {"entity": "size", "value": "10", "start": 23, "end": 25}
    diet_ordinal = {"entity": "ordinal", "value": "2", "start": 4, "end": 10}
    text = "the second one, in size 10"
    message = Message(data={TEXT: text, ENTITIES: [size, diet_ordinal]})
    ordinal_extractor.process([message])
    assert message.get(ENTITIES) == [size, diet_ordinal]


def test_round_trip_persists_config(
    model_storage: ModelStorage, execution_context: ExecutionContext
) -> None:
    resource = Resource("ordinal")
    config = {**OrdinalExtractor.get_default_config(), "max_index": 20}
    created = OrdinalExtractor.create(config, model_storage, resource, execution_context)
    assert created.train(TrainingData()) == resource
    loaded = OrdinalExtractor.load({}, model_storage, resource, execution_context)
    assert loaded.max_index == 20
    message = Message(data={TEXT: "option 12"})
    loaded.process([message])
    assert [e["value"] for e in message.get(ENTITIES)] == ["12"]


@pytest.mark.parametrize(
    "config", [{"default_language": "xx"}, {"max_index": 0}, {"max_index": True}]
)
def test_invalid_config_is_rejected(
    model_storage: ModelStorage, execution_context: ExecutionContext, config: dict
) -> None:
    with pytest.raises(InvalidConfigException):
        OrdinalExtractor.create(
            {**OrdinalExtractor.get_default_config(), **config},
            model_storage,
            Resource("bad"),
            execution_context,
        )


def test_language_attribute_falls_back_to_english(parse_ordinal: Parser) -> None:
    assert parse_ordinal("the second one", language="it") == [_o("2", "second")]
    assert parse_ordinal("the second one", language="xx") == [_o("2", "second")]
