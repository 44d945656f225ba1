"""``chargeback_threat`` and ``legal_regulatory_threat``: the requester escalates outside our support.

"I don't want to get lawyers involved" is kept as a threat: a veiled threat is still one. "Sue" only counts
with a verb frame or an object ("I'll sue", "sue you", "suing StreamNest"), never as the name Sue.
"""

from __future__ import annotations

import re

from app.triage.signals.base import Context, Guard, Rule, Signal, scan
from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import clause_start, is_negated

CHARGEBACK = "chargeback_threat"
LEGAL = "legal_regulatory_threat"

_ISSUER = (
    r"(?:my\s+|the\s+|our\s+)?(?:bank|card\s+(?:issuer|company|provider)|credit\s+card(?:\s+company)?|issuer|paypal|visa|"
    r"mastercard|amex|american\s+express|apple|google(?:\s+play)?|card)\b"
)

_VEILED = compile_rx(
    r"\b(?:want|wanna|hate|rather|like\s+to|make\s+me|force\s+me|forcing\s+me|have\s+to|need\s+to|yet|hope|until)\b"
)


def _plainly_negated(text: str, match: re.Match[str]) -> bool:
    """'I'm not going to sue' is no threat; 'I don't want to involve lawyers' still is."""
    if not is_negated(text, match.start()):
        return False
    return _VEILED.search(text[clause_start(text, match.start()) : match.start()]) is None


_POWER_OF = compile_rx(r"power\s+of\s+$")


def _power_of_attorney(text: str, match: re.Match[str]) -> bool:
    return _POWER_OF.search(text, max(0, match.start() - 12), match.start()) is not None


_THREAT_GUARDS: tuple[Guard, ...] = (_plainly_negated,)

CHARGEBACK_RULES: tuple[Rule, ...] = (
    Rule(
        CHARGEBACK,
        compile_rx(
            r"\b(?:i|we)\s+(?:already\s+|have\s+)?(?:disputed|contested|reversed|reported)\s+(?:it|this|that|the\s+(?:charge|payment|"
            r"transaction|purchase)s?)\b(?:\s+(?:with|to)\s+(?:my|the)\s+\w+)?"
            r"|\b(?:bank|card\s+company|credit\s+card\s+company|issuer|paypal)\s+(?:is|are)\s+(?:now\s+)?(?:investigating|looking\s+into|"
            r"reviewing)\s+(?:the|this|my|it)"
        ),
        0.8,
        negatable=False,
        guards=_THREAT_GUARDS,
    ),
    Rule(
        CHARGEBACK,
        compile_rx(r"\bcharge[\s-]?backs?\b|\bcharg(?:e|ing)\s+(?:it|this|them)\s+back\b"),
        0.9,
        negatable=False,
        guards=_THREAT_GUARDS,
    ),
    Rule(
        CHARGEBACK,
        compile_rx(
            r"\b(?:dispute|disputing|disputed|contest|contesting|reverse|reversing|reversed|cancel|cancell?ing|report|reporting|"
            r"flag|flagging|block|blocking|claw\s+back|take\s+back|get\s+back)\b[^.!?\n]{0,50}?\b(?:with|through|via|to|at|by)\s+"
            + _ISSUER
        ),
        0.85,
        negatable=False,
        guards=_THREAT_GUARDS,
    ),
    Rule(
        CHARGEBACK,
        compile_rx(
            r"\b(?:file|filed|filing|open|opened|opening|raise|raised|raising|start|started|submit|submitted|initiate|initiated|"
            r"lodge|lodged|put\s+in|make|made)\s+(?:a\s+|an\s+)?(?:formal\s+)?(?:dispute|claim|fraud\s+claim|fraud\s+report|case)\s+"
            r"(?:with|through|via|at|to)\s+"
            + _ISSUER
            + r"|\b(?:paypal|bank|card|credit\s+card|visa|mastercard)\s+(?:dispute|claim|reversal)\b"
        ),
        0.85,
        negatable=False,
        guards=_THREAT_GUARDS,
    ),
    Rule(
        CHARGEBACK,
        compile_rx(
            r"\b(?:call|calling|contact|contacting|tell|telling|go\s+to|going\s+to|ask|asking|have|get|getting|let)\s+"
            r"(?:my|our)\s+bank\s+(?:to\s+|and\s+)?(?:\w+\s+){0,2}?(?:reverse|cancel|dispute|refund|stop|block|return|"
            r"get\s+(?:my|the|our)\s+money\s+back|take\s+(?:it|the\s+money)\s+back|claw|recover|pull\s+(?:back|the))"
            r"|\bmy\s+bank\s+(?:will|is\s+going\s+to|can|'ll|should)\s+(?:\w+\s+)?(?:reverse|refund|get|dispute|cancel|recover|"
            r"return|take)\b"
        ),
        0.85,
        negatable=False,
        guards=_THREAT_GUARDS,
    ),
    Rule(
        CHARGEBACK,
        compile_rx(
            r"\b(?:i'?ll|i\s+will|i'?m\s+going\s+to|gonna|going\s+to|i\s+am\s+going\s+to|we\s+will|will|i\s+want\s+to)\s+"
            r"(?:\w+\s+)?(?:dispute|reverse|contest)\s+(?:this|the|these|that|those|all|every|my)\s+(?:\w+\s+)?"
            r"(?:charges?|payments?|transactions?|purchases?)\b"
        ),
        0.8,
        negatable=False,
        guards=_THREAT_GUARDS,
    ),
)

LEGAL_RULES: tuple[Rule, ...] = (
    Rule(
        LEGAL,
        compile_rx(
            r"\b(?:lawyers?|attorneys?|solicitors?|legal\s+(?:counsel|representation|team\s+of\s+my\s+own|advice|advisor)|"
            r"barristers?|law\s+firm)\b"
        ),
        0.85,
        negatable=False,
        guards=(*_THREAT_GUARDS, _power_of_attorney),
    ),
    Rule(
        LEGAL,
        compile_rx(
            r"\b(?:law\s?suits?|legal\s+(?:action|proceedings|steps|measures|route|case|claim)|class[\s-]action|small[\s-]claims|"
            r"litigation|litigate|court\s+case|take\s+(?:you|this|it|them|streamnest|your\s+company|the\s+company|you\s+guys)\s+"
            r"to\s+court|see\s+you\s+in\s+court|in\s+court|to\s+court|sue\s+(?:you|u|your|streamnest|them|the\s+company|this\s+"
            r"company|the\s+platform|you\s+guys|for)|suing|sued\s+(?:you|streamnest|the\s+company))\b"
        ),
        0.9,
        negatable=False,
        guards=_THREAT_GUARDS,
    ),
    Rule(
        LEGAL,
        compile_rx(
            r"\b(?:i'?ll|i\s+will|i'?m\s+going\s+to|gonna|going\s+to|plan\s+to|planning\s+to|thinking\s+(?:of|about)|"
            r"consider(?:ing)?|could|can|want\s+to|wanna|should|about\s+to|ready\s+to|will)\s+(?:\w+\s+)?su(?:e|ing)\b"
        ),
        0.85,
        negatable=False,
        guards=_THREAT_GUARDS,
    ),
    Rule(
        LEGAL,
        compile_rx(
            r"\b(?:ftc|federal\s+trade\s+commission|cfpb|consumer\s+financial\s+protection|attorneys?\s+general|"
            r"consumer\s+(?:protection|rights|affairs|council|agency|ombudsman|watchdog|authority|commission)|trading\s+standards|"
            r"ombudsman|bbb|better\s+business\s+bureau|regulators?|regulatory\s+(?:body|authority|agency)|"
            r"data\s+protection\s+(?:authority|commissioner|office|regulator)|\bico\b|cnil|accc|competition\s+(?:and\s+markets\s+)?"
            r"authority|financial\s+conduct\s+authority|\bfca\b|gdpr\s+complaint|dpa\s+complaint|state\s+attorney)\b"
        ),
        0.9,
        negatable=False,
        guards=_THREAT_GUARDS,
    ),
    Rule(
        LEGAL,
        compile_rx(
            r"\breport\s+(?:you|this|streamnest|your\s+(?:company|app|platform)|the\s+company|you\s+guys|it)\s+to\s+(?:the\s+)?"
            r"(?:authorities|government|regulators?|police|cops|fbi|state|consumer\s+\w+)\b"
        ),
        0.8,
    ),
    Rule(
        LEGAL,
        compile_rx(
            r"\b(?:journalists?|reporters?\s+(?:at|from|for)|(?:the|a)\s+reporter|(?:the|to\s+the)\s+press\b|press\s+release|"
            r"(?:go(?:ing)?|went|talk(?:ing)?|speak(?:ing)?|tell(?:ing)?|contact(?:ing)?|reach(?:ing)?\s+out|writ(?:e|ing)|"
            r"report(?:ing)?|tak(?:e|ing)\s+(?:this|it))\s+(?:to\s+)?the\s+(?:news|media|press)\b|"
            r"news\s+(?:outlets?|stations?|channels?|papers?|sites?)|newspapers?|tv\s+stations?|bbc|cnn|fox\s+news|"
            r"go(?:ing)?\s+public\s+with|consumer\s+(?:show|program(?:me)?))"
        ),
        0.8,
        negatable=False,
        guards=_THREAT_GUARDS,
    ),
)


ALL_RULES: tuple[Rule, ...] = CHARGEBACK_RULES + LEGAL_RULES


def detect(ctx: Context) -> list[Signal]:
    """Chargeback and legal/regulatory/press threats in the text."""
    return scan(ctx, CHARGEBACK_RULES) + scan(ctx, LEGAL_RULES)
