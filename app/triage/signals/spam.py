"""Forwarded scam messages: "I got this text, is it you? URGENT! You have won a £1000 prize, call 0906...".

A requester who pastes a prize/claim/premium-number text is reporting a scam even when they never say "scam".
Each cue of the classic scam SMS or e-mail (a prize, a call to action with a short code or premium number, a
tariff, urgency, a link) adds weight; when the message is framed as forwarded ("I got this text", "is this
legit?") a lower total is enough, because the requester has already said the text is not theirs.
"""

from __future__ import annotations

import re

from app.triage.signals.base import Context, Rule, Signal, first_match, make_signal
from app.triage.signals.patterns import WordPattern, compile_rx

CODE = "fraud_scam"

# (pattern, weight): weights were set by hand from what scam texts are known to contain, then sanity-checked on
# half of the SMS development set and measured on the other half (see benchmarks/signals_external.py).
_CUES: tuple[tuple[WordPattern, float], ...] = tuple(
    (WordPattern(p), w)
    for p, w in (
        (r"\b(?:won|winner|winners|winning|win)\b", 1.0),
        (
            r"\b(?:prize|prizes|award(?:ed)?|reward|jackpot|lottery|lucky|bonus|voucher|vouchers|giveaway|sweepstake)\b",
            1.2,
        ),
        (r"\b(?:congratulations|congrats|selected|chosen|specially)\b", 0.8),
        (r"\bguarantee(?:d)?\b", 1.0),
        (r"\b(?:claim|redeem|collect)\b", 1.2),
        (
            r"\b(?:urgent|urgently|immediately|asap|expires?|expiry|final\s+(?:notice|attempt|chance|reminder)|last\s+chance|"
            r"limited\s+time|act\s+now|2nd\s+attempt|second\s+attempt|valid\s+(?:for\s+)?\d+\s*(?:hrs|hours|days))\b",
            1.0,
        ),
        (
            r"\b(?:call|ring|dial|phone)\s+(?:us\s+)?(?:now\s+)?(?:on\s+|free\s+on\s+|free\s+)?(?:\+?\d[\d\s-]{7,}\d)",
            1.5,
        ),
        (r"\b0(?:8|9)\d{2}\s?\d{3}\s?\d{3,4}\b|\b0(?:8|9)\d{8,10}\b", 1.5),
        (r"\b(?:text|txt|reply|send|sms)\s+(?:\w+\s+){0,3}?(?:to|on)\s+\d{4,6}\b", 1.5),
        (r"\b\d{4,6}\b", 0.3),
        (
            r"\b\d+(?:\.\d+)?p\s*(?:/|per)?\s*(?:min|msg|minute|wk|week|txt|text|sms|pm)\b|\bppm\b|\b\d+p\b|\bstd\s+(?:txt\s+)?rate"
            r"|\bt\s*&\s*c'?s?\b|\bts\s*&\s*cs\b|\bt\s*'?s\s*&\s*c'?s\b|\bterms\s+(?:and|&)\s+conditions\b|\bpo\s*box\b",
            1.5,
        ),
        (
            r"\b(?:opt[\s-]?out|unsub(?:scribe)?|stop\s+to\s+\d+|(?:send|reply|txt|text)\s+stop|stop\s*sms|to\s+stop)\b",
            1.2,
        ),
        (r"\b(?:16|18)\+|\bover\s*18'?s\b|\b18\s*yrs\b", 0.8),
        (r"[£€$]\s?\d[\d,]*(?:\.\d\d)?|\b\d[\d,]*\s?(?:pounds|gbp|usd|dollars|euros?)\b", 0.8),
        (r"\b(?:cash|money|credit|loan|loans|debt|points|un-?redeemed)\b", 0.5),
        (r"\bfree(?:msg|phone|fone|call|mins|txt|text)?\b", 1.0),
        (r"https?://|\bwww\.|\b[a-z0-9-]+\.(?:com|co\.uk|net|biz|info|org|tv|xyz|ru|top)\b", 1.0),
        (
            r"\b(?:ringtones?|tones|polys?|wallpapers?|camera\s+phones?|mobile\s+(?:update|upd8)|latest\s+(?:\w+\s+)?(?:phone|mobile)|"
            r"videophones?|nokia|motorola|sony|ipod|dvd|holiday|flights?|trip|hotel|cruise)\b",
            0.8,
        ),
        (
            r"\b(?:dating|singles|chat\s*line|xxx|sexy|horny|naughty|babes|hot\s+(?:girls|singles)|secret\s+admirer|fancies\s+you|"
            r"rude|adult)\b",
            1.0,
        ),
        (
            r"\b(?:valued|network|loyal(?:ty)?|our)\s+customer\b|\bcustomer\s+(?:service|services|care|loyalty)\b|\bcustcare\b",
            1.0,
        ),
        (
            r"\b(?:offer|offers|deal|discount|subscription|subscriber|member(?:ship)?|entry|draw|quiz|comp|competition)\b",
            0.6,
        ),
        (
            r"\b(?:account|card|bank|password|pin)\b[^.!?\n]{0,40}\b(?:suspend\w*|lock\w*|verify|verif\w+|confirm|update|"
            r"unusual|blocked|expire\w*)\b",
            1.5,
        ),
        (r"\b(?:click|tap|visit|go\s+to|log\s*onto|logon|goto)\s+(?:\w+\s+){0,3}?(?:link|here|https?://|www\.)", 1.2),
        (r"\b(?:ur|u|4|2)\b", 0.15),
        (r"\b(?:txt|msg|mob|mobile|wk|pw|pm|sp|tc|min|mins)\b", 0.4),
    )
)
# Matched on the cased text: "txt WIN to ...", and shouting in capitals.
_KEYWORD_REPLY = re.compile(r"\b(?:[Tt]ext|[Tt]xt|TXT|TEXT|[Ss]end|SEND|[Rr]eply|REPLY)\s+[A-Z]{2,}\b")
_CAPS_WORD = re.compile(r"\b[A-Z]{3,}\b")
# Cheap first look: scam texts name a prize, a short code, a premium number or a tariff. Without a forwarding
# frame, two different ones are needed before the full scoring runs (and can only then reach its threshold).
_STRONG_CUE = compile_rx(
    r"prize|winner|won\b|win\b|claim|urgent|txt|ringtone|guarantee|congrat|voucher|award|selected|£|www\.|https?:|unsub|"
    r"opt\s?out|stop\s+to|t\s?&\s?c|free\b|cash\b|call\b|text\b|reply\b|offer|bonus"
)
_LONG_NUMBER = re.compile(r"\d{5}")
_MAX_REGION = 1200
_FRAMED_THRESHOLD = 2.5
_UNFRAMED_THRESHOLD = 6.0
_MAX_EVIDENCE = 240


# How a requester introduces a forwarded message ("I got this text", "is this legit?"). They are rules only to
# share the one-pass trigger index; a match lowers the bar, it raises no signal of its own.
FRAME_RULES: tuple[Rule, ...] = (
    Rule(
        CODE,
        compile_rx(
            r"\b(?:got|get|getting|received|receiving|recieved|receive|sent\s+me|texted\s+me|messaged\s+me|dm'?d\s+me|"
            r"forward(?:ed|ing)?|copied|copying|pasting|pasted|screenshotted)\s+(?:me\s+|you\s+)?(?:this|these|the\s+following|"
            r"that|a|an)\s+(?:(?:weird|strange|suspicious|random|odd|fake|scam|spam|dodgy|sketchy|creepy|new)\s+)?"
            r"(?:text|texts|sms|message|messages|msg|email|e-mail|mail|dm|dms|whatsapp|voicemail)\b"
            r"|\b(?:forward(?:ed|ing)?|sent|texted|copied|pasted)\s+(?:me\s+|you\s+)?(?:this|these|the\s+following|below)\s*[:.,-]"
            r"|\b(?:got|received|recieved)\s+this\s*(?:today|yesterday|earlier|just\s+now|last\s+night)?\s*[:.,!-]"
        ),
        0.0,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bis\s+(?:this|it|that)\s+(?:(?:text|sms|message|msg|email|e-mail|dm)\s+)?(?:really\s+)?(?:you|from\s+you|"
            r"from\s+(?:you\s+guys|streamnest|support|your\s+team)|legit|real|genuine|official|safe|true|a\s+scam|spam|"
            r"phishing|fake)\b"
        ),
        0.0,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:this|the\s+following|that)\s+(?:text|sms|message|msg|email|e-mail|dm)\s*(?::|\?|says|said|reads)"
        ),
        0.0,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(r"\b(?:they|he|she|someone|somebody|it)\s+(?:said|says|wrote|writes|texted|sent)\s*:"),
        0.0,
        negatable=False,
    ),
)
ALL_RULES: tuple[Rule, ...] = FRAME_RULES


def forward_frame(ctx: Context) -> re.Match[str] | None:
    """The earliest phrase that introduces a forwarded or quoted message, if any."""
    found = [m for rule in FRAME_RULES if (m := first_match(ctx, rule)) is not None]
    return min(found, key=lambda m: m.start()) if found else None


def spam_score(text: str, cased: str) -> tuple[float, int, int]:
    """Weighted count of scam cues (``text`` folded, ``cased`` the same with case) and the span they cover."""
    score = 0.0
    first, last = len(text), 0
    for pattern, weight in _CUES:
        match = pattern.search(text)
        if match is None:
            continue
        score += weight
        first, last = min(first, match.start()), max(last, match.end())
    keyword = _KEYWORD_REPLY.search(cased)
    if keyword:
        score += 1.5
        first, last = min(first, keyword.start()), max(last, keyword.end())
    caps = len(_CAPS_WORD.findall(cased))
    if caps >= 2:
        score += min(1.0, 0.25 * caps)
    return score, first, last


def detect(ctx: Context) -> list[Signal]:
    """A forwarded or pasted message that reads like scam spam."""
    frame = forward_frame(ctx)
    start = frame.start() if frame is not None else 0
    end = min(len(ctx.text), start + _MAX_REGION)
    if frame is None:
        cues = {m.group() for m in _STRONG_CUE.finditer(ctx.text, start, end)}
        if _LONG_NUMBER.search(ctx.text, start, end):
            cues.add("number")
        if len(cues) < 2:
            return []
    score, first, last = spam_score(ctx.text[start:end], ctx.cased[start:end])
    threshold = _FRAMED_THRESHOLD if frame is not None else _UNFRAMED_THRESHOLD
    if score < threshold or last <= first:
        return []
    confidence = min(0.9, 0.45 + 0.05 * score)
    return [make_signal(CODE, ctx.original, start + first, start + min(last, first + _MAX_EVIDENCE), confidence)]
