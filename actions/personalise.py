"""The actions' side of personalisation: fetch the consented profile, rank, explain.

The ranking itself is the ``personalisation`` library; this module only gets what it
needs from the profile service (through the runtime's one ``ProfileClient``) and renders
the reasons in the shopper's language.

- The profile is read on every turn that shows products, so an opt-out (or a new consent)
  counts from the very next message; only the order history is cached for a minute, and
  it is prefetched in the background when a message arrives (``prefetch``), so a search
  rarely waits for it.
- When the profile service is slow or down the shopper gets the non-personal ranking and
  no error text (the client's circuit breaker keeps that fast).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from actions.catalog import Catalog
from actions.clients.profiles import ProfileClient, ProfilesUnavailable
from actions.phrases import LanguagePhrases
from catalog_index.schema import Product
from contracts.profiles import Customer, Order
from personalisation.ranking import Candidate, Ranked, personalise
from personalisation.reasons import Reason
from personalisation.recommend import CoPurchase, recommend
from personalisation.signals import CustomerSignals, has_consent
from personalisation.similarity import ContentSimilarity

__all__ = ["PersonalContext", "PersonalStore", "render_reason", "personal_ranking"]

logger = logging.getLogger(__name__)

#: Search candidates fetched per shown page when the ranking is personal.
CANDIDATES_PER_PAGE = 6
#: Orders read per customer for the signals.
ORDER_HISTORY = 50


@dataclass
class PersonalContext:
    """What the assistant may use about the shopper this turn."""

    customer_id: str
    customer: Customer
    signals: CustomerSignals = field(default_factory=CustomerSignals)
    similarity: ContentSimilarity = field(default_factory=ContentSimilarity)

    @property
    def personalised(self) -> bool:
        """Whether results are personalised (consent given and something known)."""
        return not self.signals.is_empty


class PersonalStore:
    """Reads profiles and order histories for personalisation, with a short order cache."""

    def __init__(
        self,
        profiles: ProfileClient,
        *,
        today: Callable[[], date],
        orders_ttl: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Create the store.

        Args:
            profiles: The profile service's client.
            today: The business date (purchase recency).
            orders_ttl: Seconds an order history is reused.
            clock: Monotonic seconds.
        """
        self._profiles = profiles
        self._today = today
        self._orders_ttl = orders_ttl
        self._clock = clock
        self._orders: dict[str, tuple[float, list[Order]]] = {}
        self._copurchase: tuple[int, CoPurchase] | None = None
        self._similarity: ContentSimilarity | None = None
        self._prefetching: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def context(self, customer_id: str | None, catalog: Catalog) -> PersonalContext | None:
        """The shopper's consented context, or ``None`` (anonymous, unknown, or unreachable).

        Args:
            customer_id: The verified customer id.
            catalog: The catalog (products of past purchases).

        Returns:
            The context; its signals are empty without consent.
        """
        if customer_id is None:
            return None
        try:
            customer = await self._profiles.get_customer(customer_id)
            if customer is None:
                return None
            if not has_consent(customer):
                return PersonalContext(customer_id, customer)
            orders = await self._history(customer_id)
        except ProfilesUnavailable as exc:
            logger.warning("profile service unavailable, not personalising (%s)", exc)
            return None
        bought = {item["product_id"] for order in orders for item in order["items"]}
        products = {p.id: p for p in catalog.products(sorted(bought))}
        signals = CustomerSignals.from_profile(
            dict(customer), [dict(o) for o in orders], self._today(), catalog=products
        )
        return PersonalContext(customer_id, customer, signals, self.similarity(catalog))

    def similarity(self, catalog: Catalog) -> ContentSimilarity:
        """Product similarity from the index's stored vectors (read once per process).

        Args:
            catalog: The catalog.

        Returns:
            Cosine similarity of product vectors (attributes for products without one).
        """
        if self._similarity is None:
            ids = [p.id for p in catalog.all_products()]
            self._similarity = ContentSimilarity(dict(catalog.embeddings(ids)))
        return self._similarity

    def prefetch(self, customer_id: str | None) -> None:
        """Read a consenting customer's order history in the background (no-op if cached).

        Args:
            customer_id: The verified customer, or ``None``.
        """
        if customer_id is None or customer_id in self._prefetching:
            return
        cached = self._orders.get(customer_id)
        if cached is not None and self._clock() - cached[0] < self._orders_ttl / 2:
            return
        self._prefetching.add(customer_id)
        task = asyncio.create_task(self._prefetch(customer_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _prefetch(self, customer_id: str) -> None:
        try:
            customer = await self._profiles.get_customer(customer_id)
            if customer is not None and has_consent(customer):
                await self._history(customer_id, fresh=True)
        except ProfilesUnavailable:
            pass  # the turn itself degrades; nothing to do here
        finally:
            self._prefetching.discard(customer_id)

    async def settle(self) -> None:
        """Wait for background prefetches (tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _history(self, customer_id: str, *, fresh: bool = False) -> list[Order]:
        now = self._clock()
        cached = self._orders.get(customer_id)
        if not fresh and cached is not None and now - cached[0] < self._orders_ttl:
            return cached[1]
        orders = await self._profiles.list_orders(customer_id, limit=ORDER_HISTORY)
        self._orders[customer_id] = (now, orders)
        return orders

    async def copurchase(self) -> CoPurchase:
        """Co-purchase counts over every customer's baskets (rebuilt when they change).

        Returns:
            The counts (empty when the service cannot answer).
        """
        try:
            baskets = await self._profiles.baskets()
        except ProfilesUnavailable:
            return CoPurchase.from_baskets([])
        if self._copurchase is None or self._copurchase[0] != id(baskets):
            built = CoPurchase.from_baskets(b["product_ids"] for b in baskets)
            self._copurchase = (id(baskets), built)
        return self._copurchase[1]

    def cached_customers(self) -> set[str]:
        """Customers whose order history is cached now."""
        return set(self._orders)

    def forget(self, customer_id: str) -> None:
        """Drop what is cached about a customer (after opt-out or erasure).

        Args:
            customer_id: The customer.
        """
        self._orders.pop(customer_id, None)


def render_reason(reason: Reason, phrases: LanguagePhrases) -> str:
    """A reason in the shopper's language ("in your usual size M").

    Args:
        reason: The reason code and parameters.
        phrases: The fragments of the shopper's language.

    Returns:
        The text (the code itself when the language has no template).
    """
    template = phrases.reasons.get(reason.code)
    if template is None:
        return reason.code.replace("_", " ")
    values: dict[str, Any] = dict(reason.params)
    for kind in ("category", "brand"):
        if kind in values:
            values[kind] = phrases.show(kind, str(values[kind]))
    return template.format(**values)


def _reasons(ranked: Sequence[Ranked], phrases: LanguagePhrases) -> list[str | None]:
    return [render_reason(r.reasons[0], phrases) if r.reasons else None for r in ranked]


def personal_ranking(
    context: PersonalContext | None,
    pool: Sequence[Product],
    limit: int,
    phrases: LanguagePhrases,
    *,
    hard_filter: Callable[[Product], bool] | None = None,
) -> tuple[list[Product], list[str | None]]:
    """Re-rank search results for the shopper, with a reason for each personal result.

    Args:
        context: The shopper's context (``None``: anonymous or unreachable).
        pool: Search results that passed the hard filters, best first.
        limit: How many to show.
        phrases: The fragments of the shopper's language.
        hard_filter: The search's hard filter (a boost never re-admits a product).

    Returns:
        The products to show and their reasons (``None`` entries when not personalised).
    """
    if context is None or not context.personalised:
        return list(pool[:limit]), []
    size = max(len(pool), 1)
    candidates = [Candidate(p, 1.0 - i / size) for i, p in enumerate(pool)]
    ranked = personalise(
        candidates,
        context.signals,
        limit=limit,
        hard_filter=hard_filter,
        similarity=context.similarity,
    )
    return [r.product for r in ranked], _reasons(ranked, phrases)


def personal_recommendations(
    context: PersonalContext,
    catalog_products: Sequence[Product],
    copurchase: CoPurchase,
    limit: int,
    phrases: LanguagePhrases,
    *,
    hard_filter: Callable[[Product], bool] | None = None,
) -> tuple[list[Product], list[str | None]]:
    """Recommendations from the profile and history ("recommend me something").

    Args:
        context: The shopper's context (personalised).
        catalog_products: The catalog's products.
        copurchase: Co-purchase counts of all customers.
        limit: How many.
        phrases: The fragments of the shopper's language.
        hard_filter: Constraints the shopper gave (always win).

    Returns:
        The products and their reasons.
    """
    ranked = recommend(
        context.signals,
        catalog_products,
        copurchase=copurchase,
        content=context.similarity,
        limit=limit,
        hard_filter=hard_filter,
    )
    return [r.product for r in ranked], _reasons(ranked, phrases)
