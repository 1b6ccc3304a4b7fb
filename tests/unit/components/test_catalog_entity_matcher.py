"""Tests for assistant.components.catalog_entity_matcher.CatalogEntityMatcher."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.data import TrainingType
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import ENTITIES, EXTRACTOR, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.components.catalog_entity_matcher import (
    DEFAULT_VOCABULARY_DIR,
    CatalogEntityMatcher,
)
from assistant.components.catalog_vocabulary import (
    CatalogTerms,
    build_patterns,
    load_synonym_tables,
    phrase_key,
    tokenize,
)
from tests.unit.components.support import parse, round_trip

REPO = Path(__file__).resolve().parents[3]
DEMO_CATALOG = REPO / "catalog" / "demo_catalog.jsonl"
SMALL_CATALOG = Path(__file__).parent / "data" / "catalog_matcher_small.jsonl"
LANGUAGES = ["en", "es", "de", "fr"]
MATCHER_PATH = "assistant.components.catalog_entity_matcher.CatalogEntityMatcher"
DIET = "DIETClassifier"

CAT, BRAND, COL, MAT, SIZE = "category", "brand", "colour", "material", "size"


@pytest.fixture(scope="module")
def demo_matcher(tmp_path_factory: pytest.TempPathFactory) -> CatalogEntityMatcher:
    """A matcher trained on the demo catalog (create -> train -> load)."""
    return round_trip(
        CatalogEntityMatcher,
        tmp_path_factory.mktemp("matcher_demo"),
        {"catalog": str(DEMO_CATALOG)},
    )


@pytest.fixture(scope="module")
def small_matcher(tmp_path_factory: pytest.TempPathFactory) -> CatalogEntityMatcher:
    """A matcher trained on a five-product catalog with awkward terms."""
    return round_trip(
        CatalogEntityMatcher,
        tmp_path_factory.mktemp("matcher_small"),
        {"catalog": str(SMALL_CATALOG)},
    )


def diet(entity: str, text: str, covered: str, value: str | None = None) -> dict[str, Any]:
    """An entity as DIET would report it for the first occurrence of `covered`."""
    start = text.index(covered)
    return {
        "entity": entity,
        "start": start,
        "end": start + len(covered),
        "value": covered if value is None else value,
        "confidence_entity": 0.9,
        EXTRACTOR: DIET,
    }


def run(
    matcher: CatalogEntityMatcher, text: str, language: str | None, entities: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    data: dict[str, Any] = {TEXT: text, ENTITIES: entities}
    if language:
        data["language"] = language
    message = Message(data=data)
    matcher.process([message])
    return list(message.get(ENTITIES, []))


def triples(text: str, entities: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(e["entity"], e["value"], text[e["start"] : e["end"]]) for e in entities]


# ---------------------------------------------------------------- the demo catalog, per language

DEMO_EN = [
    (
        "red running shoes size 10.5 from Trailforge",
        [
            (COL, "red", "red"),
            (CAT, "running shoes", "running shoes"),
            (SIZE, "10.5", "10.5"),
            (BRAND, "trailforge", "Trailforge"),
        ],
    ),
    ("trail running shoes", [(CAT, "trail running shoes", "trail running shoes")]),
    ("a Running Shoe", [(CAT, "running shoes", "Running Shoe")]),
    ("grey hoodie in M", [(COL, "grey", "grey"), (CAT, "hoodies", "hoodie"), (SIZE, "M", "M")]),
    (
        "gray tshirts XXL",
        [(COL, "grey", "gray"), (CAT, "t-shirts", "tshirts"), (SIZE, "XXL", "XXL")],
    ),
    ("t shirt or T-Shirt", [(CAT, "t-shirts", "t shirt"), (CAT, "t-shirts", "T-Shirt")]),
    ("organic-cotton tee", [(MAT, "organic cotton", "organic-cotton"), (CAT, "t-shirts", "tee")]),
    ("anything by alder and oak?", [(BRAND, "alder & oak", "alder and oak")]),
    ("Alder&Oak beanies", [(BRAND, "alder & oak", "Alder&Oak"), (CAT, "beanies", "beanies")]),
    (
        "urbanstride sneakers",
        [(BRAND, "urban stride", "urbanstride"), (CAT, "sneakers", "sneakers")],
    ),
    (
        "north peak merino socks",
        [
            (BRAND, "northpeak", "north peak"),
            (MAT, "merino wool", "merino"),
            (CAT, "socks", "socks"),
        ],
    ),
    (
        "recycled polyester rain jacket",
        [
            (MAT, "recycled polyester", "recycled polyester"),
            (CAT, "rain jackets", "rain jacket"),
        ],
    ),
    ("down jackets in xl", [(CAT, "down jackets", "down jackets"), (SIZE, "XL", "xl")]),
    (
        "goose down sleeping bag",
        [
            (MAT, "down", "goose down"),
            (CAT, "sleeping bags", "sleeping bag"),
        ],
    ),
    ("size 9 1/2 hiking boots", [(SIZE, "9.5", "9 1/2"), (CAT, "hiking boots", "hiking boots")]),
    ("jeans waist 32", [(CAT, "jeans", "jeans"), (SIZE, "32", "32")]),
    ("one size beanie", [(SIZE, "one size", "one size"), (CAT, "beanies", "beanie")]),
    ("extra large hoodies", [(SIZE, "XL", "extra large"), (CAT, "hoodies", "hoodies")]),
    ("wellies", [(CAT, "rain boots", "wellies")]),
    ("is it in large?", [(SIZE, "L", "large")]),
    ("filled with down", [(MAT, "down", "down")]),
    (
        "Cascadia's base layers",
        [(BRAND, "cascadia", "Cascadia"), (CAT, "base layers", "base layers")],
    ),
]
DEMO_ES = [
    (
        "zapatillas de running rojas talla M",
        [
            (CAT, "running shoes", "zapatillas de running"),
            (COL, "red", "rojas"),
            (SIZE, "M", "M"),
        ],
    ),
    ("unas zapatillas negras", [(CAT, "sneakers", "zapatillas"), (COL, "black", "negras")]),
    (
        "botas de montaña marrones de cuero, talla 9,5",
        [
            (CAT, "hiking boots", "botas de montaña"),
            (COL, "brown", "marrones"),
            (MAT, "leather", "cuero"),
            (SIZE, "9.5", "9,5"),
        ],
    ),
    ("botas de montana", [(CAT, "hiking boots", "botas de montana")]),
    (
        "una chaqueta de plumas azul marino",
        [
            (CAT, "down jackets", "chaqueta de plumas"),
            (COL, "navy", "azul marino"),
        ],
    ),
    (
        "camiseta de algodón orgánico talla mediana",
        [
            (CAT, "t-shirts", "camiseta"),
            (MAT, "organic cotton", "algodón orgánico"),
            (SIZE, "M", "mediana"),
        ],
    ),
    ("pantalones cortos verdes", [(CAT, "shorts", "pantalones cortos"), (COL, "green", "verdes")]),
    ("mochila de Kestrel", [(CAT, "backpacks", "mochila"), (BRAND, "kestrel", "Kestrel")]),
    ("quiero unas hiking boots en XL", [(CAT, "hiking boots", "hiking boots"), (SIZE, "XL", "XL")]),
    ("botas de ante", [(MAT, "suede", "ante")]),
    ("la tienda abre el domingo?", []),
    (
        "sudadera rosa talla única",
        [
            (CAT, "hoodies", "sudadera"),
            (COL, "pink", "rosa"),
            (SIZE, "one size", "talla única"),
        ],
    ),
]
DEMO_DE = [
    (
        "rote Wanderschuhe aus Leder",
        [
            (COL, "red", "rote"),
            (CAT, "hiking boots", "Wanderschuhe"),
            (MAT, "leather", "Leder"),
        ],
    ),
    (
        "eine dunkelblaue Regenjacke Größe L von Urban Stride",
        [
            (COL, "navy", "dunkelblaue"),
            (CAT, "rain jackets", "Regenjacke"),
            (SIZE, "L", "L"),
            (BRAND, "urban stride", "Urban Stride"),
        ],
    ),
    ("Laufschuhe in Grösse 10,5", [(CAT, "running shoes", "Laufschuhe"), (SIZE, "10.5", "10,5")]),
    ("Gr. M", [(SIZE, "M", "M")]),
    (
        "grüne Mütze aus Merinowolle",
        [
            (COL, "green", "grüne"),
            (CAT, "beanies", "Mütze"),
            (MAT, "merino wool", "Merinowolle"),
        ],
    ),
    ("kurze Hosen in Schwarz", [(CAT, "shorts", "kurze Hosen"), (COL, "black", "Schwarz")]),
    ("weisse Sneaker", [(COL, "white", "weisse"), (CAT, "sneakers", "Sneaker")]),
    ("Sneaker in weiß", [(CAT, "sneakers", "Sneaker"), (COL, "white", "weiß")]),
    ("ich weiß nicht", []),
    ("wie hat Bayern gespielt", []),
    (
        "gruene Schlafsaecke fuer den Winter",
        [(COL, "green", "gruene"), (CAT, "sleeping bags", "Schlafsaecke")],
    ),
    (
        "eine Daunenjacke in Einheitsgröße",
        [
            (CAT, "down jackets", "Daunenjacke"),
            (SIZE, "one size", "Einheitsgröße"),
        ],
    ),
]
DEMO_FR = [
    (
        "des chaussures de randonnée rouges en taille M",
        [
            (CAT, "hiking boots", "chaussures de randonnée"),
            (COL, "red", "rouges"),
            (SIZE, "M", "M"),
        ],
    ),
    ("je veux l'orange", [(COL, "orange", "orange")]),
    ("je peux payer par carte bleue ?", []),
    ("en moyenne, combien ?", []),
    ("une doudoune bleu marine", [(CAT, "down jackets", "doudoune"), (COL, "navy", "bleu marine")]),
    ("un sac à dos vert", [(CAT, "backpacks", "sac à dos"), (COL, "green", "vert")]),
    ("sac a dos", [(CAT, "backpacks", "sac a dos")]),
    (
        "pull en laine mérinos taille moyenne",
        [
            (CAT, "sweaters", "pull"),
            (MAT, "merino wool", "laine mérinos"),
            (SIZE, "M", "moyenne"),
        ],
    ),
    (
        "bottes d'hiver noires pointure 9",
        [
            (CAT, "winter boots", "bottes d'hiver"),
            (COL, "black", "noires"),
            (SIZE, "9", "9"),
        ],
    ),
    (
        "un tee-shirt en coton bio",
        [
            (CAT, "t-shirts", "tee-shirt"),
            (MAT, "organic cotton", "coton bio"),
        ],
    ),
]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [("en", t, e) for t, e in DEMO_EN]
    + [("es", t, e) for t, e in DEMO_ES]
    + [("de", t, e) for t, e in DEMO_DE]
    + [("fr", t, e) for t, e in DEMO_FR],
)
def test_demo_catalog_terms_per_language(
    demo_matcher: CatalogEntityMatcher, language: str, text: str, expected: list
) -> None:
    assert parse(demo_matcher, text, language=language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "scroll down please", []),
        ("en", "that took a long time", []),
        ("en", "a medium sized problem", []),
        ("en", "I'll take the large one", []),
        ("en", "in 2 days", []),
        ("en", "order #100234", []),
        ("es", "lo quiero en media hora", []),
        ("es", "ante todo, gracias", []),
        ("es", "la red no funciona", []),
        ("es", "una mochila grande", [(CAT, "backpacks", "mochila")]),
        ("es", "con bolsillo frontal", []),
        ("de", "das dauert zu lang", []),
        ("fr", "je le prends en l'état", []),
        ("fr", "un grand merci", []),
        ("fr", "des bottes imperméables", []),
    ],
)
def test_ambiguous_words_alone_are_no_entities(
    demo_matcher: CatalogEntityMatcher, language: str, text: str, expected: list
) -> None:
    assert parse(demo_matcher, text, language=language) == expected


def test_language_forms_stay_in_their_language(demo_matcher: CatalogEntityMatcher) -> None:
    # "rojo" is Spanish only; the catalog's own English values match in every language
    assert parse(demo_matcher, "rojo", language="es") == [(COL, "red", "rojo")]
    assert parse(demo_matcher, "rojo", language="en") == []
    assert parse(demo_matcher, "Wanderschuhe", language="fr") == []
    assert parse(demo_matcher, "red hoodies", language="de") == [
        (COL, "red", "red"),
        (CAT, "hoodies", "hoodies"),
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", [(COL, "red", "roja")]),
        ("es-MX", [(COL, "red", "roja")]),
        ("ES", [(COL, "red", "roja")]),
        ("it", []),
        (None, []),
    ],
)
def test_language_attribute_picks_the_table(
    demo_matcher: CatalogEntityMatcher, language: str | None, expected: list
) -> None:
    text = "roja"
    assert triples(text, run(demo_matcher, text, language, [])) == expected


def test_longest_match_wins(demo_matcher: CatalogEntityMatcher) -> None:
    text = "trail running shoes and running shoes"
    assert parse(demo_matcher, text, language="en") == [
        (CAT, "trail running shoes", "trail running shoes"),
        (CAT, "running shoes", "running shoes"),
    ]
    # "pantalones cortos" (shorts) over "pantalones" (hiking pants)
    assert parse(demo_matcher, "pantalones cortos", language="es") == [
        (CAT, "shorts", "pantalones cortos")
    ]


def test_entity_format(demo_matcher: CatalogEntityMatcher) -> None:
    message = Message(data={TEXT: "Red hoodies", "language": "en"})
    demo_matcher.process([message])
    colour = message.get(ENTITIES)[0]
    assert colour == {
        "entity": "colour",
        "value": "red",
        "start": 0,
        "end": 3,
        "confidence": 1.0,
        "confidence_entity": 1.0,
        "extractor": "CatalogEntityMatcher",
    }
    assert message.as_dict(only_output_properties=True)[ENTITIES][0]["value"] == "red"


# ---------------------------------------------------------------- special characters, literal

SMALL = [
    ("C++ tees", [(BRAND, "c++", "C++"), (CAT, "t-shirts", "tees")]),
    ("anything from c++?", [(BRAND, "c++", "c++")]),
    ("gore-tex (r) jacket", [(MAT, "gore-tex (r)", "gore-tex (r)")]),
    (
        "Gore-Tex (R) rain jacket by 5.11",
        [
            (MAT, "gore-tex (r)", "Gore-Tex (R)"),
            (CAT, "rain jackets", "rain jacket"),
            (BRAND, "5.11", "5.11"),
        ],
    ),
    ("is it 100% cotton?", [(MAT, "100% cotton", "100% cotton")]),
    ("[limited] boots", [(BRAND, "[limited]", "[limited]")]),
    (
        "Wanderschuhe Größe 42,5 von [limited]",
        [
            (CAT, "hiking boots", "Wanderschuhe"),
            (SIZE, "42.5", "42,5"),
            (BRAND, "[limited]", "[limited]"),
        ],
    ),
    ("Größe 42", [(SIZE, "42", "42")]),
    ("talla 43", [(SIZE, "43", "43")]),
]
SMALL_NOTHING = [
    "c",
    "c+",
    "cotton",
    "100%",
    "gore tex",
    "(R)",
    "limited edition",
    "5-11",
    "5x11",
    "15.11",
    "5.111",
    "a.11",
    "c.*",
    ".*",
    "[",
    "size 44",
    "(",
    "\\d+",
]


@pytest.mark.parametrize(("text", "expected"), SMALL)
def test_special_characters_match_literally(
    small_matcher: CatalogEntityMatcher, text: str, expected: list
) -> None:
    language = "de" if "Größe" in text else "es" if "talla" in text else "en"
    assert parse(small_matcher, text, language=language) == expected


@pytest.mark.parametrize("text", SMALL_NOTHING)
def test_special_characters_are_not_patterns(
    small_matcher: CatalogEntityMatcher, text: str
) -> None:
    found = parse(small_matcher, text, language="en")
    assert not [e for e in found if e[0] in (BRAND, MAT, SIZE)], found


def test_only_the_catalog_values_are_matched(small_matcher: CatalogEntityMatcher) -> None:
    # the small catalog has no running shoes, no orange, no size 10, no Trailforge
    assert parse(small_matcher, "orange running shoes size 10 by Trailforge", language="en") == []
    assert parse(small_matcher, "zapatillas", language="es") == []
    # its fleece is both a category (fleece jackets) and a material (fleece)
    assert parse(small_matcher, "fleece", language="en") == [(MAT, "fleece", "fleece")]


# ---------------------------------------------------------------- DIET interplay


def test_catalog_match_removes_overlapping_diet_entities(
    demo_matcher: CatalogEntityMatcher,
) -> None:
    text = "red running shoes"
    entities = [
        diet(CAT, text, "running"),
        diet(COL, text, "red running"),
        diet("quantity", text, "shoes"),
    ]
    found = run(demo_matcher, text, "en", entities)
    assert triples(text, found) == [(COL, "red", "red"), (CAT, "running shoes", "running shoes")]
    assert {e[EXTRACTOR] for e in found} == {"CatalogEntityMatcher"}


def test_diet_type_decides_an_ambiguous_span(demo_matcher: CatalogEntityMatcher) -> None:
    text = "a green fleece"
    as_category = run(demo_matcher, text, "en", [diet(CAT, text, "fleece")])
    assert triples(text, as_category)[-1] == (CAT, "fleece jackets", "fleece")
    alone = run(demo_matcher, text, "en", [])
    assert triples(text, alone)[-1] == (MAT, "fleece", "fleece")


@pytest.mark.parametrize(
    ("language", "text", "covered", "entity", "expected"),
    [
        ("en", "medium please", "medium", SIZE, "M"),
        ("en", "hoodies small", "small", SIZE, "S"),
        ("en", "down please", "down", MAT, "down"),
        ("es", "una mochila grande", "grande", SIZE, "L"),
        ("es", "la quiero mediana", "mediana", SIZE, "M"),
        ("de", "mittel bitte", "mittel", SIZE, "M"),
        ("fr", "moyen svp", "moyen", SIZE, "M"),
        ("de", "ich weiß", "weiß", COL, "white"),
        ("en", "the 9 please", "9", SIZE, "9"),
        ("de", "eher 9,5", "9,5", SIZE, "9.5"),
        ("en", "something sparkly", "sparkly", COL, "sparkly"),
        ("en", "medium", "medium", COL, "medium"),
    ],
)
def test_diet_entities_are_normalised_when_their_text_is_known(
    demo_matcher: CatalogEntityMatcher,
    language: str,
    text: str,
    covered: str,
    entity: str,
    expected: str,
) -> None:
    found = run(demo_matcher, text, language, [diet(entity, text, covered)])
    found = [e for e in found if e[EXTRACTOR] == DIET]
    assert [(e["entity"], e["value"]) for e in found] == [(entity, expected)]
    changed = expected != covered
    assert ("CatalogEntityMatcher" in found[0].get("processors", [])) is changed


def test_entities_of_other_extractors_are_kept(demo_matcher: CatalogEntityMatcher) -> None:
    text = "red hoodies under 50"
    price = {
        "entity": "price_max",
        "start": 18,
        "end": 20,
        "value": "50",
        EXTRACTOR: "PriceExtractor",
    }
    regex = {"entity": COL, "start": 0, "end": 3, "value": "red", EXTRACTOR: "RegexEntityExtractor"}
    found = run(demo_matcher, text, "en", [price, regex])
    assert price in found and regex in found
    assert [e["start"] for e in found] == sorted(e["start"] for e in found)
    assert (COL, "red", "red") in triples(
        text, [e for e in found if e[EXTRACTOR] != "RegexEntityExtractor"]
    )


# ---------------------------------------------------------------- training, persistence, retraining


def _storage(tmp_path: Path, name: str) -> tuple[LocalModelStorage, Resource, ExecutionContext]:
    (tmp_path / name).mkdir()
    return (
        LocalModelStorage.create(tmp_path / name),
        Resource("CatalogEntityMatcher"),
        ExecutionContext(GraphSchema({}), "test-model"),
    )


def test_a_new_brand_is_matchable_after_retraining(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.jsonl"
    shutil.copy(SMALL_CATALOG, catalog)
    config = {"catalog": str(catalog)}
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    before = round_trip(CatalogEntityMatcher, tmp_path / "first", config)
    fingerprint = CatalogEntityMatcher.fingerprint_addon(config)
    assert parse(before, "beanies by Zephyrine & Co.", language="en") == [
        (CAT, "beanies", "beanies")
    ]

    with catalog.open("a", encoding="utf-8") as handle:
        handle.write(
            '{"id": "SM-9", "title": "Zephyr Beanie", "brand": "Zephyrine & Co.", '
            '"category": "beanies", "price": 25, "colours": ["orange"]}\n'
        )
    assert CatalogEntityMatcher.fingerprint_addon(config) != fingerprint
    # the trained model keeps its vocabulary until it is retrained
    assert parse(before, "Zephyrine & Co.", language="en") == []
    after = round_trip(CatalogEntityMatcher, tmp_path / "second", config)
    assert parse(after, "beanies by Zephyrine & Co., in orange", language="es") == [
        (CAT, "beanies", "beanies"),
        (BRAND, "zephyrine & co.", "Zephyrine & Co."),
        (COL, "orange", "orange"),
    ]


def test_loading_needs_only_the_model_storage(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.jsonl"
    shutil.copy(SMALL_CATALOG, catalog)
    storage, resource, context = _storage(tmp_path, "model")
    config = {**CatalogEntityMatcher.get_default_config(), "catalog": str(catalog)}
    CatalogEntityMatcher.create(config, storage, resource, context).train(TrainingData())
    catalog.unlink()
    loaded = CatalogEntityMatcher.load(config, storage, resource, context)
    assert parse(loaded, "C++", language="en") == [(BRAND, "c++", "C++")]


def test_untrained_load_finds_nothing_and_does_not_fail(tmp_path: Path) -> None:
    storage, resource, context = _storage(tmp_path, "empty")
    loaded = CatalogEntityMatcher.load(
        CatalogEntityMatcher.get_default_config(), storage, resource, context
    )
    assert parse(loaded, "red running shoes", language="en") == []


def test_missing_catalog_is_a_clear_training_error(tmp_path: Path) -> None:
    storage, resource, context = _storage(tmp_path, "missing")
    config = {**CatalogEntityMatcher.get_default_config(), "catalog": str(tmp_path / "nope.jsonl")}
    component = CatalogEntityMatcher.create(config, storage, resource, context)
    with pytest.raises(InvalidConfigException, match="nope.jsonl"):
        component.train(TrainingData())


def test_invalid_synonym_table_is_a_clear_training_error(tmp_path: Path) -> None:
    (tmp_path / "vocab").mkdir()
    (tmp_path / "vocab" / "en.yml").write_text("colour: [red, blue]\n", encoding="utf-8")
    storage, resource, context = _storage(tmp_path, "bad")
    config = {
        **CatalogEntityMatcher.get_default_config(),
        "catalog": str(SMALL_CATALOG),
        "vocabulary": str(tmp_path / "vocab"),
    }
    component = CatalogEntityMatcher.create(config, storage, resource, context)
    with pytest.raises(InvalidConfigException, match="colour"):
        component.train(TrainingData())


@pytest.mark.parametrize(
    "config",
    [{"languages": []}, {"default_language": "it"}],
)
def test_invalid_config_is_rejected(tmp_path: Path, config: dict) -> None:
    storage, resource, context = _storage(tmp_path, "config")
    with pytest.raises(InvalidConfigException):
        CatalogEntityMatcher.create(
            {**CatalogEntityMatcher.get_default_config(), **config}, storage, resource, context
        )


@pytest.mark.parametrize("text", ["", "   ", None, 42, "🙂🙂", "x" * 5000, "+" * 300])
def test_odd_inputs_never_raise(demo_matcher: CatalogEntityMatcher, text: object) -> None:
    message = Message(data={TEXT: text, "language": "en"})
    demo_matcher.process([message])
    assert not message.get(ENTITIES)


def test_markup_keeps_offsets(demo_matcher: CatalogEntityMatcher) -> None:
    assert parse(demo_matcher, "<b>red</b> hoodies", language="en") == [
        (COL, "red", "red"),
        (CAT, "hoodies", "hoodies"),
    ]


def test_registered_as_trainable_entity_extractor_in_both_graphs() -> None:
    registered = DefaultV1Recipe._from_registry(MATCHER_PATH)
    assert registered.clazz is CatalogEntityMatcher
    assert registered.types == {DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR}
    assert registered.is_trainable is True
    config = {
        "recipe": "default.v1",
        "language": "en",
        "pipeline": [{"name": "WhitespaceTokenizer"}, {"name": MATCHER_PATH}],
        "policies": [],
    }
    graph = DefaultV1Recipe().graph_config_for_recipe(config, {}, training_type=TrainingType.NLU)
    assert any(n.uses is CatalogEntityMatcher for n in graph.train_schema.nodes.values())
    assert any(
        n.uses is CatalogEntityMatcher and n.fn == "process"
        for n in graph.predict_schema.nodes.values()
    )


# ---------------------------------------------------------------- the vocabulary builder


def test_tokens_are_folded_and_keep_offsets() -> None:
    text = "Größe 9,5 l'orange C++"
    tokens = tokenize(text)
    assert [t.norm for t in tokens] == ["grosse", "9", ",", "5", "l'", "orange", "c", "+", "+"]
    assert text[tokens[5].start : tokens[5].end] == "orange"
    assert phrase_key("T-Shirts") == phrase_key("t  shirts") == ("t", "shirts")
    assert phrase_key("Gore-Tex (R)") == ("gore", "tex", "(", "r", ")")
    assert phrase_key("5-11 - x") == ("5", "11", "-", "x")


def test_table_values_the_catalog_lacks_produce_no_patterns() -> None:
    terms = CatalogTerms.from_catalog(SMALL_CATALOG)
    tables = load_synonym_tables(DEFAULT_VOCABULARY_DIR, LANGUAGES)
    patterns = build_patterns(terms, tables)
    values = {(p.entity, p.value) for p in patterns}
    assert (CAT, "running shoes") not in values and (COL, "orange") not in values
    assert (CAT, "t-shirts") in values and (SIZE, "42.5") in values
    assert {p.language for p in patterns} == set(LANGUAGES)
