#!/usr/bin/env python3
"""Prints (or checks) a fingerprint of the files a build step depends on.

    fingerprint.py STAMP PATH...           exit 0 when STAMP holds the current fingerprint
    fingerprint.py --write STAMP PATH...   store the current fingerprint in STAMP

A PATH may be a file or a folder (all files below it, in sorted order). `make` uses this so that
the Rasa model is trained only when its config, domain, data or components change.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path


def fingerprint(paths: list[str]) -> str:
    """Returns a sha256 over the names and contents of every file under paths."""
    digest = hashlib.sha256()
    for raw in sorted(paths):
        path = Path(raw)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts or not file.exists():
                continue
            digest.update(str(file).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def main(argv: list[str]) -> int:
    """Checks or writes a stamp file."""
    write = argv[:1] == ["--write"]
    if write:
        argv = argv[1:]
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    stamp, paths = Path(argv[0]), argv[1:]
    current = fingerprint(paths)
    if write:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current + "\n", encoding="utf-8")
        return 0
    return 0 if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == current else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
