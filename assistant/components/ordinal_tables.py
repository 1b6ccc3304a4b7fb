"""Pattern tables for :mod:`assistant.components.ordinal_extractor`, keyed by language.

There are tables for English, Spanish, German and French. To support a new language add
an :class:`OrdinalLexicon` to :data:`ORDINAL_LEXICONS` (e.g. ``"it"`` with
``ordinal_words={"primo": 1, "prima": 1, ..., "ultimo": -1}``).
Entries are matched case-insensitively; a space inside an entry matches any run of
whitespace.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from assistant.components.price_tables import spellings


@dataclass(frozen=True)
class OrdinalLexicon:
    """The words of one language that point at an item in a shown list.

    Attributes:
        ordinal_words: Ordinal words and phrases with their 1-based index; negative
            indexes count from the end ("last" is -1, "second to last" is -2).
        numeral_suffixes: Suffixes of written ordinals ("2nd", "3rd").
        cardinal_words: Number words usable after an item cue ("number one").
        item_cues: Words before a number that make it an item index ("option 2").
        article_cues: Articles before a bare number that may make it an item index
            ("the 2"), if the number is followed by the end of the message, a
            punctuation mark or one of ``article_followers``.
        article_followers: Words that may follow "the 2" when it means an item.
        polite_words: Words that may follow a message consisting of a bare number.
        blocking_before: Words before an item cue or number that make it something
            else ("order number 2", "size 10").
        blocking_prev_words: Words right before an ordinal word that make it not an
            index ("at first", "a second", "my first").
        blocking_next_words: Words right after an ordinal word that make it not an
            index ("first time", "last week", "second hand", "first aid"); a number
            after it does too ("the first 2").
        strong_prev_words: Words right before an ordinal word that make it an index
            for sure ("the first", "that last").
        strong_next_words: Words right after an ordinal word that make it an index for
            sure ("first one", "last option").
        adverb_next_words: Words after an ordinal word that make it an adverb unless it
            is strong ("first I want ...").
        verb_words: Ordinal words that are also verbs ("boots that last").
        verb_prev_words: Words before such a word that make it a verb unless it is
            strong ("they last", "built to last").
    """

    ordinal_words: Mapping[str, int] = field(default_factory=dict)
    numeral_suffixes: tuple[str, ...] = ()
    cardinal_words: Mapping[str, int] = field(default_factory=dict)
    item_cues: tuple[str, ...] = ()
    article_cues: tuple[str, ...] = ()
    article_followers: tuple[str, ...] = ()
    polite_words: tuple[str, ...] = ()
    blocking_before: tuple[str, ...] = ()
    blocking_prev_words: tuple[str, ...] = ()
    blocking_next_words: tuple[str, ...] = ()
    strong_prev_words: tuple[str, ...] = ()
    strong_next_words: tuple[str, ...] = ()
    adverb_next_words: tuple[str, ...] = ()
    verb_words: tuple[str, ...] = ()
    verb_prev_words: tuple[str, ...] = ()


_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)

_CARDINALS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

ENGLISH = OrdinalLexicon(
    ordinal_words={
        "first": 1,
        "second": 2,
        "third": 3,
        "fourth": 4,
        "fifth": 5,
        "sixth": 6,
        "seventh": 7,
        "eighth": 8,
        "ninth": 9,
        "tenth": 10,
        "last": -1,
        "final": -1,
        "second to last": -2,
        "second-to-last": -2,
        "second last": -2,
        "second-last": -2,
        "next to last": -2,
        "next-to-last": -2,
        "last but one": -2,
        "penultimate": -2,
    },
    numeral_suffixes=("st", "nd", "rd", "th"),
    cardinal_words=_CARDINALS,
    item_cues=(
        "number",
        "num",
        "num.",
        "no.",
        "nr",
        "nr.",
        "nº",
        "n°",
        "option",
        "item",
        "product",
        "choice",
        "result",
        "pick",
        "#",
    ),
    article_cues=("the",),
    article_followers=(
        "one",
        "please",
        "pls",
        "plz",
        "then",
        "instead",
        "and",
        "or",
        "vs",
        "versus",
        "too",
        "also",
        "&",
    ),
    polite_words=("please", "pls", "plz", "thanks", "thank you"),
    blocking_before=(
        "order",
        "ord",
        "order no",
        "size",
        "sizes",
        "sz",
        "us",
        "uk",
        "eu",
        "waist",
        "model",
        "version",
        "phone",
        "tracking",
    ),
    blocking_prev_words=(
        "at",
        "a",
        "an",
        "my",
        "our",
        "one",
        "just",
        "wait",
        "per",
        "every",
        "each",
        "things",
    ),
    blocking_next_words=(
        "time",
        "times",
        "timer",
        "timers",
        "week",
        "weeks",
        "weekend",
        "month",
        "months",
        "year",
        "years",
        "night",
        "day",
        "days",
        "hour",
        "minute",
        "minutes",
        "second",
        "moment",
        "order",
        "orders",
        "purchase",
        "purchases",
        "delivery",
        "shipment",
        "payment",
        "message",
        "reply",
        "name",
        "thing",
        "things",
        "resort",
        "hand",
        "chance",
        "attempt",
        "try",
        "season",
        "summer",
        "winter",
        "spring",
        "autumn",
        "fall",
        "visit",
        "of all",
        "off",
        "place",
        "sight",
        "aid",
        "class",
        "step",
        "steps",
        "priority",
        "impression",
        "edition",
        "generation",
        "gen",
        "rate",
        "layer",
        "long",
        "longer",
        "longest",
        "forever",
        "for",
        "through",
        "a while",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "few",
        "couple",
        *(month for month in _MONTHS if month != "may"),  # "the first may be ..."
        *(f"of {month}" for month in _MONTHS),
    ),
    strong_prev_words=("the", "this", "your", "ur", "and", "or", "vs"),
    strong_next_words=(
        "one",
        "ones",
        "option",
        "item",
        "product",
        "choice",
        "result",
        "pick",
        "pair",
        "link",
        "suggestion",
        "recommendation",
    ),
    adverb_next_words=(
        "i",
        "i'd",
        "i'll",
        "i'm",
        "we",
        "you",
        "let",
        "let's",
        "lets",
        "can",
        "could",
        "show",
        "tell",
        "give",
        "check",
        "is",
        "are",
        "of",
    ),
    verb_words=("last",),
    verb_prev_words=(
        "they",
        "it",
        "will",
        "would",
        "to",
        "does",
        "do",
        "did",
        "should",
        "can",
        "could",
        "might",
        "must",
        "that",
        "which",
        "won't",
        "wont",
        "doesn't",
        "don't",
        "didn't",
        "really",
        "gonna",
        "shoes",
        "boots",
    ),
)

_ITEM_SYMBOLS = ("nº", "n°", "n.º", "no.", "#")


def _inflected(stems: Mapping[str, int], endings: tuple[str, ...]) -> dict[str, int]:
    """Every ending on every stem, with the stem's index ("zweit" -> "zweite", ...)."""
    return {stem + ending: value for stem, value in stems.items() for ending in endings}


def _spelled(words: Mapping[str, int], *, german: bool = False) -> dict[str, int]:
    """The words and their spellings without accents, with the same index."""
    return {
        variant: value
        for word, value in words.items()
        for variant in spellings([word], german=german)
    }


_SPANISH_MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "setiembre",
    "octubre",
    "noviembre",
    "diciembre",
)

SPANISH = OrdinalLexicon(
    # plurals ("los primeros") are not an index; "primer"/"tercer" come before a noun
    ordinal_words=_spelled(
        {
            **_inflected(
                {
                    "primer": 1,
                    "segund": 2,
                    "tercer": 3,
                    "cuart": 4,
                    "quint": 5,
                    "sext": 6,
                    "séptim": 7,
                    "octav": 8,
                    "noven": 9,
                    "décim": 10,
                    "últim": -1,
                    "penúltim": -2,
                },
                ("o", "a"),
            ),
            "primer": 1,
            "tercer": 3,
            "sétimo": 7,
            "sétima": 7,
        }
    ),
    # "2º", "2ª", "1er", "2do", "3ra", "4to", "7mo", "8vo", "9no"
    numeral_suffixes=("º", "ª", "er", "ero", "era", "ro", "ra", "do", "da", "to", "ta")
    + ("mo", "ma", "vo", "va", "no", "na"),
    cardinal_words=_spelled(
        {
            "uno": 1,
            "una": 1,
            "dos": 2,
            "tres": 3,
            "cuatro": 4,
            "cinco": 5,
            "seis": 6,
            "siete": 7,
            "ocho": 8,
            "nueve": 9,
            "diez": 10,
        }
    ),
    item_cues=spellings(
        (*_ITEM_SYMBOLS, "número", "núm", "núm.", "num", "num.", "nro", "nro.")
        + ("opción", "artículo", "producto", "resultado")
    ),
    article_cues=("el", "la"),
    article_followers=spellings(
        ("por favor", "porfa", "porfavor", "pls", "y", "o", "u", "vs", "contra", "también")
        + ("entonces", "mejor", "gracias", "en")
    ),
    polite_words=spellings(("por favor", "porfa", "porfavor", "pls", "gracias")),
    blocking_before=spellings(
        (
            "pedido",
            "orden",
            "número de pedido",
            "talla",
            "tallas",
            "us",
            "uk",
            "eu",
            "cintura",
            "modelo",
            "versión",
            "teléfono",
            "seguimiento",
            "número de seguimiento",
            # "¿las hay en el 9?", "cambia la talla a la 10": sizes
            "en",
            "a",
        )
    ),
    blocking_prev_words=spellings(
        ("un", "una", "uno", "mi", "mis", "nuestro", "nuestra", "por", "en", "lo", "de")
        + ("cada", "espera", "a")
    ),
    blocking_next_words=spellings(
        (
            "vez",
            "veces",
            "semana",
            "semanas",
            "mes",
            "meses",
            "año",
            "años",
            "día",
            "días",
            "noche",
            "hora",
            "minuto",
            "momento",
            "pedido",
            "pedidos",
            "compra",
            "compras",
            "envío",
            "entrega",
            "pago",
            "mensaje",
            "nombre",
            "mano",
            "clase",
            "lugar",
            "plano",
            "paso",
            "temporada",
            "verano",
            "invierno",
            "primavera",
            "otoño",
            "cosa",
            "oportunidad",
            "intento",
            "impresión",
            "edición",
            "generación",
            "capa",
            "auxilios",
            "necesidad",
            "calidad",
            "vista",
            "guerra mundial",
            "viaje",
            "excursión",
            "acampada",
            "ruta",
            "salida",
            "fin de semana",
            "dos",
            "tres",
            "cuatro",
            "cinco",
            "seis",
            "siete",
            "ocho",
            "nueve",
            "diez",
            "par de",
            *(f"de {month}" for month in _SPANISH_MONTHS),
        )
    ),
    strong_prev_words=spellings(
        ("el", "la", "este", "esta", "ese", "esa", "aquel", "aquella", "tu", "su", "y", "o")
        + ("vs",)
    ),
    strong_next_words=spellings(
        ("modelo", "artículo", "producto", "resultado", "opción", "par", "enlace", "link")
        + ("de la lista", "que", "propuesta", "sugerencia", "recomendación")
    ),
    adverb_next_words=spellings(
        (
            "quiero",
            "quisiera",
            "necesito",
            "me",
            "dime",
            "dame",
            "muéstrame",
            "enséñame",
            "voy",
            "vamos",
            "hay",
            "es",
            "son",
            "que",
            "puedes",
            "podrías",
            "tengo",
            "busco",
            "mira",
        )
    ),
)

_GERMAN_MONTHS = (
    "januar",
    "jänner",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
)
_GERMAN_ENDINGS = ("e", "en", "er", "es", "em")

GERMAN = OrdinalLexicon(
    ordinal_words=_spelled(
        _inflected(
            {
                "erst": 1,
                "zweit": 2,
                "dritt": 3,
                "viert": 4,
                "fünft": 5,
                "sechst": 6,
                "siebt": 7,
                "siebent": 7,
                "acht": 8,
                "neunt": 9,
                "zehnt": 10,
                "letzt": -1,
                "vorletzt": -2,
                "zweitletzt": -2,
            },
            _GERMAN_ENDINGS,
        ),
        german=True,
    ),
    # "2te", "3ten"; "der 2." is an article and a number
    numeral_suffixes=("te", "ten", "ter", "tes", "tem"),
    cardinal_words=_spelled(
        {
            "eins": 1,
            "zwei": 2,
            "drei": 3,
            "vier": 4,
            "fünf": 5,
            "sechs": 6,
            "sieben": 7,
            "acht": 8,
            "neun": 9,
            "zehn": 10,
        },
        german=True,
    ),
    item_cues=spellings(
        (*_ITEM_SYMBOLS, "nummer", "nr", "nr.", "option", "artikel", "produkt", "ergebnis")
        + ("angebot", "variante", "vorschlag"),
        german=True,
    ),
    article_cues=("der", "die", "das", "den", "dem"),
    article_followers=spellings(
        ("bitte", "und", "oder", "vs", "gegen", "auch", "dann", "lieber", "nehmen", "danke")
        + ("in",),
        german=True,
    ),
    polite_words=spellings(("bitte", "danke", "bitte schön", "danke schön"), german=True),
    blocking_before=spellings(
        (
            "bestellung",
            "bestellnummer",
            "auftrag",
            "auftragsnummer",
            "größe",
            "gr",
            "gr.",
            "us",
            "uk",
            "eu",
            "modell",
            "version",
            "telefon",
            "sendung",
            "sendungsnummer",
            "tracking",
            "kundennummer",
        ),
        german=True,
    ),
    blocking_prev_words=spellings(
        (
            "ein",
            "eine",
            "einen",
            "einem",
            "einer",
            "eines",
            "mein",
            "meine",
            "meinen",
            "meinem",
            "meiner",
            "unser",
            "unsere",
            "unseren",
            "als",
            "fürs",
            "jede",
            "jeden",
            "jeder",
            "jedes",
        ),
        german=True,
    ),
    blocking_next_words=spellings(
        (
            "mal",
            "male",
            "woche",
            "wochen",
            "monat",
            "monate",
            "jahr",
            "jahre",
            "tag",
            "tage",
            "nacht",
            "stunde",
            "minute",
            "sekunde",
            "moment",
            "bestellung",
            "bestellungen",
            "kauf",
            "einkauf",
            "lieferung",
            "zahlung",
            "nachricht",
            "name",
            "hand",
            "hilfe",
            "wahl",
            "klasse",
            "platz",
            "schritt",
            "eindruck",
            "ausgabe",
            "generation",
            "saison",
            "sommer",
            "winter",
            "frühling",
            "herbst",
            "chance",
            "versuch",
            "hälfte",
            "weltkrieg",
            "urlaub",
            "campingurlaub",
            "reise",
            "ausflug",
            "tour",
            "wanderung",
            "wochenende",
            "beiden",
            "zwei",
            "drei",
            "vier",
            "fünf",
            "sechs",
            "sieben",
            "acht",
            "neun",
            "zehn",
            *_GERMAN_MONTHS,
        ),
        german=True,
    ),
    strong_prev_words=spellings(
        ("der", "die", "das", "den", "dem", "des", "diese", "dieser", "dieses", "diesen")
        + ("und", "oder", "vs", "dein", "deine", "ihr", "ihre"),
        german=True,
    ),
    strong_next_words=spellings(
        ("modell", "artikel", "produkt", "ergebnis", "option", "link", "vorschlag")
        + ("angebot", "davon", "variante", "empfehlung", "schuh", "teil"),
        german=True,
    ),
    adverb_next_words=spellings(
        ("ich", "wir", "du", "zeig", "zeige", "zeigen", "möchte", "will", "brauche", "gib")
        + ("sag", "kannst", "können", "ist", "sind"),
        german=True,
    ),
    # "auf die Größe achten" (pay attention to the size)
    verb_words=("achten",),
    verb_prev_words=spellings(
        ("darauf", "drauf", "zu", "bitte", "sollte", "sollten", "muss", "müssen", "man")
        + ("wir", "sie", "ich", "nicht", "auch", "genau", "größe", "preis"),
        german=True,
    ),
)

_FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
#: Nouns a French ordinal may follow ("la semaine dernière", "l'an dernier").
_FRENCH_TIME_NOUNS = (
    "fois",
    "semaine",
    "mois",
    "an",
    "l'an",
    "année",
    "l'année",
    "jour",
    "nuit",
    "soir",
    "week-end",
    "saison",
    "été",
    "l'été",
    "hiver",
    "l'hiver",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
)

FRENCH = OrdinalLexicon(
    ordinal_words=_spelled(
        {
            "premier": 1,
            "première": 1,
            "deuxième": 2,
            "second": 2,
            "seconde": 2,
            "troisième": 3,
            "quatrième": 4,
            "cinquième": 5,
            "sixième": 6,
            "septième": 7,
            "huitième": 8,
            "neuvième": 9,
            "dixième": 10,
            "dernier": -1,
            "dernière": -1,
            "avant-dernier": -2,
            "avant-dernière": -2,
            "avant dernier": -2,
            "avant dernière": -2,
            # "l'avant" is one token
            "l'avant-dernier": -2,
            "l'avant-dernière": -2,
            "l'avant dernier": -2,
            "l'avant dernière": -2,
        }
    ),
    # "1er", "1re", "1ère", "2e", "2ème", "2nd", "2nde", "2ᵉ"
    numeral_suffixes=spellings(("er", "re", "ère", "e", "ème", "nd", "nde", "ᵉ", "ᵉʳ")),
    cardinal_words={
        "un": 1,
        "une": 1,
        "deux": 2,
        "trois": 3,
        "quatre": 4,
        "cinq": 5,
        "six": 6,
        "sept": 7,
        "huit": 8,
        "neuf": 9,
        "dix": 10,
    },
    item_cues=spellings(
        (*_ITEM_SYMBOLS, "numéro", "num", "num.", "no", "option", "article", "produit")
        + ("résultat", "choix", "proposition", "l'option", "l'article", "l'offre")
    ),
    article_cues=("le", "la"),
    article_followers=spellings(
        ("svp", "stp", "s'il vous plaît", "s'il te plaît", "et", "ou", "vs", "contre")
        + ("aussi", "alors", "plutôt", "merci", "en")
    ),
    polite_words=spellings(("svp", "stp", "s'il vous plaît", "s'il te plaît", "merci")),
    blocking_before=spellings(
        (
            "commande",
            "numéro de commande",
            "taille",
            "pointure",
            "us",
            "uk",
            "eu",
            "fr",
            "modèle",
            "version",
            "téléphone",
            "suivi",
            "colis",
        )
    ),
    blocking_prev_words=spellings(
        ("un", "une", "mon", "ma", "mes", "notre", "nos", "en", "chaque") + _FRENCH_TIME_NOUNS
    ),
    blocking_next_words=spellings(
        (
            *_FRENCH_TIME_NOUNS,
            "heure",
            "minute",
            "moment",
            "commande",
            "commandes",
            "achat",
            "achats",
            "livraison",
            "paiement",
            "message",
            "nom",
            "main",
            "classe",
            "lieu",
            "plan",
            "pas",
            "étape",
            "impression",
            "édition",
            "génération",
            "printemps",
            "automne",
            "chance",
            "essai",
            "tentative",
            "cri",
            "prix",
            "secours",
            "degré",
            "couche",
            "recours",
            "guerre mondiale",
            "voyage",
            "randonnée",
            "sortie",
            "camping",
            "abord",
            "coup",
            "deux",
            "trois",
            "quatre",
            "cinq",
            "six",
            "sept",
            "huit",
            "neuf",
            "dix",
            *_FRENCH_MONTHS,
        )
    ),
    strong_prev_words=spellings(
        ("le", "la", "ce", "cet", "cette", "celui", "celle", "votre", "ton", "ta", "et", "ou")
        + ("vs",)
    ),
    strong_next_words=spellings(
        ("modèle", "article", "produit", "résultat", "option", "paire", "lien", "proposition")
        + ("suggestion", "de la liste", "qui", "que")
    ),
    adverb_next_words=spellings(
        ("je", "j'aimerais", "j'ai", "on", "nous", "vous", "tu", "montre", "montrez")
        + ("montre-moi", "donne", "donnez", "dis", "dites", "peux", "pouvez", "est", "sont")
        + ("il", "voudrais")
    ),
)

#: Pattern tables by language code (ISO 639-1). Add languages here.
ORDINAL_LEXICONS: dict[str, OrdinalLexicon] = {
    "en": ENGLISH,
    "es": SPANISH,
    "de": GERMAN,
    "fr": FRENCH,
}
