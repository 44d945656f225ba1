"""``fraud_scam``: scams, phishing, impersonation, fake agencies, "free coins" sites, credential requests.

Calling StreamNest itself a scam ("this app is a scam, where are my coins") is an angry customer, not a scam
report, and is left to the category; so is "I'm not a scammer" from someone under a transaction ban.
"""

from __future__ import annotations

import re

from app.triage.signals.base import Context, Rule, Signal, alt, scan
from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import sentence_at

CODE = "fraud_scam"

_PLATFORM_AS_SCAM = compile_rx(
    r"\b(?:(?:this|your|ur|the)\s+(?:\w+\s+)?(?:app|site|platform|company|service|business|website|coins?|prices?|"
    r"support|system|policy|game)|streamnest|you\s+guys|y'?all|you\s+people|you|u|you\s+all|it'?s\s+all|what\s+a|"
    r"such\s+a|total|complete|absolute|straight\s+up)\s+(?:is|are|'s|'re|r)?\s*(?:\w+\s+)?(?:a\s+|an\s+|such\s+a\s+|total\s+|"
    r"complete\s+|absolute\s+)?(?:scam|scams|scammers|scamming|fraud|frauds|ripoff|rip-off)\b"
    r"|\b(?:scam|fraud)\s+(?:app|company|platform|service|site|business)\b|\bscam(?:ming)?\s+(?:me|us|people|your\s+users|"
    r"customers)\s+(?:out\s+of\s+)?(?:\w+\s+)?(?:coins|money)\b"
)
_SELF_DEFENCE = compile_rx(
    r"\b(?:i'?m|i\s+am|i\s+was|im)\s+(?:\w+\s+)?not\s+(?:a\s+)?(?:scammer|fraud|fraudster|scamming)|\bi\s+(?:didn'?t|did\s+not|"
    r"never)\s+(?:scam|commit\s+fraud|defraud)|\b(?:accus\w+|flagged|banned|suspended|restricted)\s+(?:\w+\s+){0,3}?(?:of|for)\s+"
    r"(?:being\s+a\s+)?(?:scam\w*|fraud\w*)"
    r"|\b(?:treat\w*|accus\w*|call\w*|label\w*|think\w*)\s+(?:me|us)\s+(?:like|as)\s+(?:a\s+)?(?:fraudster|scammer|criminal|fraud)"
    r"|\b(?:thinks?|believes?|says?|said|assumed?)\s+(?:that\s+)?(?:we'?re|we\s+are|i'?m|i\s+am)\s+(?:a\s+)?(?:scam|fake|fraud|"
    r"scammers?)\b"
    r"|\b(?:under\s+review|flagged|held|withheld|suspended|banned|blocked|frozen|on\s+hold|locked|restricted)\s+(?:\w+\s+){0,2}?"
    r"(?:for|due\s+to|because\s+of)\s+(?:suspected\s+|possible\s+|potential\s+)?(?:fraud\w*|scam\w*)"
)


def _platform_or_self(text: str, match: re.Match[str]) -> bool:
    sentence = sentence_at(text, match.start(), match.end())
    return _PLATFORM_AS_SCAM.search(sentence) is not None or _SELF_DEFENCE.search(sentence) is not None


_OFFICIAL_FEE = compile_rx(r"\b(?:official|streamnest)\s+(?:fee|policy)")
_HOW_TO_GET = compile_rx(
    r"\b(?:how\s+(?:can|do|to)\s+(?:i|we|you)?\s*(?:get|earn)|is\s+there\s+(?:a\s+way|any\s+way))\b"
)
_LINKISH = compile_rx(r"https?://|www\.|\.com\b|\blink\b|\bsite\b")


def _how_to_get_free(text: str, match: re.Match[str]) -> bool:
    """'How can I get free coins?' asks about promotions; with a link or a site it is a scam report again."""
    sentence = sentence_at(text, match.start(), match.end())
    return _HOW_TO_GET.search(sentence) is not None and _LINKISH.search(sentence) is None


_ACTOR = alt(
    "someone", "somebody", "a\\s+(?:guy|man|woman|girl|person|user|viewer|stranger|creator|streamer|recruiter|manager)",
    "this\\s+(?:guy|man|woman|girl|person|user|account|agency|agent|recruiter|manager|page)",
    "the\\s+(?:guy|person|agency|agent|recruiter|manager|account|caller|sender)",
    "an?\\s+(?:agency|agent|account|profile|page)", "they", "he", "she",
    "it", "agency", "agent", "fake\\s+support", "support", "people",
)  # fmt: skip
_SECRET = alt(
    "password", "passcode", "pass\\s+code", "login(?:\\s+(?:details|info|credentials|code))?", "credentials",
    "(?:verification|security|confirmation|login|2fa|sms|one[- ]time|otp)\\s+codes?", "otp", "(?:the\\s+)?code",
    "pin", "card\\s+(?:details|number|info\\w*)", "bank\\s+(?:details|login|info\\w*|account\\s+(?:details|number))",
    "cvv", "cvc", "seed\\s+phrase", "recovery\\s+phrase", "social\\s+security(?:\\s+number)?", "ssn",
    "account\\s+details",
)  # fmt: skip
_FEE = alt(
    "sign[- ]?up", "registration", "joining", "training", "membership", "activation", "processing", "verification",
    "unlock(?:ing)?", "release", "onboarding", "contract", "upfront", "entry", "application", "admin", "deposit",
    "security", "clearance", "withdrawal", "transfer",
)  # fmt: skip

_ASKER = compile_rx(r"\b" + _ACTOR + r"\s+(?:[\w']+\s+){0,3}?$")
_LEGIT_ASKER = compile_rx(
    r"\b(?:i|we|app|it|streamnest|login|screen|phone|iphone|device|system|website|site|page|apple|google|browser|"
    r"bank|paypal|game|settings)\s+(?:[\w']+\s+){0,2}?$"
)
_SCAM_ACTOR = compile_rx(
    r"\b(?:someone|somebody|a\s+(?:guy|man|woman|girl|person|stranger|recruiter|manager)|agenc(?:y|ies)|agents?|recruiters?|"
    r"managers?|he|she|they|this\s+(?:guy|person|account|page)|the\s+(?:guy|person)|scammers?|fake|fraudsters?)\b"
)


def _not_a_third_party(text: str, match: re.Match[str]) -> bool:
    """'the app keeps asking for my password' and 'I asked for a code' are not someone phishing."""
    lo = max(0, match.start() - 40)
    if _ASKER.search(text, lo, match.start()) is not None:
        return False
    return _LEGIT_ASKER.search(text, lo, match.start()) is not None or match.start() < 3


def _fee_without_scammer(text: str, match: re.Match[str]) -> bool:
    """A fee is only a scam sign when a recruiter, agency or stranger asks for it, not StreamNest or a bank."""
    if not text.startswith(
        (
            "asked",
            "asking",
            "asks",
            "want",
            "request",
            "demand",
            "charg",
            "requir",
            "told",
            "made",
            "keep",
            "expect",
            "need",
        ),
        match.start(),
    ):
        return False
    return _SCAM_ACTOR.search(text, max(0, match.start() - 60), match.start()) is None


_SCAM_ACTOR_NEAR = compile_rx(
    r"\b(?:agenc(?:y|ies)|agents?|managers?|recruiters?|someone|somebody|guy|stranger|they|he|she|scammers?|network|"
    r"company|page|account)\b"
)


def _no_scam_actor(text: str, match: re.Match[str]) -> bool:
    return _SCAM_ACTOR_NEAR.search(text, max(0, match.start() - 150), match.start()) is None


RULES: tuple[Rule, ...] = (
    Rule(
        CODE,
        compile_rx(
            r"\b(?:(?:have|need|has|had)\s+to|must)\s+pay\s+(?:a\s+|an\s+|them\s+|him\s+|her\s+)?(?:\$\s?\d[\d,.]*|\d[\d,.]*\s*(?:dollars|usd|"
            r"euros?)|fee|deposit)\b[^.!?\n]{0,60}?\bbefore\s+(?:they|he|she|you|i|we|it)\s+(?:can\s+|will\s+|'ll\s+)?(?:release|"
            r"unlock|send|pay|receive|get|withdraw|activate|approve|transfer)"
            r"|\b(?:join|sign\s+up)\s+and\s+pay\s+(?:their|his|her|a|the)\s+(?:\$\s?\d[\d,.]*\s+)?(?:fee|deposit)"
        ),
        0.8,
        guards=(_no_scam_actor,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bcalls?\s+(?:him|her|them)sel(?:f|ves)\s+(?:my\s+|a\s+|an\s+|the\s+)?[\"']?(?:\w+\s+)?(?:manager|agent|agency|"
            r"official|staff|support|moderator|admin|recruiter|rep|representative)"
            r"|\bso-?called\s+[\"']?(?:\w+\s+){0,3}?(?:manager|agent|agency|support|official|admin|recruiter|rep|representative|"
            r"investor|trader|charity)"
            r"|\bstreamnest-[a-z0-9-]+\.[a-z]{2,}|\bsn-[a-z0-9-]+\.[a-z]{2,}|\b(?:support|help|secure|security|login|verify|account|"
            r"billing|pay|payments?|rewards?|promo|official|team|my|app|get|free|gift|coins?)-streamnest\.[a-z]{2,}"
            r"|\bis\s+(?:this|that)\s+(?:site|website|page|link)\s+yours\b"
            r"|\b(?:smells|looks|seems|sounds|feels)\s+(?:\w+\s+)?(?:fake|fishy|phishy|like\s+(?:a\s+)?(?:scam|phishing|fraud))\b"
            r"|\b(?:nobody|no\s+one|no-one)\s+(?:ever\s+)?(?:wins|won|gets\s+(?:paid|anything|the\s+prize))\b"
            r"|\b(?:page|site|website|link|form)\s+that\s+(?:isn'?t|is\s+not|wasn'?t|was\s+not)\s+(?:streamnest|yours|official|"
            r"the\s+official)"
        ),
        0.7,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:2|3|5|10|20|50|100)x\s+(?:returns?|profits?|your\s+money)|\bguaranteed\s+(?:returns?|profits?|income)\b"
            r"|\b(?:send|invest|deposit)\s+(?:him\s+|her\s+|them\s+|me\s+)?(?:usdt|btc|crypto|bitcoin|eth|tether)\b"
            r"|\bmoney\s+laundering\b|\blaunder(?:ing|ed)?\s+(?:money|funds|coins)\b"
            r"|\b(?:sold|sell|selling|bought|buy|buying)\s+(?:me\s+)?(?:(?:a|an|some|these|those|two|three|\d+)\s+)?[\"']?(?:verified|aged|"
            r"ready[- ]made|monetized|monetised)[\"']?\s+accounts?\b"
            r"|\b(?:fake|bogus|non-?existent)\s+(?:charity|charities|fundraisers?|donation\s+drives?)\b"
            r"|\bcharity[\"']?\s+(?:doesn'?t|does\s+not|didn'?t)\s+exist"
            r"|\bclaims?\s+to\s+be\s+(?:raising|collecting)\s+(?:money|funds|donations)"
            r"|\bpay\s+(?:me\s+)?back\s+(?:double|twice|triple|2x|3x)\b"
        ),
        0.7,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:buy|bought|buying|purchas\w+)\s+coins\s+(?:\w+\s+)?(?:through|via|from|on|using)\s+(?:his|her|their|this|that|"
            r"a|an)\s+(?:\w+\s+)?(?:link|site|website|page|telegram|whatsapp)\b"
            r"|\basking\s+(?:all\s+)?my\s+(?:fans|followers|viewers|friends|subscribers|supporters)\s+for\s+(?:gifts|money|coins|"
            r"donations)\b"
            r"|\b(?:i'?m|i\s+am|im)\s+(?:a\s+)?(?:cop|police\s+officer|policeman|detective|fed|fbi\s+agent)\b[^!?\n]{0,120}?\b"
            r"(?:send\s+(?:it|them|me)|dm\s+me|text\s+me|asap|to\s+this\s+(?:email|number))"
            r"|\b(?:confirm|verify|update|enter)\s+your\s+(?:card|account|payment\s+method|identity)\s+(?:at|on|via|here|now|"
            r"using)\b"
        ),
        0.7,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:confirm|verify|update|enter|re-?enter|validate|provide|submit)\s+your\s+(?:password|passcode|login(?:\s+details)?|"
            r"credentials|account\s+details|payment\s+(?:details|info\w*)|card\s+(?:details|number|info\w*)|bank\s+(?:details|"
            r"login|info\w*)|pin|otp|verification\s+code|security\s+code)\b"
            r"|\b(?:took|kept|stole|has|have|taken)\s+my\s+(?:deposit|money|payment|fee|coins|diamonds|gifts)\s+(?:and|but)\s+"
            r"(?:\w+\s+){0,3}?(?:won'?t|doesn'?t|don'?t|stopped|never|blocked|disappeared|isn'?t|is\s+not|refuses?|ghosted)\b"
        ),
        0.75,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:scam(?:s|med|mer|mers|ming|my)?|phish\w*|fraudster\w*|con\s+artists?|catfish\w*|smish\w*|vish\w*)\b"
        ),
        0.85,
        guards=(_platform_or_self,),
    ),
    Rule(CODE, compile_rx(r"\bfraud(?:ulent|ulently)?\b"), 0.75, guards=(_platform_or_self,)),
    Rule(
        CODE,
        compile_rx(
            r"\bimpersonat\w*|\b(?:pretend(?:ing|ed|s)?|claim(?:ing|ed|s)?|posing|poses|posed|acting|pose)\s+(?:to\s+be|as)\s+"
            r"(?:an?\s+|the\s+|my\s+|from\s+)?(?:\w+\s+){0,2}?(?:streamnest|support|staff|admins?|official|employees?|agent|agency|"
            r"team|moderators?|mods?|me|my\s+\w+|a\s+famous|celebrity|verified|partner|manager|recruiter|representative|rep|"
            r"creator|bank|police|paypal|apple|google)\b"
        ),
        0.85,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bfake\s+(?:\w+\s+)?(?:accounts?|profiles?|pages?|agenc(?:y|ies)|agents?|support|admins?|moderators?|mods?|staff|"
            r"team|websites?|sites?|links?|emails?|messages?|texts?|sms|dms?|giveaways?|offers?|recruiters?|managers?|"
            r"streamnest|official|version|apps?|coins?|gift\s?cards?|login|invoices?|receipts?|payment\s+(?:page|link)|"
            r"representatives?|reps?|verification|contests?|promotions?|job)\b|\b(?:copy|clone|copied|cloned)\s+(?:of\s+)?"
            r"(?:my|our)\s+(?:account|profile|page|channel)\b"
        ),
        0.85,
        guards=(_platform_or_self,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:asked|asking|asks|wanted|wants|requested|requesting|demanded|demanding|"
            r"told\s+me\s+to\s+(?:send|give|share|enter|type|provide|tell)|made\s+me\s+(?:send|give|share|enter)|"
            r"keeps?\s+asking|need(?:s|ed)?|tricked\s+me\s+into\s+(?:sending|giving|sharing|entering))\s+(?:me\s+)?"
            r"(?:for\s+|to\s+(?:send|give|share|enter|type|provide|confirm|verify|read\s+out|read|say|spell\s+out)\s+)?(?:\w+\s+)?(?:my|the|your|their|his|her|a)?\s*"
            + _SECRET
            + r"\b"
        ),
        0.85,
        guards=(_not_a_third_party,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:gave|sent|shared|told|entered|typed|provided)\s+(?:\w+\s+){0,3}?(?:my|the)\s+"
            + _SECRET
            + r"\s+(?:\w+\s+){0,2}?(?:to|with|into|on)\s+(?:a|an|this|that|some|the)\s+(?:\w+\s+)?"
            r"(?:guy|person|stranger|"
            r"site|website|link|page|form|account|agency|agent|caller|number|someone)\b"
        ),
        0.8,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:asked|asking|asks|wanted|wants|requested|requesting|demanded|demanding|"
            r"charged|charging|charges|requires?|required|requiring|told\s+me\s+to\s+pay|made\s+me\s+pay|keeps?\s+asking|"
            r"expects?|expected|need(?:s|ed)?)\s+(?:me\s+)?(?:for\s+|to\s+pay\s+|to\s+send\s+)?(?:a\s+|an\s+|the\s+)?(?:\$?\d+\s*"
            r"(?:\$|dollars?|usd|euros?|€|£)?\s+)?(?:" + _FEE + r")\s+(?:fee|deposit|payment|charge|cost)s?\b"
            r"|\b(?:pay|paid|send|sent|transfer(?:red)?)\s+(?:\w+\s+){0,2}?(?:a\s+)?(?:"
            + _FEE
            + r")\s+(?:fee|deposit)\s+(?:\w+\s+){0,4}?"
            r"(?:to|for)\s+(?:the\s+|an?\s+|this\s+|their\s+)?(?:agency|agent|recruiter|manager|guy|person|join|sign|get|unlock|"
            r"receive|release)\b"
            r"|\b(?:agency|agent|recruiter|manager)\s+(?:\w+\s+){0,4}?(?:fee|deposit|upfront|pay\s+(?:them|him|her|first))\b"
        ),
        0.85,
        guards=(lambda t, m: _OFFICIAL_FEE.search(t, m.start(), m.end()) is not None, _fee_without_scammer),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:asked|asking|asks|wanted|wants|told|made|want|pressur\w+)\s+(?:me\s+)?(?:to\s+)?(?:buy|send|pay\s+(?:in|with)|"
            r"get|purchase)\s+(?:\w+\s+){0,3}?(?:gift\s?cards?|steam\s+cards?|itunes\s+cards?|google\s+play\s+cards?|bitcoin|"
            r"crypto|btc|usdt|western\s+union|moneygram|wire\s+transfer)\b"
        ),
        0.85,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:free|unlimited|generat\w+|hack(?:ed)?|cheat)\s+(?:streamnest\s+)?(?:coins?|diamonds?|gifts?|followers?|likes?|"
            r"money|robux|gems|v-?bucks|views)\b(?!\s+(?:event|promo(?:tion)?|campaign|offer\s+(?:from|by)\s+streamnest))"
            r"|\b(?:coins?|diamonds?)\s+(?:generator|hack|glitch|adder|doubler|exploit)\b|\b(?:double|triple|multiply)\s+"
            r"(?:your|ur|my)\s+(?:coins?|money|diamonds?|investment|balance)\b"
        ),
        0.8,
        guards=(_how_to_get_free,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:suspicious|weird|strange|sketchy|shady|dodgy|fishy|malicious|phony|bogus)\s+(?:looking\s+)?(?:\w+\s+)?"
            r"(?:links?|urls?|emails?|messages?|texts?|sms|calls?|dms?|websites?|sites?|accounts?|offers?|requests?|"
            r"agenc(?:y|ies)|recruiters?|invites?|invitations?|attachments?|qr\s+codes?)\b"
        ),
        0.75,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:sent|gave|paid|transferred|gifted)\s+(?:him|her|them|(?:this|that|the|a|an|some)\s+\w+)\s+(?:\w+\s+){0,3}?"
            r"(?:money|\$\s?\d+|\d+\s*(?:dollars|usd|euros?|coins)|coins|gifts|gift\s?cards?)\b[^.!?\n]{0,80}?\b(?:never|blocked|"
            r"disappeared|ghosted|vanished|deleted|stopped\s+(?:responding|replying|answering)|won'?t\s+(?:respond|reply|answer)|"
            r"no\s+longer\s+(?:responds|replies))\b"
        ),
        0.8,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:bought|buy|buying|purchased|ordered)\s+(?:\w+\s+){0,3}?(?:coins|diamonds|followers|gifts|accounts?)\s+from\s+"
            r"(?:a|an|some|this|that|the)\s+(?:\w+\s+)?(?:guy|seller|reseller|site|website|person|third[- ]party|"
            r"dealer|"
            r"account|page|user|stranger|group|telegram|discord)\b[^.!?\n]{0,80}?\b(?:never|didn'?t|did\s+not|not)\b"
        ),
        0.75,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:click(?:ed|ing)?|tap(?:ped|ping)?|open(?:ed|ing)?|follow(?:ed)?)\s+(?:on\s+)?(?:a|the|this|that|their|his|her)\s+"
            r"(?:\w+\s+)?(?:link|url)\s+(?:\w+\s+){0,6}?(?:and\s+(?:then\s+)?(?:now|it|my|i|they|someone|lost|entered|logged)|"
            r"(?:that|which)\s+(?:asked|said|looked|was|claimed)|(?:from|in)\s+(?:a|an|the|this)\s+(?:\w+\s+)?(?:dm|message|text|"
            r"email|sms|comment))"
        ),
        0.7,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:you(?:'ve|\s+have)?\s+(?:won(?!'t)|been\s+(?:selected|chosen))|claim\s+(?:your|ur)\s+(?:prize|reward|coins|gift|"
            r"winnings)|verify\s+your\s+account\s+(?:here|now|at|by|via|within)|your\s+account\s+(?:will\s+be|has\s+been)\s+"
            r"(?:suspended|locked|closed|deleted|banned)\s+(?:unless|if\s+you\s+don'?t|within|in\s+\d+))\b"
        ),
        0.6,
    ),
)


ALL_RULES: tuple[Rule, ...] = RULES


def detect(ctx: Context) -> list[Signal]:
    """Scam and fraud signals in the text (forwarded spam is scored in :mod:`.spam`)."""
    return scan(ctx, RULES)
