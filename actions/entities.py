"""Normalisation of entity values to the catalog vocabulary.

Shoppers write "Red", "gray", "trainers", "tee", "size ten-and-a-half"; the catalog
speaks lower-case canonical values ("red", "grey", "sneakers", "t-shirts", "10.5").
:class:`Vocabulary` maps what NLU extracted onto those values: case, plural/singular,
and a short list of everyday synonyms. Values it cannot place are returned cleaned
(never dropped), so a new catalog word still reaches the search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "Vocabulary",
    "DEFAULT_VOCABULARY",
    "parse_price",
    "parse_currency",
    "parse_ordinal",
    "normalise_order_id",
    "normalise_size",
    "clean_user_text",
]

_SPACE_RE = re.compile(r"\s+")
_TAG_RE = re.compile(r"<[^>]*>?")
_MARKUP_CHARS_RE = re.compile(r"[<>*_`~\[\]{}|\\]")

_DEFAULT_CATEGORIES = (
    "running shoes", "trail running shoes", "hiking boots", "sneakers", "sandals",
    "winter boots", "rain boots", "t-shirts", "hoodies", "sweaters", "fleece jackets",
    "rain jackets", "down jackets", "softshell jackets", "jeans", "hiking pants", "shorts",
    "leggings", "dresses", "socks", "base layers", "tents", "sleeping bags", "backpacks",
    "trekking poles", "headlamps", "water bottles", "camping stoves", "sleeping pads",
    "hats", "beanies", "gloves", "scarves", "sunglasses",
)  # fmt: skip
_DEFAULT_BRANDS = (
    "Northpeak", "Trailforge", "Cascadia", "Stormline", "Kestrel", "Pinecrest",
    "Urban Stride", "Bluefin", "Emberline", "Ridgeway", "Solstice", "Alder & Oak",
)  # fmt: skip
_DEFAULT_COLOURS = (
    "black", "white", "grey", "navy", "blue", "red", "green", "olive", "yellow", "orange",
    "pink", "purple", "brown", "beige",
)  # fmt: skip
_DEFAULT_MATERIALS = (
    "cotton", "organic cotton", "merino wool", "wool", "polyester", "recycled polyester",
    "nylon", "leather", "suede", "canvas", "denim", "fleece", "down", "rubber", "linen", "mesh",
)  # fmt: skip

CATEGORY_SYNONYMS: dict[str, str] = {
    "runners": "running shoes",
    "running trainers": "running shoes",
    "road running shoes": "running shoes",
    "trail runners": "trail running shoes",
    "trail shoes": "trail running shoes",
    "hiking shoes": "hiking boots",
    "walking boots": "hiking boots",
    "trainers": "running shoes",
    "tennis shoes": "sneakers",
    "kicks": "sneakers",
    "flip flops": "sandals",
    "snow boots": "winter boots",
    "wellies": "rain boots",
    "wellingtons": "rain boots",
    "gumboots": "rain boots",
    "tee": "t-shirts",
    "tees": "t-shirts",
    "t shirt": "t-shirts",
    "t shirts": "t-shirts",
    "tshirt": "t-shirts",
    "tshirts": "t-shirts",
    "hoody": "hoodies",
    "jumper": "sweaters",
    "jumpers": "sweaters",
    "pullover": "sweaters",
    "pullovers": "sweaters",
    "fleece": "fleece jackets",
    "fleeces": "fleece jackets",
    "raincoat": "rain jackets",
    "raincoats": "rain jackets",
    "rain coat": "rain jackets",
    "rain coats": "rain jackets",
    "waterproof jacket": "rain jackets",
    "waterproof jackets": "rain jackets",
    "puffer": "down jackets",
    "puffers": "down jackets",
    "puffer jacket": "down jackets",
    "puffer jackets": "down jackets",
    "softshell": "softshell jackets",
    "softshells": "softshell jackets",
    "hiking trousers": "hiking pants",
    "trekking pants": "hiking pants",
    "trousers": "hiking pants",
    "pants": "hiking pants",
    "tights": "leggings",
    "thermals": "base layers",
    "thermal underwear": "base layers",
    "baselayer": "base layers",
    "baselayers": "base layers",
    "rucksack": "backpacks",
    "rucksacks": "backpacks",
    "daypack": "backpacks",
    "daypacks": "backpacks",
    "hiking poles": "trekking poles",
    "walking poles": "trekking poles",
    "poles": "trekking poles",
    "head torch": "headlamps",
    "head torches": "headlamps",
    "headtorch": "headlamps",
    "headtorches": "headlamps",
    "bottle": "water bottles",
    "bottles": "water bottles",
    "stove": "camping stoves",
    "stoves": "camping stoves",
    "sleeping mat": "sleeping pads",
    "sleeping mats": "sleeping pads",
    "caps": "hats",
    "cap": "hats",
    "toque": "beanies",
    "mittens": "gloves",
    "sunnies": "sunglasses",
    "shades": "sunglasses",
}

COLOUR_SYNONYMS: dict[str, str] = {
    "gray": "grey",
    "charcoal": "grey",
    "silver": "grey",
    "navy blue": "navy",
    "dark blue": "navy",
    "light blue": "blue",
    "sky blue": "blue",
    "royal blue": "blue",
    "burgundy": "red",
    "maroon": "red",
    "crimson": "red",
    "dark green": "green",
    "forest green": "green",
    "khaki": "olive",
    "violet": "purple",
    "lilac": "purple",
    "tan": "beige",
    "sand": "beige",
    "cream": "beige",
    "off white": "white",
    "ivory": "white",
    "chocolate": "brown",
    "rose": "pink",
}

MATERIAL_SYNONYMS: dict[str, str] = {
    "merino": "merino wool",
    "goose down": "down",
    "duck down": "down",
    "recycled poly": "recycled polyester",
    "poly": "polyester",
    "organic": "organic cotton",
}

_CLOTHING_SIZES: dict[str, str] = {
    "xs": "XS",
    "extra small": "XS",
    "x small": "XS",
    "s": "S",
    "small": "S",
    "m": "M",
    "medium": "M",
    "med": "M",
    "l": "L",
    "large": "L",
    "xl": "XL",
    "extra large": "XL",
    "x large": "XL",
    "xxl": "XXL",
    "2xl": "XXL",
    "double extra large": "XXL",
    "xx large": "XXL",
    "s/m": "S/M",
    "m/l": "M/L",
    "one size": "one size",
    "onesize": "one size",
}

_NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
}  # fmt: skip

_ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "last": -1, "final": -1,
    "latter": -1, "former": 1,
}  # fmt: skip

_CURRENCIES: dict[str, str] = {
    "$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "bucks": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "quid": "GBP",
}

_ORDER_ID_RE = re.compile(
    r"(?:\bord(?:er)?\b|\bord)?\s*(?:no\.?|number|n°)?\s*[-#:]?\s*(\d{6})(?!\d)",
    re.IGNORECASE,
)
_ANY_DIGITS_RE = re.compile(r"\d+")


def _key(value: str) -> str:
    """Lower-case, single-spaced form used for lookups."""
    text = value.replace("_", " ").replace("\u2019", "'").strip().lower()
    return _SPACE_RE.sub(" ", text)


def _singular_plural_forms(value: str) -> list[str]:
    """Candidate spellings of ``value`` with its last word in singular and plural."""
    words = value.split(" ")
    last = words[-1]
    candidates = {last, last + "s", last + "es"}
    if last.endswith("ies"):
        candidates.add(last[:-3] + "y")
    if last.endswith("y"):
        candidates.add(last[:-1] + "ies")
    if last.endswith("es"):
        candidates.add(last[:-2])
    if last.endswith("s"):
        candidates.add(last[:-1])
    if last.endswith("f"):
        candidates.add(last[:-1] + "ves")
    if last.endswith("ves"):
        candidates.add(last[:-3] + "f")
    head = " ".join(words[:-1])
    return [f"{head} {form}".strip() for form in sorted(candidates, key=len)]


def clean_user_text(text: object, limit: int = 80) -> str:
    """Make shopper text safe to echo back: no markup, single-spaced, bounded.

    HTML tags and characters that channels treat as markup (``< > * _ ` ~ [ ] { } |``)
    are removed, so a message can neither inject HTML into the widget nor break a
    response template.

    Args:
        text: The raw text (anything; non-strings become their ``str``).
        limit: Maximum characters kept (an ellipsis marks a cut).

    Returns:
        The cleaned text.
    """
    raw = "" if text is None else str(text)
    cleaned = _MARKUP_CHARS_RE.sub(" ", _TAG_RE.sub(" ", raw))
    cleaned = _SPACE_RE.sub(" ", cleaned).strip()
    if len(cleaned) > limit:
        cleaned = cleaned[:limit].rsplit(" ", 1)[0].rstrip(",.;:- ") + "…"
    return cleaned


@dataclass(frozen=True)
class Vocabulary:
    """Canonical values of the catalog and how shopper words map onto them.

    Attributes:
        categories: Canonical (lower-case) categories.
        brands: Brand names as the catalog shows them.
        colours: Canonical (lower-case) colours.
        materials: Canonical (lower-case) materials.
    """

    categories: frozenset[str]
    brands: frozenset[str]
    colours: frozenset[str]
    materials: frozenset[str]
    _brand_keys: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        """Index brands by a spacing- and case-insensitive key."""
        for brand in self.brands:
            self._brand_keys[_brand_key(brand)] = brand

    @classmethod
    def from_mapping(cls, data: Mapping[str, Iterable[str]]) -> Vocabulary:
        """Build from a ``{"categories": [...], "brands": [...], ...}`` mapping.

        Missing keys fall back to the demo catalog's vocabulary, and the demo values are
        always kept so the everyday synonyms keep working.

        Args:
            data: Field name (singular or plural) to its values.

        Returns:
            The vocabulary.
        """

        def values(*names: str) -> set[str]:
            found: set[str] = set()
            for name in names:
                found.update(str(v) for v in data.get(name, ()) if str(v).strip())
            return found

        categories = {_key(v) for v in values("categories", "category")}
        brands = {v.strip() for v in values("brands", "brand")}
        colours = {_key(v) for v in values("colours", "colour", "colors", "color")}
        materials = {_key(v) for v in values("materials", "material")}
        return cls(
            categories=frozenset(categories | set(_DEFAULT_CATEGORIES)),
            brands=frozenset(brands | set(_DEFAULT_BRANDS)),
            colours=frozenset(colours | set(_DEFAULT_COLOURS)),
            materials=frozenset(materials | set(_DEFAULT_MATERIALS)),
        )

    def knows(self, kind: str, value: str) -> bool:
        """Whether a canonical value of an entity kind exists in the catalog.

        Args:
            kind: "category", "brand", "colour" or "material"; other kinds are always known.
            value: The canonical value.

        Returns:
            True when the catalog has the value (or the kind has no fixed vocabulary).
        """
        pools = {
            "category": self.categories,
            "brand": self.brands,
            "colour": self.colours,
            "material": self.materials,
        }
        pool = pools.get(kind)
        return pool is None or value in pool

    def category(self, value: str) -> str:
        """Canonical category for a shopper's word ("Trainer" -> "sneakers").

        Args:
            value: The extracted entity value.

        Returns:
            The canonical category, or the cleaned value when it is unknown.
        """
        key = _key(value)
        for candidate in [key, *_singular_plural_forms(key)]:
            if candidate in self.categories:
                return candidate
            if candidate in CATEGORY_SYNONYMS:
                return CATEGORY_SYNONYMS[candidate]
        return key

    def colour(self, value: str) -> str:
        """Canonical colour ("Gray" -> "grey", "reds" -> "red").

        Args:
            value: The extracted entity value.

        Returns:
            The canonical colour, or the cleaned value when it is unknown.
        """
        exact = _key(value)
        if exact in self.colours:
            return exact
        key = exact.replace("-", " ").removesuffix("ish").strip()
        for candidate in [key, *_singular_plural_forms(key)]:
            if candidate in self.colours:
                return candidate
            if candidate in COLOUR_SYNONYMS:
                return COLOUR_SYNONYMS[candidate]
        last = key.split(" ")[-1]
        return last if last in self.colours else key

    def material(self, value: str) -> str:
        """Canonical material ("Merino" -> "merino wool").

        Args:
            value: The extracted entity value.

        Returns:
            The canonical material, or the cleaned value when it is unknown.
        """
        exact = _key(value)
        if exact in self.materials:
            return exact
        key = exact.replace("-", " ")
        if key in self.materials:
            return key
        return MATERIAL_SYNONYMS.get(key, key)

    def brand(self, value: str) -> str:
        """Brand as the catalog shows it ("urban stride" -> "Urban Stride").

        Args:
            value: The extracted entity value.

        Returns:
            The catalog's spelling, or the stripped value when it is unknown.
        """
        return self._brand_keys.get(_brand_key(value), value.strip())


def _brand_key(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", value.lower().replace("&", "and"))


DEFAULT_VOCABULARY = Vocabulary.from_mapping({})


def normalise_size(value: str) -> str:
    """Canonical size ("medium" -> "M", "size 10" -> "10", "9 1/2" -> "9.5").

    Args:
        value: The extracted entity value.

    Returns:
        The canonical size, or the stripped value when it is not recognised.
    """
    key = _key(value).replace("-", " ")
    key = re.sub(r"^(?:size|sz|us|uk|eu|waist)\s+", "", key).strip()
    key = re.sub(r"\s+(?:waist|us)$", "", key)
    if key in _CLOTHING_SIZES:
        return _CLOTHING_SIZES[key]
    half = re.fullmatch(r"(\d{1,2})\s*(?:and a half|1/2|½|\.5)", key)
    if half:
        return f"{int(half.group(1))}.5"
    number = re.fullmatch(r"(\d{1,2})(?:\.0)?", key)
    if number:
        return str(int(number.group(1)))
    if key in _NUMBER_WORDS:
        return str(_NUMBER_WORDS[key])
    words_half = re.fullmatch(r"([a-z]+) and a half", key)
    if words_half and words_half.group(1) in _NUMBER_WORDS:
        return f"{_NUMBER_WORDS[words_half.group(1)]}.5"
    return value.strip().upper() if len(key) <= 3 else value.strip()


def parse_price(value: object) -> float | None:
    """A price from an entity value ("80", "$79.99", "1,200 dollars", 80).

    Args:
        value: The extracted entity value.

    Returns:
        The amount, or ``None`` when there is no usable non-negative number.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value >= 0 else None
    text = str(value).replace(",", "")
    match = re.search(r"\d+(?:\.\d+)?", text)
    if not match:
        return None
    amount = float(match.group(0))
    if re.search(r"\d\s*k\b", text.lower()):
        amount *= 1000
    return amount


def parse_currency(value: object) -> str | None:
    """An ISO 4217 code from an entity value ("$", "euros", "usd").

    Args:
        value: The extracted entity value.

    Returns:
        The code, or ``None`` when it is not recognised.
    """
    key = _key(str(value))
    if key in _CURRENCIES:
        return _CURRENCIES[key]
    if re.fullmatch(r"[a-z]{3}", key):
        return key.upper()
    return None


def parse_ordinal(value: object) -> int | None:
    """A 1-based position from an ordinal entity ("2", "second", "2nd", "last" -> -1).

    Args:
        value: The extracted entity value.

    Returns:
        The position (negative counts from the end), or ``None`` when unusable.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value or None
    key = _key(str(value)).removeprefix("the ").strip()
    if key in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[key]
    match = re.fullmatch(r"(-?\d+)(?:st|nd|rd|th)?(?:\s+one)?", key)
    if match:
        number = int(match.group(1))
        return number or None
    first_word = key.split(" ")[0]
    return _ORDINAL_WORDS.get(first_word)


def normalise_order_id(text: object) -> str | None:
    """Find an order id in free text and return it as ``ORD-NNNNNN``.

    Accepts "ORD-100234", "ord100234", "order #100234", "it's #100234", "100234".

    Args:
        text: The shopper's message or an extracted entity value.

    Returns:
        The normalised id, or ``None`` when the text holds no six-digit order number.
    """
    if text is None:
        return None
    raw = str(text)
    match = _ORDER_ID_RE.search(raw)
    if match is None:
        return None
    # A six-digit run inside a longer number (a phone number, a card) is not an id.
    for run in _ANY_DIGITS_RE.finditer(raw):
        if run.start() <= match.start(1) < run.end() and len(run.group(0)) != 6:
            return None
    return f"ORD-{match.group(1)}"
