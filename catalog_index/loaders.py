"""Load a catalog file (CSV, JSONL or JSON) through a field mapping into products.

Every format goes through the same steps: read records (with their line numbers) ->
skip/group variant rows -> apply the mapping -> validate with ``Product.from_dict``.
All errors up to ``max_errors`` are collected and raised together as one ``CatalogError``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog_index.errors import CatalogError, FieldError, RowError
from catalog_index.mapping import MappingSpec, get_path, is_empty, load_mapping, parse_mapping
from catalog_index.schema import Product, ProductInvalid

__all__ = ["load_catalog", "read_records", "Record", "CANONICAL_MAPPING", "DEFAULT_MAX_ERRORS"]

DEFAULT_MAX_ERRORS = 50
_REPLACEMENT = "\ufffd"

#: The identity mapping for canonical JSONL (the same as catalog/mappings/canonical.yml).
CANONICAL_MAPPING = parse_mapping(
    {
        "format": "jsonl",
        "fields": {
            name: name
            for name in (
                "id title description brand category department gender material price "
                "currency rating review_count image_url url tags variants stock colours sizes"
            ).split()
        },
    },
    "canonical",
)


@dataclass(frozen=True)
class Record:
    """One source record and where it starts in the file."""

    line: int
    data: Mapping[str, Any]


class _Errors:
    """Collects row errors up to a cap."""

    def __init__(self, file: str, cap: int) -> None:
        self.file = file
        self.cap = cap
        self.items: list[RowError] = []
        self.truncated = False

    def add(self, line: int, field: str, message: str) -> None:
        if len(self.items) >= self.cap:
            self.truncated = True
            return
        self.items.append(RowError(self.file, line, field or "-", message))

    def full(self) -> bool:
        return self.truncated

    def raise_if_any(self) -> None:
        if self.items:
            raise CatalogError(self.items, truncated=self.truncated)


def _decode(raw: bytes, encoding: str, errors: _Errors) -> tuple[str, set[int]]:
    """Decode the file; report undecodable lines (by number) and decode them lossily."""
    try:
        return raw.decode(encoding), set()
    except UnicodeDecodeError:
        pass
    bad: set[int] = set()
    for number, line in enumerate(raw.splitlines(keepends=True), start=1):
        try:
            line.decode(encoding)
        except UnicodeDecodeError as exc:
            bad.add(number)
            errors.add(
                number, "-", f"bad encoding (not {encoding}): {exc.reason} at byte {exc.start}"
            )
    return raw.decode(encoding, errors="replace"), bad


def _csv_records(text: str, errors: _Errors) -> Iterator[Record]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return
    previous = reader.line_num
    for values in reader:
        start, previous = previous + 1, reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(header):
            errors.add(start, "-", f"{len(values)} columns, header has {len(header)}")
            continue
        yield Record(start, dict(zip(header, values, strict=False)))


def _jsonl_records(text: str, errors: _Errors) -> Iterator[Record]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.add(number, "-", f"invalid JSON: {exc.msg}")
            continue
        if not isinstance(data, dict):
            errors.add(number, "-", "expected a JSON object")
            continue
        yield Record(number, data)


def _json_records(text: str, spec: MappingSpec, errors: _Errors) -> Iterator[Record]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        errors.add(exc.lineno, "-", f"invalid JSON: {exc.msg}")
        return
    if isinstance(data, dict):
        key = spec.records or "products"
        data = get_path(data, key)
        if not isinstance(data, list):
            errors.add(1, "-", f"no array of records under {key!r}")
            return
    if not isinstance(data, list):
        errors.add(1, "-", "expected an array of records")
        return
    for number, item in enumerate(data, start=1):
        if isinstance(item, dict):
            yield Record(number, item)
        else:
            errors.add(number, "-", "expected a JSON object")


def _format_of(path: Path, spec: MappingSpec) -> str:
    if spec.format:
        return spec.format
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix == ".json":
        return "json"
    return "jsonl"


def read_records(path: Path, spec: MappingSpec, errors: _Errors) -> list[Record]:
    """Read the raw records of a catalog file.

    Args:
        path: The catalog file.
        spec: The mapping (format, encoding, records key).
        errors: Where decoding/parsing problems go.

    Returns:
        The records with their starting line numbers (record numbers for JSON arrays).
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read catalog {path}: {exc.strerror or exc}") from exc
    text, bad_lines = _decode(raw, spec.encoding, errors)
    fmt = _format_of(path, spec)
    if fmt == "csv":
        records = list(_csv_records(text, errors))
    elif fmt == "json":
        records = list(_json_records(text, spec, errors))
    else:
        records = list(_jsonl_records(text, errors))
    if bad_lines:
        # Name the field that holds the undecodable bytes where we can.
        for record in records:
            for key, value in record.data.items():
                if isinstance(value, str) and _REPLACEMENT in value:
                    errors.add(record.line, key, f"bad encoding (not {spec.encoding})")
    return records


def _apply(
    spec_fields: Mapping[str, Any], record: Record
) -> tuple[dict[str, Any], list[FieldError]]:
    out: dict[str, Any] = {}
    problems: list[FieldError] = []
    for name, field_spec in spec_fields.items():
        try:
            value = field_spec.read(record.data, name)
        except FieldError as exc:
            problems.append(exc)
            continue
        if value is not None:
            out[name] = value
    return out, problems


def _parse_children(value: Any, spec_key: str, item_sep: str, pair_sep: str) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return []
    keys: list[str] = []
    for item in value.split(item_sep):
        for pair in item.split(pair_sep):
            name, found, key = pair.partition("=")
            if found and name.strip() == spec_key and key.strip():
                keys.append(key.strip())
    return keys


def _group(
    records: list[Record], spec: MappingSpec, errors: _Errors
) -> list[tuple[Record, list[Record]]]:
    """Split records into (product record, its variant records)."""
    variants = spec.variants
    if variants is None:
        return [(record, []) for record in records]
    if variants.mode == "group_by":
        groups: dict[str, tuple[Record, list[Record]]] = {}
        for record in records:
            key = get_path(record.data, variants.column)
            if is_empty(key):
                errors.add(record.line, variants.column, "group column is empty")
                continue
            groups.setdefault(str(key), (record, []))[1].append(record)
        return list(groups.values())
    id_spec = spec.fields["id"]
    if variants.mode == "parent_column":
        parents: dict[str, tuple[Record, list[Record]]] = {}
        children: list[Record] = []
        for record in records:
            if is_empty(get_path(record.data, variants.column)):
                parents[str(id_spec.read(record.data, "id"))] = (record, [])
            else:
                children.append(record)
        for child in children:
            parent_id = str(get_path(child.data, variants.column)).strip()
            if parent_id not in parents:
                errors.add(child.line, variants.column, f"unknown parent {parent_id!r}")
                continue
            parents[parent_id][1].append(child)
        return list(parents.values())
    # children_list: parent rows list their children's keys.
    key_column = variants.key_column or variants.key
    by_key = {str(get_path(r.data, key_column)): r for r in records}
    child_keys: set[str] = set()
    listed: dict[int, list[str]] = {}
    for index, record in enumerate(records):
        keys = _parse_children(
            get_path(record.data, variants.column),
            variants.key,
            variants.item_separator,
            variants.pair_separator,
        )
        if keys:
            listed[index] = keys
            child_keys.update(keys)
    grouped: list[tuple[Record, list[Record]]] = []
    for index, record in enumerate(records):
        if str(get_path(record.data, key_column)) in child_keys and index not in listed:
            continue
        kids: list[Record] = []
        for key in listed.get(index, []):
            if key not in by_key:
                errors.add(record.line, variants.column, f"variant {key!r} has no row")
            else:
                kids.append(by_key[key])
        grouped.append((record, kids))
    return grouped


def load_catalog(
    path: str | Path,
    mapping: str | Path | MappingSpec | None = None,
    *,
    max_errors: int = DEFAULT_MAX_ERRORS,
) -> list[Product]:
    """Load and validate a whole catalog file.

    Args:
        path: CSV, JSONL or JSON file.
        mapping: A mapping file or spec; ``None`` means canonical JSONL.
        max_errors: Stop collecting errors after this many.

    Returns:
        The products in file order.

    Raises:
        CatalogError: Any row is malformed (all errors up to the cap, each naming the
            file, the line and the field), or the file/mapping cannot be read.
    """
    path = Path(path)
    if mapping is None:
        spec = CANONICAL_MAPPING
    elif isinstance(mapping, MappingSpec):
        spec = mapping
    else:
        spec = load_mapping(mapping)
    errors = _Errors(str(path), max_errors)
    records = read_records(path, spec, errors)
    if spec.skip_if_nonempty:
        records = [
            r for r in records if all(is_empty(get_path(r.data, c)) for c in spec.skip_if_nonempty)
        ]
    products: list[Product] = []
    seen: dict[str, int] = {}
    for record, children in _group(records, spec, errors):
        if errors.full():
            break
        data, problems = _apply(spec.fields, record)
        if spec.variants is not None and children:
            variant_rows: list[dict[str, Any]] = []
            for child in children:
                variant, child_problems = _apply(spec.variants.fields, child)
                for problem in child_problems:
                    errors.add(child.line, f"variants.{problem.field}", problem.message)
                variant_rows.append(variant)
            data["variants"] = variant_rows
        for problem in problems:
            errors.add(record.line, problem.field, problem.message)
        if problems:
            continue
        try:
            product = Product.from_dict(data)
        except ProductInvalid as exc:
            for problem in exc.errors:
                errors.add(record.line, problem.field, problem.message)
            continue
        if product.id in seen:
            errors.add(
                record.line, "id", f"duplicate id {product.id!r} (first on line {seen[product.id]})"
            )
            continue
        seen[product.id] = record.line
        products.append(product)
    errors.raise_if_any()
    if not products:
        raise CatalogError(f"{path}: no products found")
    return products
