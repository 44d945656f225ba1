"""Sentence and word helpers the guardrails share.

Guardrails compare a draft with the text it may rely on (cited articles, the conversation). Word comparison is
done on crude stems — lower-case, accents kept, the first six letters — because a draft paraphrases: "refunded"
and "refunds" must count as the same word, and a stemmer library would add a dependency for little gain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from app.knowledge.embeddings import model_dir
from app.triage.signals.text import normalize

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.MULTILINE)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_TOKEN = re.compile(r"\S+")
_STEM_LETTERS = 6

# Function words of the languages the knowledge base is written in; they carry no grounding either way.
_SPANISH_PORTUGUESE_WORDS = """
de la el los las un una unos unas y o que en por para con sin su sus se lo le les al del es son está están como
más muy pero si no ya nos te tu tus mi mis este esta estos estas ese esa eso hay ser fue han ha da do das dos em um
uma os as e ou com sem seu sua seus suas não mais muito mas pelo pela isso você vocês nosso nossa
"""
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | frozenset(_SPANISH_PORTUGUESE_WORDS.split())


def sentences(text: str) -> Iterator[str]:
    """Sentences (or lines) of ``text`` with their surrounding space stripped; empty ones are skipped."""
    for match in _SENTENCE.finditer(normalize(text)):
        sentence = match.group(0).strip()
        if sentence:
            yield sentence


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` (letters only; apostrophes inside a word kept)."""
    return [w.lower() for w in _WORD.findall(normalize(text))]


def stem(word: str) -> str:
    return word.lower()[:_STEM_LETTERS]


def content_words(text: str) -> list[str]:
    """Words that carry meaning: three letters or more, not a function word."""
    return [w for w in words(text) if len(w) >= 3 and w not in STOP_WORDS]


def stems(text: str | Iterable[str]) -> set[str]:
    parts = [text] if isinstance(text, str) else list(text)
    return {stem(w) for part in parts for w in words(part)}


def tokens(text: str) -> list[str]:
    """Whitespace-separated tokens with the punctuation around them stripped."""
    return [t.strip(".,;:!?()[]{}\"'«»") for t in _TOKEN.findall(normalize(text))]


def shingles(text: str, size: int) -> set[tuple[str, ...]]:
    """Every run of ``size`` consecutive words: two texts sharing one share a phrase."""
    found = words(text)
    return {tuple(found[i : i + size]) for i in range(len(found) - size + 1)}


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """English words the embedding model's tokenizer knows whole (about 20k): a dictionary that ships offline.

    A word missing from it and from the texts a draft relies on is misspelt, scrambled or encoded.
    """
    path: Path = model_dir() / "vocab.txt"
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip().isalpha())
