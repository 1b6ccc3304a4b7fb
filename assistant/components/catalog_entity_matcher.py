"""Catalog-aware entities: a spaCy PhraseMatcher over the catalog's own vocabulary.

At training time the component reads the catalog file (config ``catalog``, relative to
the working directory) and the synonym tables in ``assistant/vocabulary/`` and builds
phrase patterns for the catalog's brands, categories, colours, materials and sizes in
every language (see :mod:`assistant.components.catalog_vocabulary`). The patterns are
persisted in the model, so a changed catalog takes effect after retraining, and the
catalog file and tables are part of the training fingerprint, so ``rasa train`` does
retrain this component when they change.

At inference the message's ``language`` (set by the language detector; default en)
picks the language's matcher, which holds that language's table forms plus the
language-independent ones (brands and the catalog's English values). Entities
(``brand``, ``category``, ``colour``, ``material``, ``size``) carry the canonical value
(lower case; sizes as the catalog writes them, e.g. ``"M"`` or ``"9.5"``).

The matcher complements DIET and wins on exact catalog terms:

* the longest match wins where matches overlap;
* a DIET entity overlapping a match is removed (a DIET entity of the same span whose
  type the text can also be keeps its type: "fleece" as category -> fleece jackets);
* a DIET entity of a catalog type elsewhere is normalised when its text is a known
  form ("rojas" -> red, a bare "M" -> M); otherwise it is left as it is.

Ambiguous forms (a bare "M", "grande", "down") never make an entity on their own; they
only normalise what DIET found, unless a cue word comes first ("talla grande", "in
weiß"). Phrases a table lists under ``ignore`` ("carte bleue") block the forms inside
them.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rasa.shared.utils.io
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from assistant.components._entities import LANGUAGE_ATTRIBUTE, make_entity, resolve_language
from assistant.components.catalog_vocabulary import (
    ENTITY_TYPES,
    IGNORE,
    CatalogTerms,
    Pattern,
    Token,
    build_patterns,
    load_synonym_tables,
    tokenize,
)

logger = logging.getLogger(__name__)

PATTERNS_FILE_NAME = "catalog_patterns.json"
DEFAULT_VOCABULARY_DIR = Path(__file__).resolve().parents[1] / "vocabulary"
_FORMAT_VERSION = 1
#: Environment variable that overrides the `catalog` setting (`make train CATALOG=...`).
CATALOG_ENV = "ASSISTANT_CATALOG"


@dataclass(frozen=True)
class _Match:
    """A strong match: token span, entity span (after a size cue) and candidates."""

    start: int
    end: int
    char_start: int
    char_end: int
    candidates: tuple[Pattern, ...]


class _LanguageMatcher:
    """The PhraseMatcher and the form lookup of one language."""

    def __init__(self, vocab: Vocab, patterns: Iterable[Pattern]) -> None:
        self.vocab = vocab
        self.matcher = PhraseMatcher(vocab)
        self.by_key: dict[int, list[Pattern]] = {}
        self.lookup: dict[tuple[str, tuple[str, ...]], str] = {}
        groups: dict[str, list[Pattern]] = {}
        for pattern in sorted(patterns, key=lambda p: p.rank):
            if pattern.trim == 0 and pattern.entity != IGNORE:
                self.lookup.setdefault((pattern.entity, pattern.tokens), pattern.value)
            if pattern.weak:
                continue
            groups.setdefault(" ".join(pattern.tokens), []).append(pattern)
        for phrase, group in groups.items():
            key = vocab.strings.add(phrase)
            self.by_key[key] = group
            self.matcher.add(phrase, [Doc(vocab, words=list(group[0].tokens))])

    def matches(self, tokens: list[Token]) -> list[_Match]:
        """The strong matches in a tokenised text, longest first and not overlapping."""
        if not tokens:
            return []
        doc = Doc(self.vocab, words=[token.norm for token in tokens])
        found = []
        for key, start, end in self.matcher(doc):
            group = self.by_key[key]
            trim = min(pattern.trim for pattern in group)
            found.append(
                _Match(
                    start,
                    end,
                    tokens[start + trim].start,
                    tokens[end - 1].end,
                    tuple(pattern for pattern in group if pattern.trim == trim),
                )
            )
        found.sort(key=lambda m: (-(m.end - m.start), -(m.char_end - m.char_start), m.start))
        taken: set[int] = set()
        chosen = []
        for match in found:
            span = set(range(match.start, match.end))
            if taken.isdisjoint(span):
                taken.update(span)
                chosen.append(match)
        return sorted(chosen, key=lambda m: m.start)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class CatalogEntityMatcher(GraphComponent, EntityExtractorMixin):
    """Finds the catalog's brands, categories, colours, materials and sizes in messages."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The component's default config (see parent class for full docstring)."""
        return {
            # the catalog file, relative to the working directory
            "catalog": "catalog/demo_catalog.jsonl",
            # its field mapping file (CSV or non-canonical JSON); None for canonical JSONL
            "catalog_mapping": None,
            # directory of the <language>.yml synonym tables; None for the built-in ones
            "vocabulary": None,
            "languages": ["en", "es", "de", "fr"],
            "default_language": "en",
            # extractors whose entities give way to catalog matches and get normalised
            "override_extractors": ["DIETClassifier"],
        }

    @staticmethod
    def required_packages() -> list[str]:
        """Packages needed for this component (see parent class for full docstring)."""
        return ["spacy"]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        patterns: Iterable[Pattern] = (),
    ) -> None:
        """Keeps the config and builds the matchers of the given patterns."""
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.languages = [str(code).lower() for code in self._config["languages"]]
        if not self.languages:
            raise InvalidConfigException(f"{self.name}: 'languages' must not be empty.")
        self.default_language = str(self._config["default_language"]).lower()
        if self.default_language not in self.languages:
            raise InvalidConfigException(
                f"{self.name}: default_language {self.default_language!r} is not one of "
                f"'languages' {self.languages}."
            )
        self.override_extractors = frozenset(self._config.get("override_extractors") or ())
        self.patterns = list(patterns)
        self._build_matchers()

    def _build_matchers(self) -> None:
        vocab = Vocab()
        by_language: dict[str, list[Pattern]] = {language: [] for language in self.languages}
        for pattern in self.patterns:
            if pattern.language in by_language:
                by_language[pattern.language].append(pattern)
        self._matchers = {
            language: _LanguageMatcher(vocab, patterns)
            for language, patterns in by_language.items()
        }

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CatalogEntityMatcher:
        """Creates a new, untrained component (see parent class for full docstring)."""
        return cls(config, model_storage, resource)

    @classmethod
    def _sources(cls, config: Mapping[str, Any]) -> tuple[Path, Path | None, Path]:
        merged = {**cls.get_default_config(), **config}
        # `make train CATALOG=...` trains on the same catalog file the index is built from
        catalog = Path(os.environ.get(CATALOG_ENV) or str(merged["catalog"]))
        mapping = merged.get("catalog_mapping")
        vocabulary = merged.get("vocabulary")
        return (
            catalog,
            Path(str(mapping)) if mapping else None,
            Path(str(vocabulary)) if vocabulary else DEFAULT_VOCABULARY_DIR,
        )

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Hashes the catalog file and the synonym tables.

        They are read from outside the graph, so without this a changed catalog would
        not retrain the component (see parent class for full docstring).
        """
        catalog, mapping, vocabulary = cls._sources(config)
        digest = hashlib.sha256()
        files = [catalog, *([mapping] if mapping else [])]
        files += sorted(vocabulary.glob("*.yml")) if vocabulary.is_dir() else []
        for path in files:
            digest.update(str(path).encode())
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"<missing>")
        return digest.hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        """Builds the patterns from the catalog and the synonym tables and persists them.

        Args:
            training_data: Not used; the vocabulary comes from the catalog.

        Returns:
            The resource the patterns were written to.

        Raises:
            InvalidConfigException: The catalog or a synonym table cannot be read.
        """
        catalog, mapping, vocabulary = self._sources(self._config)
        if not catalog.is_file():
            raise InvalidConfigException(
                f"{self.name}: catalog file {str(catalog)!r} (config key 'catalog', relative "
                f"to the working directory {str(Path.cwd())!r}) does not exist."
            )
        try:
            terms = CatalogTerms.from_catalog(catalog, mapping)
            tables = load_synonym_tables(vocabulary, self.languages)
        except Exception as exc:  # CatalogError, ValueError, OSError: one clear message
            raise InvalidConfigException(f"{self.name}: {exc}") from exc
        self.patterns = build_patterns(terms, tables)
        self._build_matchers()
        counts = {kind: len(terms.of(kind)) for kind in ENTITY_TYPES}
        logger.info("%s: %d patterns from %s (%s).", self.name, len(self.patterns), catalog, counts)
        self.persist()
        return self._resource

    def persist(self) -> None:
        """Writes the patterns to the model storage."""
        with self._model_storage.write_to(self._resource) as path:
            rasa.shared.utils.io.dump_obj_as_json_to_file(
                path / PATTERNS_FILE_NAME,
                {
                    "version": _FORMAT_VERSION,
                    "catalog": str(self._config["catalog"]),
                    "patterns": [pattern.to_dict() for pattern in self.patterns],
                },
            )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> CatalogEntityMatcher:
        """Loads the trained patterns (see parent class for full docstring)."""
        try:
            with model_storage.read_from(resource) as path:
                data = rasa.shared.utils.io.read_json_file(path / PATTERNS_FILE_NAME)
        except (ValueError, FileNotFoundError):
            logger.warning(
                "%s: no trained patterns in the model; it finds no entities.", cls.__name__
            )
            return cls(config, model_storage, resource)
        patterns = [Pattern.from_dict(item) for item in data.get("patterns", [])]
        return cls(config, model_storage, resource, patterns)

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds catalog entities and settles them with the entities DIET found.

        Never raises: a message that cannot be processed is left as it is.

        Args:
            messages: The messages to process.

        Returns:
            The same messages.
        """
        for message in messages:
            try:
                self._process_one(message)
            except Exception:  # noqa: BLE001 - never break the NLU pipeline
                logger.exception("%s failed on a message; skipped it.", self.name)
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT)
        if not isinstance(text, str) or not text.strip():
            return
        existing = message.get(ENTITIES)
        existing = (
            [e for e in existing if isinstance(e, dict)] if isinstance(existing, list) else []
        )
        language = resolve_language(
            message.get(LANGUAGE_ATTRIBUTE), self.languages, self.default_language
        )
        matcher = self._matchers[language]
        tokens = tokenize(text)
        matches = matcher.matches(tokens)
        if not matches and not existing:
            return
        kept: list[dict[str, Any]] = []
        added: list[dict[str, Any]] = []
        ignored = [m for m in matches if any(p.entity == IGNORE for p in m.candidates)]
        matches = [m for m in matches if m not in ignored]
        for entity in existing:
            if entity.get(EXTRACTOR) not in self.override_extractors:
                kept.append(entity)
                continue
            if any(_overlaps(entity, match, tokens) for match in matches):
                continue
            kept.append(self._normalised(entity, text, matcher))
        for match in matches:
            chosen = self._choose(match, existing)
            added.append(make_entity(chosen.entity, chosen.value, match.char_start, match.char_end))
        if added or kept != existing:
            entities = [*kept, *self.add_extractor_name(added)]
            entities.sort(key=lambda e: _int(e.get(ENTITY_ATTRIBUTE_START)))
            message.set(ENTITIES, entities, add_to_output=True)

    @staticmethod
    def _choose(match: _Match, existing: list[dict[str, Any]]) -> Pattern:
        """The candidate of a match: DIET's type for the same span, else the best rank."""
        candidates = sorted(match.candidates, key=lambda p: (p.rank, ENTITY_TYPES.index(p.entity)))
        for entity in existing:
            if (
                entity.get(ENTITY_ATTRIBUTE_START) == match.char_start
                and entity.get(ENTITY_ATTRIBUTE_END) == match.char_end
            ):
                for candidate in candidates:
                    if candidate.entity == entity.get(ENTITY_ATTRIBUTE_TYPE):
                        return candidate
        return candidates[0]

    def _normalised(
        self, entity: dict[str, Any], text: str, matcher: _LanguageMatcher
    ) -> dict[str, Any]:
        """DIET's entity with a catalog value when its text is a known form."""
        kind = entity.get(ENTITY_ATTRIBUTE_TYPE)
        start, end = entity.get(ENTITY_ATTRIBUTE_START), entity.get(ENTITY_ATTRIBUTE_END)
        if kind not in ENTITY_TYPES or not isinstance(start, int) or not isinstance(end, int):
            return entity
        key = tuple(token.norm for token in tokenize(text[start:end]))
        value = matcher.lookup.get((str(kind), key))
        if value is None or value == entity.get(ENTITY_ATTRIBUTE_VALUE):
            return entity
        normalised = {**entity, ENTITY_ATTRIBUTE_VALUE: value}
        return self.add_processor_name(normalised)


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def _overlaps(entity: Mapping[str, Any], match: _Match, tokens: list[Token]) -> bool:
    """Whether an entity's span overlaps the whole matched text (size cue included)."""
    start, end = entity.get(ENTITY_ATTRIBUTE_START), entity.get(ENTITY_ATTRIBUTE_END)
    if not isinstance(start, int) or not isinstance(end, int):
        return False
    return start < tokens[match.end - 1].end and tokens[match.start].start < end
