"""The per-process objects the actions share: catalog search, profile client, clock.

Nothing is created at import time. ``python -m actions`` builds the runtime (and loads
the search index) once per worker before the server accepts requests; under
``python -m rasa_sdk --actions actions`` the first action that needs the catalog builds
it. Tests install their own runtime with :func:`set_runtime`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from rasa_sdk import Tracker

from actions.catalog import Catalog
from actions.clients.console import ConsoleClient
from actions.clients.orders import OrdersClient
from actions.clients.profiles import ProfileClient
from actions.constraints import SearchConstraints
from actions.conversation_state import conversation_language
from actions.handoff_queue import HandoffRetrier, PendingHandoffs
from actions.identity import IdentityResolver
from actions.personalise import PersonalStore
from actions.phrases import LanguagePhrases, Phrases
from actions.settings import ActionSettings, get_settings
from escalation import DEFAULT_CONFIG_PATH, EscalationConfig, load_config

__all__ = [
    "Runtime",
    "get_runtime",
    "set_runtime",
    "reset_runtime",
    "default_catalog",
]

logger = logging.getLogger(__name__)


def default_catalog() -> Catalog:
    """Load the configured catalog index (and the embedding model).

    Returns:
        The catalog.

    Raises:
        FileNotFoundError: No index has been built (``python -m catalog_index build``).
    """
    from catalog_index.search import CatalogSearch
    from catalog_index.settings import get_settings as index_settings

    return Catalog(CatalogSearch.from_settings(index_settings()))


class Runtime:
    """Holds the shared objects; the catalog is built on first use (or by ``warm_up``)."""

    def __init__(
        self,
        settings: ActionSettings,
        *,
        catalog: Catalog | Callable[[], Catalog] = default_catalog,
        profiles: ProfileClient | None = None,
        today: Callable[[], dt.date] | None = None,
        phrases: Phrases | None = None,
        console: ConsoleClient | None = None,
        escalation: EscalationConfig | None = None,
    ) -> None:
        """Create the runtime.

        Args:
            settings: The action settings.
            catalog: A loaded catalog or a factory called once on first use.
            profiles: The profile service's client (default: one on ``PROFILES_URL``);
                it also answers the order requests.
            today: The business date for order rules and purchase recency (default:
                ``settings.business_date``, else the system date).
            phrases: Per-language fragments (default: ``assistant/fragments.yml``).
            console: The handoff console's client (default: one on ``CONSOLE_URL``).
            escalation: The escalation rules (default: read from
                ``settings.escalation_config`` or ``assistant/escalation.yml``).
        """
        self.settings = settings
        self._catalog: Catalog | None = catalog if isinstance(catalog, Catalog) else None
        self._catalog_factory = None if isinstance(catalog, Catalog) else catalog
        self._lock = threading.Lock()
        if profiles is None:
            profiles = ProfileClient(settings.profiles_url, settings.profiles_token)
        self.profiles = profiles
        self.orders: OrdersClient = profiles
        if today is None:
            fixed = settings.business_date
            today = (lambda: fixed) if fixed is not None else dt.date.today
        self.today: Callable[[], dt.date] = today
        self.identity = IdentityResolver(profiles)
        self.personal = PersonalStore(profiles, today=self.today)
        self.phrases: Phrases = phrases or Phrases.from_files()
        if console is None:
            console = ConsoleClient(settings.console_url, settings.console_token)
        self.console = console
        self.pending_handoffs = PendingHandoffs(settings.handoff_queue)
        self.handoff_retrier = HandoffRetrier(
            self.pending_handoffs, console, settings.handoff_retry_interval
        )
        self.escalation: EscalationConfig = escalation or load_config(
            settings.escalation_config or DEFAULT_CONFIG_PATH
        )

    def phrases_for(self, tracker: Tracker) -> LanguagePhrases:
        """The fragments of the conversation's language.

        Args:
            tracker: The conversation tracker.

        Returns:
            The fragments.
        """
        return self.phrases.for_language(conversation_language(tracker))

    @property
    def catalog(self) -> Catalog:
        """The catalog, built once per process."""
        if self._catalog is None:
            with self._lock:
                if self._catalog is None:
                    assert self._catalog_factory is not None
                    logger.info("loading the catalog search index")
                    self._catalog = self._catalog_factory()
        return self._catalog

    def warm_up(self) -> None:
        """Load the catalog and its vocabulary and run one query, so no request pays for it."""
        catalog = self.catalog
        _ = catalog.vocabulary
        catalog.find("warm up", SearchConstraints(), limit=1)


_runtime: Runtime | None = None
_runtime_lock = threading.Lock()


def get_runtime() -> Runtime:
    """The process-wide runtime, created from the settings on first use.

    Returns:
        The runtime.
    """
    global _runtime
    if _runtime is None:
        with _runtime_lock:
            if _runtime is None:
                _runtime = Runtime(get_settings())
    return _runtime


def set_runtime(runtime: Runtime) -> None:
    """Install a runtime (server start, tests).

    Args:
        runtime: The runtime every action will use.
    """
    global _runtime
    _runtime = runtime


def reset_runtime() -> None:
    """Forget the installed runtime (the next ``get_runtime`` builds a new one)."""
    global _runtime
    _runtime = None
