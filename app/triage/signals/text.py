"""Text helpers the detectors share: normalisation, clause scope, negation, and hyperbole or game context.

Every helper works on offsets into the *normalised* text, and normalisation keeps the length of the text, so a
match position is also a position in what the requester wrote and evidence can be cut from the original.

Quoting needs no helper of its own, by design: a threat or a scam text the requester quotes is still flagged
(the case is dangerous either way), a quote ends a negation's scope (see ``_CLAUSE_BREAK``), and a forwarded
message is recognised by its frame ("I got this text, is it you?") in :mod:`.spam`.
"""

from __future__ import annotations

from app.triage.signals.patterns import compile_rx

# Curly quotes, primes, dashes and odd spaces become their ASCII twins, one character for one character, so the
# patterns only need to spell "don't" once and offsets stay valid.
_TRANSLATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u02bc": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u3000": " ",
    }
)


def normalize(text: str) -> str:
    """Length-preserving normalisation: ASCII quotes, apostrophes, dashes and spaces."""
    return text.translate(_TRANSLATION)


def fold(text: str) -> str:
    """Lower-case ``text`` without changing its length (a few characters lower-case to two; those stay as they are).

    Detectors match lower-case patterns against folded text because case-insensitive matching is several times
    slower in Python's ``re``, and the 2 ms budget per message matters more than a flag.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


_SENTENCE_END = compile_rx(r"[.!?\n]+(?=\s|$|[\"')\]])|\n")


def sentence_bounds(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """Bounds of the sentence around ``start..end``; a cheap splitter that is good enough for scope checks."""
    end = start if end is None else end
    left = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        left = match.end()
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() if right_match else len(text)
    return left, right


def sentence_at(text: str, start: int, end: int | None = None) -> str:
    """The sentence that holds ``start..end``."""
    left, right = sentence_bounds(text, start, end)
    return text[left:right]


# Where a negation stops applying: punctuation, quotes and the conjunctions that open a new clause. "and" only
# counts when a new subject follows ("I'm fine and I want to die" has two clauses).
_CLAUSE_BREAK = compile_rx(
    r"[.!?;:,\n\"()\[\]]|\s-\s|(?<!\w)'|'(?!\w)"
    r"|\b(?:but|though|although|however|because|cause|cuz|since|so|if|when|whenever|yet|until|unless|except|"
    r"while|whereas|otherwise|lol|lmao|anyway|tho)\b"
    r"|\band\s+(?=(?:i|i'm|im|he|she|they|you|we|it|now|then|someone|somebody)\b)"
    # "if you don't unban me I will ...": a new subject with a will/am starts the main clause.
    r"|(?=\b(?:i|we)\s+(?:will|would|am|shall|gonna|swear|promise)\b)"
    r"|(?=\b(?:i'll|i'm|i'd|we'll|ill|im)\s)"
)

_NEGATION_CUE = compile_rx(
    r"\b(?:not|never|no|nobody|noone|none|nothing|neither|nor|without|cannot|hardly|barely)\b|n't\b|\bno\s+one\b"
    r"|\b(?:dont|didnt|wont|wouldnt|isnt|wasnt|cant|couldnt|shouldnt|doesnt|arent|aint|havent|hasnt)\b"
)

# Phrases that contain a negation word but do not negate what follows.
_NEGATION_EXCEPTIONS = compile_rx(
    r"\bnot\s+(?:even\s+)?(?:gonna|going\s+to)\s+lie\b|\bnot\s+(?:even\s+)?(?:joking|kidding|lying)\b"
    r"|\bno\s+(?:joke|cap|lie|kidding)\b|\bnot\s+only\b|\bno\s+longer\b|\bnot\s+anymore\b"
    r"|\b(?:can'?t|cannot|couldn'?t|won'?t|wouldn'?t|doesn'?t|didn'?t|don'?t|never)\s+(?:stop|quit|leave\s+me\s+alone)"
    r"|\b(?:can'?t|cannot|couldn'?t)\s+(?:help|take|handle|cope|bear|stand|deal|sleep|eat|breathe|think)\b"
    r"|\b(?:don'?t|do\s+not|didn'?t)\s+know\b|\bnot\s+sure\b|\bno\s+idea\b|\bdon'?t\s+care\b"
    r"|\b(?:no\s*one|nobody|noone)\s+(?:would|will|'d|even|ever|really)?\s*(?:care|cares|miss|notice|listens?|helps?)\b"
    r"|\bno\s+(?:matter|way\s+out|point|reason|hope|choice|option)\b|\bnothing\s+(?:left|matters)\b"
    r"|\bnot\s+(?:ok|okay|fine|well|good|doing\s+(?:well|good|ok|okay|great))\b"
    r"|\b(?:don'?t|do\s+not|would\s+not|wouldn'?t)\s+(?:want\s+to|wanna)\s+(?:have\s+to|be\s+forced\s+to)\b"
)

_WORD = compile_rx(r"[\w']+")


def clause_start(text: str, pos: int, max_back: int = 80) -> int:
    """Start of the clause that ends at ``pos`` (looking back at most ``max_back`` characters)."""
    return _clause(text, pos, max_back)[0]


def _clause(text: str, pos: int, max_back: int = 80) -> tuple[int, str]:
    lo = max(0, pos - max_back)
    start, opener = lo, ""
    for match in _CLAUSE_BREAK.finditer(text, lo, pos):
        start, opener = match.end(), match.group()
    return start, opener


_CONDITIONAL = frozenset({"if", "unless", "when", "whenever", "until"})
_CONSEQUENT_WINDOW = 3


def is_negated(text: str, start: int, window_words: int = 8) -> bool:
    """True when a negation cue precedes ``start`` in the same clause, within a few words.

    The window only looks *before* the match, so patterns that contain their own negation ("I don't want to be
    here anymore", "payments I didn't make") are not cancelled by it. After "if"/"unless" the negation usually
    belongs to the condition ("if my account isn't back by Friday someone will get hurt"), so only the last few
    words count there.
    """
    clause_begin, opener = _clause(text, start)
    words = _WORD.findall(text[clause_begin:start])
    if not words:
        return False
    size = _CONSEQUENT_WINDOW if opener.strip() in _CONDITIONAL and len(words) > _CONSEQUENT_WINDOW else window_words
    window = _NEGATION_EXCEPTIONS.sub(" ", " ".join(words[-size:]))
    return _NEGATION_CUE.search(window) is not None


_LAUGHTER = compile_rx(
    r"\b(?:lol+|lmf?ao+|rofl|haha+|hehe+|jk|j/k|just\s+kidding|xd+)\b|[\U0001F602\U0001F923\U0001F480\U0001F606\U0001F605\U0001F62D]|:\)|;\)|:d\b|:p\b"
)

# Everyday causes people are "dying" or "killing" over: in the same sentence they mark a figure of speech.
_TRIVIAL_CAUSE = compile_rx(
    r"\b(?:this|the|that|these|those|your|ur|stupid|damn|freaking|fricking)\s+(?:\w+\s+)?"
    r"(?:lag+|wifi|wi-fi|internet|connection|game|boss|level|update|app|ping|queue|glitch|bug|bugs|loading|buffering|"
    r"traffic|meme|memes|battery|ads|filter|captcha|server|servers|download|monday|mondays|heat|weather|maintenance)\b"
    r"|\b(?:lag+|laggy|cringe|embarrassment|boredom|laughter|laughing)\b"
)

_GAME_CONTEXT = compile_rx(
    r"\b(?:in[- ]game|the\s+game|this\s+game|a\s+game|games?|gaming|gamer|match|matches|round|rounds|ranked|pvp|pve|"
    r"1v1|2v2|(?:this|the|that|final|a|next|raid|mini|last|level|first|second|third|hard)\s+boss(?:es)?|boss\s+(?:fight|battle|level|raid)|level|raid|lobby|respawn\w*|headshot\w*|kill\s*streak|killstreak|battle\s+royale|"
    r"fortnite|minecraft|roblox|valorant|apex|warzone|cod|call\s+of\s+duty|league|lol\s+match|overwatch|pubg|"
    r"free\s+fire|mobile\s+legends|gta|elden\s+ring|dark\s+souls|npc|mob|mobs|zombies?|dragon|character|"
    r"avatar|squad|duo|solo|speedrun|pk\s+battle|gift\s+battle|battle|tournament|scrim|quest|dungeon|arena|"
    r"chess|checkmate|poker|karaoke|debate|argument|rap\s+battle|dance\s+battle|challenge)\b"
)


def has_laughter(sentence: str) -> bool:
    """Laughter or joking markers (lol, lmao, 😂, jk) in a sentence."""
    return _LAUGHTER.search(sentence) is not None


def has_trivial_cause(text: str, start: int, end: int) -> bool:
    """An everyday annoyance right next to the words (lag, a boss fight, an update): "dying" is then a figure of
    speech. Only the nearby text counts, so "I wanna die, my family saw the clip" stays serious."""
    return _TRIVIAL_CAUSE.search(text, max(0, start - 60), min(len(text), end + 40)) is not None


def has_game_context(sentence: str) -> bool:
    """Game or contest vocabulary: "kill him" in a match is not a threat."""
    return _GAME_CONTEXT.search(sentence) is not None
