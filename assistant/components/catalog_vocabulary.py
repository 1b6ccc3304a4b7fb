"""The catalog's vocabulary as phrase patterns for the catalog entity matcher.

The patterns are built once, at training time, from two sources:

* the catalog file: its brands, categories, colours, materials and sizes (the canonical
  values; brands lower-cased, sizes as the catalog writes them, e.g. ``"M"``, ``"10.5"``);
* the synonym tables ``assistant/vocabulary/<language>.yml``: for a canonical value its
  forms in that language ("rojo", "rojas" -> red; "Wanderschuhe" -> hiking boots), the
  words that introduce a size ("talla", "Größe"), and the forms that are too ambiguous
  to be an entity on their own ("down", "grande", a bare "M").

A table entry whose canonical value the catalog does not have produces nothing, so the
vocabulary follows the catalog. Brands and the catalog's own (English) values match in
every language; the table forms only in their language.

Matching is token based and literal: a text is split into runs of letters and digits
and single other characters, each folded to lower case without accents (see
:func:`tokenize`). A pattern matches wherever its token sequence occurs, so "C++",
"100% cotton", "Gore-Tex (R)" or "5.11" need no escaping and never act as regular
expressions; only the whitespace between tokens is free ("t - shirt" reads as "t-shirt").

Nothing here imports Rasa or spaCy, so the builder can be tested and reused on its own.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

__all__ = [
    "ENTITY_TYPES",
    "CatalogTerms",
    "Pattern",
    "SynonymTable",
    "Token",
    "build_patterns",
    "fold",
    "load_synonym_tables",
    "phrase_key",
    "tokenize",
]

BRAND, CATEGORY, COLOUR, MATERIAL, SIZE = "brand", "category", "colour", "material", "size"
#: The entity types the matcher produces, in their order of preference for a span
#: that is a form of several types (the synonym tables and DIET can override it).
ENTITY_TYPES = (BRAND, CATEGORY, COLOUR, MATERIAL, SIZE)

#: Pattern ranks: a lower rank wins when one span is a form of several values.
RANK_CATALOG, RANK_TABLE = 0, 1

_TOKEN = re.compile(r"(?<![^\W_])(?:[^\W_]{1,2}|[^\W_]*qu)['’](?=[^\W_])|[^\W_]+|\S")
_HALF_SIZE = re.compile(r"(\d{1,2})\.5")
_DISTINCT_SIZE = re.compile(r"\d*x+[sl]|[sml]/[sml]", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_HYPHENS = frozenset("-‐‑")
_UMLAUTS = re.compile("[äöüÄÖÜ]")
_UMLAUT_SPELLING = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
#: The entity type of phrases that block matches inside them and are no entity.
IGNORE = ""


class Token(NamedTuple):
    """One token of a text: its character span and its folded form."""

    start: int
    end: int
    norm: str


def fold(text: str) -> str:
    """Lower-cases a text and strips accents ("Größe" -> "grosse", "Algodón" -> "algodon").

    Args:
        text: Any text.

    Returns:
        The folded text.
    """
    text = text.lower().replace("’", "'").replace("ß", "ss")
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def tokenize(text: str) -> list[Token]:
    """Splits a text into folded tokens.

    Tokens are runs of letters and digits, an elided French article or pronoun with its
    apostrophe ("l'" in "l'orange", "qu'"), or single other non-space characters ("+",
    "%", "(", "&", the apostrophe of "Cascadia's"). A hyphen inside a word is dropped, so "t-shirt"
    and "t shirt" give the same tokens.

    Args:
        text: Any text.

    Returns:
        The tokens in text order.
    """
    tokens = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if (
            match.group() in _HYPHENS
            and 0 < start
            and end < len(text)
            and text[start - 1].isalnum()
            and text[end].isalnum()
        ):
            continue
        tokens.append(Token(start, end, fold(match.group())))
    return tokens


@functools.lru_cache(maxsize=16384)
def phrase_key(phrase: str) -> tuple[str, ...]:
    """The folded token sequence of a phrase ("T-Shirts" -> ("t", "-", "shirts"))."""
    return tuple(token.norm for token in tokenize(phrase))


@dataclass(frozen=True)
class Pattern:
    """One phrase of one language that names a canonical value.

    Attributes:
        language: The language whose messages the phrase is matched in.
        entity: The entity type (brand, category, colour, material, size).
        value: The canonical value the phrase stands for.
        tokens: The folded tokens of the phrase.
        trim: Leading tokens (a size cue such as "talla") that belong to the match
            but not to the entity's span.
        weak: Whether the phrase is too ambiguous to be an entity on its own; a weak
            phrase only normalises an entity another extractor found.
        rank: Lower ranks win when one span is a form of several values.
    """

    language: str
    entity: str
    value: str
    tokens: tuple[str, ...]
    trim: int = 0
    weak: bool = False
    rank: int = RANK_CATALOG

    def to_dict(self) -> dict[str, Any]:
        """The pattern as JSON-compatible data."""
        data = asdict(self)
        data["tokens"] = list(self.tokens)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Pattern:
        """Rebuilds a pattern written by :meth:`to_dict`."""
        return cls(
            language=str(data["language"]),
            entity=str(data["entity"]),
            value=str(data["value"]),
            tokens=tuple(str(token) for token in data["tokens"]),
            trim=int(data.get("trim", 0)),
            weak=bool(data.get("weak", False)),
            rank=int(data.get("rank", RANK_CATALOG)),
        )


@dataclass
class CatalogTerms:
    """The canonical values found in a catalog, per entity type, in first-seen order."""

    values: dict[str, dict[str, None]] = field(
        default_factory=lambda: {kind: {} for kind in ENTITY_TYPES}
    )

    def add(self, kind: str, value: object) -> None:
        """Adds one value of one entity type (empty values are ignored)."""
        text = _SPACES.sub(" ", str(value or "")).strip()
        if not text:
            return
        if kind in (BRAND, CATEGORY, COLOUR, MATERIAL):
            text = text.lower()
        self.values[kind].setdefault(text, None)

    def of(self, kind: str) -> list[str]:
        """The values of one entity type."""
        return list(self.values[kind])

    @classmethod
    def from_products(cls, products: Iterable[Any]) -> CatalogTerms:
        """Collects the values of products (``catalog_index.schema.Product`` or alike).

        Args:
            products: Objects with ``brand``, ``category``, ``material``, ``colours``
                and ``sizes`` attributes.

        Returns:
            The catalog's terms.
        """
        terms = cls()
        for product in products:
            terms.add(BRAND, getattr(product, "brand", ""))
            terms.add(CATEGORY, getattr(product, "category", ""))
            terms.add(MATERIAL, getattr(product, "material", ""))
            for colour in getattr(product, "colours", None) or ():
                terms.add(COLOUR, colour)
            for size in getattr(product, "sizes", None) or ():
                terms.add(SIZE, size)
        return terms

    @classmethod
    def from_catalog(cls, path: str | Path, mapping: str | Path | None = None) -> CatalogTerms:
        """Loads a catalog file with the catalog index's loader and collects its terms.

        Args:
            path: The catalog file (CSV, JSONL or JSON).
            mapping: The catalog's field mapping file; ``None`` for canonical JSONL.

        Returns:
            The catalog's terms.

        Raises:
            catalog_index.errors.CatalogError: The file cannot be read or is invalid.
        """
        from catalog_index.loaders import load_catalog

        return cls.from_products(load_catalog(path, mapping))


@dataclass(frozen=True)
class SynonymTable:
    """The synonym table of one language (see ``assistant/vocabulary/en.yml``).

    Attributes:
        language: ISO code of the language.
        forms: Entity type -> canonical value -> forms in this language.
        size_cues: Words that introduce any size ("size", "talla", "Größe").
        word_size_cues: Words that introduce a size that is not a number ("in M").
        standalone_sizes: Canonical size -> forms that name a size without a cue.
        weak: Folded token sequences that never make an entity on their own here.
        cues: Entity type -> words after which a weak form of that type is an entity
            ("in weiß", "de ante").
        ignore: Phrases that are no entity although they contain one ("carte bleue").
        exclude: Generated forms that are not to be generated (e.g. "jean").
    """

    language: str
    forms: Mapping[str, Mapping[str, Sequence[str]]]
    size_cues: Sequence[str] = ()
    word_size_cues: Sequence[str] = ()
    standalone_sizes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    weak: frozenset[tuple[str, ...]] = frozenset()
    cues: Mapping[str, Sequence[str]] = field(default_factory=dict)
    ignore: Sequence[str] = ()
    exclude: frozenset[tuple[str, ...]] = frozenset()

    @classmethod
    def from_mapping(cls, language: str, data: Mapping[str, Any]) -> SynonymTable:
        """Builds a table from the parsed YAML file.

        Args:
            language: ISO code of the language.
            data: The file's content.

        Returns:
            The table.

        Raises:
            ValueError: The file's structure is not the expected one.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"vocabulary {language}: expected a mapping at the top level")
        forms: dict[str, dict[str, list[str]]] = {}
        for kind in ENTITY_TYPES:
            section = data.get(kind) or {}
            if not isinstance(section, Mapping):
                raise ValueError(f"vocabulary {language}: {kind!r} must map values to forms")
            forms[kind] = {
                str(k): _strings(v, f"{language}.{kind}.{k}") for k, v in section.items()
            }
        standalone = data.get("standalone_sizes") or {}
        cues = data.get("cues") or {}
        for name, section in (("standalone_sizes", standalone), ("cues", cues)):
            if not isinstance(section, Mapping):
                raise ValueError(f"vocabulary {language}: {name!r} must be a mapping")
        return cls(
            language=language,
            forms=forms,
            size_cues=_strings(data.get("size_cues"), f"{language}.size_cues"),
            word_size_cues=_strings(data.get("word_size_cues"), f"{language}.word_size_cues"),
            standalone_sizes={
                str(k): _strings(v, f"{language}.standalone_sizes.{k}")
                for k, v in standalone.items()
            },
            weak=frozenset(
                phrase_key(form) for form in _strings(data.get("weak"), f"{language}.weak")
            ),
            cues={str(k): _strings(v, f"{language}.cues.{k}") for k, v in cues.items()},
            ignore=_strings(data.get("ignore"), f"{language}.ignore"),
            exclude=frozenset(
                phrase_key(form) for form in _strings(data.get("exclude"), f"{language}.exclude")
            ),
        )


def _strings(value: object, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise ValueError(f"vocabulary {where}: expected a list of strings")
    return [str(item) for item in value if str(item).strip()]


def load_synonym_tables(directory: str | Path, languages: Iterable[str]) -> dict[str, SynonymTable]:
    """Reads ``<directory>/<language>.yml`` for each language (a missing file is empty).

    Args:
        directory: The directory with the tables.
        languages: ISO codes.

    Returns:
        Language -> table.

    Raises:
        ValueError: A file is not valid YAML or not a valid table.
    """
    tables = {}
    for language in languages:
        path = Path(directory) / f"{language}.yml"
        data: Any = {}
        if path.is_file():
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                raise ValueError(f"vocabulary file {path} is not valid YAML: {exc}") from exc
        tables[language] = SynonymTable.from_mapping(language, data)
    return tables


def _spelling_variants(form: str, language: str) -> list[str]:
    """A form and its other spellings: run together, German umlauts as "ae", "oe", "ue".

    "t-shirts" and "t shirts" tokenize alike (see :func:`tokenize`); "tshirts" is the
    third way shoppers write it. Accents are folded anyway ("grune" matches "grüne"),
    but German keyboards without umlauts give "gruene".
    """
    variants = [form]
    joined = re.sub(r"(?<=\w)[-‐‑](?=\w)", "", form)
    if joined != form:
        variants.append(joined)
    if language == "de" and re.search("[äöüÄÖÜ]", form):
        variants += [_UMLAUTS.sub(lambda m: _UMLAUT_SPELLING[m.group()], v) for v in variants]
    return variants


def _english_singulars(value: str) -> list[str]:
    """Singular forms of the last word of an English plural ("hoodies" -> "hoodie")."""
    head, _, last = value.rpartition(" ")
    forms: list[str] = []
    if last.endswith("ies"):
        forms += [last[:-3] + "y", last[:-1]]
    elif last.endswith("ves"):
        forms += [last[:-3] + "f", last[:-1]]
    elif re.search(r"(?:ss|sh|ch|x|z)es$", last):
        forms.append(last[:-2])
    elif last.endswith("s") and not last.endswith("ss"):
        forms.append(last[:-1])
    return [f"{head} {form}".strip() for form in forms if len(form) >= 3]


def _size_forms(size: str) -> list[str]:
    """The ways to write a catalog size ("9.5" -> "9.5", "9,5", "9 1/2")."""
    forms = [size]
    half = _HALF_SIZE.fullmatch(size)
    if half:
        forms += [f"{half.group(1)},5", f"{half.group(1)} 1/2"]
    return forms


class _Builder:
    """Collects patterns, keeping the first value per (language, entity, tokens)."""

    def __init__(self) -> None:
        self.patterns: dict[tuple[str, str, tuple[str, ...], int], Pattern] = {}

    def add(
        self,
        table: SynonymTable,
        entity: str,
        value: str,
        form: str,
        *,
        rank: int,
        weak: bool = False,
        cue: str = "",
    ) -> None:
        for variant in _spelling_variants(form, table.language):
            tokens = phrase_key(variant)
            if not tokens:
                continue
            if cue:
                self.add_tokens(table, entity, value, phrase_key(cue), tokens, rank=rank)
            else:
                weak_here = weak or tokens in table.weak
                self.add_tokens(table, entity, value, (), tokens, rank=rank, weak=weak_here)

    def add_tokens(
        self,
        table: SynonymTable,
        entity: str,
        value: str,
        cue: tuple[str, ...],
        tokens: tuple[str, ...],
        *,
        rank: int,
        weak: bool = False,
    ) -> None:
        key = (table.language, entity, cue + tokens, len(cue))
        known = self.patterns.get(key)
        if known is None or (known.weak and not weak):
            self.patterns[key] = Pattern(
                table.language, entity, value, cue + tokens, len(cue), weak, rank
            )


def build_patterns(terms: CatalogTerms, tables: Mapping[str, SynonymTable]) -> list[Pattern]:
    """Builds the phrase patterns of every language from a catalog and synonym tables.

    Per language: the catalog's own values (brands with their spacing variants,
    categories with English singulars, colours, materials; distinctive sizes such as
    "XL" or "S/M"), the table's forms of values the catalog has, and sizes after a
    size cue ("talla M", "Größe 9,5"). Plain numbers and single letters are sizes only
    after a cue; on their own they are weak (they only normalise DIET's entities).

    Args:
        terms: The catalog's canonical values.
        tables: Language -> synonym table (the languages to build).

    Returns:
        The patterns (one per language, entity type and token sequence).
    """
    builder = _Builder()
    excluded = frozenset().union(*(table.exclude for table in tables.values()))
    brand_forms = _brand_forms(terms, tables)
    sizes = terms.of(SIZE)
    for table in tables.values():
        for brand, forms in brand_forms.items():
            for form in forms:
                key = phrase_key(form)
                short = len(key) == 1 and len(key[0]) <= 2  # a brand "On" is a weak form
                builder.add(table, BRAND, brand, form, rank=RANK_CATALOG, weak=short)
        for kind in (CATEGORY, COLOUR, MATERIAL):
            known = terms.of(kind)
            for value in known:
                builder.add(table, kind, value, value, rank=RANK_CATALOG)
                if kind == CATEGORY:
                    for form in _english_singulars(value):
                        if phrase_key(form) not in excluded:
                            builder.add(table, kind, value, form, rank=RANK_CATALOG)
            for value, forms in table.forms.get(kind, {}).items():
                canonical = value.lower()
                if canonical in known:
                    for form in forms:
                        builder.add(table, kind, canonical, form, rank=RANK_TABLE)
        _add_sizes(builder, table, sizes)
        weak = [p for p in builder.patterns.values() if p.language == table.language and p.weak]
        for pattern in weak:
            for cue in table.cues.get(pattern.entity, ()):
                builder.add_tokens(
                    table,
                    pattern.entity,
                    pattern.value,
                    phrase_key(cue),
                    pattern.tokens,
                    rank=pattern.rank,
                )
        for phrase in table.ignore:
            builder.add(table, IGNORE, "", phrase, rank=RANK_CATALOG)
    return sorted(
        builder.patterns.values(),
        key=lambda p: (p.language, p.entity, p.value, p.trim, p.tokens),
    )


def _brand_forms(terms: CatalogTerms, tables: Mapping[str, SynonymTable]) -> dict[str, list[str]]:
    """Brand -> its forms: as written, with "and" for "&", run together, table synonyms."""
    forms: dict[str, list[str]] = {}
    for brand in terms.of(BRAND):
        variants = [brand]
        if "&" in brand:
            variants.append(brand.replace("&", " and "))
        words = brand.split()
        if len(words) > 1 and all(re.fullmatch(r"[^\W_]+", word) for word in words):
            variants.append("".join(words))
        forms[brand] = variants
    for table in tables.values():
        for brand, synonyms in table.forms.get(BRAND, {}).items():
            if brand.lower() in forms:
                forms[brand.lower()].extend(synonyms)
    return forms


def _add_sizes(builder: _Builder, table: SynonymTable, sizes: Sequence[str]) -> None:
    """Adds the size patterns of one language for the sizes the catalog has."""
    table_forms = {fold(k): v for k, v in table.forms.get(SIZE, {}).items()}
    standalone = {fold(k): v for k, v in table.standalone_sizes.items()}
    for size in sizes:
        key = fold(size)
        forms = [*_size_forms(size), *table_forms.get(key, ()), *standalone.get(key, ())]
        strong_alone = {phrase_key(form) for form in standalone.get(key, ())}
        for form in forms:
            alone = phrase_key(form) in strong_alone or (
                form == size and _DISTINCT_SIZE.fullmatch(size) is not None
            )
            builder.add(table, SIZE, size, form, rank=RANK_CATALOG, weak=not alone)
            for cue in table.size_cues:
                builder.add(table, SIZE, size, form, rank=RANK_CATALOG, cue=cue)
            if not re.fullmatch(r"[\d.,/ ]+", form):  # "in M", "in medium"; not "in 2 days"
                for cue in table.word_size_cues:
                    builder.add(table, SIZE, size, form, rank=RANK_CATALOG, cue=cue)
