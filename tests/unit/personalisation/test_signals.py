from __future__ import annotations

from dataclasses import replace

import pytest
from personalisation_helpers import TODAY, customer, order, product

from personalisation.signals import CustomerSignals, PriceBand, has_consent

CATALOG = {
    p.id: p
    for p in [
        product("A", "running shoes", "Trailforge", sizes={"8": 3}),
        product("B", "t-shirts", "Northpeak", sizes={"M": 3}),
        product("C", "tents", "Cascadia"),
        product("D", "t-shirts", "Kestrel", sizes={"L": 3}),
    ]
}


@pytest.mark.parametrize(
    ("consent", "expected"),
    [
        ({"personalisation": {"granted": True}}, True),
        ({"personalisation": {"granted": False}}, False),
        ({"personalisation": {"granted": None}}, False),
        ({"personalisation": {"granted": "true"}}, False),
        ({"personalisation": {}}, False),
        ({}, False),
        (None, False),
        ({"marketing": {"granted": True}}, False),
    ],
)
def test_consent_is_only_an_explicit_true(consent: object, expected: bool) -> None:
    assert has_consent({"consent": consent}) is expected


@pytest.mark.parametrize("granted", [False, None, "yes", 1])
def test_no_consent_gives_empty_signals(granted: object) -> None:
    cust = customer(granted=granted, brands=["Trailforge"], sizes={"t-shirts": "M"}, band=(1, 2))
    signals = CustomerSignals.from_profile(
        cust, [order("O1", 5, [("A", "8")])], TODAY, catalog=CATALOG
    )
    assert signals.is_empty
    assert signals == CustomerSignals()


def test_declared_favourites_and_band() -> None:
    cust = customer(
        brands=["Trailforge"], categories=["Tents"], sizes={"T-Shirts": "M"}, band=(20, 120)
    )
    signals = CustomerSignals.from_profile(cust, [], TODAY, catalog=CATALOG)
    assert signals.brand("trailforge") == 1.0
    assert signals.category("tents") == 1.0
    assert signals.size_for("t-shirts") == "M"
    assert signals.price_band == PriceBand(20.0, 120.0)
    assert signals.purchased == frozenset()
    assert not signals.is_empty


def test_recency_decay_half_life() -> None:
    cust = customer()
    orders = [order("O1", 0, [("A", "8")]), order("O2", 180, [("B", "M")])]
    signals = CustomerSignals.from_profile(cust, orders, TODAY, catalog=CATALOG)
    assert signals.brand("Trailforge") == pytest.approx(1.0)
    assert signals.brand("Northpeak") == pytest.approx(0.5)
    assert signals.category("t-shirts") == pytest.approx(0.5)
    assert signals.purchase_weights["B"] == pytest.approx(0.5)
    assert signals.recent == ("A",)


def test_sizes_learnt_from_latest_purchase_declared_wins() -> None:
    orders = [
        order("O1", 300, [("B", "S")]),
        order("O2", 10, [("D", "L")]),
        order("O3", 20, [("A", "8")]),
    ]
    learnt = CustomerSignals.from_profile(customer(), orders, TODAY, catalog=CATALOG)
    assert learnt.sizes == {"t-shirts": "L", "running shoes": "8"}
    declared = CustomerSignals.from_profile(
        customer(sizes={"t-shirts": "M"}), orders, TODAY, catalog=CATALOG
    )
    assert declared.size_for("t-shirts") == "M"


@pytest.mark.parametrize(
    ("status", "bought", "affinity"),
    [("delivered", True, 1.0), ("returned", True, 0.0), ("cancelled", False, 0.0)],
)
def test_order_status(status: str, bought: bool, affinity: float) -> None:
    orders = [order("O1", 1, [("C", "")], status=status), order("O2", 1, [("A", "8")])]
    signals = CustomerSignals.from_profile(customer(), orders, TODAY, catalog=CATALOG)
    assert ("C" in signals.purchased) is bought
    assert signals.brand("Cascadia") == affinity


def test_price_band_learnt_from_purchases_when_not_declared() -> None:
    orders = [order("O1", 1, [("A", "8")], price=50.0), order("O2", 2, [("B", "M")], price=100.0)]
    signals = CustomerSignals.from_profile(customer(), orders, TODAY, catalog=CATALOG)
    assert signals.price_band == PriceBand(pytest.approx(40.0), pytest.approx(120.0))


def test_without_catalog_only_ids_and_declared() -> None:
    signals = CustomerSignals.from_profile(
        customer(brands=["Kestrel"]), [order("O1", 1, [("A", "8")])], TODAY
    )
    assert signals.purchased == {"A"}
    assert dict(signals.brand_affinity) == {"kestrel": 1.0}


# --- habits learnt from the history: who for, buying again ------------------------


def test_repeat_rate_counts_lines_rebuying_an_earlier_product() -> None:
    orders = [
        order("O3", 5, [("A", "8"), ("C", "")]),
        order("O1", 100, [("A", "8"), ("B", "M")]),
        order("O2", 50, [("B", "M"), ("D", "L")]),
        order("OX", 1, [("A", "8")], status="cancelled"),
    ]
    signals = CustomerSignals.from_profile(customer(), orders, TODAY, catalog=CATALOG)
    # O2 re-buys B (1 of 2 lines), O3 re-buys A (1 of 2); O1 is first, OX cancelled.
    assert signals.repeat_rate == pytest.approx(0.5)


@pytest.mark.parametrize(
    "orders",
    [
        [],
        [order("O1", 5, [("A", "8"), ("B", "M")])],
        [order("O1", 50, [("A", "8")]), order("O2", 5, [("B", "M")])],
        [order("O1", 50, [("A", "8")]), order("O2", 5, [("A", "8")], status="cancelled")],
    ],
)
def test_no_repeat_rate_without_a_rebought_product(orders: list[dict]) -> None:
    signals = CustomerSignals.from_profile(customer(), orders, TODAY, catalog=CATALOG)
    assert signals.repeat_rate == 0.0


def gendered(pid: str, gender: str) -> object:
    return replace(product(pid, "t-shirts", "Kestrel"), gender=gender)


@pytest.mark.parametrize(
    ("gender", "fit"),
    [("women", 1.0), ("men", 0.5 / 3.5), ("kids", 0.5 / 3.5), ("unisex", 1.0), ("", 1.0)],
)
def test_gender_fit_from_purchased_lines(gender: str, fit: float) -> None:
    lookup = {
        "W1": gendered("W1", "women"),
        "W2": gendered("W2", "women"),
        "W3": gendered("W3", "Women"),
        "U1": gendered("U1", "unisex"),
    }
    orders = [order("O1", 5, [("W1", ""), ("W2", ""), ("W3", ""), ("U1", "")])]
    signals = CustomerSignals.from_profile(customer(), orders, TODAY, catalog=lookup)
    assert signals.gender_lines == {"women": 3, "unisex": 1}
    assert signals.gender_fit(gender) == pytest.approx(fit)


def test_gender_fit_is_neutral_without_gendered_purchases() -> None:
    lookup = {"U1": gendered("U1", "unisex")}
    signals = CustomerSignals.from_profile(
        customer(), [order("O1", 5, [("U1", "")])], TODAY, catalog=lookup
    )
    assert signals.gender_fit("men") == 1.0
    assert CustomerSignals().gender_fit("women") == 1.0


@pytest.mark.parametrize(
    ("price", "distance"),
    [(50.0, 0.0), (20.0, 0.0), (80.0, 0.0), (10.0, 0.5), (0.0, 1.0), (120.0, 0.5), (400.0, 1.0)],
)
def test_price_band_distance_is_relative_to_the_nearest_edge(price: float, distance: float) -> None:
    assert PriceBand(20.0, 80.0).distance(price) == pytest.approx(distance)
