"""Request bodies of the profile service (pydantic v2, strict, no unknown fields).

Every string has a maximum length and refuses control characters and lone surrogates
(text is stored as given otherwise: SQL or script text is just data); every number and
list is bounded.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

__all__ = [
    "Language",
    "Segment",
    "Channel",
    "ConsentKind",
    "ID_PATTERN",
    "PriceBandIn",
    "ConsentIn",
    "CustomerCreate",
    "CustomerPatch",
    "ConsentUpdate",
    "AddressIn",
    "OrderChangeIn",
    "ReturnIn",
    "ConversationIn",
    "ChannelLinkIn",
    "PATCHABLE",
]

Language = Literal["en", "es", "de", "fr"]
Segment = Literal["vip", "regular", "new", "bargain_hunter"]
Channel = Literal["telegram", "slack", "facebook", "twilio"]
ConsentKind = Literal["personalisation", "marketing"]
#: Customer, order and product ids: letters, digits, ``-`` and ``_``.
ID_PATTERN = r"^[A-Za-z0-9_-]{1,40}$"


def _single_line(value: str) -> str:
    for char in value:
        code = ord(char)
        if code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            raise ValueError("control characters are not allowed")
    return value


def _text(value: str) -> str:
    for char in value:
        code = ord(char)
        if (code < 0x20 and char not in "\t\n\r") or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            raise ValueError("control characters are not allowed")
    return value


Name = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_single_line)]
Email = Annotated[
    str,
    StringConstraints(max_length=254, pattern=r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{1,63}$"),
    AfterValidator(_single_line),
]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 ()./-]{3,30}$")]
Label = Annotated[str, StringConstraints(min_length=1, max_length=60), AfterValidator(_single_line)]
SizeValue = Annotated[
    str, StringConstraints(min_length=1, max_length=20), AfterValidator(_single_line)
]
Identifier = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_text)]
Money = Annotated[float, Field(ge=0, le=1_000_000)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class PriceBandIn(_Body):
    """A price range."""

    min: Money
    max: Money
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "USD"

    @model_validator(mode="after")
    def _ordered(self) -> PriceBandIn:
        if self.min > self.max:
            raise ValueError("min must not be above max")
        return self


class ConsentIn(_Body):
    """A consent given when a customer is created."""

    granted: bool | None = None


class _Consents(_Body):
    personalisation: ConsentIn | None = None
    marketing: ConsentIn | None = None


class CustomerCreate(_Body):
    """A new customer (ids and timestamps are set by the service)."""

    name: Name
    email: Email
    phone: Phone | None = None
    preferred_language: Language = "en"
    sizes: Annotated[dict[Label, SizeValue], Field(max_length=50)] = Field(default_factory=dict)
    favourite_brands: Annotated[list[Label], Field(max_length=20)] = Field(default_factory=list)
    favourite_categories: Annotated[list[Label], Field(max_length=20)] = Field(default_factory=list)
    price_band: PriceBandIn | None = None
    segment: Segment = "new"
    consent: _Consents | None = None


#: Fields a PATCH may change.
PATCHABLE = (
    "name",
    "email",
    "phone",
    "preferred_language",
    "sizes",
    "favourite_brands",
    "favourite_categories",
    "price_band",
    "segment",
)


class CustomerPatch(_Body):
    """Changes to a customer: only the fields sent change.

    ``phone`` and ``price_band`` may be set to null; the others may not.
    """

    name: Name | None = None
    email: Email | None = None
    phone: Phone | None = None
    preferred_language: Language | None = None
    sizes: Annotated[dict[Label, SizeValue], Field(max_length=50)] | None = None
    favourite_brands: Annotated[list[Label], Field(max_length=20)] | None = None
    favourite_categories: Annotated[list[Label], Field(max_length=20)] | None = None
    price_band: PriceBandIn | None = None
    segment: Segment | None = None

    @model_validator(mode="after")
    def _required_not_null(self) -> CustomerPatch:
        nullable = {"phone", "price_band"}
        for name in self.model_fields_set - nullable:
            if getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


class ConsentUpdate(_Body):
    """A consent decision."""

    granted: bool


class AddressIn(_Body):
    """A shipping address."""

    name: Name
    line1: Name
    line2: (
        Annotated[str, StringConstraints(max_length=200), AfterValidator(_single_line)] | None
    ) = None
    city: Annotated[
        str, StringConstraints(min_length=1, max_length=100), AfterValidator(_single_line)
    ]
    postcode: Annotated[
        str, StringConstraints(min_length=1, max_length=20), AfterValidator(_single_line)
    ]
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class OrderChangeIn(_Body):
    """What a customer may change before an order ships."""

    shipping_address: AddressIn | None = None
    product_id: Identifier | None = None
    size: SizeValue | None = None
    colour: Label | None = None


class ReturnIn(_Body):
    """A return request."""

    reason: Reason
    product_ids: Annotated[list[Identifier], Field(min_length=1, max_length=50)] | None = None


class ConversationIn(_Body):
    """A Rasa conversation that belongs to the customer."""

    sender_id: Annotated[
        str, StringConstraints(min_length=1, max_length=200), AfterValidator(_single_line)
    ]
    channel: Annotated[
        str, StringConstraints(min_length=1, max_length=40), AfterValidator(_single_line)
    ] = "socketio"


class ChannelLinkIn(_Body):
    """The customer a channel user is linked to."""

    customer_id: Identifier
