"""How heated a message is: an ``intensity`` in [0, 1] from lexical cues, in en/es/de/fr.

The sentiment model's score says *which way* a message leans, and it is overconfident: a
mildly disappointed "the box was slightly damaged" and a furious "worst shop ever, I'm
filing a chargeback!!!" both score near -1. The escalation rules need *how strongly* the
shopper feels, so the SentimentAnalyzer adds this intensity to every message's
``sentiment``. It is deterministic and needs no training (changing it needs no retrain):

- every message starts at :data:`BASE` (a plain statement);
- strong words (insults, "worst", "scam", "unverschämt"...), threats (chargeback, lawyer,
  bad review, "Anwalt", "denuncia", "porter plainte"...), "never again", exclamation marks,
  repeated question marks and words in capitals raise it;
- hedges and signs of calm ("a bit", "slightly", "no big deal", "etwas", "un poco",
  "un peu", "ah ok", "pas grave", "passt schon"...) lower it.

The message's language picks the word lists; English lists always apply too (shoppers mix
in "scam", "WTF"). Pure Python, nothing from Rasa: the escalation benchmark uses it too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

__all__ = ["BASE", "Intensity", "intensity"]

#: The intensity of a message without cues.
BASE: Final = 0.25
#: Added per strong word (at most :data:`MAX_STRONG` count).
STRONG: Final = 0.3
MAX_STRONG: Final = 2
#: Added once for a threat (chargeback, lawyer, bad review...).
THREAT: Final = 0.45
#: Added once for "never again" and the like.
NEVER_AGAIN: Final = 0.3
#: Added for one exclamation mark / for two or more.
EXCLAMATION_ONE: Final = 0.1
EXCLAMATION_MANY: Final = 0.2
#: Added for "??", "?!" or "!?".
QUESTION_MANY: Final = 0.1
#: Added for one word in capitals (3+ letters) / for two or more.
CAPS_ONE: Final = 0.15
CAPS_MANY: Final = 0.25
#: Subtracted per hedge or sign of calm (at most :data:`MAX_MILD` count).
MILD: Final = 0.25
MAX_MILD: Final = 2

# Patterns are regular expressions over lower-case text without accents ("ä" -> "a",
# "é" -> "e"; "ß" stays); each is matched between word boundaries, "\w*" allows endings.
_CUES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "en": {
        "strong": (
            r"worst",
            r"terrible",
            r"horrible",
            r"awful",
            r"appalling",
            r"disgust\w*",
            r"disgrace\w*",
            r"ridiculous",
            r"unacceptable",
            r"outrageous",
            r"shocking",
            r"pathetic",
            r"useless",
            r"incompetent",
            r"scam\w*",
            r"fraud\w*",
            r"rip ?-?off",
            r"liars?",
            r"thie(f|ves)",
            r"a joke",
            r"furious",
            r"livid",
            r"fuming",
            r"fed up",
            r"sick of",
            r"wtf",
            r"damn\w*",
            r"crap",
            r"rubbish",
            r"garbage",
            r"nightmare",
            r"infuriat\w*",
            r"hate",
        ),
        "threat": (
            r"charge ?-?backs?",
            r"dispute",
            r"my bank",
            r"lawyers?",
            r"solicitors?",
            r"attorneys?",
            r"sue",
            r"suing",
            r"court",
            r"police",
            r"trading standards",
            r"consumer protection",
            r"report you",
            r"bad review",
            r"(one|1)[ -]star",
        ),
        "never_again": (
            r"never again",
            r"never (\w+ ){0,3}again",
            r"last time i (order|buy|shop)\w*",
            r"won'?t (be )?(order|buy|shop)\w* (from|here|with)\w*",
        ),
        "mild": (
            r"a bit",
            r"a little",
            r"slightly",
            r"somewhat",
            r"a tad",
            r"kind of",
            r"sort of",
            r"just so you know",
            r"(no|not a) big deal",
            r"no worries",
            r"never ?mind",
            r"all good",
            r"found it",
            r"(oh|ah),? ok(ay)?",
            r"no problem",
            r"too bad",
            r"(a|what a) pity",
            r"minor",
        ),
    },
    "es": {
        "strong": (
            r"peor",
            r"horrible",
            r"terrible",
            r"fatal",
            r"verguenza",
            r"vergonzos\w*",
            r"inaceptable",
            r"inadmisible",
            r"indignante",
            r"indignad\w*",
            r"ridicul\w*",
            r"estafa\w*",
            r"timo",
            r"fraude",
            r"ladron\w*",
            r"robo",
            r"desastre",
            r"asqueros\w*",
            r"hart[oa]s?",
            r"furios\w*",
            r"cabread\w*",
            r"mierda",
            r"basura",
            r"penoso",
            r"lamentable",
            r"pesadilla",
            r"no sirve para nada",
            r"inutil\w*",
            r"incompetent\w*",
            r"una broma",
        ),
        "threat": (
            r"denunci\w*",
            r"abogad\w*",
            r"juzgado",
            r"tribunal\w*",
            r"ocu",
            r"hoja de reclamacion\w*",
            r"retrocesion",
            r"contracargo",
            r"(mi|el) banco",
            r"policia",
            r"mala resena",
            r"una estrella",
        ),
        "never_again": (
            r"nunca mas",
            r"no (vuelvo|volvere) a (comprar|pedir)",
            r"ultima vez que (compro|pido)",
            r"jamas",
        ),
        "mild": (
            r"un poco",
            r"un poquito",
            r"un pelin",
            r"algo",
            r"ligeramente",
            r"para que lo sepais",
            r"no pasa nada",
            r"no es grave",
            r"ah,? vale",
            r"ya veo",
            r"todo bien",
            r"sin problema",
            r"lastima",
            r"(que|una) pena",
            r"perdon\w*",
        ),
    },
    "de": {
        "strong": (
            r"schlimmste\w*",
            r"schlechteste\w*",
            r"furchtbar\w*",
            r"schrecklich\w*",
            r"katastroph\w*",
            r"unverschamt\w*",
            r"frechheit",
            r"unmoglich\w*",
            r"unzumutbar\w*",
            r"zumutung",
            r"inakzeptabel",
            r"lacherlich\w*",
            r"skandal\w*",
            r"betrug\w*",
            r"betruger\w*",
            r"abzocke\w*",
            r"abgezockt",
            r"diebe",
            r"nutzlos\w*",
            r"inkompetent\w*",
            r"wutend",
            r"stinksauer",
            r"emport",
            r"mir reicht'?s",
            r"es reicht",
            r"mist",
            r"schei(ss|ß)\w*",
            r"albtraum",
            r"das letzte",
        ),
        "threat": (
            r"anwalt\w*",
            r"gericht\w*",
            r"polizei",
            r"verbraucherzentrale",
            r"ruckbuch\w*",
            r"zuruckbuch\w*",
            r"ruckbuchung\w*",
            r"anzeige",
            r"schlechte bewertung",
            r"(einen|1) stern",
            r"paypal[ -]?konflikt",
            r"kauferschutz",
        ),
        "never_again": (
            r"nie wieder",
            r"nie mehr",
            r"(das|zum) letzte[n]? mal",
        ),
        "mild": (
            r"etwas",
            r"ein bisschen",
            r"ein bi(ss|ß)chen",
            r"ein wenig",
            r"leicht",
            r"minimal",
            r"geringfugig",
            r"schade",
            r"nicht so schlimm",
            r"halb so wild",
            r"kein problem",
            r"alles gut",
            r"passt schon",
            r"passt so",
            r"dann passt (das|es)",
            r"ach so",
            r"ah,? ok(ay)?",
            r"schon gut",
            r"hat sich erledigt",
            r"nur zur info",
        ),
    },
    "fr": {
        "strong": (
            r"pire",
            r"horrible",
            r"nul(le)?",
            r"lamentable",
            r"inadmissible",
            r"inacceptable",
            r"scandal\w*",
            r"honte\w*",
            r"honteu\w*",
            r"ridicule",
            r"arnaqu\w*",
            r"escroc\w*",
            r"escroquerie",
            r"voleur\w*",
            r"c'?est du vol",
            r"degoutant\w*",
            r"furieu\w*",
            r"inutile\w*",
            r"incompetent\w*",
            r"cauchemar",
            r"catastroph\w*",
            r"merde",
            r"marre",
            r"ras le bol",
            r"n'?importe quoi",
            r"une blague",
        ),
        "threat": (
            r"avocat\w*",
            r"tribunal",
            r"(porter|porte) plainte",
            r"plainte",
            r"police",
            r"opposition",
            r"ma banque",
            r"retrofactur\w*",
            r"litige",
            r"ufc",
            r"dgccrf",
            r"association de consommateurs",
            r"mauvais avis",
            r"(une|1) etoile",
        ),
        "never_again": (
            r"plus jamais",
            r"jamais plus",
            r"ne (commanderai|acheterai|reviendrai) plus",
            r"derniere fois",
        ),
        "mild": (
            r"un peu",
            r"legerement",
            r"un brin",
            r"un poil",
            r"quelque peu",
            r"pour info",
            r"pas grave",
            r"pas de souci",
            r"pas de probleme",
            r"(ah,? )?d'accord",
            r"dommage",
            r"tant pis",
            r"c'est bon",
            r"tout va bien",
            r"desole\w*",
            r"ah,? ok",
        ),
    },
}

_KINDS: Final = ("strong", "threat", "never_again", "mild")
#: Words in capitals that are not shouting (sizes, carriers, currencies, file types).
_CAPS_STOPWORDS: Final = frozenset(
    {
        "XXL",
        "XXXL",
        "XXS",
        "DHL",
        "UPS",
        "DPD",
        "GLS",
        "TNT",
        "USPS",
        "ORD",
        "EUR",
        "USD",
        "GBP",
        "CHF",
        "FAQ",
        "PDF",
        "SMS",
        "USB",
        "LED",
        "GPS",
        "PIN",
        "IBAN",
    }
)
_CAPS_WORD: Final = re.compile(r"\b[^\W\d_]{3,}\b")
_QUESTIONS: Final = re.compile(r"\?\?|\?!|!\?")
_MAX_CHARS: Final = 2000


@dataclass(frozen=True)
class Intensity:
    """A message's intensity and the cues that set it.

    Attributes:
        value: In [0, 1]; :data:`BASE` for a plain message.
        cues: Names of the cues found (e.g. ``strong``, ``threat``, ``caps``, ``mild``).
    """

    value: float
    cues: tuple[str, ...]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("’", "'")


@lru_cache(maxsize=32)
def _pattern(language: str, kind: str) -> re.Pattern[str]:
    parts = list(_CUES["en"][kind])
    if language != "en" and language in _CUES:
        parts += _CUES[language][kind]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def intensity(text: str, language: str = "en") -> Intensity:
    """How heated a message is.

    Args:
        text: The message (anything that is not a string counts as empty).
        language: ``en``, ``es``, ``de`` or ``fr`` (others use the English lists).

    Returns:
        The intensity and its cues.
    """
    raw = text[:_MAX_CHARS] if isinstance(text, str) else ""
    folded = _fold(raw)
    value = BASE
    cues: list[str] = []
    counts = {kind: len(_pattern(language, kind).findall(folded)) for kind in _KINDS}
    if counts["strong"]:
        value += STRONG * min(counts["strong"], MAX_STRONG)
        cues.append("strong")
    if counts["threat"]:
        value += THREAT
        cues.append("threat")
    if counts["never_again"]:
        value += NEVER_AGAIN
        cues.append("never_again")
    exclamations = raw.count("!")
    if exclamations:
        value += EXCLAMATION_MANY if exclamations > 1 else EXCLAMATION_ONE
        cues.append("exclamation")
    if _QUESTIONS.search(raw):
        value += QUESTION_MANY
        cues.append("questions")
    caps = [
        word for word in _CAPS_WORD.findall(raw) if word.isupper() and word not in _CAPS_STOPWORDS
    ]
    if caps:
        value += CAPS_MANY if len(caps) > 1 else CAPS_ONE
        cues.append("caps")
    if counts["mild"]:
        value -= MILD * min(counts["mild"], MAX_MILD)
        cues.append("mild")
    return Intensity(round(max(0.0, min(1.0, value)), 3), tuple(cues))
