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
    r"mastercard|amex|american\s+express|apple|google(?:\s+play)?|card|chase|citi|citibank|wells\s+fargo|barclays|hsbc|"
    r"revolut|monzo|santander|capital\s+one|bank\s+of\s+america|bofa|nubank|itau|bradesco)\b"
)

_VEILED = compile_rx(
    r"\b(?:want|wanna|hate|rather|like\s+to|make\s+me|force\s+me|forcing\s+me|have\s+to|need\s+to|yet|hope|until)\b"
)


_ESCALATION = compile_rx(
    r"\b(?:but|unless|if|or\s+else|otherwise|will\s+have\s+to|'ll\s+have\s+to|force\w*|make\s+me|leave\s+me\s+no|no\s+choice|"
    r"last\s+resort|yet|until)\b"
)


def _plainly_negated(text: str, match: re.Match[str]) -> bool:
    """'I'm not going to sue' is no threat; 'I don't want to involve lawyers, but ...' still is. A reluctant
    'I don't want to do a chargeback, I like the app' with no 'but' or 'if' after it is not."""
    if not is_negated(text, match.start()):
        return False
    if _VEILED.search(text[clause_start(text, match.start()) : match.start()]) is None:
        return True
    return _ESCALATION.search(text, match.end(), min(len(text), match.end() + 120)) is None


_POWER_OF = compile_rx(r"power\s+of\s+$")


def _power_of_attorney(text: str, match: re.Match[str]) -> bool:
    return _POWER_OF.search(text, max(0, match.start() - 12), match.start()) is not None


_OTHER_PARTY = compile_rx(
    r"\b(?:viewers?|fans?|gifters?|users?|someone|somebody|he|she|they|guy|customers?|buyers?|people|supporters?|accounts?)\s+"
    r"(?:\w+\s+){0,4}?(?:did|does|filed|files|made|makes|issued|requested|initiated|opened|charged|disputed|disputes|"
    r"reversed|contested)\s+(?:a\s+|an\s+|the\s+)?$"
)
_FROM_OTHER_PARTY = compile_rx(
    r"\s*(?:from|by|of)\s+(?:a|the|this|that|same|one|some|his|her|their)\s+(?:\w+\s+)?(?:viewers?|fans?|gifters?|users?|"
    r"accounts?|supporters?|guy|person)\b"
)
_CREATOR_SIDE = compile_rx(
    r"\b(?:diamonds|gifts?\s+(?:he|she|they)\s+(?:sent|gave)|gifted\s+me|sent\s+me|my\s+creators?|our\s+creators|deducted|"
    r"clawed\s+back|clawback|negative\s+balance)\b"
)


def _someone_elses_dispute(text: str, match: re.Match[str]) -> bool:
    """A creator hit by a viewer's chargeback ('a viewer did a chargeback on gifts he sent me') is not the
    requester's own dispute."""
    before = text[max(0, match.start() - 60) : match.start()]
    if _OTHER_PARTY.search(before) is not None or _FROM_OTHER_PARTY.match(text, match.end()) is not None:
        return _CREATOR_SIDE.search(text) is not None or _FROM_OTHER_PARTY.match(text, match.end()) is not None
    return False


_THREAT_GUARDS: tuple[Guard, ...] = (_plainly_negated, _someone_elses_dispute)

_RELATIVE = (
    r"(?:friend|buddy|mate|cousin|brother|sister|dad|father|mom|mother|uncle|aunt|wife|husband|neighbou?r|roommate)"
)
_PROFESSION_AROUND = compile_rx(r"^\s+" + _RELATIVE + r"\b|\b" + _RELATIVE + r"\s+(?:who\s+is|is|was)\s+(?:a|an)\s+$")


def _just_a_profession(text: str, match: re.Match[str]) -> bool:
    """'my lawyer friend says your terms are fair' mentions someone's job, not a legal step against us."""
    return (
        _PROFESSION_AROUND.search(text[match.end() : match.end() + 12]) is not None
        or _PROFESSION_AROUND.search(text, max(0, match.start() - 30), match.start()) is not None
    )


# A subpoena or court order sent by the police is a law-enforcement request, not a legal threat.
_POLICE = compile_rx(
    r"\b(?:police|pd|detective|det\.|officer|sheriff|law\s+enforcement|sgt\.?|constable|fbi|investigator)\b"
)

CHARGEBACK_RULES: tuple[Rule, ...] = (
    Rule(
        CHARGEBACK,
        compile_rx(
            r"\b(?:i|we)\s+(?:already\s+|have\s+)?(?:disputed|contested|reversed)\s+(?:it|this|that|the\s+(?:charge|payment|"
            r"transaction|purchase)s?)\b(?:\s+(?:with|to)\s+(?:my|the)\s+\w+)?"
            r"|\bdisputed\s+(?:\w+\s+){0,4}?(?:charges?|payments?|transactions?|purchases?)\b"
            r"|\bdispute\s+(?:it|this|that)\s+(?:unless|if\s+(?:you|i)\s+(?:don'?t|do\s+not|can'?t))\s+[^.!?\n]{0,30}?\b(?:refund|money|coins|"
            r"charge|credit)"
            r"|\b(?:filed|opened|raised|submitted|lodged|started)\s+(?:a\s+|the\s+|my\s+|two\s+|three\s+|several\s+)?disputes?\b"
            r"|\b(?:my|the|our)\s+(?:bank|card\s+issuer|issuer|card\s+company)\s+(?:\w+\s+)?(?:reversed|refunded|charged\s+back|pulled\s+back|"
            r"clawed\s+back)\b|\b(?:paypal|my\s+bank|the\s+bank)\s+(?:\w+\s+)?opened\s+(?:a\s+)?(?:case|dispute|claim)\b"
            r"|\b(?:my|the|this|that)\s+dispute\s+(?:was|is|has\s+been|got)\s+(?:resolved|closed|decided|rejected|denied|won|lost|"
            r"approved|reviewed)\b|\b(?:contested|rejected|denied|won|lost)\s+my\s+dispute\b|\b(?:accidental|mistaken)\s+dispute\b"
            r"|\bdispute\s+(?:ref|reference|number|no\.?|id|#)|\b(?:info|information|details|documents?|evidence)\s+for\s+(?:the|my)\s+"
            r"dispute\b"
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
            r"|\b(?:call|calling|contact|contacting|ask|asking|phone|phoning)\s+"
            + _ISSUER
            + r"\s+(?:to|and)\s+(?:\w+\s+)?"
            r"(?:dispute|reverse|charge\s+(?:it\s+|this\s+)?back|chargeback|claw)"
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
        guards=(*_THREAT_GUARDS, _power_of_attorney, _just_a_profession),
    ),
    Rule(
        LEGAL,
        compile_rx(
            r"\b(?:plaintiffs?|defendants?|counsel\s+for|subpoena\s+duces\s+tecum|civil\s+(?:subpoena|suit|action|case)|"
            r"(?:superior|district|county|circuit|high|supreme|small\s+claims)\s+court|court\s+order|cease\s+and\s+desist|"
            r"legal\s+(?:notice|demand)|letter\s+before\s+action|notice\s+of\s+(?:claim|intent\s+to\s+sue))\b"
        ),
        0.85,
        negatable=False,
        guards=(*_THREAT_GUARDS, lambda t, m: _POLICE.search(t) is not None),
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
