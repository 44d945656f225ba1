"""``extortion`` floor: explicit pay-or-I-leak demands and the words for blackmail, in en/es/pt.

A demand needs money (or more) *and* a harmful payload: "pay $300 or I send your nudes to your family", "unless I
pay he'll post my pics", "si no me pagas publico tus fotos", "se não pagar vou postar seus nudes". A customer's
"refund me or I'll post a review" and "your prices are extortion" are not threats. Implied pressure without
these words is the flag model's job (:mod:`app.triage.flag_classifier`).
"""

from __future__ import annotations

import re

from app.triage.signals.base import Rule
from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import rx, sentence_at

CODE = "extortion"

_LEAK = r"(?:leak|post|send|share|expose|release|publish|upload|spread|show)\w*"
_MEDIA = (
    r"(?:nudes?|naked\s+\w+|intimate\s+\w+|private\s+\w+|pics|photos|pictures|videos?|vids|chats?|screenshots|"
    r"recordings?)"
)
_PAY = r"(?:unless|if)\s+(?:you|u|i|we)\s+(?:don'?t\s+|do\s+not\s+)?(?:pay|send)\b"
_CUSTOMER = compile_rx(r"\b(?:refund\w*|money\s+back|my\s+(?:money|coins|account)|reviews?|support|fix)\b")


def _customer(text: str, match: re.Match[str]) -> bool:
    """'give me my refund or I'll post screenshots of this chat' is a complaint, not a blackmail."""
    return _CUSTOMER.search(match.group()) is not None


_PRICE_TALK = rx(r"\b(?:prices?|pricing|fees?|costs?|charg\w+|expensive|precios?|preços?|caro)\b|\$\s?\d")
_REAL_THREAT = compile_rx(r"\b(?:threat\w*|unless|or\s+else|leak\w*|nudes?|pics|photos|videos?|expose\w*)\b")


def _word_not_threat(text: str, match: re.Match[str]) -> bool:
    """'your prices are extortion lol' uses the word for a price; 'the song Blackmail' for a title."""
    if text[max(0, match.start() - 1) : match.start()] in ("'", '"'):
        return True
    sentence = sentence_at(text, match.start(), match.end())
    return _PRICE_TALK.search(sentence) is not None and _REAL_THREAT.search(sentence) is None


_PAY_OR_LEAK = compile_rx(
    r"\b(?:pay|send|give|transfer|wire|(?:he|she|they)\s+(?:wants?|demands?))\s+(?:me\s+|us\s+|him\s+|her\s+)?"
    r"(?:[\w$€£.,]+\s+){0,4}?"
    r"(?:or(?:\s+else)?|otherwise|unless|before)\s+(?:[\w']+\s+){0,3}?" + _LEAK + r"\s+(?:\w+\s+){0,2}?"
    r"(?:" + _MEDIA + r"|them|it|everything)\b"
)
_IF_NO_PAY = compile_rx(r"\b" + _PAY + r"[^.!?\n]{0,60}?\b" + _LEAK + r"\s+(?:\w+\s+){0,2}?" + _MEDIA + r"\b")
_LEAK_UNLESS = compile_rx(r"\b" + _LEAK + r"\s+(?:\w+\s+){0,3}?" + _MEDIA + r"\b[^.!?\n]{0,60}?\b" + _PAY)
_THREATENS = compile_rx(
    r"\bthreaten(?:s|ed|ing)?\s+(?:me\s+)?(?:to\s+)?(?:leak|post|share|send|expose|release|publish|spread)\w*\s+"
    r"(?:\w+\s+){0,2}?(?:nudes?|naked\s+\w+|intimate\s+\w+|private\s+\w+|pics|photos|pictures|videos?)\b"
)
_WORD = rx(
    r"\b(?:sextort\w*|extort(?:ing|ed|s|ion)?|blackmail(?:ing|ed|s)?|extorsión|extorsion(?:ando|an|a)|extorsão|"
    r"chantaje\w*|chantagem|chantageando)\b"
)
_ES_PT = rx(
    r"\bsi\s+no\s+(?:me\s+)?(?:pagas|paga|pagan|mandas)\b[^.!?\n]{0,60}?\b(?:publico|subo|envío|mando|comparto|"
    r"filtro|muestro)\s+(?:\w+\s+){0,2}?(?:fotos|videos|vídeos|nudes|packs|imágenes)\b"
    r"|\bse\s+(?:você\s+|vc\s+)?não\s+(?:me\s+)?(?:pagar|mandar)\b[^.!?\n]{0,60}?\b(?:vou\s+)?(?:post\w*|mand\w*|"
    r"vaz\w*|divulg\w*|espalh\w*|envi\w*)\s+(?:\w+\s+){0,2}?(?:fotos|vídeos|videos|nudes|packs|imagens)\b"
)

ALL_RULES: tuple[Rule, ...] = (
    Rule("extortion.pay_or_i_leak", CODE, _PAY_OR_LEAK, 0.95, negatable=False, guards=(_customer,)),
    Rule("extortion.if_you_dont_pay", CODE, _IF_NO_PAY, 0.95, negatable=False, guards=(_customer,)),
    Rule("extortion.leak_unless_pay", CODE, _LEAK_UNLESS, 0.95, negatable=False, guards=(_customer,)),
    Rule("extortion.threatens_to_leak", CODE, _THREATENS, 0.9),
    Rule("extortion.word", CODE, _WORD, 0.9, guards=(_word_not_threat,)),
    Rule("extortion.es_pt_pay_or_leak", CODE, _ES_PT, 0.95, negatable=False),
)
