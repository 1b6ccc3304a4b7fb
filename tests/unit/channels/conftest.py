"""The channel tests run in the Rasa environment (``.venv/rasa``) only.

In the app environment (no rasa, sanic or socket.io server) nothing here is collected; the
rasa stage of ``scripts/run-tests`` runs them.
"""

from __future__ import annotations

import importlib.util

collect_ignore_glob = [] if importlib.util.find_spec("rasa") else ["test_*.py"]
