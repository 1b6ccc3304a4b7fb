"""Tests for assistant.components.price_extractor.PriceExtractor."""

from __future__ import annotations

import dataclasses
from pathlib import Path

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

from assistant.components import price_tables
from assistant.components.price_extractor import PriceExtractor, extract_prices
from tests.unit.components.support import Parser, round_trip

MAX, MIN, CUR, REL = "price_max", "price_min", "currency", "price_relative"

POSITIVE = [
    # upper bounds
    ("under 80 dollars", [(MAX, "80", "80"), (CUR, "USD", "dollars")]),
    ("below $50", [(CUR, "USD", "$"), (MAX, "50", "50")]),
    ("less than 100", [(MAX, "100", "100")]),
    ("max 60", [(MAX, "60", "60")]),
    ("at most 40 bucks", [(MAX, "40", "40"), (CUR, "USD", "bucks")]),
    ("no more than €30", [(CUR, "EUR", "€"), (MAX, "30", "30")]),
    ("<50", [(MAX, "50", "50")]),
    ("<= 50", [(MAX, "50", "50")]),
    ("up to 70", [(MAX, "70", "70")]),
    ("50 or less", [(MAX, "50", "50")]),
    ("60 max", [(MAX, "60", "60")]),
    ("100 tops", [(MAX, "100", "100")]),
    ("cheaper than 60", [(MAX, "60", "60")]),
    ("less expensive than $60", [(CUR, "USD", "$"), (MAX, "60", "60")]),
    ("budget is 100", [(MAX, "100", "100")]),
    ("my budget is 150 quid", [(MAX, "150", "150"), (CUR, "GBP", "quid")]),
    ("I can spend 90", [(MAX, "90", "90")]),
    ("under 1k", [(MAX, "1000", "1k")]),
    ("under 1.5K", [(MAX, "1500", "1.5K")]),
    ("under 1,200", [(MAX, "1200", "1,200")]),
    ("tents under $1,200.50", [(CUR, "USD", "$"), (MAX, "1200.5", "1,200.50")]),
    ("no more than 30 quid", [(MAX, "30", "30"), (CUR, "GBP", "quid")]),
    ("under 19.99 euros", [(MAX, "19.99", "19.99"), (CUR, "EUR", "euros")]),
    ("UNDER 80 DOLLARS", [(MAX, "80", "80"), (CUR, "USD", "DOLLARS")]),
    ("under  80", [(MAX, "80", "80")]),
    # lower bounds
    ("over 100", [(MIN, "100", "100")]),
    ("more than 50", [(MIN, "50", "50")]),
    ("at least 20", [(MIN, "20", "20")]),
    (">100", [(MIN, "100", "100")]),
    ("100+", [(MIN, "100", "100")]),
    ("100 or more", [(MIN, "100", "100")]),
    ("150 and up", [(MIN, "150", "150")]),
    ("from $20", [(CUR, "USD", "$"), (MIN, "20", "20")]),
    ("more expensive than 100", [(MIN, "100", "100")]),
    # ranges
    ("from 20 to 40", [(MIN, "20", "20"), (MAX, "40", "40")]),
    ("between 20 and 40", [(MIN, "20", "20"), (MAX, "40", "40")]),
    ("20-40", [(MIN, "20", "20"), (MAX, "40", "40")]),
    ("20 – 40", [(MIN, "20", "20"), (MAX, "40", "40")]),
    ("$20 - $40", [(CUR, "USD", "$"), (MIN, "20", "20"), (MAX, "40", "40")]),
    ("£20-£40", [(CUR, "GBP", "£"), (MIN, "20", "20"), (MAX, "40", "40")]),
    ("20 to 40 dollars", [(MIN, "20", "20"), (MAX, "40", "40"), (CUR, "USD", "dollars")]),
    (
        "between 20 and 40 euros",
        [(MIN, "20", "20"), (MAX, "40", "40"), (CUR, "EUR", "euros")],
    ),
    ("price range 50-100", [(MIN, "50", "50"), (MAX, "100", "100")]),
    ("1k-2k", [(MIN, "1000", "1k"), (MAX, "2000", "2k")]),
    # approximate: +/- 20 %
    ("around 50", [(MIN, "40", "50"), (MAX, "60", "50")]),
    ("about $100", [(CUR, "USD", "$"), (MIN, "80", "100"), (MAX, "120", "100")]),
    ("~50", [(MIN, "40", "50"), (MAX, "60", "50")]),
    ("50ish", [(MIN, "40", "50"), (MAX, "60", "50")]),
    ("50 or so", [(MIN, "40", "50"), (MAX, "60", "50")]),
    ("around 19.99", [(MIN, "15.99", "19.99"), (MAX, "23.99", "19.99")]),
    ("budget around 50", [(MIN, "40", "50"), (MAX, "60", "50")]),
    # an amount with a currency and no cue is a budget
    ("80 bucks", [(MAX, "80", "80"), (CUR, "USD", "bucks")]),
    ("30€", [(MAX, "30", "30"), (CUR, "EUR", "€")]),
    ("USD 50", [(CUR, "USD", "USD"), (MAX, "50", "50")]),
    ("50 usd", [(MAX, "50", "50"), (CUR, "USD", "usd")]),
    ("US$50", [(CUR, "USD", "US$"), (MAX, "50", "50")]),
    ("£45", [(CUR, "GBP", "£"), (MAX, "45", "45")]),
    ("running shoes for 80 bucks", [(MAX, "80", "80"), (CUR, "USD", "bucks")]),
    ("2 for 50 dollars", [(MAX, "50", "50"), (CUR, "USD", "dollars")]),
    # currency alone
    ("show prices in euros", [(CUR, "EUR", "euros")]),
    ("do you take pounds?", [(CUR, "GBP", "pounds")]),
    # relative
    ("something cheaper", [(REL, "cheaper", "cheaper")]),
    ("cheaper", [(REL, "cheaper", "cheaper")]),
    ("any less expensive ones?", [(REL, "cheaper", "less expensive")]),
    ("at a lower price", [(REL, "cheaper", "lower price")]),
    ("more affordable please", [(REL, "cheaper", "more affordable")]),
    ("pricier ones", [(REL, "more_expensive", "pricier")]),
    ("something more premium", [(REL, "more_expensive", "more premium")]),
    ("higher end", [(REL, "more_expensive", "higher end")]),
    ("a more expensive one", [(REL, "more_expensive", "more expensive")]),
    ("cheaper than the first one", [(REL, "cheaper", "cheaper")]),
    ("cheaper ones under 50", [(REL, "cheaper", "cheaper"), (MAX, "50", "50")]),
    # prices next to sizes, quantities and order ids
    ("size 10 boots under $100", [(CUR, "USD", "$"), (MAX, "100", "100")]),
    ("boots under 100 in size 10", [(MAX, "100", "100")]),
    ("size 9.5 under 50", [(MAX, "50", "50")]),
    ("I wear US 10, max 120", [(MAX, "120", "120")]),
    ("I want 2 pairs under 50", [(MAX, "50", "50")]),
    ("hiking pants 32 waist under 60", [(MAX, "60", "60")]),
    ("W32 L34 jeans below 70", [(MAX, "70", "70")]),
    ("65 liter backpack under 200", [(MAX, "200", "200")]),
    ("2-person tent under 300", [(MAX, "300", "300")]),
    ("tents from 2019 under 300", [(MAX, "300", "300")]),
    ("0 degree sleeping bag below 150", [(MAX, "150", "150")]),
    ("show me 3 options under 100", [(MAX, "100", "100")]),
    ("32x34 jeans under 60", [(MAX, "60", "60")]),
    ("I need a 40L backpack under 120", [(MAX, "120", "120")]),
    ("It should cost 60€ at most", [(MAX, "60", "60"), (CUR, "EUR", "€")]),
    ("budget: 200", [(MAX, "200", "200")]),
    ("€ 40 - 60", [(CUR, "EUR", "€"), (MIN, "40", "40"), (MAX, "60", "60")]),
    (
        "between 40 € and 60 €",
        [(MIN, "40", "40"), (CUR, "EUR", "€"), (MAX, "60", "60")],
    ),
    ("running shoes, size 10, under 80 dollars", [(MAX, "80", "80"), (CUR, "USD", "dollars")]),
]

NEGATIVE = [
    "size 10",
    "size 9.5",
    "sizes 9-10",
    "US 10",
    "in a 10 please",
    "order 100234",
    "#100234",
    "ORD-100234",
    "ord100234",
    "where is order #100234?",
    "2 pairs",
    "at least 2 pairs",
    "32 waist",
    "under 32 waist",
    "W32",
    "W32 L32",
    "1,200",
    "the second one",
    "compare the first and the third",
    "I want 2",
    "a 3 season tent",
    "10% off",
    "over 50%",
    "more than 3 colours",
    "at least 4 stars",
    "up to 4 people",
    "within 2 days",
    "under 2 kg",
    "a tent under 2 pounds, it has to be lightweight",
    "from 2020",
    "2024-01-05",
    "it's 10:30",
    "on 12/05",
    "hello",
    "the cheapest",
    "thunder 50",
    "moreover 50",
    "from 1 to 3 pairs",
    "2-4 person tent",
    "return the 2 jackets from order 100234",
    "can I get it in 10.5?",
    "shoes between size 9 and 10",
    "track order #123456 please",
    "is there a 20% discount",
    "under fifty",
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE)
def test_extracts_prices(parse_price: Parser, text: str, expected: list) -> None:
    assert parse_price(text) == expected


@pytest.mark.parametrize("text", NEGATIVE)
def test_ignores_non_prices(parse_price: Parser, text: str) -> None:
    assert [e for e in parse_price(text) if e[0] != REL] == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\n\t",
        "🙂🙂🙂",
        "💸💸 👟",
        "<b>hi</b><script>alert(1)</script>",
        "<p>under <b>80</b> dollars</p>",
        "a" * 10_000,
        "under 80 dollars " * 600,
        "9" * 10_000,
        "1-" * 5_000,
        "$" * 10_000,
        "\x00\x01\x02",
        "١٢٣ under ٤٥",
        "ｕｎｄｅｒ ８０",
    ],
)
def test_odd_inputs_never_raise(price_extractor: PriceExtractor, text: str) -> None:
    message = Message(data={TEXT: text})
    assert price_extractor.process([message]) == [message]
    for entity in message.get(ENTITIES, []):
        assert 0 <= entity[ENTITY_ATTRIBUTE_START] < entity[ENTITY_ATTRIBUTE_END]
        assert entity[ENTITY_ATTRIBUTE_END] <= len(text)


@pytest.mark.parametrize("data", [{}, {TEXT: None}, {TEXT: 42}, {TEXT: ["under 80"]}])
def test_missing_or_non_text_is_skipped(price_extractor: PriceExtractor, data: dict) -> None:
    message = Message(data=dict(data))
    price_extractor.process([message])
    assert not message.get(ENTITIES)


def test_html_keeps_offsets(parse_price: Parser) -> None:
    assert parse_price("<p>under <b>80</b> dollars</p>") == [
        (MAX, "80", "80"),
        (CUR, "USD", "dollars"),
    ]


def test_repeated_currency_is_reported_once(parse_price: Parser) -> None:
    entities = parse_price("under 80 dollars, or 100 dollars max")
    assert [e for e in entities if e[0] == CUR] == [(CUR, "USD", "dollars")]
    assert (MAX, "80", "80") in entities and (MAX, "100", "100") in entities


def test_entity_format(price_extractor: PriceExtractor) -> None:
    message = Message(data={TEXT: "under 80 dollars"})
    price_extractor.process([message])
    first = message.get(ENTITIES)[0]
    assert first == {
        ENTITY_ATTRIBUTE_TYPE: "price_max",
        ENTITY_ATTRIBUTE_VALUE: "80",
        ENTITY_ATTRIBUTE_START: 6,
        ENTITY_ATTRIBUTE_END: 8,
        ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
        "confidence_entity": 1.0,
        EXTRACTOR: "PriceExtractor",
    }
    assert "entities" in message.as_dict(only_output_properties=True)


def test_keeps_other_entities_and_skips_duplicates(
    price_extractor: PriceExtractor,
) -> None:
    diet_category = {"entity": "category", "value": "boots", "start": 0, "end": 5}
    diet_price = {"entity": "price_max", "value": "80", "start": 12, "end": 14}
    message = Message(data={TEXT: "boots under 80 dollars", ENTITIES: [diet_category, diet_price]})
    price_extractor.process([message])
    entities = message.get(ENTITIES)
    assert entities[:2] == [diet_category, diet_price]
    assert [(e["entity"], e["start"]) for e in entities[2:]] == [("currency", 15)]
    # running twice adds nothing
    price_extractor.process([message])
    assert len(message.get(ENTITIES)) == 3


def test_processes_several_messages(price_extractor: PriceExtractor) -> None:
    messages = [Message(data={TEXT: t}) for t in ("under 50", "size 10", "over 20")]
    price_extractor.process(messages)
    assert [[e["entity"] for e in m.get(ENTITIES, [])] for m in messages] == [
        ["price_max"],
        [],
        ["price_min"],
    ]


def test_round_trip_persists_config(
    model_storage: ModelStorage, execution_context: ExecutionContext
) -> None:
    resource = Resource("price")
    config = {**PriceExtractor.get_default_config(), "approx_tolerance": 0.1}
    created = PriceExtractor.create(config, model_storage, resource, execution_context)
    assert created.train(TrainingData()) == resource
    with model_storage.read_from(resource) as path:
        assert (path / PriceExtractor.CONFIG_FILE_NAME).is_file()
    loaded = PriceExtractor.load({}, model_storage, resource, execution_context)
    assert loaded.tolerance == pytest.approx(0.1)
    message = Message(data={TEXT: "around 100"})
    loaded.process([message])
    assert [e["value"] for e in message.get(ENTITIES)] == ["90", "110"]


def test_load_without_persisted_data_behaves_like_create(
    model_storage: ModelStorage, execution_context: ExecutionContext
) -> None:
    loaded = PriceExtractor.load(
        PriceExtractor.get_default_config(),
        model_storage,
        Resource("never_trained"),
        execution_context,
    )
    message = Message(data={TEXT: "under 80"})
    loaded.process([message])
    assert message.get(ENTITIES)[0]["value"] == "80"


@pytest.mark.parametrize(
    "config", [{"default_language": "xx"}, {"approx_tolerance": 2}, {"approx_tolerance": "a"}]
)
def test_invalid_config_is_rejected(
    model_storage: ModelStorage, execution_context: ExecutionContext, config: dict
) -> None:
    with pytest.raises(InvalidConfigException):
        PriceExtractor.create(
            {**PriceExtractor.get_default_config(), **config},
            model_storage,
            Resource("bad"),
            execution_context,
        )


def test_unknown_language_falls_back_to_english(parse_price: Parser) -> None:
    assert parse_price("under 80", language="xx") == [(MAX, "80", "80")]
    assert parse_price("under 80", language="en-GB") == [(MAX, "80", "80")]


GERMAN = price_tables.PriceLexicon(
    decimal_separator=",",
    group_separator=".",
    currency_words={"euro": "EUR", "dollar": "USD"},
    max_prefixes=("unter", "bis", "höchstens", "weniger als"),
    min_prefixes=("über", "ab", "mindestens"),
    range_openers={"zwischen": ("und",), "von": ("bis",)},
    range_joiners=("bis",),
    cheaper_phrases=("günstiger", "billiger"),
    pricier_phrases=("teurer",),
    comparison_words=("als",),
    blocking_prefixes=("größe",),
    blocking_units=("paar",),
)


def test_a_language_is_a_table_entry(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(price_tables.PRICE_LEXICONS, "de", GERMAN)
    extractor = round_trip(PriceExtractor, tmp_path)
    cases = {
        "unter 100 €": [(MAX, "100", "100"), (CUR, "EUR", "€")],
        "zwischen 20 und 40 Euro": [
            (MIN, "20", "20"),
            (MAX, "40", "40"),
            (CUR, "EUR", "Euro"),
        ],
        "bis 19,99 €": [(MAX, "19.99", "19,99"), (CUR, "EUR", "€")],
        "ab 1.200 Euro": [(MIN, "1200", "1.200"), (CUR, "EUR", "Euro")],
        "etwas günstiger": [(REL, "cheaper", "günstiger")],
        "Größe 42": [],
    }
    for text, expected in cases.items():
        message = Message(data={TEXT: text, "language": "de"})
        extractor.process([message])
        got = [
            (e["entity"], e["value"], text[e["start"] : e["end"]])
            for e in message.get(ENTITIES, [])
        ]
        assert got == expected, text
    # English messages still use the English table
    assert extract_prices("under 80", "en") == extract_prices("under 80")


def test_tables_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        price_tables.ENGLISH.max_prefixes = ()  # type: ignore[misc]
