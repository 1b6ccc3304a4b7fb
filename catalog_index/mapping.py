"""Field-mapping files: how a shop's CSV/JSON columns become canonical fields.

A mapping is a small YAML file (``catalog/mappings/*.yml``)::

    format: csv                 # csv | jsonl | json (default: from the file extension)
    encoding: utf-8
    records: products           # json only: key holding the array (a top-level array also works)
    skip_if_nonempty: [store_view_code]   # rows ignored entirely
    fields:                     # canonical field -> spec
      id: sku                   # a spec is a source path ...
      title: {from: name}       # ... or a dict: from (path or list of paths, first non-empty),
      price: {from: price, transforms: [number]}   # value (a constant), default, transforms,
      currency: {value: USD}    # fallback (another spec used when this one gives nothing)
    variants:                   # optional: one row per variant
      mode: children_list       # children_list | parent_column | group_by
      ...
      fields: {sku: sku, colour: {from: color, transforms: [lower]}, size: size, stock: qty}

Source paths are column names or dotted paths into JSON (``priceInfo.price``, ``images.0.uri``).
Transforms (applied in order; string transforms apply to each item of a list): ``strip``,
``strip_html``, ``lower``, ``upper``, ``number``, ``int``, ``split: SEP``, ``join: SEP``,
``first``, ``last``, ``index: N``, ``kv: KEY`` (or ``{key, sep, kv_sep}``) for ``a=1,b=2`` strings,
``replace: {OLD: NEW}``, ``map: {values: {...}, default: X}``, ``prefix: TEXT``,
``select: {where: {KEY: VALUE}, value: PATH}`` for lists of objects, ``get: PATH``,
``count`` (length of a list).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from catalog_index.errors import CatalogError, FieldError

__all__ = ["FieldSpec", "VariantSpec", "MappingSpec", "load_mapping", "get_path"]

_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_RE = re.compile(r"\s+")
_NUMBER_RE = re.compile(r"[^0-9eE+\-.]")
_MISSING = object()
VARIANT_MODES = ("children_list", "parent_column", "group_by")


def is_empty(value: object) -> bool:
    """Whether a source value counts as absent (None, blank string, empty list)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return len(value) == 0
    return False


def get_path(record: Mapping[str, Any], path: str) -> Any:
    """Read a column or a dotted path from a record.

    Args:
        record: A CSV row or a JSON object.
        path: A key (tried first as is) or a dotted path; integer parts index lists.

    Returns:
        The value, or ``None`` when any part is missing.
    """
    if path in record:
        return record[path]
    value: Any = record
    for part in path.split("."):
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, Sequence) and not isinstance(value, str) and _is_int(part):
            index = int(part)
            value = value[index] if -len(value) <= index < len(value) else None
        else:
            return None
        if value is None:
            return None
    return value


def _is_int(text: str) -> bool:
    return text.lstrip("-").isdigit()


# --- transforms -------------------------------------------------------------------------


def _each(fn: Callable[[str], Any]) -> Callable[[Any, Any], Any]:
    def apply(value: Any, _arg: Any) -> Any:
        if isinstance(value, list):
            return [fn(str(item)) if isinstance(item, str) else item for item in value]
        return fn(value) if isinstance(value, str) else value

    return apply


def _strip_html(text: str) -> str:
    return _SPACE_RE.sub(" ", html.unescape(_TAG_RE.sub(" ", text))).strip()


def _number(value: Any, _arg: Any) -> Any:
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if not text:
        return None
    cleaned = _NUMBER_RE.sub("", text.replace(",", ""))
    try:
        return float(cleaned)
    except ValueError:
        raise FieldError("", f"not a number: {value!r}") from None


def _int(value: Any, arg: Any) -> Any:
    number = _number(value, arg)
    if number is None:
        return None
    if not float(number).is_integer():
        raise FieldError("", f"not an integer: {value!r}")
    return int(number)


def _split(value: Any, sep: Any) -> Any:
    if not isinstance(value, str):
        return value
    return [part.strip() for part in value.split(str(sep)) if part.strip()]


def _join(value: Any, sep: Any) -> Any:
    if isinstance(value, list):
        return str(sep).join(str(item) for item in value if not is_empty(item))
    return value


def _index(value: Any, arg: Any) -> Any:
    if isinstance(value, list):
        index = int(arg)
        return value[index] if -len(value) <= index < len(value) else None
    return value


def _kv(value: Any, arg: Any) -> Any:
    if not isinstance(value, str):
        return None
    if isinstance(arg, Mapping):
        key, sep, kv_sep = str(arg["key"]), str(arg.get("sep", ",")), str(arg.get("kv_sep", "="))
    else:
        key, sep, kv_sep = str(arg), ",", "="
    for part in value.split(sep):
        name, found, item = part.partition(kv_sep)
        if found and name.strip() == key:
            return item.strip()
    return None


def _replace(value: Any, arg: Any) -> Any:
    def fn(text: str) -> str:
        for old, new in dict(arg).items():
            text = text.replace(str(old), str(new))
        return text

    return _each(fn)(value, None)


def _map(value: Any, arg: Any) -> Any:
    values = dict(arg.get("values", {})) if isinstance(arg, Mapping) else {}
    default = arg.get("default", _MISSING) if isinstance(arg, Mapping) else _MISSING

    def one(item: Any) -> Any:
        if item in values:
            return values[item]
        return item if default is _MISSING else default

    if isinstance(value, list):
        return [one(item) for item in value]
    return None if value is None else one(value)


def _prefix(value: Any, arg: Any) -> Any:
    def fn(text: str) -> str:
        if not text or "://" in text:
            return text
        return str(arg).rstrip("/") + "/" + text.lstrip("/")

    return _each(fn)(value, None)


def _select(value: Any, arg: Any) -> Any:
    if not isinstance(value, list) or not isinstance(arg, Mapping):
        return None
    where = dict(arg.get("where", {}))
    for item in value:
        if isinstance(item, Mapping) and all(get_path(item, k) == v for k, v in where.items()):
            path = arg.get("value")
            return item if path is None else get_path(item, str(path))
    return None


def _get(value: Any, arg: Any) -> Any:
    if isinstance(value, Mapping):
        return get_path(value, str(arg))
    if isinstance(value, list):
        return [get_path(item, str(arg)) for item in value if isinstance(item, Mapping)]
    return None


TRANSFORMS: dict[str, Callable[[Any, Any], Any]] = {
    "strip": _each(str.strip),
    "strip_html": _each(_strip_html),
    "lower": _each(str.lower),
    "upper": _each(str.upper),
    "number": _number,
    "int": _int,
    "split": _split,
    "join": _join,
    "first": lambda value, _arg: _index(value, 0),
    "last": lambda value, _arg: _index(value, -1),
    "index": _index,
    "kv": _kv,
    "replace": _replace,
    "map": _map,
    "prefix": _prefix,
    "select": _select,
    "get": _get,
    "count": lambda value, _arg: len(value) if isinstance(value, (list, dict)) else value,
}
_NEEDS_ARG = {"split", "join", "index", "kv", "replace", "map", "prefix", "select", "get"}


# --- specs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """How one canonical field is read from a source record."""

    sources: tuple[str, ...] = ()
    value: Any = None
    default: Any = None
    transforms: tuple[tuple[str, Any], ...] = ()
    fallback: FieldSpec | None = None

    def read(self, record: Mapping[str, Any], name: str) -> Any:
        """Extract and transform the value.

        Args:
            record: A source record.
            name: The canonical field name (for error messages).

        Returns:
            The value, ``default`` when the source is empty, or ``None``.

        Raises:
            FieldError: A transform rejected the value.
        """
        if self.value is not None:
            return self.value
        raw: Any = None
        for source in self.sources:
            raw = get_path(record, source)
            if not is_empty(raw):
                break
        value = raw
        if not is_empty(value):
            for transform, arg in self.transforms:
                try:
                    value = TRANSFORMS[transform](value, arg)
                except FieldError as exc:
                    raise FieldError(name, exc.message) from None
                except (TypeError, ValueError, KeyError, AttributeError) as exc:
                    raise FieldError(name, f"transform {transform!r} failed: {exc}") from None
        if is_empty(value) and self.fallback is not None:
            value = self.fallback.read(record, name)
        if is_empty(value):
            return self.default
        return value


@dataclass(frozen=True)
class VariantSpec:
    """How variant rows are grouped under their product."""

    mode: str
    fields: dict[str, FieldSpec]
    column: str = ""
    item_separator: str = "|"
    pair_separator: str = ","
    key: str = "sku"
    key_column: str = ""


@dataclass(frozen=True)
class MappingSpec:
    """A parsed mapping file."""

    name: str
    fields: dict[str, FieldSpec]
    format: str | None = None
    encoding: str = "utf-8"
    records: str | None = None
    skip_if_nonempty: tuple[str, ...] = ()
    variants: VariantSpec | None = None
    source: str = field(default="", compare=False)


def _parse_transforms(raw: Any, where: str) -> tuple[tuple[str, Any], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise CatalogError(f"{where}: 'transforms' must be a list")
    out: list[tuple[str, Any]] = []
    for item in raw:
        if isinstance(item, str):
            name, arg = item, None
        elif isinstance(item, Mapping) and len(item) == 1:
            name, arg = next(iter(item.items()))
        else:
            raise CatalogError(f"{where}: bad transform {item!r}")
        if name not in TRANSFORMS:
            raise CatalogError(f"{where}: unknown transform {name!r}")
        if name in _NEEDS_ARG and arg is None:
            raise CatalogError(f"{where}: transform {name!r} needs an argument")
        out.append((str(name), arg))
    return tuple(out)


def _parse_field(raw: Any, where: str) -> FieldSpec:
    if isinstance(raw, str):
        return FieldSpec(sources=(raw,))
    if not isinstance(raw, Mapping):
        raise CatalogError(f"{where}: a field spec is a source name or a mapping")
    unknown = set(raw) - {"from", "value", "default", "transforms", "fallback"}
    if unknown:
        raise CatalogError(f"{where}: unknown keys {sorted(unknown)}")
    sources = raw.get("from")
    if isinstance(sources, str):
        sources = [sources]
    if sources is None and raw.get("value") is None and raw.get("default") is None:
        raise CatalogError(f"{where}: needs 'from', 'value' or 'default'")
    fallback = raw.get("fallback")
    return FieldSpec(
        sources=tuple(str(s) for s in sources or ()),
        value=raw.get("value"),
        default=raw.get("default"),
        transforms=_parse_transforms(raw.get("transforms"), where),
        fallback=None if fallback is None else _parse_field(fallback, f"{where}.fallback"),
    )


def _parse_fields(raw: Any, where: str) -> dict[str, FieldSpec]:
    if not isinstance(raw, Mapping) or not raw:
        raise CatalogError(f"{where}: 'fields' must be a non-empty mapping")
    return {str(k): _parse_field(v, f"{where}.{k}") for k, v in raw.items()}


def parse_mapping(data: Mapping[str, Any], name: str = "<mapping>") -> MappingSpec:
    """Build a ``MappingSpec`` from parsed YAML.

    Args:
        data: The YAML document.
        name: Used in error messages.

    Returns:
        The mapping.

    Raises:
        CatalogError: The mapping is malformed.
    """
    fmt = data.get("format")
    if fmt is not None and fmt not in ("csv", "jsonl", "json"):
        raise CatalogError(f"{name}: format must be csv, jsonl or json")
    variants = None
    raw_variants = data.get("variants")
    if raw_variants is not None:
        mode = raw_variants.get("mode")
        if mode not in VARIANT_MODES:
            raise CatalogError(f"{name}: variants.mode must be one of {VARIANT_MODES}")
        if not raw_variants.get("column"):
            raise CatalogError(f"{name}: variants.column is required")
        variants = VariantSpec(
            mode=str(mode),
            fields=_parse_fields(raw_variants.get("fields"), f"{name}: variants.fields"),
            column=str(raw_variants["column"]),
            item_separator=str(raw_variants.get("item_separator", "|")),
            pair_separator=str(raw_variants.get("pair_separator", ",")),
            key=str(raw_variants.get("key", "sku")),
            key_column=str(raw_variants.get("key_column", "")),
        )
        if "sku" not in variants.fields:
            raise CatalogError(f"{name}: variants.fields needs 'sku'")
    return MappingSpec(
        name=name,
        fields=_parse_fields(data.get("fields"), f"{name}: fields"),
        format=fmt,
        encoding=str(data.get("encoding", "utf-8")),
        records=data.get("records"),
        skip_if_nonempty=tuple(data.get("skip_if_nonempty") or ()),
        variants=variants,
        source=name,
    )


def load_mapping(path: str | Path) -> MappingSpec:
    """Read a YAML mapping file.

    Args:
        path: The ``.yml`` file.

    Returns:
        The parsed mapping.

    Raises:
        CatalogError: The file is missing or malformed.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogError(f"cannot read mapping {path}: {exc}") from exc
    if not isinstance(data, Mapping):
        raise CatalogError(f"{path}: a mapping file is a YAML mapping")
    return parse_mapping(data, str(path))
