"""Scores which language a short chat message is written in (no Rasa objects here).

Three kinds of offline evidence are added up as log-likelihoods per language:

* **words**: the frequency of each word in the language, from the word lists that ship with
  the ``wordfreq`` package (``small`` lists: the ~30,000-40,000 most frequent words of each
  language, from subtitles, Wikipedia, web text and chat). A word that is frequent in one
  language and missing from another is the strongest cue a two-word message can give.
  Words that are in no list (brand names, typos, order ids) give no word evidence.
* **characters**: langdetect's character 1-3-gram profiles (Wikipedia), scored exactly over
  every n-gram of the text instead of langdetect's random sampling, so the result is
  deterministic and smooth enough to be added to the word evidence.
* **marks**: letters that only some of the candidate languages write (ñ ¿ ¡ ß œ ç ...) and a
  few chat words missing from the word lists (:mod:`language_words`).

The scorer also knows a few *distractor* languages (Italian, Portuguese, Dutch by default):
they compete in the scoring so that a message in a language the assistant does not support
is recognised as such, but they are never the answer.
"""

from __future__ import annotations

import json
import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.components import language_words

#: Weight of the character n-gram log-likelihood (per n-gram) against the word evidence.
DEFAULT_CHAR_WEIGHT = 0.3
#: Prior of a distractor language relative to a supported one.
DEFAULT_DISTRACTOR_PRIOR = 0.2
#: Log-probability given to a word missing from one language's list but present in another.
_MISSING_WORD_LOG = math.log(3e-7)
#: Log-probability of a chat word from :mod:`language_words` in its own language.
_CHAT_WORD_LOG = math.log(2e-4)
#: Bonus (log units) per distinctive letter, e.g. "ñ" for Spanish.
_MARK_BONUS = 2.0
#: Texts are cut to this many characters before scoring (keeps long pastes cheap).
MAX_CHARS = 400
#: Words whose evidence is kept (the cache is emptied when it is full).
_WORD_CACHE_SIZE = 50_000
#: langdetect's smoothing: alpha / BASE_FREQ is added to each n-gram probability.
_NGRAM_SMOOTHING = 0.5 / 10000

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
# things that are not words of any language: links, e-mails, handles, codes with digits
_NOT_LANGUAGE = re.compile(
    r"(?:https?://|www\.)\S+|\S+@\S+\.\S+|[@#]\w+|(?<![\w-])[\w-]*\d[\w-]*|:[a-z_]+:",
    re.IGNORECASE,
)
_APOSTROPHES = str.maketrans({"’": "'", "`": "'", "´": "'", "ʼ": "'"})


@dataclass(frozen=True)
class LanguageScores:
    """The scorer's view of one text.

    Attributes:
        letters: Number of letters in the words of the text (after removing links,
            codes with digits, handles and emoji).
        words: Number of words.
        known_words: Words found in the word list of at least one scored language.
        probabilities: Language -> posterior probability over the supported
            *and* the distractor languages; sums to 1 (empty when there are no letters).
        supported: The supported languages, in the configured order.
    """

    letters: int
    words: int
    known_words: int
    probabilities: dict[str, float]
    supported: tuple[str, ...]

    @property
    def best(self) -> str | None:
        """The most probable supported language (None without letters)."""
        candidates = [lang for lang in self.supported if lang in self.probabilities]
        if not candidates:
            return None
        return max(candidates, key=lambda lang: self.probabilities[lang])

    @property
    def best_overall(self) -> str | None:
        """The most probable language including distractors (None without letters)."""
        if not self.probabilities:
            return None
        return max(self.probabilities, key=lambda lang: self.probabilities[lang])

    @property
    def confidence(self) -> float:
        """Probability of :attr:`best` (0.0 without letters)."""
        best = self.best
        return self.probabilities[best] if best else 0.0

    @property
    def margin(self) -> float:
        """Probability of :attr:`best` minus that of the runner-up (any language)."""
        best = self.best
        if best is None:
            return 0.0
        others = [p for lang, p in self.probabilities.items() if lang != best]
        return self.probabilities[best] - max(others, default=0.0)


def language_text(text: str) -> str:
    """Removes what carries no language: links, e-mails, handles, codes and numbers.

    Args:
        text: The raw message.

    Returns:
        The text with those parts replaced by spaces, apostrophes unified.
    """
    return _NOT_LANGUAGE.sub(" ", text.translate(_APOSTROPHES))


def words_of(text: str) -> list[str]:
    """Case-folded words of a text ("Größe" -> "grösse", as the word lists store it)."""
    folded = unicodedata.normalize("NFC", text.translate(_APOSTROPHES)).casefold()
    return _WORD.findall(folded)


class LanguageScorer:
    """Scores texts against a fixed set of languages; build once, use from any thread.

    The evidence of each word is computed once and cached (chat repeats its words).
    """

    def __init__(
        self,
        languages: Sequence[str],
        distractors: Sequence[str] = (),
        char_weight: float = DEFAULT_CHAR_WEIGHT,
        distractor_prior: float = DEFAULT_DISTRACTOR_PRIOR,
    ) -> None:
        """Loads the word lists and n-gram profiles of the languages.

        Args:
            languages: The supported languages (ISO 639-1 codes).
            distractors: Languages that compete but are never the answer.
            char_weight: Weight of the character n-gram evidence.
            distractor_prior: Prior of each distractor language relative to a supported
                one (a shop's customers mostly write in the languages it supports).

        Raises:
            ValueError: If a language has no word list or no n-gram profile.
        """
        self.supported = tuple(dict.fromkeys(languages))
        self.languages = tuple(dict.fromkeys([*self.supported, *distractors]))
        self.char_weight = char_weight
        self._priors = [
            0.0 if lang in self.supported else math.log(distractor_prior) for lang in self.languages
        ]
        self._frequencies = [_word_frequencies(lang) for lang in self.languages]
        self._ngrams = _ngram_log_probabilities(self.languages)
        self._chat_words = [language_words.chat_words(lang) for lang in self.languages]
        self._marks = [language_words.distinctive_letters(lang) for lang in self.languages]
        self._word_cache: dict[str, tuple[bool, tuple[float, ...]]] = {}

    def scores(self, text: str) -> LanguageScores:
        """Scores one text.

        Args:
            text: The message (any string; only its first ``MAX_CHARS`` characters count).

        Returns:
            The scores (no probabilities if the text has no letters).
        """
        cleaned = language_text(text[:MAX_CHARS])
        words = words_of(cleaned)
        letters = sum(len(word.replace("'", "")) for word in words)
        if not words:
            return LanguageScores(0, 0, 0, {}, self.supported)
        totals = list(self._priors)
        known = 0
        for word in words:
            is_known, vector = self._word_vector(word)
            known += is_known
            totals = [total + value for total, value in zip(totals, vector, strict=True)]
        return LanguageScores(
            letters=letters,
            words=len(words),
            known_words=known,
            probabilities=dict(zip(self.languages, _softmax(totals), strict=True)),
            supported=self.supported,
        )

    def _word_vector(self, word: str) -> tuple[bool, tuple[float, ...]]:
        """Whether a word list knows the word, and its evidence per language (cached).

        The evidence of a word is its log-frequency (if some language knows it), plus the
        weighted character n-gram log-likelihood, plus the distinctive-letter bonus.
        """
        cached = self._word_cache.get(word)
        if cached is not None:
            return cached
        logs = self._word_logs(word)
        chars = self._char_logs(word.replace("'", " "))
        vector = tuple(
            (logs[i] if logs is not None else 0.0)
            + self.char_weight * chars[i]
            + _MARK_BONUS * sum(1 for ch in word if ch in marks)
            for i, marks in enumerate(self._marks)
        )
        result = (logs is not None, vector)
        if len(self._word_cache) >= _WORD_CACHE_SIZE:
            self._word_cache.clear()
        self._word_cache[word] = result
        return result

    def _word_logs(self, word: str) -> list[float] | None:
        """Log-frequency of a word per language; None if no language knows it."""
        logs: list[float | None] = []
        for freqs, chat in zip(self._frequencies, self._chat_words, strict=True):
            logs.append(_lookup(word, freqs, chat))
        if all(value is None for value in logs):
            return None
        return [_MISSING_WORD_LOG if value is None else value for value in logs]

    def _char_logs(self, text: str) -> list[float]:
        """Sum over the text's character 1-3-grams of log P(n-gram | language)."""
        totals = [0.0] * len(self.languages)
        table = self._ngrams
        for gram in _ngrams(text):
            row = table.get(gram)
            if row is not None:
                for i, value in enumerate(row):
                    totals[i] += value
        return totals


def _lookup(word: str, freqs: dict[str, float], chat: frozenset[str]) -> float | None:
    """Log-frequency of a word in one language's list, trying its parts at apostrophes."""
    if word in chat:
        return max(_CHAT_WORD_LOG, math.log(freqs[word]) if word in freqs else -math.inf)
    freq = freqs.get(word)
    if freq is not None:
        return math.log(freq)
    if "'" in word:
        parts = [part for part in word.split("'") if part]
        found = [freqs.get(part) for part in parts]
        if all(value is not None for value in found):
            return sum(math.log(value) for value in found if value is not None)
    return None


def _softmax(values: Sequence[float]) -> list[float]:
    top = max(values)
    exps = [math.exp(value - top) for value in values]
    total = sum(exps)
    return [value / total for value in exps]


def _ngrams(text: str) -> Iterable[str]:
    """Character 1-3-grams of a lower-case text, with word boundaries as spaces.

    Lower-case text avoids langdetect's rule of skipping all-capital words; spaces pad the
    words as in langdetect's profiles (" th", "he ").
    """
    for word in text.split():
        padded = f" {word} "
        for n in (1, 2, 3):
            for start in range(len(padded) - n + 1):
                gram = padded[start : start + n]
                if gram.strip():
                    yield gram


_CACHE_LOCK = threading.Lock()
_WORD_CACHE: dict[str, dict[str, float]] = {}
_NGRAM_CACHE: dict[tuple[str, ...], dict[str, tuple[float, ...]]] = {}


def _word_frequencies(language: str) -> dict[str, float]:
    """The ``small`` wordfreq list of a language (loaded once per process)."""
    with _CACHE_LOCK:
        cached = _WORD_CACHE.get(language)
        if cached is None:
            from wordfreq import available_languages, get_frequency_dict  # noqa: PLC0415

            if language not in available_languages("small"):
                raise ValueError(f"no word list for language '{language}'")
            cached = get_frequency_dict(language, "small")
            _WORD_CACHE[language] = cached
        return cached


def _ngram_log_probabilities(languages: tuple[str, ...]) -> dict[str, tuple[float, ...]]:
    """The langdetect n-gram profiles of the languages: n-gram -> log probabilities.

    Uses langdetect's own ``DetectorFactory`` (with a fixed seed) loaded with just these
    profiles, so the probabilities are those langdetect computes for a detector limited
    to the languages.
    """
    with _CACHE_LOCK:
        cached = _NGRAM_CACHE.get(languages)
        if cached is None:
            factory = limited_langdetect_factory(languages)
            cached = {
                gram: tuple(math.log(p + _NGRAM_SMOOTHING) for p in probs)
                for gram, probs in factory.word_lang_prob_map.items()
            }
            _NGRAM_CACHE[languages] = cached
        return cached


def limited_langdetect_factory(languages: Iterable[str], seed: int = 0) -> object:
    """A langdetect ``DetectorFactory`` that knows only the given languages.

    Args:
        languages: ISO codes of langdetect profiles.
        seed: The seed of the detectors it creates (langdetect samples n-grams at random).

    Returns:
        The factory; ``factory.create()`` gives a detector as ``langdetect.detect`` uses.

    Raises:
        ValueError: If langdetect has no profile for a language.
    """
    from langdetect.detector_factory import (  # noqa: PLC0415
        PROFILES_DIRECTORY,
        DetectorFactory,
    )
    from langdetect.utils.lang_profile import LangProfile  # noqa: PLC0415

    codes = list(dict.fromkeys(languages))
    factory = DetectorFactory()
    factory.set_seed(seed)
    for index, code in enumerate(codes):
        path = Path(PROFILES_DIRECTORY) / code
        if not path.is_file():
            raise ValueError(f"langdetect has no profile for language '{code}'")
        profile = LangProfile(**json.loads(path.read_text(encoding="utf-8")))
        factory.add_profile(profile, index, len(codes))
    return factory
