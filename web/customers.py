"""The demo customers a visitor can shop as, taken from the profile service's seed data.

The profile service seeds the same customers on an empty database: the fixed personas of
:mod:`profiles.seed.generate` (``CUS-1001`` to ``CUS-1006``, the ones the tests and demos
rely on) and the hand-written order scenarios of ``profiles/seed/scenarios.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from profiles.seed.generate import FIXED_PERSONAS
from profiles.seed.load import SCENARIOS

__all__ = ["LANGUAGES", "DemoCustomer", "demo_customers"]

#: The widget's languages, in the order the selector lists them.
LANGUAGES = {"en": "English", "es": "Español", "de": "Deutsch", "fr": "Français"}
_SEGMENTS = {
    "vip": "VIP",
    "regular": "regular",
    "new": "new customer",
    "bargain_hunter": "bargain hunter",
}


@dataclass(frozen=True)
class DemoCustomer:
    """A customer of the seed data.

    Attributes:
        id: The customer id (the token's ``sub``).
        name: The customer's name.
        note: What makes them interesting in a demo (segment, language, ...).
    """

    id: str
    name: str
    note: str

    @property
    def label(self) -> str:
        """The selector's text for this customer."""
        return f"{self.name} ({self.note})"


def _persona_note(language: str, segment: str, consent: bool | None) -> str:
    parts = [_SEGMENTS.get(segment, segment), LANGUAGES.get(language, language)]
    if consent is False:
        parts.append("personalisation off")
    elif consent is None:
        parts.append("personalisation not asked")
    return ", ".join(parts)


def demo_customers(scenarios: Path = SCENARIOS) -> list[DemoCustomer]:
    """The personas, then the scenario customers, as the profile service seeds them.

    Args:
        scenarios: The scenarios file.

    Returns:
        The customers, each id once.
    """
    found = [
        DemoCustomer(id=customer_id, name=f"{first} {last}", note=_persona_note(lang, seg, ok))
        for customer_id, (lang, _gender, first, last, seg, ok) in FIXED_PERSONAS.items()
    ]
    data = json.loads(scenarios.read_text(encoding="utf-8"))
    for row in data["customers"]:
        language = LANGUAGES.get(row.get("preferred_language", ""), "")
        found.append(
            DemoCustomer(
                id=row["customer_id"],
                name=row["name"],
                note=", ".join(part for part in ("order scenarios", language) if part),
            )
        )
    unique: dict[str, DemoCustomer] = {}
    for customer in found:
        unique.setdefault(customer.id, customer)
    return list(unique.values())
