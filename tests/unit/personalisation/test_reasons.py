from __future__ import annotations

import pytest

from personalisation.reasons import Reason


@pytest.mark.parametrize(
    ("code", "params", "wire"),
    [
        ("usual_size", {"size": "M"}, {"code": "usual_size", "size": "M"}),
        (
            "favourite_brand",
            {"brand": "Trailforge"},
            {"code": "favourite_brand", "brand": "Trailforge"},
        ),
        ("price_band", {}, {"code": "price_band"}),
        ("explore", {"category": "tents"}, {"code": "explore", "category": "tents"}),
    ],
)
def test_reason_wire_form_and_fragment(code: str, params: dict, wire: dict) -> None:
    reason = Reason.of(code, **params)
    assert reason.as_dict() == wire
    assert reason.fragment == f"reason_{code}"


@pytest.mark.parametrize(
    ("code", "params"),
    [("cheap", {}), ("usual_size", {}), ("price_band", {"size": "M"}), ("explore", {"brand": "x"})],
)
def test_unknown_code_or_wrong_params_rejected(code: str, params: dict) -> None:
    with pytest.raises(ValueError):
        Reason.of(code, **params)
