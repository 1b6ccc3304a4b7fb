"""A deterministic extractor for references to items in a shown list ("the second one").

Entity ``ordinal``: the value is the 1-based index as a string ("first", "1st", "#1",
"number one", "option 1", "the 1" give ``"1"``); ``"-1"`` is the last item and ``"-2"``
the one before it. The span is the ordinal word or the number (without "#", "the" or
the cue word). "compare the first and the third" gives two entities.

Plain numbers only count when the message is clearly about an item: after an item cue
("option 2", "item 3", "number 2", "no. 2", "#2"), as "the 2" at the end of a phrase,
or as a message that is nothing but the number. Sizes ("size 10"), prices ("the 50
dollar one") and order ids ("order #100234") are left alone.

The words come from :mod:`assistant.components.ordinal_tables`, keyed by language; the
message's ``language`` attribute picks the table.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.exceptions import InvalidConfigException

from assistant.components import ordinal_tables
from assistant.components._entities import (
    make_entity,
    mask_markup,
)
from assistant.components._phrases import PhraseTable, Token, phrase_key, tokenize
from assistant.components.ordinal_tables import OrdinalLexicon
from assistant.components.pattern_extractor import PatternEntityExtractor

logger = logging.getLogger(__name__)

ORDINAL = "ordinal"

_ENDINGS = frozenset(",.;:!?)]")
_NOT_AFTER_NUMBER = frozenset("%°$€£")
_SPLITTERS = frozenset(".,:/")
_HYPHENS = frozenset("-–")
#: A written ordinal: one or two digits and a suffix ("2nd", "2º", "2ème", "3te").
_NUMERAL = re.compile(r"(\d{1,2})(\D+)")
Key = tuple[str, ...]


@dataclass(frozen=True)
class _CompiledLexicon:
    """The phrase tables and word sets built from one :class:`OrdinalLexicon`."""

    ordinal_words: PhraseTable[int]
    numeral_suffixes: frozenset[str]
    cardinal_words: Mapping[str, int]
    item_cues: PhraseTable[bool]
    article_cues: frozenset[str]
    article_followers: PhraseTable[bool]
    polite_words: PhraseTable[bool]
    blocking_before: PhraseTable[bool]
    blocking_next: PhraseTable[bool]
    blocking_prev_words: frozenset[str]
    strong_prev_words: frozenset[str]
    strong_next_words: frozenset[str]
    adverb_next_words: frozenset[str]
    verb_words: frozenset[Key]
    verb_prev_words: frozenset[str]


def _words(entries: Iterable[str]) -> frozenset[str]:
    return frozenset(entry.lower().replace("’", "'") for entry in entries)


def _compile(lexicon: OrdinalLexicon) -> _CompiledLexicon:
    """Builds the phrase tables of one lexicon."""
    return _CompiledLexicon(
        ordinal_words=PhraseTable(dict(lexicon.ordinal_words)),
        numeral_suffixes=_words(lexicon.numeral_suffixes),
        cardinal_words={k.lower(): v for k, v in lexicon.cardinal_words.items()},
        item_cues=PhraseTable.of(lexicon.item_cues, True),
        article_cues=_words(lexicon.article_cues),
        article_followers=PhraseTable.of(lexicon.article_followers, True),
        polite_words=PhraseTable.of(lexicon.polite_words, True),
        blocking_before=PhraseTable.of(lexicon.blocking_before, True),
        blocking_next=PhraseTable.of(lexicon.blocking_next_words, True),
        blocking_prev_words=_words(lexicon.blocking_prev_words),
        strong_prev_words=_words(lexicon.strong_prev_words),
        strong_next_words=_words(lexicon.strong_next_words),
        adverb_next_words=_words(lexicon.adverb_next_words),
        verb_words=frozenset(phrase_key(word) for word in lexicon.verb_words),
        verb_prev_words=_words(lexicon.verb_prev_words),
    )


_COMPILED: dict[str, tuple[OrdinalLexicon, _CompiledLexicon]] = {}


def _compiled(language: str, lexicon: OrdinalLexicon) -> _CompiledLexicon:
    """Returns the compiled lexicon, compiling it once per process and language."""
    cached = _COMPILED.get(language)
    if cached is None or cached[0] is not lexicon:
        cached = (lexicon, _compile(lexicon))
        _COMPILED[language] = cached
    return cached[1]


class _OrdinalMatcher:
    """Finds ordinal entities in one text with one compiled lexicon."""

    def __init__(self, text: str, table: _CompiledLexicon, max_index: int) -> None:
        self.table = table
        self.max_index = max_index
        self.tokens: list[Token] = tokenize(text)
        self.taken: set[int] = set()
        self.found: list[dict[str, Any]] = []

    def _add(self, value: int, first: int, after: int) -> None:
        """Adds an entity covering tokens[first:after] unless they are taken."""
        indexes = range(first, after)
        if self.taken.intersection(indexes):
            return
        self.taken.update(indexes)
        start, end = self.tokens[first].start, self.tokens[after - 1].end
        self.found.append(make_entity(ORDINAL, str(value), start, end))

    def _adjacent(self, left: int, right: int) -> bool:
        return self.tokens[left].end == self.tokens[right].start

    def _number(self, index: int) -> int | None:
        """The item index a plain number token stands for, if it can be one."""
        tokens = self.tokens
        if index >= len(tokens):
            return None
        raw = tokens[index].norm
        if not raw.isdigit() or len(raw) > 2 or raw.startswith("0"):
            return None
        nxt = index + 1
        if nxt < len(tokens) and tokens[nxt].norm in _NOT_AFTER_NUMBER:
            return None  # "2%", "5 $"
        if (
            nxt + 1 < len(tokens)
            and tokens[nxt].norm in _SPLITTERS
            and self._adjacent(index, nxt)
            and tokens[nxt + 1].norm[:1].isdigit()
        ):
            return None  # "9.5", "10:30", "12/05"
        if (
            index >= 2
            and tokens[index - 1].norm in _SPLITTERS
            and self._adjacent(index - 1, index)
            and tokens[index - 2].norm[-1:].isdigit()
        ):
            return None
        value = int(raw)
        return value if value <= self.max_index else None

    def _prev_word(self, index: int) -> str | None:
        if index > 0 and self.tokens[index - 1].is_word:
            return self.tokens[index - 1].norm
        return None

    def _skip_hyphens(self, index: int) -> int:
        while index < len(self.tokens) and self.tokens[index].norm in _HYPHENS:
            index += 1
        return index

    def _next_word(self, index: int) -> str | None:
        index = self._skip_hyphens(index)
        if index < len(self.tokens) and self.tokens[index].is_word:
            return self.tokens[index].norm
        return None

    def _blocked_after(self, index: int) -> bool:
        """Whether the words after an ordinal make it something else ("first time")."""
        index = self._skip_hyphens(index)
        if index < len(self.tokens) and self.tokens[index].norm.isdigit():
            return True  # "the first 2", "last 3"
        return self.table.blocking_next.starting_at(self.tokens, index) is not None

    def _accept_word(self, first: int, after: int) -> bool:
        """Whether an ordinal word at tokens[first:after] points at an item."""
        table, tokens = self.table, self.tokens
        prev, nxt = self._prev_word(first), self._next_word(after)
        if prev in table.blocking_prev_words or self._blocked_after(after):
            return False
        if prev in table.strong_prev_words or nxt in table.strong_next_words:
            return True
        key = tuple(token.norm for token in tokens[first:after])
        if key in table.verb_words and prev in table.verb_prev_words:
            return False  # "boots that last"
        if nxt in table.adverb_next_words:
            return False  # "first I want to see ..."
        # "First, show me ..." is an adverb; a phrase of several tokens never is
        # ("second-to-last, please", "l'avant-dernier, il est ...")
        single_word = after - first == 1
        return not (
            single_word and first == 0 and after < len(tokens) and tokens[after].norm == ","
        )

    def _words(self) -> None:
        for index in range(len(self.tokens)):
            hit = self.table.ordinal_words.starting_at(self.tokens, index)
            if hit is None:
                continue
            after, value = hit
            if value > self.max_index:
                continue
            if self._accept_word(index, after):
                self._add(value, index, after)

    def _numerals(self) -> None:
        for index, token in enumerate(self.tokens):
            numeral = _NUMERAL.fullmatch(token.norm)
            if numeral is None:
                continue
            digits, suffix = numeral.groups()
            if suffix not in self.table.numeral_suffixes:
                continue
            value = int(digits)
            if (
                1 <= value <= self.max_index
                and not digits.startswith("0")
                and not self._blocked_after(index + 1)
            ):
                self._add(value, index, index + 1)

    def _cues(self) -> None:
        tokens, table = self.tokens, self.table
        for index in range(len(tokens)):
            hit = table.item_cues.starting_at(tokens, index)
            if hit is None or table.blocking_before.ending_at(tokens, index):
                continue
            position = hit[0]
            if position < len(tokens) and tokens[position].norm == "#":
                position += 1  # "option #2"
            if position >= len(tokens):
                continue
            value = self._number(position)
            if value is None:
                value = table.cardinal_words.get(tokens[position].norm)
            if value is not None and 1 <= value <= self.max_index:
                self._add(value, position, position + 1)

    def _articles(self) -> None:
        tokens, table = self.tokens, self.table
        for index, token in enumerate(tokens[:-1]):
            if token.norm not in table.article_cues:
                continue
            value = self._number(index + 1)
            if value is None or table.blocking_before.ending_at(tokens, index):
                continue
            after = index + 2
            if (
                after == len(tokens)
                or tokens[after].norm in _ENDINGS
                or table.article_followers.starting_at(tokens, after)
            ):
                self._add(value, index + 1, index + 2)

    def _bare(self) -> None:
        """A message that is nothing but a number ("2", "#2", "2 please")."""
        tokens = self.tokens
        position = 1 if tokens and tokens[0].norm == "#" else 0
        value = self._number(position)
        if value is None:
            return
        rest = position + 1
        polite = self.table.polite_words.starting_at(tokens, rest)
        if polite:
            rest = polite[0]
        if all(token.norm in ".!?)" for token in tokens[rest:]):
            self._add(value, position, position + 1)

    def entities(self) -> list[dict[str, Any]]:
        if not self.tokens:
            return []
        self._words()
        self._numerals()
        self._cues()
        self._articles()
        self._bare()
        return sorted(self.found, key=lambda entity: entity["start"])


def extract_ordinals(
    text: str,
    language: str = "en",
    *,
    lexicons: Mapping[str, OrdinalLexicon] | None = None,
    max_index: int = 10,
) -> list[dict[str, Any]]:
    """Finds ordinal entities in a text (the component's logic, without Rasa objects).

    Args:
        text: The user message.
        language: Key of the pattern table to use (must be in ``lexicons``).
        lexicons: Pattern tables by language (default: ``ORDINAL_LEXICONS``).
        max_index: The highest index a number may point at ("option 12" is ignored
            with the default of 10).

    Returns:
        Entity dictionaries in text order (without the extractor name).
    """
    if not isinstance(text, str) or not text.strip():
        return []
    tables = ordinal_tables.ORDINAL_LEXICONS if lexicons is None else lexicons
    compiled = _compiled(language, tables[language])
    return _OrdinalMatcher(mask_markup(text), compiled, max_index).entities()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class OrdinalExtractor(PatternEntityExtractor):
    """Extracts references to the n-th shown item ("the second one", "option 2").

    Needs no training data and no tokenizer. Entities other extractors found are kept;
    an entity of the same type at the same span is not added twice.
    """

    LEXICONS = ordinal_tables.ORDINAL_LEXICONS
    CONFIG_FILE_NAME = "ordinal_extractor.json"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The component's default config (see parent class for full docstring)."""
        return {
            # pattern table used when a message has no (known) `language` attribute
            "default_language": "en",
            # highest index a plain number or ordinal may point at
            "max_index": 10,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
    ) -> None:
        """Creates the extractor.

        Args:
            config: The component config (defaults merged with the pipeline's).
            model_storage: Storage the component can persist itself to.
            resource: Locator of this component's data in ``model_storage``.

        Raises:
            InvalidConfigException: If the default language has no pattern table or
                ``max_index`` is not a positive integer.
        """
        super().__init__(config, model_storage, resource)
        if self.default_language not in ordinal_tables.ORDINAL_LEXICONS:
            raise InvalidConfigException(
                f"{self.name}: no ordinal pattern table for default_language "
                f"'{self.default_language}' (have: "
                f"{', '.join(sorted(ordinal_tables.ORDINAL_LEXICONS))})."
            )
        max_index = self._config["max_index"]
        if isinstance(max_index, bool) or not isinstance(max_index, int) or max_index < 1:
            raise InvalidConfigException(
                f"{self.name}: max_index must be a positive integer, got {max_index!r}."
            )
        self.max_index = max_index

    def find(self, text: str, language: str) -> list[dict[str, Any]]:
        """Returns the entities found in `text` with the table of `language`."""
        return extract_ordinals(text, language, max_index=self.max_index)
