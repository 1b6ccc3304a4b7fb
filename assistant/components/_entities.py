"""Helpers shared by the deterministic entity extractors.

The helpers build Rasa entity dictionaries, merge new entities into the ones other
extractors already found, resolve a message's language to a pattern-table key, blank out
markup, and turn pattern-table entries into regular expressions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from rasa.nlu.constants import ENTITY_ATTRIBUTE_CONFIDENCE_TYPE
from rasa.shared.nlu.constants import (
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
)

#: Message attribute that a language detector earlier in the pipeline may set.
LANGUAGE_ATTRIBUTE = "language"

_MARKUP_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")


def mask_markup(text: str) -> str:
    """Blanks out HTML/XML tags, keeping every other character at its offset.

    "<b>80</b>" must not read as "> 80"; replacing each tag with spaces of the same
    length keeps the entity offsets valid for the original text.

    Args:
        text: The user message.

    Returns:
        The text with tags replaced by spaces (unchanged if it has no tags).
    """
    if "<" not in text:
        return text
    return _MARKUP_TAG.sub(lambda match: " " * len(match.group()), text)


def make_entity(entity_type: str, value: str, start: int, end: int) -> dict[str, Any]:
    """Builds one entity dictionary with the keys Rasa's own extractors use.

    Deterministic matches get confidence 1.0, both under ``confidence`` (as Rasa's
    DucklingEntityExtractor reports it) and ``confidence_entity`` (as DIET does), so
    consumers and ``rasa test`` can read either key.

    Args:
        entity_type: The entity name from the domain, e.g. ``price_max``.
        value: The normalised value, e.g. ``"80"``.
        start: Character offset where the matched text starts.
        end: Character offset where the matched text ends (exclusive).

    Returns:
        The entity dictionary (without the extractor name).
    """
    return {
        ENTITY_ATTRIBUTE_TYPE: entity_type,
        ENTITY_ATTRIBUTE_VALUE: value,
        ENTITY_ATTRIBUTE_START: start,
        ENTITY_ATTRIBUTE_END: end,
        ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
        ENTITY_ATTRIBUTE_CONFIDENCE_TYPE: 1.0,
    }


def _span_key(entity: Mapping[str, Any]) -> tuple[Any, Any, Any]:
    return (
        entity.get(ENTITY_ATTRIBUTE_TYPE),
        entity.get(ENTITY_ATTRIBUTE_START),
        entity.get(ENTITY_ATTRIBUTE_END),
    )


def new_entities(
    existing: Iterable[Mapping[str, Any]], found: Iterable[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Returns the found entities that no earlier extractor reported at the same span.

    An entity counts as a duplicate when an entity of the same type with the same
    start and end offsets is already present (whatever its value or extractor).

    Args:
        existing: Entities already on the message (from other extractors).
        found: Entities this extractor found, in text order.

    Returns:
        The entities to append, without duplicates among themselves either.
    """
    seen = {_span_key(entity) for entity in existing if isinstance(entity, Mapping)}
    result = []
    for entity in found:
        key = _span_key(entity)
        if key not in seen:
            seen.add(key)
            result.append(entity)
    return result


def resolve_language(raw: Any, available: Iterable[str], default: str) -> str:
    """Maps a message's language attribute onto an available pattern table.

    ``"de-AT"``, ``"DE"`` and ``"de_DE"`` all resolve to ``"de"``; a missing or unknown
    language resolves to the default.

    Args:
        raw: The value of the message's ``language`` attribute (may be anything).
        available: The languages that have pattern tables.
        default: The language to use when ``raw`` has no table.

    Returns:
        A key of the pattern tables.
    """
    if isinstance(raw, str) and raw:
        code = raw.strip().lower().replace("_", "-").split("-", 1)[0]
        if code in set(available):
            return code
    return default


def alternation(entries: Iterable[str], *, left_boundary: bool = True) -> str:
    """Builds a regex alternation from pattern-table entries, longest first.

    Entries that start or end with a word character get word boundaries there, so
    "under" does not match inside "thunder"; spaces match any run of whitespace.
    Suffixes glued to a number ("1k", "50ish") are built without the left boundary.

    Args:
        entries: Words, phrases or symbols.
        left_boundary: Whether entries starting with a word character need a
            non-word character (or the start of the text) before them.

    Returns:
        A regex source (no group) that never matches if ``entries`` is empty.
    """
    parts = []
    for entry in sorted({e for e in entries if e}, key=len, reverse=True):
        pattern = re.escape(entry).replace(r"\ ", r"\s+")
        if left_boundary and re.match(r"\w", entry):
            pattern = r"(?<!\w)" + pattern
        if re.search(r"\w$", entry):
            pattern += r"(?!\w)"
        parts.append(pattern)
    return "|".join(parts) if parts else r"(?!x)x"
