"""Sentiment intensity: lexical cues of how heated a message is, in en/es/de/fr."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.components.sentiment_intensity import BASE, intensity

FURIOUS = [
    ("en", "Worst shop ever!!! I'm filing a chargeback with my bank."),
    ("en", "This is a SCAM. Never ordering from you again!"),
    ("es", "¡Sois unos estafadores! Voy a poner una denuncia, nunca más compro aquí."),
    ("es", "¡¡Qué vergüenza!! Pido la retrocesión al banco."),
    ("de", "Absolute Frechheit!!! Ich schalte meinen Anwalt ein."),
    ("de", "Das ist BETRUG, nie wieder bestelle ich hier!"),
    ("fr", "C'est une arnaque !!! Je vais porter plainte."),
    ("fr", "Service lamentable, plus jamais chez vous, je fais opposition à ma banque !"),
]

MILD = [
    ("en", "the box arrived a bit squashed, just so you know"),
    ("en", "oh ok, never mind, it came today"),
    ("es", "la chaqueta es un poco más oscura que en la foto"),
    ("es", "ah, vale, ya veo que llega mañana"),
    ("de", "die Hose ist ein bisschen zu lang"),
    ("de", "ach so, dann passt das, danke"),
    ("fr", "le pull est légèrement plus foncé que sur la photo"),
    ("fr", "ah d'accord, pas grave"),
]

PLAIN = [
    ("en", "where is my order"),
    ("es", "¿dónde está mi pedido?"),
    ("de", "wo ist meine Bestellung"),
    ("fr", "où est ma commande"),
]


@pytest.mark.parametrize(("language", "text"), FURIOUS)
def test_furious_messages_are_intense(language: str, text: str) -> None:
    result = intensity(text, language)
    assert result.value >= 0.7, result


@pytest.mark.parametrize(("language", "text"), MILD)
def test_hedged_or_calm_messages_are_below_plain(language: str, text: str) -> None:
    result = intensity(text, language)
    assert result.value < BASE, result
    assert "mild" in result.cues


@pytest.mark.parametrize(("language", "text"), PLAIN)
def test_plain_messages_have_the_base_intensity(language: str, text: str) -> None:
    assert intensity(text, language).value == BASE


@pytest.mark.parametrize(
    ("language", "text", "cue"),
    [
        ("en", "this is ridiculous", "strong"),
        ("es", "es una vergüenza", "strong"),
        ("de", "das ist eine Frechheit", "strong"),
        ("fr", "c'est inadmissible", "strong"),
        ("en", "I will leave a bad review", "threat"),
        ("es", "voy a hablar con mi abogado", "threat"),
        ("de", "ich gehe zur Verbraucherzentrale", "threat"),
        ("fr", "je contacte mon avocat", "threat"),
        ("en", "never buying here again", "never_again"),
        ("es", "no vuelvo a comprar aquí", "never_again"),
        ("de", "nie wieder", "never_again"),
        ("fr", "plus jamais", "never_again"),
        ("en", "where is it?!", "questions"),
        ("de", "WO BLEIBT die Lieferung", "caps"),
        ("fr", "merci !", "exclamation"),
    ],
)
def test_each_cue_raises_the_intensity(language: str, text: str, cue: str) -> None:
    result = intensity(text, language)
    assert cue in result.cues
    assert result.value > BASE


def test_accents_and_case_do_not_matter() -> None:
    assert intensity("UNVERSCHÄMT", "de").cues == intensity("unverschamt", "de").cues + ("caps",)
    assert "strong" in intensity("C'est une HONTE", "fr").cues


def test_sizes_carriers_and_order_ids_are_not_shouting() -> None:
    assert intensity("is the XXL jacket shipped with DHL? order ORD-100234", "en").value == BASE


def test_english_cues_apply_in_every_language() -> None:
    assert "strong" in intensity("das ist ein scam", "de").cues
    assert intensity("das ist ein scam", "xx").value == intensity("this is a scam", "en").value


def test_cues_add_up_and_stay_within_bounds() -> None:
    one = intensity("this is ridiculous", "en").value
    two = intensity("this is ridiculous!!", "en").value
    many = intensity("WORST SCAM EVER!!! lawyer, chargeback, never again, disgusting", "en")
    calm = intensity("a bit, slightly, a little, no big deal, oh ok", "en")
    assert BASE < one < two < many.value == 1.0
    assert calm.value == 0.0


@pytest.mark.parametrize("text", [None, 3, "", "   "])
def test_non_text_or_empty_is_plain(text: Any) -> None:
    result = intensity(text, "en")
    assert result.value == BASE and result.cues == ()


def test_words_inside_other_words_do_not_match() -> None:
    # "sue" in "issue", "nul" in "annuler", "mist" in "mistake"
    assert intensity("I have an issue with my mistake", "en").value == BASE
    assert intensity("je veux annuler", "fr").value == BASE
