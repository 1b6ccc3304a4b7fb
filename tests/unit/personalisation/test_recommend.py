from __future__ import annotations

import math

import numpy as np
import pytest
from personalisation_helpers import TODAY, catalog, customer, demo_customers, order, product

from personalisation.baseline import popular, popularity
from personalisation.recommend import CoPurchase, recommend
from personalisation.signals import CustomerSignals
from personalisation.similarity import ContentSimilarity, attribute_similarity

BASKETS = [["A", "B"], ["A", "B", "C"], ["A", "C", "C"], ["D"], ["B", "A"]]


@pytest.mark.parametrize(
    ("a", "b", "count", "score"),
    [
        ("A", "B", 3, 3 / math.sqrt(4 * 3)),
        ("B", "A", 3, 3 / math.sqrt(3 * 4)),
        ("A", "C", 2, 2 / math.sqrt(4 * 2)),
        ("B", "C", 1, 1 / math.sqrt(3 * 2)),
        ("C", "D", 0, 0.0),
        ("A", "Z", 0, 0.0),
    ],
)
def test_copurchase_counts_and_cosine(a: str, b: str, count: int, score: float) -> None:
    copurchase = CoPurchase.from_baskets(BASKETS)
    assert copurchase.count(a, b) == count
    assert copurchase.score(a, b) == pytest.approx(score)


def test_copurchase_item_counts_count_a_basket_once() -> None:
    copurchase = CoPurchase.from_baskets(BASKETS)
    assert copurchase.item_counts == {"A": 4, "B": 3, "C": 2, "D": 1}
    assert set(copurchase.neighbours("C")) == {"A", "B"}


def signals_for(cust, orders, products) -> CustomerSignals:
    return CustomerSignals.from_profile(cust, orders, TODAY, catalog={p.id: p for p in products})


def test_recommend_excludes_bought_items() -> None:
    products = catalog(per_pair=3)
    bought = [p.id for p in products if p.category == "t-shirts"][:5]
    cust = customer(categories=["t-shirts"], brands=["Northpeak"], band=(0, 1000))
    orders = [order(f"O{i}", 10 * i, [(pid, "M")]) for i, pid in enumerate(bought)]
    signals = signals_for(cust, orders, products)
    baskets = [[bought[0], p.id] for p in products[:20]]
    results = recommend(
        signals,
        products,
        copurchase=CoPurchase.from_baskets(baskets),
        content=ContentSimilarity(),
        limit=len(products),
    )
    assert results
    assert not {r.product.id for r in results} & set(bought)


def test_recommend_without_signals_is_the_popular_baseline() -> None:
    products = catalog(per_pair=3)
    results = recommend(
        CustomerSignals(),
        products,
        copurchase=CoPurchase.from_baskets([]),
        content=ContentSimilarity(),
    )
    assert [r.product for r in results] == popular(products, 10)
    assert all(not r.reasons for r in results)


def test_popular_mirrors_best_sellers() -> None:
    products = catalog(per_pair=3)
    top = popular(products, 6)
    assert len({p.category for p in top}) == 6
    assert all(p.in_stock for p in top)
    first_of = {}
    for p in sorted((p for p in products if p.in_stock), key=popularity, reverse=True):
        first_of.setdefault(p.category, p)
    assert top[0] == max(first_of.values(), key=popularity)


def test_recommend_gives_bought_together_and_similar_reasons() -> None:
    shoe = product("SHOE", "running shoes", "Trailforge", 90, tags=["running"])
    socks = product("SOCK", "socks", "Kestrel", 12, tags=["running"])
    shoe2 = product("SHOE2", "running shoes", "Trailforge", 95, tags=["running"])
    filler = [product(f"F{i}", "tents", "Cascadia", 300, tags=["camping"]) for i in range(5)]
    products = [shoe, socks, shoe2, *filler]
    signals = signals_for(customer(), [order("O1", 5, [("SHOE", "9")])], products)
    copurchase = CoPurchase.from_baskets([["SHOE", "SOCK"], ["SHOE", "SOCK"], ["F0"]])
    results = recommend(
        signals, products, copurchase=copurchase, content=ContentSimilarity(), limit=3
    )
    reasons = {r.product.id: [x.as_dict() for x in r.reasons] for r in results}
    assert reasons["SOCK"][0] == {"code": "bought_together", "title": "title SHOE"}
    assert reasons["SHOE2"][0] == {"code": "similar_to_purchase", "title": "title SHOE"}


def test_recommend_honours_the_hard_filter() -> None:
    products = catalog(per_pair=3)
    cust = customer(categories=["hats"], brands=["Kestrel"])
    hats = [p.id for p in products if p.category == "hats"]
    signals = signals_for(cust, [order("O1", 5, [(hats[0], "M")])], products)
    results = recommend(
        signals,
        products,
        copurchase=CoPurchase.from_baskets([hats]),
        content=ContentSimilarity(),
        hard_filter=lambda p: p.price < 60,
    )
    assert results
    assert all(r.product.price < 60 for r in results)


@pytest.mark.parametrize("seed", [4, 5])
def test_every_recommendation_has_a_reason(seed: int) -> None:
    products = catalog(seed=seed, per_pair=3)
    people = demo_customers(products, count=15, seed=seed)
    copurchase = CoPurchase.from_baskets(
        [[i["product_id"] for i in o["items"]] for _, orders in people for o in orders]
    )
    for cust, orders in people:
        results = recommend(
            signals_for(cust, orders, products),
            products,
            copurchase=copurchase,
            content=ContentSimilarity(),
        )
        assert len(results) == 10
        assert all(r.reasons for r in results)
        assert sum(r.reasons[0].code == "explore" for r in results) == 1


def test_content_similarity_uses_embeddings_when_known() -> None:
    a, b, c = product("A", "hats"), product("B", "tents"), product("C", "hats")
    vectors = {
        "A": np.array([1.0, 0.0], dtype=np.float32),
        "B": np.array([2.0, 0.1], dtype=np.float32),
        "C": np.array([-1.0, 0.0], dtype=np.float32),
    }
    content = ContentSimilarity(vectors)
    assert content(a, b) == pytest.approx(2 / math.sqrt(4.01), abs=1e-6)
    assert content(a, c) == 0.0  # opposite vectors, clipped
    d = product("D", "hats")  # no vector: attributes
    assert content(a, d) == attribute_similarity(a, d)
    assert content.to_many(a, [a, b, c, d]) == pytest.approx(
        [1.0, content(a, b), 0.0, content(a, d)]
    )


def test_attribute_similarity_table() -> None:
    base = product("A", "hats", "Kestrel", tags=["winter"])
    assert attribute_similarity(base, product("B", "hats", "Kestrel", tags=["winter"])) == 1.0
    assert attribute_similarity(
        base, product("C", "hats", "Northpeak", tags=["winter"])
    ) == pytest.approx(0.7)
    assert attribute_similarity(
        base, product("D", "tents", "Northpeak", tags=["summer"])
    ) == pytest.approx(0.1)


def test_recommend_offers_bought_items_again_to_a_customer_who_rebuys() -> None:
    products = catalog(per_pair=3)
    tees = [p.id for p in products if p.category == "t-shirts" and p.in_stock][:3]
    cust = customer(categories=["t-shirts"], brands=["Northpeak"], band=(0, 1000))
    orders = [
        order("O1", 90, [(tees[0], "M"), (tees[1], "M")]),
        order("O2", 30, [(tees[0], "M"), (tees[2], "M")]),
    ]
    signals = signals_for(cust, orders, products)
    assert signals.repeat_rate == pytest.approx(0.5)
    results = recommend(
        signals,
        products,
        copurchase=CoPurchase.from_baskets([]),
        content=ContentSimilarity(),
        limit=10,
    )
    again = [r for r in results if r.product.id in tees]
    assert again
    assert all(r.reasons[0].code == "buy_again" for r in again)
    filtered = recommend(
        signals,
        products,
        copurchase=CoPurchase.from_baskets([]),
        content=ContentSimilarity(),
        limit=10,
        hard_filter=lambda p: p.id not in tees,
    )
    assert filtered
    assert not {r.product.id for r in filtered} & set(tees)
