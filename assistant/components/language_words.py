"""Small hand-written language cues that the general word lists miss.

* Chat words: spellings of chat and shop talk that are rare in the text the word lists were
  built from ("porfa", "thx", "stp"), so a two-word chat message still has a cue.
* Distinctive letters: letters written in only some of the languages. Each occurrence adds
  a fixed bonus to the languages that write the letter.

Words are case-folded (``str.casefold``: "ß" becomes "ss"), as the word lists store them.
"""

from __future__ import annotations

CHAT_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        """
        thx thanx ty tysm pls plz ppl u ur r btw idk imo tbh lol omg wanna gonna gotta
        dunno lemme gimme kinda sorta yep yup nope hiya howdy cheers asap sneakers hoodie
        """.split()
    ),
    "es": frozenset(
        """
        porfa porfis xfa xfavor pf ke xq porq tb tmb tmbn bss besos jaja jajaja
        jeje vale wapo guay holi holaa graciass muchísimas chao zapas finde plis
        """.split()
    ),
    "de": frozenset(
        """
        bitteschön dankeschön danki hallöchen moin servus tschüss tschüs tschö gell nö
        jo joa hab habs gibts gehts wär bissl bisschen lg mfg sry kannste haste willste
        """.split()
    ),
    "fr": frozenset(
        """
        stp svp mdr ptdr bjr slt coucou dac dacc pk pcq jsp jpp tkt bcp mrc mci
        bisous ouais ouaip wesh chuis chui jvais jveux bsr
        """.split()
    ),
}

#: Letters beyond a-z that each language writes (case-folded: "ß" becomes "ss", so it is
#: not listed). Each occurrence adds a bonus to every language that writes the letter, so
#: "é" speaks for es/fr/it/pt and against en/de; "ñ" for es alone.
DISTINCTIVE_LETTERS: dict[str, frozenset[str]] = {
    "en": frozenset(),
    "es": frozenset("ñ¿¡áéíóúü"),
    "de": frozenset("äöü"),
    "fr": frozenset("àâæçéèêëîïôœùûüÿ"),
    "it": frozenset("àèéìíòóù"),
    "pt": frozenset("ãõáâàçéêíóôú"),
    "nl": frozenset("ëïéè"),
}


def chat_words(language: str) -> frozenset[str]:
    """Chat words of a language (empty for languages without a list)."""
    return CHAT_WORDS.get(language, frozenset())


def distinctive_letters(language: str) -> frozenset[str]:
    """Distinctive letters of a language (empty for languages without a list)."""
    return DISTINCTIVE_LETTERS.get(language, frozenset())
