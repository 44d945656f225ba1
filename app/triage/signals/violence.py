"""``violence_threat`` floor: explicit threats to kill or hurt a person, made or reported, in en/es/pt.

A threat needs a stated intent and a *person* as the object ("I will kill you", "he said he'd stab me", "te voy
a matar", "vou te matar"); "I'll kill this boss", "my mom will kill me" and "I could murder a pizza" never match.
Game talk ("kill you in ranked"), banter ("I'll beat you up lol") and negation drop a match. Veiled menace and
everything else without the explicit words is left to the flag model (:mod:`app.triage.flag_classifier`).
"""

from __future__ import annotations

import re

from app.triage.signals.base import Rule
from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import in_game, laughs, light, negated_es_pt, rx

CODE = "violence_threat"

_GRAVE = compile_rx(r"\b(?:kill|murder|stab|shoot|rape)\b")
_NOT_VIOLENT_AFTER = compile_rx(
    r"\s+(?:(?:guys\s+|all\s+)?with\s+(?:kindness|love|facts|logic)|at\s+(?:chess|poker|karaoke)|an?\s+(?:email|message|"
    r"msg|text|dm|line|note|link|invite|pic))\b"
)


def _banter(text: str, match: re.Match[str]) -> bool:
    """Game talk, 'kill you with kindness', or laughter around a soft verb ('I'll beat you up lol')."""
    if in_game(text, match) or _NOT_VIOLENT_AFTER.match(text, match.end()) is not None:
        return True
    return laughs(text, match) and _GRAVE.search(match.group()) is None


_VERB = r"(?:kill|murder|stab|shoot|strangle|rape|hurt|beat\s+up)"
_OBJECT = (
    r"(?:you|u|ya|him|her|them|y'?all|everyone|your\s+(?:whole\s+)?(?:family|kids|wife|husband|mom|dad|children)"
    r"|(?:this|that|the)\s+(?:streamer|host|mod|guy|girl|bitch|bastard))(?!\w)"
)
_FIRST_PERSON_WILL = (
    r"(?:i'?ll|i\s+will|i'?m\s+(?:going\s+to|gonna)|im\s+(?:going\s+to|gonna)|i\s+am\s+going\s+to|we'?ll|we\s+will|"
    r"we'?re\s+(?:going\s+to|gonna)|i\s+swear\s+i'?ll)"
)
_THIRD_WILL = (
    r"(?:he|she|they)(?:'d|'ll|\s+would|\s+will|\s+is\s+going\s+to|\s+was\s+going\s+to|\s+gonna|'s\s+going\s+to)"
)

_I_WILL_KILL = compile_rx(
    rf"\b{_FIRST_PERSON_WILL}\s+(?:\w+\s+){{0,3}}?(?P<ev>{_VERB}\s+{_OBJECT}|beat\s+(?:you|u|him|her|them)\s+up)"
)
_REPORTED = compile_rx(
    r"\b(?:threatened|threatens|is\s+threatening|keeps\s+threatening|said|says|saying|told\s+me|wrote|messaged\s+me|"
    rf"texted\s+me)\s+(?:that\s+)?(?:to\s+|{_THIRD_WILL}\s+)(?:\w+\s+)?(?P<ev>{_VERB}\s+(?:me|us|my\s+\w+))\b"
)
_FAMILY_BEFORE = compile_rx(
    r"\b(?:mom|mum|mother|dad|father|parents|wife|husband|gf|bf|girlfriend|boyfriend|boss|teacher|grandma|family)\s+"
    r"(?:\w+\s+){0,2}$"
)


def _family_idiom(text: str, match: re.Match[str]) -> bool:
    """'my mom said she'll kill me if I spend more' is hyperbole; 'a viewer says he will kill me' is a report."""
    return _FAMILY_BEFORE.search(text, max(0, match.start() - 30), match.start()) is not None


_WHERE_YOU_LIVE = compile_rx(
    r"\b(?:i|we|he|she|they)\s+(?:know|knows|found\s+out)\s+where\s+(?:you|u|i|we)\s+(?:live|work|sleep)\b"
)
_ES = rx(
    r"\bte\s+(?:voy|vamos)\s+a\s+(?:matar|apuñalar|disparar|golpear)\b|\b(?:voy|vamos)\s+a\s+(?:matarte|apuñalarte|"
    r"golpearte)\b|\bte\s+mato\b|\bsé\s+dónde\s+vives\b|\bme\s+amenaz(?:ó|a|aron)\s+con\s+matarme\b"
)
_PT = rx(
    r"\b(?:vou|vamos)\s+(?:te\s+(?:matar|esfaquear)|matar\s+(?:você|vc))\b|\bsei\s+onde\s+(?:você|vc|tu)\s+mora\b"
    r"|\bameaç(?:ou|a|aram)\s+(?:de\s+)?me\s+matar\b"
)
_ES_PT = (negated_es_pt, in_game, light)

ALL_RULES: tuple[Rule, ...] = (
    Rule("violence.i_will_kill_you", CODE, _I_WILL_KILL, 0.9, guards=(_banter,)),
    Rule("violence.reported_threat", CODE, _REPORTED, 0.9, guards=(in_game, _family_idiom)),
    Rule("violence.death_threat", CODE, compile_rx(r"\b(?:death|rape|bomb)\s+threats?\b"), 0.9),
    Rule("violence.know_where_you_live", CODE, _WHERE_YOU_LIVE, 0.9),
    Rule("violence.es_i_will_kill_you", CODE, _ES, 0.9, negatable=False, guards=_ES_PT),
    Rule("violence.pt_i_will_kill_you", CODE, _PT, 0.9, negatable=False, guards=_ES_PT),
)
