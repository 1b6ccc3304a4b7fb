from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from personalisation_helpers import TODAY, catalog, customer, demo_customers, order, product

from catalog_index.schema import Product
from personalisation.ranking import Candidate, Ranked, personalise
from personalisation.reasons import Reason
from personalisation.signals import CustomerSignals

LOVER = customer(
    brands=["Trailforge"], categories=["running shoes"], sizes={"t-shirts": "M"}, band=(20, 80)
)


def signals_of(cust: dict, orders: list[dict] | None = None, products=None) -> CustomerSignals:
    lookup = {p.id: p for p in (products or [])}
    return CustomerSignals.from_profile(cust, orders or [], TODAY, catalog=lookup)


def ids(results: list[Ranked]) -> list[str]:
    return [r.product.id for r in results]


def codes(result: Ranked) -> list[str]:
    return [r.code for r in result.reasons]


# --- hard filters win -------------------------------------------------------------

FILTERS: list[tuple[str, Callable[[Product], bool]]] = [
    ("category", lambda p: p.category == "t-shirts"),
    ("brand", lambda p: p.brand == "Northpeak"),
    ("price_max", lambda p: p.price <= 40),
    ("size_in_stock", lambda p: any(v.size == "S" and v.stock > 0 for v in p.variants)),
    ("nothing", lambda p: False),
]


@pytest.mark.parametrize(("name", "hard_filter"), FILTERS)
def test_hard_filter_wins_over_every_boost(
    name: str, hard_filter: Callable[[Product], bool]
) -> None:
    products = catalog(per_pair=3)
    loved = [p for p in products if p.brand == "Trailforge" and p.category == "running shoes"]
    # the caller passes unfiltered candidates: loved products first with top relevance
    candidates = [Candidate(p, 10.0) for p in loved] + [
        Candidate(p, 1.0) for p in products if p not in loved
    ]
    signals = signals_of(LOVER, [order("O1", 3, [(loved[0].id, "8")])], products)
    results = personalise(
        candidates,
        signals,
        limit=10,
        hard_filter=hard_filter,
        explore_pool=[Candidate(p, 100.0) for p in products],
    )
    assert all(hard_filter(r.product) for r in results), name
    assert len(results) == min(10, sum(hard_filter(p) for p in products))


def test_boosted_product_is_not_readmitted_through_exploration() -> None:
    allowed = [product("T1", "t-shirts", "Northpeak", 30), product("T2", "t-shirts", "Kestrel", 30)]
    outside = product("H1", "hats", "Trailforge", 30)  # would be a perfect exploration pick
    results = personalise(
        [Candidate(p, 1.0) for p in allowed],
        signals_of(LOVER),
        limit=3,
        hard_filter=lambda p: p.category == "t-shirts",
        explore_pool=[Candidate(outside, 99.0)],
    )
    assert "H1" not in ids(results)


# --- consent off: no change and no reasons -----------------------------------------


@pytest.mark.parametrize("granted", [False, None, "true"])
def test_without_consent_order_kept_and_no_reasons(granted: object) -> None:
    products = catalog()
    candidates = [Candidate(p, float(len(products) - i)) for i, p in enumerate(products)]
    cust = customer(granted=granted, brands=["Kestrel"], categories=["hats"], band=(0, 30))
    signals = signals_of(cust, [order("O1", 1, [(products[0].id, "M")])], products)
    results = personalise(candidates, signals, limit=8)
    assert ids(results) == [p.id for p in products[:8]]
    assert all(r.reasons == [] for r in results)


def test_anonymous_keeps_the_order() -> None:
    products = catalog()
    candidates = [Candidate(p, 1.0) for p in reversed(products)]
    results = personalise(candidates, CustomerSignals(), limit=5)
    assert ids(results) == [p.id for p in reversed(products)][:5]
    assert all(not r.reasons for r in results)


# --- size boost only when in stock -------------------------------------------------


@pytest.mark.parametrize(
    ("stock_m", "boosted"),
    [(5, True), (1, True), (0, False)],
)
def test_size_boost_only_when_that_size_is_in_stock(stock_m: int, boosted: bool) -> None:
    target = product("X", "t-shirts", "Kestrel", 500, sizes={"M": stock_m, "L": 9})
    other = product("Y", "t-shirts", "Kestrel", 500, sizes={"S": 9, "L": 9})
    signals = signals_of(customer(sizes={"t-shirts": "M"}))
    results = personalise([Candidate(other, 1.0), Candidate(target, 1.0)], signals, limit=2)
    by_id = {r.product.id: r for r in results}
    assert ("usual_size" in codes(by_id["X"])) is boosted
    assert "usual_size" not in codes(by_id["Y"])
    assert (ids(results)[0] == "X") is boosted
    if boosted:
        assert Reason.of("usual_size", size="M") in by_id["X"].reasons


def test_size_of_another_category_does_not_boost() -> None:
    target = product("X", "hoodies", "Kestrel", 500, sizes={"M": 5})
    signals = signals_of(customer(sizes={"t-shirts": "M"}))
    (result,) = personalise([Candidate(target, 1.0)], signals, limit=1)
    assert "usual_size" not in codes(result)


# --- MMR ---------------------------------------------------------------------------


def test_mmr_spreads_brands_and_categories() -> None:
    same = [product(f"A{i}", "running shoes", "Trailforge", 60, tags=["running"]) for i in range(8)]
    others = [
        product("B1", "t-shirts", "Northpeak", 60, tags=["city"]),
        product("B2", "hoodies", "Cascadia", 60, tags=["winter"]),
        product("B3", "hats", "Kestrel", 60, tags=["summer"]),
    ]
    candidates = [Candidate(p, 1.0 - i * 0.01) for i, p in enumerate(same)] + [
        Candidate(p, 0.85) for p in others
    ]
    liked = ["running shoes", "t-shirts", "hoodies", "hats"]
    signals = signals_of(customer(categories=liked))
    greedy = personalise(candidates, signals, limit=4, lambda_=1.0)
    diverse = personalise(candidates, signals, limit=4, lambda_=0.7)
    assert ids(greedy) == ["A0", "A1", "A2", "A3"]
    assert len({r.product.brand for r in diverse}) == 4
    assert len({r.product.category for r in diverse}) == 4
    assert ids(diverse)[0] == "A0"  # the best stays first


# --- exploration -------------------------------------------------------------------


def test_exploration_slot_is_outside_usual_categories_and_passes_filter() -> None:
    products = catalog(per_pair=3)
    cust = customer(categories=["t-shirts", "hoodies"], band=(0, 1000))
    bought = [p for p in products if p.category == "running shoes"][0]
    signals = signals_of(cust, [order("O1", 5, [(bought.id, "M")])], products)
    usual = {"t-shirts", "hoodies", "running shoes"}
    hard_filter = lambda p: p.price < 150  # noqa: E731
    candidates = [Candidate(p, 1.0) for p in products if p.category in usual and hard_filter(p)]
    pool = [Candidate(p, p.rating or 0) for p in products]
    best_outside = max(
        (c for c in pool if c.product.category not in usual and c.product.in_stock),
        key=lambda c: c.relevance,
    )
    results = personalise(candidates, signals, limit=6, hard_filter=hard_filter, explore_pool=pool)
    last = results[-1]
    assert codes(last)[0] == "explore"
    assert last.product.category not in usual
    assert hard_filter(last.product)
    assert last.reasons[0] == Reason.of("explore", category=last.product.category)
    assert sum("explore" in codes(r) for r in results) == 1
    if hard_filter(best_outside.product):
        assert last.product.id == best_outside.product.id
    # with the best one filtered out, the next best outside product is taken
    excluded = last.product.id
    again = personalise(
        candidates,
        signals,
        limit=6,
        hard_filter=lambda p: hard_filter(p) and p.id != excluded,
        explore_pool=pool,
    )
    assert again[-1].product.id != excluded
    assert codes(again[-1])[0] == "explore"


def test_no_exploration_when_nothing_outside_passes() -> None:
    products = [product(f"T{i}", "t-shirts", "Kestrel", 30) for i in range(5)]
    signals = signals_of(customer(categories=["t-shirts"]))
    results = personalise([Candidate(p, 1.0) for p in products], signals, limit=4)
    assert len(results) == 4
    assert not any("explore" in codes(r) for r in results)


def test_short_lists_have_no_exploration_slot() -> None:
    products = catalog()
    signals = signals_of(customer(categories=["t-shirts"]))
    results = personalise([Candidate(p, 1.0) for p in products], signals, limit=2)
    assert not any("explore" in codes(r) for r in results)


# --- reasons -----------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_personalised_result_has_a_reason(seed: int) -> None:
    products = catalog(seed=seed, per_pair=3)
    for cust, orders in demo_customers(products, count=15, seed=seed):
        signals = signals_of(cust, orders, products)
        results = personalise([Candidate(p, p.rating or 0) for p in products], signals, limit=10)
        assert len(results) == 10
        assert all(r.reasons for r in results), cust["customer_id"]


def test_reasons_name_the_brand_and_price_band() -> None:
    item = product("X", "hats", "Trailforge", 50)
    signals = signals_of(LOVER)
    (result,) = personalise([Candidate(item, 1.0)], signals, limit=1)
    assert Reason.of("favourite_brand", brand="Trailforge") in result.reasons
    assert Reason.of("price_band") in result.reasons


def test_product_without_boost_says_why_it_is_there() -> None:
    item = product("X", "hats", "Kestrel", 500)
    signals = signals_of(customer(brands=["Trailforge"]))
    (result,) = personalise([Candidate(item, 1.0)], signals, limit=1)
    assert result.reasons == [Reason.of("popular_in", category="hats")]


def test_already_bought_is_demoted_unless_consumable() -> None:
    tee, tee2 = product("T1", "t-shirts", "Kestrel", 30), product("T2", "t-shirts", "Kestrel", 30)
    sock, sock2 = product("S1", "socks", "Kestrel", 30), product("S2", "socks", "Kestrel", 30)
    orders = [order("O1", 10, [("T1", ""), ("S1", "")])]
    signals = signals_of(customer(brands=["Kestrel"]), orders, [tee, tee2, sock, sock2])
    tees = personalise([Candidate(tee, 1.0), Candidate(tee2, 0.9)], signals, limit=2)
    socks = personalise([Candidate(sock, 1.0), Candidate(sock2, 0.9)], signals, limit=2)
    assert ids(tees) == ["T2", "T1"]
    assert ids(socks) == ["S1", "S2"]
    assert codes(socks[0])[0] == "buy_again"


# --- who the customer buys for, buying again, price outside the band ---------------


def test_products_for_someone_the_customer_never_buys_for_are_demoted() -> None:
    bought = replace(product("W0", "hoodies", "Kestrel"), gender="women")
    mens = replace(product("M1", "t-shirts", "Kestrel"), gender="men")
    womens = replace(product("W1", "t-shirts", "Kestrel"), gender="women")
    unisex = replace(product("U1", "t-shirts", "Kestrel"), gender="unisex")
    signals = signals_of(customer(), [order("O1", 5, [("W0", "")])], [bought])
    results = personalise(
        [Candidate(mens, 1.0), Candidate(womens, 0.95), Candidate(unisex, 0.95)],
        signals,
        limit=3,
        lambda_=1.0,
    )
    assert ids(results)[-1] == "M1"
    assert all(r.reasons for r in results)


def test_a_customer_who_buys_again_is_offered_a_bought_product_again() -> None:
    tee, tee2 = product("T1", "t-shirts", "Kestrel", 30), product("T2", "t-shirts", "Kestrel", 30)
    hat = product("H1", "hats", "Kestrel", 30)
    rebuyer = [order("O1", 60, [("T1", ""), ("H1", "")]), order("O2", 10, [("H1", "")])]
    signals = signals_of(customer(brands=["Kestrel"]), rebuyer, [tee, tee2, hat])
    assert signals.repeat_rate == 1.0
    tees = personalise([Candidate(tee, 1.0), Candidate(tee2, 0.9)], signals, limit=2)
    assert ids(tees) == ["T1", "T2"]
    assert codes(tees[0])[0] == "buy_again"
    # A hard filter still wins over buying again.
    filtered = personalise(
        [Candidate(tee, 1.0), Candidate(tee2, 0.9)],
        signals,
        limit=2,
        hard_filter=lambda p: p.id != "T1",
    )
    assert ids(filtered) == ["T2"]


def test_price_far_outside_the_band_is_demoted() -> None:
    cheap = product("C1", "t-shirts", "Kestrel", 30)
    near = product("N1", "t-shirts", "Kestrel", 88)
    far = product("F1", "t-shirts", "Kestrel", 200)
    signals = signals_of(customer(band=(20, 80)))
    results = personalise(
        [Candidate(far, 1.0), Candidate(near, 1.0), Candidate(cheap, 0.95)],
        signals,
        limit=3,
        lambda_=1.0,
    )
    assert ids(results) == ["C1", "N1", "F1"]
