"""Per-language phrase fragments for the pieces an action assembles itself.

Whole messages come from the domain's responses; :class:`Phrases` holds the fragments in
``assistant/fragments.yml`` (constraint phrases, dates, "more" words, filler, the
glossary mapping descriptive words to the catalog's English search terms) and the
display names of catalog values from ``assistant/vocabulary/<language>.yml``.
It is loaded once per process by the runtime.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "DEFAULT_FRAGMENTS",
    "DEFAULT_VOCABULARY_DIR",
    "LanguagePhrases",
    "Phrases",
]

_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FRAGMENTS = _ROOT / "assistant" / "fragments.yml"
DEFAULT_VOCABULARY_DIR = _ROOT / "assistant" / "vocabulary"
#: Kinds of catalog values shown in the shopper's language (sizes and brands stay as they are).
_DISPLAYED = ("category", "colour", "material")
_CONSTRAINTS = ("category", "colour", "material", "brand", "size", "price_min", "price_max")


@dataclass(frozen=True)
class LanguagePhrases:
    """The fragments of one language.

    Attributes:
        language: ISO 639-1 code.
        constraint: Template per constraint (``{value}`` or ``{price}``) in a summary.
        constraint_alone: Templates for a constraint named on its own ("in red").
        summary_order: Order of the constraint phrases in a search summary.
        summary_joiner: What joins them.
        products: The word for "products" (a summary without a category).
        date_template: ``{day}``, ``{month}``, ``{year}``.
        months: Month names, January first.
        more_words: Words that ask for more results of the same search.
        glossary: Descriptive word -> the catalog's (English) search term; empty for
            English, whose words are searched as they are.
        display: Kind -> canonical catalog value -> display name in this language.
        terms: Words the systems behind the shop use (order statuses) in this language.
        reasons: Template per reason code of a personalised result ("in your usual
            size {size}").
    """

    language: str
    constraint: Mapping[str, str]
    constraint_alone: Mapping[str, str]
    summary_order: tuple[str, ...]
    summary_joiner: str
    products: str
    date_template: str
    months: tuple[str, ...]
    more_words: frozenset[str]
    glossary: Mapping[str, str] = field(default_factory=dict)
    display: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    terms: Mapping[str, str] = field(default_factory=dict)
    reasons: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def more_pattern(self) -> re.Pattern[str]:
        """A regex matching any of :attr:`more_words` as whole words."""
        words = sorted(self.more_words, key=len, reverse=True)
        return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + r")(?!\w)", re.I)

    def show(self, kind: str, value: str) -> str:
        """The display name of a catalog value (the value itself when there is none).

        Args:
            kind: ``category``, ``colour``, ``material``, ``size`` or ``brand``.
            value: The canonical value.

        Returns:
            The name to show.
        """
        return self.display.get(kind, {}).get(str(value).lower(), str(value))

    def term(self, key: str) -> str:
        """A system word (an order status) in this language (the word itself when unknown).

        Args:
            key: The word, e.g. ``"shipped"``.

        Returns:
            The word to show.
        """
        return self.terms.get(str(key).lower(), str(key))

    def date(self, day: dt.date) -> str:
        """A date written out ("2 June 2025", "2 de junio de 2025", "2. Juni 2025").

        Args:
            day: The date.

        Returns:
            The text.
        """
        return self.date_template.format(
            day=day.day, month=self.months[day.month - 1], year=day.year
        )


def _display_names(directory: Path, language: str) -> dict[str, dict[str, str]]:
    """Display names from the vocabulary file: the first form listed for each value."""
    path = directory / f"{language}.yml"
    if language == "en" or not path.is_file():
        # the catalog's values are English: they are shown as they are
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    names: dict[str, dict[str, str]] = {}
    for kind, table in data.items():
        if kind not in _DISPLAYED or not isinstance(table, dict):
            continue
        for canonical, forms in table.items():
            if isinstance(forms, list) and forms and isinstance(forms[0], str):
                name = forms[0]
                if language == "de" and kind != "colour":
                    name = name[:1].upper() + name[1:]  # German nouns are capitalised
                names.setdefault(str(kind), {})[str(canonical).lower()] = name
    return names


def _parse(
    language: str, raw: Mapping[str, Any], display: dict[str, dict[str, str]]
) -> LanguagePhrases:
    constraint = {str(k): str(v) for k, v in dict(raw.get("constraint") or {}).items()}
    missing = [name for name in _CONSTRAINTS if name not in constraint]
    if missing:
        raise ValueError(f"fragments for '{language}' lack constraint phrases: {missing}")
    months = tuple(str(m) for m in raw.get("months") or ())
    if len(months) != 12:
        raise ValueError(f"fragments for '{language}' need 12 month names, got {len(months)}")
    return LanguagePhrases(
        language=language,
        constraint=constraint,
        constraint_alone={
            str(k): str(v) for k, v in dict(raw.get("constraint_alone") or {}).items()
        },
        summary_order=tuple(raw.get("summary_order") or _CONSTRAINTS),
        summary_joiner=str(raw.get("summary_joiner", " ")),
        products=str(raw.get("products", "products")),
        date_template=str(raw.get("date", "{day} {month} {year}")),
        months=months,
        more_words=frozenset(str(w).lower() for w in raw.get("more_words") or ()),
        glossary={str(k).lower(): str(v) for k, v in dict(raw.get("glossary") or {}).items()},
        display=display,
        terms={str(k).lower(): str(v) for k, v in dict(raw.get("terms") or {}).items()},
        reasons={str(k): str(v) for k, v in dict(raw.get("reasons") or {}).items()},
    )


class Phrases:
    """The fragments of every language; unknown languages get English."""

    def __init__(self, languages: Mapping[str, LanguagePhrases], default: str = "en") -> None:
        """Create the phrase book.

        Args:
            languages: Fragments by language code.
            default: The language used for codes without fragments.

        Raises:
            ValueError: The default language has no fragments.
        """
        if default not in languages:
            raise ValueError(f"no fragments for the default language '{default}'")
        self._languages = dict(languages)
        self._default = default

    @classmethod
    def from_files(
        cls,
        fragments: Path = DEFAULT_FRAGMENTS,
        vocabulary_dir: Path = DEFAULT_VOCABULARY_DIR,
    ) -> Phrases:
        """Load ``fragments.yml`` and the vocabulary files' display names.

        Args:
            fragments: The fragments file.
            vocabulary_dir: Directory of ``<language>.yml`` vocabulary files.

        Returns:
            The phrase book.
        """
        data = yaml.safe_load(fragments.read_text(encoding="utf-8")) or {}
        return cls(
            {
                str(code): _parse(str(code), raw, _display_names(vocabulary_dir, str(code)))
                for code, raw in data.items()
            }
        )

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages with fragments."""
        return tuple(self._languages)

    def for_language(self, language: str | None) -> LanguagePhrases:
        """The fragments of a language (the default language's when it has none).

        Args:
            language: ISO 639-1 code.

        Returns:
            The fragments.
        """
        return self._languages.get(language or self._default, self._languages[self._default])
