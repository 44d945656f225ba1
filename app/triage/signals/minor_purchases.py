"""Parents buying coins are not a child-safety emergency.

"My 11-year-old spent $300 of coins on my card" is a refund case (``knowledge_base/refund-minor-purchases.md``).
The flag model learnt that a child in a message is often a ``minor_safety`` case, and it raises the flag for
these too; escalating them at P0 and telling a parent to call emergency services helps nobody and buries the
real ones. So a ``minor_safety`` raised *by the model* is dropped when the message is about a minor's purchase
and carries no safety element: no sexual wording, no contact or pressure from someone (asked her to, told him
to, promised, threatened), no images or video calls, no secrecy, no meeting, no fear, no child hosting a LIVE or
begging for gifts. The rules (:mod:`.minors`) fire only on explicit sexual risk, so a rule's flag always stays,
and so does the model's whenever any of those elements is present.
"""

from __future__ import annotations

from app.taxonomy import FlagSource
from app.triage.signals.base import Signal
from app.triage.signals.minors import _SEXUAL
from app.triage.signals.text import rx

CODE = "minor_safety"

_CHILD = rx(
    r"\b(?:son|daughter|kids?|child(?:ren)?|boy|girl|teen(?:ager)?|minor|grandson|granddaughter|nephew|niece|"
    r"\d{1,2}[\s-]?(?:years?|yrs?)[\s-]?old|\d{1,2}\s?yo|hij[oa]s?|niñ[oa]s?|filh[oa]s?|crian[cç]a|menin[oa])\b"
)
_PURCHASE = rx(
    r"\b(?:bought|buy(?:ing)?|spent|spend(?:ing)?|purchas\w*|charg\w*|card|coins?|refund\w*|paid|payments?|"
    r"recharg\w*|top[\s-]?ups?|in[\s-]app|transactions?|billing|statement|compr\w*|gast\w*|reembols\w*|tarjeta|"
    r"cart[aã]o|moedas|monedas|cobr\w*)\b"
)
_SAFETY_ELEMENT = rx(
    r"\b(?:photos?|pictures?|pics|selfies?|images?|videos?\s+(?:call|chat)|video-?call\w*|webcam|on\s+cam(?:era)?|"
    r"secret|don'?t\s+tell|not\s+to\s+tell|keep\s+it\s+(?:quiet|between)|meet(?:ing)?\s+(?:up|him|her|them|in)|"
    r"come\s+over|address|where\s+(?:she|he|they)\s+lives?|(?:her|his)\s+school|"
    r"(?:asked|asking|asks|told|telling|pressur\w*|begg\w*|made|convinc\w*|groom\w*|manipulat\w*|trick\w*|"
    r"promis\w*|threat\w*|blackmail\w*|forc\w*|dar(?:ed|ing))\s+(?:her|him|them|my\s+\w+|our\s+\w+)\b|"
    r"offer\w*\s+(?:her|him|them|a\s+\w+|my\s+\w+)|1\s?on\s?1|one[\s-]on[\s-]one|"
    r"private\s+(?:video|call|chat|stream|live|messages?)|video\s+with\s+(?:him|her|them)|"
    r"older\s+(?:guy|man|men|woman|boy|girl)|"
    r"in\s+exchange\s+for|scared|afraid|frighten\w*|unsafe|danger\w*|stranger|grown\s+(?:man|men|woman)|"
    r"adults?\s+(?:in|on|from)|(?:was|were|is|are|been|keeps?|started)\s+(?:streaming|going\s+live|hosting|"
    r"broadcasting)|went\s+live|beg(?:ging)?\s+for\s+(?:gifts|coins)|"
    r"fotos?|secreto|segredo|amenaz\w*|amea[cç]\w*|encontr\w*\s+con|pidi[oó]|pediu)\b"
)


def purchase_without_safety_element(text: str) -> bool:
    """A minor's purchase (child + money words) with nothing that puts the child at risk."""
    if _CHILD.search(text) is None or _PURCHASE.search(text) is None:
        return False
    return _SAFETY_ELEMENT.search(text) is None and _SEXUAL.search(text) is None


def without_purchase_only_minor_flag(text: str, signals: list[Signal]) -> list[Signal]:
    """``signals`` without the model's ``minor_safety`` when the message is only about a minor's purchase."""
    if not any(s.code == CODE and s.source is FlagSource.MODEL for s in signals):
        return signals
    if not purchase_without_safety_element(text):
        return signals
    return [s for s in signals if not (s.code == CODE and s.source is FlagSource.MODEL)]
