"""Pattern tables for :mod:`assistant.components.price_extractor`, keyed by language.

A table holds only words and symbols; the extractor turns them into regular expressions.
To support a new language add a :class:`PriceLexicon` to :data:`PRICE_LEXICONS`, e.g.::

    PRICE_LEXICONS["de"] = PriceLexicon(
        decimal_separator=",",
        group_separator=".",
        currency_words={"euro": "EUR", "euros": "EUR", "dollar": "USD"},
        max_prefixes=("unter", "bis", "höchstens", "maximal", "weniger als"),
        min_prefixes=("über", "ab", "mindestens", "mehr als"),
        range_openers={"zwischen": ("und", "-"), "von": ("bis", "-")},
        ...
    )

Entries are matched case-insensitively; a space inside an entry matches any run of
whitespace. Currency symbols and ISO codes ($, €, £, USD, EUR, GBP) and comparison
symbols (<, >, ~) are shared by all languages (see the ``COMMON_*`` tables).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

#: Currency symbols and codes understood in every language, before or after a number.
COMMON_CURRENCY_SYMBOLS: Mapping[str, str] = MappingProxyType(
    {
        "US$": "USD",
        "US $": "USD",
        "USD": "USD",
        "$": "USD",
        "EUR": "EUR",
        "€": "EUR",
        "GBP": "GBP",
        "£": "GBP",
    }
)
COMMON_MAX_SYMBOLS: tuple[str, ...] = ("<=", "=<", "≤", "<")
COMMON_MIN_SYMBOLS: tuple[str, ...] = (">=", "=>", "≥", ">")
COMMON_APPROX_SYMBOLS: tuple[str, ...] = ("~", "≈", "+/-", "±")
COMMON_MIN_SUFFIX_SYMBOLS: tuple[str, ...] = ("+",)
#: Dashes that join the two ends of a range ("20-40", "$20 – $40").
COMMON_RANGE_DASHES: tuple[str, ...] = ("-", "–", "—")


@dataclass(frozen=True)
class PriceLexicon:
    """The words of one language that mark prices, bounds and price comparisons.

    Attributes:
        decimal_separator: "." in English ("19.99"), "," in German/French/Spanish.
        group_separator: Thousands separator ("1,200" in English, "1.200" in German).
        thousand_suffixes: Letters meaning "times 1000" right after a number ("1k").
        currency_words: Currency names after a number, mapped to ISO codes.
        weight_words: Words that make "pound(s)" a weight, not a currency.
        weight_currency_words: Currency words that are also weight units.
        max_prefixes: Words before a number that make it an upper bound.
        max_suffixes: Words after a number that make it an upper bound.
        min_prefixes: Words before a number that make it a lower bound.
        min_suffixes: Words after a number that make it a lower bound.
        approx_prefixes: Words before a number that make it an approximate price.
        approx_suffixes: Words after a number that make it an approximate price.
        attached_approx_suffixes: Approximation suffixes glued to the number ("50ish").
        budget_prefixes: Words before a number that make it a budget (upper bound).
        range_openers: Words that open a range, each with the words that may join its
            two ends ("between" 20 "and" 40).
        range_joiners: Words that join a range without an opener (20 "to" 40); the
            common dashes are added automatically.
        cheaper_phrases: Phrases asking for cheaper products than the ones shown.
        pricier_phrases: Phrases asking for more expensive products.
        comparison_words: Words after a comparative that turn it into a bound when a
            number follows ("cheaper than 60" is ``price_max``, not relative).
        blocking_prefixes: Words right before a number that make it something other
            than a price (sizes, order numbers, item numbers).
        blocking_units: Words right after a number that make it something other than a
            price (units, quantities, waist sizes).
        year_blocking_prefixes: Words before a year-like number ("from 2020") that make
            it a year, not a price.
    """

    decimal_separator: str = "."
    group_separator: str = ","
    thousand_suffixes: tuple[str, ...] = ("k",)
    currency_words: Mapping[str, str] = field(default_factory=dict)
    weight_words: tuple[str, ...] = ()
    weight_currency_words: tuple[str, ...] = ()
    max_prefixes: tuple[str, ...] = ()
    max_suffixes: tuple[str, ...] = ()
    min_prefixes: tuple[str, ...] = ()
    min_suffixes: tuple[str, ...] = ()
    approx_prefixes: tuple[str, ...] = ()
    approx_suffixes: tuple[str, ...] = ()
    attached_approx_suffixes: tuple[str, ...] = ()
    budget_prefixes: tuple[str, ...] = ()
    range_openers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    range_joiners: tuple[str, ...] = ()
    cheaper_phrases: tuple[str, ...] = ()
    pricier_phrases: tuple[str, ...] = ()
    comparison_words: tuple[str, ...] = ()
    blocking_prefixes: tuple[str, ...] = ()
    blocking_units: tuple[str, ...] = ()
    year_blocking_prefixes: tuple[str, ...] = ()


ENGLISH = PriceLexicon(
    currency_words={
        "dollars": "USD",
        "dollar": "USD",
        "bucks": "USD",
        "buck": "USD",
        "usd": "USD",
        "euros": "EUR",
        "euro": "EUR",
        "eur": "EUR",
        "pounds": "GBP",
        "pound": "GBP",
        "quid": "GBP",
        "gbp": "GBP",
    },
    weight_words=(
        "weigh",
        "weighs",
        "weighing",
        "weight",
        "heavy",
        "heavier",
        "light",
        "lighter",
        "lightweight",
        "ultralight",
        "lbs",
        "lb",
    ),
    weight_currency_words=("pounds", "pound"),
    max_prefixes=(
        "under",
        "below",
        "beneath",
        "less than",
        "lower than",
        "cheaper than",
        "less expensive than",
        "not more than",
        "no more than",
        "no higher than",
        "not over",
        "not above",
        "at most",
        "at the most",
        "max",
        "max.",
        "max of",
        "a max of",
        "maximum",
        "maximum of",
        "up to",
        "upto",
        "within",
        "less then",
        "lower then",
        "cheaper then",
        "no more then",
    ),
    max_suffixes=(
        "or less",
        "or lower",
        "or under",
        "or below",
        "or cheaper",
        "and under",
        "and below",
        "and less",
        "max",
        "max.",
        "maximum",
        "at most",
        "at the most",
        "tops",
    ),
    min_prefixes=(
        "over",
        "above",
        "more than",
        "higher than",
        "greater than",
        "more expensive than",
        "pricier than",
        "no less than",
        "not less than",
        "at least",
        "min",
        "min.",
        "minimum",
        "minimum of",
        "from",
        "starting at",
        "starting from",
        "starts at",
        "upwards of",
        "north of",
        "in excess of",
        "more then",
    ),
    min_suffixes=(
        "or more",
        "or higher",
        "or above",
        "or over",
        "or pricier",
        "and up",
        "and upwards",
        "and above",
        "and over",
        "and higher",
        "plus",
        "minimum",
        "at least",
    ),
    approx_prefixes=(
        "around",
        "about",
        "approximately",
        "approx",
        "approx.",
        "roughly",
        "circa",
        "ca.",
        "close to",
        "somewhere around",
        "something around",
        "something like",
        "in the region of",
        "in the ballpark of",
        "ballpark",
        "priced at",
    ),
    approx_suffixes=("or so", "give or take", "more or less", "roughly"),
    attached_approx_suffixes=("-ish", "ish"),
    budget_prefixes=(
        "budget",
        "budget is",
        "budget of",
        "budget:",
        "budget's",
        "budget would be",
        "price limit",
        "price limit is",
        "price limit of",
        "limit is",
        "limit of",
        "spend",
        "to spend",
        "afford",
    ),
    range_openers={
        "between": ("and", "&", "to"),
        "from": ("to", "till", "until", "through", "up to"),
    },
    range_joiners=("to",),
    cheaper_phrases=(
        "cheaper",
        "less expensive",
        "less pricey",
        "less costly",
        "lower price",
        "lower prices",
        "lower priced",
        "lower-priced",
        "more affordable",
        "more budget friendly",
        "more budget-friendly",
        "not as expensive",
    ),
    pricier_phrases=(
        "pricier",
        "more expensive",
        "more premium",
        "more upmarket",
        "more high end",
        "more high-end",
        "higher end",
        "higher-end",
        "higher price",
        "higher priced",
        "higher-priced",
        "costlier",
        "more costly",
        "fancier",
    ),
    comparison_words=("than", "then"),
    blocking_prefixes=(
        "size",
        "sizes",
        "sz",
        "size:",
        "us",
        "uk",
        "eu",
        "waist",
        "inseam",
        "length",
        "in a",
        "in an",
        "order",
        "order no",
        "order no.",
        "order number",
        "order nr",
        "order id",
        "order #",
        "ord",
        "ord-",
        "ord#",
        "#",
        "no.",
        "nr",
        "nr.",
        "number",
        "item",
        "option",
        "product",
        "choice",
        "result",
        "model",
        "version",
    ),
    blocking_units=(
        "pair",
        "pairs",
        "pc",
        "pcs",
        "piece",
        "pieces",
        "item",
        "items",
        "pack",
        "packs",
        "unit",
        "units",
        "person",
        "persons",
        "people",
        "kid",
        "kids",
        "season",
        "seasons",
        "l",
        "liter",
        "liters",
        "litre",
        "litres",
        "ml",
        "kg",
        "kgs",
        "g",
        "gr",
        "gram",
        "grams",
        "lb",
        "lbs",
        "oz",
        "ounce",
        "ounces",
        "mm",
        "cm",
        "m",
        "meter",
        "meters",
        "metre",
        "metres",
        "km",
        "mile",
        "miles",
        "ft",
        "feet",
        "foot",
        "inch",
        "inches",
        '"',
        "°",
        "degree",
        "degrees",
        "deg",
        "f",
        "c",
        "lumen",
        "lumens",
        "lm",
        "mah",
        "watt",
        "watts",
        "hour",
        "hours",
        "hr",
        "hrs",
        "minute",
        "minutes",
        "mins",
        "second",
        "seconds",
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "yr",
        "yrs",
        "times",
        "x",
        "%",
        "percent",
        "per cent",
        "off",
        "colour",
        "colours",
        "color",
        "colors",
        "brand",
        "brands",
        "option",
        "options",
        "review",
        "reviews",
        "star",
        "stars",
        "style",
        "styles",
        "model",
        "models",
        "result",
        "results",
        "product",
        "products",
        "size",
        "sizes",
        "waist",
        "inseam",
        "long",
        "wide",
        "tall",
        "order",
        "orders",
        "of them",
        "of those",
        "of these",
    ),
    year_blocking_prefixes=("from", "since", "in", "of", "year", "model year"),
)

#: Pattern tables by language code (ISO 639-1). Add languages here.
PRICE_LEXICONS: dict[str, PriceLexicon] = {"en": ENGLISH}
