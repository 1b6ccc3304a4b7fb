"""External ids (Rasa sender ids, customer ids): what is accepted, how Rasa URLs carry them.

Sender ids are chosen by the channel, and by the client on Rasa's REST channel: any printable
text. Rasa 3.6's HTTP API (Sanic 21.12) matches ``/conversations/<conversation_id:path>/...``
on the raw request path and does not decode ``%``-escapes, so an id reaches the right tracker
only when it travels unescaped. That is possible for ids made of the characters a path
segment may hold as they are (RFC 3986 ``pchar`` without ``%``), except ``.`` and ``..``
(httpx removes dot segments). Every other id is percent-encoded as one path segment (no
``/``, ``?``, ``#`` or dot segment can change the URL), and :class:`console.rasa.RasaClient`
checks that Rasa echoes the id back before it writes to that tracker.
"""

from __future__ import annotations

import string
import unicodedata
from typing import Annotated
from urllib.parse import quote

from pydantic import AfterValidator, StringConstraints

__all__ = [
    "ConversationId",
    "ExternalPathId",
    "printable",
    "travels_raw",
    "rasa_segment",
    "MAX_CONVERSATION_ID",
]

MAX_CONVERSATION_ID = 128
# RFC 3986 pchar without pct-encoded: unreserved, sub-delims, ":" and "@".
RAW_SAFE = frozenset(string.ascii_letters + string.digits + "-._~" + "!$&'()*+,;=" + ":@")
# Unicode categories refused in ids: controls, format characters (bidi overrides, zero
# widths), surrogates, private use, unassigned, line and paragraph separators.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def printable(value: str) -> str:
    """Refuse ids with control or invisible formatting characters (a pydantic validator).

    Args:
        value: The id.

    Returns:
        The id, unchanged.

    Raises:
        ValueError: The id holds a character that is not printable.
    """
    if any(unicodedata.category(ch) in REFUSED_CATEGORIES for ch in value):
        raise ValueError("must not contain control characters")
    return value


#: A Rasa sender id: 1-128 printable characters (spaces, ``/``, unicode... allowed).
ConversationId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_CONVERSATION_ID),
    AfterValidator(printable),
]

#: An id taken from a URL path (already decoded): 1-200 printable characters.
ExternalPathId = Annotated[
    str, StringConstraints(min_length=1, max_length=200), AfterValidator(printable)
]


def travels_raw(conversation_id: str) -> bool:
    """Whether the id can go unescaped in a URL path (so any Rasa version reads it exactly).

    Args:
        conversation_id: Rasa's sender id.

    Returns:
        True when every character is path-safe and the id is not a dot segment.
    """
    return (
        bool(conversation_id)
        and conversation_id not in {".", ".."}
        and all(ch in RAW_SAFE for ch in conversation_id)
    )


def rasa_segment(conversation_id: str) -> str:
    """The id as one path segment of Rasa's ``/conversations/{id}/...`` URLs.

    Args:
        conversation_id: Rasa's sender id.

    Returns:
        The id itself when it travels raw, else its percent-encoding (UTF-8; dots too, so
        no dot segment remains for httpx to remove).
    """
    if travels_raw(conversation_id):
        return conversation_id
    return quote(conversation_id, safe="").replace(".", "%2E")
