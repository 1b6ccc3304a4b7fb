"""Anonymous insights for recommendations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from contracts.profiles import BasketPage
from profiles.routes.deps import StoreDep

__all__ = ["router"]

router = APIRouter(prefix="/v1/insights", tags=["insights"])


@router.get("/purchases")
def purchases(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> BasketPage:
    """Every customer's baskets, without who bought them (for co-purchase)."""
    return store.baskets(limit, offset)
