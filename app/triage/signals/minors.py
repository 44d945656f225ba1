"""``minor_safety``: a child or underage user on LIVE, grooming, sexual requests to minors, minors spending.

Ages are read from phrasings with a person as subject ("she's only 13", "my 12-year-old", "I'm 16") and must be
under 18; quantities that look like ages ("15 days", "only 12 coins left") are excluded by what follows them.
"""

from __future__ import annotations

import re

from app.triage.signals.base import Context, Rule, Signal, alt, scan
from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import sentence_at, sentence_bounds

CODE = "minor_safety"

_MINOR_NOUN = alt(
    "kids?", "child", "children", "minors", "a\\s+minor", "the\\s+minor", "toddlers?", "pre-?teens?", "tweens?",
    "little\\s+(?:girls?|boys?|kids?|ones?|sister|brother)", "young\\s+(?:girls?|boys?|kids?|teens?|children)",
    "school\\s*(?:girls?|boys?|kids?|children)", "underage\\s+\\w+", "under-?age\\s+\\w+", "teens?", "teenagers?",
)  # fmt: skip
_FAMILY_MINOR = alt(
    "kids?", "child", "children", "son", "sons", "daughters?", "little\\s+(?:one|brother|sister|bro|sis)",
    "younger\\s+(?:brother|sister)", "lil\\s+(?:bro|sis|brother|sister|one)", "teen(?:ager)?",
    "grand(?:son|daughter|kid|child)s?", "nephew", "niece",
    "step(?:son|daughter)", "baby\\s+(?:brother|sister)",
)  # fmt: skip
_NOT_AGE_AFTER = compile_rx(
    r"\s*(?:%|\$|€|£|[.,:/]\d|x\b|\+|k\b|m\b|days?|weeks?|months?|hours?|hrs?|mins?|minutes?|seconds?|secs?|"
    r"coins?|diamonds?|gifts?|dollars?|usd|eur|euros?|pounds?|followers?|subs|subscribers?|times|pm|am|levels?|"
    r"streams?|lives?|videos?|messages?|people|viewers?|likes?|points?|tickets?|cases?|items?|of\s+(?:them|us|my|the)|"
    r"hosts?|members?|streamers?|creators?|accounts?|friends?|sisters?|brothers?|girls?|boys?|guys?|in\s+total|"
    r"or\s+\d|-\s*\d|to\s+\d|and\s+\d|inch|cm|kg|lbs?|feet|ft|miles?|km|percent|in\s+line|on\s+the\s+list|left|"
    r"more|less|others?|seconds|th\b|st\b|nd\b|rd\b|years?\s+(?:ago|later|in|into|on|of|streaming|with|since|now))"
)
_QUALIFIERS = (
    r"(?:(?:only|just|like|about|around|maybe|probably|clearly|barely|literally|under|not\s+even|no\s+older\s+than|"
    r"no\s+more\s+than|younger\s+than|below|max|at\s+most|still|now)\s+){0,2}"
)
_AGE_SUBJECT = (
    r"\b(?:i'?m|im|i\s+am|she'?s|she\s+is|she\s+was|he'?s|he\s+is|he\s+was|they'?re|they\s+are|"
    r"who'?s|who\s+is|who\s+was|"
    r"(?:girl|boy|kid|child|son|daughter|streamer|host|user|viewer|creator|brother|sister|nephew|niece|player|"
    r"guest|person|teen|cousin|friend|grandson|granddaughter|sibling)s?\s+(?:here\s+|there\s+|who\s+)?"
    r"(?:is|was|are|were|looks?|looked|seems?|seemed|appears?|appeared|just\s+turned|turned)(?:\s+to\s+be)?|"
    r"(?:she|he|they|who)\s+(?:looks?|looked|seems?|seemed|appears?|appeared|just\s+turned|turned)(?:\s+to\s+be)?|"
    r"aged|at\s+age|at\s+the\s+age\s+of)\s+" + _QUALIFIERS + r"(?P<age>\d{1,2})(?!\w)"
)
_MINOR_AGE = r"(?:10|11|12|13|14|15|16|17|2|3|4|5|6|7|8|9)"
_YEAR_OLD = (
    r"\b"
    + _MINOR_AGE
    + r"(?!\d)\s*(?:-|\s)?\s*(?:years?|yrs?|yr)\s*(?:-|\s)?\s*olds?\b|\b"
    + _MINOR_AGE
    + r"(?!\d)\s*(?:yo|y/o|y\.o\.?)\b"
)
_THING_BEFORE = compile_rx(
    r"\b(?:account|acc|profile|phone|device|card|app|channel|game|laptop|computer|pc|car|video|post|stream|page|"
    r"subscription|membership|streak|gift|coins?|order|email|ticket|case|iphone|ipad|tablet|console|tv)\s+"
    r"(?:\w+\s+){0,2}$"
)

_AGE_PREFIX = r"(?:\d{1,2}\s*(?:-|\s)?\s*(?:years?|yrs?|yr)\s*(?:-|\s)?\s*old\s+|little\s+|young\s+|teenage\s+)?"


_FIRST_PERSON_END = compile_rx(r"\b(?:i|we|i\s+just|we\s+just)\s+$")


_SECOND_AGE = compile_rx(r"\s*(?:or|-|to|and|&|/)\s*(\d{1,2})(?!\d)")


def _not_a_minor_age(text: str, match: re.Match[str]) -> bool:
    """'I'm 25', 'I'm 15 minutes late', 'she's 13 coins short': not an age under 18 ('they're 7 and 9' is)."""
    age = int(match.group("age"))
    if not 4 <= age <= 17:
        return True
    end = match.end("age")
    second = _SECOND_AGE.match(text, end)
    if second is not None and 4 <= int(second.group(1)) <= 17:
        end = second.end()
    return _NOT_AGE_AFTER.match(text, end) is not None


def _a_thing_is_that_old(text: str, match: re.Match[str]) -> bool:
    """'my account is 10 years old' is about the account."""
    return _THING_BEFORE.search(text, max(0, match.start() - 40), match.start()) is not None


_SAYS_ADULT = compile_rx(
    r"\b(?:i'?m|i\s+am|im)\s+(?:actually\s+|already\s+|literally\s+|now\s+)?(?:1[89]|[2-9]\d)\b|\bnot\s+(?:a\s+)?(?:minor|"
    r"underage|kid|child)\b|\b(?:i'?m|i\s+am)\s+(?:an\s+)?adult\b|\bover\s+18\b"
)
_ADULT_NOW = {
    pronoun: compile_rx(
        r"\b" + pronoun + r"(?:'s|'re|'m|\s+is|\s+are|\s+am)?\s+(?:actually\s+|already\s+|now\s+)?(?:1[89]|[2-9]\d)"
        r"(?:\s+now)?\b"
    )
    for pronoun in ("i", "she", "he", "they")
}


def _says_adult(text: str, match: re.Match[str]) -> bool:
    """'I was banned for being underage but I'm 24': the requester says they are an adult."""
    return _SAYS_ADULT.search(text) is not None


def _same_person_is_adult(text: str, match: re.Match[str]) -> bool:
    """'she was 17 when she joined but she's 19 now': the same person is an adult today."""
    subject = match.group().split("'")[0].split()[0]
    pattern = _ADULT_NOW.get("i" if subject in ("im", "i") else subject)
    return pattern is not None and pattern.search(text, match.end()) is not None


_GROUP_OF_PEOPLE = compile_rx(
    r"(?:girls|boys|kids|children|teens|teenagers|users|hosts|streamers|viewers|people|models|creators)\b"
)
_QUESTION_START = compile_rx(r"\s*(?:can|could|do|does|are|is|may|should|what|how|why|when|will|would)\b")


def _general_question(text: str, match: re.Match[str]) -> bool:
    """'can 17 year olds buy coins?' or 'can teens under 18 receive gifts?' asks about a rule, it reports no
    child."""
    start, end = sentence_bounds(text, match.start(), match.end())
    if not text.startswith("?", end):
        return False
    if match.group().endswith("olds"):
        return True
    return _GROUP_OF_PEOPLE.match(match.group()) is not None and _QUESTION_START.match(text, start) is not None


_TO_THE_AGENT = compile_rx(r"\b(?:are\s+you|you'?re|you\s+are)\s+$")


def _asks_the_agent(text: str, match: re.Match[str]) -> bool:
    """'are you 16 years old?' is small talk with the agent."""
    return _TO_THE_AGENT.search(text, max(0, match.start() - 12), match.start()) is not None


def _first_person_asker(text: str, match: re.Match[str]) -> bool:
    """'I asked my son to send me the receipt' is a parent, not a predator."""
    before = text[max(0, match.start() - 12) : match.start()]
    return _FIRST_PERSON_END.search(before) is not None


_NOTHING_HAPPENED = compile_rx(
    r"\bnothing\s+(?:was\s+|got\s+)?(?:bought|purchased|spent|streamed|charged|gifted)\b|\bno\s+(?:purchases|charges|money\s+spent)"
    r"\b|\b(?:didn'?t|did\s+not)\s+(?:buy|spend|purchase|stream|go\s+live|gift)\s+(?:anything|a\s+thing)\b"
)


def _nothing_happened(text: str, match: re.Match[str]) -> bool:
    """'my 6 year old grabbed my phone ... nothing bought or streamed': a child is mentioned, and no risk."""
    return _NOTHING_HAPPENED.search(text) is not None


_ADULT_RELATIVE = compile_rx(
    r"\s+(?:is|'s|was|who\s+is)\s+(?:now\s+|already\s+)?(?:1[89]|[2-9]\d)(?!\d)|\s+(?:is|'s)\s+(?:an\s+)?adult\b"
)


def _relative_is_adult(text: str, match: re.Match[str]) -> bool:
    """'my son is 19 and used my card': a grown-up child spending is a billing question."""
    return _ADULT_RELATIVE.search(match.group()) is not None


_GROWN_UP = compile_rx(r"\s+(?:are|is)\s+(?:all\s+)?(?:grown|adults?|over\s+18)")
_LIVE_WORD = compile_rx(r"\b(?:live|lives|stream\w*|broadcast\w*|on\s+camera|on\s+cam)\b")
_RISK_WORD = compile_rx(
    r"\b(?:alone|begging|strangers?|men|adults?|grown|gifters|dance\s+for|dancing\s+for|undress\w*|stunts?|dares?|private|night|2am|3am|4am|midnight|bedroom|"
    r"for\s+(?:gifts|coins|roses|money)|sending\s+(?:him|her|them)\s+(?:gifts|coins|roses|money))\b"
)
_SEXUAL_WORD = (
    r"(?:sexual\w*|explicit|nude|nudes|naked|lewd|porn\w*|sext\w*|perv\w*|inappropriate|creepy|flirt\w*|seductive\w*|"
    r"solicit\w*\s+(?:\w+\s+)?(?:images|pics|pictures|photos|videos|nudes)|swimsuits?|bikinis?|underwear|lingerie|revealing|half[\s-]naked|suggestive|provocative|undress\w*|"
    r"take\s+off\s+(?:her|his|their|your)\s+(?:shirt|clothes|top|pants|bra|dress|skirt))"
)


def _not_a_risky_live(text: str, match: re.Match[str]) -> bool:
    """A child mentioned with a LIVE is only a flag when something risky is said too (alone, gifts, strangers)."""
    sentence = sentence_at(text, match.start(), match.end())
    if _GROWN_UP.search(text, match.end(), match.end() + 30) is not None:
        return True
    return _LIVE_WORD.search(sentence) is None or _RISK_WORD.search(sentence) is None


_PET_BEFORE = compile_rx(r"\b(?:dog|pet|cat|horse|hair|beard)\s+$")

_CREEPY = compile_rx(r"\b(?:comments?|creep\w*|disgusting|gross|men|adults?|gifts?|perv\w*|sexual\w*|inappropriate)\b")

RULES: tuple[Rule, ...] = (
    Rule(
        CODE,
        compile_rx(
            r"\b(?:little|young|small|underage)\s+(?:girls?|boys?|kids?|children)\s+(?:\w+\s+){0,3}?(?:dancing|twerking|posing|"
            r"in\s+(?:bikinis?|swimsuits?|underwear|lingerie)|undress\w*)\b"
        ),
        0.75,
        guards=(lambda t, m: _CREEPY.search(sentence_at(t, m.start(), m.end())) is None,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:girls|boys|kids|children|teens|teenagers|users|hosts|streamers|viewers|people|models|creators)\s+(?:who\s+are\s+)?"
            r"(?:under|below|younger\s+than)\s+(?:the\s+age\s+of\s+)?(?:1[0-8]|[5-9])\b"
        ),
        0.8,
        guards=(_general_question,),
    ),
    Rule(
        CODE,
        compile_rx(r"\bgroomers?\b"),
        0.85,
        guards=(lambda t, m: _PET_BEFORE.search(t, max(0, m.start() - 8), m.start()) is not None,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:"
            + _MINOR_NOUN
            + r"|"
            + _FAMILY_MINOR
            + r")\b[^.!?\n]{0,100}?\b(?:meet|meeting|met)\s+(?:up\s+with\s+)?(?:her|him|"
            r"them|up)\b(?:\s+(?:in\s+person|irl|alone|in\s+real\s+life|offline|at))?"
        ),
        0.75,
        guards=(_says_adult,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:little|young|small)\s+(?:teen(?:age)?\s+)?(?:boy|girl|kid|child)s?\b|\b(?:child|children|toddler|kid|kids)\b"
            r"|\b(?:middle|elementary|primary|grade)\s+school(?:er|ers)?\b|\b(?:5th|6th|7th|8th|fifth|sixth|seventh|eighth)\s+"
            r"grade(?:rs?)?\b"
            r"|\b(?:young\s+)?teen(?:age)?\s+(?:girls|boys)\b"
        ),
        0.7,
        guards=(_not_a_risky_live,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b"
            + _SEXUAL_WORD
            + r"\b[^.!?\n]{0,60}?\b(?:"
            + _MINOR_NOUN
            + r"|minors?|underage)\b|\b(?:"
            + _MINOR_NOUN
            + r")\b[^.!?\n]{0,60}?\b"
            + _SEXUAL_WORD
            + r"\b"
        ),
        0.8,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:girl|boy|kid|child|son|daughter|brother|sister|bro|sis|nephew|niece|grandson|granddaughter|streamer|host|"
            r"student|pupil|viewer|guest)s?\s*"
            r"[,(]\s*"
            r"(?:(?:looks?|looking|seems?)\s+(?:like\s+)?)?(?:maybe|about|around|like|probably|approx\w*|only|aged?|ages)?\s*"
            r"(?P<age>\d{1,2})(?!\d)"
        ),
        0.8,
        guards=(_not_a_minor_age,),
    ),
    Rule(
        CODE,
        compile_rx(r"\b(?:as\s+young\s+as|younger\s+than|under\s+the\s+age\s+of)\s+(?P<age>\d{1,2})(?!\d)"),
        0.75,
        guards=(_not_a_minor_age, lambda t, m: _LIVE_WORD.search(sentence_at(t, m.start(), m.end())) is None),
    ),
    Rule(CODE, compile_rx(r"\((?:age|aged|ages)\s+(?P<age>\d{1,2})(?!\d)"), 0.8, guards=(_not_a_minor_age,)),
    Rule(CODE, compile_rx(_AGE_SUBJECT), 0.8, guards=(_not_a_minor_age, _same_person_is_adult)),
    Rule(
        CODE,
        compile_rx(_YEAR_OLD),
        0.85,
        guards=(_a_thing_is_that_old, _general_question, _asks_the_agent, _nothing_happened),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:csam|child\s+(?:porn\w*|sexual\s+abuse|abuse\s+(?:material|images|videos?|content)|exploitation)|"
            r"cp\s+(?:links?|videos?|content|trading)|(?:paedo|pedo)(?:phile|philia|s)?|kiddie\s+porn|predators?|"
            r"jailbait|loli\s+content)\b"
        ),
        0.9,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bgroom(?:ing|ed|s|er|ers)?\s+(?:(?:a|the|my|our|your|her|his|their|young|these|those|other)\s+)?"
            r"(?:" + _MINOR_NOUN + r"|" + _FAMILY_MINOR + r"|her|him|them|viewers?|fans?|followers?|girls?|boys?)\b"
            r"|\b(?:is|was|been|being|of|for|accused\s+of|caught)\s+groom(?:ing|ed)\b|\bgrooming\s+(?:behaviou?r|tactics)\b"
        ),
        0.9,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:underage|under-age|under\s+age)\b(?!\s+(?:users?\s+(?:are|aren'?t|can|cannot|can'?t)\s+"
            r"(?:not\s+)?allowed|policy|rules?))|\b(?:is|are|'s|'re|'m|am|look|looks|looked|seem|seems|clearly|"
            r"obviously)\s+(?:a\s+|still\s+a\s+|just\s+a\s+|only\s+a\s+)?(?:minor|minors|child|kid|little\s+kid)\b"
            r"(?!\s+(?:issue|bug|problem|update|change|glitch|thing|detail|inconvenience|delay|error|fix|one|point|concern|"
            r"mistake|difference|amount|fee|charge|adjustment|tweak|version|account|at\s+heart|league|leagues|key|chord)\b)"
        ),
        0.85,
        guards=(_says_adult,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:ask(?:ed|ing|s)?|beg(?:ged|ging|s)?|pressur(?:ed|ing|es)|tell(?:ing|s)?|told|want(?:ed|s)?|get(?:ting)?|"
            r"messag(?:ed|ing|es)|dm'?(?:ed|ing)|convinc(?:ed|ing))\s+(?:my\s+|a\s+|an\s+|the\s+|these\s+|those\s+|other\s+)?"
            r"(?:\d{1,2}\s*(?:-|\s)?\s*(?:years?|yrs?|yr)\s*(?:-|\s)?\s*old\s+|young\s+|little\s+|underage\s+|teenage\s+|teen\s+)?"
            r"(?:"
            + _MINOR_NOUN
            + r"|"
            + _FAMILY_MINOR
            + r"|girls|boys)\b[^.!?\n]{0,50}?\b(?:for\s+)?(?:to\s+(?:send|show|take|meet|"
            r"undress|strip|dance|twerk|turn\s+around|pose|come\s+over|video\s+call|move\s+to|add\s+him|add\s+her|keep\s+(?:it|this)\s+(?:a\s+)?secret)|"
            r"(?:pics|pictures|photos|nudes|selfies|videos|snaps|feet\s+pics|address(?:es)?|(?:phone\s+)?numbers?|snapchats?|socials|"
            r"instagrams?|discords?|whatsapps?|locations?|private\s+\w+))\b"
        ),
        0.9,
        guards=(_first_person_asker,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:sexual(?:ly|i[sz]ed|i[sz]ing)?|explicit|inappropriate|nude|naked|flirt\w*|creepy|dirty|sexting|"
            r"lewd|perverted)\b[^.!?\n]{0,40}\b(?:to|with|toward|towards|at|about|of|on)\s+(?:a\s+|the\s+|my\s+|these\s+|"
            r"those\s+|other\s+)?(?:\d{1,2}\s*(?:-|\s)?\s*(?:years?|yrs?|yr)\s*(?:-|\s)?\s*old\s+)?(?:"
            + _MINOR_NOUN
            + r"|"
            + _FAMILY_MINOR
            + r")\b"
        ),
        0.85,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:" + _MINOR_NOUN + r")\s+(?:(?!watch|lov|like|enjoy|see|follow|use|want|ask)\w+\s+){0,2}?"
            r"(?:is\s+|are\s+|was\s+|were\s+)?(?:hosting|streaming|broadcasting|going\s+live|goes\s+live|went\s+live|"
            r"on\s+(?:a\s+|the\s+)?(?:live|stream|camera|cam)\b|in\s+(?:a|the|his|her|their)\s+(?:live|stream)\b|"
            r"begging|asking\s+for\s+(?:gifts|coins|money|roses)|dancing\s+for\s+(?:gifts|coins)|alone\s+on\s+live)"
            r"|\b(?:lives?|streams?|broadcasts?)\s+(?:with|of|featuring|showing|hosted\s+by|from)\s+(?:a\s+|an\s+|some\s+|"
            r"little\s+|young\s+)?(?:" + _MINOR_NOUN + r")\b"
        ),
        0.85,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:my|our|her|his|their)\s+" + _AGE_PREFIX + r"(?:" + _FAMILY_MINOR + r")\s+(?:\w+\s+){0,3}?"
            r"(?:spent|is\s+spending|keeps\s+spending|racked\s+up|drained|emptied|charged|topped\s+up|recharged|"
            r"made\s+(?:\w+\s+){0,2}(?:purchases|payments|transactions)|has\s+been\s+(?:buying|spending|gifting))\b"
            r"|\b(?:my|our|her|his|their)\s+" + _AGE_PREFIX + r"(?:" + _FAMILY_MINOR + r")\s+(?:\w+\s+){0,3}?"
            r"(?:used|using|took|bought|buying|gifted|gifting|sent|sending|purchased|gave|giving)\s+(?:\w+\s+){0,4}?"
            r"(?:coins?|gifts|diamonds?|[$€£]\s?\d+|\d+\s*(?:dollars|usd|euros?|pounds)|(?:my|our|her|his)\s+(?:credit\s+|debit\s+)?"
            r"(?:card|money|paypal|apple\s+id|bank|savings|account\s+balance|wallet|paycheck|pay\s+check|salary|wages|rent|"
            r"allowance|life\s+savings))\b|\b(?:my|our|her|his|their)\s+"
            + _AGE_PREFIX
            + r"(?:"
            + _FAMILY_MINOR
            + r")\s+"
            r"(?:\w+\s+){0,3}?(?:used|took|gifted|gave|sent|spent)\s+(?:my|our|her|his)\s+(?:whole\s+|entire\s+)?(?:paycheck|"
            r"salary|savings|rent|wages|money|card|allowance)\b"
        ),
        0.75,
        guards=(_relative_is_adult,),
    ),
)


ALL_RULES: tuple[Rule, ...] = RULES


def detect(ctx: Context) -> list[Signal]:
    """Minor-safety signals in the text."""
    return scan(ctx, RULES)
