"""Why a product is in a personalised list: language-neutral reason codes and parameters.

A reason is data, never text: the action renders it through a response fragment
(``reason_<code>`` in the shopper's language) filling the parameters, e.g.
``Reason("usual_size", {"size": "M"})`` -> "in your usual size M".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

__all__ = [
    "Reason",
    "USUAL_SIZE",
    "FAVOURITE_BRAND",
    "FAVOURITE_CATEGORY",
    "PRICE_BAND",
    "BOUGHT_TOGETHER",
    "SIMILAR_TO_PURCHASE",
    "BUY_AGAIN",
    "EXPLORE",
    "POPULAR_IN",
    "REASON_CODES",
]

#: ``{"size"}``: the customer's size for the product's category is in stock.
USUAL_SIZE: Final = "usual_size"
#: ``{"brand"}``: a brand the customer declared or buys often.
FAVOURITE_BRAND: Final = "favourite_brand"
#: ``{"category"}``: a category the customer declared or buys often.
FAVOURITE_CATEGORY: Final = "favourite_category"
#: no parameters: the price is inside the customer's usual price band.
PRICE_BAND: Final = "price_band"
#: ``{"title"}``: other customers bought it together with a product the customer bought.
BOUGHT_TOGETHER: Final = "bought_together"
#: ``{"title"}``: like a product the customer bought.
SIMILAR_TO_PURCHASE: Final = "similar_to_purchase"
#: ``{"title"}``: an item the customer buys again (consumable-like, e.g. socks).
BUY_AGAIN: Final = "buy_again"
#: ``{"category"}``: the exploration slot, outside the customer's usual categories.
EXPLORE: Final = "explore"
#: ``{"category"}``: no personal boost applies; a well-rated product of its category.
POPULAR_IN: Final = "popular_in"

#: Every code with the parameters its fragment uses.
REASON_CODES: Final[Mapping[str, tuple[str, ...]]] = {
    USUAL_SIZE: ("size",),
    FAVOURITE_BRAND: ("brand",),
    FAVOURITE_CATEGORY: ("category",),
    PRICE_BAND: (),
    BOUGHT_TOGETHER: ("title",),
    SIMILAR_TO_PURCHASE: ("title",),
    BUY_AGAIN: ("title",),
    EXPLORE: ("category",),
    POPULAR_IN: ("category",),
}


@dataclass(frozen=True)
class Reason:
    """One reason: a code and the parameters its fragment needs."""

    code: str
    params: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Check the code is known and carries exactly its parameters.

        Raises:
            ValueError: Unknown code or wrong parameter names.
        """
        expected = REASON_CODES.get(self.code)
        if expected is None:
            raise ValueError(f"unknown reason code {self.code!r}")
        if set(self.params) != set(expected):
            raise ValueError(f"reason {self.code!r} takes {expected}, got {sorted(self.params)}")

    @property
    def fragment(self) -> str:
        """Name of the response fragment that renders this reason."""
        return f"reason_{self.code}"

    def as_dict(self) -> dict[str, str]:
        """Wire form: ``{"code": ..., **params}`` (for slots and payloads)."""
        return {"code": self.code, **self.params}

    @classmethod
    def of(cls, code: str, **params: str) -> Reason:
        """Build a reason from keyword parameters.

        Args:
            code: The reason code.
            **params: Its parameters.

        Returns:
            The reason.
        """
        return cls(code, dict(params))
