"""``minor_safety`` floor: explicit sexual risk to a minor, in English, Spanish and Portuguese.

The rules fire on an adult asking a minor for nudes, a stated age under 18 ("she's 13", "my 12 year old", "tiene
12 años", "menor de idade") *with* sexual wording next to it, the words for child abuse material, and grooming of
a child. A child merely mentioned, minors gifting or hosting, and grooming described without the word are the
flag model's job (:mod:`app.triage.flag_classifier`).
"""

from __future__ import annotations

import re

from app.triage.signals.base import Rule
from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import asks, negated_es_pt, rx, sentence_at

CODE = "minor_safety"

_SEXUAL = rx(
    r"\b(?:nudes?|naked|sexual\w*|sex|sexting|sexts?|explicit|lewd|porn\w*|undress\w*|strip(?:ping)?|dick\s+pics?|"
    r"packs?|desnud\w*|pelad[oa]s?|sin\s+ropa|sem\s+roupa|íntimas?|sexo|pornô|erótic\w*|solicit\w*|(?:asking|asked|asks)\s+"
    r"(?:me\s+|her\s+|him\s+)?for\s+(?:pics|photos|selfies)|take\s+off\s+(?:her|his|your|my)\s+(?:clothes|shirt|top|hoodie)|"
    r"quit\w*\s+la\s+(?:ropa|sudadera|camisa|blusa)|tir\w*\s+a\s+(?:roupa|blusa|camisa))\b"
)
_THING_BEFORE = compile_rx(
    r"\b(?:account|profile|channel|video|app|phone|game|card|car|cuenta|conta)\s+(?:\w+\s+){0,2}$"
)
_RULE_QUESTION = compile_rx(r"^\s*(?:can|could|are|is|do|does|may|should|what|how|puede[ns]?|pode[mn]?)\b")


def _not_a_childs_sexual_risk(text: str, match: re.Match[str]) -> bool:
    """Drop unless the age is a person's and sexual wording is near; 'can 16 year olds post ...?' asks about a
    rule and reports no child."""
    if _THING_BEFORE.search(text, max(0, match.start() - 30), match.start()) is not None:
        return True
    if asks(text, match.end()) and _RULE_QUESTION.match(sentence_at(text, match.start(), match.end())) is not None:
        return True
    return _SEXUAL.search(text, max(0, match.start() - 120), min(len(text), match.end() + 120)) is None


_MINOR = r"(?:1[0-7]|[4-9])(?!\d)"  # an age from 4 to 17
_CHILD = (
    r"(?:kids?|child(?:ren)?|daughter|son|minors?|niece|nephew|little\s+(?:sister|brother|girl|boy)|teen(?:ager)?s?)"
)
_AGED = (
    r"(?:" + _MINOR + r"[\s-]?(?:years?|yrs?|yr)[\s-]?old|" + _MINOR + r"\s?yo|underage|young)\s+"
    r"(?:girl|boy|kid|child|user|viewer|daughter|son|sister|brother)s?"
)
_ASKS_FOR_NUDES = compile_rx(
    r"\b(?:ask(?:ed|ing|s)?|beg(?:ged|ging|s)?|pressur(?:ed|ing|es)|want(?:ed|s)?|told|telling|get(?:ting)?|"
    r"convinc(?:ed|ing))\s+(?:my\s+|a\s+|an\s+|the\s+|this\s+|other\s+)?(?:" + _CHILD + r"|" + _AGED + r")\b"
    r"[^.!?\n]{0,40}?\b(?:nudes?|naked\s+\w+|explicit\s+\w+|sexy\s+\w+|lewd\s+\w+|to\s+(?:undress|strip))\b"
)
_MINOR_AGE = compile_rx(
    rf"\b(?:i'?m|im|i\s+am|she'?s|she\s+is|he'?s|he\s+is|they'?re|who'?s|who\s+is)\s+(?:only\s+|just\s+)?{_MINOR}"
    rf"(?:\s*(?:years?\s+old|yo|y/o))?(?![\w%$.,:/])|\b{_MINOR}[\s-]?(?:years?|yrs?|yr)[\s-]?olds?\b"
    rf"|\b{_MINOR}\s?(?:yo|y/o)\b|\b(?:a\s+minor|minors|underage|under[\s-]age)\b"
)
_CSAM = compile_rx(
    r"\b(?:csam|child\s+(?:porn\w*|sexual\s+abuse|abuse\s+material|exploitation)|cp\s+(?:links?|videos?|trading)|"
    r"kiddie\s+porn|p(?:a)?edophil\w*)\b"
)
_GROOMING = compile_rx(
    r"\bgroom(?:ing|ed|s)?\s+(?:a\s+|the\s+|my\s+|our\s+|young\s+)?(?:" + _CHILD + r"|girls?|boys?|students?)\b"
    r"|\b(?:is|was|been|being|accused\s+of|caught)\s+grooming\b"
    r"(?!\s+(?:\w+\s+)?(?:dogs?|cats?|pets?|horses?|puppy|beard|hair|lawn)\b)"
)
_ES_PT = rx(
    rf"\bmenor(?:es)?\s+de\s+(?:edad|idade)\b|\b(?:tiene|tengo|tem|tenho)\s+(?:solo\s+|sólo\s+|apenas\s+|só\s+)?{_MINOR}"
    rf"\s+(?:años|anos)\b|\b(?:niñ[oa]|hij[oa]|menin[oa]|filh[oa]|criança)\s+de\s+{_MINOR}\s+(?:años|anos)\b"
)


ALL_RULES: tuple[Rule, ...] = (
    Rule("minor_safety.asks_minor_for_nudes", CODE, _ASKS_FOR_NUDES, 0.95),
    Rule("minor_safety.minor_with_sexual_content", CODE, _MINOR_AGE, 0.85, guards=(_not_a_childs_sexual_risk,)),
    Rule("minor_safety.csam", CODE, _CSAM, 0.9),
    Rule("minor_safety.grooming", CODE, _GROOMING, 0.9),
    Rule("minor_safety.es_pt_minor_sexual", CODE, _ES_PT, 0.85, False, (negated_es_pt, _not_a_childs_sexual_risk)),
)
