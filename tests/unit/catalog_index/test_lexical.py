"""Unit tests of the lexical index: tokenizer, stemmer, BM25 search, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog_index.lexical import LexicalIndex, stem, tokenize

IDS = ["p1", "p2", "p3", "p4", "p5"]
TEXTS = [
    "Trailforge waterproof hiking boots\nTrailforge waterproof hiking boots\nleather, brown",
    "Northpeak running shoes\nNorthpeak running shoes\nmesh, red, size 9.5",
    "Kestrel merino wool beanie\nKestrel merino wool beanie\nwool, grey",
    "Rain Bird sprinkler head\nRain Bird sprinkler head\n4 in. pop-up",
    "Plywood sheet 4 ft. x 8 ft.\nPlywood sheet 4 ft. x 8 ft.\n3/4 in. thick",
]


@pytest.fixture()
def index() -> LexicalIndex:
    return LexicalIndex.build(IDS, TEXTS)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("boots", "boot"),
        ("batteries", "battery"),
        ("boxes", "box"),
        ("glasses", "glass"),
        ("dress", "dress"),
        ("bus", "bus"),
        ("9.5", "9.5"),
        ("xl", "xl"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Red Running Shoes", ["red", "running", "shoe"]),
        ("size 9.5", ["size", "9.5"]),
        ("60-Watt bulb", ["60w", "60", "bulb"]),
        ('18" pillow', ["18in", "18", "pillow"]),
        ("4x8 plywood", ["4", "8", "plywood", "4x8"]),
        ("4 ft. x 8 ft. sheet", ["4", "8ft", "8", "sheet", "4x8"]),
        ("the shoes for me", ["shoe"]),
        ("3/4 in. pipe", ["3/4in", "3/4", "pipe"]),
    ],
)
def test_tokenize(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


def test_search_ranks_matching_product_first(index: LexicalIndex) -> None:
    results = index.search("hiking boot", 3)
    assert results[0][0] == "p1"
    assert all(a[1] >= b[1] for a, b in zip(results, results[1:], strict=False))


def test_search_leaves_out_non_matching(index: LexicalIndex) -> None:
    assert [pid for pid, _ in index.search("beanie", 5)] == ["p3"]
    assert index.search("submarine", 5) == []
    assert index.search("", 5) == []


def test_search_respects_k_and_allowed_ids(index: LexicalIndex) -> None:
    assert len(index.search("trailforge northpeak kestrel", 2)) == 2
    assert index.search("hiking boots", 5, allowed_ids={"p2", "p3"}) == []
    assert [p for p, _ in index.search("wool", 5, allowed_ids={"p3"})] == ["p3"]
    assert index.search("wool", 0) == []


def test_dimensions_and_units_match_across_spellings(index: LexicalIndex) -> None:
    assert index.search("4x8 plywood", 1)[0][0] == "p5"
    assert index.search("4*8 sheet", 1)[0][0] == "p5"


def test_query_correction_splits_and_fixes(index: LexicalIndex) -> None:
    assert index.query_tokens("rainbird") == ["rain", "bird"]
    assert index.query_tokens("sprinkeler") == ["sprinkler"]
    assert index.search("rainbird sprinkeler", 1)[0][0] == "p4"


def test_title_phrase_boost_prefers_words_in_order() -> None:
    texts = ["red wine glass\nred wine glass", "glass wine rack, red\nglass wine rack, red"]
    index = LexicalIndex.build(["a", "b"], texts)
    plain = LexicalIndex.build(["a", "b"], texts, phrase_boost=0.0)
    boosted = dict(index.search("red wine", 2))
    base = dict(plain.search("red wine", 2))
    assert boosted["a"] > base["a"]
    assert boosted["b"] == pytest.approx(base["b"])


def test_save_and_load_round_trip(index: LexicalIndex, tmp_path: Path) -> None:
    index.save(tmp_path / "lexical")
    loaded = LexicalIndex.load(tmp_path / "lexical")
    assert len(loaded) == len(index)
    for query in ("hiking boots", "merino", "4x8", "rainbird"):
        assert loaded.search(query, 5) == index.search(query, 5)


def test_build_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        LexicalIndex.build(["a"], ["x", "y"])
    with pytest.raises(ValueError):
        LexicalIndex.build(["a", "a"], ["x", "y"])


def test_load_rejects_unknown_version(index: LexicalIndex, tmp_path: Path) -> None:
    index.save(tmp_path)
    meta = tmp_path / "lexical.json"
    meta.write_text(meta.read_text().replace('"version": 2', '"version": 99'))
    with pytest.raises(ValueError):
        LexicalIndex.load(tmp_path)
