"""Token-level phrase lookup for the deterministic extractors.

Matching cue words with one big regular expression per table is slow on long texts
(every position is tried against every alternative). Instead the text is split once
into tokens and table phrases are looked up in dictionaries of token tuples, so one
lookup costs a handful of set and dict operations whatever the text length.

Tokens are runs of letters and digits (with inner apostrophes: "won't", "budget's") or
single other non-space characters ("$", "<", "#", "."); they cover every non-space
character, so two neighbouring tokens have only whitespace between them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Generic, NamedTuple, TypeVar

V = TypeVar("V")

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\S")


class Token(NamedTuple):
    """One token: its character span in the text and its normalised form."""

    start: int
    end: int
    norm: str

    @property
    def is_word(self) -> bool:
        """Whether the token is a word or number (not punctuation or a symbol)."""
        return self.norm[:1].isalnum()


def tokenize(text: str) -> list[Token]:
    """Splits a text into tokens with lower-case normalised forms.

    Args:
        text: Any text.

    Returns:
        The tokens in text order.
    """
    return [
        Token(match.start(), match.end(), match.group().lower().replace("’", "'"))
        for match in _TOKEN.finditer(text)
    ]


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The token tuple a table entry is looked up by ("Less  than" -> ("less", "than"))."""
    return tuple(token.norm for token in tokenize(phrase))


class PhraseTable(Generic[V]):
    """Phrases (token sequences) mapped to values, matched against token lists."""

    def __init__(self, entries: Mapping[str, V]) -> None:
        """Builds the table; the first value wins if two entries normalise alike.

        Args:
            entries: Phrases mapped to the value a match returns.
        """
        self._phrases: dict[tuple[str, ...], V] = {}
        for phrase, value in entries.items():
            key = phrase_key(phrase)
            if key:
                self._phrases.setdefault(key, value)
        self._longest = max((len(key) for key in self._phrases), default=0)
        self._firsts = {key[0] for key in self._phrases}
        self._lasts = {key[-1] for key in self._phrases}

    @classmethod
    def of(cls, phrases: Iterable[str], value: V) -> PhraseTable[V]:
        """Builds a table in which every phrase maps to the same value."""
        return cls(dict.fromkeys(phrases, value))

    def __contains__(self, key: object) -> bool:
        """Whether a token tuple is one of the phrases."""
        return key in self._phrases

    def starting_at(self, tokens: Sequence[Token], index: int) -> tuple[int, V] | None:
        """Finds the longest phrase that starts at ``tokens[index]``.

        Args:
            tokens: The tokens of the text.
            index: Where the phrase must start.

        Returns:
            The index just after the phrase and its value, or None.
        """
        if index >= len(tokens) or tokens[index].norm not in self._firsts:
            return None
        for size in range(min(self._longest, len(tokens) - index), 0, -1):
            key = tuple(token.norm for token in tokens[index : index + size])
            if key in self._phrases:
                return index + size, self._phrases[key]
        return None

    def ending_at(self, tokens: Sequence[Token], index: int) -> tuple[int, V] | None:
        """Finds the longest phrase that ends just before ``tokens[index]``.

        Args:
            tokens: The tokens of the text.
            index: The phrase must be ``tokens[start:index]``.

        Returns:
            The index of the phrase's first token and its value, or None.
        """
        if index <= 0 or index > len(tokens) or tokens[index - 1].norm not in self._lasts:
            return None
        for size in range(min(self._longest, index), 0, -1):
            key = tuple(token.norm for token in tokens[index - size : index])
            if key in self._phrases:
                return index - size, self._phrases[key]
        return None
