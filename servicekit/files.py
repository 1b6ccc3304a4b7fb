"""Which file a static-file request names: directly in one folder, of an allowed type.

Both the console (its scripts, the widget, product images) and the demo shop (its stylesheet,
product images) serve plain files by name; :func:`file_in` is their one rule: a plain name (no
slashes, no leading dot), a suffix the folder serves, and a regular file directly inside the
folder (a link that resolves elsewhere does not count). No directory listings.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

__all__ = ["FILE_NAME", "file_in"]

#: A servable file name: letters, digits, ``.``, ``_``, ``-``; no leading dot; at most 101.
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,100}")


def file_in(folder: Path, name: str, suffixes: Collection[str]) -> Path | None:
    """The file ``name`` directly inside ``folder``, when it may be served.

    Args:
        folder: The folder served.
        name: The requested file name.
        suffixes: The (lower-case) suffixes served from this folder.

    Returns:
        The resolved path, or ``None`` for anything else (a folder, another type, a path or a
        link out of the folder, a missing file).
    """
    if not FILE_NAME.fullmatch(name) or Path(name).suffix.lower() not in suffixes:
        return None
    root = folder.resolve()
    path = (root / name).resolve()
    if path.parent != root or not path.is_file():
        return None
    return path
