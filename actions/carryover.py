"""Reading a search request from the latest message and carrying constraints across turns.

Rules (one place, tested as a sequence in ``tests/unit/actions/test_search.py``):

* A constraint named in the message replaces the slot's value; the others carry over
  ("running shoes" -> "in red" keeps the category and adds the colour).
* A category different from the current one starts a new search: brand, colour, size,
  material and prices are dropped unless the same message names them.
* "cheaper" puts ``price_max`` a bit below the median price of what was shown (so the
  next page really is cheaper); "more expensive" puts ``price_min`` a bit above it and
  drops ``price_max``.
* "show me more" (no new constraint, no new words) asks for the next page.
* The free-text query is the message without constraint words and filler; a message
  that only refines ("in red") keeps the previous query.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rasa_sdk import Tracker

from actions.constraints import SearchConstraints
from actions.entities import (
    Vocabulary,
    normalise_size,
    parse_currency,
    parse_price,
)
from actions.phrases import LanguagePhrases

__all__ = [
    "SearchRequest",
    "read_request",
    "merge_constraints",
    "apply_relative_price",
    "build_query",
]

_TAG_RE = re.compile(r"<[^>]*>?")
_WORD_RE = re.compile(r"[^\W_]+(?:[-'.][^\W_]+)*")
_MORE_RE = re.compile(
    r"\b(more|next|others?|another|else|additional|further|rest|keep going)\b", re.IGNORECASE
)
_CHEAPER_RE = re.compile(
    r"\b(cheaper|less expensive|lower price[sd]?|more affordable|budget|cheapest)\b", re.I
)
_PRICIER_RE = re.compile(
    r"\b(more expensive|pricier|higher end|high end|premium|more upmarket)\b", re.I
)
_NUM = (
    r"[$€£]?\s*(\d+(?:[.,]\d+)?)\s*(?:k\b)?"
    r"\s*(?:\$|€|£|dollars?|euros?|pounds?|bucks|usd|eur|gbp)?"
)
_BETWEEN_RE = re.compile(rf"\bbetween\s+{_NUM}\s+(?:and|to|-)\s+{_NUM}", re.I)
_MAX_RE = re.compile(
    rf"\b(?:under|below|less than|up to|at most|max(?:imum)?|no more than|cheaper than|within)"
    rf"\s+{_NUM}",
    re.I,
)
_MIN_RE = re.compile(
    rf"\b(?:over|above|more than|at least|min(?:imum)?|starting at|from)\s+{_NUM}", re.I
)
_CURRENCY_RE = re.compile(
    r"(\$|€|£|\bdollars?\b|\beuros?\b|\bpounds?\b|\busd\b|\beur\b|\bgbp\b)", re.I
)

#: Words that carry no product meaning in a search request.
FILLER = frozenset(
    """
    a about all also an and any anything are around as at be bit buy by can cheaper
    cheapest colour color could dollar dollars do does euro euros expensive find for from
    get give go got have hey hi how i i'd i'll i'm in is it its just let like looking
    max maximum me min minimum more my need next no not of on one ones only or other
    others over please pound pounds price priced range see shop show size some something
    than that the them these they this those to under up us want what which with would
    you your less below above between cost costs costing budget another else additional
    okay ok yes thanks thank sure maybe instead rather pair pairs stuff things ones lower
    higher much mid cheap afford affordable pricier premium high end options option
    results result further rest keep going search looking available there
    recommend recommended recommendation recommendations suggest suggestion suggestions
    best popular top good great nice favourite favorite seller sellers bestseller
    bestsellers picks pick tell know think should we our store shop
    """.split()
)

_PRICE_ENTITIES = ("price_min", "price_max", "currency", "price_relative")


@dataclass(frozen=True)
class SearchRequest:
    """What the latest message asks of a product search.

    Attributes:
        given: Normalised constraint values named in this message.
        price_relative: ``"cheaper"``, ``"more_expensive"`` or ``None``.
        words: Descriptive words left after removing constraint words and filler.
        wants_more: The message asks for more results of the same search.
        text: The message text.
    """

    given: dict[str, Any] = field(default_factory=dict)
    price_relative: str | None = None
    words: tuple[str, ...] = ()
    wants_more: bool = False
    text: str = ""


def _entity_values(tracker: Tracker) -> list[dict[str, Any]]:
    entities = tracker.latest_message.get("entities") or []
    return [e for e in entities if isinstance(e, dict) and e.get("value") not in (None, "")]


def _find_category_in_text(text: str, vocabulary: Vocabulary) -> str | None:
    """The longest catalog category named in the text (a back-up for missed entities)."""
    lowered = " ".join(_WORD_RE.findall(text.lower()))
    best: str | None = None
    for category in vocabulary.categories:
        forms = {category, category.rstrip("s")}
        for form in forms:
            if form and re.search(rf"\b{re.escape(form)}s?\b", lowered):
                if best is None or len(category) > len(best):
                    best = category
    return best


def _prices_from_text(text: str) -> dict[str, float]:
    """``price_min``/``price_max`` written in the text (a back-up for missed entities)."""
    found: dict[str, float] = {}
    between = _BETWEEN_RE.search(text)
    if between:
        low, high = parse_price(between.group(1)), parse_price(between.group(2))
        if low is not None and high is not None:
            found["price_min"], found["price_max"] = min(low, high), max(low, high)
            return found
    upper = _MAX_RE.search(text)
    if upper:
        value = parse_price(upper.group(0).split(None, 1)[-1])
        if value is not None:
            found["price_max"] = value
    lower = _MIN_RE.search(text)
    if lower:
        value = parse_price(lower.group(0).split(None, 1)[-1])
        if value is not None:
            found["price_min"] = value
    return found


def _search_words(words: Sequence[str], phrases: LanguagePhrases) -> tuple[str, ...]:
    """The descriptive words to search for, in the catalog's (English) terms.

    English words are searched as they are; in other languages only words of the
    glossary are kept, translated ("impermeable" -> "waterproof"): the catalog and its
    search index are English, and an untranslated word only adds noise.
    """
    if not phrases.glossary:
        return tuple(w for w in words if w not in FILLER)
    found: dict[str, None] = {}
    for word in words:
        term = phrases.glossary.get(word)
        if term:
            found.setdefault(term, None)
    return tuple(found)


def read_request(
    tracker: Tracker, vocabulary: Vocabulary, phrases: LanguagePhrases
) -> SearchRequest:
    """Read the constraints, the relative-price wish and the free words of the message.

    Args:
        tracker: The conversation tracker.
        vocabulary: The catalog vocabulary for normalisation.
        phrases: The fragments of the conversation's language ("more" words, glossary).

    Returns:
        The request.
    """
    text = str(tracker.latest_message.get("text") or "")
    given: dict[str, Any] = {}
    relative: str | None = None
    spans: list[tuple[int, int]] = []
    normalisers = {
        "category": vocabulary.category,
        "brand": vocabulary.brand,
        "colour": vocabulary.colour,
        "material": vocabulary.material,
        "size": normalise_size,
    }
    for entity in _entity_values(tracker):
        name, value = entity.get("entity"), entity.get("value")
        start, end = entity.get("start"), entity.get("end")
        if name in normalisers:
            canonical = normalisers[str(name)](str(value))
            # A value the catalog does not know ("waterproof" tagged as a category) is no
            # filter: its words stay in the free-text query for the hybrid search.
            if name in given or not vocabulary.knows(str(name), canonical):
                continue
            given[str(name)] = canonical
        if isinstance(start, int) and isinstance(end, int) and name != "category":
            spans.append((start, end))
        if name in normalisers:
            continue
        if name in ("price_min", "price_max") and name not in given:
            amount = parse_price(value)
            if amount is not None:
                given[str(name)] = amount
        elif name == "currency" and "currency" not in given:
            code = parse_currency(value)
            if code:
                given["currency"] = code
        elif name == "price_relative" and relative is None:
            key = str(value).lower().replace(" ", "_")
            relative = "more_expensive" if "expensive" in key or "pric" in key else "cheaper"
    if "category" not in given:
        category = _find_category_in_text(text, vocabulary)
        if category:
            given["category"] = category
    if not any(k in given for k in ("price_min", "price_max")):
        given.update(_prices_from_text(text))
    if "currency" not in given and ("price_min" in given or "price_max" in given):
        match = _CURRENCY_RE.search(text)
        if match:
            code = parse_currency(match.group(1))
            if code:
                given["currency"] = code
    if relative is None and not any(k in given for k in ("price_min", "price_max")):
        if _CHEAPER_RE.search(text):
            relative = "cheaper"
        elif _PRICIER_RE.search(text):
            relative = "more_expensive"

    kept = list(text)
    for start, end in spans:
        kept[start:end] = [" "] * (end - start)
    remaining = _TAG_RE.sub(" ", "".join(kept)).lower()
    remaining = _BETWEEN_RE.sub(" ", _MIN_RE.sub(" ", _MAX_RE.sub(" ", remaining)))
    constraint_words = {
        str(v).lower() for k, v in given.items() if k not in ("category", "price_min", "price_max")
    }
    words = _search_words(
        [
            w
            for w in _WORD_RE.findall(remaining)
            if w not in constraint_words and not re.fullmatch(r"[\d.,]+k?", w)
        ],
        phrases,
    )
    constraint_given = any(k != "currency" for k in given) or relative is not None
    asks_more = bool(_MORE_RE.search(text) or phrases.more_pattern.search(text))
    wants_more = asks_more and not constraint_given and not words
    return SearchRequest(
        given=given, price_relative=relative, words=words, wants_more=wants_more, text=text
    )


def merge_constraints(
    previous: SearchConstraints, request: SearchRequest
) -> tuple[SearchConstraints, bool]:
    """Combine the slots' constraints with what the message says.

    Args:
        previous: The constraints in the slots.
        request: The latest message's request.

    Returns:
        The new constraints and whether this starts a new search (new category).
    """
    category = request.given.get("category")
    new_search = bool(category) and category != previous.category
    base = SearchConstraints(currency=previous.currency) if new_search else previous
    merged = replace(base, **request.given)
    if merged.price_min is not None and merged.price_max is not None:
        if merged.price_min > merged.price_max:
            if "price_min" in request.given:
                merged = replace(merged, price_max=None)
            else:
                merged = replace(merged, price_min=None)
    return merged, new_search


def apply_relative_price(
    constraints: SearchConstraints, relative: str, shown_prices: Sequence[float]
) -> tuple[SearchConstraints, bool]:
    """Move the price limit for "cheaper" / "more expensive".

    Args:
        constraints: The merged constraints.
        relative: ``"cheaper"`` or ``"more_expensive"``.
        shown_prices: Prices of the products last shown.

    Returns:
        The constraints, and whether results should instead be sorted by price because
        there is no price to move from.
    """
    reference: float | None = statistics.median(shown_prices) if shown_prices else None
    if relative == "cheaper":
        if reference is None and constraints.price_max is not None:
            reference = constraints.price_max
        if reference is None:
            return constraints, True
        limit = reference - max(1.0, reference * 0.05)
        if constraints.price_max is not None:
            limit = min(limit, constraints.price_max)
        limit = max(0.0, math.floor(limit))
        price_min = constraints.price_min
        if price_min is not None and price_min > limit:
            price_min = None
        return replace(constraints, price_max=float(limit), price_min=price_min), False
    if reference is None and constraints.price_min is not None:
        reference = constraints.price_min
    if reference is None:
        return constraints, True
    floor = float(math.ceil(reference + max(1.0, reference * 0.05)))
    if constraints.price_min is not None:
        floor = max(floor, constraints.price_min)
    # Asking for dearer things overrides an earlier upper limit.
    return replace(constraints, price_min=floor, price_max=None), False


def build_query(
    request: SearchRequest,
    constraints: SearchConstraints,
    previous_query: str | None,
    new_search: bool,
) -> str:
    """The free-text query for the dense + lexical search.

    Args:
        request: The latest message's request.
        constraints: The constraints in force.
        previous_query: The query of the previous search.
        new_search: Whether the message started a new search.

    Returns:
        Descriptive words plus the category; the previous query when the message only
        refines; the category alone when nothing else is known.
    """
    words = list(request.words)
    category = constraints.category or ""
    if words:
        joined = " ".join(words)
        if category and category not in joined:
            category_words = set(category.split()) | {category.rstrip("s")}
            extra = [w for w in words if w not in category_words and w.rstrip("s") not in category]
            joined = " ".join([*extra, category]) if extra else category
        return joined
    if not new_search and previous_query:
        return previous_query
    return category
