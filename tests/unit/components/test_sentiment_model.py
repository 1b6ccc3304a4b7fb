"""Sentiment model code: data files, text analysis, save/load of both model kinds, the CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from assistant.components.sentiment_model import (
    LABELS,
    SHIPPED_DATA,
    SHIPPED_LEXICON,
    Example,
    Lexicon,
    LinearSentimentModel,
    RoutedSentimentModel,
    analyse,
    load_model,
    read_examples,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
import train_sentiment  # noqa: E402


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.read(SHIPPED_LEXICON)


def test_shipped_data_covers_four_languages_and_three_labels() -> None:
    examples = read_examples(SHIPPED_DATA)
    for language in ("en", "es", "de", "fr"):
        rows = [e for e in examples if e.language == language]
        assert len(rows) >= 300
        neutral = sum(e.label == "neutral" for e in rows) / len(rows)
        assert 0.3 <= neutral <= 0.5
        assert {e.label for e in rows} == set(LABELS)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("sentence\tlabel\ngreat film\t1\nawful\t0\n", [("great film", "positive", "en")]),
        ("nice\tpositive\tfr\nmeh\tneutral\n", [("nice", "positive", "fr")]),
        ("\n  \t1\ngood\t1\n", [("good", "positive", "en")]),
    ],
)
def test_read_examples(tmp_path: Path, content: str, expected: list[tuple[str, str, str]]) -> None:
    path = tmp_path / "data.tsv"
    path.write_text(content, encoding="utf-8")
    examples = read_examples(path)
    assert (examples[0].text, examples[0].label, examples[0].language) == expected[0]


@pytest.mark.parametrize("content", ["only a sentence\n", "text\tmaybe\n"])
def test_read_examples_rejects_bad_rows(tmp_path: Path, content: str) -> None:
    path = tmp_path / "data.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="data.tsv:1"):
        read_examples(path)


@pytest.mark.parametrize(
    ("text", "language", "marked"),
    [
        ("not good at all", "en", "NEG_good"),
        ("I don't like it", "en", "NEG_like"),
        ("no me gusta nada", "es", "NEG_me"),
        ("ce n'est pas terrible", "fr", "NEG_terrible"),
        ("das ist nicht gut", "de", "NEG_gut"),
    ],
)
def test_negation_scope(lexicon: Lexicon, text: str, language: str, marked: str) -> None:
    assert marked in analyse(text, language, lexicon).tokens


def test_negated_lexicon_word_counts_for_the_other_side(lexicon: Lexicon) -> None:
    plain = analyse("good", "en", lexicon)
    negated = analyse("not good", "en", lexicon)
    assert "LEX_POSITIVE" in plain.tokens
    assert "LEX_NEGATIVE" in negated.tokens


def test_accents_and_repeats_are_normalised(lexicon: Lexicon) -> None:
    assert analyse("DÉÇU !!!", "fr", lexicon).tokens == ["decu", "LEX_NEGATIVE", "!"]
    assert analyse("sooooo", "en", lexicon).tokens == ["soo"]


def small_examples() -> list[Example]:
    return [
        Example("great, thank you", "positive"),
        Example("love it", "positive"),
        Example("awful, broken", "negative"),
        Example("worst shop", "negative"),
        Example("where is my order", "neutral"),
        Example("do you have it in blue", "neutral"),
    ]


def test_linear_model_saves_and_loads_the_same_predictions(
    tmp_path: Path, lexicon: Lexicon
) -> None:
    model = LinearSentimentModel.train(small_examples(), lexicon, name="tiny")
    model.save(tmp_path / "model")
    loaded = load_model(tmp_path / "model")
    for text in ["great", "awful shop", "is it blue?", "", "😡"]:
        assert loaded.predict(text).probabilities == pytest.approx(
            model.predict(text).probabilities, abs=1e-5
        )
    assert loaded.name == "tiny"


def test_binary_training_data_gives_no_neutral(lexicon: Lexicon) -> None:
    examples = [e for e in small_examples() if e.label != "neutral"]
    model = LinearSentimentModel.train(examples, lexicon, name="binary")
    prediction = model.predict("thank you, love it")
    assert prediction.label == "positive"
    assert prediction.probabilities["neutral"] == 0.0


def test_training_needs_two_labels(lexicon: Lexicon) -> None:
    with pytest.raises(ValueError, match="two different labels"):
        LinearSentimentModel.train([Example("a", "positive")], lexicon)


def test_routed_model_round_trip(tmp_path: Path, lexicon: Lexicon) -> None:
    english = LinearSentimentModel.train(small_examples(), lexicon, name="english")
    fallback = LinearSentimentModel.train(small_examples()[::-1], lexicon, name="fallback")
    routed = RoutedSentimentModel("routed", {"en": english, "fr": english}, fallback)
    routed.save(tmp_path / "routed")
    loaded = load_model(tmp_path / "routed")
    assert loaded.predict("love it", "en").model == "english"
    assert loaded.predict("love it", "fr").model == "english"
    assert loaded.predict("love it", "de").model == "fallback"
    assert len([p for p in (tmp_path / "routed").iterdir() if p.is_dir()]) == 2


def test_load_model_rejects_unknown_directories(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="manifest"):
        load_model(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"kind": "nope"}))
    with pytest.raises(ValueError, match="unknown model kind"):
        load_model(tmp_path)


def test_train_sentiment_script(tmp_path: Path) -> None:
    data = tmp_path / "extra.tsv"
    data.write_text(
        "sentence\tlabel\n" + "a lovely , warm film\t1\n" * 20 + "a dull , lifeless mess\t0\n" * 20,
        encoding="utf-8",
    )
    out = tmp_path / "extended"
    assert train_sentiment.main(["--data", str(data), "--out", str(out)]) == 0
    model = load_model(out)
    assert model.name == "extended-extra"
    assert set(model.info["use_for_languages"]) <= {"en", "es", "de", "fr"}
    assert set(model.info["held_back_accuracy"]["default"]) == {"en", "es", "de", "fr"}
    assert model.predict("a dull , lifeless mess").label == "negative"


def test_train_sentiment_script_keeps_foreign_directories(tmp_path: Path) -> None:
    data = tmp_path / "extra.tsv"
    data.write_text("good\t1\nbad\t0\n", encoding="utf-8")
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(SystemExit, match="not a sentiment model"):
        train_sentiment.main(["--data", str(data), "--out", str(out)])
    assert (out / "notes.txt").read_text() == "mine"
