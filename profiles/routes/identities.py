"""Channel identities: messaging-app users linked to customers."""

from __future__ import annotations

from fastapi import APIRouter, Response

from contracts.profiles import ChannelLink
from profiles.routes.deps import ExternalId, StoreDep
from profiles.schemas import Channel, ChannelLinkIn

__all__ = ["router"]

router = APIRouter(prefix="/v1/channel-identities", tags=["channel identities"])


@router.get("/{channel}/{external_id}")
def get_link(channel: Channel, external_id: ExternalId, store: StoreDep) -> ChannelLink:
    """The customer a channel user is linked to."""
    return store.get_link(channel, external_id)


@router.put("/{channel}/{external_id}")
def put_link(
    channel: Channel, external_id: ExternalId, body: ChannelLinkIn, store: StoreDep
) -> ChannelLink:
    """Link a channel user to a customer."""
    return store.put_link(channel, external_id, body.customer_id)


@router.delete("/{channel}/{external_id}", status_code=204, response_class=Response)
def delete_link(channel: Channel, external_id: ExternalId, store: StoreDep) -> Response:
    """Remove a link."""
    store.delete_link(channel, external_id)
    return Response(status_code=204)
