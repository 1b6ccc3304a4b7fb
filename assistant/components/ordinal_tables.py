"""Pattern tables for :mod:`assistant.components.ordinal_extractor`, keyed by language.

To support a new language add an :class:`OrdinalLexicon` to :data:`ORDINAL_LEXICONS`
(e.g. ``"de"`` with ``ordinal_words={"erste": 1, "ersten": 1, ..., "letzte": -1}``).
Entries are matched case-insensitively; a space inside an entry matches any run of
whitespace.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OrdinalLexicon:
    """The words of one language that point at an item in a shown list.

    Attributes:
        ordinal_words: Ordinal words and phrases with their 1-based index; negative
            indexes count from the end ("last" is -1, "second to last" is -2).
        numeral_suffixes: Suffixes of written ordinals ("2nd", "3rd").
        cardinal_words: Number words usable after an item cue ("number one").
        item_cues: Words before a number that make it an item index ("option 2").
        article_cues: Articles before a bare number that may make it an item index
            ("the 2"), if the number is followed by the end of the message, a
            punctuation mark or one of ``article_followers``.
        article_followers: Words that may follow "the 2" when it means an item.
        polite_words: Words that may follow a message consisting of a bare number.
        blocking_before: Words before an item cue or number that make it something
            else ("order number 2", "size 10").
        blocking_prev_words: Words right before an ordinal word that make it not an
            index ("at first", "a second", "my first").
        blocking_next_words: Words right after an ordinal word that make it not an
            index ("first time", "last week", "second hand", "first aid"); a number
            after it does too ("the first 2").
        strong_prev_words: Words right before an ordinal word that make it an index
            for sure ("the first", "that last").
        strong_next_words: Words right after an ordinal word that make it an index for
            sure ("first one", "last option").
        adverb_next_words: Words after an ordinal word that make it an adverb unless it
            is strong ("first I want ...").
        verb_words: Ordinal words that are also verbs ("boots that last").
        verb_prev_words: Words before such a word that make it a verb unless it is
            strong ("they last", "built to last").
    """

    ordinal_words: Mapping[str, int] = field(default_factory=dict)
    numeral_suffixes: tuple[str, ...] = ()
    cardinal_words: Mapping[str, int] = field(default_factory=dict)
    item_cues: tuple[str, ...] = ()
    article_cues: tuple[str, ...] = ()
    article_followers: tuple[str, ...] = ()
    polite_words: tuple[str, ...] = ()
    blocking_before: tuple[str, ...] = ()
    blocking_prev_words: tuple[str, ...] = ()
    blocking_next_words: tuple[str, ...] = ()
    strong_prev_words: tuple[str, ...] = ()
    strong_next_words: tuple[str, ...] = ()
    adverb_next_words: tuple[str, ...] = ()
    verb_words: tuple[str, ...] = ()
    verb_prev_words: tuple[str, ...] = ()


_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)

_CARDINALS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

ENGLISH = OrdinalLexicon(
    ordinal_words={
        "first": 1,
        "second": 2,
        "third": 3,
        "fourth": 4,
        "fifth": 5,
        "sixth": 6,
        "seventh": 7,
        "eighth": 8,
        "ninth": 9,
        "tenth": 10,
        "last": -1,
        "final": -1,
        "second to last": -2,
        "second-to-last": -2,
        "second last": -2,
        "second-last": -2,
        "next to last": -2,
        "next-to-last": -2,
        "last but one": -2,
        "penultimate": -2,
    },
    numeral_suffixes=("st", "nd", "rd", "th"),
    cardinal_words=_CARDINALS,
    item_cues=(
        "number",
        "num",
        "num.",
        "no.",
        "nr",
        "nr.",
        "nº",
        "n°",
        "option",
        "item",
        "product",
        "choice",
        "result",
        "pick",
        "#",
    ),
    article_cues=("the",),
    article_followers=(
        "one",
        "please",
        "pls",
        "plz",
        "then",
        "instead",
        "and",
        "or",
        "vs",
        "versus",
        "too",
        "also",
        "&",
    ),
    polite_words=("please", "pls", "plz", "thanks", "thank you"),
    blocking_before=(
        "order",
        "ord",
        "order no",
        "size",
        "sizes",
        "sz",
        "us",
        "uk",
        "eu",
        "waist",
        "model",
        "version",
        "phone",
        "tracking",
    ),
    blocking_prev_words=(
        "at",
        "a",
        "an",
        "my",
        "our",
        "one",
        "just",
        "wait",
        "per",
        "every",
        "each",
        "things",
    ),
    blocking_next_words=(
        "time",
        "times",
        "timer",
        "timers",
        "week",
        "weeks",
        "weekend",
        "month",
        "months",
        "year",
        "years",
        "night",
        "day",
        "days",
        "hour",
        "minute",
        "minutes",
        "second",
        "moment",
        "order",
        "orders",
        "purchase",
        "purchases",
        "delivery",
        "shipment",
        "payment",
        "message",
        "reply",
        "name",
        "thing",
        "things",
        "resort",
        "hand",
        "chance",
        "attempt",
        "try",
        "season",
        "summer",
        "winter",
        "spring",
        "autumn",
        "fall",
        "visit",
        "of all",
        "off",
        "place",
        "sight",
        "aid",
        "class",
        "step",
        "steps",
        "priority",
        "impression",
        "edition",
        "generation",
        "gen",
        "rate",
        "layer",
        "long",
        "longer",
        "longest",
        "forever",
        "for",
        "through",
        "a while",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "few",
        "couple",
        *(month for month in _MONTHS if month != "may"),  # "the first may be ..."
        *(f"of {month}" for month in _MONTHS),
    ),
    strong_prev_words=("the", "this", "your", "ur", "and", "or", "vs"),
    strong_next_words=(
        "one",
        "ones",
        "option",
        "item",
        "product",
        "choice",
        "result",
        "pick",
        "pair",
        "link",
        "suggestion",
        "recommendation",
    ),
    adverb_next_words=(
        "i",
        "i'd",
        "i'll",
        "i'm",
        "we",
        "you",
        "let",
        "let's",
        "lets",
        "can",
        "could",
        "show",
        "tell",
        "give",
        "check",
        "is",
        "are",
        "of",
    ),
    verb_words=("last",),
    verb_prev_words=(
        "they",
        "it",
        "will",
        "would",
        "to",
        "does",
        "do",
        "did",
        "should",
        "can",
        "could",
        "might",
        "must",
        "that",
        "which",
        "won't",
        "wont",
        "doesn't",
        "don't",
        "didn't",
        "really",
        "gonna",
        "shoes",
        "boots",
    ),
)

#: Pattern tables by language code (ISO 639-1). Add languages here.
ORDINAL_LEXICONS: dict[str, OrdinalLexicon] = {"en": ENGLISH}
