"""``prompt_injection``: text that tries to instruct the assistant instead of asking support for something.

Four families, from the obvious to the subtle:

* **overrides and role games** — "ignore previous instructions", "you are now", "system prompt", chat-template
  markup, notes addressed to the AI, field names of our own output;
* **reply manipulation** — instructions about *the reply* rather than the requester's problem ("add … to your
  response", "replace letters with numbers in your answer", "suggest users visit www…"), the BIPIA pattern;
* **spliced tasks** — a question or task from nowhere ("What is the capital of Brazil?", "Write a poem…")
  inside a message about something else: no support vocabulary and no words in common with the text around
  it. A message that is *only* such a question is an out-of-scope request, not an injection;
* **hidden payloads** — zero-width or tag characters, invisible CSS, HTML comments, base64 blobs that decode to
  text.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections import Counter

from app.triage.signals.base import Context, Rule, Signal, make_signal, scan
from app.triage.signals.injection_lexicon import (
    DOMAIN_WORDS,
    STOPWORDS,
    STRONG_TOPIC,
    TASK_OPENER,
    TRANSFORM,
)
from app.triage.signals.patterns import compile_rx

CODE = "prompt_injection"

_AI = (
    r"(?:ai|a\.i\.|assistant|chat\s?bot|bot|language\s+model|llm|gpt|chatgpt|claude|gemini|copilot|model|"
    r"automated\s+(?:system|agent|assistant|reviewer|triage)|support\s+bot|triage\s+(?:bot|system|model|ai)|"
    r"ai\s+(?:agent|assistant|model|system|reviewer|triage))"
)
_REPLY = r"(?:response|responses|reply|replies|answer|answers|output|outputs|completion|summary)"

_LINE_START = compile_rx(r"(?:^|[\n.!?]|\b(?:please|now|just|and))\s*$")


def _not_at_line_start(text: str, match: re.Match[str]) -> bool:
    """Chat-role labels ("system: ...") and "act as ..." only count where a line or sentence begins."""
    return _LINE_START.search(text, max(0, match.start() - 12), match.start()) is None


RULES: tuple[Rule, ...] = (
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
            r"|\bfrom\s+now\s+on,?\s+(?:you|your|always|only|respond|reply|answer|act|ignore|refer)\b"
            r"|\bpretend\s+(?:to\s+be|you\s+are|you'?re|that\s+you)\b|\b(?:role[\s-]?play|play\s+the\s+role\s+of)\s+(?:as\s+)?(?:an?|the)\b"
            r"|\b(?:dan\s+mode|jailbreak\w*|developer\s+mode\s+(?:enabled|on|output)|do\s+anything\s+now|god\s+mode|"
            r"unfiltered\s+mode|no\s+(?:restrictions|filters)\s+mode)\b"
        ),
        0.85,
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
            r"\b(?:dear|hey|hi|hello|attention|note\s+to|message\s+to|instructions?\s+(?:for|to)|memo\s+to)\s+(?:the\s+|any\s+|"
            r"all\s+)?" + _AI + r"s?\b"
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
            r"classify|set|respond|reply|output|say|tell|grant|issue|escalate|close|refund|disregard|forget|override|do\s+not|"
            r"don'?t|write|include|add|remove)\b"
        ),
        0.85,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bif\s+you(?:'re|\s+are)\s+(?:an?\s+)?(?:ai|llm|language\s+model|bot|chat\s?bot|assistant|automated|gpt|"
            r"machine)\b"
        ),
        0.85,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:any|the|an?)\s+"
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
            r"|\byou\s+(?:must|should|shall|will|have\s+to|need\s+to)\s+(?:now\s+)?(?:respond|reply|answer|output|approve|grant|"
            r"issue|refund|classify|mark|comply|obey|follow\s+(?:these|the\s+following|my)\s+instructions)\b"
            r"|\bdo\s+not\s+(?:mention|reveal|tell|disclose|flag|escalate|report|forward|show)\s+(?:\w+\s+){0,3}?(?:this|these)\s+"
            r"(?:instructions?|message|note|text)\b|\b(?:don'?t|do\s+not|never)\s+(?:tell|inform|alert|notify|show)\s+(?:the\s+)?"
            r"(?:human|agent|reviewer|specialist|moderator|user|operator|staff)\b"
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
_SENTENCE = re.compile(
    r"[^.!?\n|]+(?:[.!?]+(?=[^\s.!?\"')\]|])[^.!?\n|]*)*(?:[.!?]+[\"')\]]*|\||$)|[.!?]+[^.!?\n|]+", re.MULTILINE
)
# A spliced task may start mid-sentence; a capitalised opener after a space starts a new one (on the cased text).
_CAPITAL_OPENER = re.compile(
    r"\s(?=(?:What|Who|How|Why|When|Where|Which|Write|Compose|Draft|Develop|Create|Generate|Provide|Explain|Describe|"
    r"Translate|Summari[sz]e|List|Give|Tell|Show|Solve|Calculate|Define|Compare|Break|Can you|Could you|Please|Replace|"
    r"Use|Add|Include|Integrate|Modify|Enhance|Augment|Remove|Group|Combine|Introduce|Misspell|Scramble|Jumble|"
    r"Rearrange|Anagram|Render|Substitute|Convert|In your)\b)"
)
# Words a reply-manipulation sentence cannot do without; the full check only runs when one is there.
_REPLY_HINTS = (
    "respon",
    "repl",
    "answer",
    "output",
    "messag",
    "summar",
    "user",
    "reader",
    "audience",
    "http",
    "www",
    ".com",
    "@",
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'+#=-]*")
_URLISH = compile_rx(
    r"https?://|\bwww\.|\b[\w-]+\.(?:com|net|org|xyz|io|biz|info|ru|cn|co|app|site|online|link|top)\b|\b[\w.+-]+@[\w-]+\.\w+"
)
_REPLY_EDIT_VERBS = (
    r"(?:include|add|append|prepend|insert|integrate|incorporate|embed|augment|enhance|modify|replace|substitute|render|"
    r"convert|introduce|misspell|scramble|jumble|rearrange|anagram|group|remove|combine|reverse|encode|translate|tease|"
    r"hint|promote|encourage|invite|express|emphasi[sz]e|stress|highlight|direct|suggest|mention|recommend|weave|link|"
    r"point|offer|urge|remind|advertise|plug|format|rewrite|restructure|spell|capitali[sz]e|use|provide|make|write|end|"
    r"begin|start|sign|conclude|finish|put|present|deliver|structure|compose|craft|frame|shape|style|close)"
)
# Where the reply is the place being edited ("... in your response", "Modify your answer", "In your reply, ...").
_REPLY_REF = compile_rx(
    r"\b(?:in|into|to|within|throughout|of|from|at\s+the\s+(?:end|start|beginning|top|bottom)\s+of)\s+(?:the|your|ur|each|every)\s+"
    r"(?:\w+\s+)?" + _REPLY + r"(?:'s)?\b"
    r"|\b"
    + _REPLY_EDIT_VERBS
    + r"\w*\s+(?:up\s+)?(?:the\s+\w+\s+(?:of|in)\s+)?(?:your|ur|the)\s+(?:\w+\s+)?(?:"
    + _REPLY
    + r"|message|messages|text)(?:'s)?\b"
)
_REPLY_EDIT = compile_rx(r"\b" + _REPLY_EDIT_VERBS + r"(?:s|d|ed|ing)?\b")
_AUDIENCE = compile_rx(
    r"\b(?:encourag\w*|invit\w*|remind\w*|urg\w*|suggest\w*|direct\w*|tell\w*|ask\w*|advis\w*|recommend\w*|prompt\w*|"
    r"persuad\w*|convinc\w*)\s+(?:the\s+|all\s+|your\s+)?(?:users?|readers?|audience|recipients?|visitors?|people|everyone)\s+"
    r"(?:to|that)\b|\bfor\s+(?:the\s+)?(?:users?|readers?|audience)\s+to\b"
)
# What a requester legitimately asks to see in our reply.
_CUSTOMER_MATTER = compile_rx(
    r"\b(?:ticket|case\s+(?:number|id)|reference|order\s+(?:number|id)|transaction\s+id|refund|account\s+(?:number|id)|"
    r"status|timeline|eta)\b"
)
_TRANSFORM_OPENER = compile_rx(
    r"(?:please\s+)?(?:replace|substitute|convert|scramble|jumble|rearrange|misspell|introduce|remove|group|combine|reverse|"
    r"encode|translate|rewrite|use|render|spell|write|capitali[sz]e|swap|shuffle|insert|add|respond|reply|answer|format|"
    r"output|type)\b"
)
# Asking for a reply in a language is a normal request; styling it (capitals, emojis, ciphers) is not.
_LANGUAGE_ONLY = compile_rx(
    r"\b(?:respond|reply|answer|write|type)\s+(?:\w+\s+){0,2}?(?:in|into|using)\s+[a-z]+(?:\s+please)?\W*$"
)
_FIRST_PERSON = compile_rx(r"\b(?:i|i'm|i've|i'd|me|my|mine|myself)\b")


def _content_words(sentence: str) -> list[str]:
    return [
        w
        for w in (m.group().lower().strip("'-") for m in _WORD.finditer(sentence))
        if len(w) > 2 and w not in STOPWORDS
    ]


def _reply_manipulation(sentence: str) -> float:
    """Confidence that a sentence instructs how to write the reply (0 when it does not)."""
    urlish = _URLISH.search(sentence) is not None
    audience = _AUDIENCE.search(sentence) is not None
    if _REPLY_REF.search(sentence) is None:
        if audience and urlish:
            return 0.8
        if (
            TRANSFORM.search(sentence)
            and _TRANSFORM_OPENER.match(_strip_lead(sentence))
            and not _FIRST_PERSON.search(sentence)
            and not _LANGUAGE_ONLY.search(sentence)
        ):
            return 0.75
        return 0.0
    if TRANSFORM.search(sentence):
        return 0.85
    if _REPLY_EDIT.search(sentence) is None:
        return 0.0
    if urlish or audience:
        return 0.85
    if _FIRST_PERSON.search(sentence) or _CUSTOMER_MATTER.search(sentence):
        return 0.0
    return 0.75


def _spliced_task(sentence: str, rest_words: set[str]) -> float:
    """Confidence that a sentence is an off-topic task or quiz question dropped into other text."""
    stripped = _strip_lead(sentence)
    if not TASK_OPENER.match(stripped):
        return 0.0
    words = _content_words(stripped)
    if any(w in DOMAIN_WORDS for w in words):
        return 0.0
    strong = STRONG_TOPIC.search(stripped) is not None
    if len(words) < (1 if strong else 2):
        return 0.0
    overlap = sum(1 for w in set(words) if w in rest_words)
    if overlap > 1 or overlap / max(1, len(set(words))) >= 0.4:
        return 0.0
    return 0.75 if strong else 0.6


def _sentences(ctx: Context) -> list[tuple[int, int]]:
    cuts = [m.start() for m in _CAPITAL_OPENER.finditer(ctx.cased)]
    spans: list[tuple[int, int]] = []
    k = 0
    for match in _SENTENCE.finditer(ctx.cased):
        start, end = match.span()
        while k < len(cuts) and cuts[k] < start:
            k += 1
        while k < len(cuts) and cuts[k] < end:
            spans.append((start, cuts[k]))
            start = cuts[k] + 1
            k += 1
        spans.append((start, end))
    return [(s, e) for s, e in spans if not ctx.text[s:e].isspace() and s < e]


def _sentence_signals(ctx: Context) -> list[Signal]:
    """The first sentence that manipulates the reply or is a spliced task."""
    totals: Counter[str] | None = None
    for start, end in _sentences(ctx):
        sentence = ctx.text[start:end]
        confidence = 0.0
        if any(hint in sentence for hint in _REPLY_HINTS) or _TRANSFORM_OPENER.match(_strip_lead(sentence)):
            confidence = _reply_manipulation(sentence)
        if confidence == 0.0 and TASK_OPENER.match(_strip_lead(sentence)):
            if totals is None:
                totals = Counter(_content_words(ctx.text))
            own = Counter(_content_words(sentence))
            rest = {w for w, n in totals.items() if n > own.get(w, 0)}
            # Spliced into something: enough other text, or other text about a support matter.
            if sum(totals.values()) - sum(own.values()) >= 5 or any(w in DOMAIN_WORDS for w in rest):
                confidence = _spliced_task(sentence, rest)
        if confidence > 0.0:
            lead = len(sentence) - len(sentence.lstrip())
            return [make_signal(CODE, ctx.original, start + lead, end, confidence)]
    return []


def _strip_lead(sentence: str) -> str:
    return sentence.strip().strip("\"'([*-• ").strip()


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
    return any(len(token) >= 40 for token in text.split())


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
    return scan(ctx, RULES) + _sentence_signals(ctx) + _hidden_payloads(ctx)


def detect(ctx: Context) -> list[Signal]:
    """Prompt-injection signals in the text."""
    return detect_injection_signals(ctx)
