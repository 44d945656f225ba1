"""``account_takeover``: someone else logged in, changed the email/password/phone, or spent from the account.

"Hacked" needs an account-like object: "my streak got hacked lol, how do I hack my streak" is a game, not a
takeover. Changes only count when someone else made them ("someone changed my email", "my password was changed",
"I didn't change it"), since "I changed my email and now can't log in" is a login problem.
"""

from __future__ import annotations

import re

from app.triage.signals.base import Context, Rule, Signal, alt, scan
from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import has_game_context, sentence_at

CODE = "account_takeover"

_ACCOUNT = alt(
    "accounts?", "acc", "acct", "profile", "login", "log-?in", "channel", "page", "wallet", "email", "e-mail",
    "gmail", "apple\\s+id", "streamnest(?:\\s+account)?", "password", "phone\\s+number", "number", "id",
    "instagram", "insta", "tiktok", "facebook", "snapchat", "socials?", "creator\\s+account", "backstage", "2fa",
    "two[- ]factor(?:\\s+\\w+)?", "security\\s+settings", "recovery\\s+(?:email|phone|codes?)", "username", "bio",
)  # fmt: skip
_THIRD_PARTY = alt(
    "someone(?:\\s+else)?", "somebody(?:\\s+else)?", "hackers?", "a\\s+stranger", "another\\s+person",
    "some\\s+(?:guy|person|one)", "an?\\s+unknown\\s+(?:person|user|device)", "they", "scammers?", "a\\s+scammer",
    "the\\s+scammer", "my\\s+ex", "a\\s+person",
)  # fmt: skip
# Up to two words between the actor and the verb, none of them a negation or inability ("they cannot log in").
_GAP = r"(?:(?!(?:cannot|not|never|unable|can|could|won|didn|don|doesn|isn|wasn)\b)\w+\s+){0,3}?"
_SELF_CHANGE = compile_rx(r"\b(?:i|we)\s+(?:just\s+)?(?:changed|reset|updated|requested)\b|\bafter\s+i\b")
_PROTECTIVE = compile_rx(
    r"\b(?:how\s+(?:do|can|should|to)\s+(?:i|we|you)?\s*(?:protect|prevent|secure|keep|avoid|stop)|"
    r"(?:prevent|avoid|protect\w*|secure|safe)\b[^.!?\n]{0,30}\bfrom\s+(?:being|getting)|"
    r"(?:in\s+case|what\s+(?:if|happens\s+if)|if\s+(?:my|your)\s+account\s+(?:ever\s+)?(?:gets?|is))\b)"
)


def _protective_question(text: str, match: re.Match[str]) -> bool:
    """'How do I keep my account from getting hacked?' asks for advice; nothing happened yet."""
    return _PROTECTIVE.search(sentence_at(text, match.start(), match.end())) is not None


_NOT_ME = compile_rx(
    r"\b(?:while\s+i\s+was|without\s+(?:me|my)|wasn'?t\s+me|not\s+me|i\s+(?:didn'?t|did\s+not|never)|someone|somebody|"
    r"stranger|hack\w*)\b"
)


def _no_sign_of_someone_else(text: str, match: re.Match[str]) -> bool:
    return _NOT_ME.search(text, max(0, match.start() - 80), min(len(text), match.end() + 120)) is None


RULES: tuple[Rule, ...] = (
    Rule(
        CODE,
        compile_rx(
            r"\b(?:purchases?|coins|gifts|payments?|charges?|recharges?|transactions?|messages|posts|lives?|streams?)\s+"
            r"(?:[\w']+\s+){0,8}?(?:while|and|when|but)\s+(?:i|we)\s+(?:was|were)\s+(?:asleep|sleeping|at\s+work|offline|away|"
            r"on\s+holiday|on\s+vacation|in\s+(?:hospital|class|school))\b"
        ),
        0.75,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:gifts?|coins|diamonds|messages|money|purchases?|recharges?|posts|videos|comments|lives?)\s+(?:were|was|got|have\s+been|"
            r"has\s+been|are\s+being|keep\s+being)\s+(?:sent|spent|used|made|bought|gifted|withdrawn|posted|uploaded)\s+(?:out\s+)?"
            r"from\s+my\s+(?:account|profile|wallet|channel|balance)\b"
        ),
        0.8,
        negatable=False,
        guards=(_no_sign_of_someone_else,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:log-?in|sign-?in|login\s+attempts?|logged\s+in|signed\s+in|access(?:ed)?)\s+from\s+[^.!?\n]{1,60}?"
            r"(?:never\s+been|not\s+me|wasn'?t\s+me|don'?t\s+(?:know|recogni[sz]e)|do\s+not\s+(?:know|recogni[sz]e)|"
            r"i\s+(?:live|am|'m)\s+in|i'?ve\s+never)"
        ),
        0.85,
        negatable=False,
        guards=(_protective_question,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:device|login|log-?in|sign-?in|session|location|phone|iphone|android|browser|ip(?:\s+address)?|computer|laptop)s?"
            r"\s+(?:that\s+|which\s+)?(?:i|we)\s+(?:don'?t|do\s+not|didn'?t|did\s+not|never)\s+(?:recogni[sz]e|know|own|use|used|"
            r"make|made)\b|\b(?:login|log-?in|sign-?in|security)\s+(?:alerts?|notifications?|attempts?|warnings?|emails?)\s+"
            r"(?:from|for|i\s+didn'?t|that\s+i\s+didn'?t|i\s+don'?t|in\s+the\s+middle)"
        ),
        0.85,
        negatable=False,
        guards=(_protective_question,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b" + _ACCOUNT + r"\s+(?:was|got|has\s+been|have\s+been|is|'s\s+been|"
            r"been|were|is\s+being|might\s+have\s+been|may\s+have\s+been|must\s+have\s+been|seems?\s+(?:to\s+be|to\s+have\s+been)|"
            r"looks?\s+(?:hacked|compromised))?\s*(?:hacked|hijacked|compromised|stolen|taken\s+over|broken\s+into|"
            r"accessed\s+by\s+(?:someone|a\s+stranger|somebody))\b"
        ),
        0.9,
        guards=(_protective_question,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:hack(?:ed|s)?|hijack(?:ed|s)?|compromised|took\s+over|stole|broke\s+into|got\s+into|accessed|"
            r"logged\s+into|signed\s+into)\s+(?:into\s+)?(?:my|our|his|her)\s+(?:\w+\s+)?" + _ACCOUNT + r"\b"
        ),
        0.9,
        guards=(_protective_question,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bi\s+(?:think\s+i\s+)?(?:was|got|have\s+been|'ve\s+been|been|might\s+have\s+been|may\s+have\s+been)\s+hacked\b"
        ),
        0.85,
        guards=(_protective_question,),
    ),
    Rule(
        CODE,
        compile_rx(
            _THIRD_PARTY + r"\s+" + _GAP + r"(?:is\s+|was\s+|has\s+been\s+|have\s+been\s+|had\s+|has\s+|might\s+be\s+|"
            r"may\s+have\s+|must\s+have\s+)?(?:logged|logging|signed|signing|log|sign)\s+(?:in|into|on)\b(?:\s+(?:to\s+)?"
            r"(?:my|our)\s+\w+)?"
        ),
        0.9,
        guards=(_protective_question,),
    ),
    Rule(
        CODE,
        compile_rx(
            _THIRD_PARTY + r"\s+" + _GAP + r"(?:is\s+|was\s+|has\s+|had\s+|have\s+|might\s+have\s+|must\s+have\s+)?"
            r"(?:using|used|accessed|accessing|took\s+over|taken\s+over|got\s+(?:into|access\s+to)|gained\s+access\s+to|"
            r"has\s+access\s+to|controls?|controlling|changed|changing|reset|removed|stole|stolen|is\s+in)\s+"
            r"(?:my|our|the)\s+(?:\w+\s+)?" + _ACCOUNT + r"\b"
        ),
        0.9,
        guards=(_protective_question,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:email|e-mail|password|phone\s+number|phone|number|username|user\s+name|2fa|two[- ]factor|"
            r"recovery\s+(?:email|phone)|login\s+(?:email|details)|linked\s+email)\s+(?:address\s+)?(?:was|got|has\s+been|"
            r"have\s+been|were|is)\s+(?:\w+\s+)?(?:changed|reset|updated|removed|disabled|switched|replaced)\b"
            r"(?!\s+(?:successfully|by\s+me|as\s+(?:requested|i\s+asked)))"
        ),
        0.8,
        guards=(
            _protective_question,
            lambda t, m: _SELF_CHANGE.search(sentence_at(t, m.start(), m.end())) is not None,
        ),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:didn'?t|did\s+not|never|haven'?t|have\s+not)\s+(?:change|changed|reset|request|requested|update|updated|"
            r"authori[sz]e|authori[sz]ed|approve|approved)\s+(?:a\s+|the\s+|my\s+|"
            r"any\s+|this\s+|that\s+)?(?:email|e-mail|password|phone|number|username|2fa|login|code|reset|changes?|device)\b"
        ),
        0.85,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:unrecogni[sz]ed|unknown|unfamiliar|strange|suspicious|weird|foreign|unauthori[sz]ed)\s+(?:\w+\s+)?"
            r"(?:devices?|log-?ins?|sign-?ins?|sessions?|locations?|ip(?:\s+address)?|iphones?|androids?|browsers?|access|"
            r"login\s+attempts?|activity\s+on\s+my\s+account)\b"
        ),
        0.85,
        guards=(_protective_question,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:log-?in|logged\s+in|signed\s+in|sign-?in|access(?:ed)?|activity)\s+from\s+(?:another|a\s+different|an\s+unknown|"
            r"unknown|a\s+strange|a\s+foreign|some|an\s+other)\s+(?:\w+\s+)?(?:country|city|state|location|device|phone|place|ip)\b"
        ),
        0.85,
        guards=(_protective_question,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:(?:verification|security|login|2fa|otp|one[- ]time|reset|sms)\s+)?(?:codes?|emails?|texts?|links?)"
            r"\s+"
            r"(?:that\s+)?"
            r"(?:i\s+)?(?:didn'?t|did\s+not|never)\s+(?:request|ask\s+for|asked\s+for|trigger)"
            r"|\b(?:messages|videos|posts|comments|dms|lives?|streams?)\s+(?:[\w']+\s+){0,4}?(?:that\s+)?(?:i\s+)?(?:didn'?t|did\s+not|"
            r"never)\s+"
            r"(?:send|sent|post|posted|write|wrote|make|made|start|started|upload|uploaded)\b"
        ),
        0.85,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:coins|gifts|diamonds|balance|earnings|rewards|money|funds)\s+(?:were|was|got|have\s+been|has\s+been)\s+"
            r"(?:all\s+)?(?:spent|used|sent|gifted|withdrawn|taken|drained|transferred|moved|stolen|cashed\s+out)\s+"
            r"(?:without\s+(?:my|me)|by\s+(?:someone|somebody|a\s+stranger)|and\s+i\s+(?:didn'?t|never)|but\s+i\s+(?:didn'?t|never)|"
            r"that\s+i\s+(?:didn'?t|never))"
            r"|\b(?:someone|somebody|a\s+stranger|a\s+hacker|the\s+hacker)\s+(?:\w+\s+)?(?:spent|used|sent|withdrew|drained|stole|"
            r"transferred|cashed\s+out)\s+(?:all\s+)?(?:my|our)\s+(?:\w+\s+)?(?:coins|gifts|diamonds|balance|money|earnings|"
            r"rewards|funds|payout)\b"
        ),
        0.85,
        negatable=False,
    ),
    Rule(CODE, compile_rx(r"\bsim[- ]?(?:swap|swapp?ed|swapping|jack(?:ed|ing)?)\b"), 0.85),
    Rule(
        CODE,
        compile_rx(
            r"(?:"
            + _THIRD_PARTY
            + r"|\bmy\s+(?:\w+\s+)?(?:ex|sister|brother|friend|roommate|cousin|partner|boyfriend|girlfriend|"
            r"husband|wife|mom|dad|mother|father|son|daughter|kids?|coworker|colleague|manager))"
            + r"\s+(?:\w+\s+)?(?:knows|knew|guessed|stole|has|had|got|found)\s+(?:my|our)\s+(?:password|passcode|"
            r"login\s+details|"
            r"login|credentials|2fa\s+codes?|recovery\s+codes?)\b"
            r"|\b(?:they|someone|somebody|hackers?|scammers?|he|she)\s+(?:\w+\s+)?hacked\s+(?:everything|me|us|all\s+of\s+(?:it|my\s+\w+))\b"
            r"|\b(?:asked|asking|asks)\s+(?:me\s+)?for\s+my\s+(?:login|password|credentials|login\s+details|2fa|code|otp)\b[^.!?\n]{0,80}?"
            r"\b(?:can'?t\s+(?:get\s+in|log\s+in|access)|locked\s+out|(?:coins|diamonds|money|balance)\s+(?:are|is)\s+(?:all\s+)?gone|"
            r"changed)"
            r"|\b(?:gave|entered|typed|shared|put)\s+my\s+(?:login|password|credentials|details|login\s+details)\b[^.!?\n]{0,60}?"
            r"\b(?:and|but)\s+(?:now\s+)?(?:i'?m\s+locked\s+out|i\s+(?:can'?t|cannot)\s+(?:log\s+in|get\s+in|access)|my\s+\w+\s+"
            r"(?:are|is)\s+(?:all\s+)?gone)"
            r"|\bhackers?\b[^.!?\n]{0,60}?\b(?:my|our)\s+(?:\w+\s+)?(?:account|channel|profile)\b"
            r"|\b(?:reset|change|update|switch|transfer)\w*\s+(?:the\s+)?(?:email|e-mail|password|phone\s+number|login|2fa|ownership)\b"
            r"(?:[^.!?\n]|\.(?=\S)){0,80}?\bwithout\s+(?:any\s+)?(?:verification|verifying|identity\s+(?:checks?|verification)|2fa|confirmation|"
            r"checking)"
        ),
        0.75,
        guards=(_protective_question, lambda t, m: has_game_context(sentence_at(t, m.start(), m.end()))),
    ),
)


ALL_RULES: tuple[Rule, ...] = RULES


def detect(ctx: Context) -> list[Signal]:
    """Account-takeover signals in the text (unrecognised purchases are in :mod:`.transactions`)."""
    return scan(ctx, RULES)
