"""``account_takeover`` and ``fraud_scam`` floor: explicit reports of a hacked account, a scam or phishing.

"My account was hacked", "someone logged into my account"; "I got scammed by a fake agency", "a guy asked me for
my verification code", "a phishing email", a lookalike domain, an agency's sign-up fee. "My streak got hacked lol",
"what if my account gets hacked?" and "this app scammed me out of my coins" do not match. Unrecognised purchases,
forwarded scam texts and everything without the explicit words are the flag model's job.
"""

from __future__ import annotations

import re

from app.triage.signals.base import Rule
from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import sentence_at

TAKEOVER = "account_takeover"
CODE = "fraud_scam"

_ACCOUNT = r"(?:account|acc|profile|channel|email|e-mail|password|login|phone\s+number|2fa)\b"
_HYPOTHETICAL = compile_rx(
    r"\b(?:what\s+(?:if|happens\s+if)|in\s+case|how\s+(?:do|can|to|should)\s+(?:i\s+|we\s+)?(?:protect|prevent|keep|stop|secure))\b"
)


def _hypothetical(text: str, match: re.Match[str]) -> bool:
    return _HYPOTHETICAL.search(sentence_at(text, match.start(), match.end())) is not None


_HACKED = compile_rx(
    r"\b(?:my|our)\s+(?:\w+\s+)?" + _ACCOUNT + r"\s*(?:was\s+|got\s+|has\s+been\s+|have\s+been\s+|'s\s+been\s+|is\s+|"
    r"been\s+)?(?:hacked|hijacked|compromised|stolen|taken\s+over)\b"
)
_SOMEONE_GOT_IN = compile_rx(
    r"\b(?:someone|somebody|a\s+hacker|hackers?|a\s+stranger)\s+(?:else\s+)?(?:has\s+|had\s+|have\s+|just\s+)?"
    r"(?:hacked|hijacked|logged\s+in(?:to)?|logged\s+on\s+to|signed\s+in(?:to)?|got\s+into|accessed|took\s+over|"
    r"changed|reset)\s+(?:to\s+)?(?:my|our)\s+(?:\w+\s+)?" + _ACCOUNT + r"|\bhacked\s+(?:into\s+)?(?:my|our)\s+"
    r"(?:\w+\s+)?(?:account|acc|profile|channel|email)\b"
)


_PLATFORM_BEFORE = compile_rx(r"\b(?:app|platform|company|site|service|streamnest|you\s+guys|you)\s+(?:\w+\s+)?$")
_PLATFORM_AFTER = compile_rx(
    r"\s+by\s+(?:this|the|your)\s+(?:app|platform|company|site|service)\b|\s+by\s+streamnest\b"
)


def _the_platform(text: str, match: re.Match[str]) -> bool:
    """'this app scammed me out of my coins', 'I got scammed by this app': a complaint about us."""
    return (
        _PLATFORM_BEFORE.search(text, max(0, match.start() - 30), match.start()) is not None
        or _PLATFORM_AFTER.match(text, match.end()) is not None
    )


_SCAMMED = compile_rx(
    r"\b(?:i|we)\s+(?:was|were|got|have\s+been|'ve\s+been|just\s+got)\s+scammed\b|\bscammed\s+(?:me|us)\s+(?:out\s+of|of|for)\b"
)
_ASKED_FOR_SECRET = compile_rx(
    r"\b(?:someone|somebody|a\s+(?:guy|stranger|person|man|woman|girl|viewer|user)|an?\s+(?:agent|agency|recruiter|"
    r"manager)|(?:fake|so-called)\s+\w+)\s+(?:[\w']+\s+){0,3}?(?:asked|asking|asks|wanted|wants)\s+(?:me\s+)?"
    r"(?:for\s+|to\s+(?:send|give|share)\s+(?:him\s+|her\s+|them\s+)?)(?:my\s+|the\s+)?(?:(?:verification|login|2fa|otp|"
    r"sms|security|one[- ]time)\s+code|otp|password|card\s+(?:details|number)|bank\s+(?:details|login)|cvv)\b"
)
_PHISHING = compile_rx(
    r"\bphishing\s+(?:link|email|e-mail|site|website|message|text|sms|page|scam|attempt)s?\b"
    r"|\bstreamnest-[a-z0-9-]+\.[a-z]{2,}\b|\b(?:support|help|secure|security|login|verify|account|billing|pay|"
    r"rewards?|promo|official|free|gift|coins?)-streamnest\.[a-z]{2,}\b"
)
_AGENCY_FEE = compile_rx(
    r"\b(?:agency|agent|recruiter|manager)\b[^.!?\n]{0,60}?\b(?:pay|paid|send|sent)\s+(?:them\s+|him\s+|her\s+)?"
    r"(?:a\s+|an\s+|the\s+)?(?:\$\s?\d[\d,.]*\s+|\d[\d,.]*\s*(?:usd|dollars|euros?)\s+)?"
    r"(?:sign[- ]?up|registration|joining|training|membership|activation|onboarding|upfront|contract)\s+fee\b"
)

ALL_RULES: tuple[Rule, ...] = (
    Rule("account.hacked", TAKEOVER, _HACKED, 0.9, guards=(_hypothetical,)),
    Rule("account.someone_got_in", TAKEOVER, _SOMEONE_GOT_IN, 0.9, guards=(_hypothetical,)),
    Rule("fraud.scammed", CODE, _SCAMMED, 0.85, guards=(_the_platform,)),
    Rule("fraud.asked_for_secret", CODE, _ASKED_FOR_SECRET, 0.85),
    Rule("fraud.phishing", CODE, _PHISHING, 0.85),
    Rule("fraud.agency_fee", CODE, _AGENCY_FEE, 0.85),
)
