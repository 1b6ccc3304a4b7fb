"""Rasa validates with ``jsonschema.validate``, which checks the schema itself on every call.

Rasa 3.6 validates every action-server response (``action_validate_slot_mappings`` runs after
every message) and every event list appended through the HTTP API (each agent reply of the
handoff console) with ``jsonschema.validate(instance, schema)``. That function first runs
``check_schema`` on the schema (a meta-schema validation of the whole schema) and builds a new
validator, every time: profiling rasa during ``bench/handoff`` put about 40% of its CPU in
jsonschema. :func:`install` replaces ``jsonschema.validate`` in the rasa process with a version
that checks and compiles each distinct schema once and then validates exactly as before (the
same ``best_match`` error is raised for invalid input).

Installed once when rasa builds the socket.io channel (``assistant/channels/socketio.py``).
"""

from __future__ import annotations

import json
import threading
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for

__all__ = ["cached_validate", "install"]

_ORIGINAL = jsonschema.validate
_LOCK = threading.Lock()
_COMPILED: dict[str, Any] = {}
#: Distinct schemas kept; rasa uses a handful. Beyond this, validation falls back.
_MAX_SCHEMAS = 64


def _key(schema: Any, cls: Any) -> str | None:
    try:
        return f"{getattr(cls, '__name__', '')}:{json.dumps(schema, sort_keys=True)}"
    except (TypeError, ValueError):
        return None


def cached_validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """``jsonschema.validate`` with each schema checked and compiled once.

    Args:
        instance: What to validate.
        schema: The JSON schema.
        cls: A validator class (as ``jsonschema.validate``).
        *args: Passed to the validator class.
        **kwargs: Passed to the validator class.

    Raises:
        jsonschema.exceptions.ValidationError: The instance is invalid (the best match).
        jsonschema.exceptions.SchemaError: The schema is invalid.
    """
    key = _key(schema, cls) if not args and not kwargs else None
    if key is None:
        _ORIGINAL(instance, schema, cls, *args, **kwargs)
        return
    validator = _COMPILED.get(key)
    if validator is None:
        validator_class = cls or validator_for(schema)
        validator_class.check_schema(schema)
        validator = validator_class(schema)
        with _LOCK:
            if len(_COMPILED) < _MAX_SCHEMAS:
                _COMPILED[key] = validator
    error = best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


def install() -> None:
    """Make ``jsonschema.validate`` the cached version in this process (idempotent)."""
    jsonschema.validate = cached_validate
