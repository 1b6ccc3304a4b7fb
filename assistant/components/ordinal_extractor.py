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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
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

from assistant.components import ordinal_tables
from assistant.components._entities import (
    LANGUAGE_ATTRIBUTE,
    alternation,
    make_entity,
    new_entities,
    resolve_language,
)
from assistant.components.ordinal_tables import OrdinalLexicon

logger = logging.getLogger(__name__)

ORDINAL = "ordinal"

_CONTEXT_CHARS = 40
_PREV_WORD = re.compile(r"(?<![\w'])([\w']+)\s*\Z")
_NEXT_WORD = re.compile(r"[\s-]*([\w']+)")
_NEXT_PUNCT_OR_END = re.compile(r"\s*(?:[,.;:!?)\]]|\Z)")
_NUMBER_GUARD = r"(?![\w%°]|[.,:/]\d|\s*[$€£])"


def _words(entries: tuple[str, ...]) -> frozenset[str]:
    return frozenset(entry.lower() for entry in entries)


@dataclass(frozen=True)
class _CompiledLexicon:
    """The regular expressions and word sets built from one :class:`OrdinalLexicon`."""

    lexicon: OrdinalLexicon
    ordinal_words: Mapping[str, int]
    cardinal_words: Mapping[str, int]
    word: re.Pattern[str]
    numeral: re.Pattern[str]
    cue: re.Pattern[str]
    article: re.Pattern[str]
    bare: re.Pattern[str]
    blocking_before: re.Pattern[str]
    blocking_next: re.Pattern[str]
    article_follower: re.Pattern[str]
    blocking_prev_words: frozenset[str]
    strong_prev_words: frozenset[str]
    strong_next_words: frozenset[str]
    adverb_next_words: frozenset[str]
    verb_words: frozenset[str]
    verb_prev_words: frozenset[str]


def _normalise(phrase: str) -> str:
    return re.sub(r"[\s-]+", " ", phrase.lower())


def _compile(lexicon: OrdinalLexicon) -> _CompiledLexicon:
    """Builds the regular expressions of one lexicon."""
    cardinals = alternation(lexicon.cardinal_words)
    suffixes = alternation(lexicon.numeral_suffixes, left_boundary=False)
    return _CompiledLexicon(
        lexicon=lexicon,
        ordinal_words={_normalise(k): v for k, v in lexicon.ordinal_words.items()},
        cardinal_words={k.lower(): v for k, v in lexicon.cardinal_words.items()},
        word=re.compile(rf"(?:{alternation(lexicon.ordinal_words)})", re.I),
        numeral=re.compile(rf"(?<![\w#.,])(?P<n>\d{{1,2}})(?:{suffixes})", re.I),
        cue=re.compile(
            rf"(?P<cue>{alternation(lexicon.item_cues)})\s*#?\s*"
            rf"(?:(?<![\w,])(?P<n>\d{{1,2}}){_NUMBER_GUARD}|(?P<w>{cardinals}))",
            re.I,
        ),
        article=re.compile(
            rf"(?:{alternation(lexicon.article_cues)})\s+"
            rf"(?P<n>\d{{1,2}}){_NUMBER_GUARD}",
            re.I,
        ),
        bare=re.compile(
            rf"\s*#?\s*(?P<n>\d{{1,2}})\s*(?:{alternation(lexicon.polite_words)})?"
            r"\s*[.!?)]*\s*",
            re.I,
        ),
        blocking_before=re.compile(
            rf"(?:{alternation(lexicon.blocking_before)})\s*\Z", re.I
        ),
        blocking_next=re.compile(
            rf"[\s-]*(?:{alternation(lexicon.blocking_next_words)}|\d)", re.I
        ),
        article_follower=re.compile(
            rf"\s+(?:{alternation(lexicon.article_followers)})", re.I
        ),
        blocking_prev_words=_words(lexicon.blocking_prev_words),
        strong_prev_words=_words(lexicon.strong_prev_words),
        strong_next_words=_words(lexicon.strong_next_words),
        adverb_next_words=_words(lexicon.adverb_next_words),
        verb_words=_words(lexicon.verb_words),
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
        self.text = text
        self.table = table
        self.max_index = max_index
        self.taken: list[tuple[int, int]] = []
        self.found: list[dict[str, Any]] = []

    def _add(self, value: int, start: int, end: int) -> None:
        if any(start < t_end and t_start < end for t_start, t_end in self.taken):
            return
        self.taken.append((start, end))
        self.found.append(make_entity(ORDINAL, str(value), start, end))

    def _in_range(self, value: int) -> bool:
        return 1 <= value <= self.max_index

    def _prev_word(self, start: int) -> str | None:
        match = _PREV_WORD.search(self.text, max(0, start - _CONTEXT_CHARS), start)
        return match.group(1).lower() if match else None

    def _next_word(self, end: int) -> str | None:
        match = _NEXT_WORD.match(self.text, end)
        return match.group(1).lower() if match else None

    def _blocked_before(self, start: int) -> bool:
        return (
            self.table.blocking_before.search(
                self.text, max(0, start - _CONTEXT_CHARS), start
            )
            is not None
        )

    def _accept_word(self, phrase: str, start: int, end: int) -> bool:
        """Whether an ordinal word at this position points at an item."""
        table = self.table
        prev, nxt = self._prev_word(start), self._next_word(end)
        if prev in table.blocking_prev_words or table.blocking_next.match(self.text, end):
            return False
        strong = prev in table.strong_prev_words or nxt in table.strong_next_words
        if strong:
            return True
        if phrase in table.verb_words and prev in table.verb_prev_words:
            return False  # "boots that last"
        if nxt in table.adverb_next_words:
            return False  # "first I want to see ..."
        at_start = not self.text[:start].strip()
        return not (at_start and self.text[end:].lstrip().startswith(","))

    def _words(self) -> None:
        for match in self.table.word.finditer(self.text):
            phrase = _normalise(match.group())
            value = self.table.ordinal_words.get(phrase)
            if value is None or (value > 0 and not self._in_range(value)):
                continue
            if self._accept_word(phrase, match.start(), match.end()):
                self._add(value, match.start(), match.end())

    def _numerals(self) -> None:
        for match in self.table.numeral.finditer(self.text):
            value = int(match.group("n"))
            if self._in_range(value) and not self.table.blocking_next.match(
                self.text, match.end()
            ):
                self._add(value, match.start(), match.end())

    def _cues(self) -> None:
        for match in self.table.cue.finditer(self.text):
            if self._blocked_before(match.start()):
                continue
            group = "n" if match.group("n") else "w"
            raw = match.group(group)
            value = int(raw) if group == "n" else self.table.cardinal_words[raw.lower()]
            if self._in_range(value) and not raw.startswith("0"):
                self._add(value, match.start(group), match.end(group))

    def _articles(self) -> None:
        for match in self.table.article.finditer(self.text):
            raw = match.group("n")
            if raw.startswith("0") or not self._in_range(int(raw)):
                continue
            if self._blocked_before(match.start()):
                continue
            if _NEXT_PUNCT_OR_END.match(
                self.text, match.end()
            ) or self.table.article_follower.match(self.text, match.end()):
                self._add(int(raw), match.start("n"), match.end("n"))

    def _bare(self) -> None:
        match = self.table.bare.fullmatch(self.text)
        if match and not match.group("n").startswith("0"):
            value = int(match.group("n"))
            if self._in_range(value):
                self._add(value, match.start("n"), match.end("n"))

    def entities(self) -> list[dict[str, Any]]:
        steps: tuple[Callable[[], None], ...] = (
            self._words,
            self._numerals,
            self._cues,
            self._articles,
            self._bare,
        )
        for step in steps:
            step()
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
    return _OrdinalMatcher(text, compiled, max_index).entities()


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class OrdinalExtractor(GraphComponent, EntityExtractorMixin):
    """Extracts references to the n-th shown item ("the second one", "option 2").

    Needs no training data and no tokenizer. Entities other extractors found are kept;
    an entity of the same type at the same span is not added twice.
    """

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
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.default_language = str(self._config["default_language"]).lower()
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

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> OrdinalExtractor:
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
    ) -> OrdinalExtractor:
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
        """Adds ordinal entities to each message's entities.

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
            ordinal_tables.ORDINAL_LEXICONS,
            self.default_language,
        )
        found = extract_ordinals(text, language, max_index=self.max_index)
        added = self.add_extractor_name(new_entities(existing, found))
        if added:
            message.set(ENTITIES, [*existing, *added], add_to_output=True)
