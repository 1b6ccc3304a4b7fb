"""A deterministic extractor for price constraints ("under 80 dollars", "20-40").

Entities (values are strings, offsets are character offsets into the text):

* ``price_max`` / ``price_min``: a number such as ``"80"`` or ``"19.99"``; the span is
  the number as written ("1k" for 1000).
* ``currency``: an ISO code (``USD``, ``EUR``, ``GBP``); the span is the symbol or word.
* ``price_relative``: ``"cheaper"`` or ``"more_expensive"``; the span is the phrase.

"around 50" gives both ``price_min`` and ``price_max`` (plus or minus
``approx_tolerance``) at the span of "50". An amount with a currency and no other cue
("80 bucks") is read as a budget, i.e. ``price_max``. A plain number without a cue or
currency is never a price, so sizes, quantities and order ids in ordinary sentences are
left alone; numbers next to size, order or unit words are skipped even after a cue.

The words come from :mod:`assistant.components.price_tables`, keyed by language; the
message's ``language`` attribute (set by a language detector) picks the table.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.exceptions import InvalidConfigException

from assistant.components import price_tables
from assistant.components._entities import (
    alternation,
    make_entity,
    mask_markup,
)
from assistant.components._phrases import PhraseTable, phrase_key, tokenize
from assistant.components.pattern_extractor import PatternEntityExtractor
from assistant.components.price_tables import PriceLexicon

logger = logging.getLogger(__name__)

PRICE_MIN = "price_min"
PRICE_MAX = "price_max"
CURRENCY = "currency"
PRICE_RELATIVE = "price_relative"
CHEAPER = "cheaper"
MORE_EXPENSIVE = "more_expensive"

_CENTS = Decimal("0.01")
_DASHES = frozenset(price_tables.COMMON_RANGE_DASHES)
_APPROX = "approx"
Key = tuple[str, ...]


@dataclass(frozen=True)
class _CompiledLexicon:
    """The number pattern and phrase tables built from one :class:`PriceLexicon`."""

    number: re.Pattern[str]
    formats: tuple[tuple[re.Pattern[str], str, str], ...]
    currency_before: PhraseTable[str]
    currency_after: PhraseTable[str]
    weight_currency: frozenset[Key]
    weight: PhraseTable[bool]
    cue_before: PhraseTable[str]
    cue_after: PhraseTable[str]
    block_before: PhraseTable[bool]
    unit_after: PhraseTable[bool]
    year_before: PhraseTable[bool]
    openers: PhraseTable[frozenset[Key]]
    bare_joiners: frozenset[Key]
    relative: PhraseTable[str]
    comparison: frozenset[str]
    symbols: frozenset[str]


_COMPILED: dict[str, tuple[PriceLexicon, _CompiledLexicon]] = {}


def _compiled(language: str, lexicon: PriceLexicon) -> _CompiledLexicon:
    """Returns the compiled lexicon, compiling it once per process and language."""
    cached = _COMPILED.get(language)
    if cached is None or cached[0] is not lexicon:
        cached = (lexicon, _compile(lexicon))
        _COMPILED[language] = cached
    return cached[1]


def _keys(phrases: Iterable[str]) -> frozenset[Key]:
    return frozenset(key for key in map(phrase_key, phrases) if key)


def _number_source(decimal_separator: str, group_separator: str) -> str:
    """The regex source of a number written with the given separators ("1,200.50")."""
    dec, grp = re.escape(decimal_separator), re.escape(group_separator)
    return rf"\d{{1,3}}(?:{grp}\d{{3}})+(?:{dec}\d{{1,2}})?|\d+(?:{dec}\d{{1,2}})?"


def _compile(lexicon: PriceLexicon) -> _CompiledLexicon:
    """Builds the number pattern and phrase tables of one lexicon."""
    separators = (
        (lexicon.decimal_separator, lexicon.group_separator),
        *lexicon.alternate_number_formats,
    )
    numbers = "|".join(_number_source(dec, grp) for dec, grp in separators)
    thousands = alternation(lexicon.thousand_suffixes, left_boundary=False)
    ish = alternation(lexicon.attached_approx_suffixes, left_boundary=False)
    number = re.compile(
        # not inside a word, code or date: "W32", "ORD-100234", "12/05", "1.5"
        r"(?<![\w.,/:#])(?<![^\W\d_]{2}-)(?<!\s[^\W\d_]-)"
        rf"(?P<num>{numbers})"
        rf"(?:\s?(?P<k>{thousands}))?"
        rf"(?P<ish>{ish})?"
        r"(?![\w%°]|[.,]\d|[/:]\d|-[^\W\d_])",
        re.IGNORECASE,
    )
    symbols = dict(price_tables.COMMON_CURRENCY_SYMBOLS)
    cues_before = {
        **dict.fromkeys(lexicon.budget_prefixes, PRICE_MAX),
        **dict.fromkeys(lexicon.approx_prefixes, _APPROX),
        **dict.fromkeys(price_tables.COMMON_APPROX_SYMBOLS, _APPROX),
        **dict.fromkeys(lexicon.min_prefixes, PRICE_MIN),
        **dict.fromkeys(price_tables.COMMON_MIN_SYMBOLS, PRICE_MIN),
        **dict.fromkeys(lexicon.max_prefixes, PRICE_MAX),
        **dict.fromkeys(price_tables.COMMON_MAX_SYMBOLS, PRICE_MAX),
    }
    cues_after = {
        **dict.fromkeys(lexicon.approx_suffixes, _APPROX),
        **dict.fromkeys(lexicon.min_suffixes, PRICE_MIN),
        **dict.fromkeys(price_tables.COMMON_MIN_SUFFIX_SYMBOLS, PRICE_MIN),
        **dict.fromkeys(lexicon.max_suffixes, PRICE_MAX),
    }
    return _CompiledLexicon(
        number=number,
        formats=tuple((re.compile(_number_source(dec, grp)), dec, grp) for dec, grp in separators),
        currency_before=PhraseTable(symbols),
        currency_after=PhraseTable({**symbols, **lexicon.currency_words}),
        weight_currency=_keys(lexicon.weight_currency_words),
        weight=PhraseTable.of(lexicon.weight_words, True),
        cue_before=PhraseTable(cues_before),
        cue_after=PhraseTable(cues_after),
        block_before=PhraseTable.of(lexicon.blocking_prefixes, True),
        unit_after=PhraseTable.of(lexicon.blocking_units, True),
        year_before=PhraseTable.of(lexicon.year_blocking_prefixes, True),
        openers=PhraseTable(
            {
                opener: _keys([*joiners, *price_tables.COMMON_RANGE_DASHES])
                for opener, joiners in lexicon.range_openers.items()
            }
        ),
        bare_joiners=_keys([*lexicon.range_joiners, *price_tables.COMMON_RANGE_DASHES]),
        relative=PhraseTable(
            {
                **dict.fromkeys(lexicon.pricier_phrases, MORE_EXPENSIVE),
                **dict.fromkeys(lexicon.cheaper_phrases, CHEAPER),
            }
        ),
        comparison=frozenset(word.lower() for word in lexicon.comparison_words),
        symbols=frozenset(token for key in _keys(symbols) for token in key),
    )


@dataclass
class _Amount:
    """A number in the text with the currency written next to it.

    ``first``/``after`` are token indexes: the first token of the amount (including a
    currency written before it) and the first token after it (after its currency).
    """

    start: int
    end: int
    first: int
    after: int
    value: Decimal
    currency: str | None
    approximate: bool
    plain_digits: bool
    blocked: bool = False
    used: bool = False


def format_amount(value: Decimal) -> str:
    """Formats an amount as a plain number string ("80", "19.99", "1000").

    Args:
        value: The amount.

    Returns:
        The amount rounded to cents, without trailing zeros or exponent.
    """
    rounded = value.quantize(_CENTS, rounding=ROUND_HALF_UP).normalize()
    return format(rounded, "f")


class _PriceMatcher:
    """Finds price entities in one text with one compiled lexicon."""

    def __init__(self, text: str, table: _CompiledLexicon, tolerance: Decimal) -> None:
        self.text = text
        self.table = table
        self.tolerance = tolerance
        self.tokens = tokenize(text)
        self.starts = [token.start for token in self.tokens]
        self.weight_context = any(
            table.weight.starting_at(self.tokens, index) for index in range(len(self.tokens))
        )

    def _index(self, position: int) -> int:
        """Index of the first token that starts at or after a character offset."""
        return bisect.bisect_left(self.starts, position)

    def _key(self, first: int, after: int) -> Key:
        return tuple(token.norm for token in self.tokens[first:after])

    def _currency(self, first: int, after: int, code: str) -> str | None:
        if self.weight_context and self._key(first, after) in self.table.weight_currency:
            return None  # "2 pounds" in a message about weight
        return code

    def _amounts(self) -> list[_Amount]:
        table = self.table
        amounts = []
        for match in table.number.finditer(self.text):
            raw = match.group("num")
            value = self._value(raw)
            if value is None:  # pragma: no cover - the regex only allows numbers
                continue
            if match.group("k"):
                value *= 1000
            first, after = self._index(match.start()), self._index(match.end())
            currency, weight_unit = None, False
            before = table.currency_before.ending_at(self.tokens, first)
            if before:
                currency = self._currency(before[0], first, before[1])
                first = before[0] if currency else first
            following = table.currency_after.starting_at(self.tokens, after)
            if following and currency is None:
                currency = self._currency(after, following[0], following[1])
                weight_unit = currency is None
                after = following[0] if currency else after
            amount = _Amount(
                start=match.start(),
                end=match.end("k") if match.group("k") else match.end("num"),
                first=first,
                after=after,
                value=value,
                currency=currency,
                approximate=bool(match.group("ish")),
                plain_digits=raw.isdigit() and not match.group("k"),
            )
            amount.blocked = weight_unit or (currency is None and self._is_blocked(amount, raw))
            amounts.append(amount)
        return amounts

    def _value(self, raw: str) -> Decimal | None:
        """The value of a number, read with the first separator pair it fits."""
        for pattern, decimal_separator, group_separator in self.table.formats:
            if pattern.fullmatch(raw):
                digits = raw.replace(group_separator, "").replace(decimal_separator, ".")
                try:
                    return Decimal(digits)
                except InvalidOperation:  # pragma: no cover - the pattern only allows digits
                    return None
        return None

    def _is_blocked(self, amount: _Amount, raw: str) -> bool:
        """Whether a currency-less number is a size, order id, year, unit or count."""
        table = self.table
        if amount.plain_digits and (len(raw) >= 5 or raw.startswith("0")):
            return True  # order-id shaped ("100234") or zero-padded ("05")
        if table.block_before.ending_at(self.tokens, amount.first):
            return True
        if table.unit_after.starting_at(self.tokens, amount.after):
            return True
        return (
            amount.plain_digits
            and len(raw) == 4
            and 1900 <= amount.value <= 2099
            and table.year_before.ending_at(self.tokens, amount.first) is not None
        )

    def _in_chain(self, low: _Amount, high: _Amount) -> bool:
        """Whether two numbers are part of a longer dash chain ("2024-01-05")."""
        tokens = self.tokens
        before = low.first >= 2 and tokens[low.first - 1].norm in _DASHES
        after = high.after + 1 < len(tokens) and tokens[high.after].norm in _DASHES
        return (before and tokens[low.first - 2].norm[-1:].isdigit()) or (
            after and tokens[high.after + 1].norm[:1].isdigit()
        )

    def _joined(self, low: _Amount, high: _Amount) -> bool:
        """Whether two neighbouring numbers are written as a range ("20 to 40")."""
        opener = self.table.openers.ending_at(self.tokens, low.first)
        joiners = opener[1] if opener else self.table.bare_joiners
        return self._key(low.after, high.first) in joiners

    def _pair_ranges(self, amounts: list[_Amount]) -> list[dict[str, Any]]:
        entities = []
        for low, high in zip(amounts, amounts[1:], strict=False):
            if low.used or high.used or not self._joined(low, high):
                continue
            if low.blocked or high.blocked:
                # "from 1 to 3 pairs", "sizes 9-10": both ends are the same kind
                low.blocked = high.blocked = True
                continue
            if not low.value < high.value or self._in_chain(low, high):
                continue
            low.used = high.used = True
            entities.append(self._entity(PRICE_MIN, low.value, low))
            entities.append(self._entity(PRICE_MAX, high.value, high))
        return entities

    def _kind(self, amount: _Amount) -> str | None:
        """What a single amount is: a bound, an approximate price, or nothing."""
        cue = self.table.cue_before.ending_at(self.tokens, amount.first)
        if cue:
            return cue[1]
        if amount.approximate:
            return _APPROX
        cue = self.table.cue_after.starting_at(self.tokens, amount.after)
        if cue:
            return cue[1]
        return PRICE_MAX if amount.currency else None

    def _singles(self, amounts: list[_Amount]) -> list[dict[str, Any]]:
        entities = []
        for amount in amounts:
            if amount.blocked or amount.used:
                continue
            kind = self._kind(amount)
            if kind == _APPROX:
                entities.append(
                    self._entity(PRICE_MIN, amount.value * (1 - self.tolerance), amount)
                )
                entities.append(
                    self._entity(PRICE_MAX, amount.value * (1 + self.tolerance), amount)
                )
            elif kind:
                entities.append(self._entity(kind, amount.value, amount))
        return entities

    @staticmethod
    def _entity(entity_type: str, value: Decimal, amount: _Amount) -> dict[str, Any]:
        return make_entity(entity_type, format_amount(value), amount.start, amount.end)

    def _scan(self) -> list[dict[str, Any]]:
        """Currencies (first mention of each) and relative price requests."""
        tokens, table = self.tokens, self.table
        entities = []
        seen: set[str] = set()
        for index, token in enumerate(tokens):
            currency = table.currency_after.starting_at(tokens, index)
            if currency:
                code = self._currency(index, currency[0], currency[1])
                if code and code not in seen:
                    seen.add(code)
                    end = tokens[currency[0] - 1].end
                    entities.append(make_entity(CURRENCY, code, token.start, end))
            relative = table.relative.starting_at(tokens, index)
            if relative and not self._compares_to_amount(relative[0]):
                end = tokens[relative[0] - 1].end
                entities.append(make_entity(PRICE_RELATIVE, relative[1], token.start, end))
        return entities

    def _compares_to_amount(self, index: int) -> bool:
        """Whether "than <amount>" follows ("cheaper than 60" is a bound, not relative)."""
        tokens = self.tokens
        if index >= len(tokens) or tokens[index].norm not in self.table.comparison:
            return False
        index += 1
        while index < len(tokens) and tokens[index].norm in self.table.symbols:
            index += 1
        return index < len(tokens) and tokens[index].norm[:1].isdigit()

    def entities(self) -> list[dict[str, Any]]:
        amounts = self._amounts()
        found = self._pair_ranges(amounts) + self._singles(amounts) + self._scan()
        return sorted(found, key=lambda entity: (entity["start"], entity["end"]))


def extract_prices(
    text: str,
    language: str = "en",
    *,
    lexicons: Mapping[str, PriceLexicon] | None = None,
    tolerance: float = 0.2,
) -> list[dict[str, Any]]:
    """Finds price entities in a text (the component's logic, without Rasa objects).

    Args:
        text: The user message.
        language: Key of the pattern table to use (must be in ``lexicons``).
        lexicons: Pattern tables by language (default: ``PRICE_LEXICONS``).
        tolerance: Relative width of "around N" (0.2 gives N +/- 20%).

    Returns:
        Entity dictionaries in text order (without the extractor name).
    """
    if not isinstance(text, str) or not text.strip():
        return []
    tables = price_tables.PRICE_LEXICONS if lexicons is None else lexicons
    compiled = _compiled(language, tables[language])
    return _PriceMatcher(mask_markup(text), compiled, Decimal(str(tolerance))).entities()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class PriceExtractor(PatternEntityExtractor):
    """Extracts price bounds, currency and "cheaper/pricier" requests with patterns.

    Needs no training data and no tokenizer; it can sit anywhere in the pipeline after
    a language detector (if any). Entities other extractors found are kept; an entity
    of the same type at the same span is not added twice.
    """

    LEXICONS = price_tables.PRICE_LEXICONS
    CONFIG_FILE_NAME = "price_extractor.json"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The component's default config (see parent class for full docstring)."""
        return {
            # pattern table used when a message has no (known) `language` attribute
            "default_language": "en",
            # "around 50" -> price_min 40 and price_max 60
            "approx_tolerance": 0.2,
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
                the tolerance is not between 0 and 1.
        """
        super().__init__(config, model_storage, resource)
        if self.default_language not in price_tables.PRICE_LEXICONS:
            raise InvalidConfigException(
                f"{self.name}: no price pattern table for default_language "
                f"'{self.default_language}' (have: "
                f"{', '.join(sorted(price_tables.PRICE_LEXICONS))})."
            )
        tolerance = self._config["approx_tolerance"]
        if not isinstance(tolerance, (int, float)) or not 0 <= tolerance < 1:
            raise InvalidConfigException(
                f"{self.name}: approx_tolerance must be a number in [0, 1), got {tolerance!r}."
            )
        self.tolerance = float(tolerance)

    def find(self, text: str, language: str) -> list[dict[str, Any]]:
        """Returns the entities found in `text` with the table of `language`."""
        return extract_prices(text, language, tolerance=self.tolerance)
