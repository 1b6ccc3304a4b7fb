"""``python -m profiles``: see :mod:`profiles.cli`."""

from __future__ import annotations

import sys

from profiles.cli import main

if __name__ == "__main__":
    sys.exit(main())
