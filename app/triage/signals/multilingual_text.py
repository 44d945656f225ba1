"""Context checks for Spanish and Portuguese cues: accent-tolerant patterns, negation, hyperbole and game talk.

The English helpers in :mod:`.text` look for English words ("not", "lol", "the game"), so a Spanish or Portuguese
match needs its own: chat in these languages drops accents ("nao", "se donde vives"), laughs in "jajaja" and
"kkkk", and negates with "no", "nunca", "não", "nem". Each check here is a :data:`.base.Guard`, so the rules in
:mod:`.multilingual_critical` stay one pattern each, and the shared rule loop keeps evidence spans exact.
"""

from __future__ import annotations

import re

from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import has_game_context, sentence_at

_ACCENTS = {
    "á": "[áa]",
    "é": "[ée]",
    "í": "[íi]",
    "ó": "[óo]",
    "ú": "[úu]",
    "ü": "[üu]",
    "ã": "[ãa]",
    "õ": "[õo]",
    "ç": "[çc]",
    "ê": "[êe]",
    "ô": "[ôo]",
    "â": "[âa]",
    "ñ": "[ñn]",
}


def rx(pattern: str) -> re.Pattern[str]:
    """Compile ``pattern`` so that each accented letter also matches its bare form ("nao", "sé" → "se")."""
    out: list[str] = []
    in_class = escaped = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in _ACCENTS:
            out.append(_ACCENTS[ch])
            continue
        out.append(ch)
    return compile_rx("".join(out))


def rx_join(*parts: str) -> re.Pattern[str]:
    """:func:`rx` of the concatenated parts: a long rule reads as its named fragments, one per line."""
    return rx("".join(parts))


# --- negation -------------------------------------------------------------------------------------------------

# Where a negation stops applying. "que" opens a new clause too ("no sé qué hacer, dijo que se va a matar").
_CLAUSE_BREAK = rx(
    r"[.!?;:,\n\"()\[\]¿¡]|\s-\s|\b(?:pero|mas|porém|aunque|embora|porque|porq|pq|xq|entonces|então|entao|pues|pois|"
    r"y|e|que|q|k|ke|cuando|quando)\b"
)
# Negation words that do not negate what follows: a condition ("si no me pagas", "senão"), despair ("no aguanto
# más", "não consigo"), emphasis ("no es broma") and "nobody cares" phrases.
_NOT_A_NEGATION = rx(
    r"\b(?:si|se|como|o|ou)\s+(?:no|não|n|ñ)\b|\bsino\b|\bsenão\b"
    r"|\b(?:no|não|n|ñ|ya\s+no)\s+(?:puedo|aguanto|soporto|doy|consigo|posso|aguento|suporto|sé|sei)\b"
    r"|\b(?:no|não|n)\s+(?:es|é|e)\s+(?:broma|joda|chiste|mentira|brincadeira|zoeira|piada)\b"
    r"|\b(?:no|não|n)\s+(?:estoy\s+|tô\s+|to\s+|estou\s+)?(?:bromeando|jugando|mintiendo|miento|brincando|zoando|mentindo)\b"
    r"|\bno\s+(?:mames|manches|jodas|joda)\b|\b(?:no|não)\s+me\s+(?:importa|importo)\b"
    r"|\b(?:no|não|n)\s+(?:hay|tengo|tenho|tem)\s+(?:salida|saída|esperanza|esperança|jeito|remedio|sentido)\b"
    r"|\b(?:no|não)\s+(?:vale|tiene|faz)\s+(?:la\s+pena|a\s+pena|sentido)\b"
    r"|\b(?:nadie|ninguém|ninguem)\s+(?:me\s+)?(?:quiere|entiende|ayuda|escucha|importa|responde|liga|ajuda|ouve|"
    r"entende|ama|se\s+importa)\b"
)
_NEGATION_CUE = rx(r"\b(?:no|nunca|jamás|jamais|tampoco|tampouco|nem|ni|não|naum|n|ñ|nn)\b")
_NOBODY_CUE = rx(r"\b(?:nadie|ninguém|ninguem)\b")
_WORD = compile_rx(r"[\w']+")
_NEGATION_WORDS = 4
_NOBODY_WORDS = 3


def negated(text: str, match: re.Match[str]) -> bool:
    """A Spanish or Portuguese negation shortly before the match, in its clause ("no me voy a matar", "yo nunca
    te haría nada", "não vou me matar", "nadie te va a matar"); a condition ("si no me pagas te mato") is not one.

    Only the few words before the match count, so a cue that carries its own negation ("ya no quiero vivir") is
    not cancelled by it.
    """
    start = match.start()
    lo = max(0, start - 80)
    clause = lo
    for brk in _CLAUSE_BREAK.finditer(text, lo, start):
        clause = brk.end()
    window = _NOT_A_NEGATION.sub(" ", text[clause:start])
    words = _WORD.findall(window)
    return _NEGATION_CUE.search(" ".join(words[-_NEGATION_WORDS:])) is not None or (
        _NOBODY_CUE.search(" ".join(words[-_NOBODY_WORDS:])) is not None
    )


# --- hyperbole, jokes and games --------------------------------------------------------------------------------

_LAUGHTER = rx(
    r"\b(?:(?:ja|js){2,}|(?:je){2,}|(?:ji){2,}|(?:ha){2,}|(?:he){2,}|(?:rs){2,})[ajehsk]*\b|\bk{3,}\w*|\bkk\b"
    r"|\b(?:lol+|lmao+|xd+|jk)\b"
    r"|[\U0001F602\U0001F923\U0001F480\U0001F606\U0001F605\U0001F639]"
)
# Everyday causes people "die" of: next to the words, they mark a figure of speech.
_TRIVIAL_CAUSE = rx(
    r"\b(?:lag|laguea\w*|wifi|internet|conexión|conexão|bug|bugs|bugad\w*|actualización|atualização|update|servidor|"
    r"ping|tarea|examen|exámenes|prova|provas|tráfico|trânsito|batería|bateria|anuncios|anúncios|captcha|calor|"
    r"frío|frio|lunes|vergüenza|vergonha|risa|rir|fofura|ternura|cringe)\b"
)
_IDIOM_AFTER = rx(
    r"\s*(?:de\s+(?:la\s+|tanto\s+|tanta\s+)?(?:risa|reír|reir|rir|vergüenza|vergonha|pena|amor|ternura|fofura|"
    r"emoción|emoção|celos|ciúmes?|envidia|inveja|calor|frío|frio|hambre|fome|sueño|sono|aburrimiento|tédio|"
    r"cansancio|cansaço|ansiedad|ansiedade|curiosidad|curiosidade|ganas|sed|sede|trabajar|estudiar|trabalhar|"
    r"estudar|rabia|raiva|nervios|nervoso)"
    r"|(?:a|de)\s+(?:besos|abrazos|cosquillas|beijos|abraços|cócegas|preguntas|perguntas)\b"
    r"|a\s+(?:trabajar|estudiar|entrenar)|(?:trabajando|estudiando|entrenando|trabalhando|estudando|treinando)\b"
    r"|(?:en|no|na)\s+(?:el\s+|la\s+|o\s+|a\s+)?(?:gym|gimnasio|academia)\b)"
)
_GAME_CONTEXT = rx(
    r"\b(?:juegos?|jueguito|videojuegos?|partidas?|jogos?|joguinho|game|gameplay|ranked|ranqueada|rankeada|"
    r"server|servidor|boss|jefe\s+final|chefe|fase|nivel|nível|ronda|rodada|round|pvp|x1|1v1|duelo|batallas?|"
    r"batalhas?|pk|torneo|torneio|campeonato|fortnite|free\s*fire|minecraft|roblox|valorant|warzone|gta|fifa|"
    r"among\s+us|brawl\s*stars|pubg|personaje|personagem|npc|zombies?|zumbis?|skin|squad|ajedrez|xadrez|lobby|"
    r"jugando|jogando|mapa)\b"
)


def has_laughter(sentence: str) -> bool:
    """Laughter in Spanish or Portuguese chat ("jajaja", "kkkk", "rsrs", "xD"), or the English markers."""
    return _LAUGHTER.search(sentence) is not None


def has_trivial_cause(text: str, start: int, end: int) -> bool:
    """Lag, an update, an exam, embarrassment right next to the words: "dying" is then a figure of speech."""
    return _TRIVIAL_CAUSE.search(text, max(0, start - 60), min(len(text), end + 40)) is not None


def game_talk(text: str, match: re.Match[str]) -> bool:
    """'te mato en la partida', 'vou te matar no jogo': game or contest vocabulary in the sentence."""
    sentence = sentence_at(text, match.start(), match.end())
    return _GAME_CONTEXT.search(sentence) is not None or has_game_context(sentence)


def idiom_after(text: str, match: re.Match[str]) -> bool:
    """'me quiero morir de vergüenza', 'vou me matar de rir', 'matarse a trabajar': an idiom, not intent."""
    return _IDIOM_AFTER.match(text, match.end()) is not None


def laughs(text: str, match: re.Match[str]) -> bool:
    """The sentence laughs ('te mato jajaja'): banter, for the weaker threat phrasings only."""
    return has_laughter(sentence_at(text, match.start(), match.end()))


def joking(text: str, match: re.Match[str]) -> bool:
    """The sentence laughs *and* names a trivial cause or a game: the medium-strength guard."""
    sentence = sentence_at(text, match.start(), match.end())
    if not has_laughter(sentence):
        return False
    return has_trivial_cause(text, match.start(), match.end()) or game_talk(text, match)


def light(text: str, match: re.Match[str]) -> bool:
    """Laughter, a trivial cause or a game nearby: the weak-phrasing guard ("quiero morir jaja", "el lag")."""
    return laughs(text, match) or has_trivial_cause(text, match.start(), match.end()) or game_talk(text, match)


# A parent or partner "killing" the writer over a bill is hyperbole ("mi mamá me va a matar", "minha mãe vai me
# matar"); the English words stay for mixed messages.
_PARENT_BEFORE = rx(
    r"(?:mamá|mama|mami|mãe|mae|papá|papa|papi|pai|madre|padre|vieja|viejo|abuela|abuelo|avó|avô|jefe|chefe|"
    r"patrão|novia|novio|namorada|namorado|esposa|esposo|marido|mujer|mulher|profe|professora?|papás|padres|"
    r"pais|mom|mum|dad|mummy|wife)\W+(?:\w+\W+){0,3}$"
)


def parent_hyperbole(text: str, match: re.Match[str]) -> bool:
    """'mi mamá me va a matar cuando vea la factura': family hyperbole, not a threat."""
    return _PARENT_BEFORE.search(text, max(0, match.start() - 40), match.start()) is not None
