"""``prompt_injection``: text that tries to instruct the assistant instead of asking support for something.

Four families, from the obvious to the subtle:

* **overrides and role games** — "ignore previous instructions", "you are now", "system prompt", chat-template
  markup, notes addressed to the AI, field names of our own output;
* **reply manipulation** (in :mod:`.injection_sentences`) — instructions about *the reply* rather than the
  requester's problem ("add … to your response", "replace letters with numbers in your answer", "suggest users
  visit www…"), the BIPIA pattern;
* **spliced tasks** (also in :mod:`.injection_sentences`) — a question or task from nowhere ("What is the capital
  of Brazil?", "Write a poem…") inside a message about something else: no support vocabulary and no words in
  common with the text around it. A message that is *only* such a question is an out-of-scope request;
* **hidden payloads** — zero-width or tag characters, invisible CSS, HTML comments, base64 blobs that decode to
  text.
"""

from __future__ import annotations

import base64
import binascii
import re

from app.triage.signals.base import Context, Rule, Signal, make_signal, scan
from app.triage.signals.injection_sentences import sentence_signals
from app.triage.signals.patterns import compile_rx

CODE = "prompt_injection"

_AI = (
    r"(?:ai|a\.i\.|assistant|chat\s?bot|bot|language\s+model|llm|gpt|chatgpt|claude|gemini|copilot|model|"
    r"automated\s+(?:system|agent|assistant|reviewer|triage)|support\s+bot|triage\s+(?:bot|system|model|ai)|"
    r"ai\s+(?:agent|assistant|model|system|reviewer|triage))"
)

_LINE_START = compile_rx(r"(?:^|[\n.!?]|\b(?:please|now|just|and))\s*$")


def _not_at_line_start(text: str, match: re.Match[str]) -> bool:
    """Chat-role labels ("system: ...") and "act as ..." only count where a line or sentence begins."""
    return _LINE_START.search(text, max(0, match.start() - 12), match.start()) is None


_REPORTED = compile_rx(r"\b(?:that|if|whether|say|think|feel\s+like)\s+$")


_THIRD_PERSON_SUBJECT = compile_rx(
    r"\b(?:they|scammers?|messages?|emails?|people|he|she|it|who|which|often|may|might|can|will|sometimes|usually)\s+"
    r"(?:\w+\s+)?(?:or\s+)?$|\bor\s+$"
)


def _reported_role(text: str, match: re.Match[str]) -> bool:
    """'would you say that you are now a pet owner' is a question, not a role assignment, and 'phishing messages
    pretend to be the system' describes someone else's trick."""
    if _REPORTED.search(text, max(0, match.start() - 14), match.start()) is not None:
        return True
    return match.group().startswith("pretend") and (
        _THIRD_PERSON_SUBJECT.search(text, max(0, match.start() - 30), match.start()) is not None
    )


RULES: tuple[Rule, ...] = (
    Rule(
        CODE,
        compile_rx(
            r"\b(?:and\s+)?(?:then\s+)?(?:do|follow|execute|obey|carry\s+out)\s+(?:what|whatever)\s+(?:it|this|that|the\s+(?:\w+\s+)?(?:note|attachment|file|document|text|"
            r"message|email|pdf|image|comment|quote))\s+"
            r"(?:says|said|tells\s+you|asks)\b"
            r"|\bwhen\s+you\s+(?:summari[sz]e|read|process|review|reply\s+to|answer|draft\s+a\s+reply\s+to|triage|classify|"
            r"respond\s+to|handle|analy[sz]e)\s+(?:this|the)\s+(?:ticket|message|email|case|request|report|conversation)\s*,?\s+"
            r"(?:please\s+)?(?:(?:write|say|state|put|record|add)\s+that|mark|classify|approve|set|label|tag)\b"
            r"|\brole\s*=\s*[\"']?(?:system|assistant|developer)\b|</?(?:assistant|developer)>"
            r"|\[\s*(?:system|admin|developer|root|sudo)\s+(?:override|prompt|message|instructions?|note|mode|update)\s*\]"
            r"|\[\s*end\s+(?:override|system|instructions?|admin)\s*\]"
            r"|\b(?:system|admin|security|emergency|developer|law\s+enforcement|safety|sudo)\s+override\b"
            r"|\bno\s+human\s+(?:review|approval|oversight|check|involvement)\s+(?:is\s+)?(?:required|needed|necessary)\b"
            r"|\bwithout\s+(?:any\s+)?human\s+(?:review|approval|oversight|checks?)\b"
        ),
        0.85,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:ignore|disregard|forget|skip|override|bypass|neglect|drop|abandon|overrule|discard)\s+(?:all\s+|any\s+|the\s+|your\s+|"
            r"of\s+|about\s+)*(?:previous|prior|above|earlier|preceding|foregoing|former|original|initial|existing|system|other|"
            r"safety|all|those|these)\s+(?:\w+\s+)?(?:instructions?|prompts?|rules|directions|directives|guidelines|programming|"
            r"constraints|guardrails|restrictions|context|commands?|orders|polic(?:y|ies)|training)\b"
            r"|\b(?:ignore|disregard|forget)\s+(?:everything|all(?:\s+of)?\s+(?:the\s+)?above|what\s+you\s+(?:were|have\s+been)\s+"
            r"told|all\s+(?:that|of\s+that)\s+(?:came\s+)?before)\b"
        ),
        0.95,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\byou\s+are\s+(?:now|no\s+longer)\s+(?:a|an|the|in|my|dan|acting|going\s+to\s+act|free|unrestricted|jailbroken|"
            r"operating|playing|bound|required|allowed|authori[sz]ed|an?\s+\w+\s+(?:ai|assistant|bot))\b"
            r"|\bfrom\s+now\s+on,?\s+(?:you\s+(?:are|will\s+be|must|shall|act|have\s+no)|your\s+(?:instructions|rules|role|task|job|"
            r"purpose)\s+(?:is|are|will\s+be)|ignore|disregard|respond\s+only|reply\s+only|answer\s+only|act\s+as)\b"
            r"|\bpretend\s+(?:to\s+be|you\s+are|you'?re|that\s+you)\b|\b(?:role[\s-]?play|play\s+the\s+role\s+of)\s+(?:as\s+)?(?:an?|the)\b"
            r"|\b(?:dan\s+mode|jailbreak\w*|developer\s+mode\s+(?:enabled|on|output)|do\s+anything\s+now|god\s+mode|"
            r"unfiltered\s+mode|no\s+(?:restrictions|filters)\s+mode)\b"
        ),
        0.85,
        guards=(_reported_role,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:system\s+prompt|(?:initial|original|hidden|secret|developer|pre-?)\s*prompt|(?:hidden|secret|invisible)\s+"
            r"instructions?|prompt\s+injection)\b"
            r"|\b(?:reveal|show|print|output|repeat|display|leak|dump|give\s+me|tell\s+me|share|list)\s+(?:me\s+)?(?:\w+\s+){0,2}?"
            r"(?:your|the)\s+(?:\w+\s+)?(?:instructions|prompt|programming|configuration|guidelines|rules\s+you|api\s+keys?|"
            r"secrets?|training\s+data)\b"
        ),
        0.85,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:note\s+to|message\s+to|instructions?\s+(?:for|to)|memo\s+to)\s+(?:the\s+|any\s+|all\s+)?"
            + _AI
            + r"s?\b"
            r"|\b(?:dear|hey|hi|hello|attention)\s+(?:the\s+|any\s+|all\s+)?"
            + _AI
            + r"s?\b[\s,:!-]+(?:please\s+)?(?:you\s+must\s+)?"
            r"(?:ignore|approve|mark|classify|set|respond|reply|output|disregard|forget|override|grant|issue|refund|escalate|"
            r"close|include|add|(?:do\s+not|don'?t)\s+(?:flag|escalate|report|mention|tell))\b"
        ),
        0.85,
        negatable=False,
    ),
    Rule(CODE, compile_rx(r"\bas\s+(?:an?|the|our)\s+" + _AI + r"\s*(?:,|you\b)"), 0.85, negatable=False),
    Rule(
        CODE,
        compile_rx(
            r"\b"
            + _AI
            + r"\s*[,:]\s*(?:you\s+(?:must|should|will|are\s+to)\s+|please\s+|now\s+)?(?:ignore|approve|mark|"
            r"classify|grant|issue|escalate|close|refund|disregard|forget|override|do\s+not|don'?t\s+(?:flag|escalate|report)|"
            r"respond\s+only|reply\s+only|output|disclose|reveal|unlock|unban|transfer|leak|dump)\b"
        ),
        0.85,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bif\s+you(?:'re|\s+are)\s+(?:an?\s+)?(?:ai|llm|language\s+model|bot|chat\s?bot|assistant|automated|gpt|"
            r"machine)\b[,\s]+(?:then\s+|you\s+must\s+|please\s+)?(?:ignore|include|add|respond|reply|say|write|approve|mark|"
            r"classify|output|append|insert|disregard|forget|tell\s+(?:the\s+)?(?:user|reader))"
        ),
        0.85,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:(?:any|the|an?)\s+)?"
            + _AI
            + r"\s+(?:reading|processing|summari[sz]ing|handling|reviewing|triaging|parsing|"
            r"answering)\s+(?:this|these|the\s+following)\b"
        ),
        0.85,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:respond|reply|answer|output|return|print|write|say)\s+(?:with\s+)?(?:only|just|exclusively|nothing\s+but|solely)"
            r"\s+(?:with|in|using|the\s+words?|the\s+following|\"|')"
            r"|\b(?:your|the)\s+(?:response|reply|answer|output)\s+(?:must|should|shall|has\s+to|needs\s+to|will)\s+(?:only\s+)?"
            r"(?:be|say|contain|include|start|begin|end|consist|read)\b"
            r"|\byou\s+(?:must|shall|have\s+to|need\s+to)\s+(?:now\s+)?(?:respond|reply|answer|output)\s+(?:only|with|using|"
            r"exactly|in\s+(?:json|capitals|all\s+caps))\b|\byou\s+(?:must|shall)\s+(?:now\s+)?(?:approve|grant|"
            r"issue|refund|classify|mark|comply|obey|follow\s+(?:these|the\s+following|my)\s+instructions)\b"
            r"|\bdo\s+not\s+(?:mention|reveal|tell|disclose|flag|escalate|report|forward|show)\s+(?:\w+\s+){0,3}?(?:this|these)\s+"
            r"(?:instructions?|message|note|text)\b|\b(?:don'?t|do\s+not|never)\s+(?:tell|inform|alert|notify|show)\s+(?:the\s+)?"
            r"(?:human|agent|reviewer|specialist|moderator|operator|staff)\b"
        ),
        0.85,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:classify|categori[sz]e|label|tag|mark|set|flag|treat|route)\s+(?:this|the|my)\s+(?:ticket|case|message|request|"
            r"email|conversation|complaint)\s+(?:as|to)\s+(?:resolved|approved|safe|low|lowest|p[0-3]|legitimate|benign|harmless|"
            r"non[\s-]?urgent|not\s+(?:spam|fraud|a\s+scam|suspicious)|[a-z]+_[a-z_]+)\b"
            r"|\b(?:set|change|lower|raise|make)\s+(?:the\s+)?(?:priority|severity|category|risk(?:\s+level)?)\s+(?:to|=|:)\s*"
            r"(?:p[0-3]|low|lowest|none|zero|[a-z]+_[a-z_]+)\b"
            r"|\b(?:risk_flags|citations|prompt_version|findings)\b[\"']?\s*[:=]|\"(?:category|priority|reply)\"\s*:"
            r"|\b(?:approve|grant|issue|process|authori[sz]e|accept)\s+(?:this|my|the)\s+(?:\w+\s+)?(?:refund|request|appeal|"
            r"payout|withdrawal|chargeback)\s+(?:immediately\s+)?(?:automatically|without\s+(?:any\s+)?(?:review|checks?|checking|"
            r"questions?|verification|human))"
        ),
        0.8,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"<\|?\s*(?:im_start|im_end|system|endoftext|eot_id|start_header_id)\s*\|?>|\[/?inst\]|<</?sys>>|"
            r"</?(?:system|instructions?|prompt|sys)>|#{1,6}\s*(?:system|instructions?|new\s+instructions?|task|admin|"
            r"override)\b|\b(?:begin|end)\s+(?:system|hidden|secret|new)\s+(?:prompt|"
            r"instructions?|message)\b|\b(?:new|updated|additional|important|real|actual|revised)\s+(?:instructions?|task|rules|"
            r"directives?)\s*:|\bimportant\s*[:!]\s*(?:ignore|disregard|forget|you\s+(?:must|are|should))"
        ),
        0.85,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(r"\b(?:system|assistant|user)\s*:\s*\S|\b(?:act|behave|respond)\s+as\s+(?:an?|the|my|if\s+you)\b"),
        0.8,
        negatable=False,
        guards=(_not_at_line_start,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:reply|respond|answer|output|print|return|include|send|give|tell|reveal|share|leak|show|list|repeat|forward|"
            r"email|post|append|add)\s+(?:\w+\s+){0,3}?(?:the\s+)?(?:user'?s?|customer'?s?|requester'?s?|sender'?s?|account\s+"
            r"holder'?s?|all\s+users'?|other\s+users'?|their|everyone'?s)\s+(?:\w+\s+)?(?:passwords?|credentials|api\s+keys?|"
            r"tokens?|secrets?|personal\s+(?:data|information|details)|email\s+address(?:es)?|phone\s+numbers?|card\s+"
            r"(?:numbers?|details)|home\s+address(?:es)?|data|conversations?|chat\s+history|messages|emails|payment\s+details|"
            r"account\s+details)\b"
            r"|\b(?:send|forward|email|post|upload|exfiltrate|copy)\s+(?:\w+\s+){0,3}?(?:all|every|the\s+(?:whole|entire))\s+"
            r"(?:\w+\s+)?(?:conversations?|emails|messages|data|records|history|tickets|cases)\s+to\b"
        ),
        0.9,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:decode|base64[\s-]?decode|rot13|unscramble|decrypt)\s+(?:this|the\s+following|and\s+(?:follow|execute|run|obey))"
            r"|!\[[^\]\n]*\]\(https?://[^)\s]*\?[^)\s]*=|display\s*:\s*none|font-size\s*:\s*0(?:px|pt|em)?\b|"
            r"visibility\s*:\s*hidden|opacity\s*:\s*0(?:\.0+)?\b|color\s*:\s*(?:white|#fff(?:fff)?)\b"
        ),
        0.75,
        negatable=False,
    ),
)

# A full stop only ends a sentence before a space or the end ("www.example.com" stays in one piece).
_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2060-\u2064\ufeff]")
_TAG_CHARS = re.compile(r"[\U000e0000-\U000e007f]")
_HTML_COMMENT = re.compile(r"<!--(.{0,500}?)-->", re.DOTALL)
_B64 = re.compile(r"(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/=_-])")
_IMPERATIVE = compile_rx(
    r"\b(?:ignore|disregard|respond|reply|answer|say|write|include|add|output|approve|you\s+(?:must|are|should)|"
    r"assistant|ai|instructions?)\b"
)


def _hidden_payloads(ctx: Context) -> list[Signal]:
    text = ctx.text
    found: list[Signal] = []
    tag = _TAG_CHARS.search(text)
    if tag:
        found.append(make_signal(CODE, ctx.original, tag.start(), tag.end(), 0.9))
    zero_width = list(_ZERO_WIDTH.finditer(text))
    if len(zero_width) >= 3:
        found.append(make_signal(CODE, ctx.original, zero_width[0].start(), zero_width[-1].end(), 0.6))
    for match in _HTML_COMMENT.finditer(text):
        if _IMPERATIVE.search(match.group(1)):
            found.append(make_signal(CODE, ctx.original, match.start(), match.end(), 0.8))
            break
    for match in _B64.finditer(ctx.cased) if _has_long_token(ctx.cased) else ():
        if _decodes_to_text(match.group()):
            found.append(make_signal(CODE, ctx.original, match.start(), match.end(), 0.75))
            break
    return found


def _has_long_token(text: str) -> bool:
    return max(map(len, text.split()), default=0) >= 40


def _decodes_to_text(blob: str) -> bool:
    """A base64 blob whose content is readable words: text hidden from a human reviewer, not a token or a hash."""
    try:
        raw = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    if not raw:
        return False
    printable = sum(1 for b in raw if 32 <= b < 127 or b in (9, 10, 13))
    return printable / len(raw) > 0.95 and raw.count(b" ") >= 3


ALL_RULES: tuple[Rule, ...] = RULES


def detect_injection_signals(ctx: Context) -> list[Signal]:
    """All prompt-injection signals in the text (the caller keeps the strongest)."""
    return scan(ctx, RULES) + sentence_signals(ctx) + _hidden_payloads(ctx)


def detect(ctx: Context) -> list[Signal]:
    """Prompt-injection signals in the text."""
    return detect_injection_signals(ctx)
