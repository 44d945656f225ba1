"""Guess the requester's language from their words, offline.

Lingua (``lingua-language-detector``, models shipped inside the wheel, no download) tells close relatives apart
(Spanish and Portuguese share most function words, which is where counting stop words went wrong). It is the only
module that imports lingua. Support messages are short and full of product words (Coins, LIVE, PayPal) that say
nothing about language, so the guess is conservative on purpose: fewer than ``_MIN_WORDS`` words with too few
function words, or a low confidence, answers ``None`` and callers keep their default (English). A wrong language
costs more than a missed one: the reply would go out in a language the requester did not write.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Function words per language: frequent, short, and rarely product vocabulary.
_STOPWORD_TEXT: dict[str, str] = {
    "en": (
        "the and is are was were have has had my me i you your it this that with for not but of to in on "
        "can could would please why what when how did does do been they we our there no as"
    ),
    "es": (
        "el la los las y es son fue mi mis me yo tu usted su que de del en con por para pero no una uno "
        "un se lo muy hola gracias porque cuando como está esta estoy tengo hace ya ayuda"
    ),
    "pt": (
        "os é são foi meu minha eu você seu sua que de do da dos das em no na com por para mas "
        "não um uma se muito olá obrigado obrigada porque quando como está estou tenho já ajuda"
    ),
    "fr": (
        "le la les et est sont était mon ma mes je vous votre que de du des en dans avec pour par mais ne "
        "pas un une se très bonjour merci parce quand comment ai suis il elle nous"
    ),
    "de": (
        "der die das und ist sind war mein meine ich sie ihr dass von zu mit für aber nicht ein eine sich "
        "sehr hallo danke weil wenn wie habe bin es auf bitte noch was"
    ),
    "it": (
        "il lo la gli le è sono era mio mia io tu lei suo sua che di del della in con ma non un una "
        "si molto ciao grazie perché quando ho sto ancora aiuto"
    ),
    "id": (
        "yang dan ini itu saya aku anda kamu dengan untuk tidak ada di ke dari tapi sudah belum bisa "
        "tolong terima kasih karena kapan bagaimana kenapa"
    ),
}
_STOPWORDS = {lang: frozenset(words.split()) for lang, words in _STOPWORD_TEXT.items()}

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "es": "Spanish",
    "pt": "Portuguese",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "id": "Indonesian",
}

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_MIN_EVIDENCE = 2.0  # weighted function-word hits that make a short message worth guessing
_MIN_WORDS = 4  # or this many words
_MIN_CONFIDENCE = 0.5  # lingua's relative confidence for the winner
_LINGUA_NAMES = {
    "en": "ENGLISH",
    "es": "SPANISH",
    "pt": "PORTUGUESE",
    "fr": "FRENCH",
    "de": "GERMAN",
    "it": "ITALIAN",
    "id": "INDONESIAN",
}


def _weights() -> dict[str, dict[str, float]]:
    owners: dict[str, list[str]] = defaultdict(list)
    for lang, words in _STOPWORDS.items():
        for word in words:
            owners[word].append(lang)
    return {word: {lang: 1.0 / len(langs) for lang in langs} for word, langs in owners.items()}


_WEIGHTS = _weights()  # pure data derived from constants above, not a setting or client


@dataclass(frozen=True)
class LanguageGuess:
    code: str
    score: float  # lingua's relative confidence for ``code``
    runner_up: float  # the same for the second-best language


@lru_cache(maxsize=1)
def _detector() -> Any:
    """Built once per process on first use (about a second; the models are inside the wheel)."""
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _LINGUA_NAMES.values()]
    return LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()


_CODES = {name: code for code, name in _LINGUA_NAMES.items()}


def guess_language(text: str) -> LanguageGuess | None:
    """The most likely language of ``text``, or ``None`` when the evidence is too thin or too close."""
    words = _WORD.findall(text.lower())
    evidence = sum(max(_WEIGHTS.get(word, {}).values(), default=0.0) for word in words)
    if len(words) < _MIN_WORDS and evidence < _MIN_EVIDENCE:
        return None
    ranked = _detector().compute_language_confidence_values(text)
    if not ranked:
        return None
    best, second = ranked[0], (ranked[1].value if len(ranked) > 1 else 0.0)
    if best.value < _MIN_CONFIDENCE:
        return None
    return LanguageGuess(_CODES[best.language.name], float(best.value), float(second))


def normalise_locale(locale: str | None) -> str | None:
    """``pt-BR`` → ``pt``; empty or malformed values → ``None``."""
    if not locale:
        return None
    code = unicodedata.normalize("NFKC", locale).strip().replace("_", "-").split("-")[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def resolve_language(locale: str | None, text: str, default: str = "en") -> str:
    """The language to reply in: the message's own locale when the channel gave one, else a guess, else default."""
    given = normalise_locale(locale)
    if given:
        return given
    guess = guess_language(text)
    return guess.code if guess else default


def language_name(code: str) -> str:
    """A name the model understands; unknown codes are passed through (models know most ISO 639-1 codes)."""
    return LANGUAGE_NAMES.get(code, code)
