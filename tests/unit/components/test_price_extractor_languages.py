"""PriceExtractor in Spanish, German and French: one parametrised table per language."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.components import price_tables
from assistant.components._phrases import phrase_key
from assistant.components.price_extractor import PriceExtractor, extract_prices
from tests.unit.components.support import Parser, parse, round_trip

MAX, MIN, CUR, REL = "price_max", "price_min", "currency", "price_relative"
EUR, USD, GBP = (CUR, "EUR", "€"), (CUR, "USD", "$"), (CUR, "GBP", "£")

SPANISH = [
    ("entre 20 y 40 euros", [(MIN, "20", "20"), (MAX, "40", "40"), (CUR, "EUR", "euros")]),
    ("menos de 30 €", [(MAX, "30", "30"), EUR]),
    ("hasta 100 dólares", [(MAX, "100", "100"), (CUR, "USD", "dólares")]),
    ("hasta 100 dolares", [(MAX, "100", "100"), (CUR, "USD", "dolares")]),
    ("busco zapatillas por menos de 80 euros", [(MAX, "80", "80"), (CUR, "EUR", "euros")]),
    ("por debajo de 60", [(MAX, "60", "60")]),
    ("no más de 50 €", [(MAX, "50", "50"), EUR]),
    ("como máximo 70", [(MAX, "70", "70")]),
    ("50 euros como máximo", [(MAX, "50", "50"), (CUR, "EUR", "euros")]),
    ("60 o menos", [(MAX, "60", "60")]),
    ("más barato que 60", [(MAX, "60", "60")]),
    ("mi presupuesto es de 100 euros", [(MAX, "100", "100"), (CUR, "EUR", "euros")]),
    ("más de 100 €", [(MIN, "100", "100"), EUR]),
    ("a partir de 20 euros", [(MIN, "20", "20"), (CUR, "EUR", "euros")]),
    ("desde 30 libras", [(MIN, "30", "30"), (CUR, "GBP", "libras")]),
    ("al menos 40", [(MIN, "40", "40")]),
    ("de 20 a 40 euros", [(MIN, "20", "20"), (MAX, "40", "40"), (CUR, "EUR", "euros")]),
    ("20-40 €", [(MIN, "20", "20"), (MAX, "40", "40"), EUR]),
    ("unos 50 euros", [(MIN, "40", "50"), (MAX, "60", "50"), (CUR, "EUR", "euros")]),
    ("alrededor de 100", [(MIN, "80", "100"), (MAX, "120", "100")]),
    ("19,99 €", [(MAX, "19.99", "19,99"), EUR]),
    ("1.299,00 €", [(MAX, "1299", "1.299,00"), EUR]),
    ("por menos de 1.299 euros", [(MAX, "1299", "1.299"), (CUR, "EUR", "euros")]),
    # Mexican and US Spanish write the decimal point
    ("$19.99", [USD, (MAX, "19.99", "19.99")]),
    ("hasta $1,299.00", [USD, (MAX, "1299", "1,299.00")]),
    ("30 EUR", [(MAX, "30", "30"), (CUR, "EUR", "EUR")]),
    ("£45", [GBP, (MAX, "45", "45")]),
    ("más barato", [(REL, "cheaper", "más barato")]),
    ("algo mas barato", [(REL, "cheaper", "mas barato")]),
    ("¿hay algo más barato que eso?", [(REL, "cheaper", "más barato")]),
    ("unas más económicas", [(REL, "cheaper", "más económicas")]),
    ("algo más caro", [(REL, "more_expensive", "más caro")]),
    ("talla 42 por menos de 80 euros", [(MAX, "80", "80"), (CUR, "EUR", "euros")]),
    ("2 pares por menos de 50", [(MAX, "50", "50")]),
    ("una tienda de 2 plazas hasta 300", [(MAX, "300", "300")]),
    ("tiendas del 2020 por menos de 300", [(MAX, "300", "300")]),
]

GERMAN = [
    ("unter 100 €", [(MAX, "100", "100"), EUR]),
    ("zwischen 20 und 40 Euro", [(MIN, "20", "20"), (MAX, "40", "40"), (CUR, "EUR", "Euro")]),
    ("bis 50 Euro", [(MAX, "50", "50"), (CUR, "EUR", "Euro")]),
    ("höchstens 80", [(MAX, "80", "80")]),
    ("hoechstens 80", [(MAX, "80", "80")]),
    ("maximal 60 €", [(MAX, "60", "60"), EUR]),
    ("nicht mehr als 70 Euro", [(MAX, "70", "70"), (CUR, "EUR", "Euro")]),
    ("50 Euro oder weniger", [(MAX, "50", "50"), (CUR, "EUR", "Euro")]),
    ("günstiger als 60 Euro", [(MAX, "60", "60"), (CUR, "EUR", "Euro")]),
    ("ich will 80 Euro ausgeben", [(MAX, "80", "80"), (CUR, "EUR", "Euro")]),
    ("mein Budget liegt bei 120", [(MAX, "120", "120")]),
    ("über 100", [(MIN, "100", "100")]),
    ("ueber 100", [(MIN, "100", "100")]),
    ("ab 50 Euro", [(MIN, "50", "50"), (CUR, "EUR", "Euro")]),
    ("mindestens 40 €", [(MIN, "40", "40"), EUR]),
    ("100 Euro und mehr", [(MIN, "100", "100"), (CUR, "EUR", "Euro")]),
    ("von 20 bis 40 Euro", [(MIN, "20", "20"), (MAX, "40", "40"), (CUR, "EUR", "Euro")]),
    ("20 bis 40 Euro", [(MIN, "20", "20"), (MAX, "40", "40"), (CUR, "EUR", "Euro")]),
    ("um die 50 Euro", [(MIN, "40", "50"), (MAX, "60", "50"), (CUR, "EUR", "Euro")]),
    ("ca. 100", [(MIN, "80", "100"), (MAX, "120", "100")]),
    ("bis 19,99 €", [(MAX, "19.99", "19,99"), EUR]),
    ("1.299,00 €", [(MAX, "1299", "1.299,00"), EUR]),
    ("30 Pfund", [(MAX, "30", "30"), (CUR, "GBP", "Pfund")]),
    ("unter 50 Dollar", [(MAX, "50", "50"), (CUR, "USD", "Dollar")]),
    ("billiger", [(REL, "cheaper", "billiger")]),
    ("günstiger als das", [(REL, "cheaper", "günstiger")]),
    ("geht's auch günstiger?", [(REL, "cheaper", "günstiger")]),
    ("etwas Billigeres", [(REL, "cheaper", "Billigeres")]),
    ("gibt es was Preiswerteres", [(REL, "cheaper", "Preiswerteres")]),
    ("etwas teurer", [(REL, "more_expensive", "teurer")]),
    ("etwas Hochwertigeres", [(REL, "more_expensive", "Hochwertigeres")]),
    ("Wanderschuhe Größe 42 unter 100 Euro", [(MAX, "100", "100"), (CUR, "EUR", "Euro")]),
    ("2 Paar unter 50", [(MAX, "50", "50")]),
    ("ein Zelt für 2 Personen bis 300", [(MAX, "300", "300")]),
]

FRENCH = [
    ("moins de 30$", [(MAX, "30", "30"), USD]),
    ("entre 20 et 40 euros", [(MIN, "20", "20"), (MAX, "40", "40"), (CUR, "EUR", "euros")]),
    ("pas plus de 50 €", [(MAX, "50", "50"), EUR]),
    ("jusqu'à 80 €", [(MAX, "80", "80"), EUR]),
    ("jusqu’à 80 €", [(MAX, "80", "80"), EUR]),
    ("en dessous de 60", [(MAX, "60", "60")]),
    ("50 € maximum", [(MAX, "50", "50"), EUR]),
    ("pas plus cher que 60", [(MAX, "60", "60")]),
    ("moins cher que 60 euros", [(MAX, "60", "60"), (CUR, "EUR", "euros")]),
    ("mon budget est de 100 euros", [(MAX, "100", "100"), (CUR, "EUR", "euros")]),
    ("plus de 100 €", [(MIN, "100", "100"), EUR]),
    ("à partir de 20 euros", [(MIN, "20", "20"), (CUR, "EUR", "euros")]),
    ("a partir de 20 euros", [(MIN, "20", "20"), (CUR, "EUR", "euros")]),
    ("au moins 40", [(MIN, "40", "40")]),
    ("100 € ou plus", [(MIN, "100", "100"), EUR]),
    ("de 20 à 40 euros", [(MIN, "20", "20"), (MAX, "40", "40"), (CUR, "EUR", "euros")]),
    ("20 à 40 euros", [(MIN, "20", "20"), (MAX, "40", "40"), (CUR, "EUR", "euros")]),
    ("environ 50 euros", [(MIN, "40", "50"), (MAX, "60", "50"), (CUR, "EUR", "euros")]),
    ("dans les 50 balles", [(MIN, "40", "50"), (MAX, "60", "50"), (CUR, "EUR", "balles")]),
    ("un budget d'environ 150 €", [(MIN, "120", "150"), (MAX, "180", "150"), EUR]),
    ("d'au moins 30 euros", [(MIN, "30", "30"), (CUR, "EUR", "euros")]),
    ("19,99 €", [(MAX, "19.99", "19,99"), EUR]),
    ("1.299,00 €", [(MAX, "1299", "1.299,00"), EUR]),
    ("19.99€", [(MAX, "19.99", "19.99"), EUR]),
    ("30 livres", [(MAX, "30", "30"), (CUR, "GBP", "livres")]),
    ("moins de 40 dollars", [(MAX, "40", "40"), (CUR, "USD", "dollars")]),
    ("moins cher", [(REL, "cheaper", "moins cher")]),
    ("moins cher que ça", [(REL, "cheaper", "moins cher")]),
    ("un peu moins chère", [(REL, "cheaper", "moins chère")]),
    ("plus cher", [(REL, "more_expensive", "plus cher")]),
    ("des chaussures taille 42 à moins de 80 euros", [(MAX, "80", "80"), (CUR, "EUR", "euros")]),
    ("une tente 2 places à moins de 300 €", [(MAX, "300", "300"), EUR]),
    ("2 paires pour moins de 50", [(MAX, "50", "50")]),
]

# English keeps working through the same component (the language attribute says "en").
ENGLISH = [
    ("under 50", [(MAX, "50", "50")]),
    ("cheaper than that", [(REL, "cheaper", "cheaper")]),
    ("between 20 and 40 euros", [(MIN, "20", "20"), (MAX, "40", "40"), (CUR, "EUR", "euros")]),
]

POSITIVE = [
    *[("es", text, expected) for text, expected in SPANISH],
    *[("de", text, expected) for text, expected in GERMAN],
    *[("fr", text, expected) for text, expected in FRENCH],
    *[("en", text, expected) for text, expected in ENGLISH],
]

# sizes, order ids, quantities, units and dates: no price (a relative phrase may stay)
NEGATIVE = [
    ("es", "talla 42"),
    ("es", "zapatillas talla 42"),
    ("es", "en la talla 42 por favor"),
    ("es", "número 42"),
    ("es", "pedido 123456"),
    ("es", "¿dónde está mi pedido ORD-123456?"),
    ("es", "pedido número 1234"),
    ("es", "hasta 2 pares"),
    ("es", "más de 3 colores"),
    ("es", "al menos 4 estrellas"),
    ("es", "un 20% de descuento"),
    ("es", "hasta el 15 de mayo"),
    ("es", "en 3 días"),
    ("es", "una tienda para 4 personas"),
    ("es", "el 2"),
    ("es", "del 2020"),
    ("es", "unas botas que pesen menos de 2 libras"),
    ("es", "la segunda"),
    ("es", "ayúdame a decidir entre 1 y 2"),
    ("de", "Größe 42"),
    ("de", "Groesse 42"),
    ("de", "Schuhe in Größe 42"),
    ("de", "in 42 bitte"),
    ("de", "Bestellung 123456"),
    ("de", "Bestellung Nr. 1234"),
    ("de", "Nummer 2"),
    ("de", "bis zu 4 Personen"),
    ("de", "mindestens 4 Sterne"),
    ("de", "über 50%"),
    ("de", "Lieferung bis 12.05.?"),
    ("de", "innerhalb von 3 Tagen"),
    ("de", "ein Zelt, das unter 2 Pfund wiegt"),
    ("de", "aus 2019"),
    ("de", "der zweite"),
    ("de", "Unterschied zwischen 1 und 2?"),
    ("fr", "taille 42"),
    ("fr", "Taille 42"),
    ("fr", "je fais du 42"),
    ("fr", "en pointure 44"),
    ("fr", "commande 123456"),
    ("fr", "commande n° 1234"),
    ("fr", "numéro 3"),
    ("fr", "pas plus de 2 paires"),
    ("fr", "plus de 3 couleurs"),
    ("fr", "au moins 4 étoiles"),
    ("fr", "moins de 2 kg"),
    ("fr", "sous 3 jours"),
    ("fr", "le 2"),
    ("fr", "depuis 2020"),
    ("fr", "le deuxième"),
    ("fr", "c'est quoi la diff entre 1 et 2"),
]


def _ids(cases: list) -> list[str]:
    return [f"{case[0]}:{case[1]}" for case in cases]


@pytest.mark.parametrize(("language", "text", "expected"), POSITIVE, ids=_ids(POSITIVE))
def test_extracts_prices_per_language(
    parse_price: Parser, language: str, text: str, expected: list
) -> None:
    assert parse_price(text, language=language) == expected


@pytest.mark.parametrize(("language", "text"), NEGATIVE, ids=_ids(NEGATIVE))
def test_sizes_order_ids_and_units_are_not_prices(
    parse_price: Parser, language: str, text: str
) -> None:
    assert [e for e in parse_price(text, language=language) if e[0] != REL] == []


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # "19,99" is a German price; in English it is not a number at all
        ("19,99 €", "de", [(MAX, "19.99", "19,99"), EUR]),
        ("19,99 €", "en", [EUR]),
        # "1.299" is one thousand two hundred and ninety-nine in German
        ("under 1.299 €", "en", [EUR]),
        ("unter 1.299 €", "de", [(MAX, "1299", "1.299"), EUR]),
        # the German words mean nothing to the English table and vice versa
        ("unter 100", "en", []),
        ("under 100", "de", []),
        ("unter 100", "de-AT", [(MAX, "100", "100")]),
        ("menos de 30", "es_MX", [(MAX, "30", "30")]),
        ("moins de 30", "FR", [(MAX, "30", "30")]),
    ],
)
def test_table_follows_the_language_attribute(
    parse_price: Parser, text: str, language: str, expected: list
) -> None:
    assert parse_price(text, language=language) == expected


def test_message_without_language_uses_the_default_language(tmp_path: Path) -> None:
    german = round_trip(PriceExtractor, tmp_path, {"default_language": "de"})
    assert parse(german, "unter 100 €") == [(MAX, "100", "100"), EUR]
    assert parse(german, "under 100") == []
    # an explicit language still wins over the default
    assert parse(german, "under 100", language="en") == [(MAX, "100", "100")]


def test_component_adds_entities_with_its_name(price_extractor: PriceExtractor) -> None:
    message = Message(data={TEXT: "zwischen 20 und 40 Euro", "language": "de"})
    price_extractor.process([message])
    entities = message.get(ENTITIES)
    assert [(e["entity"], e["value"], e["extractor"]) for e in entities] == [
        (MIN, "20", "PriceExtractor"),
        (MAX, "40", "PriceExtractor"),
        (CUR, "EUR", "PriceExtractor"),
    ]


@pytest.mark.parametrize("language", ["es", "de", "fr"])
@pytest.mark.parametrize(
    "text",
    ["", "🙂🙂", "1.2.3,4,5 €", "9" * 5_000, "1,- " * 2_000, "entre " * 2_000, "<b>€</b>"],
)
def test_odd_inputs_never_raise(price_extractor: PriceExtractor, language: str, text: str) -> None:
    message = Message(data={TEXT: text, "language": language})
    assert price_extractor.process([message]) == [message]
    for entity in message.get(ENTITIES, []):
        assert 0 <= entity["start"] < entity["end"] <= len(text)


def test_every_language_has_a_table() -> None:
    assert set(price_tables.PRICE_LEXICONS) >= {"en", "es", "de", "fr"}
    for language in price_tables.PRICE_LEXICONS:
        assert extract_prices("", language) == []


def _keys(phrases: tuple[str, ...]) -> set[tuple[str, ...]]:
    return {phrase_key(phrase) for phrase in phrases}


@pytest.mark.parametrize("language", sorted(price_tables.PRICE_LEXICONS))
def test_tables_do_not_contradict_themselves(language: str) -> None:
    table = price_tables.PRICE_LEXICONS[language]
    prefixes = {
        "max": table.max_prefixes,
        "min": table.min_prefixes,
        "approx": table.approx_prefixes,
        "blocking": table.blocking_prefixes,
    }
    suffixes = {
        "max": table.max_suffixes,
        "min": table.min_suffixes,
        "approx": table.approx_suffixes,
        "blocking": table.blocking_units,
    }
    for kinds in (prefixes, suffixes):
        names = sorted(kinds)
        for index, first in enumerate(names):
            for second in names[index + 1 :]:
                both = _keys(kinds[first]) & _keys(kinds[second])
                assert not both, f"{language}: {first} and {second} share {both}"
    assert not _keys(table.cheaper_phrases) & _keys(table.pricier_phrases)
    assert all(phrase_key(entry) for entry in (*table.max_prefixes, *table.currency_words))
    assert set(table.currency_words.values()) <= {"USD", "EUR", "GBP"}


def test_spellings_add_the_forms_typed_without_accents() -> None:
    assert price_tables.spellings(["más de", "hasta"]) == ("más de", "mas de", "hasta")
    assert set(price_tables.spellings(["größe"], german=True)) == {
        "größe",
        "große",
        "grösse",
        "grosse",
        "groeße",
        "groesse",
    }
    assert price_tables.spellings(["jusqu'à"]) == ("jusqu'à", "jusqu'a")
