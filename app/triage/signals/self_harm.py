"""``self_harm``: suicidal intent or self-harm, the writer's own or a third party's ("a streamer said he'd ...").

Rules come in three strengths because figures of speech are everywhere in chat: *strong* phrasings (suicide,
ending one's life) only yield to negation; *medium* ones ("kms", "kill myself") also yield when the sentence
both laughs and names a trivial cause ("this lag makes me wanna kms lol"); *weak* ones ("want to die") yield to
either.
"""

from __future__ import annotations

import re

from app.triage.signals.base import Context, Guard, Rule, Signal, scan
from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import has_laughter, has_trivial_cause, sentence_at

CODE = "self_harm"

_SELF = r"(?:my|him|her|them|your|our|ur)\s?sel(?:f|ves)"
_POLICY_CONTEXT = compile_rx(
    r"\b(?:polic(?:y|ies)|guidelines?|rules?|community\s+standards?|terms)\s+(?:on|about|regarding|for|around|"
    r"against|covering)\b[^.!?\n]{0,30}$"
)
_AWARENESS_AFTER = compile_rx(
    r"^[\s-]*(?:prevention|awareness|hotline|helpline|lifeline|hot\s+line|help\s+line|resources?|squad|doors?|scenes?|skit|"
    r"prank|plot|storyline|statistics|"
    r"burn|month|day|week|charity|fundraiser|research|statistics|rates?)\b"
)
_DIE_IDIOM_AFTER = compile_rx(
    r"^\s*(?:of|from|laughing|lol|lmao|for\s+(?:this|that|it|one))\b|^\s*(?:in\s+(?:the|this|that|a)\s+game)"
)
_GO_ON_LIVE_AFTER = compile_rx(r"^\s*(?:live|air|stream|the\s+app|my\s+account|a\s+live)\b")


_CUT_IDIOM = compile_rx(r"\s+(?:off|short|some\s+slack|a\s+)")


def _hyperbole_both(text: str, match: re.Match[str]) -> bool:
    sentence = sentence_at(text, match.start(), match.end())
    return has_laughter(sentence) and has_trivial_cause(text, match.start(), match.end())


def _hyperbole_either(text: str, match: re.Match[str]) -> bool:
    sentence = sentence_at(text, match.start(), match.end())
    return has_laughter(sentence) or has_trivial_cause(text, match.start(), match.end())


_TITLE_BEFORE = compile_rx(
    r"\b(?:song|track|album|movie|film|book|game|band|show|series|called|titled|named)\b[^.!?\n]{0,25}$"
    r"|\b(?:fake|fictional|staged|simulated|pretend|scripted|movie|film|prop)\s+$"
)


_MODERATED_FOR = compile_rx(
    r"\b(?:got|was|were|been|being|get|gets|getting|is|keeps?\s+getting)\s+(?:\w+\s+)?(?:flagged|removed|banned|striked|struck|"
    r"muted|suspended|restricted|taken\s+down|hidden|demoneti[sz]ed|blocked)\s+(?:for|as)\s+(?:\w+\s+)?$"
)


def _policy_mention(text: str, match: re.Match[str]) -> bool:
    """'your policy on suicide content', 'suicide prevention month', 'my stream got flagged for self-harm': talk
    about the topic or its moderation, not a risk."""
    before = text[max(0, match.start() - 60) : match.start()]
    after = text[match.end() : match.end() + 30]
    return (
        _POLICY_CONTEXT.search(before) is not None
        or _MODERATED_FOR.search(before) is not None
        or _AWARENESS_AFTER.search(after) is not None
        or _TITLE_BEFORE.search(before) is not None
    )


def _die_idiom(text: str, match: re.Match[str]) -> bool:
    return _DIE_IDIOM_AFTER.search(text[match.end() : match.end() + 30]) is not None


def _go_on_live(text: str, match: re.Match[str]) -> bool:
    """'I can't go on LIVE' is a feature problem, not despair."""
    return _GO_ON_LIVE_AFTER.search(text[match.end() : match.end() + 20]) is not None


_PET_OR_THING = compile_rx(
    r"\b(?:cat|dog|pet|puppy|kitten|bird|hamster|parrot|rabbit|bunny|character|avatar|phone|app|game|bot)s?\s+(?:\w+\s+){0,2}$"
)
_LAUGHING_AFTER = compile_rx(r"\s*(?:laughing|lol|lmao|haha|of\s+laughter|with\s+laughter)")


def _not_a_person(text: str, match: re.Match[str]) -> bool:
    """'my cat keeps hurting herself' is about a pet."""
    return _PET_OR_THING.search(text, max(0, match.start() - 30), match.start()) is not None


def _laughing(text: str, match: re.Match[str]) -> bool:
    """'I'll kill myself laughing' is an idiom."""
    return _LAUGHING_AFTER.match(text, match.end()) is not None


_DEATH_CONTEXT = compile_rx(
    r"\b(?:tonight'?s\s+the\s+night|goodbye|bye\s+everyone|neck|hang\w*|ceiling|beam|noose|chair|last\s+(?:stream|live|"
    r"video)|end\s+it|die|dying|suicid\w*)\b"
)


def _no_death_context(text: str, match: re.Match[str]) -> bool:
    """A rope is only a sign next to talk of hanging, goodbyes or tonight being the night."""
    return _DEATH_CONTEXT.search(text, max(0, match.start() - 100), match.end() + 100) is None


_STRONG: tuple[Guard, ...] = ()
_MEDIUM: tuple[Guard, ...] = (_hyperbole_both, _laughing, _not_a_person)
_WEAK: tuple[Guard, ...] = (_hyperbole_either,)

_LEAVING_PLATFORM = compile_rx(
    r"\b(?:moving|switching|leaving|quitting|quit|another\s+platform|twitch|youtube|kick|delete\s+my\s+account|new\s+app|"
    r"retiring|break\s+from\s+streaming|taking\s+a\s+break)\b"
)
_FAREWELL = compile_rx(
    r"\b(?:goodbye|good\s+bye|farewell|love\s+you\s+all|forever|sorry\s+for\s+everything|forgive\s+me)\b"
)


def _not_a_farewell(text: str, match: re.Match[str]) -> bool:
    """'my last live ... goodbye' is worrying unless the person says they are moving to another platform."""
    lo, hi = max(0, match.start() - 120), min(len(text), match.end() + 120)
    return _FAREWELL.search(text, lo, hi) is None or _LEAVING_PLATFORM.search(text, lo, hi) is not None


_DISTRESS = compile_rx(
    r"\b(?:help|scared|can'?t|goodbye|bye|end|jump|die|dying|please|alone|tonight|sorry|last|over\s+for\s+me|done|final|"
    r"countdown|not\s+a\s+joke|worried)\b"
)


def _no_distress(text: str, match: re.Match[str]) -> bool:
    return _DISTRESS.search(text, max(0, match.start() - 100), min(len(text), match.end() + 100)) is None


_DESPAIR = compile_rx(
    r"\b(?:tonight|goodbye|lost\s+(?:my|everything|it\s+all)|can'?t\s+(?:go\s+on|take\s+(?:it|this))|sorry|forgive|"
    r"over\s+for\s+me|final|nothing\s+left|no\s+way\s+out)\b"
)


def _no_despair(text: str, match: re.Match[str]) -> bool:
    """Letters to one's family are a farewell only next to despair ("lost everything", "tonight", "goodbye")."""
    return _DESPAIR.search(text, max(0, match.start() - 150), min(len(text), match.end() + 100)) is None


_WORRY = compile_rx(
    r"\b(?:goodbye|good\s+bye|say\s+bye|farewell|remember\s+me|(?:thank\s+you|thanks)\s+(?:all\s+|so\s+much\s+)?for\s+everything|sorry\s+for\s+everything|"
    r"forgive\s+me|(?:isn'?t|not|hasn'?t\s+been|stopped)\s+(?:answering|responding|replying|picking\s+up)|scared|worried|"
    r"can'?t\s+reach|not\s+wanting\s+to\s+be\s+here|love\s+you\s+all)\b"
)


def _no_worry(text: str, match: re.Match[str]) -> bool:
    """'last stream ever' or 'remember me' is a farewell only next to a goodbye or someone's worry, and not when
    the person is just moving to another platform."""
    lo, hi = max(0, match.start() - 200), min(len(text), match.end() + 200)
    if _LEAVING_PLATFORM.search(text, lo, hi) is not None:
        return True
    return _WORRY.search(text, lo, match.start()) is None and _WORRY.search(text, match.end(), hi) is None


_AT_STAKE = compile_rx(
    r"\b(?:pictures|pics|photos|nudes?|videos?|leak\w*|expose\w*|parents|school|everyone\s+will|ashamed|humiliat\w*|"
    r"can'?t\s+take|can'?t\s+handle|scared|bullied|bullying)\b"
)


def _nothing_at_stake(text: str, match: re.Match[str]) -> bool:
    """'I'd rather die than watch another ad' is hyperbole; 'I'd rather die than have those pictures sent to my
    parents' is a person in danger."""
    return _AT_STAKE.search(text, max(0, match.start() - 200), min(len(text), match.end() + 120)) is None


# Cuts and scars with an ordinary cause (a tattoo, surgery, the kitchen, a pet) are not self-harm.
_INJURY_CAUSE = compile_rx(
    r"\b(?:tattoo\w*|surgery|operation|kitchen|cooking|knife\s+skills|accident|fell|fall|cat|dog|kitten|puppy|bike|"
    r"skateboard\w*|makeup|sfx|special\s+effects|halloween|costume|cosplay)\b"
)

RULES: tuple[Rule, ...] = (
    Rule(
        CODE,
        compile_rx(
            r"\blast\s+(?:stream|live|video|post|broadcast)\s+ever\b|\b(?:live|stream\w*|on\s+air)\s+(?:tonight\s+|today\s+)?"
            r"for\s+the\s+(?:very\s+)?last\s+time\b|\b(?:want|wants|wanted)\s+(?:\w+\s+){0,2}to\s+remember\s+me\b"
        ),
        0.7,
        negatable=False,
        guards=(_no_worry, _hyperbole_either),
    ),
    Rule(
        CODE,
        compile_rx(r"\b(?:i'?d|i\s+would|id)\s+(?:honestly\s+|literally\s+|much\s+)?rather\s+(?:die|be\s+dead)\b"),
        0.7,
        guards=(*_WEAK, _nothing_at_stake),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:thinking|think|thought|thoughts)\s+(?:about|of)\s+jumping\b(?!\s+(?:in|into|on|onto|to|ship|over|back|"
            r"between|ahead|the|a|platforms?))"
            r"|\bhow\s+(?:many|much)\s+(?:\w+\s+)?(?:pills|tablets|painkillers|meds|medication)\b[^.!?\n]{0,40}?\b(?:too\s+many|"
            r"too\s+much|to\s+(?:die|overdose|od|kill)|lethal|fatal|(?:not|never)\s+wake\s+up)\b|\b(?:lethal|fatal)\s+dose\b"
        ),
        0.75,
        guards=(*_WEAK, _policy_mention),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:saving|stockpiling|hoarding|collecting)\s+(?:up\s+)?(?:my\s+|all\s+my\s+|her\s+|his\s+)?(?:meds|pills|tablets|"
            r"medications?|sleeping\s+pills|painkillers)\b"
            r"|\b(?:cuts|scars|wounds|burns)\s+on\s+(?:my|her|his|their)\s+(?:arms?|wrists?|legs?|thighs?|stomach)\b"
            r"|\b(?:want|wanna|wish\s+i\s+could)\s+(?:to\s+)?(?:just\s+)?sleep\s+forever\b"
            r"|\bwhat'?s\s+the\s+point\s+(?:of\s+(?:anything|living|life|going\s+on|being\s+alive|me)|in\s+living)\b"
            r"|\b(?:goodbye|farewell)\s+(?:note|letter)\b"
        ),
        0.75,
        guards=(
            *_WEAK,
            _policy_mention,
            lambda t, m: _INJURY_CAUSE.search(sentence_at(t, m.start(), m.end())) is not None,
        ),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:not\s+going\s+to|won'?t|will\s+not|wont)\s+be\s+(?:around|here|alive)\s+to\s+(?:use|need|see|enjoy|read|watch|"
            r"spend)\b"
        ),
        0.7,
        negatable=False,
        guards=(_no_worry, _hyperbole_either),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:wrote|writing|written|left|leaving)\s+(?:\w+\s+)?(?:letters|notes)\s+(?:to|for)\s+(?:my\s+(?:kids|family|children|"
            r"parents|wife|husband|mom|dad|friends|son|daughter)|everyone)\b(?!'|\s+(?:school|teacher|class))"
        ),
        0.7,
        negatable=False,
        guards=(_no_despair, _hyperbole_either),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:think|thinking|thought|thoughts|want|wanna|urge|urges|tempted)\s+(?:about\s+|of\s+|to\s+)?(?:driving|crashing|"
            r"steering|drive|crash|steer)\s+(?:my\s+car\s+|off\s+)?(?:into|off)\s+(?:a|the)\s+(?:wall|tree|truck|river|bridge|"
            r"cliff|road|traffic|oncoming\s+\w+)"
            r"|\b(?:think|thinking|thought|thoughts|want|wanna|urge|urges|tempted)\s+(?:about\s+|of\s+|to\s+)?(?:stepping|walking|"
            r"jumping|step|walk|jump)\s+in\s+front\s+of\s+(?:a\s+|the\s+)?(?:train|bus|car|truck|traffic)"
        ),
        0.8,
        guards=_MEDIUM,
    ),
    Rule(
        CODE,
        compile_rx(r"\b(?:thinspo\w*|pro[\s-]?ana|pro[\s-]?mia|meanspo|bonespo|skinnyspo)\b"),
        0.75,
        guards=(_policy_mention,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:i\s+)?(?:won'?t|will\s+not|wont|don'?t\s+think\s+i'?(?:ll|\s+will)|not\s+sure\s+i'?(?:ll|\s+will)|might\s+not)\s+"
            r"make\s+it\s+(?:through\s+(?:the\s+night|tonight|today|the\s+week)|to\s+(?:tomorrow|the\s+morning|morning))\b"
        ),
        0.8,
        negatable=False,
        guards=_MEDIUM,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:want|need|wish)\s+(?:it\s+all|everything|the\s+pain|all\s+of\s+(?:it|this))\s+to\s+(?:stop|end|go\s+away)\b"
            r"|\bcutting\s+(?:her|his|my|their)\s+(?:own\s+)?(?:arms?|legs?|wrists?|thighs?|skin|stomach)\b"
            r"|\b(?:won'?t|will\s+not|wont|not\s+going\s+to|isn'?t\s+going\s+to|might\s+not)\s+be\s+(?:here|around|alive)\s+"
            r"(?:after\s+(?:tonight|today|this)|for\s+(?:long|much\s+longer)|next\s+week|by\s+(?:morning|the\s+weekend))\b"
        ),
        0.8,
        guards=_MEDIUM,
    ),
    Rule(
        CODE, compile_rx(r"\b(?:pills|tablets|sleeping\s+pills)\b"), 0.7, negatable=False, guards=(_no_death_context,)
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:standing|sitting|stood)\s+(?:on|at)\s+(?:the|a|this)\s+(?:edge\s+of\s+(?:the|a)\s+)?(?:bridge|ledge|roof|rooftop|"
            r"edge|cliff|balcony\s+railing|railing|tracks)\b"
        ),
        0.75,
        negatable=False,
        guards=(_no_distress,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:can'?t|cannot|can\s+not|(?:don'?t|do\s+not)\s+think\s+i\s+can)\s+live\s+(?:like\s+this|with\s+(?:this|it|myself)"
            r"(?:\s+anymore)?|anymore|any\s+longer)\b"
            r"|\b(?:pills|rope|razor|blade|noose)\s+(?:is\s+|are\s+)?(?:ready|prepared|next\s+to\s+me)\b|\b(?:have|got)\s+(?:the|my)\s+"
            r"(?:pills|rope|razor|noose)\s+ready\b"
            r"|\b(?:going\s+to|gonna|will|'ll)\s+jump\s+(?:tonight|today|now|off|from)\b"
        ),
        0.8,
        guards=_MEDIUM,
    ),
    Rule(
        CODE,
        compile_rx(r"\b(?:my|her|his|their)\s+(?:very\s+)?last\s+(?:live|stream|video|message|post|words|broadcast)\b"),
        0.65,
        negatable=False,
        guards=(_not_a_farewell,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:nobody|no\s+one|noone|no-one)\s+(?:would|will|'d)\s+(?:even\s+|really\s+|ever\s+)?(?:notice|care|miss\s+me)\s+"
            r"(?:if|when)\s+(?:i|i'm|im)\s+(?:was\s+|were\s+|am\s+|'m\s+)?(?:gone|dead|not\s+here|disappeared|died)\b"
            r"|\bwon'?t\s+need\s+(?:it|this|my\s+account|anything|them)\s+(?:after\s+tonight|where\s+i'?m\s+going|when\s+i'?m\s+gone|"
            r"much\s+longer)"
            r"|\b(?:want(?:ing)?|urges?|tempted|craving)\s+to\s+cut\s+(?:again|myself)?\b|\b(?:started|start|keep|kept|been|was)\s+cutting\s+"
            r"again\b|\brelapsed\b"
            r"|\b(?:i'?m|im|i\s+am|she'?s|he'?s|they'?re)\s+(?:going\s+to|gonna)\s+end\s+it\s*(?:all\b|for\s+good\b|forever\b|"
            r"tonight\b|today\b|soon\b|[.!'\"]|$)"
        ),
        0.8,
        negatable=False,
        guards=_MEDIUM,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:took|taken|swallowed|take|taking|swallow|swallowing|downed)\s+(?:like\s+|about\s+|over\s+|around\s+)?"
            r"(?:[6-9]|\d\d+)\s+"
            r"(?:of\s+(?:my|her|his)\s+)?(?:pills|tablets|sleeping\s+pills|painkillers|meds|xanax|tylenol|paracetamol)\b"
            r"|\b(?:knife|blade|razor)\s+(?:to|on|against|across)\s+(?:his|her|my|their)\s+(?:wrists?|throat|arms?|neck)\b"
            r"|\b(?:won'?t|will\s+not|wont)\s+be\s+alive\b|\b(?:thinking|think|thought|thoughts)\s+(?:about|of)\s+(?:dying|death|"
            r"killing\s+(?:my|him|her)self|not\s+(?:being\s+here|waking\s+up|being\s+alive))\b"
        ),
        0.85,
        guards=_MEDIUM,
    ),
    Rule(CODE, compile_rx(r"\b(?:a\s+)?rope\b"), 0.75, negatable=False, guards=(_no_death_context,)),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:better|happier|easier)\s+(?:off\s+)?if\s+(?:i|he|she)\s+(?:just\s+)?(?:disappeared|was\s+gone|were\s+gone|"
            r"wasn'?t\s+(?:here|around|alive)|weren'?t\s+(?:here|around|alive)|didn'?t\s+exist|died|was\s+dead|were\s+dead|"
            r"ended\s+it|killed\s+(?:my|him|her)self)"
            r"|\b(?:want|wanna|going|gonna)\s+(?:to\s+)?(?:disappear|vanish)\s+(?:forever|for\s+good|permanently)"
            r"|\b(?:sleep|go\s+to\s+sleep)\s+and\s+never\s+wake\s+up\b|\b(?:tired|sick)\s+of\s+(?:living|being\s+alive|life)\b"
            r"|\b(?:done|finished|through)\s+with\s+(?:life|living|being\s+alive|this\s+life|my\s+life)\b"
            r"|\b(?:wish|want|wanna)\s+(?:i\s+could\s+)?(?:just\s+)?(?:to\s+)?(?:disappear|vanish|stop\s+existing|not\s+exist)\b"
            r"(?!\s+from)"
            r"|\b(?:keep|keeps|kept|started|start)\s+cutting\b(?!\s+(?:the|my|your|his|her|it|clips|videos?|streams?|hair|back|off|"
            r"down|corners|costs|out))"
        ),
        0.85,
        guards=_MEDIUM,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bfeel(?:s|ing)?\s+like\s+(?:dying|i\s+(?:want|wanna)\s+(?:to\s+)?die|ending\s+(?:it|my\s+life|things|everything|it\s+all)|"
            r"killing\s+"
            r"(?:my|him|her)self)\b|\b(?:thinking|think|thought|thoughts)\s+(?:about|of)\s+(?:ending|taking)\s+(?:it|things|my\s+"
            r"(?:own\s+)?life|everything)\b|\bend(?:ing)?\s+things\s+(?:tonight|today|for\s+good|soon)\b"
            r"|\bhow\s+(?:much\s+)?longer\s+(?:i|we)\s+can\s+(?:keep\s+going|go\s+on|take\s+(?:it|this)|hold\s+on|do\s+this)"
            r"|\b(?:can'?t|cannot)\s+live\s+like\s+this\b|\b(?:want|wanna)\s+to\s+be\s+dead\b|\bplan(?:ning|ned)?\s+(?:my|his|her)\s+"
            r"(?:own\s+)?(?:death|suicide)\b"
        ),
        0.85,
        guards=_MEDIUM,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:roof|rooftop|bridge|ledge|edge|balcony|window|cliff|tower|building|overpass|train\s+tracks)\b[^.!?\n]{0,60}?"
            r"\b(?:jump|jumping|jumped|leap|leaping)\b(?!\s+(?:scare|cut|in\s+the\s+game))"
            r"|\b(?:jump|jumping|leap|leaping)\s+(?:off|from|in\s+front\s+of)\b[^.!?\n]{0,30}?\b(?:roof|rooftop|bridge|ledge|"
            r"edge|balcony|window|cliff|tower|building|overpass|train)\b"
        ),
        0.8,
        guards=_MEDIUM,
    ),
    Rule(CODE, compile_rx(r"\bsuicid(?:e|es|al|ally)\b"), 0.95, guards=(_policy_mention, _hyperbole_both)),
    Rule(
        CODE,
        compile_rx(r"\bself[\s-]?(?:harm(?:ing|ed|s)?|injur(?:y|ies|ing|e)|mutilat\w*)\b|\bsh\s+relapse\b"),
        0.9,
        guards=(_policy_mention,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:kill(?:ing|ed|s)?|hang(?:ing|ed|s)?|unaliv(?:e|ing|ed)|off(?:ing)?|end(?:ing|ed)?|shoot(?:ing)?|"
            r"poison(?:ing|ed)?|drown(?:ing|ed)?|starv(?:e|ing|ed))\s+" + _SELF
        ),
        0.95,
        guards=_MEDIUM,
    ),
    Rule(
        CODE,
        compile_rx(r"\b(?:hurt(?:ing|s)?|harm(?:ing|ed|s)?|cut(?:ting|s)?|burn(?:ing|ed|s)?)\s+" + _SELF + r"\b"),
        0.85,
        guards=(*_MEDIUM, lambda t, m: _CUT_IDIOM.match(t, m.end()) is not None),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:end(?:ing|ed)?|take|taking|took|took\s+away)\s+(?:my|his|her|their|your)\s+(?:own\s+)?li(?:fe|ves)\b"
        ),
        0.95,
    ),
    Rule(CODE, compile_rx(r"\bunaliv(?:e|ing|ed)\b|\bsewer\s?slide\b|\bcommit\s+(?:toaster\s+bath|sudoku)\b"), 0.9),
    Rule(CODE, compile_rx(r"\b(?:noose|(?:hanging|tying|tied|tie)\s+(?:up\s+)?a\s+rope)\b"), 0.85, guards=_MEDIUM),
    Rule(
        CODE,
        compile_rx(r"\b(?:slit(?:ting)?|slice|slicing|cut(?:ting)?)\s+(?:my|his|her|their)\s+(?:own\s+)?wrists?\b"),
        0.95,
    ),
    Rule(CODE, compile_rx(r"\bkms\b|\bk\.m\.s\b"), 0.85, guards=_MEDIUM),
    Rule(CODE, compile_rx(r"\b(?:kys|go\s+(?:kill|hang|unalive)\s+ur?\s?sel(?:f|ves))\b"), 0.75, guards=_WEAK),
    Rule(CODE, compile_rx(r"\b(?:end(?:ing)?|ended)\s+it\s+all\b"), 0.9, guards=_MEDIUM),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:i'?m|i\s+am|i'?ll|i\s+will|gonna|going\s+to)\s+(?:\w+\s+)?end\s+it\s+(?:tonight|today|now|soon)"
        ),
        0.9,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:don'?t|do\s+not|dont|doesn'?t|does\s+not|didn'?t|no\s+longer|never|i\s+not)\s+(?:\w+\s+){0,3}?(?:want|wanna|wish|"
            r"need)\s+"
            r"(?:to\s+)?"
            r"(?:live(?!\s*(?:stream|streaming|on\b|with\b|in\b|there|here|abroad|broadcast|chat|gifts?))|be\s+alive|exist|"
            r"wake\s+up|be\s+(?:here|around)\s+(?:anymore|any\s*more|any\s+longer|tomorrow))\b"
        ),
        0.9,
        negatable=False,
        guards=_MEDIUM,
    ),
    Rule(
        CODE,
        compile_rx(r"\b(?:don'?t|do\s+not|dont|never)\s+want\s+to\s+be\s+here\s*(?:[.!?\n]|$)"),
        0.8,
        negatable=False,
        guards=_MEDIUM,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:won'?t|will\s+not|wont|not\s+going\s+to|might\s+not)\s+be\s+(?:here|around|alive)\s+"
            r"(?:much\s+longer|anymore|any\s*more|tomorrow|by\s+(?:tomorrow|morning|tonight))"
        ),
        0.85,
        negatable=False,
        guards=_MEDIUM,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:no|nothing|not\s+any|(?:don'?t|do\s+not|can'?t|cannot)\s+see\s+(?:a|any|the)|lost\s+(?:my|any|the))\s+"
            r"(?:reason|point|purpose|will)\s+(?:to|in|for)\s+(?:keep\s+|keeping\s+)?(?:live|living|go(?:ing)?\s+on|being\s+alive|"
            r"stay(?:ing)?\s+alive|"
            r"be(?:ing)?\s+here)\b|\bnothing\s+(?:left\s+)?to\s+live\s+for\b|\blife\s+(?:is|isn'?t)\s+(?:not\s+)?worth\s+living\b"
        ),
        0.9,
        negatable=False,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:better\s+off\s+(?:dead|gone|without\s+me)|wish\s+i\s+(?:was|were|had\s+never\s+been)\s+(?:dead|born|gone)|"
            r"rather\s+be\s+dead|everyone\s+would\s+be\s+better\s+off)\b"
        ),
        0.85,
        guards=_MEDIUM,
    ),
    Rule(
        CODE,
        compile_rx(r"\b(?:wants?|wanted|wanna|wish|wishes|wishing|ready|deserve|plan(?:ning)?)\s+(?:to\s+)?die\b"),
        0.75,
        guards=(*_WEAK, _die_idiom),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:take|taking|took|swallow(?:ed|ing)?|down(?:ed)?)\s+(?:all|a\s+bunch\s+of|a\s+(?:whole\s+)?bottle\s+of|too\s+many|"
            r"a\s+lot\s+of|lots\s+of|a\s+handful\s+of|so\s+many|loads\s+of|a\s+whole\s+(?:pack|box)\s+of|"
            r"the\s+whole\s+(?:bottle|pack|box)\s+of|every)\s+(?:of\s+)?(?:my\s+|the\s+|these\s+|those\s+|her\s+|his\s+)?"
            r"(?:pills|meds|medications?|tablets|sleeping\s+pills|painkillers)\b|\boverdos(?:e|ed|ing)\b"
        ),
        0.85,
        guards=_MEDIUM,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bjump(?:ing|ed)?\s+(?:off|from|in\s+front\s+of)\s+(?:a|the|my|this|that)\s+(?:bridge|roof|building|"
            r"balcony|cliff|tower|train|window|car|bus)\b"
        ),
        0.85,
        guards=_MEDIUM,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:can'?t|cannot|can\s+not)\s+(?:go\s+on|keep\s+going)\b(?!\s+(?:through|to\s+|with\s+(?:the|my)\s+(?:stream|live)))"
        ),
        0.6,
        guards=(*_WEAK, _go_on_live),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:(?:say(?:ing)?|said)\s+(?:my\s+)?(?:final\s+)?goodbyes?\s+(?:to\s+(?:everyone|the\s+world|you\s+all)|forever)|"
            r"goodbye\s+(?:forever|cruel\s+world)|final\s+goodbye|suicide\s+note|goodbye\s+letter)\b"
        ),
        0.8,
        guards=_MEDIUM,
    ),
)


ALL_RULES: tuple[Rule, ...] = RULES


def detect(ctx: Context) -> list[Signal]:
    """Self-harm signals in the text."""
    return scan(ctx, RULES)
