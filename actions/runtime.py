"""The per-process objects the actions share: catalog search, orders client, clock.

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
from typing import Protocol

from rasa_sdk import Tracker

from actions.catalog import Catalog
from actions.clients.orders import FixtureOrdersClient, OrdersClient
from actions.constraints import SearchConstraints
from actions.conversation_state import conversation_language
from actions.phrases import LanguagePhrases, Phrases
from actions.settings import ActionSettings, get_settings
from catalog_index.schema import Product

__all__ = [
    "Personaliser",
    "NoPersonalisation",
    "Runtime",
    "get_runtime",
    "set_runtime",
    "reset_runtime",
    "default_catalog",
]

logger = logging.getLogger(__name__)


class Personaliser(Protocol):
    """Re-ranks products for one shopper (the seam for profile-based personalisation)."""

    def rerank(self, products: list[Product], tracker: Tracker) -> list[Product]:
        """Return the products in the order this shopper should see them.

        Args:
            products: Candidates, already ranked without personal data.
            tracker: The conversation (the verified customer id is in its metadata).

        Returns:
            The re-ranked products (a permutation or a subset of ``products``).
        """
        ...


class NoPersonalisation:
    """The default: everyone sees the same ranking."""

    def rerank(self, products: list[Product], tracker: Tracker) -> list[Product]:
        """Return ``products`` unchanged.

        Args:
            products: Candidates.
            tracker: Unused.

        Returns:
            The same products.
        """
        return products


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


def _fixture_clock(client: FixtureOrdersClient) -> Callable[[], dt.date]:
    """The fixture's reference date as the business date."""

    def today() -> dt.date:
        return client.today

    return today


class Runtime:
    """Holds the shared objects; the catalog is built on first use (or by ``warm_up``)."""

    def __init__(
        self,
        settings: ActionSettings,
        *,
        catalog: Catalog | Callable[[], Catalog] = default_catalog,
        orders: OrdersClient | None = None,
        today: Callable[[], dt.date] | None = None,
        personaliser: Personaliser | None = None,
        phrases: Phrases | None = None,
    ) -> None:
        """Create the runtime.

        Args:
            settings: The action settings.
            catalog: A loaded catalog or a factory called once on first use.
            orders: The orders client (default: the fixture client on ``ORDERS_FIXTURE``).
            today: The business date for order rules (default: the fixture's reference
                date with the fixture client, else the system date).
            personaliser: Re-ranking of recommendations (default: none).
            phrases: Per-language fragments (default: ``assistant/fragments.yml``).
        """
        self.settings = settings
        self._catalog: Catalog | None = catalog if isinstance(catalog, Catalog) else None
        self._catalog_factory = None if isinstance(catalog, Catalog) else catalog
        self._lock = threading.Lock()
        if orders is None:
            orders = FixtureOrdersClient.from_file(settings.orders_fixture)
        self.orders: OrdersClient = orders
        if today is None:
            today = _fixture_clock(orders) if isinstance(orders, FixtureOrdersClient) else None
        self.today: Callable[[], dt.date] = today or dt.date.today
        self.personaliser: Personaliser = personaliser or NoPersonalisation()
        self.phrases: Phrases = phrases or Phrases.from_files()

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
