"""Text helpers the rules share: length-preserving normalisation, negation scope, cheap joke and game guards.

Offsets into the normalised text are offsets into what the requester wrote. The Spanish and Portuguese helpers
at the end cover accent-free typing, "no"/"não" negation and "jajaja"/"kkkk". A quoted threat of harm is still
flagged (the case is dangerous either way); a quoted chargeback or lawsuit is someone else's (:func:`quoted`).
"""

from __future__ import annotations

import re

from app.triage.signals.patterns import compile_rx

# Curly quotes, primes, dashes and odd spaces become their ASCII twins, one character for one character, so the
# patterns only need to spell "don't" once and offsets stay valid.
_TRANSLATION = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc`", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u00ab\u00bb\u2033", '"'),
        **dict.fromkeys("\u2013\u2014\u2212", "-"),
        **dict.fromkeys("\u00a0\u2007\u202f\u3000", " "),
    }
)


def normalize(text: str) -> str:
    """Length-preserving normalisation: ASCII quotes, apostrophes, dashes and spaces."""
    return text.translate(_TRANSLATION)


def fold(text: str) -> str:
    """Lower-case ``text`` without changing its length (the few characters that lower-case to two stay as they are);
    lower-case patterns on folded text are several times faster in ``re`` than case-insensitive ones."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


_SENTENCE_END = compile_rx(r"[.!?\n]+(?=\s|$|[\"')\]])|\n")


def sentence_at(text: str, start: int, end: int | None = None) -> str:
    """The sentence that holds ``start..end``; a cheap splitter that is good enough for scope checks."""
    end = start if end is None else end
    left = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        left = match.end()
    right_match = _SENTENCE_END.search(text, end)
    return text[left : right_match.start() if right_match else len(text)]


def asks(text: str, pos: int) -> bool:
    """The sentence holding ``pos`` ends with a question mark."""
    end = _SENTENCE_END.search(text, pos)
    return end is not None and "?" in end.group()


# Where a negation stops applying: punctuation, quotes and the conjunctions that open a new clause. "and" only
# counts when a new subject follows ("I'm fine and I want to die" has two clauses).
_CLAUSE_BREAK = compile_rx(
    r"[.!?;:,\n\"()\[\]]|\s-\s|(?<!\w)'|'(?!\w)"
    r"|\b(?:but|though|although|however|because|cause|cuz|since|so|if|when|unless|except|while|otherwise|lol|tho)\b"
    r"|\band\s+(?=(?:i|i'm|im|he|she|they|you|we|it|now|then|someone|somebody)\b)"
    # "if you don't unban me I will ...": a new subject with a will/am starts the main clause.
    r"|(?=\b(?:i|we)\s+(?:will|would|am|shall|gonna|swear|promise)\b)|(?=\b(?:i'll|i'm|i'd|we'll|ill|im)\s)"
)
_NEGATION_CUE = compile_rx(
    r"\b(?:not|never|no|nobody|noone|nothing|without|cannot|hardly)\b|n't\b|\bno\s+one\b"
    r"|\b(?:dont|didnt|wont|wouldnt|isnt|wasnt|cant|couldnt|shouldnt|doesnt|arent|aint|havent|hasnt)\b"
)
# Phrases that contain a negation word but do not negate what follows.
_NEGATION_EXCEPTIONS = compile_rx(
    r"\bnot\s+(?:even\s+)?(?:gonna|going\s+to)\s+lie\b|\bnot\s+(?:even\s+)?(?:joking|kidding|lying)\b"
    r"|\bno\s+(?:joke|cap|lie|kidding)\b|\bno\s+longer\b|\bnot\s+anymore\b"
    r"|\b(?:can'?t|cannot|won'?t|don'?t|never)\s+stop\b|\b(?:can'?t|cannot)\s+(?:take|handle|cope|bear|stand)\b"
    r"|\b(?:don'?t|do\s+not)\s+know\b|\bnot\s+sure\b|\bdon'?t\s+care\b|\bno\s+(?:matter|way\s+out|point|hope)\b"
    r"|\b(?:no\s*one|nobody|noone)\s+(?:would|will|'d|even|ever|really)?\s*(?:care|cares|miss|notice|helps?)\b"
    r"|\bnot\s+(?:ok|okay|fine|well|good)\b"
)
_WORD = compile_rx(r"[\w']+")
_CONDITIONAL = frozenset({"if", "unless", "when"})


def is_negated(text: str, start: int, window_words: int = 8) -> bool:
    """True when a negation cue precedes ``start`` in the same clause, within a few words.

    The window only looks *before* the match, so patterns that contain their own negation ("I don't want to live
    anymore") are not cancelled by it. After "if"/"unless" the negation usually belongs to the condition ("if
    you don't pay I will kill you"), so only the last three words count there.
    """
    lo = max(0, start - 80)
    clause_begin, opener = lo, ""
    # A break right at ``start`` counts too: "if you don't unban me I will ..." starts a new clause at "I will".
    for match in _CLAUSE_BREAK.finditer(text, lo, min(len(text), start + 20)):
        if match.start() > start:
            break
        clause_begin, opener = match.end(), match.group()
    words = _WORD.findall(text[clause_begin:start])
    size = 3 if opener.strip() in _CONDITIONAL else window_words
    window = _NEGATION_EXCEPTIONS.sub(" ", " ".join(words[-size:]))
    return _NEGATION_CUE.search(window) is not None


_LAUGHTER = compile_rx(
    r"\b(?:lol+|lmf?ao+|rofl|haha+|hehe+|jk|just\s+kidding|xd+)\b|[\U0001F602\U0001F923\U0001F480\U0001F606\U0001F605]"
    r"|\b(?:(?:ja|js){2,}|(?:je){2,}|(?:ha){2,}|(?:rs){2,})[ajehsk]*\b|\bk{3,}\w*|\bkk\b"
)
# Everyday causes people are "dying" or "killing" over: next to the words they mark a figure of speech.
_TRIVIAL_CAUSE = compile_rx(
    r"\b(?:this|the|that|your|ur|stupid|damn)\s+(?:\w+\s+)?(?:lag+|wifi|internet|connection|game|boss|level|update|"
    r"app|ping|queue|glitch|bug|loading|buffering|meme|battery|ads|server|download|homework|exam)\b"
    r"|\b(?:lag+|laggy|cringe|embarrassment|laughing|laguea\w*|vergüenza|vergonha|risa|tarea|examen|prova|calor)\b"
)
_GAME_CONTEXT = compile_rx(
    r"\b(?:in[- ]game|games?|gaming|match|round|ranked|pvp|1v1|x1|(?:this|the|that|final|raid|next)\s+boss|level|"
    r"raid|lobby|respawn\w*|fortnite|minecraft|roblox|valorant|warzone|cod|call\s+of\s+duty|pubg|free\s+fire|gta|"
    r"npc|zombies?|character|squad|pk\s+battle|battle|tournament|chess|debate|rap\s+battle|partida|jogo|juego|"
    r"batalla|batalha|jugando|jogando)\b"
)


def laughs(text: str, match: re.Match[str]) -> bool:
    """Guard: the sentence laughs or jokes (lol, 😂, jk, jajaja, kkkk)."""
    return _LAUGHTER.search(sentence_at(text, match.start(), match.end())) is not None


def _trivial_cause(text: str, match: re.Match[str]) -> bool:
    """An everyday annoyance right next to the words (lag, an update, an exam): "dying" is a figure of speech.
    Only the nearby text counts, so "I wanna die, my family saw the clip" stays serious."""
    return _TRIVIAL_CAUSE.search(text, max(0, match.start() - 60), min(len(text), match.end() + 40)) is not None


def joking(text: str, match: re.Match[str]) -> bool:
    """Guard: laughter *and* a trivial cause ("this lag makes me wanna kms lol")."""
    return laughs(text, match) and _trivial_cause(text, match)


def light(text: str, match: re.Match[str]) -> bool:
    """Guard for weaker phrasings ("I want to die"): laughter *or* a trivial cause drops them."""
    return laughs(text, match) or _trivial_cause(text, match)


def in_game(text: str, match: re.Match[str]) -> bool:
    """Guard: game or contest talk in the sentence ("I'll kill you in ranked", "te mato en la partida")."""
    return _GAME_CONTEXT.search(sentence_at(text, match.start(), match.end())) is not None


def quoted(text: str, match: re.Match[str]) -> bool:
    """Guard: the match is inside a double quote opened shortly before: someone else's words, not the requester's."""
    return text.count('"', max(0, match.start() - 120), match.start()) % 2 == 1


# --- Spanish and Portuguese ------------------------------------------------------------------------------------

_ACCENTS = {"á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u", "ã": "a", "õ": "o", "ç": "c", "ê": "e", "ô": "o"}


def rx(pattern: str) -> re.Pattern[str]:
    """Compile a Spanish or Portuguese pattern so each accented letter also matches its bare form ("nao")."""
    return compile_rx("".join(f"[{c}{_ACCENTS[c]}]" if c in _ACCENTS else c for c in pattern))


_ES_PT_CLAUSE_BREAK = rx(r"[.!?;:,\n\"()¿¡]|\b(?:pero|mas|porque|pq|y|e|que|q|cuando|quando)\b")
# Negation words that do not negate what follows: a condition ("si no me pagas"), despair ("no aguanto más").
_ES_PT_NOT_A_NEGATION = rx(
    r"\b(?:si|se)\s+(?:no|não|n)\b|\b(?:no|não|ya\s+no)\s+(?:puedo|aguanto|consigo|posso|aguento)\b"
    r"|\b(?:no|não)\s+(?:es|é)\s+(?:broma|brincadeira)\b"
)
_ES_PT_NEGATION = rx(r"\b(?:no|nunca|jamás|jamais|nem|ni|não|n|nadie|ninguém)\b")


def negated_es_pt(text: str, match: re.Match[str]) -> bool:
    """Guard: a Spanish or Portuguese negation in the few words before the match ("no me voy a matar", "nunca
    vou te matar"); a condition ("si no me pagas te mato") is not one."""
    lo = max(0, match.start() - 60)
    clause = lo
    for brk in _ES_PT_CLAUSE_BREAK.finditer(text, lo, match.start()):
        clause = brk.end()
    window = _ES_PT_NOT_A_NEGATION.sub(" ", text[clause : match.start()])
    return _ES_PT_NEGATION.search(" ".join(_WORD.findall(window)[-4:])) is not None


_ES_PT_IDIOM_AFTER = rx(
    r"\s*(?:de\s+(?:la\s+|tanta\s+)?(?:risa|rir|vergüenza|vergonha|amor|ternura|hambre|fome|sueño|sono|calor|"
    r"envidia|inveja|ganas)|a\s+(?:trabajar|estudiar)|(?:trabajando|estudiando|trabalhando|estudando)\b)"
)


def idiom_es_pt(text: str, match: re.Match[str]) -> bool:
    """Guard: "me voy a matar de risa", "quero morrer de vergonha", "matarme a trabajar" are idioms."""
    return _ES_PT_IDIOM_AFTER.match(text, match.end()) is not None
