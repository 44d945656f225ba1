"""``chargeback_threat`` and ``legal_regulatory_threat`` floor: the requester says they will (or did) escalate.

Only first-person wording counts: "I'll file a chargeback", "or I dispute it with my bank", "I'm going to sue",
"my lawyer will contact you", "see you in court". A creator hit by a viewer's chargeback, a threat quoted from
someone else, "I'm not going to sue" and a lawyer mentioned in passing do not match; veiled or indirect threats
are the flag model's job (:mod:`app.triage.flag_classifier`).
"""

from __future__ import annotations

from app.triage.signals.base import Rule
from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import quoted

CHARGEBACK = "chargeback_threat"
LEGAL = "legal_regulatory_threat"

_I_WILL = (
    r"(?:i'?ll|i\s+will|i'?m\s+(?:going\s+to|gonna)|im\s+(?:going\s+to|gonna)|i\s+am\s+going\s+to|we'?ll|we\s+will)"
)
_I_DID = r"(?:i|we)(?:'ve|\s+have)?\s+(?:already\s+|just\s+)?"
_ISSUER = (
    r"(?:my|the)\s+(?:bank|card\s+(?:issuer|company)|credit\s+card(?:\s+company)?)\b"
    r"|(?:paypal|visa|mastercard|amex|chase)\b"
)
_PAYMENTS = r"(?:charges?|payments?|transactions?|purchases?)\b"
_REGULATOR = (
    r"(?:ftc|cfpb|bbb|cnil|ico|better\s+business\s+bureau|(?:state\s+)?attorney\s+general|\w+\s+regulator|regulators?|"
    r"consumer\s+protection\s+\w+)"
)
_LAWYER_WORD = r"(?:lawyer|attorney|solicitor|law\s+firm|legal\s+counsel)s?"

_CHARGEBACK = compile_rx(
    rf"\b{_I_DID}(?:filed|opened|started|requested|initiated|did|made|submitted|raised)\s+(?:\w+\s+){{0,3}}?"
    rf"(?:charge[\s-]?backs?|disputes?)\b|\b{_I_DID}(?:disputed|reversed)\s+(?:\w+\s+){{0,3}}?{_PAYMENTS}"
    rf"|\b{_I_WILL}\s+(?:\w+\s+){{0,3}}?(?:charge[\s-]?backs?|(?:bank|card|paypal)\s+disputes?)\b"
    rf"|\b{_I_WILL}\s+(?:just\s+)?(?:charge\s+(?:it|this|them)\s+back|(?:dispute|reverse|contest)\s+(?:it\s+all|all|every|the|"
    rf"these|this|those|that)\b(?:\s+\w+){{0,2}}?\s+{_PAYMENTS})|\bmy\s+(?:charge[\s-]?back|(?:bank\s+)?dispute)s?\b"
    r"|\bcontracargo\w*"
)
_DISPUTE_WITH_BANK = compile_rx(
    rf"\b(?:dispute|disputing|contest|contesting|reverse|reversing)\s+(?:it|this|that|the\s+(?:\w+\s+)?{_PAYMENTS})"
    rf"(?:\s+all)?\s+(?:with|through)\s+(?:{_ISSUER})|\b(?:call|contact)(?:ing)?\s+my\s+bank\s+(?:to|and)\s+(?:\w+\s+)?"
    r"(?:reverse|dispute|charge\s+(?:it\s+)?back)\b"
)
_SUE = compile_rx(
    rf"\b(?:{_I_WILL}|i'?m|im|i\s+am)\s+(?:\w+\s+){{0,2}}?(?:sue|suing|(?:file|filing)\s+(?:a\s+)?(?:lawsuit|complaint\s+"
    rf"(?:with|to)\s+the\s+{_REGULATOR})|(?:take|taking)\s+(?:you|this|it|streamnest|you\s+guys|your\s+company)\s+to\s+"
    rf"(?:small\s+claims\s+)?court|(?:contact|call|get|contacting|calling|getting)\s+(?:\w+\s+){{0,5}}?(?:a|my)\s+"
    rf"(?:lawyer|attorney)|(?:report|reporting|complain|complaining)\s+(?:(?:you|this|it|streamnest)\s+)?to\s+the\s+"
    rf"{_REGULATOR})\b"
)
_LAWYER = compile_rx(
    rf"\b(?:my|our)\s+{_LAWYER_WORD}\s+(?:will|is\s+going\s+to|'ll|are\s+going\s+to|is\s+reviewing|is\s+looking\s+into)\b"
    rf"|\bhear\s+from\s+(?:my|our)\s+{_LAWYER_WORD}|\bsee\s+you\s+in\s+court\b|\b(?:ftc|bbb|cfpb)\s+complaint\b"
    r"|\b(?:class[\s-]action(?:\s+lawsuit)?|lawsuit)\s+(?:against|with)\s+(?:you|streamnest|your\s+company|other)\b"
)

ALL_RULES: tuple[Rule, ...] = (
    Rule("chargeback.i_will_chargeback", CHARGEBACK, _CHARGEBACK, 0.9, guards=(quoted,)),
    Rule("chargeback.dispute_with_bank", CHARGEBACK, _DISPUTE_WITH_BANK, 0.85, guards=(quoted,)),
    Rule("legal.i_will_sue", LEGAL, _SUE, 0.9, guards=(quoted,)),
    Rule("legal.lawyer_will_contact", LEGAL, _LAWYER, 0.9, guards=(quoted,)),
)
