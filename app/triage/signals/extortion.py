"""``extortion``: sextortion and blackmail — "pay or I'll send your nudes", a hacker holding an account to ransom.

The threat needs a harmful payload (intimate images, chats, an address, telling family) so that a customer's
"refund me or I'll post a bad review" stays a complaint.
"""

from __future__ import annotations

import re

from app.triage.signals.base import Context, Rule, Signal, scan
from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import sentence_at

CODE = "extortion"

_PAYLOAD = (
    r"(?:(?:all\s+)?(?:your|ur|my|her|his|their|the|these|those)\s+)?(?:\w+\s+)?(?:nudes?|naked\s+\w+|intimate\s+\w+|"
    r"explicit\s+\w+|sexts?|webcam\s+\w+|private\s+(?:pics|photos|pictures|videos?|images|content|chats?|messages|"
    r"conversations?|dms))\b"
    r"|\b(?:all\s+)?(?:your|ur|my|her|his)\s+(?:pics|photos|pictures|videos?|vids|images|address|secrets?)\b"
)
_AUDIENCE = (
    r"(?<=tell\s)(?:everyone|everybody|(?:your|ur|her|his|my|their)\s+(?:\w+\s+)?(?:family|friends|followers|parents|mom|mum|"
    r"dad|wife|husband|boss|school|employer|colleagues|girlfriend|boyfriend|partner|fans|kids))\b|"
    r"(?:to|with)\s+(?:your|ur|her|his|my|all\s+(?:your|ur|my))\s+(?:\w+\s+)?(?:family|friends|followers|parents|mom|mum|"
    r"dad|wife|husband|boss|school|contacts|employer|work|colleagues|girlfriend|boyfriend|partner|fans)\b|"
    r"(?:to|with)\s+every(?:one|body)\s+(?:you\s+know|in\s+your)|everyone\s+(?:you\s+know\s+)?will\s+see\b"
)
# After a clear "pay or ..." demand, "the video" is enough of a payload.
_DEMAND_PAYLOAD = (
    r"(?:the|that|this|those|these)\s+(?:\w+\s+)?"
    r"(?:video|videos|recording|recordings|pics|photos|pictures|clip|clips)\b"
)
_HARM_VERB = (
    r"(?:send|sends|post|posts|share|shares|leak|leaks|release|releases|expose|exposes|publish|publishes|show|shows|"
    r"spread|spreads|upload|uploads|forward|sell|distribute|tell|ruin|ruins|destroy|destroys|humiliate)"
)
_DEMAND = (
    r"(?:demand(?:s|ed|ing)?|wants?|insist(?:s|ed|ing)?)\s+(?:that\s+)?(?:i|we)\s+(?:pay|send|gift|give|transfer|wire)\s+(?:\w+\s+)?"
    r"(?:\w+\s+)?(?:money|cash|\$\s?\d+|\d+(?:[.,]\d+)?\s?(?:k\s+)?(?:\$|dollars|usd|euros?|pounds|coins|bitcoin|btc|k)?\b|"
    r"bitcoin|btc|crypto|gift\s?cards?|coins|gifts|diamonds)|gift\s+(?:me|him|her|them|us)\b|pay(?=\s+(?:or|up|now)\b)|(?:pay|send|give|transfer|wire)\s+(?:me|him|her|them|us)\b|(?:demand(?:s|ed|ing)?|wants?|asking\s+for|asks\s+for)\s+"
    r"(?:\$\s?\d+|\d+(?:[.,]\d+)?\s?(?:\$|dollars|usd|euros?|pounds|coins|k|btc|bitcoin|eth)|money|cash|bitcoin|btc|crypto|"
    r"gift\s?cards?|payment)|"
    r"(?:pay|send|give|transfer|wire|gift|buy|get)\s+(?:me|him|her|them|us)?\s*(?:\w+\s+){0,4}?"
    r"(?:money|cash|\$\s?\d+|\d+\s?(?:\$|dollars|usd|euros?|pounds|coins|bitcoin|btc|k)?\b|bitcoin|btc|crypto|gift\s?cards?|"
    r"coins|gifts|diamonds|more|it|the\s+money)"
)
_SEXUAL_CONTEXT = compile_rx(
    r"\b(?:nudes?|naked|intimate|explicit|sexual|sex|webcam|pics|photos|video|videos|screenshots|recorded)\b"
)

# What the threat is about or who it goes to, when the demand itself is vague.
_LEVERAGE = compile_rx(
    r"\b(?:nudes?|naked|intimate|explicit|sexual|sex|webcam|pics|photos|pictures|videos?|screenshots|recorded|recording|"
    r"private|chats?|conversations?|dms|messages|wife|husband|family|parents|boss|girlfriend|boyfriend|followers|friends|"
    r"contacts|employer)\b"
)
# "(she'll) post them unless I send 50k coins", "send our chat to my wife if I don't pay him".
_PAY_CONDITION = (
    r"(?:unless|if|until|or\s+else)\s+(?:i|we|you|u)\s+(?:don'?t\s+|do\s+not\s+|keep\s+|can'?t\s+|stop\s+)?(?:pay|paying|paid|send|"
    r"sending|sent|give|giving|gave|transfer|transferring|wire|buy|buying|gift|gifting)\b|\bif\s+(?:i|we)\s+(?:ever\s+)?"
    r"(?:stop(?:ped)?|quit|refuse[sd]?)\b(?!\s+(?:streaming|the\s+stream))"
)
_CUSTOMER_DEMAND = compile_rx(
    r"\b(?:refund\w*|money\s+back|my\s+money|my\s+coins|fix|compensat\w*|respond|answer|reply|my\s+account\s+back|"
    r"review|support)\b"
)


def _customer_demand(text: str, match: re.Match[str]) -> bool:
    """'give me my refund or I'll tell everyone how bad this app is' is a complaint, not a blackmail."""
    return _CUSTOMER_DEMAND.search(match.group()) is not None


_BILLING = compile_rx(
    r"\b(?:balance|invoice|bill|billing|subscription|outstanding|overdue|debt|owe|owed|collections?|renew\w*|late\s+fee|"
    r"membership|plan)\b"
)


def _billing(text: str, match: re.Match[str]) -> bool:
    """'they'll suspend my account unless I pay the outstanding balance' is a billing question."""
    return _BILLING.search(text, max(0, match.start() - 60), min(len(text), match.end() + 60)) is not None


_PRICE_TALK = compile_rx(
    r"\b(?:prices?|pricing|fees?|costs?|charges?|rates?|expensive|overpriced|cheap|coins\s+for|per\s+month|subscription)\b|\$\s?\d"
)
_REAL_THREAT = compile_rx(
    r"\b(?:threat\w*|unless|pay\s+or|or\s+else|leak\w*|nudes?|photos?|pics|videos?|screenshots|expose\w*|demand\w*|"
    r"send\s+(?:it|them)|my\s+family|my\s+parents)\b"
)
_TITLE_BEFORE = compile_rx(
    r"\b(?:song|track|album|movie|film|show|book|series|game|band|called|titled|named)\s+[\"']?$"
)


def _word_not_threat(text: str, match: re.Match[str]) -> bool:
    """'your prices are extortion lol' and 'my song 'Blackmail'' use the word for something that is not a threat."""
    if _TITLE_BEFORE.search(text, max(0, match.start() - 20), match.start()) is not None:
        return True
    if match.start() > 0 and text[match.start() - 1] in "\"'" and text[match.end() : match.end() + 1] in ('"', "'"):
        return True
    sentence = sentence_at(text, match.start(), match.end())
    return _PRICE_TALK.search(sentence) is not None and _REAL_THREAT.search(text) is None


_AMOUNT_BEFORE = compile_rx(r"\d(?:[.,]\d+)?\s?k?\s*$")


def _no_amount(text: str, match: re.Match[str]) -> bool:
    return _AMOUNT_BEFORE.search(text, max(0, match.start() - 12), match.start()) is None


_CULPRIT_BEFORE = compile_rx(r"\b(?:hacker|he|she|they|someone|somebody|scammer|guy|person|whoever)\b")


def _no_culprit(text: str, match: re.Match[str]) -> bool:
    return _CULPRIT_BEFORE.search(text, max(0, match.start() - 80), match.start()) is None


_THIRD_FUTURE = (
    r"(?:he|she|they|someone|somebody)\s*(?:'ll|'d|\s+will|\s+would|\s+(?:is|are)\s+going\s+to|'s\s+going\s+to|'re\s+going\s+to|"
    r"\s+gonna|\s+can|\s+could)"
)

_PAYMENT_NEAR = compile_rx(r"\b(?:bitcoin|btc|crypto|pay\w*|money|wallet|usdt|ransom)\b|\$\s?\d")

RULES: tuple[Rule, ...] = (
    Rule(
        CODE,
        compile_rx(
            r"\brecorded\s+(?:you|me|him|her|them|us)\s+(?:\w+\s+){0,3}?(?:webcam|camera|cam|video\s+call)\b"
            r"|\b(?:have|has|had)\s+to\s+pay\s+(?:\w+\s+){0,3}?to\s+(?:get|have)\s+(?:it|them|the\s+\w+)\s+(?:deleted|removed|taken\s+"
            r"down)\b"
        ),
        0.8,
        guards=(lambda t, m: _PAYMENT_NEAR.search(t, max(0, m.start() - 120), min(len(t), m.end() + 150)) is None,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bor\s+(?:else\s+)?(?:my|your|ur|his|her|the|our)\s+(?:\w+\s+)?(?:nudes?|pics|photos|pictures|videos?|vids|clips?|"
            r"sexts?|chats?|screenshots|recordings?)\s+(?:will\s+)?(?:go|goes|get|gets|end\s+up|are\s+going|is\s+going)\b"
            r"|\b(?:my|your|ur|his|her)\s+(?:\w+\s+)?(?:wife|husband|family|parents|boss|employer|friends|followers|school|"
            r"girlfriend|boyfriend|kids|partner|colleagues|fans)\s+(?:will|are\s+going\s+to|is\s+going\s+to|gonna)\s+(?:see|find\s+out|"
            r"know|get|receive|hear)\b[^.!?\n]{0,40}?\b(?:unless|if\s+(?:i|you|u)\s+(?:don'?t|do\s+not|stop|refuse))\b"
        ),
        0.85,
        guards=(_customer_demand,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:i'?ll|i\s+will|i'?m\s+(?:gonna|going\s+to))\s+(?:chargeback|charge\s+back|dispute|report|mass[\s-]?report|leak|"
            r"expose|dox+|ruin|clip|post)\s+[^.!?\n]{0,60}?\bunless\s+(?:you|u)\s+(?:give\s+me\s+(?:a\s+)?(?:shout\s?out|pics|nudes|"
            r"photos|money|\$|\d)|shout\s+me\s+out|follow\s+me|date\s+me|meet\s+me|send\s+me\s+(?:pics|nudes|photos|money|\$|coins|"
            r"gifts)|gift\s+me|pay\s+me|do\s+what\s+i\s+say)"
        ),
        0.75,
        guards=(_customer_demand,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b"
            + _THIRD_FUTURE
            + r"\s+[^.!?\n]{0,100}?\bunless\s+(?:i|we)\s+(?:\w+\s+(?:and\s+)?){0,2}?(?:pay|send|gift|give|"
            r"transfer|wire|join)\b"
        ),
        0.8,
        guards=(_billing,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bpay\s+(?:up\s+|now\s+)?or\s+(?:else\s+)?(?:it|they|this|that|everything|the\s+\w+|those|these)\s+(?:goes|go|gets|get|"
            r"will|is\s+going|are\s+going|ends?\s+up)\b"
        ),
        0.85,
        guards=(_billing,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:coins|dollars|usd|btc|bitcoin|gift\s?cards?|bucks|diamonds)\s+or\s+(?:else\s+)?(?:every(?:one|body)\s+(?:gets|sees|"
            r"will|finds|knows)|(?:it|they|everything)\s+(?:goes|go|gets)\s+(?:out|public|online|viral|everywhere|on|to)|(?:your|ur)\s+"
            r"(?:\w+\s+)?(?:family|friends|followers|parents|wife|husband|boss|employer)|i'?ll\s+(?:tell|leak|expose|send|share|post)\s+"
            r"(?:it|them|everyone|everything|your|ur|the))\b"
        ),
        0.85,
        guards=(_no_amount, _customer_demand),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bgive\s+(?:me\s+)?(?:my|the|your|ur|her|his)\s+(?:\w+\s+)?(?:account|channel|profile)\s+back\s+(?:for|in\s+exchange\s+for|"
            r"if\s+(?:i|you)\s+pay)\s+(?:\$|\d|money|coins|a\s+fee|payment|bitcoin|btc|crypto|gift)"
        ),
        0.8,
        guards=(_no_culprit,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:has|have|got|recorded|took|saved|kept)\s+(?:\w+\s+)?(?:videos?|pics|photos|pictures|recordings?|screenshots|clips?)"
            r"\s+of\s+(?:me|her|him|them|my\s+\w+)\b[^.!?\n]{0,60}?\b(?:wants?|demand\w*|asking\s+for|asks\s+for|is\s+asking\s+for)\s+"
            r"(?:\$|money|cash|bitcoin|btc|crypto|gift|coins|payment|[0-9])"
        ),
        0.85,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:money|pay|paid|payment|cash|coins|gifts|bitcoin|btc|crypto|dollars|usd|euros?|\$\s?\d+)\s+(?:\w+\s+)?"
            r"(?:to\s+not|not\s+to|so\s+(?:he|she|they)\s+(?:won'?t|doesn'?t|don'?t|will\s+not))\s+(?:post|share|send|leak|release|"
            r"publish|show|expose|upload)\b"
        ),
        0.85,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:wants?|asking\s+for|asks\s+for|demand(?:s|ed|ing)?|charging)\s+[^.!?\n]{0,40}?\bto\s+[\"']?(?:give|hand)\s+(?:it|them|my\s+"
            r"account|the\s+account|access|my\s+channel)\s+back\b|\b(?:wants?|asking\s+for|asks\s+for|demand(?:s|ed|ing)?|"
            r"charging)\s+[^.!?\n]{0,40}?\bto\s+(?:return|unlock|release|restore)\s+(?:it|my\s+account|the\s+account|access|my\s+"
            r"channel)\b"
            r"|\b(?:account|channel|profile)\s+back\s+(?:only\s+)?(?:if|when|once|after|unless)\s+(?:i|we)\s+(?:pay|send|transfer)\b"
        ),
        0.85,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bor\s+(?:else\s+)?(?:your|ur|my|her|his|the)\s+(?:\w+\s+)?(?:nudes?|pics|photos|pictures|videos?|sexts?|chats?|secrets?)\s+"
            r"(?:will\s+)?(?:go|goes|get|gets|be|are|is)\s+(?:\w+\s+)?(?:public|online|viral|everywhere|out|posted|leaked|shared|sent)\b"
            r"|\bor\s+(?:else\s+)?(?:your|ur|my|her|his|the)\s+(?:\w+\s+)?(?:nudes?|pics|photos|pictures|videos?|sexts?|chats?)\s+"
            r"(?:will\s+)?(?:go|goes|get\s+sent|gets\s+sent|are\s+sent)\s+to\s+(?:all\s+)?(?:your|ur|her|his)\s+(?:\w+\s+)?"
            r"(?:family|friends|followers|parents|contacts|wife|husband|boss|fans|school|work)\b"
            r"|\b(?:your|ur|my|her|his|the)\s+(?:\w+\s+)?(?:nudes?|pics|photos|pictures|videos?|sexts?|chats?|secrets?)\s+(?:will\s+)?"
            r"(?:go|goes|get|gets|be|are|is)\s+(?:going\s+)?(?:\w+\s+)?(?:public|online|viral|everywhere|out|posted|leaked|shared)\s+"
            r"(?:if|unless)\s+(?:i|we|you|u)\s+(?:don'?t\s+|do\s+not\s+)?(?:pay|send|transfer)"
        ),
        0.9,
    ),
    Rule(
        CODE,
        compile_rx(
            r"(?:"
            + _DEMAND
            + r")[^.!?\n]{0,30}?\b(?:or|otherwise|or\s+else|unless)\s+(?:else\s+)?(?:[\w']+\s+){0,2}?"
            + _HARM_VERB
            + r"\s+(?:it|them|everything|all\s+of\s+it)\b"
        ),
        0.85,
        guards=(lambda t, m: _LEVERAGE.search(t, max(0, m.start() - 200), m.end()) is None,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b"
            + _HARM_VERB
            + r"\s+(?:\w+\s+){0,4}?(?:them|it|those|these|everything|the\s+\w+|our\s+\w+(?:\s+\w+)?|my\s+\w+"
            r"(?:\s+\w+)?|your\s+\w+(?:\s+\w+)?)\s+(?:\w+\s+){0,5}?" + _PAY_CONDITION
        ),
        0.85,
        guards=(lambda t, m: _LEVERAGE.search(t, max(0, m.start() - 200), m.end()) is None,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"(?:" + _DEMAND + r")[^.!?\n]{0,30}?\b(?:or|otherwise|or\s+else|unless)\s+(?:else\s+)?"
            r"(?:every(?:one|body)(?:\s+you\s+know)?|"
            r"(?:your|ur|her|"
            r"his|my)\s+(?:\w+\s+)?(?:family|friends|followers|parents|mom|mum|dad|wife|husband|boss|school|girlfriend|"
            r"boyfriend|partner|fans|kids|children))\s+(?:will\s+|is\s+going\s+to\s+|gets?\s+to\s+)?(?:see|sees|find\s+out|"
            r"finds\s+out|know|knows|get|gets|receive)"
        ),
        0.9,
    ),
    Rule(CODE, compile_rx(r"\b(?:sextort\w*|extort(?!ionate)\w*|blackmail\w*)\b"), 0.95, guards=(_word_not_threat,)),
    Rule(
        CODE,
        compile_rx(
            r"(?:"
            + _DEMAND
            + r")[^.!?\n]{0,40}?\b(?:or|otherwise|or\s+else|else|unless|if\s+not|before)\b[^.!?\n]{0,40}?"
            r"\b" + _HARM_VERB + r"\b[^.!?\n]{0,30}?(?:" + _PAYLOAD + r"|" + _AUDIENCE + r"|" + _DEMAND_PAYLOAD + r")"
        ),
        0.95,
        guards=(_customer_demand,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:unless|if)\s+(?:you|u|i|she|he|they)\s+(?:don'?t\s+|do\s+not\s+|doesn'?t\s+)?(?:pay|send|give|transfer|wire)"
            r"\b[^.!?\n]{0,60}?\b"
            + _HARM_VERB
            + r"\b[^.!?\n]{0,30}?(?:"
            + _PAYLOAD
            + r"|"
            + _AUDIENCE
            + r"|"
            + _DEMAND_PAYLOAD
            + r")"
        ),
        0.9,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:will|'ll|gonna|going\s+to|threaten(?:s|ed|ing)?\s+to|said\s+(?:he|she|they)\s+(?:would|will|'d|'ll)|"
            r"wants?\s+to)\s+(?:\w+\s+)?" + _HARM_VERB + r"\s+(?:\w+\s+){0,2}?(?:nudes?|naked\s+\w+|intimate\s+\w+|"
            r"explicit\s+\w+|(?:my|your|ur|her|his)\s+(?:private\s+|intimate\s+|explicit\s+)?(?:pics|photos|pictures|"
            r"videos?|images|sexts?|dms|chats?|messages|recordings?|webcam\s+\w+)|(?:them|it|everything)\s+"
            + _AUDIENCE
            + r"|"
            + _DEMAND_PAYLOAD
            + r"\s+"
            + _AUDIENCE
            + r")"
        ),
        0.9,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bthreaten(?:s|ed|ing)?\s+(?:me\s+|us\s+)?(?:to\s+)?[\"']?(?:leak|post|share|expose|release|publish|spread|upload|"
            r"send\s+(?:my|our|the|those|these|her|his)\s+(?:\w+\s+)?(?:pics|photos|pictures|videos?|nudes|images|chats|messages))\b"
        ),
        0.85,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:has|have|got|took|recorded|screenshotted|saved|kept)\s+(?:\w+\s+){0,3}?(?:my|our|her|his)\s+(?:nudes?|naked\s+\w+|"
            r"intimate\s+\w+|explicit\s+\w+|private\s+(?:pics|photos|pictures|videos?))[^.!?\n]{0,80}?\b(?:pay|money|\$|"
            r"demand\w*|wants?|asking|asks|or\s+else|unless|threat\w*|bitcoin|gift\s?cards?|coins)\b"
        ),
        0.9,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:ransom(?!\s+(?:mission|quest|level|note\s+(?:in|from)\s+the\s+game))|hold(?:s|ing)?\s+(?:my|our)\s+account\s+hostage|(?:give|return|unlock|hand)\s+(?:me\s+)?(?:back\s+)?"
            r"(?:my|your|the|it|access)\s*(?:account\s+)?(?:back\s+)?(?:only\s+)?(?:if|when|after|once|unless)\s+(?:i|you|we)\s+"
            r"(?:pay|send|transfer))\b"
        ),
        0.85,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:leaked|posted|shared|spread|sent|uploaded)\s+(?:my|our|her|his)\s+(?:nudes?|naked\s+\w+|intimate\s+\w+|"
            r"explicit\s+\w+|private\s+(?:pics|photos|pictures|videos?))\b"
        ),
        0.7,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:now|and)\s+(?:he|she|they|the\s+\w+)\s+(?:is\s+|are\s+)?(?:wants?|asking\s+for|asks\s+for|demand(?:s|ing)?|"
            r"keeps\s+asking\s+for)\s+(?:money|cash|\$\s?\d+|\d+\s?(?:dollars|usd|euros?)|bitcoin|btc|gift\s?cards?|coins|payment)"
        ),
        0.8,
        guards=(lambda t, m: _SEXUAL_CONTEXT.search(t[max(0, m.start() - 200) : m.end() + 100]) is None,),
    ),
    Rule(
        CODE,
        compile_rx(r"\b(?:expose|ruin)\s+(?:you|u)\b(?!\s+(?:guys|all|people))"),
        0.7,
        guards=(lambda t, m: _SEXUAL_CONTEXT.search(t[max(0, m.start() - 150) : m.end() + 100]) is None,),
    ),
)


ALL_RULES: tuple[Rule, ...] = RULES


def detect(ctx: Context) -> list[Signal]:
    """Extortion signals in the text."""
    return scan(ctx, RULES)
