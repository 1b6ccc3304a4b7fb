"""Generate the demo catalog (catalog/demo_catalog.jsonl) and its category images.

The catalog is a believable apparel-and-outdoor store written from word lists and
templates with a seeded random generator, so every run produces byte-identical output.
Only the standard library is used.

Usage:
    python scripts/generate_demo_catalog.py [--out catalog/demo_catalog.jsonl]
        [--images-dir catalog/images] [--seed 20240611]

After writing, the script validates every row against docs/catalog.md and the team
vocabulary and prints a summary table; any violation raises ``AssertionError``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "catalog" / "demo_catalog.jsonl"
DEFAULT_IMAGES = ROOT / "catalog" / "images"
DEFAULT_SEED = 20240611

# --------------------------------------------------------------------------- vocabulary

DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "footwear": (
        "running shoes",
        "trail running shoes",
        "hiking boots",
        "sneakers",
        "sandals",
        "winter boots",
        "rain boots",
    ),
    "clothing": (
        "t-shirts",
        "hoodies",
        "sweaters",
        "fleece jackets",
        "rain jackets",
        "down jackets",
        "softshell jackets",
        "jeans",
        "hiking pants",
        "shorts",
        "leggings",
        "dresses",
        "socks",
        "base layers",
    ),
    "outdoor gear": (
        "tents",
        "sleeping bags",
        "backpacks",
        "trekking poles",
        "headlamps",
        "water bottles",
        "camping stoves",
        "sleeping pads",
    ),
    "accessories": ("hats", "beanies", "gloves", "scarves", "sunglasses"),
}
CATEGORY_DEPARTMENT = {c: d for d, cs in DEPARTMENTS.items() for c in cs}
COLOURS = (
    "black",
    "white",
    "grey",
    "navy",
    "blue",
    "red",
    "green",
    "olive",
    "yellow",
    "orange",
    "pink",
    "purple",
    "brown",
    "beige",
)
COLOUR_CODES = {
    "black": "BLK",
    "white": "WHT",
    "grey": "GRY",
    "navy": "NVY",
    "blue": "BLU",
    "red": "RED",
    "green": "GRN",
    "olive": "OLV",
    "yellow": "YLW",
    "orange": "ORG",
    "pink": "PNK",
    "purple": "PUR",
    "brown": "BRN",
    "beige": "BGE",
}
MATERIALS = (
    "cotton",
    "organic cotton",
    "merino wool",
    "wool",
    "polyester",
    "recycled polyester",
    "nylon",
    "leather",
    "suede",
    "canvas",
    "denim",
    "fleece",
    "down",
    "rubber",
    "linen",
    "mesh",
)
GENDERS = ("men", "women", "unisex", "kids")
CLOTHING_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
WAIST_SIZES = ("28", "30", "31", "32", "33", "34", "36", "38")
WOMEN_SHOE_SIZES = tuple(_s for _i in range(10, 23) for _s in [f"{_i / 2:g}"])  # 5 .. 11
MEN_SHOE_SIZES = tuple(f"{_i / 2:g}" for _i in range(14, 27))  # 7 .. 13
UNISEX_SHOE_SIZES = tuple(f"{_i / 2:g}" for _i in range(12, 27))  # 6 .. 13
SHOE_SIZES = tuple(f"{_i / 2:g}" for _i in range(10, 27))  # 5 .. 13
GEAR_SIZES = ("one size", "S/M", "M/L", "regular", "long")
ALL_SIZES = frozenset(CLOTHING_SIZES + WAIST_SIZES + SHOE_SIZES + GEAR_SIZES)
TAGS = frozenset(
    "trail commute camping winter summer waterproof lightweight vegan hiking running road race "
    "backpacking alpine everyday city travel layering insulated packable rain snow ski swim "
    "beach water sun yoga gym windproof water-resistant quick-dry breathable recycled organic "
    "stability durable kids".split()
)
ANIMAL_MATERIALS = frozenset({"leather", "suede", "wool", "merino wool", "down"})
SYNTHETICS = ("polyester", "recycled polyester", "nylon", "fleece", "mesh")


@dataclass(frozen=True)
class Brand:
    """A brand with a code, a price tier and a personality."""

    code: str
    tier: str  # budget | mid | upper | premium
    affinity: tuple[str, ...]  # tags the brand leans towards
    materials: tuple[str, ...]  # materials the brand favours
    models: tuple[str, ...]  # model-name word list
    categories: dict[str, float]  # category -> relative weight


BRANDS: dict[str, Brand] = {
    "Northpeak": Brand(
        "NP",
        "premium",
        ("alpine", "backpacking", "hiking", "winter", "waterproof", "insulated"),
        ("merino wool", "down", "nylon", "leather"),
        (
            "Ridgeline",
            "Summit",
            "Alpenglow",
            "Cirque",
            "Couloir",
            "Serac",
            "Arete",
            "Moraine",
            "Talus",
            "Cornice",
            "Icefall",
            "Highline",
            "Spindrift",
            "Tarn",
            "Granite",
            "Vantage",
            "Bergschrund",
            "Nunatak",
        ),
        {
            "hiking boots": 3,
            "winter boots": 2,
            "trail running shoes": 1,
            "down jackets": 3,
            "rain jackets": 2,
            "softshell jackets": 3,
            "fleece jackets": 2,
            "base layers": 2,
            "hiking pants": 2,
            "tents": 3,
            "sleeping bags": 3,
            "backpacks": 3,
            "trekking poles": 2,
            "headlamps": 1,
            "sleeping pads": 2,
            "gloves": 2,
            "beanies": 1,
            "sunglasses": 1,
            "camping stoves": 1,
            "socks": 1,
        },
    ),
    "Trailforge": Brand(
        "TF",
        "upper",
        ("trail", "running", "lightweight", "hiking", "race"),
        ("mesh", "nylon", "recycled polyester", "merino wool"),
        (
            "Switchback",
            "Scree",
            "Flint",
            "Tempo",
            "Vector",
            "Apex",
            "Fastpack",
            "Cinder",
            "Quarry",
            "Gritstone",
            "Pacer",
            "Rockhop",
            "Skyrun",
            "Dirtline",
            "Basalt",
            "Cairn",
            "Hillclimb",
            "Singletrack",
        ),
        {
            "trail running shoes": 4,
            "running shoes": 2,
            "hiking boots": 2,
            "shorts": 2,
            "t-shirts": 2,
            "leggings": 1,
            "socks": 2,
            "backpacks": 2,
            "trekking poles": 3,
            "headlamps": 2,
            "water bottles": 2,
            "hats": 2,
            "sunglasses": 1,
            "base layers": 1,
            "hiking pants": 1,
        },
    ),
    "Cascadia": Brand(
        "CA",
        "mid",
        ("hiking", "travel", "packable", "rain", "everyday", "layering"),
        ("recycled polyester", "fleece", "down", "organic cotton"),
        (
            "Rainier",
            "Quinault",
            "Evergreen",
            "Puget",
            "Hoh",
            "Cedar",
            "Skagit",
            "Willamette",
            "Shasta",
            "Baker",
            "Whidbey",
            "Orcas",
            "Columbia",
            "Juniper",
            "Fernwood",
            "Sitka",
            "Cowlitz",
            "Nisqually",
        ),
        {
            "down jackets": 3,
            "fleece jackets": 3,
            "rain jackets": 2,
            "sweaters": 2,
            "hoodies": 1,
            "hiking pants": 2,
            "dresses": 2,
            "leggings": 1,
            "scarves": 2,
            "beanies": 2,
            "hats": 1,
            "hiking boots": 1,
            "sleeping bags": 1,
            "tents": 1,
            "backpacks": 1,
            "t-shirts": 1,
            "rain boots": 1,
        },
    ),
    "Stormline": Brand(
        "SL",
        "mid",
        ("rain", "waterproof", "commute", "windproof", "water-resistant"),
        ("nylon", "rubber", "polyester"),
        (
            "Downpour",
            "Squall",
            "Torrent",
            "Monsoon",
            "Deluge",
            "Cloudburst",
            "Drizzle",
            "Tempest",
            "Gale",
            "Nimbus",
            "Riptide",
            "Harbor",
            "Breaker",
            "Spray",
            "Surge",
            "Typhoon",
            "Sou'wester",
            "Mistral",
        ),
        {
            "rain jackets": 5,
            "rain boots": 4,
            "softshell jackets": 2,
            "winter boots": 1,
            "hiking boots": 1,
            "hiking pants": 1,
            "hats": 2,
            "gloves": 2,
            "backpacks": 2,
            "tents": 1,
            "sneakers": 1,
        },
    ),
    "Kestrel": Brand(
        "KE",
        "mid",
        ("running", "lightweight", "gym", "race", "road"),
        ("polyester", "recycled polyester", "mesh"),
        (
            "Swift",
            "Glide",
            "Hover",
            "Velo",
            "Sprint",
            "Aero",
            "Strider",
            "Dash",
            "Falcon",
            "Updraft",
            "Tailwind",
            "Zephyr",
            "Pulse",
            "Stride",
            "Lift",
            "Arc",
            "Kite",
            "Thermal",
        ),
        {
            "running shoes": 4,
            "trail running shoes": 1,
            "leggings": 3,
            "shorts": 3,
            "t-shirts": 3,
            "base layers": 2,
            "socks": 2,
            "hats": 1,
            "sunglasses": 2,
            "headlamps": 1,
            "water bottles": 1,
            "hoodies": 1,
        },
    ),
    "Pinecrest": Brand(
        "PC",
        "budget",
        ("camping", "everyday", "hiking"),
        ("polyester", "cotton", "fleece"),
        (
            "Meadow",
            "Campfire",
            "Trailhead",
            "Basecamp",
            "Lakeside",
            "Firefly",
            "Hollow",
            "Clearing",
            "Bramble",
            "Timber",
            "Acorn",
            "Brook",
            "Willow",
            "Sprout",
            "Cabin",
            "Fernbrook",
            "Chipmunk",
            "Pinecone",
        ),
        {
            "tents": 4,
            "sleeping bags": 4,
            "sleeping pads": 3,
            "camping stoves": 4,
            "headlamps": 2,
            "water bottles": 2,
            "fleece jackets": 2,
            "hoodies": 2,
            "t-shirts": 1,
            "rain boots": 1,
            "beanies": 1,
            "backpacks": 1,
            "trekking poles": 1,
            "hiking boots": 1,
            "socks": 1,
        },
    ),
    "Urban Stride": Brand(
        "US",
        "mid",
        ("commute", "city", "everyday"),
        ("canvas", "leather", "cotton", "denim", "mesh"),
        (
            "Metro",
            "Avenue",
            "Downtown",
            "Transit",
            "Loft",
            "Block",
            "Boulevard",
            "Canal",
            "Borough",
            "Skyline",
            "Uptown",
            "Crosstown",
            "Platform",
            "District",
            "Alley",
            "Corner",
            "Terminal",
            "Plaza",
        ),
        {
            "sneakers": 5,
            "running shoes": 1,
            "t-shirts": 2,
            "hoodies": 3,
            "jeans": 3,
            "shorts": 1,
            "socks": 2,
            "backpacks": 2,
            "hats": 1,
            "beanies": 1,
            "sunglasses": 1,
            "rain jackets": 1,
        },
    ),
    "Bluefin": Brand(
        "BF",
        "mid",
        ("swim", "beach", "water", "summer", "sun"),
        ("recycled polyester", "rubber", "nylon"),
        (
            "Tidal",
            "Reef",
            "Current",
            "Marlin",
            "Lagoon",
            "Shoal",
            "Coral",
            "Swell",
            "Cove",
            "Breakwater",
            "Wake",
            "Pelagic",
            "Atoll",
            "Kelp",
            "Dune",
            "Seaglass",
            "Longboard",
            "Offshore",
        ),
        {
            "sandals": 4,
            "shorts": 3,
            "t-shirts": 2,
            "hats": 2,
            "sunglasses": 3,
            "water bottles": 3,
            "dresses": 1,
            "backpacks": 1,
            "hoodies": 1,
        },
    ),
    "Emberline": Brand(
        "EM",
        "mid",
        ("winter", "insulated", "ski", "camping", "snow"),
        ("wool", "merino wool", "down", "fleece"),
        (
            "Hearth",
            "Ember",
            "Kindle",
            "Glowline",
            "Fireside",
            "Flare",
            "Blaze",
            "Lantern",
            "Hearthstone",
            "Tinder",
            "Coalridge",
            "Smolder",
            "Aurora",
            "Polar",
            "Solace",
            "Frostfire",
            "Yule",
            "Woodsmoke",
        ),
        {
            "down jackets": 2,
            "winter boots": 3,
            "sweaters": 2,
            "beanies": 3,
            "gloves": 3,
            "scarves": 2,
            "base layers": 2,
            "fleece jackets": 1,
            "socks": 2,
            "camping stoves": 2,
            "sleeping bags": 2,
            "sleeping pads": 1,
            "headlamps": 1,
        },
    ),
    "Ridgeway": Brand(
        "RW",
        "budget",
        ("hiking", "durable", "everyday", "backpacking", "trail"),
        ("canvas", "nylon", "leather", "cotton"),
        (
            "Ranger",
            "Outpost",
            "Homestead",
            "Prospector",
            "Canyon",
            "Mesa",
            "Bluff",
            "Frontier",
            "Badlands",
            "Sierra",
            "Pioneer",
            "Drover",
            "Scout",
            "Quarryman",
            "Bedrock",
            "Gulch",
            "Trailworks",
            "Foothill",
        ),
        {
            "hiking boots": 3,
            "hiking pants": 3,
            "jeans": 2,
            "t-shirts": 1,
            "shorts": 2,
            "softshell jackets": 1,
            "backpacks": 2,
            "trekking poles": 2,
            "hats": 2,
            "gloves": 1,
            "socks": 1,
            "fleece jackets": 1,
            "sleeping pads": 1,
            "water bottles": 1,
            "sandals": 1,
        },
    ),
    "Solstice": Brand(
        "SO",
        "mid",
        ("yoga", "summer", "gym", "sun", "travel"),
        ("linen", "recycled polyester", "organic cotton"),
        (
            "Sunrise",
            "Halo",
            "Lumen",
            "Radiance",
            "Equinox",
            "Zenith",
            "Daybreak",
            "Solara",
            "Meridian",
            "Aura",
            "Bloom",
            "Seabreeze",
            "Savasana",
            "Flow",
            "Horizon",
            "Golden Hour",
            "Midsummer",
            "Heliotrope",
        ),
        {
            "leggings": 4,
            "dresses": 4,
            "t-shirts": 2,
            "shorts": 2,
            "sandals": 2,
            "sunglasses": 2,
            "hats": 2,
            "hoodies": 1,
            "sweaters": 1,
            "base layers": 1,
            "running shoes": 1,
            "scarves": 1,
            "water bottles": 1,
        },
    ),
    "Alder & Oak": Brand(
        "AO",
        "premium",
        ("everyday", "travel", "organic", "city"),
        ("organic cotton", "merino wool", "wool", "linen", "leather", "canvas", "suede"),
        (
            "Heritage",
            "Hawthorn",
            "Linden",
            "Rowan",
            "Ashby",
            "Birch",
            "Hazel",
            "Elm",
            "Larch",
            "Maple",
            "Thorne",
            "Holloway",
            "Millbrook",
            "Fieldstone",
            "Kinross",
            "Wexford",
            "Bramwell",
            "Carrick",
        ),
        {
            "sweaters": 4,
            "scarves": 3,
            "beanies": 2,
            "jeans": 2,
            "t-shirts": 2,
            "hoodies": 2,
            "dresses": 1,
            "socks": 2,
            "gloves": 2,
            "sneakers": 2,
            "hats": 1,
            "backpacks": 1,
            "winter boots": 1,
        },
    ),
}
TIER_POSITION = {
    "budget": (0.0, 0.45),
    "mid": (0.06, 0.66),
    "upper": (0.2, 0.82),
    "premium": (0.4, 1.0),
}
BRAND_POPULARITY = {
    "Northpeak": 0.5,
    "Trailforge": 0.3,
    "Cascadia": 0.4,
    "Stormline": 0.1,
    "Kestrel": 0.2,
    "Pinecrest": 0.3,
    "Urban Stride": 0.4,
    "Bluefin": 0.0,
    "Emberline": 0.0,
    "Ridgeway": -0.1,
    "Solstice": 0.1,
    "Alder & Oak": -0.2,
}

# --------------------------------------------------------------------------- categories


@dataclass(frozen=True)
class Style:
    """A product style inside a category (title noun, tags, materials, overrides)."""

    noun: str
    tags: tuple[str, ...]
    materials: tuple[str | None, ...]
    mult: float = 1.0
    genders: dict[str, float] | None = None
    brands: tuple[str, ...] = ()
    spec: dict[str, Any] = field(default_factory=dict)
    spec_tpl: str | None = None
    sizes: str | None = None  # overrides the category size kind


# A feature: (title word, sentence, tags, requires). `requires` matches style tags or the
# material; an empty tuple means the feature fits every product of the category.
Feature = tuple[str, str, tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class Category:
    """Everything needed to generate products of one leaf category."""

    name: str
    code: str
    count: int
    price: tuple[float, float]
    sizes: str  # apparel | footwear | waist | socks | gloves | hat | onesize | torso | bag | pad
    genders: dict[str, float]
    colours: tuple[str, ...]
    colour_count: tuple[int, int]
    styles: tuple[Style, ...]
    features: tuple[Feature, ...]
    spec: dict[str, Any]
    spec_tpl: str | None
    title_tpl: str = "{model}"
    suffixes: tuple[str, ...] = ("",)
    price_key: tuple[str, float, float, bool] | None = None
    base_tags: tuple[str, ...] = ()


MF = {"men": 0.45, "women": 0.45, "unisex": 0.1}
MFK = {"men": 0.42, "women": 0.4, "unisex": 0.06, "kids": 0.12}
UNI = {"unisex": 1.0}
ANY_FEET = (
    "black",
    "white",
    "grey",
    "navy",
    "blue",
    "red",
    "green",
    "olive",
    "orange",
    "pink",
    "purple",
    "yellow",
    "brown",
    "beige",
)

F_WATERPROOF_FOOT: Feature = (
    "Waterproof",
    "A waterproof, breathable membrane keeps feet dry through puddles, slush and stream crossings.",
    ("waterproof",),
    (),
)
F_GRIP: Feature = (
    "",
    "A sticky rubber outsole with multi-directional lugs grips wet rock and loose dirt.",
    ("trail",),
    (),
)
F_RECYCLED: Feature = (
    "",
    "Recycled polyester makes up most of the upper and laces.",
    ("recycled",),
    ("recycled polyester",),
)
F_LIGHT: Feature = (
    "Lightweight",
    "It's light enough that you forget it's there.",
    ("lightweight",),
    ("lightweight",),
)
F_REFLECT: Feature = (
    "",
    "Reflective details keep you visible on early-morning and evening outings.",
    ("commute",),
    ("running", "commute"),
)
F_PACKABLE: Feature = (
    "Packable",
    "It packs into its own pocket for travel and day hikes.",
    ("packable", "travel", "lightweight"),
    (),
)
F_DWR: Feature = (
    "",
    "A PFC-free water-repellent finish beads off light showers.",
    ("water-resistant",),
    (),
)
F_STRETCH: Feature = (
    "Stretch",
    "Four-way stretch moves with you on scrambles and long strides.",
    ("hiking",),
    (),
)
F_UPF: Feature = (
    "Sun",
    "The fabric is rated UPF 50+ for long days in the sun.",
    ("summer", "sun"),
    ("polyester", "recycled polyester", "nylon"),
)
F_QUICKDRY: Feature = (
    "Quick-Dry",
    "The fabric wicks sweat and dries fast after a dunk or a downpour.",
    ("quick-dry", "summer"),
    ("polyester", "recycled polyester", "nylon"),
)
F_ODOR: Feature = (
    "",
    "Naturally odour-resistant, so it stays fresh over several days of travel.",
    ("travel",),
    ("merino wool", "wool"),
)
F_THUMB: Feature = ("", "Thumbholes keep the sleeves in place under gloves.", ("winter",), ())
F_ZIPPOCKETS: Feature = ("", "Zippered hand pockets keep keys and a phone secure.", (), ())
F_BRUSHED: Feature = (
    "Brushed",
    "A brushed interior feels warm and soft against the skin.",
    ("winter",),
    (),
)
F_GARMENT: Feature = (
    "Garment-Dyed",
    "Garment dyeing gives a soft, lived-in feel and rich colour.",
    ("everyday",),
    ("cotton", "organic cotton"),
)
F_WIND: Feature = (
    "",
    "A windproof face fabric blocks gusts on exposed ridges.",
    ("windproof",),
    (),
)
F_INSUL_FOOT: Feature = (
    "Insulated",
    "Synthetic insulation keeps toes warm while standing around in the snow.",
    ("winter", "insulated"),
    (),
)
F_OWN_POCKET: Feature = (
    "",
    "Side drop-in pockets hold a phone or a gel on the move.",
    ("running",),
    ("running", "yoga", "gym"),
)

CATEGORIES: tuple[Category, ...] = (
    # ------------------------------------------------------------------ footwear
    Category(
        "running shoes",
        "RS",
        34,
        (45, 170),
        "footwear",
        {"men": 0.46, "women": 0.46, "unisex": 0.08},
        ("black", "red", "white", "blue", "grey", "navy", "orange", "green", "pink", "yellow"),
        (2, 4),
        (
            Style("Running Shoe", ("running", "road"), ("mesh", "recycled polyester")),
            Style("Road Running Shoe", ("running", "road", "commute"), ("mesh",)),
            Style(
                "Racing Shoe",
                ("running", "race", "lightweight"),
                ("mesh",),
                1.3,
                brands=("Kestrel", "Trailforge"),
            ),
            Style("Stability Running Shoe", ("running", "road", "stability"), ("mesh",), 1.1),
            Style("Daily Trainer", ("running", "road", "gym"), ("mesh", "recycled polyester"), 0.9),
        ),
        (
            (
                "Cushioned",
                "A responsive foam midsole adds bounce to long miles on pavement.",
                ("running",),
                (),
            ),
            (
                "Carbon",
                "A full-length carbon plate gives a snappy toe-off for tempo runs and race day.",
                ("race",),
                ("race",),
            ),
            (
                "",
                "A firmer medial post guides overpronating strides without feeling stiff.",
                ("stability",),
                ("stability",),
            ),
            (
                "Knit",
                "A one-piece knit upper stretches with the foot and breathes on warm days.",
                ("summer", "breathable"),
                (),
            ),
            F_REFLECT,
            F_RECYCLED,
            F_LIGHT,
        ),
        {"w": ("int", 200, 310), "drop": ("choice", [4, 6, 8, 10])},
        "A size 9 weighs {w} g, with a {drop} mm heel-to-toe drop.",
        suffixes=("", "", "2", "3", "4", "Pro", "Lite", "Max", "Elite"),
    ),
    Category(
        "trail running shoes",
        "TR",
        20,
        (80, 190),
        "footwear",
        {"men": 0.5, "women": 0.45, "unisex": 0.05},
        ("black", "grey", "orange", "blue", "green", "olive", "red", "yellow", "navy", "purple"),
        (1, 4),
        (
            Style(
                "Trail Running Shoe", ("trail", "running"), ("mesh", "nylon", "recycled polyester")
            ),
            Style("Trail Runner", ("trail", "running", "lightweight"), ("mesh",)),
            Style("Mountain Running Shoe", ("trail", "running", "alpine"), ("mesh", "nylon"), 1.15),
        ),
        (
            F_WATERPROOF_FOOT,
            F_GRIP,
            ("", "A flexible rock plate shields the forefoot from sharp stones.", ("trail",), ()),
            ("", "A protective rubber toe bumper shrugs off roots and rocks.", (), ()),
            ("", "A gusseted tongue keeps grit and trail debris out.", (), ()),
            F_RECYCLED,
            F_LIGHT,
        ),
        {"w": ("int", 240, 340), "lug": ("choice", [4, 5, 6]), "drop": ("choice", [4, 6, 8])},
        "A size 9 weighs {w} g, with {lug} mm lugs and a {drop} mm drop.",
        suffixes=("", "", "2", "3", "Pro", "Ultra", "Max", "Lite"),
    ),
    Category(
        "hiking boots",
        "HB",
        24,
        (90, 260),
        "footwear",
        {"men": 0.5, "women": 0.45, "unisex": 0.05},
        ("brown", "grey", "black", "olive", "beige", "navy", "green", "blue"),
        (1, 3),
        (
            Style("Hiking Boot", ("hiking", "trail"), ("leather", "suede", "nylon")),
            Style("Backpacking Boot", ("backpacking", "hiking"), ("leather",), 1.2),
            Style(
                "Hiking Shoe", ("hiking", "trail", "lightweight"), ("suede", "mesh", "nylon"), 0.8
            ),
        ),
        (
            F_WATERPROOF_FOOT,
            F_GRIP,
            ("", "A nylon shank adds stability under a loaded pack.", ("backpacking",), ()),
            ("", "A rubber toe cap protects against scuffs and stubbed toes.", (), ()),
            ("", "A gusseted tongue keeps out trail debris.", (), ()),
            ("", "The leather upper breaks in quickly and wears in to fit.", (), ("leather",)),
        ),
        {"w": ("int", 420, 780)},
        "Each boot weighs about {w} g in a size 9.",
        suffixes=("", "", "Mid", "II", "Pro", "Lite"),
    ),
    Category(
        "sneakers",
        "SN",
        26,
        (50, 160),
        "footwear",
        {"men": 0.4, "women": 0.4, "unisex": 0.2},
        ("white", "black", "grey", "navy", "beige", "green", "red", "blue", "pink", "brown"),
        (1, 4),
        (
            Style(
                "Sneaker", ("everyday", "city", "commute"), ("leather", "canvas", "suede", "mesh")
            ),
            Style("Court Sneaker", ("everyday", "city"), ("leather",), 1.1),
            Style("Canvas Sneaker", ("everyday", "summer"), ("canvas",), 0.7),
            Style("Slip-On Sneaker", ("everyday", "travel"), ("canvas", "mesh"), 0.8),
            Style("Knit Sneaker", ("commute", "lightweight"), ("mesh", "recycled polyester")),
            Style("High-Top Sneaker", ("everyday", "city"), ("canvas", "leather", "suede")),
        ),
        (
            (
                "",
                "A stitched rubber cupsole gives durable support for all-day wear.",
                ("everyday",),
                (),
            ),
            ("", "A cushioned, removable insole softens long days on concrete.", ("commute",), ()),
            ("", "The leather upper softens and moulds to your feet over time.", (), ("leather",)),
            (
                "Waterproof",
                "A waterproof membrane keeps socks dry on rainy commutes.",
                ("waterproof", "rain"),
                ("commute", "city"),
            ),
            F_RECYCLED,
        ),
        {"w": ("int", 280, 460)},
        "Each shoe weighs about {w} g.",
        suffixes=("", "", "", "Low", "Classic", "Lite", "2"),
    ),
    Category(
        "sandals",
        "SA",
        16,
        (25, 130),
        "footwear",
        {"men": 0.4, "women": 0.45, "unisex": 0.15},
        ("black", "brown", "navy", "grey", "olive", "blue", "beige", "red", "pink", "orange"),
        (1, 4),
        (
            Style(
                "Sport Sandal",
                ("summer", "water", "hiking"),
                ("nylon", "polyester", "recycled polyester"),
            ),
            Style("Slide Sandal", ("summer", "beach"), ("rubber",), 0.6),
            Style("Flip-Flop", ("beach", "summer"), ("rubber",), 0.45),
            Style("Leather Sandal", ("summer", "everyday"), ("leather",), 1.2),
            Style(
                "Hiking Sandal", ("hiking", "water", "summer"), ("nylon", "recycled polyester"), 1.1
            ),
        ),
        (
            (
                "",
                "Quick-drain channels and a quick-dry footbed shed water after a swim.",
                ("water", "quick-dry"),
                (),
            ),
            (
                "",
                "A contoured footbed with arch support keeps long summer days comfortable.",
                (),
                (),
            ),
            (
                "",
                "Adjustable hook-and-loop straps dial in a secure fit.",
                (),
                ("nylon", "polyester", "recycled polyester"),
            ),
            ("", "A siped rubber outsole grips wet rocks and slick boat decks.", ("water",), ()),
        ),
        {"w": ("int", 120, 380)},
        "Each sandal weighs about {w} g.",
        suffixes=("", "", "", "II", "Lite"),
    ),
    Category(
        "winter boots",
        "WB",
        16,
        (90, 280),
        "footwear",
        {"men": 0.45, "women": 0.45, "unisex": 0.1},
        ("black", "brown", "grey", "olive", "beige", "navy"),
        (1, 3),
        (
            Style("Winter Boot", ("winter", "snow"), ("leather", "nylon", "suede")),
            Style("Snow Boot", ("winter", "snow"), ("nylon", "rubber"), 0.9),
            Style("Insulated Boot", ("winter", "insulated"), ("leather", "suede"), 1.1),
            Style("Winter Chelsea Boot", ("winter", "city"), ("leather", "suede"), 1.05),
        ),
        (
            F_WATERPROOF_FOOT,
            F_INSUL_FOOT,
            ("", "The removable felt liner dries overnight by the stove.", ("winter",), ("snow",)),
            (
                "",
                "An ice-gripping rubber outsole holds on frozen sidewalks.",
                ("winter", "commute"),
                (),
            ),
            ("", "A faux-fur collar seals out deep snow.", (), ()),
            ("", "A cosy fleece lining adds warmth around the ankle.", (), ()),
        ),
        {"F": ("choice", [-40, -25, -20, -10, 0, 10]), "w": ("int", 550, 950)},
        "Rated to {F}°F ({C}°C); each boot weighs about {w} g.",
        suffixes=("", "", "Tall", "Mid", "Pro", "II"),
    ),
    Category(
        "rain boots",
        "RB",
        12,
        (30, 150),
        "footwear",
        {"men": 0.3, "women": 0.5, "unisex": 0.2},
        ("yellow", "black", "navy", "green", "olive", "red", "pink", "blue"),
        (1, 3),
        (
            Style("Rain Boot", ("rain", "waterproof"), ("rubber",), spec={"h": ("int", 28, 36)}),
            Style(
                "Tall Rain Boot",
                ("rain", "waterproof"),
                ("rubber",),
                1.15,
                spec={"h": ("int", 36, 42)},
            ),
            Style(
                "Chelsea Rain Boot",
                ("rain", "commute", "waterproof"),
                ("rubber",),
                spec={"h": ("int", 14, 18)},
            ),
            Style(
                "Ankle Rain Boot",
                ("rain", "commute", "waterproof"),
                ("rubber",),
                0.85,
                spec={"h": ("int", 12, 16)},
            ),
        ),
        (
            ("", "A cushioned footbed makes long, wet walks comfortable.", (), ()),
            ("", "A lugged outsole grips wet pavement and muddy paths.", ("rain",), ()),
            ("", "Pull-on handles make them easy to slip on and off.", (), ()),
            ("", "A neoprene lining adds warmth on cold, wet mornings.", ("winter",), ()),
        ),
        {"w": ("int", 450, 900)},
        "Shaft height is {h} cm and each boot weighs about {w} g.",
        base_tags=("waterproof", "rain"),
        suffixes=("", "", "", "II", "Classic"),
    ),
    # ------------------------------------------------------------------ clothing
    Category(
        "t-shirts",
        "TS",
        34,
        (15, 45),
        "apparel",
        MFK,
        (
            "white",
            "black",
            "grey",
            "navy",
            "blue",
            "green",
            "olive",
            "red",
            "beige",
            "yellow",
            "orange",
            "pink",
            "purple",
            "brown",
        ),
        (2, 5),
        (
            Style("T-Shirt", ("everyday", "summer"), ("cotton", "organic cotton", "linen")),
            Style("Graphic T-Shirt", ("everyday", "summer"), ("cotton", "organic cotton"), 0.9),
            Style("Pocket Tee", ("everyday",), ("cotton", "organic cotton")),
            Style("Merino T-Shirt", ("hiking", "travel"), ("merino wool",), 1.6),
            Style(
                "Performance T-Shirt",
                ("running", "gym", "summer"),
                ("polyester", "recycled polyester"),
                1.1,
            ),
            Style(
                "Sun Tee",
                ("summer", "sun", "water"),
                ("recycled polyester", "polyester"),
                1.2,
                brands=("Bluefin", "Solstice", "Trailforge", "Cascadia"),
            ),
        ),
        (
            F_UPF,
            F_QUICKDRY,
            F_ODOR,
            F_GARMENT,
            ("", "A tagless neckline and side-seamed body keep it comfortable all day.", (), ()),
            (
                "",
                "Pre-shrunk, so the fit stays true wash after wash.",
                (),
                ("cotton", "organic cotton"),
            ),
            (
                "",
                "Flatlock seams prevent chafing under a pack.",
                ("hiking",),
                ("hiking", "running"),
            ),
        ),
        {"w": ("int", 110, 210)},
        "{fit} fit; weighs {w} g in size M.",
    ),
    Category(
        "hoodies",
        "HD",
        22,
        (35, 110),
        "apparel",
        {"men": 0.4, "women": 0.35, "unisex": 0.15, "kids": 0.1},
        (
            "grey",
            "black",
            "navy",
            "green",
            "olive",
            "beige",
            "red",
            "blue",
            "pink",
            "purple",
            "brown",
        ),
        (2, 5),
        (
            Style(
                "Hoodie",
                ("everyday",),
                ("cotton", "organic cotton", "fleece", "recycled polyester"),
            ),
            Style("Pullover Hoodie", ("everyday",), ("cotton", "organic cotton", "fleece")),
            Style(
                "Full-Zip Hoodie",
                ("everyday", "layering"),
                ("cotton", "organic cotton", "fleece", "recycled polyester"),
            ),
            Style(
                "Sun Hoodie",
                ("summer", "sun", "water"),
                ("recycled polyester", "polyester"),
                0.8,
                brands=("Bluefin", "Solstice", "Kestrel"),
            ),
            Style("Merino Hoodie", ("hiking", "travel", "layering"), ("merino wool",), 1.4),
        ),
        (
            F_BRUSHED,
            F_GARMENT,
            F_UPF,
            F_THUMB,
            ("", "A kangaroo pocket and ribbed cuffs keep the classic look.", (), ()),
            ("", "A double-layer hood holds its shape.", (), ()),
        ),
        {"gsm": ("int", 180, 420)},
        "{fit} fit in a {gsm} g/m² fabric.",
    ),
    Category(
        "sweaters",
        "SW",
        20,
        (45, 220),
        "apparel",
        MF,
        ("grey", "navy", "beige", "black", "olive", "brown", "green", "red", "white", "blue"),
        (2, 5),
        (
            Style(
                "Crewneck Sweater",
                ("everyday", "winter"),
                ("wool", "merino wool", "cotton", "organic cotton"),
            ),
            Style("Cable-Knit Sweater", ("winter", "everyday"), ("wool", "merino wool", "cotton")),
            Style("Quarter-Zip Sweater", ("layering", "travel"), ("merino wool", "wool")),
            Style(
                "Cardigan",
                ("everyday", "layering"),
                ("wool", "merino wool", "cotton", "organic cotton"),
            ),
            Style("Fisherman Sweater", ("winter",), ("wool",), 1.15),
            Style("Turtleneck Sweater", ("winter",), ("merino wool", "wool")),
        ),
        (
            ("", "Ribbed cuffs and hem hold their shape.", (), ()),
            F_ODOR,
            ("", "Made with responsibly sourced, mulesing-free wool.", (), ("merino wool", "wool")),
            ("", "A relaxed drop shoulder layers easily over a shirt.", ("layering",), ()),
            ("", "Fully fashioned seams lie flat under a jacket.", (), ()),
        ),
        {"gauge": ("choice", [3, 5, 7, 12])},
        "{fit} fit, knit on a {gauge}-gauge machine.",
    ),
    Category(
        "fleece jackets",
        "FJ",
        20,
        (45, 180),
        "apparel",
        MFK,
        ("black", "grey", "navy", "green", "olive", "blue", "red", "beige", "purple", "orange"),
        (2, 5),
        (
            Style(
                "Fleece Jacket", ("layering", "hiking", "camping"), ("fleece", "recycled polyester")
            ),
            Style("Full-Zip Fleece", ("layering", "hiking"), ("fleece", "recycled polyester")),
            Style("Fleece Pullover", ("layering", "camping", "everyday"), ("fleece",), 0.9),
            Style(
                "Grid Fleece Hoodie",
                ("layering", "hiking", "alpine"),
                ("fleece", "recycled polyester"),
                1.2,
            ),
            Style(
                "Sherpa Fleece Jacket",
                ("winter", "everyday", "camping"),
                ("fleece", "recycled polyester"),
                1.1,
            ),
        ),
        (
            ("", "A grid-back interior traps heat and vents moisture on climbs.", ("hiking",), ()),
            F_THUMB,
            F_ZIPPOCKETS,
            ("", "A stand-up collar blocks the wind around your neck.", (), ()),
            ("", "Anti-pill fleece keeps looking new season after season.", ("durable",), ()),
        ),
        {"w": ("int", 260, 520)},
        "{fit} fit; weighs {w} g in size M.",
    ),
    Category(
        "rain jackets",
        "RJ",
        24,
        (60, 380),
        "apparel",
        {"men": 0.45, "women": 0.42, "kids": 0.1, "unisex": 0.03},
        ("black", "navy", "yellow", "red", "blue", "green", "olive", "grey", "orange", "purple"),
        (2, 5),
        (
            Style("Rain Jacket", ("rain", "hiking"), ("nylon", "polyester", "recycled polyester")),
            Style("Rain Shell", ("rain", "alpine", "hiking"), ("nylon",), 1.3),
            Style(
                "Rain Parka", ("rain", "commute", "city"), ("polyester", "recycled polyester"), 1.1
            ),
            Style("Rain Coat", ("rain", "commute", "city"), ("polyester", "nylon")),
        ),
        (
            F_PACKABLE,
            ("", "Pit zips dump heat on steep climbs.", ("hiking",), ()),
            ("", "The adjustable hood fits over a climbing helmet.", ("alpine",), ("alpine",)),
            F_REFLECT,
            ("", "Fully taped seams and water-resistant zips seal out driving rain.", (), ()),
            ("", "A longer drop tail keeps you dry on a bike seat.", ("commute",), ("commute",)),
        ),
        {
            "layers": ("choice", ["2", "2.5", "3"]),
            "mm": ("choice", [10000, 15000, 20000, 28000]),
            "w": ("int", 180, 520),
        },
        "{layers}-layer shell rated to {mm:,} mm waterproof; weighs {w} g in size M.",
        base_tags=("waterproof", "rain"),
        price_key=("mm", 10000, 28000, False),
        suffixes=("", "", "", "Pro", "Lite", "2.0", "Alpine"),
    ),
    Category(
        "down jackets",
        "DJ",
        22,
        (120, 450),
        "apparel",
        {"men": 0.45, "women": 0.45, "kids": 0.1},
        (
            "black",
            "navy",
            "red",
            "olive",
            "green",
            "blue",
            "grey",
            "orange",
            "purple",
            "beige",
            "yellow",
        ),
        (2, 5),
        (
            Style("Down Jacket", ("winter", "insulated"), ("down",)),
            Style("Down Hoodie", ("winter", "insulated", "alpine"), ("down",), 1.1),
            Style("Down Parka", ("winter", "insulated", "city"), ("down",), 1.25),
            Style("Puffer Jacket", ("winter", "everyday", "city"), ("down",), 0.9),
        ),
        (
            F_PACKABLE,
            F_DWR,
            ("", "Baffled construction keeps the down evenly distributed.", (), ()),
            (
                "",
                "A helmet-compatible hood and elastic cuffs seal in warmth.",
                ("alpine",),
                ("alpine",),
            ),
            ("", "All down is certified to the Responsible Down Standard.", (), ()),
            ("", "A longer cut covers the hips on frigid mornings.", ("city",), ("city",)),
        ),
        {"fill": ("choice", [550, 600, 650, 700, 800, 850]), "w": ("int", 240, 900)},
        "Filled with {fill}-fill-power down; weighs {w} g in size M.",
        base_tags=("insulated", "winter"),
        price_key=("fill", 550, 850, False),
        suffixes=("", "", "", "Pro", "Lite", "Hybrid"),
    ),
    Category(
        "softshell jackets",
        "SJ",
        14,
        (80, 260),
        "apparel",
        MF,
        ("black", "grey", "navy", "blue", "olive", "green", "red", "orange"),
        (2, 4),
        (
            Style(
                "Softshell Jacket",
                ("hiking", "alpine"),
                ("polyester", "nylon", "recycled polyester"),
            ),
            Style("Softshell Hoodie", ("hiking", "alpine", "trail"), ("polyester", "nylon"), 1.1),
            Style(
                "Hybrid Softshell Jacket", ("hiking", "trail"), ("polyester", "recycled polyester")
            ),
        ),
        (
            F_STRETCH,
            F_WIND,
            F_DWR,
            ("", "A brushed backer adds warmth without bulk.", ("winter",), ()),
            ("", "Harness-compatible chest pockets stay accessible.", ("alpine",), ()),
            ("", "It breathes well enough for long uphill efforts.", ("breathable",), ()),
        ),
        {"w": ("int", 280, 560)},
        "{fit} fit; weighs {w} g in size M.",
        base_tags=("windproof",),
        suffixes=("", "", "Pro", "Alpine", "2.0"),
    ),
    Category(
        "jeans",
        "JN",
        20,
        (45, 160),
        "waist",
        {"men": 0.52, "women": 0.43, "kids": 0.05},
        ("blue", "navy", "black", "grey", "white", "beige"),
        (1, 3),
        (
            Style("Slim Jeans", ("everyday", "city"), ("denim",)),
            Style("Straight Jeans", ("everyday",), ("denim",)),
            Style("Relaxed Jeans", ("everyday",), ("denim",), 0.95),
            Style("Tapered Jeans", ("everyday", "commute"), ("denim",)),
            Style("Skinny Jeans", ("everyday", "city"), ("denim",), genders={"women": 1.0}),
            Style("Bootcut Jeans", ("everyday",), ("denim",), genders={"women": 1.0}),
            Style(
                "Carpenter Jeans",
                ("everyday", "durable"),
                ("denim",),
                0.9,
                brands=("Ridgeway", "Urban Stride"),
            ),
        ),
        (
            ("Selvedge", "Cut from selvedge denim woven on vintage shuttle looms.", (), ()),
            (
                "Stretch",
                "A touch of stretch keeps them comfortable from desk to bike.",
                ("commute",),
                (),
            ),
            ("", "Rivet-reinforced pockets handle daily wear.", ("durable",), ()),
            ("", "A gusseted crotch gives freedom to bike or climb.", ("commute",), ()),
            ("", "Rinsed once for a clean, dark wash.", (), ()),
        ),
        {"oz": ("choice", [10, 11, 12, 12.5, 13, 14]), "inseam": ("choice", [30, 32, 34])},
        "{fit} fit in {oz} oz denim with a {inseam}-inch inseam.",
    ),
    Category(
        "hiking pants",
        "HP",
        20,
        (45, 140),
        "waist",
        {"men": 0.47, "women": 0.43, "kids": 0.1},
        ("olive", "grey", "black", "beige", "navy", "brown", "green", "blue"),
        (1, 4),
        (
            Style(
                "Hiking Pants", ("hiking", "trail"), ("nylon", "polyester", "recycled polyester")
            ),
            Style("Trekking Pants", ("hiking", "backpacking"), ("nylon", "polyester"), 1.1),
            Style("Softshell Pants", ("hiking", "alpine", "winter"), ("polyester", "nylon"), 1.25),
            Style("Trail Pants", ("hiking", "trail", "travel"), ("nylon", "recycled polyester")),
            Style(
                "Canvas Hiking Pants",
                ("hiking", "durable"),
                ("canvas",),
                0.9,
                brands=("Ridgeway", "Alder & Oak", "Pinecrest"),
            ),
        ),
        (
            F_STRETCH,
            (
                "Convertible",
                "Zip-off legs turn them into shorts when the afternoon heats up.",
                ("hiking", "summer", "travel"),
                (),
            ),
            ("Cargo", "Cargo pockets hold a map, snacks and a phone.", ("hiking",), ()),
            (
                "",
                "A gusseted crotch and articulated knees allow a full range of movement.",
                ("hiking",),
                (),
            ),
            F_DWR,
            F_UPF,
            F_QUICKDRY,
        ),
        {"inseam": ("choice", [30, 32, 34]), "w": ("int", 250, 420)},
        "{fit} fit with a {inseam}-inch inseam; weighs {w} g.",
    ),
    Category(
        "shorts",
        "SH",
        22,
        (20, 75),
        "apparel",
        {"men": 0.45, "women": 0.4, "kids": 0.15},
        (
            "black",
            "navy",
            "grey",
            "olive",
            "beige",
            "blue",
            "green",
            "red",
            "orange",
            "pink",
            "purple",
            "yellow",
        ),
        (2, 5),
        (
            Style(
                "Running Shorts",
                ("running", "summer", "lightweight"),
                ("polyester", "recycled polyester", "nylon"),
                spec={"inseam": ("choice", [3, 5, 7])},
            ),
            Style(
                "Board Shorts",
                ("swim", "beach", "summer", "water"),
                ("recycled polyester", "polyester"),
                brands=("Bluefin", "Solstice"),
                spec={"inseam": ("choice", [7, 9, 11])},
            ),
            Style(
                "Hiking Shorts",
                ("hiking", "trail", "summer"),
                ("nylon", "polyester"),
                spec={"inseam": ("choice", [5, 7, 9])},
            ),
            Style(
                "Chino Shorts",
                ("everyday", "summer"),
                ("cotton", "organic cotton"),
                spec={"inseam": ("choice", [7, 9])},
            ),
            Style(
                "Linen Shorts",
                ("summer", "travel", "beach"),
                ("linen",),
                1.1,
                spec={"inseam": ("choice", [5, 7])},
            ),
            Style(
                "Denim Shorts",
                ("summer", "everyday"),
                ("denim",),
                spec={"inseam": ("choice", [3, 5, 7])},
            ),
            Style(
                "Swim Trunks",
                ("swim", "beach", "water", "summer"),
                ("recycled polyester", "polyester"),
                brands=("Bluefin",),
                genders={"men": 0.8, "kids": 0.2},
                spec={"inseam": ("choice", [5, 7])},
            ),
        ),
        (
            (
                "",
                "A built-in brief liner and a drawcord waist keep everything secure.",
                ("running",),
                ("running",),
            ),
            F_OWN_POCKET,
            F_QUICKDRY,
            F_STRETCH,
            F_UPF,
            ("", "An elastic waist with a drawcord gives an easy, adjustable fit.", (), ()),
        ),
        {"inseam": ("choice", [5, 7, 9])},
        "{fit} fit with a {inseam}-inch inseam.",
    ),
    Category(
        "leggings",
        "LG",
        16,
        (25, 110),
        "apparel",
        {"women": 0.82, "kids": 0.18},
        ("black", "navy", "grey", "purple", "pink", "olive", "blue", "green", "red", "brown"),
        (2, 5),
        (
            Style(
                "Leggings",
                ("yoga", "gym", "everyday"),
                ("polyester", "recycled polyester", "nylon"),
            ),
            Style("High-Rise Leggings", ("yoga", "gym"), ("nylon", "recycled polyester"), 1.1),
            Style("Running Leggings", ("running",), ("polyester", "recycled polyester"), 1.05),
            Style("Thermal Leggings", ("winter", "running"), ("polyester", "merino wool"), 1.2),
            Style("7/8 Leggings", ("yoga", "gym"), ("nylon", "recycled polyester")),
        ),
        (
            F_OWN_POCKET,
            (
                "",
                "Squat-proof, four-way stretch fabric moves with every pose.",
                ("gym", "yoga"),
                (),
            ),
            ("", "A wide, high-rise waistband stays put without digging in.", ("yoga",), ()),
            F_QUICKDRY,
            F_REFLECT,
            ("", "A brushed inner face holds warmth on cold runs.", ("winter",), ("winter",)),
        ),
        {"rise": ("choice", ["high", "mid"]), "inseam": ("choice", [24, 25, 26, 28])},
        "{Rise}-rise fit with a {inseam}-inch inseam.",
    ),
    Category(
        "dresses",
        "DR",
        14,
        (35, 140),
        "apparel",
        {"women": 0.9, "kids": 0.1},
        (
            "black",
            "navy",
            "green",
            "blue",
            "beige",
            "red",
            "pink",
            "white",
            "olive",
            "purple",
            "yellow",
        ),
        (2, 5),
        (
            Style(
                "Midi Dress",
                ("everyday", "summer"),
                ("cotton", "organic cotton", "linen"),
                spec={"length": ("choice", ["midi"])},
            ),
            Style(
                "Wrap Dress",
                ("everyday", "travel"),
                ("polyester", "merino wool", "organic cotton"),
                1.1,
            ),
            Style(
                "Sundress",
                ("summer", "beach"),
                ("cotton", "linen"),
                0.9,
                spec={"length": ("choice", ["knee", "above-the-knee"])},
            ),
            Style(
                "Active Dress", ("summer", "hiking", "travel"), ("polyester", "recycled polyester")
            ),
            Style(
                "T-Shirt Dress",
                ("everyday", "summer"),
                ("cotton", "organic cotton"),
                0.8,
                spec={"length": ("choice", ["knee", "above-the-knee"])},
            ),
            Style("Sweater Dress", ("winter",), ("merino wool", "wool"), 1.2),
            Style("Shirt Dress", ("everyday", "travel"), ("linen", "cotton")),
        ),
        (
            ("", "Hidden side-seam pockets hold a phone.", (), ()),
            F_UPF,
            (
                "",
                "A built-in shorts liner makes it easy to move in on the trail.",
                ("hiking",),
                ("hiking",),
            ),
            ("", "Wrinkle-resistant fabric packs flat for travel.", ("travel",), ("travel",)),
            ("", "An adjustable tie waist lets you set the shape.", (), ()),
        ),
        {"length": ("choice", ["knee", "midi", "maxi", "above-the-knee"])},
        "{fit} fit with a {length}-length hem.",
    ),
    Category(
        "socks",
        "SK",
        24,
        (8, 25),
        "socks",
        {"men": 0.3, "women": 0.3, "unisex": 0.3, "kids": 0.1},
        (
            "grey",
            "black",
            "navy",
            "olive",
            "blue",
            "red",
            "green",
            "orange",
            "purple",
            "pink",
            "white",
            "brown",
            "beige",
        ),
        (1, 4),
        (
            Style(
                "Hiking Socks",
                ("hiking", "trail"),
                ("merino wool", "wool"),
                spec={"height": ("choice", ["crew", "micro-crew"])},
            ),
            Style(
                "Crew Socks",
                ("everyday",),
                ("cotton", "merino wool", "organic cotton"),
                spec={"height": ("choice", ["crew"])},
            ),
            Style(
                "Running Socks",
                ("running", "lightweight"),
                ("polyester", "merino wool"),
                spec={"height": ("choice", ["no-show", "quarter", "ankle"])},
            ),
            Style(
                "Ski Socks",
                ("winter", "ski"),
                ("merino wool", "wool"),
                1.2,
                spec={"height": ("choice", ["over-the-calf"])},
            ),
            Style(
                "Ankle Socks 3-Pack",
                ("everyday", "summer"),
                ("cotton", "polyester"),
                1.1,
                spec={"height": ("choice", ["ankle"])},
            ),
        ),
        (
            ("Cushioned", "Full cushioning underfoot softens long days on your feet.", (), ()),
            ("", "A seamless toe prevents rubbing.", (), ()),
            ("", "An arch-support band keeps them from slipping.", (), ()),
            F_ODOR,
            ("", "Mesh venting over the instep lets feet breathe.", ("breathable",), ()),
        ),
        {"cushion": ("choice", ["light", "medium", "full"]), "height": ("choice", ["crew"])},
        "{Cushion} cushion, {height} height.",
    ),
    Category(
        "base layers",
        "BL",
        16,
        (30, 120),
        "apparel",
        MFK,
        ("black", "grey", "navy", "blue", "red", "green", "olive", "purple", "pink"),
        (2, 4),
        (
            Style(
                "Base Layer Top",
                ("layering", "winter", "hiking"),
                ("merino wool", "polyester", "recycled polyester"),
            ),
            Style(
                "Base Layer Bottoms", ("layering", "winter", "ski"), ("merino wool", "polyester")
            ),
            Style(
                "Quarter-Zip Base Layer",
                ("layering", "winter", "alpine"),
                ("merino wool", "polyester"),
                1.1,
            ),
            Style(
                "Crew Base Layer",
                ("layering", "hiking", "running"),
                ("merino wool", "recycled polyester"),
            ),
        ),
        (
            F_ODOR,
            F_QUICKDRY,
            F_THUMB,
            ("", "Flatlock seams sit comfortably under a pack and harness.", (), ()),
            ("", "A close, stretchy fit wicks moisture away from the skin.", ("breathable",), ()),
        ),
        {"gsm": ("int", 150, 260)},
        "{fit} fit in {gsm} g/m² fabric.",
        base_tags=("layering",),
    ),
    # ------------------------------------------------------------------ outdoor gear
    Category(
        "tents",
        "TN",
        18,
        (90, 600),
        "onesize",
        UNI,
        ("green", "olive", "orange", "grey", "yellow", "blue", "beige"),
        (1, 2),
        (
            Style(
                "Backpacking Tent",
                ("backpacking", "camping", "lightweight"),
                ("nylon",),
                0.9,
                spec={"p": ("choice", [1, 2, 2, 3])},
            ),
            Style(
                "Dome Tent",
                ("camping",),
                ("polyester", "recycled polyester"),
                0.45,
                spec={"p": ("choice", [2, 3, 4, 6])},
            ),
            Style(
                "Family Tent", ("camping",), ("polyester",), 0.65, spec={"p": ("choice", [4, 6, 8])}
            ),
            Style(
                "Ultralight Tent",
                ("backpacking", "lightweight"),
                ("nylon",),
                1.25,
                spec={"p": ("choice", [1, 2])},
            ),
            Style(
                "Four-Season Tent",
                ("winter", "alpine", "backpacking"),
                ("nylon",),
                1.5,
                spec={"p": ("choice", [2, 3])},
                brands=("Northpeak", "Stormline"),
            ),
        ),
        (
            ("", "Colour-coded clips and poles make pitching fast, even in the dark.", (), ()),
            ("", "Two doors and two vestibules give everyone their own way in.", (), ()),
            ("", "A full-coverage rainfly with taped seams keeps storms out.", ("waterproof",), ()),
            ("", "Mesh walls maximise airflow on warm nights.", ("summer",), ()),
            ("Freestanding", "The freestanding design pitches anywhere, even on rock.", (), ()),
            ("", "Interior pockets and a lantern loop keep essentials organised.", (), ()),
        ),
        {"p": ("choice", [2])},
        "Sleeps {p}; weighs {kg} kg with {area} m² of floor space.",
        title_tpl="{model} {p}-Person",
        price_key=("p", 1, 8, False),
    ),
    Category(
        "sleeping bags",
        "SB",
        16,
        (60, 480),
        "bag",
        UNI,
        ("blue", "green", "orange", "red", "grey", "navy", "olive", "yellow", "purple"),
        (1, 2),
        (
            Style(
                "Down Sleeping Bag",
                ("backpacking", "camping", "insulated"),
                ("down",),
                1.3,
                spec={"F": ("choice", [0, 15, 20, 30])},
            ),
            Style(
                "Synthetic Sleeping Bag",
                ("camping", "backpacking", "insulated"),
                ("polyester", "recycled polyester"),
                0.85,
                spec={"F": ("choice", [20, 30, 40])},
            ),
            Style(
                "Mummy Sleeping Bag",
                ("backpacking", "insulated"),
                ("down", "polyester"),
                spec={"F": ("choice", [-10, 0, 15, 20])},
            ),
            Style(
                "Rectangular Sleeping Bag",
                ("camping",),
                ("polyester",),
                0.5,
                spec={"F": ("choice", [30, 40, 50])},
            ),
        ),
        (
            ("", "A draft collar and zip baffle seal in warmth on cold nights.", ("winter",), ()),
            ("", "The contoured hood cinches down with one hand.", (), ()),
            ("", "A two-way zipper lets you vent your feet on warm nights.", (), ()),
            ("", "It compresses into the included stuff sack.", ("packable",), ()),
            (
                "",
                "A water-resistant shell protects the fill from tent condensation.",
                ("water-resistant",),
                (),
            ),
        ),
        {"F": ("choice", [20])},
        "Rated to {F}°F ({C}°C) with a packed weight of {kg} kg.",
        title_tpl="{model} {F}",
        price_key=("F", -10, 50, True),
    ),
    Category(
        "backpacks",
        "BP",
        26,
        (35, 320),
        "onesize",
        UNI,
        (
            "black",
            "grey",
            "navy",
            "green",
            "olive",
            "blue",
            "red",
            "orange",
            "beige",
            "brown",
            "yellow",
            "purple",
        ),
        (1, 4),
        (
            Style(
                "Backpacking Pack",
                ("backpacking", "hiking"),
                ("nylon", "recycled polyester"),
                1.0,
                spec={"L": ("choice", [45, 50, 55, 60, 65, 70])},
                sizes="torso",
            ),
            Style(
                "Daypack",
                ("hiking", "travel"),
                ("nylon", "recycled polyester", "polyester"),
                0.8,
                spec={"L": ("choice", [18, 20, 22, 24, 28, 30])},
            ),
            Style(
                "Commuter Backpack",
                ("commute", "city", "everyday"),
                ("polyester", "recycled polyester", "canvas"),
                0.9,
                spec={"L": ("choice", [18, 20, 22, 26, 28])},
                brands=("Urban Stride", "Stormline", "Alder & Oak", "Cascadia", "Ridgeway"),
            ),
            Style(
                "Running Vest",
                ("running", "trail", "lightweight"),
                ("nylon",),
                0.9,
                spec={"L": ("choice", [5, 8, 10, 12])},
                sizes="torso",
                brands=("Trailforge", "Kestrel"),
            ),
            Style(
                "Dry Bag Backpack",
                ("water", "waterproof", "travel"),
                ("nylon", "polyester"),
                0.7,
                spec={"L": ("choice", [20, 25, 30, 35])},
                brands=("Bluefin", "Stormline"),
            ),
            Style(
                "Canvas Rucksack",
                ("everyday", "travel"),
                ("canvas",),
                1.0,
                spec={"L": ("choice", [20, 22, 24, 26])},
                brands=("Alder & Oak", "Ridgeway", "Urban Stride"),
            ),
        ),
        (
            (
                "",
                "A padded laptop sleeve fits a 16-inch laptop.",
                ("commute",),
                ("commute", "everyday"),
            ),
            (
                "",
                "An adjustable suspension spreads the load onto your hips.",
                ("backpacking",),
                ("backpacking",),
            ),
            ("", "Stretch side pockets hold water bottles within reach.", (), ()),
            ("", "It is hydration-reservoir compatible.", ("hiking",), ("hiking", "running")),
            (
                "",
                "Roll-top closure and welded seams keep the contents dry.",
                ("waterproof",),
                ("waterproof",),
            ),
            (
                "",
                "A ventilated mesh back panel keeps air moving on hot climbs.",
                ("summer",),
                ("hiking", "backpacking"),
            ),
        ),
        {"L": ("choice", [22])},
        "{L} L capacity; weighs {kg} kg.",
        title_tpl="{model} {L}",
        price_key=("L", 5, 70, False),
    ),
    Category(
        "trekking poles",
        "TP",
        10,
        (40, 190),
        "onesize",
        UNI,
        ("black", "blue", "red", "orange", "grey", "green"),
        (1, 2),
        (
            Style("Trekking Poles", ("hiking", "backpacking", "trail"), (None,)),
            Style("Carbon Trekking Poles", ("hiking", "lightweight"), (None,), 1.4),
            Style("Folding Trekking Poles", ("trail", "running", "lightweight"), (None,), 1.2),
        ),
        (
            ("", "Cork grips wick sweat and mould to your hands.", (), ()),
            ("", "Quick-lock levers adjust the length in seconds, even with gloves on.", (), ()),
            (
                "",
                "Carbide tips bite on rock and ice; rubber tips for pavement are included.",
                (),
                (),
            ),
            ("", "Interchangeable snow baskets make them ready for winter.", ("winter",), ()),
        ),
        {
            "w": ("int", 380, 620),
            "lo": ("choice", [100, 105, 110]),
            "hi": ("choice", [125, 130, 135, 140]),
        },
        "The pair weighs {w} g and adjusts from {lo} to {hi} cm.",
    ),
    Category(
        "headlamps",
        "HL",
        12,
        (20, 90),
        "onesize",
        UNI,
        ("black", "orange", "blue", "red", "yellow", "grey", "green"),
        (1, 3),
        (
            Style("Headlamp", ("camping", "hiking"), (None,)),
            Style("Rechargeable Headlamp", ("camping", "hiking", "backpacking"), (None,), 1.15),
            Style("Running Headlamp", ("running", "trail", "lightweight"), (None,), 1.1),
        ),
        (
            ("", "A red night-vision mode saves your tent-mates' eyes.", ("camping",), ()),
            ("", "It recharges over USB-C in about three hours.", (), ()),
            ("", "A lock mode stops it turning on in your pack.", (), ()),
            ("", "The lamp tilts 45 degrees to light the trail at your feet.", ("trail",), ()),
        ),
        {
            "lm": ("choice", [200, 300, 350, 400, 450, 500, 600, 800]),
            "h": ("int", 40, 200),
            "ipx": ("choice", [4, 6, 7]),
            "g": ("int", 45, 110),
        },
        "Up to {lm} lumens, {h} hours on low and IPX{ipx} water resistance; weighs {g} g.",
        title_tpl="{model} {lm}",
        price_key=("lm", 200, 800, False),
    ),
    Category(
        "water bottles",
        "WT",
        14,
        (12, 50),
        "onesize",
        UNI,
        (
            "blue",
            "black",
            "green",
            "white",
            "red",
            "yellow",
            "pink",
            "purple",
            "orange",
            "grey",
            "navy",
            "olive",
        ),
        (2, 5),
        (
            Style(
                "Insulated Water Bottle",
                ("hiking", "commute", "everyday"),
                (None,),
                1.1,
                spec={"oz": ("choice", [20, 24, 32, 40])},
                spec_tpl="Holds {oz} oz ({ml} ml) and keeps drinks cold for 24 hours or hot "
                "for 12.",
            ),
            Style(
                "Water Bottle",
                ("hiking", "gym"),
                (None,),
                0.6,
                spec={"oz": ("choice", [16, 24, 32])},
                spec_tpl="Holds {oz} oz ({ml} ml); BPA-free and dishwasher safe.",
            ),
            Style(
                "Soft Flask",
                ("running", "trail", "lightweight"),
                (None,),
                0.7,
                spec={"oz": ("choice", [8, 17])},
                spec_tpl="Holds {oz} oz ({ml} ml) and rolls up small when empty.",
            ),
            Style(
                "Filter Water Bottle",
                ("hiking", "backpacking", "travel"),
                (None,),
                1.3,
                spec={"oz": ("choice", [20, 24])},
                spec_tpl="Holds {oz} oz ({ml} ml); the filter lasts about 1,000 litres.",
            ),
        ),
        (
            ("", "A leak-proof lid with a carry loop clips onto a pack.", (), ()),
            ("", "The wide mouth takes ice cubes and cleans easily.", (), ()),
            ("", "A powder-coated finish adds grip and resists chips.", ("durable",), ()),
        ),
        {"oz": ("choice", [24])},
        None,
        title_tpl="{model} {oz} oz",
    ),
    Category(
        "camping stoves",
        "CS",
        10,
        (35, 180),
        "onesize",
        UNI,
        ("grey", "black", "orange", "green"),
        (1, 1),
        (
            Style("Canister Stove", ("backpacking", "lightweight"), (None,), 0.7),
            Style(
                "Two-Burner Camping Stove",
                ("camping",),
                (None,),
                1.2,
                spec={"btu": ("choice", [10000, 12000, 15000]), "kg": ("float", 3.5, 6.0, 1)},
                spec_tpl="Two {btu:,} BTU burners; weighs {kg} kg.",
            ),
            Style("Integrated Canister Stove", ("backpacking", "camping"), (None,), 1.3),
            Style(
                "Wood Camping Stove",
                ("camping", "backpacking"),
                (None,),
                0.8,
                spec_tpl="Burns twigs and pine cones; weighs {g} g.",
            ),
        ),
        (
            ("", "Piezo ignition lights it without matches.", (), ()),
            ("", "A built-in wind shield keeps the flame steady on exposed sites.", (), ()),
            ("", "Precise simmer control goes from a rolling boil to a gentle simmer.", (), ()),
            ("", "Everything nests inside the pot for packing.", ("packable",), ()),
        ),
        {"min": ("float", 2.5, 6.0, 1), "g": ("int", 80, 560)},
        "Boils a litre of water in about {min} minutes; weighs {g} g.",
    ),
    Category(
        "sleeping pads",
        "SP",
        12,
        (30, 210),
        "pad",
        UNI,
        ("blue", "green", "orange", "yellow", "grey", "red", "olive"),
        (1, 2),
        (
            Style(
                "Inflatable Sleeping Pad",
                ("backpacking", "lightweight"),
                ("nylon", "recycled polyester"),
                spec={"r": ("float", 2.0, 4.5, 1)},
            ),
            Style(
                "Self-Inflating Sleeping Pad",
                ("camping",),
                ("polyester", "nylon"),
                0.8,
                spec={"r": ("float", 2.5, 5.0, 1)},
            ),
            Style(
                "Insulated Sleeping Pad",
                ("winter", "backpacking", "insulated"),
                ("nylon",),
                1.3,
                spec={"r": ("float", 4.5, 7.0, 1)},
            ),
        ),
        (
            (
                "",
                "A one-way valve inflates it in a few breaths and deflates it in seconds.",
                (),
                (),
            ),
            ("", "Horizontal baffles keep you centred through the night.", (), ()),
            ("", "It packs down to the size of a water bottle.", ("packable",), ()),
            ("", "A quiet, non-crinkly fabric won't wake your tent-mate.", (), ()),
        ),
        {"r": ("float", 2.0, 5.0, 1), "cm": ("int", 4, 10), "g": ("int", 340, 1400)},
        "R-value {r}; {cm} cm thick and weighs {g} g.",
        price_key=("r", 2.0, 7.0, False),
    ),
    # ------------------------------------------------------------------ accessories
    Category(
        "hats",
        "HT",
        18,
        (18, 55),
        "hat",
        {"unisex": 0.6, "men": 0.1, "women": 0.15, "kids": 0.15},
        (
            "black",
            "navy",
            "beige",
            "olive",
            "grey",
            "blue",
            "green",
            "white",
            "red",
            "brown",
            "orange",
            "pink",
        ),
        (1, 4),
        (
            Style(
                "Baseball Cap", ("everyday", "summer"), ("cotton", "organic cotton", "polyester")
            ),
            Style("Trucker Hat", ("everyday", "summer"), ("cotton", "polyester"), 0.9),
            Style("Sun Hat", ("summer", "sun", "hiking"), ("nylon", "polyester", "linen"), 1.2),
            Style("Bucket Hat", ("summer", "everyday", "beach"), ("cotton", "canvas", "nylon")),
            Style(
                "Rain Hat",
                ("rain", "waterproof"),
                ("nylon",),
                1.1,
                brands=("Stormline", "Cascadia"),
            ),
            Style(
                "Running Cap",
                ("running", "lightweight", "summer"),
                ("polyester", "recycled polyester"),
            ),
            Style(
                "Wool Felt Hat",
                ("everyday", "winter"),
                ("wool",),
                1.5,
                brands=("Alder & Oak", "Ridgeway"),
            ),
        ),
        (
            F_UPF,
            ("", "A sweat-wicking headband keeps sweat out of your eyes.", (), ()),
            ("", "An adjustable strap at the back dials in the fit.", (), ()),
            ("", "A packable brim springs back into shape.", ("packable",), ()),
        ),
        {},
        None,
    ),
    Category(
        "beanies",
        "BN",
        16,
        (15, 50),
        "onesize",
        {"unisex": 0.7, "women": 0.15, "kids": 0.15},
        (
            "black",
            "grey",
            "navy",
            "red",
            "olive",
            "beige",
            "green",
            "orange",
            "yellow",
            "pink",
            "purple",
            "brown",
            "blue",
            "white",
        ),
        (2, 5),
        (
            Style("Beanie", ("winter",), ("wool", "merino wool", "cotton", "recycled polyester")),
            Style("Cuffed Beanie", ("winter", "everyday"), ("wool", "merino wool", "cotton")),
            Style("Pom Beanie", ("winter", "ski"), ("wool", "recycled polyester"), 1.1),
            Style("Fleece-Lined Beanie", ("winter", "ski"), ("wool", "recycled polyester"), 1.15),
            Style("Fisherman Beanie", ("everyday",), ("wool", "merino wool", "organic cotton")),
        ),
        (
            ("", "A rib knit stretches to fit most heads.", (), ()),
            F_ODOR,
            ("", "A fleece band over the ears blocks the wind.", ("windproof",), ()),
        ),
        {},
        None,
    ),
    Category(
        "gloves",
        "GL",
        16,
        (18, 95),
        "gloves",
        {"unisex": 0.3, "men": 0.3, "women": 0.3, "kids": 0.1},
        ("black", "grey", "navy", "brown", "olive", "red", "blue", "beige"),
        (1, 3),
        (
            Style("Gloves", ("winter",), ("fleece", "wool", "polyester", "leather")),
            Style(
                "Insulated Gloves",
                ("winter", "ski", "insulated"),
                ("nylon", "polyester", "leather"),
                1.3,
            ),
            Style(
                "Touchscreen Gloves",
                ("commute", "winter"),
                ("wool", "merino wool", "fleece", "polyester"),
                0.8,
            ),
            Style("Mittens", ("winter", "ski"), ("wool", "nylon", "leather"), 1.1),
            Style("Liner Gloves", ("running", "layering"), ("merino wool", "polyester"), 0.6),
        ),
        (
            (
                "Waterproof",
                "A waterproof insert keeps hands dry in wet snow.",
                ("waterproof",),
                ("ski", "winter"),
            ),
            ("", "Touchscreen-compatible fingertips work with a phone.", ("commute",), ()),
            ("", "A leather palm adds grip and durability.", ("durable",), ()),
            ("", "An elastic cuff seals out snow.", (), ()),
        ),
        {},
        None,
    ),
    Category(
        "scarves",
        "SC",
        10,
        (20, 120),
        "onesize",
        {"unisex": 0.5, "women": 0.4, "men": 0.1},
        (
            "grey",
            "navy",
            "beige",
            "red",
            "green",
            "black",
            "brown",
            "olive",
            "pink",
            "blue",
            "purple",
        ),
        (1, 4),
        (
            Style("Scarf", ("winter", "everyday"), ("wool", "merino wool", "cotton")),
            Style("Blanket Scarf", ("winter",), ("wool",), 1.2),
            Style("Infinity Scarf", ("everyday",), ("cotton", "linen", "merino wool")),
            Style("Lightweight Scarf", ("summer", "travel"), ("linen", "cotton"), 0.8),
            Style("Fleece Scarf", ("winter", "camping"), ("fleece",), 0.6),
        ),
        (
            ("", "Fringed ends and a soft brushed finish.", (), ()),
            ("", "Generous enough to wrap twice or wear as a shawl.", ("travel",), ()),
            F_ODOR,
        ),
        {"len": ("int", 160, 200), "wid": ("int", 25, 70)},
        "It measures {len} by {wid} cm.",
    ),
    Category(
        "sunglasses",
        "SG",
        14,
        (30, 180),
        "onesize",
        {"unisex": 0.8, "men": 0.1, "women": 0.1},
        ("black", "brown", "blue", "grey", "green", "white", "pink", "red"),
        (1, 3),
        (
            Style("Sunglasses", ("summer", "everyday"), ("nylon",)),
            Style("Sport Sunglasses", ("running", "trail", "summer"), ("nylon",), 1.2),
            Style("Polarized Sunglasses", ("water", "summer", "beach"), ("nylon",), 1.3),
            Style(
                "Glacier Glasses",
                ("alpine", "winter"),
                ("nylon",),
                1.4,
                brands=("Northpeak",),
                spec={"cat": ("choice", [4])},
            ),
            Style("Aviator Sunglasses", ("everyday", "summer"), ("nylon",)),
        ),
        (
            ("", "Polarized lenses cut glare off water and snow.", ("water",), ()),
            (
                "",
                "Rubber nose pads and temple tips keep them in place on the move.",
                ("running",),
                (),
            ),
            ("", "A lightweight nylon frame flexes instead of snapping.", ("lightweight",), ()),
            ("", "A hard case and microfibre pouch are included.", (), ()),
        ),
        {"cat": ("choice", [2, 3, 3]), "g": ("int", 22, 38)},
        "Category {cat} lenses block 100% of UVA and UVB; weighs {g} g.",
    ),
)
CATEGORY_BY_NAME = {c.name: c for c in CATEGORIES}

# --------------------------------------------------------------------------- phrases

USE_PHRASES: dict[str, tuple[str, ...]] = {
    "trail": ("technical trails", "rocky singletrack", "muddy trail runs"),
    "hiking": ("day hikes", "long days on the trail", "weekend hikes"),
    "backpacking": ("multi-day backpacking trips", "thru-hikes", "nights in the backcountry"),
    "running": ("daily training runs", "road miles", "tempo days and long runs"),
    "race": ("race day", "fast tempo sessions"),
    "commute": ("the daily commute", "city streets and bike commutes"),
    "everyday": ("everyday wear", "weekends in town", "errands and coffee runs"),
    "city": ("city life", "weekends in town"),
    "camping": ("car-camping weekends", "family campouts", "evenings round the fire"),
    "winter": ("cold winter days", "snowy walks and ski-town evenings"),
    "snow": ("deep snow", "shovelling the drive and snowy walks"),
    "ski": ("days on the slopes", "ski touring"),
    "summer": ("hot summer days", "warm evenings outdoors"),
    "rain": ("wet-weather days", "rainy commutes and soggy hikes"),
    "alpine": ("alpine climbs", "high mountain routes"),
    "travel": ("travel days", "trips where every gram counts"),
    "yoga": ("yoga and studio sessions",),
    "gym": ("gym sessions", "the gym and everyday errands"),
    "swim": ("swims and surf sessions",),
    "beach": ("beach days", "lazy days by the sea"),
    "water": ("lake days and river crossings", "paddling and beach days"),
    "layering": ("layering on cold mornings",),
    "sun": ("long days in the sun",),
    "road": ("road miles",),
}
ADJECTIVES: dict[str, tuple[str, ...]] = {
    "lightweight": ("lightweight", "featherweight"),
    "waterproof": ("fully waterproof", "storm-ready"),
    "insulated": ("warm", "cosy"),
    "durable": ("hard-wearing", "rugged"),
    "everyday": ("versatile", "easy-going"),
    "": ("versatile", "dependable", "comfortable", "well-made", "go-to", "hard-working"),
}
OPENINGS = (
    "The {name} {is} {a_adj} {noun} made for {use}.",
    "Built for {use}, {this} {adj} {noun} from {brand} {keep} things simple.",
    "{brand}'s {name} {is} designed for {use}.",
    "{A_adj} {noun} for {use} and {use2}.",
    "Meet the {name}: {a_adj} {noun} for {use}.",
    "Whether it's {use} or {use2}, the {name} {is} up to the job.",
    "From {use} to {use2}, {this} {noun} {have} you covered.",
)
PLURAL_NOUNS = (
    "Gloves",
    "Mittens",
    "Sunglasses",
    "Glasses",
    "Socks",
    "Jeans",
    "Pants",
    "Shorts",
    "Leggings",
    "Trunks",
    "Poles",
    "Bottoms",
)
MATERIAL_SENTENCES: dict[str, tuple[str, ...]] = {
    "cotton": (
        "Soft, breathable cotton gets better with every wash.",
        "Made from midweight cotton that keeps its shape.",
    ),
    "organic cotton": (
        "Certified organic cotton is grown without synthetic pesticides.",
        "Made from soft organic cotton that breathes on warm days.",
    ),
    "merino wool": (
        "Fine merino wool regulates temperature and stays warm when damp.",
        "Soft merino wool feels smooth against the skin, never itchy.",
    ),
    "wool": (
        "Dense wool holds warmth and shrugs off a light drizzle.",
        "Made from traditional wool that wears in beautifully.",
    ),
    "polyester": (
        "Quick-drying polyester keeps its shape and colour.",
        "Durable polyester holds up to hard use and frequent washing.",
    ),
    "recycled polyester": (
        "Made from recycled polyester spun from post-consumer bottles.",
        "Recycled polyester cuts waste without giving up durability.",
    ),
    "nylon": (
        "Tough ripstop nylon resists abrasion and tears.",
        "Lightweight nylon keeps the weight down and packs small.",
    ),
    "leather": (
        "Full-grain leather ages well and wears in to fit.",
        "Made from water-resistant leather from a certified tannery.",
    ),
    "suede": (
        "Soft suede looks sharp and breaks in quickly.",
        "A suede upper adds durability and a classic look.",
    ),
    "canvas": (
        "Heavy cotton canvas stands up to years of use.",
        "Waxed canvas develops character the more you use it.",
    ),
    "denim": (
        "Cut from sturdy cotton denim that fades with character.",
        "The denim is ring-spun for depth of colour and a soft hand.",
    ),
    "fleece": (
        "Soft fleece traps heat and dries fast.",
        "Plush fleece gives warmth without weight.",
    ),
    "down": (
        "Responsibly sourced down gives the best warmth-to-weight ratio there is.",
        "Lofty down traps heat and compresses small.",
    ),
    "rubber": (
        "Natural rubber is fully waterproof and stays flexible in the cold.",
        "Made from hand-laid natural rubber.",
    ),
    "linen": (
        "Breezy linen keeps you cool and softens with every wear.",
        "Made from European flax linen with a relaxed, textured look.",
    ),
    "mesh": (
        "An engineered mesh upper breathes on hot days.",
        "Breathable mesh keeps feet cool over long miles.",
    ),
}
CARE_SENTENCES: dict[str, tuple[str, ...]] = {
    "cotton": ("Machine wash cold, tumble dry low.",),
    "organic cotton": ("Machine wash cold, tumble dry low.",),
    "linen": ("Machine wash cold on a gentle cycle and line dry.",),
    "denim": ("Wash cold, inside out, and line dry to keep the colour.",),
    "merino wool": ("Machine wash cold on a wool cycle and lay flat to dry.",),
    "wool": ("Hand wash or dry clean.", "Machine wash cold on a wool cycle and lay flat to dry."),
    "down": ("Wash with a down-specific cleaner and tumble dry low with dryer balls.",),
    "leather": ("Brush clean and treat with a leather conditioner now and then.",),
    "suede": ("Brush clean and protect with a suede spray.",),
    "rubber": ("Rinse with fresh water and store out of direct sunlight.",),
    "canvas": ("Spot clean with mild soap and water.",),
    "mesh": ("Hand wash with mild soap and air dry.",),
    "fleece": ("Machine wash cold and tumble dry low.",),
    "polyester": ("Machine wash cold; skip the fabric softener to keep it wicking.",),
    "recycled polyester": ("Machine wash cold; skip the fabric softener to keep it wicking.",),
    "nylon": ("Machine wash cold and hang dry.", "Wipe clean and air dry fully before storing."),
    "": ("Dry fully before storing.", "Backed by a lifetime warranty."),
}
FITS = ("Regular", "Regular", "Relaxed", "Slim", "Athletic", "Classic")
FOOTWEAR_FIT = (
    "They fit true to size.",
    "They run half a size small, so consider sizing up.",
    "A roomy toe box lets toes spread naturally.",
    "A snug heel and roomy forefoot give a secure fit.",
)
GENDER_WORD = {"men": "Men's", "women": "Women's", "kids": "Kids'", "unisex": ""}

# --------------------------------------------------------------------------- helpers


def _slug(category: str) -> str:
    """Return the image slug of a category ("running shoes" -> "running-shoes")."""
    return category.replace(" ", "-")


def _weighted(rng: random.Random, options: dict[str, float]) -> str:
    """Pick a key of ``options`` with probability proportional to its weight."""
    keys = list(options)
    return rng.choices(keys, weights=[options[k] for k in keys])[0]


def _sample_weighted(rng: random.Random, pool: tuple[str, ...], k: int) -> list[str]:
    """Pick ``k`` distinct items, earlier items of ``pool`` being more likely."""
    remaining = list(pool)
    chosen: list[str] = []
    for _ in range(min(k, len(remaining))):
        weights = [1.0 / (1 + 0.25 * i) for i in range(len(remaining))]
        item = rng.choices(remaining, weights=weights)[0]
        remaining.remove(item)
        chosen.append(item)
    return chosen


def _article(word: str) -> str:
    """Return "a" or "an" for ``word``."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def _join(items: list[str]) -> str:
    """Join words as English prose ("a, b and c")."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _price(rng: random.Random, lo: float, hi: float, pos: float) -> float:
    """Return a shop-style price inside [lo, hi] at relative position ``pos``."""
    raw = lo + (hi - lo) * min(max(pos, 0.0), 1.0)
    ending = rng.choices((".99", ".95", ".00"), weights=(0.55, 0.25, 0.2))[0]
    if ending == ".00":
        value = float(round(raw / 5) * 5) if raw >= 30 else float(round(raw))
    elif raw >= 30:
        value = round(raw / 5) * 5 - 1 + float(ending)
    else:
        value = round(raw) - 1 + float(ending)
    while value > hi:
        value -= 5 if raw >= 30 else 1
    while value < lo:
        value += 5 if raw >= 30 else 1
    return round(value, 2)


def _spec_values(rng: random.Random, spec: dict[str, Any]) -> dict[str, Any]:
    """Draw concrete values for a spec definition."""
    values: dict[str, Any] = {}
    for key in sorted(spec):
        kind, *args = spec[key]
        if kind == "int":
            values[key] = rng.randint(args[0], args[1])
        elif kind == "float":
            values[key] = round(rng.uniform(args[0], args[1]), args[2])
        else:
            values[key] = rng.choice(args[0])
    return values


def _derive(
    cat: Category, style: Style, material: str | None, rng: random.Random, ctx: dict[str, Any]
) -> None:
    """Add values computed from others (Celsius, millilitres, weights) to ``ctx``."""
    if "F" in ctx:
        ctx["C"] = round((ctx["F"] - 32) * 5 / 9)
    if "oz" in ctx:
        ctx["ml"] = int(round(ctx["oz"] * 29.5735 / 10) * 10)
    if cat.name == "tents":
        per = 0.55 if "lightweight" in style.tags else 0.95 if "alpine" in style.tags else 1.1
        ctx["kg"] = round(0.4 + ctx["p"] * per * rng.uniform(0.8, 1.2), 1)
        ctx["area"] = round(ctx["p"] * rng.uniform(1.3, 1.9) + 0.5, 1)
    if cat.name == "sleeping bags":
        per = 0.012 if material == "down" else 0.022
        ctx["kg"] = round(0.55 + (50 - ctx["F"]) * per * rng.uniform(0.85, 1.15), 2)
    if cat.name == "backpacks":
        ctx["kg"] = round(0.15 + ctx["L"] * rng.uniform(0.018, 0.03), 2)
    if "rise" in ctx:
        ctx["Rise"] = str(ctx["rise"]).capitalize()
    if "cushion" in ctx:
        ctx["Cushion"] = str(ctx["cushion"]).capitalize()
    if "fit" not in ctx:
        ctx["fit"] = rng.choice(FITS)


def _sizes(kind: str, gender: str, rng: random.Random) -> list[str]:
    """Return the size run of a product of the given size kind and gender."""
    if kind == "apparel" or (kind == "waist" and gender == "kids"):
        if gender == "kids":
            start, end = rng.choice([(0, 3), (0, 4), (1, 4), (0, 2)])
        elif gender == "women":
            start, end = rng.choice([(0, 4), (0, 3), (1, 5), (0, 5)])
        elif gender == "men":
            start, end = rng.choice([(1, 5), (0, 5), (1, 4), (2, 5)])
        else:
            start, end = rng.choice([(0, 5), (1, 5), (0, 4)])
        return list(CLOTHING_SIZES[start : end + 1])
    if kind == "footwear":
        run = {"women": WOMEN_SHOE_SIZES, "men": MEN_SHOE_SIZES}.get(gender, UNISEX_SHOE_SIZES)
        return list(run)
    if kind == "waist":
        if gender == "women":
            return list(WAIST_SIZES[: rng.choice([6, 7])])
        return list(WAIST_SIZES[rng.choice([0, 1]) :])
    if kind == "socks":
        return (
            ["XS", "S", "M"]
            if gender == "kids"
            else rng.choice([["S", "M", "L", "XL"], ["S", "M", "L"], ["M", "L", "XL"]])
        )
    if kind == "gloves":
        return (
            ["XS", "S", "M"]
            if gender == "kids"
            else rng.choice([["S", "M", "L", "XL"], ["XS", "S", "M", "L"], ["S", "M", "L"]])
        )
    if kind == "hat":
        return ["one size"] if rng.random() < 0.6 or gender == "kids" else ["S/M", "M/L"]
    if kind == "torso":
        return ["S/M", "M/L"]
    if kind == "bag":
        return ["regular", "long"]
    if kind == "pad":
        return ["regular", "long"] if rng.random() < 0.6 else ["one size"]
    return ["one size"]


def _size_code(size: str) -> str:
    """Return the SKU fragment of a size ("one size" -> "OS", "S/M" -> "SM")."""
    return {"one size": "OS", "regular": "REG", "long": "LNG"}.get(size, size.replace("/", ""))


# --------------------------------------------------------------------------- generation


def _allocate_brands(cat: Category, rng: random.Random) -> list[str]:
    """Return the brand of each product of ``cat`` (weighted by brand focus, all covered)."""
    weights = {b: br.categories[cat.name] for b, br in BRANDS.items() if cat.name in br.categories}
    counts = {b: 1 for b in weights}  # every brand that sells the category gets one
    total_w = sum(weights.values())
    remaining = cat.count - len(counts)
    exact = {b: remaining * w / total_w for b, w in weights.items()}
    for b in weights:
        counts[b] += int(exact[b])
    leftovers = sorted(weights, key=lambda b: (-(exact[b] - int(exact[b])), b))
    for b in leftovers[: cat.count - sum(counts.values())]:
        counts[b] += 1
    brands = [b for b in weights for _ in range(counts[b])]
    rng.shuffle(brands)
    return brands


def _pick_style(cat: Category, brand: str, rng: random.Random) -> Style:
    """Pick a style of ``cat`` that suits the brand personality."""
    br = BRANDS[brand]
    options = [s for s in cat.styles if not s.brands or brand in s.brands]
    weights = []
    for s in options:
        w = 0.5 + 2.0 * len(set(s.tags) & set(br.affinity))
        w += 1.0 * len({m for m in s.materials if m} & set(br.materials))
        if s.brands:
            w += 2.0
        weights.append(w)
    return rng.choices(options, weights=weights)[0]


def _pick_material(style: Style, brand: str, rng: random.Random) -> str | None:
    """Pick the main material, favouring the brand's preferred materials."""
    mats = list(style.materials)
    weights = [4.0 if m in BRANDS[brand].materials else 1.0 for m in mats]
    return rng.choices(mats, weights=weights)[0]


def _make_product(
    cat: Category, brand: str, number: int, rng: random.Random, titles: set[str]
) -> dict[str, Any]:
    """Create one product row of ``cat`` for ``brand``."""
    br = BRANDS[brand]
    style = _pick_style(cat, brand, rng)
    genders = style.genders or cat.genders
    gender = _weighted(rng, genders)
    material = _pick_material(style, brand, rng)
    keys = set(style.tags) | ({material} if material else set())

    # features that fit the style/material, biased towards the brand's personality
    fitting = [f for f in cat.features if not f[3] or set(f[3]) & keys]
    fweights = [1.0 + 2.5 * len(set(f[2]) & set(br.affinity)) for f in fitting]
    n_feat = min(len(fitting), rng.choice([1, 2, 2, 3]))
    features: list[Feature] = []
    pool, pw = list(fitting), list(fweights)
    for _ in range(n_feat):
        f = rng.choices(pool, weights=pw)[0]
        i = pool.index(f)
        pool.pop(i)
        pw.pop(i)
        features.append(f)

    ctx = _spec_values(rng, {**cat.spec, **style.spec})
    _derive(cat, style, material, rng, ctx)

    # title
    title_words = [f[0] for f in features if f[0] and f[0].lower() not in style.noun.lower()]
    mat_word = {
        "merino wool": "Merino",
        "organic cotton": "Organic Cotton",
        "linen": "Linen",
        "leather": "Leather",
        "suede": "Suede",
        "canvas": "Canvas",
        "wool": "Wool",
        "fleece": "Fleece",
    }.get(material or "", "")
    if mat_word and mat_word.lower() not in style.noun.lower() and rng.random() < 0.6:
        title_words.insert(0, mat_word)
    gword = (
        GENDER_WORD[gender]
        if cat.sizes != "onesize" or cat.name in ("beanies", "scarves", "sunglasses")
        else ""
    )
    if CATEGORY_DEPARTMENT[cat.name] == "outdoor gear":
        gword = ""
    title = ""
    model = ""
    for attempt in range(60):
        model = rng.choice(br.models)
        suffix = rng.choice(cat.suffixes)
        if suffix == "Mid" and "Shoe" in style.noun:
            suffix = ""
        if (
            "waterproof" in {t for f in features for t in f[2]}
            and cat.sizes == "footwear"
            and rng.random() < 0.5
        ):
            suffix = "WP"
            title_words = [w for w in title_words if w != "Waterproof"]
        model_full = (model + " " + suffix).strip()
        model_part = cat.title_tpl.format(model=model_full, **ctx)
        qualifier = rng.choice(title_words) if title_words and rng.random() < 0.55 else ""
        if cat.title_tpl == "{model}" and qualifier and rng.random() < 0.3 and attempt < 40:
            parts = [brand, gword, qualifier, style.noun]  # "Cascadia Women's Packable ..."
            model = ""
        else:
            parts = [brand, gword, model_part, qualifier, style.noun]
            model = model_part
        title = " ".join(p for p in parts if p)
        if title not in titles:
            break
    else:  # pragma: no cover - word lists are large enough
        title = f"{title} {number}"
    titles.add(title)

    # colours and variants
    k = rng.randint(*cat.colour_count)
    colours = _sample_weighted(rng, cat.colours, k)
    sizes = _sizes(style.sizes or cat.sizes, gender, rng)

    # price
    lo_t, hi_t = TIER_POSITION[br.tier]
    pos = lo_t + (hi_t - lo_t) * rng.random()
    pos *= style.mult
    if cat.price_key:
        key, kmin, kmax, invert = cat.price_key
        norm = (float(ctx[key]) - kmin) / (kmax - kmin)
        pos = 0.6 * pos + 0.4 * ((1 - norm) if invert else norm)
    if gender == "kids":
        pos *= 0.45
    price = _price(rng, cat.price[0], cat.price[1], pos)

    pid = f"{br.code}-{cat.code}-{number:04d}"
    variants = []
    for colour in colours:
        for size in sizes:
            v: dict[str, Any] = {
                "sku": f"{pid}-{COLOUR_CODES[colour]}-{_size_code(size)}",
                "colour": colour,
                "size": size,
                "stock": 0,
            }
            if size == "long":
                v["price"] = round(min(price + rng.choice([10, 15, 20, 25]), cat.price[1] + 30), 2)
            variants.append(v)

    # description
    noun_l = " ".join(w for w in [gword.lower(), style.noun.lower()] if w)
    noun_l = noun_l.replace("t-shirt", "T-shirt")
    uses = [u for t in style.tags for u in USE_PHRASES.get(t, ())]
    use = rng.choice(uses) if uses else "everyday use"
    use2_opts = [u for u in uses if u != use] or ["everyday use"]
    use2 = rng.choice(use2_opts)
    adj_opts = [a for t in list(style.tags) + ["everyday"] for a in ADJECTIVES.get(t, ())]
    adj = rng.choice(adj_opts + list(ADJECTIVES[""]))
    plural = style.noun.split()[-1] in PLURAL_NOUNS
    name = model if model else f"{brand} {style.noun}"
    if model and (plural or rng.random() < 0.5):
        name = f"{model} {style.noun}"
    a_adj = adj if plural else f"{_article(adj)} {adj}"
    opening = rng.choice(OPENINGS).format(
        name=name,
        a_adj=a_adj,
        A_adj=a_adj[0].upper() + a_adj[1:],
        adj=adj,
        noun=noun_l,
        use=use,
        use2=use2,
        brand=brand,
        **{
            "is": "are" if plural else "is",
            "this": "these" if plural else "this",
            "keep": "keep" if plural else "keeps",
            "have": "have" if plural else "has",
        },
    )
    opening = opening[0].upper() + opening[1:]
    sentences = [opening]
    tpl = style.spec_tpl or cat.spec_tpl
    if tpl:
        sentences.append(tpl.format(**ctx))
    extra: list[str] = [f[1] for f in features]
    if len(colours) > 1:
        extra.append(
            rng.choice(
                [
                    f"Available in {_join(colours)}.",
                    f"Comes in {len(colours)} colours: {_join(colours)}.",
                    f"Choose from {_join(colours)}.",
                ]
            )
        )
    if material and rng.random() < 0.7:
        extra.append(rng.choice(MATERIAL_SENTENCES[material]))
    if cat.sizes == "footwear" and rng.random() < 0.5:
        extra.append(rng.choice(FOOTWEAR_FIT))
    care = CARE_SENTENCES.get(material or "", CARE_SENTENCES[""])
    if rng.random() < 0.4:
        extra.append(rng.choice(care))
    first = extra[0]  # always keep one feature (or the colour range)
    rest = extra[1:]
    rng.shuffle(rest)
    budget = rng.randint(2, 4) - len(sentences)
    sentences.extend([first] + rest[: max(budget - 1, 0)])
    description = " ".join(sentences)

    # tags
    tags: list[str] = []
    candidates = list(cat.base_tags) + list(style.tags) + [t for f in features for t in f[2]]
    if material == "recycled polyester":
        candidates.append("recycled")
    if material == "organic cotton":
        candidates.append("organic")
    if gender == "kids":
        candidates.append("kids")
    vegan = (
        material is not None
        and material not in ANIMAL_MATERIALS
        and (
            CATEGORY_DEPARTMENT[cat.name] == "footwear"
            or "insulated" in candidates
            or material in SYNTHETICS
            and rng.random() < 0.3
        )
    )
    if vegan:
        candidates.append("vegan")
    for t in candidates:
        if t in TAGS and t not in tags:
            tags.append(t)

    product: dict[str, Any] = {
        "id": pid,
        "title": title,
        "brand": brand,
        "category": cat.name,
        "department": CATEGORY_DEPARTMENT[cat.name],
        "gender": gender,
    }
    if material:
        product["material"] = material
    product.update(
        {
            "price": price,
            "currency": "USD",
            "rating": None,
            "review_count": 0,
            "description": description,
            "tags": tags,
            "url": f"/products/{pid}",
            "image_url": f"/static/products/{_slug(cat.name)}.svg",
            "variants": variants,
        }
    )
    return product


def _rate(product: dict[str, Any], rng: random.Random) -> None:
    """Set rating and review_count (count correlates with rating; new items have none)."""
    if rng.random() < 0.025:
        del product["rating"]
        product["review_count"] = 0
        return
    rating = round(5.0 - 2.2 * rng.betavariate(1.5, 4.5), 1)
    rating = min(max(rating, 2.8), 5.0)
    mu = math.log(45) + 1.3 * (rating - 4.2) + BRAND_POPULARITY[product["brand"]]
    count = int(math.exp(rng.gauss(mu, 1.0)))
    product["rating"] = rating
    product["review_count"] = max(1, min(count, 2500))


def _stock(products: list[dict[str, Any]], rng: random.Random) -> None:
    """Fill variant stock: ~5% of products sold out, ~15% of all variants at zero."""
    sold_out = set(rng.sample(range(len(products)), round(len(products) * 0.05)))
    for i, p in enumerate(products):
        for v in p["variants"]:
            if i in sold_out or rng.random() < 0.105:
                v["stock"] = 0
            else:
                v["stock"] = min(40, int(rng.triangular(1, 41, 8)))
        if i not in sold_out and all(v["stock"] == 0 for v in p["variants"]):
            p["variants"][0]["stock"] = rng.randint(1, 40)


def generate(seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """Generate the catalog rows.

    Args:
        seed: seed of the random generator; the same seed gives the same catalog.

    Returns:
        The products in the canonical schema, ordered by category.
    """
    products: list[dict[str, Any]] = []
    titles: set[str] = set()
    number = 0
    for cat in CATEGORIES:
        rng = random.Random(f"{seed}:{cat.name}")
        for brand in _allocate_brands(cat, rng):
            number += 1
            prng = random.Random(f"{seed}:{cat.name}:{number}")
            product = _make_product(cat, brand, number, prng, titles)
            _rate(product, prng)
            products.append(product)
    _stock(products, random.Random(f"{seed}:stock"))
    return products


# --------------------------------------------------------------------------- images

PALETTE = {
    "footwear": ("#FDEEDC", "#E07A3F", "#9A4F27"),
    "clothing": ("#E4EEF9", "#3D6FB6", "#24497F"),
    "outdoor gear": ("#E3F2E6", "#3E8E5A", "#24603A"),
    "accessories": ("#F6E6F1", "#B6548F", "#7D3461"),
}
_JACKET = (
    "M44 26 L58 22 L70 22 L84 26 L104 40 L106 92 L92 92 L90 56 L88 104 L40 104 "
    "L38 56 L36 92 L22 92 L24 40 Z"
)
_BOOT = "M36 30 L64 30 L66 62 C78 64 98 68 104 78 C107 82 107 86 106 90 L32 90 Z"
_SHOE = (
    "M22 88 C22 76 28 68 38 64 L56 54 C60 52 64 53 66 57 C70 63 80 67 92 69 "
    "C102 71 108 77 108 85 L108 88 Z"
)
ICONS: dict[str, str] = {
    "running shoes": f'<path d="{_SHOE}" fill="{{m}}"/><rect x="20" y="86" width="90" '
    'height="10" rx="5" fill="#fff"/><path d="M44 72 Q64 60 86 72" '
    'stroke="#fff" stroke-width="5" fill="none" stroke-linecap="round"/>',
    "trail running shoes": '<path d="M74 46 L90 24 L106 46 Z" fill="{d}" opacity=".3"/>'
    f'<path d="{_SHOE}" fill="{{m}}"/><path d="M20 86 H110 V92 L104 98 '
    "L98 92 L92 98 L86 92 L80 98 L74 92 L68 98 L62 92 L56 98 L50 92 L44 98 "
    'L38 92 L32 98 L26 92 L20 98 Z" fill="{d}"/>',
    "hiking boots": f'<path d="{_BOOT}" fill="#9A5B34"/><rect x="30" y="88" width="80" height="10" '
    'rx="4" fill="{d}"/><path d="M48 40 H64 M48 48 H64 M48 56 H66" '
    'stroke="#F6D7B0" stroke-width="3" stroke-linecap="round"/>'
    '<rect x="34" y="26" width="32" height="8" rx="4" fill="#6E3F22"/>',
    "sneakers": '<path d="M24 84 C24 72 32 64 44 62 L62 58 C70 64 84 68 96 70 C104 72 108 78 '
    '108 84 Z" fill="{m}"/><rect x="22" y="82" width="88" height="13" rx="6" '
    'fill="#fff" stroke="{d}" stroke-width="2"/><circle cx="58" cy="66" r="2.5" '
    'fill="#fff"/><circle cx="66" cy="69" r="2.5" fill="#fff"/><circle cx="74" '
    'cy="72" r="2.5" fill="#fff"/>',
    "sandals": '<rect x="18" y="82" width="92" height="11" rx="5.5" fill="{d}"/><path '
    'd="M36 82 Q42 56 60 56 Q76 58 80 82" stroke="{m}" stroke-width="8" fill="none"/>'
    '<path d="M76 82 Q86 62 102 70" stroke="{m}" stroke-width="8" fill="none" '
    'stroke-linecap="round"/>',
    "winter boots": '<path d="M36 38 L70 38 L72 66 C84 68 100 72 104 82 L104 90 L32 90 Z" '
    'fill="{m}"/><rect x="30" y="26" width="46" height="16" rx="8" fill="#fff"/>'
    '<rect x="30" y="88" width="78" height="10" rx="4" fill="{d}"/>',
    "rain boots": '<path d="M42 26 L74 26 L74 70 C88 72 100 76 100 86 L100 92 L40 92 Z" '
    'fill="#F2C14E"/><rect x="38" y="22" width="40" height="8" rx="4" fill="{d}"/>'
    '<rect x="38" y="90" width="66" height="9" rx="4" fill="{d}"/><path d="M50 36 '
    'V64" stroke="#fff" stroke-width="5" stroke-linecap="round" opacity=".6"/>',
    "t-shirts": '<path d="M44 28 L56 24 Q64 32 72 24 L84 28 L104 46 L94 58 L86 52 L86 102 '
    'L42 102 L42 52 L34 58 L24 46 Z" fill="{m}"/><path d="M56 24 Q64 32 72 24" '
    'stroke="{d}" stroke-width="3" fill="none"/>',
    "hoodies": f'<path d="{_JACKET}" fill="{{m}}"/><path d="M48 26 Q64 4 80 26 Q64 36 48 26 Z" '
    'fill="{d}"/><rect x="48" y="74" width="32" height="16" rx="5" fill="{d}" '
    'opacity=".5"/><path d="M60 32 V46 M68 32 V46" stroke="#fff" stroke-width="2.5"/>',
    "sweaters": f'<path d="{_JACKET}" fill="{{m}}"/><path d="M40 64 L48 56 L56 64 L64 56 L72 64 '
    'L80 56 L88 64" stroke="#fff" stroke-width="3" fill="none"/><rect x="40" y="96" '
    'width="48" height="8" fill="{d}"/><path d="M54 22 Q64 30 74 22" stroke="{d}" '
    'stroke-width="4" fill="none"/>',
    "fleece jackets": f'<path d="{_JACKET}" fill="#4F9A8B"/><path d="M64 26 V104" stroke="{{d}}" '
    'stroke-width="3"/><rect x="54" y="18" width="20" height="10" rx="3" '
    'fill="#3B7A6D"/><g fill="#fff" opacity=".35"><circle cx="50" cy="50" '
    'r="2"/><circle cx="78" cy="64" r="2"/><circle cx="52" cy="80" r="2"/>'
    '<circle cx="76" cy="90" r="2"/></g>',
    "rain jackets": '<path d="M30 18 q4 -8 8 0 a4 4 0 1 1 -8 0Z M92 14 q4 -8 8 0 a4 4 0 1 1 -8 '
    '0Z" fill="{m}" opacity=".5"/>'
    f'<path d="{_JACKET}" fill="#F2C14E"/><path d="M48 26 Q64 6 80 26" '
    'fill="#E0A92E"/><path d="M64 28 V104" stroke="{d}" stroke-width="3"/>',
    "down jackets": f'<path d="{_JACKET}" fill="#D9534F"/><path d="M40 44 H88 M39 60 H89 '
    'M39 76 H89 M40 92 H88 M26 56 H36 M92 56 H102 M25 74 H36 M92 74 H103" '
    'stroke="#A33A37" stroke-width="3"/><path d="M64 24 V104" stroke="#fff" '
    'stroke-width="2.5"/>',
    "softshell jackets": f'<path d="{_JACKET}" fill="{{m}}"/><path d="M64 22 V104" '
    'stroke="{d}" stroke-width="3"/><path d="M72 44 L84 40" stroke="#fff" '
    'stroke-width="3" stroke-linecap="round"/><path d="M54 22 L64 32 L74 22"'
    ' stroke="{d}" stroke-width="4" fill="none"/>',
    "jeans": '<path d="M42 24 L86 24 L92 104 L70 104 L64 56 L58 104 L36 104 Z" fill="#3D6FB6"/>'
    '<rect x="42" y="24" width="44" height="8" fill="#24497F"/><path d="M46 34 Q50 46 '
    '58 42 M82 34 Q78 46 70 42" stroke="#F2C14E" stroke-width="2" fill="none"/>',
    "hiking pants": '<path d="M42 24 L86 24 L92 104 L70 104 L64 56 L58 104 L36 104 Z" '
    'fill="#7A8B4A"/><rect x="42" y="24" width="44" height="8" fill="#56642F"/>'
    '<rect x="40" y="62" width="14" height="16" rx="3" fill="#56642F"/>',
    "shorts": '<path d="M36 40 L92 40 L98 84 L70 88 L64 62 L58 88 L30 84 Z" fill="{m}"/><rect '
    'x="36" y="36" width="56" height="8" rx="2" fill="{d}"/>',
    "leggings": '<path d="M46 22 L82 22 L80 106 L68 106 L64 50 L60 106 L48 106 Z" '
    'fill="#7B5EA7"/><rect x="46" y="22" width="36" height="8" fill="#5A4080"/>',
    "dresses": '<path d="M52 22 L76 22 L74 44 L94 102 L34 102 L54 44 Z" fill="#E46F95"/><rect '
    'x="53" y="42" width="22" height="5" fill="#B84C72"/><path d="M54 22 L56 12 M74 '
    '22 L72 12" stroke="#B84C72" stroke-width="3"/>',
    "socks": '<path d="M50 22 H76 V74 L94 88 C102 94 98 104 88 104 H62 C50 104 46 92 52 84 Z" '
    'fill="{m}"/><rect x="50" y="22" width="26" height="14" fill="{d}"/><path d="M50 '
    '28 H76" stroke="#fff" stroke-width="2"/>',
    "base layers": '<path d="M48 24 L58 22 Q64 28 70 22 L80 24 L96 40 L92 96 L84 96 L82 56 '
    'L82 104 L46 104 L46 56 L44 96 L36 96 L32 40 Z" fill="{m}"/><path d="M46 60 '
    'H82 M46 68 H82" stroke="#fff" stroke-width="3"/>',
    "tents": '<path d="M64 24 L110 96 L18 96 Z" fill="{m}"/><path d="M64 44 L82 96 L46 96 Z" '
    'fill="{d}"/><path d="M64 24 V14" stroke="{d}" stroke-width="3"/><path d="M64 14 '
    'L74 18 L64 22" fill="#F2C14E"/><path d="M12 96 H116" stroke="{d}" stroke-width="3"/>',
    "sleeping bags": '<path d="M44 26 Q64 12 84 26 L90 96 Q64 112 38 96 Z" fill="{m}"/><ellipse '
    'cx="64" cy="32" rx="14" ry="9" fill="#F6D7B0"/><path d="M44 52 Q64 58 84 '
    '52 M42 70 Q64 76 86 70 M40 88 Q64 94 88 88" stroke="{d}" stroke-width="3" '
    'fill="none"/>',
    "backpacks": '<rect x="36" y="30" width="56" height="72" rx="16" fill="{m}"/><path d="M36 '
    '46 Q36 26 64 26 Q92 26 92 46 Z" fill="{d}"/><rect x="46" y="66" width="36" '
    'height="26" rx="8" fill="{d}" opacity=".55"/><path d="M56 24 Q64 14 72 24" '
    'stroke="{d}" stroke-width="4" fill="none"/>',
    "trekking poles": '<path d="M44 18 L62 108 M84 18 L66 108" stroke="{d}" stroke-width="5" '
    'stroke-linecap="round"/><path d="M44 18 L47 34 M84 18 L81 34" '
    'stroke="{m}" stroke-width="11" stroke-linecap="round"/><circle cx="60" '
    'cy="96" r="5" fill="{m}"/><circle cx="68" cy="96" r="5" fill="{m}"/>',
    "headlamps": '<path d="M58 56 L112 36 L112 92 Z" fill="#F2C14E" opacity=".45"/><ellipse '
    'cx="44" cy="64" rx="28" ry="20" fill="none" stroke="{d}" stroke-width="6"/>'
    '<rect x="52" y="50" width="24" height="28" rx="8" fill="{m}"/><circle cx="68" '
    'cy="64" r="7" fill="#F2C14E"/>',
    "water bottles": '<rect x="46" y="34" width="36" height="72" rx="12" fill="{m}"/><rect '
    'x="52" y="20" width="24" height="16" rx="4" fill="{d}"/><rect x="46" '
    'y="58" width="36" height="18" fill="#fff" opacity=".5"/><circle cx="64" '
    'cy="16" r="5" fill="none" stroke="{d}" stroke-width="3"/>',
    "camping stoves": '<path d="M64 22 C76 34 74 44 64 52 C54 44 52 34 64 22 Z" fill="#F08A3C"/>'
    '<path d="M64 34 C69 40 68 45 64 49 C60 45 59 40 64 34 Z" fill="#F2C14E"/>'
    '<rect x="48" y="54" width="32" height="8" rx="3" fill="{d}"/><path '
    'd="M40 56 L50 62 M88 56 L78 62" stroke="{d}" stroke-width="4"/><rect '
    'x="44" y="64" width="40" height="38" rx="10" fill="{m}"/>',
    "sleeping pads": '<rect x="16" y="58" width="80" height="28" rx="14" fill="{m}"/><path '
    'd="M32 60 V84 M48 60 V84 M64 60 V84 M80 60 V84" stroke="{d}" '
    'stroke-width="2.5"/><circle cx="96" cy="72" r="18" fill="{d}"/><circle '
    'cx="96" cy="72" r="10" fill="none" stroke="{m}" stroke-width="3"/>',
    "hats": '<path d="M28 78 Q28 36 64 36 Q98 36 98 76 Z" fill="{m}"/><path d="M60 74 Q98 68 '
    '116 80 Q98 88 60 84 Z" fill="{d}"/><circle cx="63" cy="36" r="4" fill="{d}"/>'
    '<path d="M63 38 Q52 56 48 76" stroke="{d}" stroke-width="2" fill="none"/>',
    "beanies": '<circle cx="64" cy="28" r="10" fill="#F2C14E"/><path d="M32 80 Q32 36 64 36 '
    'Q96 36 96 80 Z" fill="{m}"/><rect x="28" y="74" width="72" height="22" rx="8" '
    'fill="{d}"/><path d="M40 76 V94 M52 76 V94 M64 76 V94 M76 76 V94 M88 76 V94" '
    'stroke="{m}" stroke-width="3"/>',
    "gloves": '<path d="M44 80 L40 44 Q40 30 52 30 L76 30 Q88 30 88 44 L88 80 Z" fill="{m}"/>'
    '<path d="M88 56 Q102 46 106 56 Q104 66 88 74 Z" fill="{m}"/><rect x="42" y="78" '
    'width="48" height="22" rx="5" fill="{d}"/><path d="M54 80 V98 M66 80 V98 M78 80 '
    'V98" stroke="{m}" stroke-width="2.5"/>',
    "scarves": '<path d="M34 34 Q64 56 94 34 L98 48 Q64 72 30 48 Z" fill="{m}"/><path d="M66 '
    '58 L86 60 L80 102 L62 100 Z" fill="{d}"/><path d="M64 100 L63 108 M69 101 L68 '
    '109 M74 101 L73 109 M79 102 L78 110" stroke="{d}" stroke-width="2.5"/>',
    "sunglasses": '<path d="M20 54 H108" stroke="{d}" stroke-width="5" stroke-linecap="round"/>'
    '<path d="M24 54 H58 Q58 80 40 80 Q24 80 24 54 Z M70 54 H104 Q104 80 88 80 '
    'Q70 80 70 54 Z" fill="{d}"/><path d="M32 60 L40 60 M78 60 L86 60" '
    'stroke="#fff" stroke-width="3" stroke-linecap="round" opacity=".6"/>',
}


def category_svg(category: str) -> str:
    """Return the flat SVG icon of a category on a soft background."""
    bg, main, dark = PALETTE[CATEGORY_DEPARTMENT[category]]
    body = ICONS[category].replace("{m}", main).replace("{d}", dark)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 128 128" width="256" '
        f'height="256" role="img" aria-label="{category}"><title>{category}</title>'
        f'<rect width="128" height="128" rx="24" fill="{bg}"/>'
        '<ellipse cx="64" cy="110" rx="40" ry="5" fill="#000" opacity=".07"/>'
        f"{body}</svg>\n"
    )


def write_images(images_dir: Path) -> None:
    """Write one SVG per category into ``images_dir``."""
    images_dir.mkdir(parents=True, exist_ok=True)
    for cat in CATEGORIES:
        (images_dir / f"{_slug(cat.name)}.svg").write_text(category_svg(cat.name), encoding="utf-8")


# --------------------------------------------------------------------------- output


def write_catalog(products: list[dict[str, Any]], out: Path) -> None:
    """Write the products as JSON Lines (UTF-8, one product per line)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for p in products:
            fh.write(json.dumps(p, ensure_ascii=False, separators=(",", ":")) + "\n")


# --------------------------------------------------------------------------- validation

ID_RE = re.compile(r"^[A-Z]{2}-[A-Z]{2}-\d{4}$")


def _check_sizes(p: dict[str, Any], sizes: list[str]) -> None:
    """Assert that the size run of ``p`` fits its category and gender."""
    cat = CATEGORY_BY_NAME[p["category"]]
    pid = p["id"]
    if cat.sizes == "footwear":
        allowed = {"women": WOMEN_SHOE_SIZES, "men": MEN_SHOE_SIZES}.get(
            p["gender"], UNISEX_SHOE_SIZES
        )
        assert set(sizes) <= set(allowed), pid
        assert any("." in s for s in sizes), pid
    elif cat.sizes == "waist" and p["gender"] != "kids":
        assert set(sizes) <= set(WAIST_SIZES), pid
    elif cat.sizes in ("apparel", "socks", "gloves", "waist"):
        assert set(sizes) <= set(CLOTHING_SIZES), pid
        if p["gender"] == "kids":
            assert len(sizes) <= 5 and "XXL" not in sizes, pid
    elif p["category"] == "sleeping bags":
        assert sizes == ["regular", "long"], pid
    else:
        assert set(sizes) <= {"one size", "S/M", "M/L", "regular", "long"}, pid


def validate(products: list[dict[str, Any]], out: Path, images_dir: Path) -> None:
    """Assert that the catalog satisfies docs/catalog.md and the team vocabulary.

    Args:
        products: the generated rows.
        out: the written JSONL file (re-read to check encoding and size).
        images_dir: folder holding the category SVGs.

    Raises:
        AssertionError: on the first violation.
    """
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows == products, "file content differs from generated rows"
    assert 600 <= len(rows) <= 700, len(rows)
    assert out.stat().st_size < 1_500_000, out.stat().st_size
    ids: set[str] = set()
    titles: set[str] = set()
    skus: set[str] = set()
    zero_variants = n_variants = sold_out = 0
    for p in rows:
        pid = p["id"]
        for key in ("id", "title", "category", "price"):
            assert key in p, (pid, key)
        assert ID_RE.match(pid), pid
        assert pid not in ids, f"duplicate id {pid}"
        ids.add(pid)
        assert p["title"] not in titles, f"duplicate title {p['title']}"
        titles.add(p["title"])
        assert isinstance(p["title"], str) and p["title"].startswith(p["brand"]), pid
        assert p["brand"] in BRANDS, pid
        assert pid.startswith(
            BRANDS[p["brand"]].code + "-" + CATEGORY_BY_NAME[p["category"]].code + "-"
        ), pid
        assert p["category"] in CATEGORY_DEPARTMENT, pid
        assert p["department"] == CATEGORY_DEPARTMENT[p["category"]], pid
        assert p["gender"] in GENDERS, pid
        if p["gender"] != "unisex" and p["department"] in ("footwear", "clothing"):
            assert GENDER_WORD[p["gender"]] in p["title"], pid
        if "material" in p:
            assert p["material"] in MATERIALS, pid
        price = p["price"]
        assert isinstance(price, (int, float)) and price >= 0, pid
        assert round(price, 2) == price and f"{price:.2f}"[-3:] in (".99", ".95", ".00"), pid
        lo, hi = CATEGORY_BY_NAME[p["category"]].price
        assert lo <= price <= hi, (pid, price)
        assert p["currency"] == "USD", pid
        assert isinstance(p["review_count"], int) and 0 <= p["review_count"] <= 2500, pid
        if "rating" in p:
            assert 2.8 <= p["rating"] <= 5.0 and p["review_count"] > 0, pid
        else:
            assert p["review_count"] == 0, pid
        desc = p["description"]
        n_sent = len(re.findall(r"[.!?](?:\s|$)", desc))
        assert 2 <= n_sent <= 5 and "{" not in desc and "  " not in desc, (pid, desc)
        assert isinstance(p["tags"], list) and p["tags"], pid
        assert all(isinstance(t, str) and t in TAGS for t in p["tags"]), pid
        assert p["url"] == f"/products/{pid}", pid
        slug = _slug(p["category"])
        assert p["image_url"] == f"/static/products/{slug}.svg", pid
        variants = p["variants"]
        assert isinstance(variants, list) and variants, pid
        colours = list(dict.fromkeys(v["colour"] for v in variants))
        sizes = list(dict.fromkeys(v["size"] for v in variants))
        assert len(variants) == len(colours) * len(sizes), pid
        _check_sizes(p, sizes)
        if p["department"] == "clothing" and CATEGORY_BY_NAME[p["category"]].sizes == "apparel":
            assert 2 <= len(colours) <= 5, pid
        if p["department"] == "footwear":
            assert 1 <= len(colours) <= 4, pid
        for v in variants:
            assert set(v) <= {"sku", "colour", "size", "stock", "price"}, pid
            assert v["colour"] in COLOURS, pid
            assert v["size"] in ALL_SIZES, pid
            assert v["sku"] == f"{pid}-{COLOUR_CODES[v['colour']]}-{_size_code(v['size'])}", pid
            assert v["sku"] not in skus, v["sku"]
            skus.add(v["sku"])
            assert isinstance(v["stock"], int) and 0 <= v["stock"] <= 40, pid
            if "price" in v:
                assert isinstance(v["price"], (int, float)) and v["price"] >= 0, pid
            n_variants += 1
            zero_variants += v["stock"] == 0
        sold_out += all(v["stock"] == 0 for v in variants)
    per_cat = Counter(p["category"] for p in rows)
    assert set(per_cat) == set(CATEGORY_DEPARTMENT), "missing category"
    assert min(per_cat.values()) >= 8, per_cat
    cats_per_brand: dict[str, set[str]] = defaultdict(set)
    for p in rows:
        cats_per_brand[p["brand"]].add(p["category"])
    assert set(cats_per_brand) == set(BRANDS), "missing brand"
    assert min(len(c) for c in cats_per_brand.values()) >= 4, cats_per_brand
    zero_share = zero_variants / n_variants
    assert 0.12 <= zero_share <= 0.18, zero_share
    assert 0.04 <= sold_out / len(rows) <= 0.06, sold_out
    rated = [p for p in rows if "rating" in p]
    corr = statistics.correlation(
        [p["rating"] for p in rated], [math.log1p(p["review_count"]) for p in rated]
    )
    assert corr > 0.2, corr
    for cat in CATEGORIES:
        svg = images_dir / f"{_slug(cat.name)}.svg"
        text = svg.read_text(encoding="utf-8")
        assert svg.stat().st_size < 2048, (svg, svg.stat().st_size)
        assert "href" not in text and "url(" not in text, svg
    _print_summary(rows, n_variants, zero_share, sold_out, corr, out)


def _print_summary(
    rows: list[dict[str, Any]],
    n_variants: int,
    zero_share: float,
    sold_out: int,
    corr: float,
    out: Path,
) -> None:
    """Print per-category and per-brand tables."""
    by_cat: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_brand: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in rows:
        by_cat[p["category"]].append(p)
        by_brand[p["brand"]].append(p)
    print(
        f"{'category':<22}{'department':<14}{'n':>4}{'brands':>7}{'price min':>11}"
        f"{'max':>9}{'variants':>9}"
    )
    for cat in CATEGORIES:
        ps = by_cat[cat.name]
        prices = [p["price"] for p in ps]
        print(
            f"{cat.name:<22}{CATEGORY_DEPARTMENT[cat.name]:<14}{len(ps):>4}"
            f"{len({p['brand'] for p in ps}):>7}{min(prices):>11.2f}{max(prices):>9.2f}"
            f"{sum(len(p['variants']) for p in ps):>9}"
        )
    print()
    print(
        f"{'brand':<14}{'code':<6}{'n':>4}{'categories':>11}{'price min':>11}{'max':>9}"
        f"{'avg rating':>11}"
    )
    for name, brand in BRANDS.items():
        ps = by_brand[name]
        prices = [p["price"] for p in ps]
        ratings = [p["rating"] for p in ps if "rating" in p]
        print(
            f"{name:<14}{brand.code:<6}{len(ps):>4}{len({p['category'] for p in ps}):>11}"
            f"{min(prices):>11.2f}{max(prices):>9.2f}{statistics.mean(ratings):>11.2f}"
        )
    print()
    genders = Counter(p["gender"] for p in rows)
    print(
        f"products {len(rows)}, variants {n_variants}, zero-stock variants {zero_share:.1%}, "
        f"sold-out products {sold_out} ({sold_out / len(rows):.1%}), "
        f"unrated {sum('rating' not in p for p in rows)}, "
        f"corr(rating, log reviews) {corr:.2f}"
    )
    print(
        f"genders {dict(sorted(genders.items()))}; file {out} {out.stat().st_size / 1024:.0f} KiB"
    )


def main(argv: list[str] | None = None) -> None:
    """Generate, write and validate the demo catalog."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--images-dir", type=Path, default=DEFAULT_IMAGES)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    products = generate(args.seed)
    write_catalog(products, args.out)
    write_images(args.images_dir)
    validate(products, args.out, args.images_dir)


if __name__ == "__main__":
    main()
