"""``prompt_injection`` floor: explicit markers of text that tries to instruct the assistant.

Used for inbound messages and, through :func:`app.triage.signals.detect_injection`, for knowledge-base articles
before they are indexed. The markers are fake chat-template or role tags ("<|im_start|>system", "[INST]"), the
"ignore (all) previous instructions" family in English, Spanish and Portuguese, chat-role labels followed by an
instruction ("assistant: new task"), new personas ("you are now DAN"), requests to reveal the prompt, notes and
orders addressed to the AI, HTML comments that address the AI, and base64 blobs that decode to readable text.
"Ignore my previous message" is a correction, not an injection. Reply manipulation and tasks spliced into a
message ("Write a poem about ...") are the flag model's job (:mod:`app.triage.flag_classifier`).
"""

from __future__ import annotations

import base64
import binascii
import re

from app.triage.signals.base import Rule
from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import rx

CODE = "prompt_injection"

_IMPERATIVE = compile_rx(
    r"\b(?:ignore|disregard|respond|reply|answer|say|tell|write|include|add|output|approve|mark|classify|you\s+(?:must|"
    r"are|should)|assistant|ai|bot|model|system|instructions?)\b"
)


def _comment_not_addressed(text: str, match: re.Match[str]) -> bool:
    """An HTML comment is only a marker when it instructs or names the assistant."""
    return _IMPERATIVE.search(match.group("body")) is None


def _not_readable_text(text: str, match: re.Match[str]) -> bool:
    """A base64 blob is a payload when it decodes to words hidden from a human reviewer, not a token or a hash."""
    blob = match.group()
    try:
        raw = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True)
    except (binascii.Error, ValueError):
        return True
    printable = sum(1 for b in raw if 32 <= b < 127 or b in (9, 10, 13))
    return not raw or printable / len(raw) <= 0.95 or raw.count(b" ") < 3


_AI = r"(?:ai|a\.i\.|assistant|bot|chat\s?bot|llm|language\s+model|model|gpt|chatgpt)s?"
_ROLE_TAGS = compile_rx(
    r"<\|?\s*(?:im_start|im_end|system|endoftext|eot_id|start_header_id)\s*\|?>|\[/?inst\]|<</?sys>>"
    r"|</?(?:system|assistant|developer|instructions?|sys)>|\[\s*(?:system|developer)\s*\]\s*:"
    r"|\[\s*(?:system|developer|admin)\s+(?:override|prompt|instructions?|note|mode)\s*\]|#{2,6}\s*(?:system|new\s+"
    r"instructions?)\b|\brole\s*[:=]\s*[\"']?(?:system|developer)\b|\b(?:system|admin|developer)\s+override\b"
)
_IGNORE_PREVIOUS = compile_rx(
    r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|the\s+|your\s+|of\s+)*(?:previous|prior|above|"
    r"earlier|preceding|original|system|safety)\s+(?:\w+\s+)?(?:instructions?|prompts?|rules|directions|directives|"
    r"guidelines|commands?|programming)\b(?!\s+(?:i|we)\s+(?:gave|sent|wrote|left))"
    r"|\b(?:ignore|disregard|forget)\s+(?:all\s+)?your\s+(?:instructions|rules|guidelines|programming)\b"
    r"|\b(?:ignore|disregard|forget)\s+everything\s+(?:above|before|you\s+(?:were|have\s+been)\s+told)\b"
)
_ES_PT_IGNORE = rx(
    r"\b(?:ignora|ignore|olvida|esquece|esqueça|desconsidera)\s+(?:todas\s+)?(?:(?:las|as)\s+(?:instrucciones|"
    r"instruções)\s+(?:anteriores|previas|prévias)|(?:tus|sus|suas|tuas)\s+(?:instrucciones|instruções|reglas|regras))\b"
)
_REVEAL_PROMPT = rx(
    r"\b(?:reveal|show|print|repeat|output|display|leak|dump|tell\s+me|give\s+me|share)\s+(?:me\s+)?(?:your\s+(?:(?:full|"
    r"entire|exact|original|initial|hidden|secret|system)\s+)*prompt|the\s+(?:original|initial|hidden|secret|system)\s+"
    r"prompt)\b|\b(?:reveal|print|repeat|output|dump|leak)\s+(?:me\s+)?your\s+(?:\w+\s+)?instructions\b"
    r"|\bsystem\s+prompt\b|\bprompt\s+(?:del?|do)\s+sistema\b|\b(?:revela|muestra|muéstrame|mostra|mostre)\s+"
    r"(?:tu|tus|seu|suas|o|el)\s+(?:prompt|instrucciones|instruções)\b"
)
_OVERRIDE = r"(?:pretend|you\s+are\s+now|you\s+must|ignore|disregard|forget|from\s+now\s+on)"
_NOTE_TO_AI = rx(
    rf"\b(?:note|instructions?|memo)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?{_AI}\b"
    rf"|\b(?:(?:hey|dear|hi|hello|attention)\s+(?:the\s+)?(?:ai\s+)?{_AI}|assistant)\s*[,:!]\s*(?:\w+\s+){{0,3}}?{_OVERRIDE}"
    r"|\bwhen\s+(?:you\s+)?(?:draft|writ|generat|compos|prepar)\w*\s+(?:a|the|your)\s+(?:reply|response|answer)\b"
    r"[,\s]+(?:\w+\s+){0,4}?(?:include|add|say|tell|mention|insert|approve)\b"
    r"|\bif\s+you\s+are\s+an?\s+(?:ai|llm|language\s+model|assistant)\b[,\s]+(?:then\s+|you\s+must\s+|please\s+)?"
    r"(?:ignore|approve|mark|classify|set|respond|reply|say|output|include|add|disregard|forget)\b"
    r"|\b(?:nota|instrucci(?:ón|ones)|instruç(?:ão|ões)|recado)\s+para\s+(?:el|la|a|o)\s+(?:ia|asistente|assistente|bot|"
    r"modelo)\b"
)
_ROLE_LABEL = compile_rx(
    r"\b(?:system|assistant|developer)\s*:\s*(?:new\s+(?:task|instructions?|policy|rules?)|you\s+(?:are|must|will|should)\b"
    r"|ignore|disregard|forget|from\s+now\s+on|stop\s+being|the\s+(?:assistant|ai|model)\s+(?:must|should|will))"
)
_PERSONA = compile_rx(
    r"\bfrom\s+now\s+on,?\s+you\s+are\b|\byou\s+are\s+now\s+(?:dan\b|in\s+\w+\s+mode\b|an?\s+(?:unrestricted|unfiltered|"
    r"jailbroken|uncensored)\b)"
)
_COMMENT = compile_rx(r"<!--(?P<body>.{0,500}?)-->", re.DOTALL)
_BASE64 = compile_rx(r"(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/=_-])")

ALL_RULES: tuple[Rule, ...] = (
    Rule("injection.role_tags", CODE, _ROLE_TAGS, 0.9, negatable=False),
    Rule("injection.ignore_previous", CODE, _IGNORE_PREVIOUS, 0.95, negatable=False),
    Rule("injection.es_pt_ignore_previous", CODE, _ES_PT_IGNORE, 0.95, negatable=False),
    Rule("injection.reveal_prompt", CODE, _REVEAL_PROMPT, 0.85, negatable=False),
    Rule("injection.role_label", CODE, _ROLE_LABEL, 0.85, negatable=False),
    Rule("injection.persona", CODE, _PERSONA, 0.85, negatable=False),
    Rule("injection.note_to_ai", CODE, _NOTE_TO_AI, 0.85, negatable=False),
    Rule("injection.hidden_comment", CODE, _COMMENT, 0.85, negatable=False, guards=(_comment_not_addressed,)),
    Rule("injection.base64_payload", CODE, _BASE64, 0.75, negatable=False, guards=(_not_readable_text,), cased=True),
)
