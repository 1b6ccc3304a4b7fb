"""OrdinalExtractor in Spanish, German and French: one parametrised table per language."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.components import ordinal_tables
from assistant.components._phrases import phrase_key
from assistant.components.ordinal_extractor import OrdinalExtractor
from tests.unit.components.support import Parser, parse, round_trip


def _o(value: str, covered: str) -> tuple[str, str, str]:
    return ("ordinal", value, covered)


SPANISH = [
    ("el segundo", [_o("2", "segundo")]),
    ("la primera", [_o("1", "primera")]),
    ("el último", [_o("-1", "último")]),
    ("el ultimo", [_o("-1", "ultimo")]),
    ("la penúltima", [_o("-2", "penúltima")]),
    ("el tercero", [_o("3", "tercero")]),
    ("la cuarta", [_o("4", "cuarta")]),
    ("el décimo", [_o("10", "décimo")]),
    ("el primer modelo", [_o("1", "primer")]),
    ("la primera opción", [_o("1", "primera")]),
    ("me gusta la tercera, ¿la tienen en talla 42?", [_o("3", "tercera")]),
    ("compara el primero y el tercero", [_o("1", "primero"), _o("3", "tercero")]),
    ("el 2", [_o("2", "2")]),
    ("quiero ver el 2", [_o("2", "2")]),
    ("la 3 por favor", [_o("3", "3")]),
    ("número 3", [_o("3", "3")]),
    ("opción dos", [_o("2", "dos")]),
    ("el 2º", [_o("2", "2º")]),
    ("la 3ª", [_o("3", "3ª")]),
    ("el 2do", [_o("2", "2do")]),
    ("la 1ra", [_o("1", "1ra")]),
    ("2", [_o("2", "2")]),
    ("2 por favor", [_o("2", "2")]),
    ("compara la 1 y la 2 en peso", [_o("1", "1"), _o("2", "2")]),
    ("más detalles del tercero", [_o("3", "tercero")]),
]

GERMAN = [
    ("der zweite", [_o("2", "zweite")]),
    ("den dritten", [_o("3", "dritten")]),
    ("das letzte", [_o("-1", "letzte")]),
    ("die erste", [_o("1", "erste")]),
    ("der vorletzte", [_o("-2", "vorletzte")]),
    ("das fünfte", [_o("5", "fünfte")]),
    ("das fuenfte", [_o("5", "fuenfte")]),
    ("den achten", [_o("8", "achten")]),
    ("das erste Paar", [_o("1", "erste")]),
    ("zeig mir den zweiten und den vierten", [_o("2", "zweiten"), _o("4", "vierten")]),
    ("Ich nehme das Erste, in Größe 42", [_o("1", "Erste")]),
    ("Nummer 2", [_o("2", "2")]),
    ("die Nummer 2 bitte", [_o("2", "2")]),
    ("Nummer zwei", [_o("2", "zwei")]),
    ("Nr. 3", [_o("3", "3")]),
    ("der 2.", [_o("2", "2")]),
    ("ich nehme den 2.", [_o("2", "2")]),
    ("die 2", [_o("2", "2")]),
    ("das 3te", [_o("3", "3te")]),
    ("2 bitte", [_o("2", "2")]),
    ("erzähl mir mehr zum ersten", [_o("1", "ersten")]),
    ("wie sind die Bewertungen vom zweiten", [_o("2", "zweiten")]),
    ("ist beim zweiten Zelt eine Unterlage dabei", [_o("2", "zweiten")]),
    ("Nummer 2 gegen Nummer 4", [_o("2", "2"), _o("4", "4")]),
]

FRENCH = [
    ("le deuxième", [_o("2", "deuxième")]),
    ("la première", [_o("1", "première")]),
    ("le dernier", [_o("-1", "dernier")]),
    ("la derniere", [_o("-1", "derniere")]),
    ("la seconde", [_o("2", "seconde")]),
    ("l'avant-dernier", [_o("-2", "l'avant-dernier")]),
    ("l’avant-dernière", [_o("-2", "l’avant-dernière")]),
    ("la troisième paire", [_o("3", "troisième")]),
    ("le premier et le troisième", [_o("1", "premier"), _o("3", "troisième")]),
    ("numéro 3", [_o("3", "3")]),
    ("le numéro 3 svp", [_o("3", "3")]),
    ("numéro deux", [_o("2", "deux")]),
    ("le 2", [_o("2", "2")]),
    ("le 2 s'il vous plaît", [_o("2", "2")]),
    ("la 2e", [_o("2", "2e")]),
    ("le 2ème", [_o("2", "2ème")]),
    ("la 1ère", [_o("1", "1ère")]),
    ("le 1er", [_o("1", "1er")]),
    ("3 merci", [_o("3", "3")]),
    ("l'avant-dernier, il est imperméable ?", [_o("-2", "l'avant-dernier")]),
    ("c'est quoi le prix du premier", [_o("1", "premier")]),
    ("le premier par rapport au deuxième", [_o("1", "premier"), _o("2", "deuxième")]),
    ("le 1 contre le 3", [_o("1", "1"), _o("3", "3")]),
    ("détails de l'option 2", [_o("2", "2")]),
]

ENGLISH = [
    ("the 2nd", [_o("2", "2nd")]),
    ("the second one", [_o("2", "second")]),
    ("the last", [_o("-1", "last")]),
    # a phrase of several words at the start is not an adverb, even before a comma
    ("second-to-last, please", [_o("-2", "second-to-last")]),
    ("First, show me tents", []),
]

POSITIVE = [
    *[("es", text, expected) for text, expected in SPANISH],
    *[("de", text, expected) for text, expected in GERMAN],
    *[("fr", text, expected) for text, expected in FRENCH],
    *[("en", text, expected) for text, expected in ENGLISH],
]

NEGATIVE = [
    ("es", "la primera vez que compro"),
    ("es", "mi último pedido no llegó"),
    ("es", "espera un segundo"),
    ("es", "de segunda mano"),
    ("es", "primero quiero ver botas"),
    ("es", "el primero de mayo"),
    ("es", "por último, gracias"),
    ("es", "lo último en zapatillas"),
    ("es", "los primeros"),
    ("es", "talla 2"),
    ("es", "pedido 2"),
    ("es", "el 2 de mayo"),
    ("es", "quiero 2 pares"),
    ("es", "menos de 30 €"),
    ("es", "option 2 in English"),
    ("es", "¿las hay en el 9?"),
    ("es", "cambia la talla del pedido 100937 a la 10"),
    ("es", "es la tercera vez que me llega mal"),
    ("de", "zum ersten Mal"),
    ("de", "das erste Mal"),
    ("de", "meine letzte Bestellung"),
    ("de", "letzte Woche"),
    ("de", "als Erstes möchte ich Schuhe sehen"),
    ("de", "am ersten Mai"),
    ("de", "zweite Wahl"),
    ("de", "aus zweiter Hand"),
    ("de", "ein zweites Paar"),
    ("de", "die ersten drei"),
    ("de", "man sollte auf die Größe achten"),
    ("de", "Größe 2"),
    ("de", "Bestellung 2"),
    ("de", "Bestellnummer 3"),
    ("de", "unter 100 €"),
    ("de", "ein Aufsatz über den Zweiten Weltkrieg"),
    ("de", "was empfehlen Sie für den ersten Campingurlaub?"),
    ("de", "das ist jetzt das dritte Mal"),
    ("fr", "la semaine dernière"),
    ("fr", "l'an dernier"),
    ("fr", "la première fois"),
    ("fr", "ma dernière commande"),
    ("fr", "attendez une seconde"),
    ("fr", "de seconde main"),
    ("fr", "en premier je voudrais voir des bottes"),
    ("fr", "le premier mai"),
    ("fr", "le 1er mai"),
    ("fr", "taille 2"),
    ("fr", "commande 2"),
    ("fr", "2 paires"),
    ("fr", "moins de 30 €"),
]


def _ids(cases: list) -> list[str]:
    return [f"{case[0]}:{case[1]}" for case in cases]


@pytest.mark.parametrize(("language", "text", "expected"), POSITIVE, ids=_ids(POSITIVE))
def test_extracts_ordinals_per_language(
    parse_ordinal: Parser, language: str, text: str, expected: list
) -> None:
    assert parse_ordinal(text, language=language) == expected


@pytest.mark.parametrize(("language", "text"), NEGATIVE, ids=_ids(NEGATIVE))
def test_ignores_non_ordinals_per_language(parse_ordinal: Parser, language: str, text: str) -> None:
    assert parse_ordinal(text, language=language) == []


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("der zweite", "de", [_o("2", "zweite")]),
        ("der zweite", "en", []),
        ("the second one", "de", []),
        ("le deuxième", "fr-CA", [_o("2", "deuxième")]),
        ("el segundo", "ES", [_o("2", "segundo")]),
        ("el segundo", "it", []),  # no Italian table: English
    ],
)
def test_table_follows_the_language_attribute(
    parse_ordinal: Parser, text: str, language: str, expected: list
) -> None:
    assert parse_ordinal(text, language=language) == expected


def test_message_without_language_uses_the_default_language(tmp_path: Path) -> None:
    french = round_trip(OrdinalExtractor, tmp_path, {"default_language": "fr"})
    assert parse(french, "le deuxième") == [_o("2", "deuxième")]
    assert parse(french, "the third one") == []
    assert parse(french, "the third one", language="en") == [_o("3", "third")]


def test_max_index_applies_to_every_language(tmp_path: Path) -> None:
    extractor = round_trip(OrdinalExtractor, tmp_path, {"max_index": 3})
    assert parse(extractor, "la tercera", language="es") == [_o("3", "tercera")]
    assert parse(extractor, "la cuarta", language="es") == []
    assert parse(extractor, "Nummer 4", language="de") == []
    assert parse(extractor, "le 4e", language="fr") == []


def test_component_adds_entities_with_its_name(ordinal_extractor: OrdinalExtractor) -> None:
    message = Message(data={TEXT: "compara el primero y el último", "language": "es"})
    ordinal_extractor.process([message])
    assert [(e["value"], e["extractor"]) for e in message.get(ENTITIES)] == [
        ("1", "OrdinalExtractor"),
        ("-1", "OrdinalExtractor"),
    ]


@pytest.mark.parametrize("language", ["es", "de", "fr"])
@pytest.mark.parametrize(
    "text", ["", "🙂", "2º" * 3_000, "der " * 3_000, "l'avant-" * 2_000, "<b>1ère</b>"]
)
def test_odd_inputs_never_raise(
    ordinal_extractor: OrdinalExtractor, language: str, text: str
) -> None:
    message = Message(data={TEXT: text, "language": language})
    assert ordinal_extractor.process([message]) == [message]
    for entity in message.get(ENTITIES, []):
        assert 0 <= entity["start"] < entity["end"] <= len(text)


@pytest.mark.parametrize("language", sorted(ordinal_tables.ORDINAL_LEXICONS))
def test_tables_do_not_contradict_themselves(language: str) -> None:
    table = ordinal_tables.ORDINAL_LEXICONS[language]

    def keys(phrases: tuple[str, ...]) -> set[tuple[str, ...]]:
        return {phrase_key(phrase) for phrase in phrases}

    assert not keys(table.strong_prev_words) & keys(table.blocking_prev_words)
    assert not keys(table.strong_next_words) & keys(table.blocking_next_words)
    assert not keys(table.item_cues) & keys(table.blocking_before)
    assert all(phrase_key(word) for word in table.ordinal_words)
    assert set(table.ordinal_words.values()) <= {-2, -1, *range(1, 11)}
