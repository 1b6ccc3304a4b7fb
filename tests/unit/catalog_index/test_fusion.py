"""Unit tests of dense + lexical score fusion."""

from __future__ import annotations

import pytest

from catalog_index.fusion import fuse


def test_products_found_by_both_rank_first() -> None:
    dense = [("a", 0.80), ("b", 0.70), ("c", 0.40)]
    lexical = [("b", 12.0), ("d", 9.0)]
    ranked = [pid for pid, _ in fuse(dense, lexical, 10)]
    assert ranked[0] == "b"
    assert set(ranked) == {"a", "b", "c", "d"}


def test_scores_descending_and_limit() -> None:
    dense = [(f"p{i}", 0.9 - i * 0.05) for i in range(10)]
    lexical = [(f"p{i}", 10.0 - i) for i in range(5, 15)]
    fused = fuse(dense, lexical, 4)
    assert len(fused) == 4
    assert all(a[1] >= b[1] for a, b in zip(fused, fused[1:], strict=False))


@pytest.mark.parametrize("limit", [0, -1])
def test_non_positive_limit(limit: int) -> None:
    assert fuse([("a", 0.5)], [("a", 1.0)], limit) == []


def test_one_side_empty_keeps_the_other_order() -> None:
    dense = [("a", 0.9), ("b", 0.5), ("c", 0.1)]
    assert [p for p, _ in fuse(dense, [], 3)] == ["a", "b", "c"]
    lexical = [("x", 3.0), ("y", 2.0)]
    assert [p for p, _ in fuse([], lexical, 3)] == ["x", "y"]
    assert fuse([], [], 3) == []


def test_dense_weight_moves_the_balance() -> None:
    dense = [("a", 0.9), ("b", 0.3)]
    lexical = [("b", 10.0), ("a", 1.0)]
    assert fuse(dense, lexical, 1, dense_weight=0.9)[0][0] == "a"
    assert fuse(dense, lexical, 1, dense_weight=0.1)[0][0] == "b"


def test_weak_lexical_match_stays_weak() -> None:
    # Lexical scores are divided by the best one, not min-max stretched: a single weak
    # lexical hit must not outweigh a strong dense hit.
    dense = [("a", 0.9), ("b", 0.2)]
    lexical = [("b", 0.5), ("a", 0.45)]
    assert fuse(dense, lexical, 1)[0][0] == "a"


def test_ties_broken_by_id() -> None:
    fused = fuse([("b", 0.5), ("a", 0.5)], [], 2)
    assert [p for p, _ in fused] == ["a", "b"]
