"""Shared dependencies and path parameter types of the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from profiles.schemas import ID_PATTERN
from profiles.store import Store

__all__ = ["get_store", "StoreDep", "CustomerId", "OrderId", "ExternalId"]


def get_store(request: Request) -> Store:
    """The app's store.

    Args:
        request: The request.

    Returns:
        The store created by :func:`profiles.app.create_app`.
    """
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]
CustomerId = Annotated[str, Path(pattern=ID_PATTERN, examples=["CUS-1001"])]
OrderId = Annotated[str, Path(pattern=ID_PATTERN, examples=["ORD-100234"])]
ExternalId = Annotated[
    str, Path(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$", examples=["100200300"])
]
