"""Request and answer bodies (unknown fields refused, strings bounded)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from console.ids import ConversationId, printable

__all__ = [
    "Language",
    "Reason",
    "SentimentPoint",
    "Summary",
    "CaseIn",
    "CaseOut",
    "TicketIn",
    "TicketOut",
    "TicketHandleIn",
    "Availability",
    "ErasureOut",
    "ReplyIn",
    "ActionIn",
    "ResolveIn",
    "AgentIn",
    "ProductCard",
    "CardIn",
    "PasswordIn",
]

Language = Literal["en", "es", "de", "fr"]
Reason = Literal[
    "request_human", "negative_sentiment", "strong_complaint", "repeated_fallback", "vip_complaint"
]
CustomerId = Annotated[
    str, StringConstraints(min_length=1, max_length=40), AfterValidator(printable)
]
Short = Annotated[str, StringConstraints(max_length=200)]
Text = Annotated[str, StringConstraints(max_length=4000)]
IdemKey = Annotated[str, StringConstraints(min_length=8, max_length=100, pattern=r"^[\w\-]+$")]


class Strict(BaseModel):
    """Refuses unknown fields."""

    model_config = ConfigDict(extra="forbid")


class SentimentPoint(Strict):
    """One shopper message's sentiment."""

    label: Annotated[str, StringConstraints(max_length=20)]
    score: float = Field(ge=-1.0, le=1.0)
    intent: Annotated[str, StringConstraints(max_length=80)] | None = None


class Line(Strict):
    """One message of the conversation's tail."""

    from_: Literal["shopper", "bot", "agent"] = Field(alias="from")
    text: Text

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Summary(Strict):
    """A short summary of the conversation so far."""

    intents: list[Annotated[str, StringConstraints(max_length=80)]] = Field(
        default_factory=list, max_length=50
    )
    constraints: dict[Annotated[str, StringConstraints(max_length=40)], Short] = Field(
        default_factory=dict, max_length=30
    )
    products_shown: list[Annotated[str, StringConstraints(max_length=40)]] = Field(
        default_factory=list, max_length=50
    )
    order_ids: list[Annotated[str, StringConstraints(max_length=40)]] = Field(
        default_factory=list, max_length=20
    )
    last_messages: list[Line] = Field(default_factory=list, max_length=20)


class CaseIn(Strict):
    """``POST /api/v1/cases``."""

    conversation_id: ConversationId
    channel: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    language: Language
    reason: Reason
    reason_detail: Annotated[str, StringConstraints(max_length=500)] = ""
    customer_id: CustomerId | None = None
    profile: dict[str, Any] | None = None
    sentiment_trail: list[SentimentPoint] = Field(default_factory=list, max_length=50)
    summary: Summary = Field(default_factory=Summary)
    priority_hint: Literal["vip", "normal"] = "normal"


class CaseOut(BaseModel):
    """The answer to ``POST /api/v1/cases``."""

    case_id: str
    status: str
    queue_position: int | None
    agents_online: int


class TicketIn(Strict):
    """``POST /api/v1/tickets``."""

    conversation_id: ConversationId
    customer_id: CustomerId | None = None
    language: Language
    kind: Literal["callback", "email"]
    contact: Annotated[str, StringConstraints(min_length=3, max_length=254)]
    reason: Reason
    summary: Summary | None = None


class TicketOut(BaseModel):
    """The answer to ``POST /api/v1/tickets``."""

    ticket_id: str


class TicketHandleIn(Strict):
    """``POST /tickets/{id}/handle``: an agent dealt with a ticket."""

    note: Annotated[str, StringConstraints(max_length=4000)] = ""
    idempotency_key: IdemKey


class Availability(BaseModel):
    """``GET /api/v1/availability``."""

    open: bool
    agents_online: int
    opens_at: str | None


class ErasureOut(BaseModel):
    """What an erasure removed."""

    cases: int
    case_events: int
    tickets: int


class ReplyIn(Strict):
    """``POST /cases/{id}/reply``: an agent's message to the shopper."""

    text: Annotated[str, StringConstraints(min_length=1, max_length=4000)]
    idempotency_key: IdemKey


# An absolute http(s) URL or a path on the shop's own site (the catalog's cards use
# ``/static/products/...`` and ``/products/...``); never ``javascript:`` or ``//host``.
WebUrl = Annotated[
    str,
    StringConstraints(
        max_length=500, pattern=r"^(https?://[^\s\"'<>\\]+|/([^/\s\"'<>\\][^\s\"'<>\\]*)?)$"
    ),
]
Word = Annotated[str, StringConstraints(max_length=40)]


class CardButton(Strict):
    """A product card's button as the catalog search returns it (``formats.cards``).

    Accepted so a searched card can be sent as it is; the console always sends the buttons it
    builds itself, in the case's language.
    """

    kind: Literal["details", "similar", "compare"]
    title: Short
    payload: Annotated[str, StringConstraints(max_length=200)]


class ProductCard(Strict):
    """A catalog product card (``catalog_index`` ``Product.card()`` plus the actions' extras)."""

    id: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    brand: Short | None = None
    category: Short | None = None
    price: float = Field(ge=0, le=1_000_000)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "USD"
    colours: list[Word] = Field(default_factory=list, max_length=40)
    sizes: list[Word] = Field(default_factory=list, max_length=60)
    rating: float | None = Field(default=None, ge=0, le=5)
    review_count: int | None = Field(default=None, ge=0)
    in_stock: bool | None = None
    image_url: WebUrl | None = None
    url: WebUrl | None = None
    description: Annotated[str, StringConstraints(max_length=1000)] | None = None
    price_text: Word | None = None
    colours_in_stock: list[Word] = Field(default_factory=list, max_length=40)
    sizes_in_stock: list[Word] = Field(default_factory=list, max_length=60)
    buttons: list[CardButton] = Field(default_factory=list, max_length=3)


class CardIn(Strict):
    """``POST /cases/{id}/card``: send one product card to the shopper."""

    product: ProductCard
    text: Annotated[str, StringConstraints(max_length=1000)] | None = None
    idempotency_key: IdemKey


class ActionIn(Strict):
    """A hand back (or other one-shot action) with its idempotency key."""

    idempotency_key: IdemKey


class ResolveIn(Strict):
    """``POST /cases/{id}/resolve``."""

    note: Annotated[str, StringConstraints(max_length=4000)] = ""
    idempotency_key: IdemKey


class AgentIn(Strict):
    """An admin creates an agent."""

    email: Annotated[
        str, StringConstraints(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    ]
    display_name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    role: Literal["agent", "admin"] = "agent"
    password: Annotated[str, StringConstraints(min_length=12, max_length=200)]


class PasswordIn(Strict):
    """An admin resets an agent's password."""

    password: Annotated[str, StringConstraints(min_length=12, max_length=200)]
