"""Unrecognised transactions: "a payment I didn't make", "someone is using my card", "strange withdrawal".

The same phrasing means two things for us: on a card or bank statement it is card fraud (``fraud_scam``); on
the StreamNest account (coins, gifts, in-app purchases) it means someone else is in the account
(``account_takeover``). The words around the phrasing pick the code. Negation is part of these phrasings
("I don't recognise this charge"), so only the rules about a third party check for it.
"""

from __future__ import annotations

from app.triage.signals.base import Context, Rule, Signal, alt, scan
from app.triage.signals.patterns import compile_rx

ATO = "account_takeover"
FRAUD = "fraud_scam"

_TXN = alt(
    "payments?", "charges?", "purchases?", "transactions?", "transcations?", "transfers?", "withdrawa?ls?",
    "withdraws?", "witdrawals?", "debits?", "direct\\s+debits?", "orders?", "recharges?", "top-?ups?", "spending",
    "activity", "activities", "money", "cash", "funds", "deductions?", "subscriptions?", "bills?", "coins", "gifts",
    "amounts?", "spend", "wd",
)  # fmt: skip
_GAP = r"(?:[\w',$£€]+\s+){0,8}?"
_DENY = (
    r"(?:i|we)\s+(?:definitely\s+|really\s+|certainly\s+|surely\s+|honestly\s+|absolutely\s+|just\s+|actually\s+)?"
    r"(?:didn'?t|did\s+not|don'?t|do\s+not|never|haven'?t|have\s+not|have\s+never|'ve\s+never|had\s+never|'m\s+not|am\s+not)"
    r"\s+"
    r"(?:(?:think|believe)\s+(?:i|we)\s+|\w+\s+)?"
)
_DENY_VERB = alt(
    "make", "made", "do", "did", "done", "recogni[sz]e", "recongi[sz]e", "reconi[sz]e", "remember", "authori[sz]e",
    "authori[sz]ed", "recall", "approve", "approved", "set\\s+up", "create", "created", "perform", "performed",
    "initiate", "initiated", "complete", "completed", "spend", "buy", "bought", "purchase", "withdraw", "take\\s+out",
    "order", "request", "agree\\s+to", "place", "send", "sent", "identify", "sign\\s+up\\s+for", "subscribe\\s+to",
    "ask\\s+for", "consent\\s+to", "know\\s+about", "purchased", "ordered", "submitted", "submit", "recogni[sz]ing",
    "authori[sz]ing", "approving",
)  # fmt: skip
_ODD = alt(
    "unrecogni[sz]ed", "unrecogni[sz]able", "unknown", "uknown", "unfamiliar", "strange", "suspicious", "odd",
    "weird", "mysterious", "random", "unusual", "false", "fraudulent", "unauthori[sz]ed", "fake", "bogus", "dodgy",
    "shady", "sketchy", "questionable", "illegitimate", "unidentified", "unexplained", "suspect", "fishy",
    "unathori[sz]ed", "unauthori[sz]ed",
)  # fmt: skip
_ACTOR = alt(
    "someone", "somebody", "some\\s+one", "a\\s+thief", "thieves", "the\\s+thief", "a\\s+stranger", "strangers",
    "another\\s+person", "people", "they", "they'?ve", "they'?re", "he", "she", "a\\s+hacker", "hackers?",
)  # fmt: skip
_MINE = (
    r"(?:my|our|me)\s+(?:\w+\s+)?(?:card|cards|card\s+details|card\s+number|card\s+info\w*|details|bank\s+account|account|"
    r"money|credit\s+card|debit\s+card|card's\s+\w+|wallet|savings|funds)\b"
)
_CARD_CONTEXT = compile_rx(
    r"\b(?:card|cards|bank|banking|atm|cash|withdraw\w*|direct\s+debits?|debit|statement|merchant|credit|visa|"
    r"mastercard|amex|cheque|seller|vendor|store|shop|machine|pin|wallet|contactless|apple\s+pay|google\s+pay)\b"
)

# (pattern, confidence, negatable, strings one of which must be near the start; None: decided by the pattern)
_PATTERNS: tuple[tuple[str, float, bool, tuple[str, ...] | None], ...] = (
    (
        r"\b(?:i|we)\s+(?:have\s+not|haven'?t|didn'?t|did\s+not|never)\s+(?:even\s+)?used?\s+my\s+(?:\w+\s+)?card\b"
        r"|\bi\s+(?:didn'?t|did\s+not|never)\s+(?:do|make|authori[sz]e|approve|order|buy)\s+(?:of\s+)?(?:that|this|it|them)\b"
        r"|\b(?:someone|somebody)\s+(?:else\s+)?(?:is|was|has\s+been|might\s+be|may\s+be|could\s+be|must\s+be)\s+using\s+(?:it|them)\b",
        0.75,
        False,
        None,
    ),
    (_TXN + r"\s+" + _GAP + r"(?:that\s+|which\s+)?" + _DENY + _DENY_VERB + r"\b", 0.85, False, None),
    (r"\b" + _DENY + _DENY_VERB + r"\s+(?:[\w']+\s+){0,5}?" + _TXN + r"\b", 0.85, False, None),
    (
        r"\b(?:says|saying|shows|showing|claims|claiming|said|states|indicates|tells\s+me)\s+(?:that\s+)?(?:i|we)\s+"
        r"(?:withdrew|made|spent|bought|paid|purchased|sent|ordered|got|took\s+out|did)\b[^\n]{0,60}?\b(?:i|we)\s+"
        r"(?:didn'?t|did\s+not|never|don'?t\s+remember|do\s+not\s+remember|have\s+not|haven'?t)\b",
        0.85,
        False,
        None,
    ),
    (r"\b" + _ODD + r"\s+(?:[\w']+\s+){0,2}?" + _TXN + r"\b", 0.8, False, None),
    (
        _TXN
        + r"\s+"
        + _GAP
        + r"(?:that|which|who)?\s*(?:is|looks?|seems?|appears?|are|look|seem)\s+(?:\w+\s+)?"
        + _ODD
        + r"\b",
        0.75,
        False,
        None,
    ),
    (
        r"\b(?:unfamiliar|unknown|strange|weird|random|odd)\s+(?:merchant|seller|company|vendor|name|store|shop|business|"
        r"location|town|place|country)\b"
        r"|\b(?:merchant|seller|company|vendor|name|store|shop|business)\s+(?:that\s+)?(?:i|we)\s+(?:don'?t|do\s+not|didn'?t|"
        r"did\s+not|never)\s+(?:know|recogni[sz]e|remember|heard\s+of)\b|\bnever\s+(?:seen|heard\s+of)\s+(?:that|this|the)\s+"
        r"(?:name|merchant|company|seller|store|vendor|business)\b|\b(?:don'?t|do\s+not)\s+know\s+(?:that|this|the)\s+"
        r"name\b|\b(?:not|never\s+been)\s+familiar\s+with\b",
        0.75,
        False,
        None,
    ),
    (
        _TXN
        + r"[^.!?\n]{0,60}?\b(?:isn'?t|is\s+not|wasn'?t|was\s+not|not|that'?s\s+not|hasn'?t\s+been|has\s+not\s+been|"
        r"were\s+not|weren'?t|aren'?t|are\s+not)\s+(?:mine|me|(?:made|done|authori[sz]ed|approved|initiated|performed|"
        r"completed|be\s+done)\s+by\s+me|by\s+me|my\s+(?:transaction|transcation|payment|purchase|charge|withdrawal|doing))\b"
        r"|\bnot\s+my\s+(?:transaction|transcation|payment|purchase|charge|withdrawal)",
        0.8,
        False,
        ("mine", " me", "not my"),
    ),
    (
        _TXN + r"\b[^.!?\n]{0,60}?\b(?:does\s+not|doesn'?t|do\s+not|don'?t)\s+belong\s+to\s+(?:me|us)\b",
        0.8,
        False,
        ("belong",),
    ),
    (
        _TXN + r"\b[^.!?\n]{0,60}?\b(?:shouldn'?t|should\s+not)\s+be\s+(?:there|on\s+(?:my|the))\b",
        0.8,
        False,
        ("should",),
    ),
    (
        _TXN + r"\b[^.!?\n]{0,60}?\b(?:i'?m|i\s+am|am)\s+(?:unsure|not\s+sure)\s+(?:of|about)\b",
        0.8,
        False,
        ("sure",),
    ),
    (
        _TXN + r"\s+" + _GAP + r"(?:that\s+|which\s+)?(?:i|we)\s+(?:wasn'?t|was\s+not|am\s+not|'m\s+not|have\s+never|"
        r"'ve\s+never|had\s+never|never)\s+(?:been\s+)?(?:aware\s+of|seen)\b",
        0.8,
        False,
        ("aware", "seen"),
    ),
    (
        r"\b"
        + _ACTOR
        + r"\s+(?:else\s+)?(?:besides\s+me\s+)?(?:\w+\s+){0,3}?(?:using|used|use|utili[sz]ing|utili[sz]ed|stole|"
        r"stolen|copied|cloned|skimmed|took|got|has|have|had|gained|access(?:ed|ing)?|ordered|bought|purchased|paid|"
        r"charged|spent|spending|withdr[ae]w\w*|taking|taken|making|made)\s+(?:[\w']+\s+){0,5}?" + _MINE,
        0.85,
        True,
        None,
    ),
    (
        r"\b"
        + _ACTOR
        + r"\s+(?:else\s+)?(?:\w+\s+){0,3}?(?:made|making|did|done|took|taken|taking)\s+(?:a\s+|an\s+|some\s+)?"
        r"(?:\w+\s+)?" + _TXN + r"\b",
        0.8,
        True,
        None,
    ),
    (
        r"\b(?:card|card\s+details|card\s+number|card\s+info\w*|card\s+data|details|bank\s+details|account\s+details)\s+"
        r"(?:\w+\s+){0,2}?(?:was|were|has\s+been|have\s+been|is|got|may\s+have\s+been|might\s+have\s+been|must\s+have\s+been|"
        r"being|are|been)\s+(?:\w+\s+)?(?:compromised|hacked|cloned|skimmed|copied|duplicated|used\s+by\s+(?:someone|somebody|"
        r"another|a\s+stranger)|used\s+without|used\s+fraudulently|misused|exposed|breached)\b"
        r"|\b(?:card\s+details|card\s+number|card\s+info\w*|details|information)\s+(?:\w+\s+){0,2}?(?:were|was|have\s+been|"
        r"has\s+been|got|may\s+have\s+been|might\s+have\s+been)\s+stolen\b|\bstole\s+(?:my\s+)?(?:card\s+)?(?:details|"
        r"number|info\w*|identity)\b|\b(?:compromised|hacked|cloned|skimmed)\s+(?:my\s+)?card\b|\bidentity\s+theft\b"
        r"|\b(?:security\s+breach|data\s+breach)\b|\bsuspicious\s+(?:of|about)\s+my\s+(?:\w+\s+)?card",
        0.85,
        True,
        None,
    ),
    (
        r"\b(?:card|account)\s+(?:was|has\s+been|is\s+being|got|were|is)\s+(?:being\s+)?used\b[^.!?\n]{0,70}?\b(?:never|not\s+me|"
        r"don'?t\s+know|didn'?t|without|someone|somebody|isn'?t\s+me|is\s+not\s+me|wasn'?t\s+me)\b",
        0.8,
        False,
        None,
    ),
    (
        r"\bwithout\s+my\s+(?:\w+\s+)?(?:permission|authori[sz]ation|knowledge|consent|approval|say|authority|okay|ok)\b",
        0.7,
        False,
        None,
    ),
    (
        r"\b(?:made|done|taken|withdrawn|used|initiated|authori[sz]ed|spent)\s+by\s+(?:someone|somebody|a\s+stranger|another\s+"
        r"person|some(?:one|body)\s+(?:else|i\s+don'?t\s+know))\b"
        r"|\b(?:was|were|is|are)\s+not\s+(?:done|made|authori[sz]ed|initiated|performed)\s+by\s+me\b|\b(?:wasn'?t|weren'?t)\s+"
        r"(?:done|made|authori[sz]ed|initiated|performed)\s+by\s+me\b|\bit\s+(?:was\s+not|wasn'?t)\s+me\b",
        0.75,
        False,
        None,
    ),
    (
        r"\bwhere\s+(?:this|these|that|those|the)\s+(?:\w+\s+)?(?:charges?|payments?|transactions?|debits?|withdrawals?|"
        r"money|purchases?)\s+(?:\w+\s+)?(?:came|come|is\s+coming|are\s+coming|has\s+come|were\s+coming|are\s+from|is\s+from)"
        r"|\bwhat\s+(?:is|are)\s+(?:this|these)\s+(?:\w+\s+)?(?:charges?|payments?|transactions?|debits?|withdrawals?|"
        r"witdrawals?)\b(?!\s+(?:fees?|for\s+\w+\s+fees?))"
        r"|\bwhat\s+(?:this|these|that|the)\s+(?:\w+\s+){0,2}?(?:charges?|payments?|transactions?|debits?|withdrawals?)\s+"
        r"(?:\w+\s+){0,4}?(?:is|are|was|were)\b"
        r"|\b(?:don'?t|do\s+not|can'?t|cannot)\s+(?:know|understand|figure\s+out|work\s+out|tell)\s+(?:what|where|why|who)\s+"
        r"(?:this|these|that|those|the|a)\s+(?:\w+\s+){0,2}?(?:charges?|payments?|transactions?|debits?|withdrawals?)\b",
        0.55,
        False,
        None,
    ),
    (
        r"\b(?:don'?t|do\s+not)\s+(?:know|remember|recall|think)\s+(?:if|whether|that)?\s*(?:i|we)\s+(?:made|did|authori[sz]ed|"
        r"bought|ordered|withdrew)\s+(?:this|that|these|the|a|any)\s+(?:\w+\s+)?" + _TXN + r"\b",
        0.75,
        False,
        None,
    ),
    (
        r"\b(?:missing|gone|disappeared|vanished)\s+(?:cash|money|funds)\s+from\s+my\b|\b(?:cash|money|funds)\s+(?:is|are|was|were|"
        r"went|has\s+gone|have\s+gone)\s+(?:\w+\s+)?(?:missing|gone|disappeared)\s+from\s+my\b|\b(?:money|cash|funds)\s+"
        r"(?:was|were|has\s+been|have\s+been|got|is\s+being)\s+(?:\w+\s+)?(?:taken|withdrawn|removed|stolen|drained)\s+(?:out\s+)?"
        r"(?:of\s+|from\s+)?(?:my\s+(?:\w+\s+)?account\s+)?(?:without|and\s+i|but\s+i|by\s+someone|in\s+(?:an?\s+)?(?:odd|strange|"
        r"unknown|different|another)|that\s+i)",
        0.75,
        False,
        None,
    ),
    (
        r"\b(?:cash|withdrawa?ls?|money)\s+(?:\w+\s+){0,4}?(?:i|we)\s+(?:didn'?t|did\s+not|never)\s+(?:get|receive|take|withdraw)",
        0.75,
        False,
        None,
    ),
    (
        r"\b(?:wallet|card|purse|bag|phone)\s+(?:was|got|has\s+been|had\s+been|were|is)\s+(?:just\s+)?(?:stolen|taken|lost|"
        r"pickpocketed)[^.!?\n]{0,80}?\b(?:withdraw\w*|payments?|charges?|transactions?|purchases?|using|used|money\s+(?:gone|"
        r"missing|taken))\b|\b(?:lost|stolen)\s+(?:my\s+)?(?:wallet|card|purse)\b[^.!?\n]{0,80}?\b(?:withdraw\w*|someone|using)\b",
        0.7,
        False,
        None,
    ),
    (
        r"\b(?:dispute|disputing|contest|reverse)\s+(?:a|an|the|this|that)\s+(?:\w+\s+)?(?:direct\s+debit|debit)\b"
        r"|\b(?:set\s+up|opened|created|registered|taken\s+out)\s+in\s+my\s+name\b",
        0.6,
        False,
        None,
    ),
    (
        r"\b(?:fraud(?:ulent(?:ly)?)?\s+(?:use|activity|transactions?|charges?|payments?|purchases?)|(?:stop|report|detect\w*|"
        r"prevent)\s+(?:\w+\s+){0,2}?fraud)\b|\b(?:someone|somebody)\s+(?:\w+\s+){0,2}?(?:took|stole|taking|stealing)\s+"
        r"(?:\w+\s+)?(?:my\s+)?money\b",
        0.8,
        False,
        None,
    ),
)

# Compiled once, raised under either code: the same phrasing, routed by the words around it.
# Patterns that start at a transaction word and then wait, over several words, for a denial or an odd-word: most
# transaction words have neither nearby, and a substring test is far cheaper than the regex.
_DENIALS = ("n't", "not", "never", "nt ")
_ODD_STEMS = (
    "unrecogn", "unknown", "uknown", "unfamiliar", "strange", "suspicious", "odd", "weird", "myster", "random",
    "unusual", "false", "fraud", "unauthori", "unathori", "fake", "bogus", "dodgy", "shady", "sketchy", "question",
    "illegit", "unident", "unexplained", "suspect", "fishy",
)  # fmt: skip


def _requires(pattern: str, given: tuple[str, ...] | None) -> tuple[str, ...]:
    if given is not None:
        return given
    if not pattern.startswith(_TXN):
        return ()
    if _DENY in pattern:
        return _DENIALS
    if _ODD in pattern:
        return _ODD_STEMS
    return ()


_FRAUD_RULES = tuple(Rule(FRAUD, compile_rx(p), c, negatable=n, requires=_requires(p, r)) for p, c, n, r in _PATTERNS)
_ATO_RULES = tuple(Rule(ATO, r.pattern, r.confidence, negatable=r.negatable, requires=r.requires) for r in _FRAUD_RULES)


ALL_RULES: tuple[Rule, ...] = _FRAUD_RULES + _ATO_RULES


def detect(ctx: Context) -> list[Signal]:
    """Unrecognised-transaction signals: ``fraud_scam`` on a card/bank context, ``account_takeover`` otherwise."""
    if _CARD_CONTEXT.search(ctx.text):
        return scan(ctx, _FRAUD_RULES)
    return scan(ctx, _ATO_RULES)
