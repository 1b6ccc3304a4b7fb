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

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
import rasa.shared.utils.io

from assistant.components import price_tables
from assistant.components._entities import (
    LANGUAGE_ATTRIBUTE,
    alternation,
    make_entity,
    new_entities,
    resolve_language,
)
from assistant.components.price_tables import PriceLexicon

logger = logging.getLogger(__name__)

PRICE_MIN = "price_min"
PRICE_MAX = "price_max"
CURRENCY = "currency"
PRICE_RELATIVE = "price_relative"
CHEAPER = "cheaper"
MORE_EXPENSIVE = "more_expensive"

_CONTEXT_CHARS = 60
_CENTS = Decimal("0.01")
# "2024-01-05": numbers in a chain of dashes are a date or a code, not a range.
_CHAIN_BEFORE = re.compile(r"\d\s*[-–—]\s*\Z")
_CHAIN_AFTER = re.compile(r"\s*[-–—]\s*\d")


def _before(entries: Iterable[str]) -> re.Pattern[str]:
    return re.compile(rf"(?:{alternation(entries)})\s*\Z", re.IGNORECASE)


def _after(entries: Iterable[str]) -> re.Pattern[str]:
    return re.compile(rf"\s*(?:{alternation(entries)})", re.IGNORECASE)


@dataclass(frozen=True)
class _CompiledLexicon:
    """The regular expressions built from one :class:`PriceLexicon`."""

    number: re.Pattern[str]
    decimal_separator: str
    group_separator: str
    currency_codes: Mapping[str, str]
    weight_currency_words: frozenset[str]
    currency_before: re.Pattern[str]
    currency_after: re.Pattern[str]
    currency_any: re.Pattern[str]
    weight: re.Pattern[str]
    max_before: re.Pattern[str]
    min_before: re.Pattern[str]
    approx_before: re.Pattern[str]
    budget_before: re.Pattern[str]
    max_after: re.Pattern[str]
    min_after: re.Pattern[str]
    approx_after: re.Pattern[str]
    block_before: re.Pattern[str]
    unit_after: re.Pattern[str]
    year_before: re.Pattern[str]
    openers: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]
    bare_joiner: re.Pattern[str]
    relative: re.Pattern[str]


_COMPILED: dict[str, tuple[PriceLexicon, _CompiledLexicon]] = {}


def _compiled(language: str, lexicon: PriceLexicon) -> _CompiledLexicon:
    """Returns the compiled lexicon, compiling it once per process and language."""
    cached = _COMPILED.get(language)
    if cached is None or cached[0] is not lexicon:
        cached = (lexicon, _compile(lexicon))
        _COMPILED[language] = cached
    return cached[1]


def _compile(lexicon: PriceLexicon) -> _CompiledLexicon:
    """Builds the regular expressions of one lexicon."""
    dec = re.escape(lexicon.decimal_separator)
    grp = re.escape(lexicon.group_separator)
    thousands = alternation(lexicon.thousand_suffixes, left_boundary=False)
    ish = alternation(lexicon.attached_approx_suffixes, left_boundary=False)
    number = re.compile(
        r"(?<![\w.,/:#])(?<![^\W\d_]-)"
        rf"(?P<num>\d{{1,3}}(?:{grp}\d{{3}})+(?:{dec}\d{{1,2}})?|\d+(?:{dec}\d{{1,2}})?)"
        rf"(?:\s?(?P<k>{thousands}))?"
        rf"(?P<ish>{ish})?"
        r"(?![\w%°]|[.,]\d|[/:]\d|-[^\W\d_])",
        re.IGNORECASE,
    )
    symbols = dict(price_tables.COMMON_CURRENCY_SYMBOLS)
    codes = {key.lower(): code for key, code in symbols.items()}
    codes.update({word.lower(): code for word, code in lexicon.currency_words.items()})
    codes = {re.sub(r"\s+", " ", key): code for key, code in codes.items()}
    currency_all = alternation([*symbols, *lexicon.currency_words])
    dashes = price_tables.COMMON_RANGE_DASHES
    openers = tuple(
        (
            _before([opener]),
            re.compile(rf"\s*(?:{alternation([*joiners, *dashes])})\s*\Z", re.I),
        )
        for opener, joiners in lexicon.range_openers.items()
    )
    comparison = alternation(lexicon.comparison_words)
    symbol_alt = alternation(symbols)
    relative = re.compile(
        rf"(?:(?P<cheaper>{alternation(lexicon.cheaper_phrases)})"
        rf"|(?P<pricier>{alternation(lexicon.pricier_phrases)}))"
        rf"(?!\s+(?:{comparison})\s*(?:{symbol_alt})?\s*\d)",
        re.IGNORECASE,
    )
    return _CompiledLexicon(
        number=number,
        decimal_separator=lexicon.decimal_separator,
        group_separator=lexicon.group_separator,
        currency_codes=codes,
        weight_currency_words=frozenset(w.lower() for w in lexicon.weight_currency_words),
        currency_before=re.compile(rf"(?:{alternation(symbols)})\s*\Z", re.I),
        currency_after=re.compile(rf"\s*(?P<cur>{currency_all})", re.I),
        currency_any=re.compile(currency_all, re.I),
        weight=re.compile(alternation(lexicon.weight_words), re.I),
        max_before=_before([*lexicon.max_prefixes, *price_tables.COMMON_MAX_SYMBOLS]),
        min_before=_before([*lexicon.min_prefixes, *price_tables.COMMON_MIN_SYMBOLS]),
        approx_before=_before(
            [*lexicon.approx_prefixes, *price_tables.COMMON_APPROX_SYMBOLS]
        ),
        budget_before=_before(lexicon.budget_prefixes),
        max_after=_after(lexicon.max_suffixes),
        min_after=_after(
            [*lexicon.min_suffixes, *price_tables.COMMON_MIN_SUFFIX_SYMBOLS]
        ),
        approx_after=_after(lexicon.approx_suffixes),
        block_before=_before(lexicon.blocking_prefixes),
        unit_after=_after(lexicon.blocking_units),
        year_before=_before(lexicon.year_blocking_prefixes),
        openers=openers,
        bare_joiner=re.compile(
            rf"\s*(?:{alternation([*lexicon.range_joiners, *dashes])})\s*\Z", re.I
        ),
        relative=relative,
    )


@dataclass
class _Amount:
    """A number in the text with the currency written next to it."""

    start: int
    end: int
    full_start: int
    full_end: int
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
        self.weight_context = table.weight.search(text) is not None

    def _window(self, pattern: re.Pattern[str], end: int) -> re.Match[str] | None:
        return pattern.search(self.text, max(0, end - _CONTEXT_CHARS), end)

    def _currency_code(self, raw: str) -> str | None:
        key = re.sub(r"\s+", " ", raw.lower())
        if self.weight_context and key in self.table.weight_currency_words:
            return None
        return self.table.currency_codes.get(key)

    def _amounts(self) -> list[_Amount]:
        table = self.table
        amounts = []
        for match in table.number.finditer(self.text):
            raw = match.group("num")
            digits = raw.replace(table.group_separator, "")
            try:
                value = Decimal(digits.replace(table.decimal_separator, "."))
            except InvalidOperation:  # pragma: no cover - the regex only allows digits
                continue
            if match.group("k"):
                value *= 1000
            start = match.start()
            end = match.end("k") if match.group("k") else match.end("num")
            full_start, full_end = start, match.end()
            currency = None
            before = self._window(table.currency_before, start)
            if before:
                currency = self._currency_code(before.group().strip())
                full_start = before.start()
            weight_unit = False
            after = table.currency_after.match(self.text, full_end)
            if after and currency is None:
                currency = self._currency_code(after.group("cur"))
                if currency:
                    full_end = after.end()
                else:  # "2 pounds" in a message about weight
                    weight_unit = True
            amount = _Amount(
                start=start,
                end=end,
                full_start=full_start,
                full_end=full_end,
                value=value,
                currency=currency,
                approximate=bool(match.group("ish")),
                plain_digits=raw.isdigit() and not match.group("k"),
            )
            amount.blocked = weight_unit or (
                currency is None and self._is_blocked(amount, raw)
            )
            amounts.append(amount)
        return amounts

    def _is_blocked(self, amount: _Amount, raw: str) -> bool:
        """Whether a currency-less number is a size, order id, year, unit or count."""
        table = self.table
        if amount.plain_digits and (len(raw) >= 5 or raw.startswith("0")):
            return True  # order-id shaped ("100234") or zero-padded ("05")
        if self._window(table.block_before, amount.full_start):
            return True
        if table.unit_after.match(self.text, amount.full_end):
            return True
        return (
            amount.plain_digits
            and len(raw) == 4
            and 1900 <= amount.value <= 2099
            and self._window(table.year_before, amount.full_start) is not None
        )

    def _pair_ranges(self, amounts: list[_Amount]) -> list[dict[str, Any]]:
        entities = []
        for low, high in zip(amounts, amounts[1:]):
            if low.blocked or high.blocked or low.used or high.used:
                continue
            if not low.value < high.value:
                continue
            if self._window(_CHAIN_BEFORE, low.full_start) or _CHAIN_AFTER.match(
                self.text, high.full_end
            ):
                continue
            joiner = self.table.bare_joiner
            for opener, opener_joiner in self.table.openers:
                if self._window(opener, low.full_start):
                    joiner = opener_joiner
                    break
            if not joiner.match(self.text, low.full_end, high.full_start):
                continue
            low.used = high.used = True
            entities.append(self._entity(PRICE_MIN, low.value, low))
            entities.append(self._entity(PRICE_MAX, high.value, high))
        return entities

    def _longest_cue(self, amount: _Amount) -> str | None:
        table = self.table
        best: tuple[int, str] | None = None
        for kind, pattern in (
            (PRICE_MAX, table.max_before),
            (PRICE_MIN, table.min_before),
            ("approx", table.approx_before),
            (PRICE_MAX, table.budget_before),
        ):
            match = self._window(pattern, amount.full_start)
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), kind)
        if best:
            return best[1]
        if amount.approximate:
            return "approx"
        for kind, pattern in (
            (PRICE_MAX, table.max_after),
            (PRICE_MIN, table.min_after),
            ("approx", table.approx_after),
        ):
            if pattern.match(self.text, amount.full_end):
                return kind
        return PRICE_MAX if amount.currency else None

    def _singles(self, amounts: list[_Amount]) -> list[dict[str, Any]]:
        entities = []
        for amount in amounts:
            if amount.blocked or amount.used:
                continue
            kind = self._longest_cue(amount)
            if kind == "approx":
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

    def _currencies(self) -> list[dict[str, Any]]:
        entities = []
        seen = set()
        for match in self.table.currency_any.finditer(self.text):
            code = self._currency_code(match.group())
            if code and code not in seen:
                seen.add(code)
                entities.append(make_entity(CURRENCY, code, match.start(), match.end()))
        return entities

    def _relatives(self) -> list[dict[str, Any]]:
        return [
            make_entity(
                PRICE_RELATIVE,
                CHEAPER if match.group("cheaper") else MORE_EXPENSIVE,
                match.start(),
                match.end(),
            )
            for match in self.table.relative.finditer(self.text)
        ]

    def entities(self) -> list[dict[str, Any]]:
        amounts = self._amounts()
        found = self._pair_ranges(amounts) + self._singles(amounts)
        found += self._currencies() + self._relatives()
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
    return _PriceMatcher(text, compiled, Decimal(str(tolerance))).entities()


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class PriceExtractor(GraphComponent, EntityExtractorMixin):
    """Extracts price bounds, currency and "cheaper/pricier" requests with patterns.

    Needs no training data and no tokenizer; it can sit anywhere in the pipeline after
    a language detector (if any). Entities other extractors found are kept; an entity
    of the same type at the same span is not added twice.
    """

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
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.default_language = str(self._config["default_language"]).lower()
        if self.default_language not in price_tables.PRICE_LEXICONS:
            raise InvalidConfigException(
                f"{self.name}: no price pattern table for default_language "
                f"'{self.default_language}' (have: "
                f"{', '.join(sorted(price_tables.PRICE_LEXICONS))})."
            )
        tolerance = self._config["approx_tolerance"]
        if not isinstance(tolerance, (int, float)) or not 0 <= tolerance < 1:
            raise InvalidConfigException(
                f"{self.name}: approx_tolerance must be a number in [0, 1), "
                f"got {tolerance!r}."
            )
        self.tolerance = float(tolerance)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PriceExtractor:
        """Creates a new component (see parent class for full docstring)."""
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> PriceExtractor:
        """Loads the component, using the persisted config if there is one.

        The patterns live in code, so a component that was never persisted loads
        exactly like a new one.
        """
        try:
            with model_storage.read_from(resource) as path:
                persisted = rasa.shared.utils.io.read_json_file(
                    path / cls.CONFIG_FILE_NAME
                )
        except (ValueError, FileNotFoundError):
            persisted = {}
        return cls({**persisted, **config}, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Persists the config; the patterns need no training data.

        Rasa does not call this (the component is registered as not trainable); it
        exists so that a trained copy can be stored and loaded like Rasa's own.

        Args:
            training_data: Ignored.

        Returns:
            The resource the config was written to.
        """
        self.persist()
        return self._resource

    def persist(self) -> None:
        """Writes the effective config to the model storage."""
        with self._model_storage.write_to(self._resource) as path:
            rasa.shared.utils.io.dump_obj_as_json_to_file(
                path / self.CONFIG_FILE_NAME, self._config
            )

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds price entities to each message's entities.

        Never raises: a message whose text is missing or odd gets no new entities.

        Args:
            messages: The messages to process.

        Returns:
            The same messages, with entities appended.
        """
        for message in messages:
            try:
                self._process_one(message)
            except Exception:  # noqa: BLE001 - never break the NLU pipeline
                logger.exception("%s failed on a message; skipped it.", self.name)
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT)
        existing = message.get(ENTITIES)
        existing = list(existing) if isinstance(existing, list) else []
        if not isinstance(text, str) or not text.strip():
            return
        language = resolve_language(
            message.get(LANGUAGE_ATTRIBUTE),
            price_tables.PRICE_LEXICONS,
            self.default_language,
        )
        found = extract_prices(text, language, tolerance=self.tolerance)
        added = self.add_extractor_name(new_entities(existing, found))
        if added:
            message.set(ENTITIES, [*existing, *added], add_to_output=True)
