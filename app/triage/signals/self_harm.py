"""``self_harm`` floor: explicit statements of intent to die or to self-harm, in English, Spanish and Portuguese.

These rules only fire on the explicit wording ("I want to kill myself", "me quiero matar", "vou me matar", "kms",
"self-harming"), the writer's own or reported about someone else; indirect despair is the flag model's job
(:mod:`app.triage.flag_classifier`). The guards are the cheap ones chat needs: negation ("I would never hurt
myself"), a joke about a trivial cause ("this lag makes me wanna kms lol"), idioms ("kill myself laughing",
"me muero de risa") and talk about the topic or its moderation ("my stream got flagged for self-harm").
"""

from __future__ import annotations

import re

from app.triage.signals.base import Rule
from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import idiom_es_pt, joking, light, negated_es_pt, rx

CODE = "self_harm"

_NOT_INTENT_BEFORE = compile_rx(
    r"\b(?:polic(?:y|ies)|guidelines?|rules?|standards?)\s+(?:on|about|for|around|against)\s+(?:\w+\s+){0,2}$"
    r"|\b(?:flagged|removed|banned|muted|striked|taken\s+down)\s+(?:for|as)\s+(?:\w+\s+)?$"
    r"|\b(?:cat|dog|pet|puppy|kitten|bird|character|avatar)s?\s+(?:\w+\s+){0,2}$"
)
_NOT_INTENT_AFTER = compile_rx(
    r"\s*(?:prevention|awareness|hotline|helpline|resources|content|squad|laughing|lol)\b"
    r"|\s+(?:(?:of|from)\s+(?:laughter|embarrassment|boredom|cringe)|for\s+(?:this|that|it)|off|short|some\s+slack|"
    r"a\s+break|loose)\b|[^.!?\n]{0,40}\b(?:cooking|kitchen|shaving|accident\w*|by\s+mistake)\b"
)


def _not_intent(text: str, match: re.Match[str]) -> bool:
    """The topic or its moderation ('policy on self-harm content', 'flagged for self-harm', 'Suicide Squad'), an
    idiom ('kill myself laughing', 'die of embarrassment', 'cut myself a break'), a pet or an accident."""
    return (
        _NOT_INTENT_BEFORE.search(text, max(0, match.start() - 50), match.start()) is not None
        or _NOT_INTENT_AFTER.match(text, match.end()) is not None
    )


_SELF = r"(?:my|him|her|them)\s?sel(?:f|ves)\b"
_ES_PT = (negated_es_pt, idiom_es_pt, joking)

_KILL_MYSELF = compile_rx(
    r"\b(?:kill(?:ing|ed)?|hang(?:ing|ed)?|unaliv(?:e|ing|ed)|off(?:ing)?|end(?:ing)?)\s+" + _SELF
)
_SUICIDAL = compile_rx(
    r"\b(?:i'?m|im|i\s+am|feel(?:ing)?|been|he'?s|she'?s|they'?re|is|was)\s+(?:so\s+|really\s+|very\s+|kinda\s+)?"
    r"suicidal\b|\b(?:commit(?:ting)?|thinking\s+(?:about|of)|thoughts\s+of|attempted)\s+suicide\b|\bsuicidal\s+thoughts\b"
)
_END_MY_LIFE = compile_rx(
    r"\b(?:end(?:ing)?|take|taking)\s+(?:my|his|her|their)\s+(?:own\s+)?li(?:fe|ves)\b|\bend(?:ing|ed)?\s+it\s+all\b"
)
_WANT_TO_DIE = compile_rx(
    r"\b(?:want|wants|wanted|wanna|wish|ready)\s+(?:to\s+)?die\b|\bwish\s+i\s+(?:was|were)\s+dead\b"
)
_NOT_LIVE = compile_rx(
    r"\b(?:don'?t|do\s+not|no\s+longer)\s+(?:\w+\s+)?(?:want|wanna)\s+(?:to\s+)?(?:live|be\s+alive)\b"
    r"(?!\s*(?:stream|on\b|with\b|in\b|there|here|like))|\bnothing\s+(?:left\s+)?to\s+live\s+for\b"
    r"|\bno\s+(?:reason|point)\s+(?:to|in)\s+(?:keep\s+)?(?:live|living|being\s+alive)\b"
)
_KYS = compile_rx(r"\b(?:kys|(?:go|should)\s+(?:kill|hang)\s+(?:ur|your)\s?self)\b")
_SELF_HARM = compile_rx(
    r"\bself[\s-]?harm(?:ing|ed)?\b|\b(?:cut(?:ting)?|hurt(?:ing)?|harm(?:ing)?|burn(?:ing)?)\s+" + _SELF
)
_OVERDOSE = compile_rx(
    r"\b(?:took|take|taking|swallowed)\s+(?:a\s+(?:whole\s+)?bottle\s+of|too\s+many|a\s+handful\s+of)\s+"
    r"(?:\w+\s+){0,2}?(?:pills|meds|tablets|painkillers)\b|\boverdos(?:ed|ing)\b"
)
_ES = rx(
    r"\bme\s+(?:voy\s+a|quiero|kiero)\s+(?:matar|suicidar|morir)\b|\b(?:quiero|quisiera)\s+(?:morirme|matarme|"
    r"suicidarme)\b|\b(?:matarme|suicidarme|quitarme\s+la\s+vida)\b|\bse\s+(?:va\s+a|quiere)\s+(?:matar|suicidar)\b"
    r"|\b(?:ya\s+)?no\s+quiero\s+(?:seguir\s+)?vivir\b(?!\s+(?:en|aquí|acá|con|así)\b)"
)
_PT = rx(
    r"\b(?:vou|vô|quero|queria|vontade\s+de|pensando\s+em)[\s-]+me\s+(?:matar|suicidar)\b|\b(?:quero|queria)\s+morrer\b"
    r"|\b(?:vai|quer)\s+se\s+(?:matar|suicidar)\b|\btirar\s+(?:a\s+)?minha\s+(?:própria\s+)?vida\b"
    r"|\bnão\s+quero\s+mais\s+viver\b(?!\s+(?:aqui|em|nessa|nesta|com)\b)"
)

ALL_RULES: tuple[Rule, ...] = (
    Rule("self_harm.kill_myself", CODE, _KILL_MYSELF, 0.95, guards=(joking, _not_intent)),
    Rule("self_harm.suicidal", CODE, _SUICIDAL, 0.95, guards=(joking, _not_intent)),
    Rule("self_harm.end_my_life", CODE, _END_MY_LIFE, 0.95, guards=(joking,)),
    Rule("self_harm.want_to_die", CODE, _WANT_TO_DIE, 0.8, guards=(light, _not_intent)),
    Rule("self_harm.dont_want_to_live", CODE, _NOT_LIVE, 0.9, negatable=False, guards=(joking,)),
    Rule("self_harm.kms", CODE, compile_rx(r"\bkms\b"), 0.85, guards=(joking,)),
    Rule("self_harm.kys", CODE, _KYS, 0.75, guards=(light,)),
    Rule("self_harm.self_harm", CODE, _SELF_HARM, 0.85, guards=(joking, _not_intent)),
    Rule("self_harm.overdose", CODE, _OVERDOSE, 0.85, guards=(light,)),
    Rule("self_harm.es_kill_myself", CODE, _ES, 0.9, negatable=False, guards=_ES_PT),
    Rule("self_harm.pt_kill_myself", CODE, _PT, 0.9, negatable=False, guards=_ES_PT),
)
