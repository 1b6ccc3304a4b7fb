"""``python -m catalog_index``: see ``catalog_index.cli``."""

from __future__ import annotations

import sys

from catalog_index.cli import main

if __name__ == "__main__":
    sys.exit(main())
