"""``violence_threat``: threats to hurt or kill a person, made by the writer or reported by a victim.

A quoted threat ("he wrote 'I know where you live'") is still flagged: the case is dangerous either way. The
verbs of violence are also the verbs of games and idioms, so a "kill"-type rule needs a *person* as its object
and yields to game context ("kill this boss", "I'll destroy you in ranked") or, for "me"/"us", needs someone
else as the speaker ("my mom will kill me" is an idiom, "he said he'd kill me" is a report).
"""

from __future__ import annotations

import re

from app.triage.signals.base import Context, Rule, Signal, alt, scan
from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import has_game_context, has_laughter, sentence_at

CODE = "violence_threat"

_PEOPLE = alt(
    "streamers?", "hosts?", "creators?", "mods?", "moderators?", "admins?", "agents?", "staff", "employees?",
    "ceo", "owners?", "guy", "girl", "kid", "kids", "woman", "man", "dude", "person", "viewers?", "users?",
    "bitch", "bastard", "idiot", "family", "children", "child", "son", "daughter", "wife", "husband", "mom",
    "mother", "mum", "dad", "father", "parents", "brother", "sister", "girlfriend", "boyfriend", "gf", "bf",
    "ex", "friends?", "team", "neighbou?r", "teacher", "baby", "whole\\s+family", "people", "supervisor",
    "manager", "support\\s+(?:team|agents?|staff)", "developers?", "devs?", "whore", "slut", "fag", "loser",
    "guests?", "audience", "crowd", "attendees", "fans", "followers", "kids", "mods", "dog", "cat", "pets?",
)  # fmt: skip
_OBJECT = (
    r"(?:you|u|ya|y'?all|him|her|them|everyone|everybody|every\s+one|someone|somebody|anyone|anybody|people|ppl|"
    r"all\s+of\s+you|you\s+all|each\s+of\s+you|"
    r"(?:the|that|this|your|ur|his|her|their|my|our|those|these|a|an|some|any)\s+(?:\w+\s+)?" + _PEOPLE + r"|"
    r"(?:my|your|ur|his|her|their)\s+boss|whoever|whomever|anyone\s+who|everyone\s+who|(?:all|every|any)\s+(?:of\s+)?(?:the\s+)?(?:\w+\s+)?(?:women|men|girls|boys|"
    r"people|streamers|creators|users|viewers|mods|moderators|employees|staff|kids|children|jews|muslims|christians|"
    r"immigrants|gays|blacks|whites|asians))(?!\w)"
)
_SELF_OBJECT = r"(?:me|us|my\s+(?:\w+\s+)?" + _PEOPLE + r")(?!\w)"
_VERB = alt(
    "kill", "murder", "shoot", "stab", "hurt", "harm", "beat\\s+up",
    "beat\\s+the\\s+(?:shit|crap|hell|life)\\s+out\\s+of",
    "punch", "attack", "strangle", "choke", "rape", "assault", "slit", "behead", "torture", "hunt\\s+down",
    "run\\s+over", "smash", "bash", "jump", "batter", "slap", "end", "come\\s+for", "come\\s+after", "cut", "gut",
    "slaughter", "kidnap", "abduct", "put\\s+a\\s+bullet\\s+in", "hit", "destroy", "burn", "poison", "bomb",
    "blow\\s+up", "hang", "lynch", "murk", "merk", "dox+", "swat", "find\\s+and\\s+(?:kill|hurt)",
)  # fmt: skip
_MODAL = alt(
    "will", "'ll", "shall", "would", "'d", "gonna", "gon", "going\\s+to", "bout\\s+to", "about\\s+to", "finna",
    "want\\s+to", "wanna", "wants\\s+to", "need\\s+to", "needs\\s+to", "gotta", "got\\s+to", "plan(?:s|ning)?\\s+to",
    "threaten(?:s|ed|ing)?\\s+to", "organi[sz]ing\\s+to", "plotting\\s+to", "conspiring\\s+to",
    "tried\\s+to", "try\\s+to", "trying\\s+to", "promise[sd]?\\s+to",
    "swear(?:s)?\\s+to", "swear\\s+i'?ll", "should", "deserves?\\s+to\\s+be", "let'?s", "ready\\s+to",
    "(?:told|asked|encouraged|urged|telling|asking)\\s+(?:\\w+\\s+){0,2}?to",
    "coming\\s+to", "come\\s+to", "is\\s+going\\s+to",
)  # fmt: skip
_REPORTING = compile_rx(
    r"\b(?:he|she|they|someone|somebody|(?:a|this|that|the|some|one)\s+(?:\w+\s+)?(?:guy|man|woman|viewer|user|streamer|"
    r"creator|host|mod|moderator|person|dude|follower|fan|stalker|neighbou?r|coworker|ex)|my\s+ex|said|says|saying|told|tells|"
    r"threaten\w*|wrote|writes|messaged|texted|dm'?d|commented|posted|keeps?\s+saying|promised|"
    r"swore|yelled|screamed)\b"
)
_FAMILY_IDIOM = compile_rx(
    r"\b(?:my\s+)?(?:mom|mum|mother|dad|father|parents|wife|husband|boss|gf|bf|girlfriend|boyfriend|teacher|"
    r"grandma|grandpa|family)\s+(?:is\s+)?(?:\w+\s+)?(?:will|'ll|gonna|going\s+to|is\s+going\s+to|would|'d)\s+"
    r"(?:literally\s+)?kill\s+me\b"
)
_NOT_VIOLENT_AFTER = compile_rx(
    r"^\s*(?:up\b|a\s+(?:message|msg|text|dm|line|note|email|mail|call|pic|link|invite)|an?\s+(?:email|invite|update)|"
    r"back\b|some\s+slack|slack|(?:guys\s+|all\s+)?with\s+(?:kindness|love|facts|logic)|in\s+(?:ranked|the\s+game|game|a\s+game|pvp|1v1|chess|"
    r"the\s+battle|a\s+battle|battle|pk|the\s+match|the\s+next\s+round)|off\b|out\s+of\s+(?:the|this)\s+(?:game|battle|match)|"
    r"(?:records?|counts?|goals?|milestones?|numbers|stats|totals?|high\s*scores?)\b)"
)


_GRAVE_VERB = compile_rx(r"\b(?:kill|murder|stab|shoot|rape)\b")


def _game_or_banter(text: str, match: re.Match[str]) -> bool:
    sentence = sentence_at(text, match.start(), match.end())
    if has_game_context(sentence):
        return True
    if _NOT_VIOLENT_AFTER.search(text[match.end() : match.end() + 40]) is not None:
        return True
    return has_laughter(sentence) and _GRAVE_VERB.search(sentence) is None


_TITLE = compile_rx(r"\b(?:in|watch|watching|movie|film|show|game|series)\s+$")
_KITCHEN = compile_rx(
    r"\b(?:cook\w*|kitchen|chef|recipe|chopp\w*|slic\w*|vegetables?|veggies|meat|steak|cake|bread|onions?|"
    r"sharpen\w*|knife\s+skills|unboxing|review|collection|collector|toy|prop|cosplay|costume)\b"
)


def _game_or_kitchen(text: str, match: re.Match[str]) -> bool:
    sentence = sentence_at(text, match.start(), match.end())
    return has_game_context(sentence) or _KITCHEN.search(sentence) is not None


_OTHER_THREATENER = compile_rx(
    r"\b(?:he|she|they|someone|somebody|this\s+\w+|that\s+\w+|the\s+\w+|a\s+\w+|my\s+ex|he'?ll|she'?ll|they'?ll|"
    r"he'?d|she'?d|they'?d|he'?s|she'?s|they'?re)\s+(?:[\w']+\s+){0,6}?(?:" + _MODAL + r"\s+(?:[\w']+\s+){0,5}?)?$"
)


def _no_other_threatener(text: str, match: re.Match[str]) -> bool:
    """ "... kill me" needs someone else who will or threatens to do it ("he said he would kill me")."""
    return _OTHER_THREATENER.search(text, max(0, match.start() - 80), match.start()) is None


_SAID = compile_rx(
    r"\b(?:said|says|told|tells|threaten\w*|wrote|writes|texted|messaged|claimed|promised|swore|warned)\b"
)
_SOFT_VERB = compile_rx(r"(?:hurt|harm|hit|end|cut|destroy|burn|jump|come)\b")
_HYPOTHETICAL = compile_rx(r"\b(?:would|'d|should|could|might)\b|\b(?:it|that|this|in\s+order)\s+to\s+$")


def _feelings(text: str, match: re.Match[str]) -> bool:
    """'a picture would hurt you', 'I'd do it to hurt you': hurt feelings or a motive, not a threat."""
    if _SOFT_VERB.match(text, match.start("ev")) is None:
        return False
    if _SAID.search(text, max(0, match.start() - 60), match.start()) is not None:
        return False  # "they said they would hurt them" reports a threat: "would" is the reported "will"
    return _HYPOTHETICAL.search(text, match.start(), match.start("ev")) is not None


def _needs_other_speaker(text: str, match: re.Match[str]) -> bool:
    """For "... kill me": only a threat when someone else says it, and not the 'mom will kill me' idiom."""
    sentence = sentence_at(text, match.start(), match.end())
    if _FAMILY_IDIOM.search(sentence) or has_game_context(sentence):
        return True
    before = text[max(0, match.start() - 80) : match.start()]
    return _REPORTING.search(before) is None


_BODY = r"(?:head|face|neck|throat|legs?|knees?|chest|heart|skull|teeth|eyes?|back|arms?|hands?|fingers|ribs|jaw|nose)"

_THREAT_CONTEXT = compile_rx(
    r"\b(?:if\s+(?:i|we)|unless|or\s+else|threat\w*|scared|afraid|terrified|hacked|stalk\w*|warned|blocked)\b"
)


def _no_threat_context(text: str, match: re.Match[str]) -> bool:
    """'he'll come to my house' is a threat next to a condition or fear ("if I report him"), not when he fixes
    the wifi."""
    return _THREAT_CONTEXT.search(text, max(0, match.start() - 100), min(len(text), match.end() + 80)) is None


_PHYSICAL = compile_rx(
    r"\b(?:showed\s+up|show\s+up|turned\s+up|outside|followed|came\s+to\s+my|waited|waiting|found\s+me|irl|in\s+person|"
    r"gym|my\s+(?:house|home|work|door|school|car))\b"
)


def _not_in_person(text: str, match: re.Match[str]) -> bool:
    """'next time I won't be so nice' is menacing from someone who turned up in person, a grumble otherwise."""
    return _PHYSICAL.search(text, max(0, match.start() - 200), min(len(text), match.end() + 120)) is None


_HOSTILE = compile_rx(
    r"\b(?:hurt|kill|die|dead|deserve\w*|regret|pay\s+for|watch\s+your|sorry|coming|one\s+by\s+one|find\s+you|waiting|outside|"
    r"burn|shoot|stab|beat|threat\w*|scared|afraid)\b"
)


def _not_hostile(text: str, match: re.Match[str]) -> bool:
    """'I know where your office is' is menacing next to talk of hurting, not when someone drops off papers."""
    return _HOSTILE.search(text, max(0, match.start() - 150), min(len(text), match.end() + 150)) is None


_THIRD = r"(?:he|she|they|someone|somebody|he'?ll|she'?ll|they'?ll|he'?d|she'?d|they'?d|he'?s|she'?s|they'?re)"

RULES: tuple[Rule, ...] = (
    Rule(
        CODE,
        compile_rx(
            r"\b(?:i|we|they|he|she)\s+(?:know|knows|found\s+out)\s+where\s+(?:your|ur|his|her|their|my|our)\s+(?:office|house|home|"
            r"school|kids?|children|family|wife|husband|workplace|hq|apartment|studio|car)\s+(?:is|are)\b"
        ),
        0.85,
        guards=(_not_hostile,),
    ),
    Rule(
        CODE,
        compile_rx(r"\b(?:throw|throwing|threw|pour|pouring|splash\w*)\s+acid\b|\bacid\s+attack\b"),
        0.85,
        guards=(lambda t, m: has_laughter(sentence_at(t, m.start(), m.end())),),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bsend\s+(?:some|a\s+few|a\s+couple(?:\s+of)?|my|his|her|their)?\s*(?:guys|people|boys|men|goons|thugs|homies|"
            r"friends|cousins)\s+(?:to\s+(?:deal\s+with|handle|take\s+care\s+of|visit|find|get|sort\s+out|teach|your|ur|her|his|my|"
            r"their)|after|round|around)\b"
            r"|\bthreaten(?:ed|s|ing)?\s+(?:\w+\s+){1,3}?to\s+(?:beat\s+up|kill|hurt|stab|shoot|punch|attack|murder|jump|slap|smash|"
            r"strangle|choke|rape)\b"
            r"|\b(?:come|coming|go|going|drive|fly|show\s+up)\s+(?:down\s+|over\s+|up\s+)?(?:there|here|to\s+(?:your|ur|the|their|our|my)\s+"
            r"\w+)\s+and\s+(?:hurt|kill|shoot|stab|beat|burn|smash|wreck|blow|attack|punch|bomb)\b"
            r"|\benjoy\s+(?:your|ur)\s+last\s+(?:stream|live|day|days|breath|night|moments?)\b(?!\s+(?:of|before|at|on|with|here|as))"
            r"|\bkidnap\w*|\babduct(?:ed|ing|ion|s)?\b"
        ),
        0.8,
        guards=(_game_or_banter,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b"
            + _THIRD
            + r"\s+(?:\w+\s+){0,3}?(?:come|coming|show\s+up|showing\s+up|turn\s+up|visit|be\s+waiting)\s+(?:to|at|"
            r"outside|by)\s+(?:my|our)\s+(?:house|home|door|place|work|office|school|apartment|flat|address|job|gym)\b"
        ),
        0.8,
        guards=(_game_or_banter, _no_threat_context),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b"
            + _THIRD
            + r"\s+(?:\w+\s+){0,3}?(?:going\s+to|gonna|will|'ll|would|'d)\s+find\s+(?:my|our)\s+(?:kids?|"
            r"children|son|daughter|family|wife|husband|house|home|address)\b(?!'|\s+(?:a|an|some|the)\b)"
        ),
        0.8,
        guards=(_game_or_banter,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bbeat\s+(?:me|you|u|him|her|them|us)\s+(?:until|till|so\s+bad|half\s+to\s+death|to\s+death|senseless|black\s+and\s+"
            r"blue|to\s+a\s+pulp)\b"
            r"|\b(?:end\s+up|wind\s+up)\s+(?:in\s+a\s+ditch|dead|in\s+(?:a|the)\s+(?:morgue|grave|body\s+bag|coffin))\b"
            r"|\bmake\s+(?:you|u|him|her|them)\s+disappear\b"
            r"|\b(?:light|set)\s+(?:my|your|ur|his|her|their|the|our)\s+(?:\w+\s+)?(?:house|home|car|apartment|flat|place|office|"
            r"building|studio)\s+on\s+fire\b"
        ),
        0.8,
        guards=(_game_or_banter,),
    ),
    Rule(
        CODE,
        compile_rx(r"\bmake\s+(?:me|us)\s+disappear\b"),
        0.8,
        guards=(_no_other_threatener, _needs_other_speaker),
    ),
    Rule(
        CODE,
        compile_rx(r"\bnext\s+time\s+(?:i|we)\s+won'?t\s+be\s+(?:so\s+|as\s+)?(?:nice|gentle|friendly|polite|kind)\b"),
        0.75,
        negatable=False,
        guards=(_not_in_person,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:posted|sent|showed|shared|dm'?d)\s+(?:me\s+)?(?:a\s+|his\s+|her\s+|their\s+)?(?:photo\s+of\s+(?:a\s+)?|pic\s+of\s+"
            r"(?:a\s+)?)?(?:knife|gun|pistol|weapon|machete|rifle|bullets?)\b"
            r"|\b(?:coming|come|driving|flying|travell?ing)\s+to\s+(?:my|your|ur|her|his)\s+(?:city|town|area|neighbou?rhood|street|"
            r"school|work)\s+to\s+(?:find|get|deal\s+with|hurt|see|teach|settle)\b"
        ),
        0.75,
        guards=(_game_or_kitchen,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:i|we|they|he|she)\s+(?:know|found\s+out)\s+(?:which|what|where)\s+(?:\w+\s+){0,2}?(?:you|u|your\s+\w+|he|she|"
            r"they)\s+(?:go|goes|work|works|live|lives|stay|stays|park|parks|drive|drives|train|trains|sleep|sleeps)\b"
            r"|\bwait(?:ing)?\s+(?:for\s+(?:you|u|him|her)\s+)?(?:at|outside|by)\s+(?:your|ur|his|her)\s+(?:front\s+)?(?:door|house|"
            r"home|work|office|car|school|apartment|building|gym)\b"
            r"|\bthere\s+will\s+be\s+blood\b|\byou'?(?:ll|\s+will)\s+(?:bleed|be\s+sorry\s+you\s+were\s+born)\b"
            r"|\b(?:your|ur)\s+(?:whole\s+|entire\s+)?(?:family|kids|children|wife|husband|mom|mother|dad|father|son|daughter|"
            r"girlfriend|boyfriend|sister|brother)\s+(?:is|are)\s+(?:dead|next|gonna\s+die|going\s+to\s+die)\b"
            r"|\b(?:throw|throwing|threw|hurl)\s+(?:a\s+|some\s+)?(?:brick|rock|stone|bottle|molotov|firebomb)s?\s+(?:at|through|into)\s+"
            r"(?:my|your|ur|his|her|their|the)\b"
            r"|\bevery\s+bone\s+in\s+(?:your|ur|his|her|their|my)\s+body\b"
        ),
        0.8,
        guards=(_game_or_banter,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:put|putting|shoot|shooting|stab|stabbing|punch|punching|smash|smashing|break|breaking|cut|cutting|slit|"
            r"slitting|kick|kicking|bash|bashing|snap|snapping|blow|blowing)\s+(?:a\s+bullet\s+(?:in|through)\s+|a\s+knife\s+"
            r"(?:in|into|through)\s+|in\s+)?(?:your|ur|his|her|their|my)\s+(?:\w+\s+)?"
            + _BODY
            + r"\b(?:\s+(?:in|off|open))?"
            r"|\b(?:won'?t|will\s+not|wont|not\s+going\s+to|aren'?t\s+going\s+to)\s+make\s+it\s+(?:home|out\s+alive|through\s+the\s+"
            r"night|to\s+(?:tomorrow|the\s+morning))\b"
            r"|\brun\s+(?:me|you|u|him|her|them|us)\s+over\b"
            r"|\b(?:kill|hurt|stab|shoot)\s+(?:him|her|them)sel(?:f|ves)\s+and\s+(?:me|us|(?:my|his|her|their)\s+\w+)\b"
            r"|\bbeat(?:ing)?\s+(?:my|his|her|your|their|the|that|this)\s+(?:\w+\s+)?(?:son|daughter|kids?|children|child|wife|"
            r"husband|mom|mother|dad|father|girlfriend|boyfriend|sister|brother|family|baby|partner)\b"
        ),
        0.85,
        guards=(_game_or_banter,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:find|finding|figure|figuring)\s+out\s+where\s+(?:you|u|he|she|they|your\s+\w+|ur\s+\w+)\s+(?:live|lives|work|"
            r"works|sleep|sleeps|stay|stays)\b"
            r"|\bwait(?:ing)?\s+for\s+(?:me|you|u|him|her|them)\s+outside\b"
            r"|\b(?:photos?|pictures?|pics?|videos?)\s+of\s+my\s+(?:house|home|car|front\s+door|door|street|apartment|building|kids|"
            r"children|school|workplace)\b"
            r"|\b(?:break|breaking|broke)\s+into\s+(?:my|your|her|his|their|our)\s+(?:house|home|apartment|flat|place|room|car)\b"
        ),
        0.8,
        negatable=False,
        guards=(_game_or_banter,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:picture|photo|pic|image|video|selfie)s?\s+(?:of\s+)?(?:him\s+with\s+)?(?:a|his|her|their|some)\s+(?:loaded\s+)?"
            r"(?:gun|knife|weapon|pistol|rifle|machete)s?\b"
            r"|\bthreaten(?:ed|s|ing)?\s+(?:\w+\s+){0,4}?with\s+(?:a\s+|his\s+|her\s+)?(?:knife|gun|weapon|bat|machete|pistol|acid)\b"
            r"|\bregret\s+(?:ever\s+)?(?:being\s+born|the\s+day\s+(?:you|he|she)\s+(?:were|was)\s+born)\b"
            r"|\bstalkers?\b|\b(?:stalk|stalks|stalked|stalking)\s+(?:me|her|him|us|my|them)\b"
            r"|\b(?:showed|shows|show|turned|turns)\s+up\s+(?:at|outside)\s+(?:my|her|his|our)\s+(?:\w+\s+)?(?:apartment|house|home|"
            r"door|work|office|school|flat|place|hotel)\b"
        ),
        0.8,
        guards=(_game_or_banter,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:someone|somebody|people|you|u|everyone|everybody|y'?all)\s+(?:[\w']+\s+){0,3}?(?:is|are|will|'s|'re|gonna|going\s+to|"
            r"is\s+going\s+to|"
            r"are\s+going\s+to)\s+(?:\w+\s+)?(?:get|getting|be|gonna\s+get)\s+(?:hurt|killed|shot|stabbed|murdered)\b"
            r"|\bbeat\s+(?:me|you|u|him|her|them|us|my\s+\w+)\s+up\b|\bmake\s+(?:you|u|him|her|them)\s+(?:bleed|suffer)\b"
            r"|\b(?:visit|come|coming|show\s+up|showing\s+up|pay\s+(?:me|you|u|him|her)\s+a\s+visit)\b[^.!?\n]{0,40}?\bwith\s+"
            r"(?:a\s+|his\s+|their\s+|my\s+)?(?:weapons?|guns?|knives|knife|bats?|machetes?)\b"
        ),
        0.85,
        guards=(_game_or_banter,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:posted|leaked|shared|published|doxx?ed|spread)\s+(?:my|her|his|our|their)\s+(?:home\s+|real\s+)?address\b"
            r"|\b(?:posted|leaked|shared|published|doxx?ed)\s+(?:my|her|his|our|their)\s+(?:kid'?s|kids'?|son'?s|daughter'?s|children'?s)\s+"
            r"(?:school|address|location)\b"
        ),
        0.65,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:hunt|track)\s+(?:me|you|u|him|her|them|us)\s+down\b|\bpull\s+up\s+(?:on|to)\s+(?:you|u|your|him|her|them)\b"
            r"|\bcatch\s+(?:you|u|him|her|them)\s+(?:outside|alone|irl|in\s+real\s+life)\b|\bbullet\s+with\s+(?:your|his|her|"
            r"my)\s+name\b|\bput\s+(?:you|u|him|her|them|me|us)\s+(?:in\s+(?:the\s+)?(?:hospital|ground|grave)|six\s+feet\s+under)\b"
            r"|\b(?:slit|cut)\s+(?:your|ur|his|her|their|my)\s+throat\b|\b(?:get(?:ting)?|grab(?:bing)?)\s+my\s+(?:gun|knife|bat)\b"
        ),
        0.85,
        guards=(_game_or_banter,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bdeserves?\s+to\s+(?:be\s+|get\s+)?(?:shot|killed|stabbed|raped|beaten|murdered|hurt|die|hanged|burned|tortured)\b"
        ),
        0.8,
        guards=(_game_or_banter,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:i|we|they|he|she)\s+(?:know|knows|found(?:\s+out)?|have|got|has)\s+(?:where\s+(?:you|u|he|she|they|(?:your|ur|my|his|"
            r"her|our|their)\s+\w+)\s+"
            r"(?:live|lives|living|work|works|sleep|sleeps|stay|stays|go(?:es)?\s+to\s+school)"
            r"|(?:your|ur|his|her|their)\s+"
            r"(?:home\s+|real\s+|house\s+)?address)\b"
        ),
        0.95,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:(?:i'?m|i\s+am|we'?re|he'?s|she'?s|they'?re|someone\s+is)\s+(?:outside|near|at|in\s+front\s+of)\s+"
            r"(?:your|ur|my|his|her)\s+(?:house|home|door|place|work|office|school|apartment|flat)|"
            r"(?:coming|come|show(?:ing)?\s+up|turn(?:ing)?\s+up|pay\s+(?:you|u)\s+a\s+visit|visit(?:ing)?\s+(?:you|u))\s+"
            r"(?:to|at)\s+(?:your|ur|his|her|their|streamnest)\s+(?:house|home|door|place|work|office|school|hq|headquarters|"
            r"apartment|flat|address))\b"
        ),
        0.8,
    ),
    Rule(
        CODE,
        compile_rx(r"\bswat(?:ted|ting|s)?\b(?!\s+(?:a|the|that)\s+(?:fly|bug|mosquito))"),
        0.9,
        guards=(lambda t, m: _TITLE.search(t, max(0, m.start() - 16), m.start()) is not None,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:death|violent|rape|bomb|murder|kill)\s+threats?\b|\bthreat(?:s|ened|ening)?\s+(?:of\s+)?(?:violence|to\s+"
            r"(?:my|his|her|their)\s+life)\b|\bthreaten(?:ed|ing|s)?\s+(?:my|his|her|their|our)\s+(?:life|lives|safety|family|kids|children)\b"
        ),
        0.95,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\bthreaten(?:ed|ing|s)?\s+(?:me|us|to\s+(?:come|find|visit|show\s+up))\b"
            r"(?!\s+(?:with\s+(?:a\s+)?(?:ban|lawsuit|legal|report|suspension|chargeback|dispute|bad\s+review)|"
            r"to\s+(?:ban|report|sue|block|mute|remove|take|close|dispute|charge|refund|leave|unfollow|cancel|delete|"
            r"unsubscribe|expose|leak|post|share|send|release|publish|tell|contact|call|email|mass\s+report)))"
        ),
        0.7,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:bring(?:ing)?|brought|pull(?:ed|s|ing)?|show(?:ed|s|ing)?|wav(?:e|ed|es|ing)|"
            r"point(?:ed|s|ing)|hold(?:ing|s)?|held|brandish\w*|load(?:ed|ing)?)\s+(?:out\s+|up\s+)?"
            r"(?:a|an|his|her|their|my|the|some)\s+(?:loaded\s+)?(?<!glue\s)(?<!nerf\s)(?<!water\s)(?:gun|pistol|rifle|"
            r"shotgun|handgun|firearm|knife|machete|weapon|ak-?47|ar-?15|glock|bomb|explosives?)\b"
        ),
        0.8,
        guards=(_game_or_kitchen,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:has|had|have|got|owns?|bought|is\s+carrying|carries)\s+(?:a\s+|an\s+)?(?:loaded\s+)?(?:gun|firearm|rifle|pistol|"
            r"handgun|shotgun)s?\b"
        ),
        0.7,
        guards=(_game_or_kitchen,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:break|snap|smash|bash|cut|cave)\s+(?:your|ur|his|her|their|my)\s+(?:\w+\s+)?(?:legs?|neck|face|skull|head|"
            r"bones|jaw|arms?|fingers|knees|teeth|throat)\b"
        ),
        0.85,
        guards=(_game_or_banter,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:bomb(?:ing)?|blow(?:ing)?\s+up|shoot(?:ing)?\s+up|burn(?:ing)?\s+down|attack(?:ing)?|set\s+fire\s+to|burn|torch)\s+"
            r"(?:the|your|ur|this|that|their|his|her|a|my|our)\s+(?:[\w']+\s+)?(?:office|offices|building|school|hq|headquarters|house|"
            r"home|place|company|studio|event|stadium|meetup|concert|mall|church|mosque|synagogue|station|venue|convention|"
            r"conference|party|arena|stage|hotel|club|store|festival)\b"
            r"|\b(?:bomb\s+threat|there'?s\s+a\s+bomb|plant(?:ed|ing)?\s+a\s+bomb|mass\s+shooting|school\s+shooting|shoot\s+up\s+\w+)\b"
        ),
        0.9,
        guards=(lambda t, m: has_game_context(sentence_at(t, m.start(), m.end())),),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:you(?:'re|\s+are|r)?|u\s+r|ur)\s+(?:gonna|going\s+to|will)\s+(?:die|regret\s+(?:this|it)|pay\s+with\s+your\s+life)\b"
            r"|\byou'?ll\s+(?:die|be\s+dead)\b|\bwatch\s+your\s+back\b|\bsleep\s+with\s+one\s+eye\s+open\b"
            r"|\byour\s+days\s+are\s+numbered\b|\byou'?re\s+(?:next|a\s+dead\s+(?:man|woman))\b|\bi\s+will\s+find\s+(?:you|u)\b"
            r"(?!\s+(?:the|a|an|some|my|your|it|that|this|one|another|more|what|how|someone|somebody|something))"
            r"|\b(?:i'?ll|i\s+will|we'?ll|we\s+will|gonna)\s+(?:find|hunt)\s+(?:you|u)\s+(?:down|and)\b"
        ),
        0.85,
        guards=(_game_or_banter,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b"
            + _MODAL
            + r"\s+(?:\w+\s+){0,3}?(?:(?:find|get|catch|track\s+down|hunt\s+down|go\s+after)\s+(?:\w+\s+){0,3}?and\s+)?"
            r"(?P<ev>" + _VERB + r"\s+" + _OBJECT + r")"
        ),
        0.85,
        guards=(_game_or_banter, _feelings),
    ),
    Rule(
        CODE,
        compile_rx(r"\b" + _VERB + r"\s+" + _SELF_OBJECT),
        0.85,
        guards=(_no_other_threatener, _needs_other_speaker),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:said|says|told\s+me|threatened|wrote|messaged|texted|keeps?\s+saying)\s+(?:that\s+)?(?:he|she|they|"
            r"he'?d|she'?d|they'?d|he'?ll|she'?ll|they'?ll)\s+(?:\w+\s+){0,3}?(?P<ev>"
            + _VERB
            + r"\s+"
            + _SELF_OBJECT
            + r")"
        ),
        0.85,
        guards=(lambda t, m: _FAMILY_IDIOM.search(sentence_at(t, m.start(), m.end())) is not None,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:stabb(?:ed|ing)|shot|shooting|punch(?:ed|ing)|chok(?:ed|ing)|strangl(?:ed|ing)|rap(?:ed|ing)|assault(?:ed|ing)|"
            r"beat(?:ing)?\s+up|beating|hitting|kidnapp?(?:ed|ing)|attack(?:ed|ing))\s+(?:a|his|her|their|the|some|my)?\s*"
            r"(?:\w+\s+)?(?:girlfriend|boyfriend|wife|husband|woman|man|girl|boy|kid|child|baby|dog|cat|pet|person|people|"
            r"someone|somebody|partner|mother|mom|father|dad|sister|brother|viewer|guest)\b[^.!?\n]{0,40}\b(?:on|in|during)\s+"
            r"(?:a\s+|the\s+|his\s+|her\s+|their\s+)?(?:live|stream|camera|cam|broadcast)\b"
        ),
        0.85,
    ),
)


ALL_RULES: tuple[Rule, ...] = RULES


def detect(ctx: Context) -> list[Signal]:
    """Violence-threat signals in the text."""
    return scan(ctx, RULES)
