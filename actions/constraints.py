"""Search constraints: what the shopper asked for, kept across turns in slots."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

__all__ = ["SearchConstraints", "CONSTRAINT_SLOTS", "RELAXABLE"]

#: Slots that hold one constraint each (see assistant/domain/core.yml).
CONSTRAINT_SLOTS = (
    "category",
    "brand",
    "colour",
    "size",
    "material",
    "price_min",
    "price_max",
    "currency",
)

#: Constraints tried, in this order, when a search finds nothing: the most specific first.
RELAXABLE = ("size", "colour", "material", "brand", "price_max", "price_min")


def _as_float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


@dataclass(frozen=True)
class SearchConstraints:
    """The hard filters of a product search.

    Attributes:
        category: Canonical category ("running shoes").
        brand: Brand as the catalog shows it.
        colour: Canonical colour.
        size: Canonical size ("10", "M").
        material: Canonical material.
        price_min: Lowest price, inclusive.
        price_max: Highest price, inclusive.
        currency: ISO 4217 code the shopper used; informational.
    """

    category: str | None = None
    brand: str | None = None
    colour: str | None = None
    size: str | None = None
    material: str | None = None
    price_min: float | None = None
    price_max: float | None = None
    currency: str | None = None

    @classmethod
    def from_tracker(cls, tracker: Tracker) -> SearchConstraints:
        """Read the constraints from the tracker's slots.

        Args:
            tracker: The conversation tracker.

        Returns:
            The constraints currently in the slots.
        """
        return cls(
            category=_as_text(tracker.get_slot("category")),
            brand=_as_text(tracker.get_slot("brand")),
            colour=_as_text(tracker.get_slot("colour")),
            size=_as_text(tracker.get_slot("size")),
            material=_as_text(tracker.get_slot("material")),
            price_min=_as_float(tracker.get_slot("price_min")),
            price_max=_as_float(tracker.get_slot("price_max")),
            currency=_as_text(tracker.get_slot("currency")),
        )

    def slot_events(self) -> list[EventType]:
        """One ``SlotSet`` per constraint slot (``None`` clears a slot).

        Returns:
            The events.
        """
        return [SlotSet(name, getattr(self, name)) for name in CONSTRAINT_SLOTS]

    def without(self, name: str) -> SearchConstraints:
        """A copy with one constraint removed.

        Args:
            name: A field name.

        Returns:
            The relaxed constraints.
        """
        return replace(self, **{name: None})

    def active(self) -> dict[str, Any]:
        """The constraints that filter (currency alone does not).

        Returns:
            Field name to value, for the set ones.
        """
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "currency" and getattr(self, f.name) not in (None, "")
        }

    def is_empty(self) -> bool:
        """Whether nothing filters the search.

        Returns:
            True when no constraint is set.
        """
        return not self.active()
