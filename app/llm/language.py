"""Guess the requester's language from their words, offline, in microseconds.

Support messages are short and full of product words (Coins, LIVE, PayPal) that say nothing about language, so
we count only function words: articles, pronouns, prepositions, auxiliaries. A word shared by several languages
("de", "que", "la") is split between them. The guess is conservative on purpose: too little evidence, or two
languages too close to call, answers ``None`` and callers keep their default (English). A wrong language costs
more than a missed one: the reply would go out in a language the requester did not write.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

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
_MIN_EVIDENCE = 2.0  # weighted function-word hits needed before we believe a guess
_MIN_MARGIN = 1.5  # the winner must beat the runner-up by this factor


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
    score: float  # weighted function-word hits for ``code``
    runner_up: float  # the same for the second-best language


def guess_language(text: str) -> LanguageGuess | None:
    """The most likely language of ``text``, or ``None`` when the evidence is too thin or too close."""
    scores: dict[str, float] = defaultdict(float)
    for word in _WORD.findall(text.lower()):
        for lang, weight in _WEIGHTS.get(word, {}).items():
            scores[lang] += weight
    # Letters that only some languages use break ties between close relatives (es/pt, fr/it).
    for char, lang in (("ñ", "es"), ("¿", "es"), ("¡", "es"), ("ã", "pt"), ("õ", "pt"), ("ß", "de")):
        if char in text:
            scores[lang] += 1.0
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    best, best_score = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if best_score < _MIN_EVIDENCE or best_score < second * _MIN_MARGIN:
        return None
    return LanguageGuess(best, best_score, second)


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
