"""Self-harm and threats of violence in Spanish and Portuguese.

The embedding model is English-only, so these rules are the only net for "me voy a matar", "dijo que se va a
matar en el live", "vou te pegar na saída" or "sei onde você mora". They are written for chat as people type it
(Spain and Latin America, Brazil and Portugal): no accents ("nao", "se donde vives"), clipped words ("vo me mata",
"vc", "kiero"), Portuguese clitics with hyphens ("vou-me matar", "mato-te"). Each rule carries the guards of
:mod:`.multilingual_text`: a negation ("no me voy a matar", "não vou te matar"), a laugh with a trivial cause
("me quiero morir de la vergüenza jaja"), a game ("te mato en la partida", "vou te matar no x1") or family
hyperbole ("mi mamá me va a matar") drops the match. Strong phrasings yield to negation only, weak ones to any
of these. Minors and extortion are in :mod:`.multilingual_exploitation`.
"""

from __future__ import annotations

import re

from app.triage.signals.base import Guard, Rule
from app.triage.signals.multilingual_text import (
    game_talk,
    has_trivial_cause,
    idiom_after,
    joking,
    laughs,
    light,
    negated,
    parent_hyperbole,
    rx,
    rx_join,
)

# --- self_harm ------------------------------------------------------------------------------------------------

_TOPIC_BEFORE = rx(
    r"\b(?:política|políticas|normas?|reglas?|regras?|prevención|prevenção|escuadrón|esquadrão|contenidos?|"
    r"conteúdos?|película|filme|serie|série|canción|música|libro|livro|charla|palestra)\s+(?:\w+\s+){0,2}$"
)
_CUT_OTHER_AFTER = rx(
    r"\s*(?:el\s+|la\s+|las\s+|los\s+|o\s+|a\s+|as\s+|os\s+|mi\s+|meu\s+|minha\s+|un\s+|um\s+)?(?:pelo|cabello|"
    r"flequillo|fleco|uñas|barba|bigote|cabelo|franja|unhas|dedo|papel|cuchillo|faca|vidrio|vidro|cebolla|cebola|"
    r"luz|internet|señal|sinal|con\s+(?:un|el|la|una)|com\s+(?:a|uma|o|um)|al\s+(?:cocinar|afeitar)|cocinando|"
    r"cozinhando|ao\s+(?:cozinhar|fazer))\b"
)
_SOMEONE_ELSE_BEFORE = rx(
    r"\b(?:va|van|iba|iban|vas|quiere|quieren|quiso|quisieron|intentó|intentaron|trató|trataron|amenazó|"
    r"amenaza|amenazan|vino|viene|vienen|juró|lleg[oó])\s+(?:a\s+|de\s+|con\s+)?$"
    r"|\b(?:venir|viene|vienen|vino|vendrá|vendrán)\s+(?:\w+\s+){0,4}a\s+$"
)
_OBJECT_AFTER = rx(
    r"\s+(?:mi|mis|el|la|los|las|un|una|o|a|os|as|um|uma|meu|minha|meus|minhas|seu|sua|tu|tus|su|sus|con|com|"
    r"del|das|dos|desse|dessa|deste|desta|de|da|do)\b(?!\s+(?:este|esta|esse|essa|mundo|vida|planeta|todo|tudo|"
    r"todos|una\s+vez|uma\s+vez|vez)\b)"
)


def _topic(text: str, match: re.Match[str]) -> bool:
    """'la política sobre suicidio', 'Escuadrón Suicida': the topic or a title, not a person at risk."""
    return _TOPIC_BEFORE.search(text, max(0, match.start() - 50), match.start()) is not None


def _cut_other(text: str, match: re.Match[str]) -> bool:
    """'cortarme el pelo', 'me corto con el papel', 'me estoy cortando las uñas': not self-harm."""
    return _CUT_OTHER_AFTER.match(text, match.end()) is not None


def _someone_else(text: str, match: re.Match[str]) -> bool:
    """'va a matarme', 'quiere matarme': someone else is the danger (violence), not the writer."""
    return _SOMEONE_ELSE_BEFORE.search(text, max(0, match.start() - 50), match.start()) is not None


def _vanish_from_something(text: str, match: re.Match[str]) -> bool:
    """'quiero desaparecer mi cuenta', 'quero sumir desse app': leaving a place or deleting a thing."""
    return _OBJECT_AFTER.match(text, match.end()) is not None


_LIVES_SOMEWHERE_AFTER = rx(
    r"\s+(?:en|em|na|no|nesta|neste|nessa|nesse|aquí|acá|allá|aqui|lá|junt[oa]s?|sol[oa]|sozinh[oa]|de\s+alquiler|"
    r"de\s+aluguel|con\s+(?:mis?|mi\s+\w+)|com\s+(?:meus?|minhas?))\b"
)
_HYPE = rx(
    r"[\U0001F525\U0001F4AA\U0001F3C6\U0001F60E\U0001F680]|\s(?:na|en\s+la|en\s+el|no)\s+(?:live|show|palco|festa|"
    r"escenario|final|batalla|batalha|competencia|competição|torneo|torneio)\b"
)
_PRESCRIBED_AFTER = rx(
    r"\s+(?:de\s+(?:vitamina\w*|hoy|hoje|hierro|magnesio|colágeno|la\s+mañana|la\s+noche)|do\s+dia|del\s+día|"
    r"certinh[oa]s?|recetad\w+|receitad\w+|que\s+me\s+(?:dio|recetó|receitou|passou|deu|mandó)|como\s+(?:me\s+)?"
    r"(?:dijo|indicó|mandou|mandó|falou))"
)


_MACHINE_BEFORE = rx(
    r"\b(?:app|aplicación|aplicativo|celular|cel|teléfono|móvil|juego|jogo|pantalla|tela|pc|compu|computadora|"
    r"computador|sistema|página|servidor|programa|tele|tv|señal|sinal|internet|wifi|red|rede)\s+$"
)


def _machine_subject(text: str, match: re.Match[str]) -> bool:
    """'la app se va a colgar': a frozen app, not a hanging."""
    return _MACHINE_BEFORE.search(text, max(0, match.start() - 20), match.start()) is not None


def _lives_somewhere(text: str, match: re.Match[str]) -> bool:
    """'no quiero seguir viviendo en esta ciudad', 'não quero mais viver aqui': a place, not life itself."""
    return _LIVES_SOMEWHERE_AFTER.match(text, match.end()) is not None


def _hype(text: str, match: re.Match[str]) -> bool:
    """'vou acabar com tudo na live hoje 🔥': slang for doing great."""
    return _HYPE.search(text, match.end(), min(len(text), match.end() + 40)) is not None


def _prescribed(text: str, match: re.Match[str]) -> bool:
    """'me tomé todas las pastillas de vitamina que me dio el médico': the daily dose, not an overdose."""
    return _PRESCRIBED_AFTER.match(text, match.end()) is not None


_STRONG: tuple[Guard, ...] = (negated, _topic)
_MEDIUM: tuple[Guard, ...] = (negated, joking, idiom_after, _machine_subject)
_WEAK: tuple[Guard, ...] = (negated, light, idiom_after)

_SELF_HARM = (
    Rule(
        "self_harm",
        rx(
            r"\bsuicíd(?:arme|arse|arte|arnos|ar-me|ar-se|ar|ará|aría|aré|io|ios|ío|a|as|o|ou|ando|ou-se)\b"
            r"|\bautolesi\w+|\bautomutila\w+|\bauto-?lesi\w+"
            r"|\b(?:quitarme|quitarse)\s+la\s+vida\b|\bme\s+(?:voy\s+a\s+|quiero\s+)?quit(?:o|aré|aría|ar)\s+la\s+vida\b"
            r"|\bse\s+(?:va\s+a|iba\s+a|quiere|quería)\s+quitar\s+la\s+vida\b"
            r"|\btirar\s+(?:a\s+)?(?:minha|sua|a\s+minha|a\s+sua|a\s+própria)\s+(?:própria\s+)?vida\b"
            r"|\b(?:acabar|terminar|dar\s+fin|poner\s+fin|pôr\s+fim|por\s+fim)\s+(?:con|com|a|à)\s+(?:mi|minha|a\s+minha|"
            r"su|sua|la|a)\s+(?:propia\s+|própria\s+)?vida\b"
        ),
        0.9,
        negatable=False,
        guards=_STRONG,
    ),
    Rule(
        "self_harm",
        rx(
            r"\bme\s+(?:voy|boy|voi|vo)\s+(?:a\s+)?(?:matar|suicidar|ahorcar|cortar\s+las\s+venas)\b"
            r"|\bme\s+(?:quiero|kiero|qiero|quisiera)\s+(?:matar|suicidar|ahorcar|cortar\s+las\s+venas)\b"
            r"|\bse\s+(?:va\s+a|iba\s+a|van\s+a|quiere|quería|quiso|piensa|pensaba|intentó|trató\s+de|"
            r"está\s+pensando\s+en)\s+(?:matar|suicidar|ahorcar)\b"
            r"|\b(?:matarse|suicidarse|ahorcarse|matar-se|suicidar-se|enforcar-se)\b"
            r"|\b(?:vou|vô|vo|quero|queria|vontade\s+de|pensando\s+em|penso\s+em|pensei\s+em|tentar|tentei|preciso|"
            r"devia|deveria)[\s-]+me\s+(?:matar|mata|suicidar|enforcar)\b"
            r"|\bse\s+(?:matar|mata|suicidar|enforcar)\b|\bme\s+(?:voy\s+a\s+|quiero\s+)?ahorcar\b|\bme\s+enforcar\b"
            r"|\b(?:me|se)\s+(?:voy\s+a|va\s+a|iba\s+a|quiero|quiere)\s+colgar\b(?!\s+(?:el|la|los|las|un|una)\b)"
            r"|\b(?:estarían|estaríamos|vivirían|estariam|ficariam|viveriam|sería)\s+(?:todos\s+)?(?:mejor|melhor)\s+"
            r"(?:sin\s+mí|sem\s+mim|si\s+(?:yo\s+)?no\s+(?:existiera|estuviera)|se\s+eu\s+não\s+(?:existisse|estivesse)|"
            r"muert[oa]|mort[oa])"
            r"|\b(?:quiero|quisiera|ojalá|quero|queria)\s+(?:dormir(?:me)?\s+(?:y|e)\s+)?(?:no|não|n)\s+(?:despertar(?:me)?|"
            r"volver\s+a\s+despertar|acordar)(?:\s+nunca|\s+más|\s+mais)?\b"
            r"|\b(?:hoy|esta\s+noche|mañana|ahorita|ahora)\s+(?:mismo\s+)?me\s+mato\b"
            r"|\bme\s+mato\s+(?:hoy|esta\s+noche|mañana|ahorita|ahora)\b|\b(?:hoje|amanhã)\s+eu\s+me\s+mato\b"
            r"|\b(?:tirarme|tirarse|aventarme|aventarse|lanzarme|lanzarse|(?:me|se)\s+(?:voy\s+a\s+|va\s+a\s+|iba\s+a\s+|"
            r"quiero\s+|quiere\s+)?(?:tirar|aventar|lanzar))\s+(?:(?:de|del|desde|"
            r"por)\s+(?:un\s+|una\s+|el\s+|la\s+|mi\s+)?(?:puente|edificio|balcón|ventana|techo|azotea|precipicio|"
            r"acantilado|terraza)|al\s+(?:tren|metro|vacío)|a\s+las\s+vías)\b"
            r"|\b(?:(?:me|se)\s+jogar|jogar-(?:me|se)|pular)\s+(?:d[aoe]\s+(?:um\s+|uma\s+|cima\s+d[aeo]\s+)?(?:ponte|prédio|janela|"
            r"viaduto|sacada|varanda|telhado|penhasco|andar)|na\s+frente\s+d[eoa]\s+(?:um\s+|uma\s+)?(?:trem|metrô|carro|"
            r"caminhão|ônibus))\b"
        ),
        0.9,
        negatable=False,
        guards=_MEDIUM,
    ),
    # Not wanting to live; "no quiero seguir viviendo en esta ciudad" is about a place.
    Rule(
        "self_harm",
        rx(
            r"\b(?:ya\s+)?(?:no|n|ñ)\s+(?:quiero|kiero|qiero)\s+(?:seguir\s+|más\s+)?(?:vivir|viviendo)\b"
            r"|\b(?:não|naum|n|ñ)\s+(?:quero|aguento|suporto|consigo)\s+(?:mais\s+)?(?:viver|vivendo|continuar\s+vivendo|"
            r"essa\s+vida|esta\s+vida)\b"
            r"|\bno\s+(?:aguanto|soporto|puedo)\s+(?:más\s+)?(?:vivir|esta\s+vida|seguir\s+viviendo|con\s+esta\s+vida)\b"
            r"|\b(?:ya\s+)?no\s+quiero\s+estar\s+(?:más\s+)?(?:aquí|acá|en\s+este\s+mundo|viv[oa])\b"
            r"|\b(?:não|n)\s+quero\s+(?:mais\s+)?estar\s+(?:mais\s+)?(?:aqui|nesse\s+mundo|neste\s+mundo|viv[oa])\b"
            r"|\b(?:no|não|n)\s+(?:vale|tiene|faz)\s+(?:la\s+pena|a\s+pena|sentido)\s+(?:seguir\s+|continuar\s+)?"
            r"(?:vivir|viviendo|viver|vivendo)\b"
            r"|\b(?:no|não|n)\s+(?:tengo|tenho)\s+(?:\w+\s+)?(?:razones|razón|motivos?|por\s+qué|pra\s+quê)\s+(?:para\s+|"
            r"pra\s+|pa\s+)?(?:vivir|viver)\b"
        ),
        0.9,
        negatable=False,
        guards=(*_MEDIUM, _lives_somewhere),
    ),
    # "vou acabar com tudo" is also "I'll smash it" ("vou acabar com tudo na live hoje 🔥").
    Rule(
        "self_harm",
        rx(r"\b(?:acabar|terminar)\s+(?:con|com)\s+(?:todo|tudo)\b"),
        0.85,
        negatable=False,
        guards=(*_MEDIUM, _hype, game_talk),
    ),
    Rule(
        "self_harm",
        rx(
            r"\b(?:me\s+)?(?:tomé|tomar(?:me)?|me\s+voy\s+a\s+tomar|tragué|tomei|vou\s+tomar|engoli)\s+(?:todas\s+(?:las|"
            r"mis)\s+|todos\s+(?:os|meus)\s+|todas\s+(?:as|minhas)\s+|un\s+(?:frasco|bote|montón|puñado)\s+de\s+|"
            r"una\s+caja\s+(?:entera\s+)?de\s+|demasiadas\s+|um\s+monte\s+de\s+|uma\s+caixa\s+(?:inteira\s+)?de\s+|"
            r"a\s+cartela\s+(?:toda|inteira)\s+de\s+)(?:pastillas|píldoras|medicinas|medicamentos|ansiolíticos|"
            r"antidepresivos|clonazepam|rivotril|remédios?|comprimidos?|pílulas?|calmantes?|antidepressivos)\b"
        ),
        0.85,
        negatable=False,
        guards=(*_MEDIUM, _prescribed),
    ),
    # First-person infinitives ("pienso matarme") unless someone else is the subject ("va a matarme").
    Rule(
        "self_harm",
        rx(r"\b(?:matarme|suicidarme|ahorcarme|matar-me|suicidar-me|enforcar-me)\b"),
        0.85,
        negatable=False,
        guards=(*_MEDIUM, _someone_else),
    ),
    Rule(
        "self_harm",
        rx(
            r"\b(?:cortarme|me\s+corto|me\s+estoy\s+cortando|me\s+volví\s+a\s+cortar|me\s+sigo\s+cortando|cortar-me|"
            r"corto-me|hacerme\s+daño|me\s+hago\s+daño|me\s+estoy\s+haciendo\s+daño|me\s+voy\s+a\s+hacer\s+daño|"
            r"lastimarme|me\s+estoy\s+lastimando|magoar-me)\b"
            r"|\b(?:tô|to|tou|estou|eu|voltei\s+a|vou|quero|vontade\s+de|pensando\s+em)\s+me\s+(?:cortar|cortando|corto|"
            r"mutilar|mutilando|machucar|machucando|ferir|ferindo)\b"
            r"|\bse\s+(?:está\s+|estaba\s+|tá\s+|estava\s+)?(?:cortando|corta)\s+(?:los\s+brazos|las\s+venas|las\s+muñecas|"
            r"las\s+piernas|os\s+braços|os\s+pulsos|as\s+pernas)\b|\bcortándose\s+(?:los\s+brazos|las\s+venas|las\s+muñecas)\b"
        ),
        0.85,
        negatable=False,
        guards=(*_MEDIUM, _cut_other),
    ),
    Rule(
        "self_harm",
        rx(
            r"\b(?:me\s+)?(?:quiero|kiero|qiero|quisiera)\s+(?:morir(?:me)?|estar\s+muert[oa])\b"
            r"|\bme\s+(?:quiero|kiero|qiero)\s+morir\b|\bse\s+quiere\s+morir\b"
            r"|\b(?:ganas|deseos)\s+de\s+(?:morir(?:me)?|no\s+existir|dejar\s+de\s+existir)\b"
            r"|\bojalá\s+(?:me\s+muera|estuviera\s+muert[oa]|no\s+(?:haber\s+nacido|existiera))\b"
            r"|\b(?:quero|queria)\s+(?:morrer|estar\s+mort[oa]|deixar\s+de\s+existir|não\s+existir)\b"
            r"|\bvontade\s+de\s+(?:morrer|não\s+existir)\b|\btomara\s+que\s+eu\s+morra\b|\bapetece-me\s+morrer\b"
            r"|\b(?:hart[oa]s?|cansad[oa]s?)\s+(?:de\s+(?:vivir|la\s+vida|estar\s+viv[oa]|viver)|da\s+vida)\b"
            r"|\bcansei\s+(?:de\s+viver|da\s+vida)\b"
            r"|\bno\s+le\s+(?:veo|encuentro)\s+(?:sentido|caso)\s+a\s+(?:vivir|la\s+vida|seguir\s+viviendo)\b"
            r"|\b(?:sin|perdí\s+las|no\s+tengo)\s+ganas\s+de\s+vivir\b|\b(?:sem|perdi\s+a|não\s+tenho)\s+vontade\s+de\s+viver\b"
            r"|\bnão\s+vejo\s+(?:sentido|motivo)\s+(?:em|pra|para)\s+(?:viver|continuar\s+vivendo)\b"
        ),
        0.8,
        negatable=False,
        guards=_WEAK,
    ),
    Rule(
        "self_harm",
        rx(r"\b(?:quiero|kiero|quisiera|quero|queria|ganas\s+de|vontade\s+de)\s+(?:desaparecer|sumir)\b"),
        0.8,
        negatable=False,
        guards=(*_WEAK, _vanish_from_something),
    ),
)

# --- violence_threat --------------------------------------------------------------------------------------------

_HURT_ES = (
    r"(?:matar|apuñalar|acuchillar|balear|balacear|disparar|golpear|madrear|violar|secuestrar|desaparecer|reventar|"
    r"quebrar|degollar|partir\s+(?:la\s+(?:cara|madre|boca|jeta|crisma)|el\s+alma|en\s+dos|los\s+dientes)|"
    r"romper\s+(?:la\s+(?:cara|boca|jeta|madre|crisma|nariz)|el\s+(?:hocico|alma|culo|orto)|los\s+(?:dientes|huesos)|"
    r"las\s+piernas|todos\s+los\s+huesos)|dar\s+(?:un|una)\s+(?:tiro|balazo|plomazo|puñalada|cuchillada|paliza|"
    r"golpiza|madriza|chingadazo|vergazo)|meter\s+(?:un\s+|una\s+)?(?:tiro|balazo|plomazo|plomo|bala|puñalada|"
    r"cuchillazo)|pegar\s+un\s+tiro|volar\s+la\s+cabeza|cortar\s+el\s+cuello|cagar\s+a\s+(?:palos|piñas|golpes|"
    r"trompadas|tiros))"
)
_HURT_PT = (
    r"(?:matar|mata|esfaquear|furar|espancar|bater(?!\s+(?:uma?\s+)?(?:foto|papo|palma|ponto|recorde|meta))|socar|"
    r"quebrar(?!\s+(?:um\s+|o\s+|esse\s+)?galho)|arrebentar|arregaçar|degolar|estuprar|sequestrar|machucar|"
    r"encher\s+de\s+(?:porrada|bala|tiro|soco|pancada|facada)|dar\s+(?:um|uns)\s+(?:tiro|tiros|facada|facadas|soco|socos|murro|porrada|pau|surra|pipoco|balaço)|"
    r"meter\s+(?:bala|a\s+faca|porrada|um\s+tiro|a\s+porrada|o\s+pau)|descer\s+o\s+(?:pau|cacete|sarrafo)|"
    r"partir\s+(?:a\s+cara|os\s+dentes|ao\s+meio)|pegar\s+(?:na\s+saída|lá\s+fora|na\s+rua|de\s+porrada)|"
    r"queimar\s+viv[oa])"
)
_YOU_PT = r"(?:você|voce|vc|cê|tu|vcs|vocês)"
_MENACE_AFTER = rx_join(
    r"[^.!?\n]{0,50}?\b(?:y\s+(?:te\s+)?(?:mat|romp|part|revent|cag|pego|madre)|hasta\s+(?:encontrarte|tu\s+casa|"
    r"debajo|el\s+fin)|a\s+tu\s+casa|donde\s+(?:vivas|estés|vives)|a\s+la\s+salida|afuera|vas\s+a\s+(?:ver|pagar|"
    r"morir)|arrepent\w+|no\s+vas\s+a\s+(?:salir|contarlo)|me\s+las\s+vas\s+a\s+pagar|e\s+(?:te\s+)?(?:mat|quebr|"
    r"arrebent|bat|esfaque|encher|dar\s+um\s+tiro)|vai\s+(?:se\s+arrepender|ver|pagar|morrer)|na\s+saída|lá\s+fora|"
    r"na\s+(?:sua|tua)\s+casa|onde\s+",
    _YOU_PT,
    r"\s+mora|de\s+porrada|me\s+aguarde|(?:vc|você|tu)\s+(?:tá|ta)\s+morto)",
)


def _no_menace(text: str, match: re.Match[str]) -> bool:
    """'te voy a buscar' or 'vou te achar' is only a threat with a menace after it ('y te mato', 'na saída')."""
    return _MENACE_AFTER.match(text, match.end()) is None


_QUESTION_AFTER = rx(r"\s*\?")
_SENTENCE_OPENING = rx(r"(?:^|[.!?\n¿]\s*)(?:e\s+|y\s+|eu\s+|yo\s+)?$")


def _asked(text: str, match: re.Match[str]) -> bool:
    """'¿sé dónde vives?', 'sei onde você mora? não': the writer asks, nobody claims to know."""
    if _QUESTION_AFTER.match(text, match.end()) is None:
        return False
    return _SENTENCE_OPENING.search(text, max(0, match.start() - 8), match.start()) is not None


def _trivial_subject(text: str, match: re.Match[str]) -> bool:
    """'este lag me va a matar', 'essa prova vai me matar': a thing, not a person, does the killing."""
    return has_trivial_cause(text, match.start(), match.end())


_THREAT: tuple[Guard, ...] = (negated, game_talk, parent_hyperbole, idiom_after)
_BANTER: tuple[Guard, ...] = (*_THREAT, laughs)

_VIOLENCE = (
    # "te voy a matar", "le voy a romper la cara", "voy a matarte", "amenazas de muerte"
    Rule(
        "violence_threat",
        rx_join(
            r"\b(?:te|lo|la|los|las|le|les)\s+(?:voy|vamos|vo)\s+a\s+(?:",
            _HURT_ES,
            r"|hacer\s+daño|lastimar)"
            r"|\b(?:voy|vamos|quiero|queremos)\s+a?\s*(?:matarte|matarlo|matarla|matarlos|matarle|apuñalarte|"
            r"acuchillarte|golpearte|madrearte|romperte\s+la\s+(?:cara|boca|madre)|partirte\s+la\s+(?:cara|madre|boca)|"
            r"reventarte|quebrarte|desaparecerte|balearte|dispararte|lastimarte|hacerte\s+daño)\b"
            r"|\bamenaz\w+\s+(?:de\s+muerte|con\s+(?:matar(?:me|te|lo|la|los|nos|le|les)?|apuñalar\w*|balear\w*|"
            r"golpear\w*|disparar\w*))\b|\bamenazas\s+de\s+muerte\b"
            r"|\bte\s+(?:vas\s+a\s+llevar|llevas)\s+(?:un\s+)?(?:tiro|balazo|plomazo|plomo|puñalada)\b",
        ),
        0.9,
        negatable=False,
        guards=_THREAT,
    ),
    # "vou te matar", "vou-te matar", "vou quebrar sua cara", "vou dar um tiro nele", "ameaçou de morte"
    Rule(
        "violence_threat",
        rx_join(
            r"\b(?:vou|vô|vo|vamo|vamos|vai|vão|ia|iam|irei)[\s-]+(?:te|lhe|vos)\s+",
            _HURT_PT,
            r"\b|\b(?:vou|vamos|vai)\s+(?:matar|esfaquear|espancar|partir)-(?:te|vos|lhe)\b|\bmato-te\b"
            r"|\b(?:parto-te|dou-te\s+um\s+tiro|vou\s+dar-te\s+(?:um\s+tiro|uma\s+facada|porrada))\b"
            r"|\b(?:vou|vô|vo|vamo|vamos)\s+(?:matar|esfaquear|espancar|furar)\s+(?:",
            _YOU_PT,
            r"|ele|ela|eles|elas|esse|essa|aquele|aquela|todo\s+mundo|todos)\b"
            r"|\b(?:vou|vô|vo|vamo|vamos|vai|vão)\s+dar\s+(?:um|uns)\s+(?:tiro|tiros|facada|facadas|soco|murro)\s+"
            r"(?:em\s+(?:você|vc|voce|ti)|nele|nela|neles|nelas|nesse|nessa|naquele|naquela|na\s+(?:sua|tua)\s+cara)"
            r"|\bte\s+(?:dar|meter|enfiar)\s+(?:um|uns|a)?\s*(?:tiro|tiros|facada|facadas|bala|faca|porrada)\b"
            r"|\bte\s+pego\s+(?:na\s+saída|lá\s+fora|na\s+rua|no\s+beco|de\s+porrada)"
            r"|\b(?:vou|vô|vo|vamos|vamo)\s+(?:quebrar|arrebentar|amassar|estourar|partir)\s+(?:a\s+)?(?:sua|tua)\s+cara"
            r"|\b(?:quebrar|arrebentar|partir)\s+a\s+cara\s+d(?:ele|ela|esse|essa|aquele|aquela)\b"
            r"|\b(?:ameaç\w+|jur\w+)\s+(?:de\s+morte|(?:me\s+|te\s+)?matar)\b"
            r"|\b(?:leva|levas|vai\s+levar|vais\s+levar)\s+(?:bala|tiro|um\s+tiro|facada|uma\s+facada|chumbo)\b",
        ),
        0.9,
        negatable=False,
        guards=_THREAT,
    ),
    # "me va a matar", "ele vai me matar": a report; a thing doing it ("este lag me va a matar") is hyperbole.
    Rule(
        "violence_threat",
        rx_join(
            r"\b(?:me|nos|te)\s+(?:(?:va|van|iba|iban)\s+a|quiere|quieren|quería|querían)\s+",
            _HURT_ES,
            r"|\b(?:va|van|iba|iban|quiere|quieren)\s+a?\s*matarme\b"
            r"|\b(?:va\s+a\s+venir|van\s+a\s+venir|viene|vienen|vendrá|vendrán|vino)\s+(?:\w+\s+){0,4}?a\s+(?:matarme|"
            r"matarnos|golpearme|pegarme|apuñalarme|hacerme\s+daño)\b"
            r"|\b(?:vai|vão|ia|iam|quer|querem|queria|tentou|tentaram)\s+(?:me|nos)\s+(?:matar|mata|esfaquear|espancar|"
            r"bater|sequestrar|estuprar|dar\s+um\s+tiro|encher\s+de\s+(?:porrada|bala|tiro))\b"
            # "vai me achar e me esfaquear", "me va a encontrar y apuñalarme": finding first, then the harm
            r"|\b(?:vai|vão|ia|iam|quer|querem)\s+me\s+(?:achar|encontrar|pegar|buscar)\s+e\s+(?:me\s+)?(?:matar|"
            r"esfaquear|espancar|bater|furar|dar\s+um\s+tiro)\b"
            r"|\bme\s+(?:va|van)\s+a\s+(?:encontrar|buscar)\s+y\s+(?:a\s+)?(?:matarme|apuñalarme|golpearme|pegarme)\b",
        ),
        0.9,
        negatable=False,
        guards=(*_THREAT, _trivial_subject),
    ),
    # "sé dónde vives", "sei onde você mora", "tengo tu dirección"
    Rule(
        "violence_threat",
        rx_join(
            r"\b(?:sé|sabemos|ya\s+sé|yo\s+sé)\s+(?:dónde|donde|onde)\s+(?:vives|vivís|vive\s+tu|estudias|trabajas|"
            r"duermes)\b|\b(?:sabe|saben)\s+(?:dónde|donde)\s+(?:vivo|estudio|trabajo)\b"
            r"|\b(?:tengo|ya\s+tengo|conseguí)\s+tu\s+(?:dirección|domicilio)\b"
            r"|\b(?:sei|sabemos|já\s+sei)\s+onde\s+(?:",
            _YOU_PT,
            r"\s+)?(?:mora|moras|trabalha|trabalhas|estuda|estudas)\b|\b(?:sabe|sabem)\s+onde\s+(?:eu\s+)?(?:moro|"
            r"trabalho|estudo)\b|\b(?:sei|tenho)\s+(?:o\s+)?(?:seu|teu)\s+endereço\b",
        ),
        0.9,
        negatable=False,
        guards=(*_THREAT, _asked),
    ),
    # Phrasings friends also use in jest ("te mato jaja", "tu tá morto kkk"): a laugh drops them.
    Rule(
        "violence_threat",
        rx_join(
            r"\bte\s+(?:mato|mataré|matamos|reviento|parto\s+la\s+(?:cara|madre)|rompo\s+la\s+(?:cara|boca|madre)|"
            r"meto\s+un\s+tiro|pego\s+un\s+tiro|vuelo\s+la\s+cabeza)\b|\blos\s+mato\s+a\s+todos\b"
            r"|\b(?:estás|eres\s+(?:un\s+)?hombre)\s+muert[oa]\b|\bdate\s+por\s+muert[oa]\b"
            r"|\b(?:vas|van)\s+a\s+(?:terminar|acabar)\s+(?:muert[oa]s?|en\s+(?:una\s+bolsa|el\s+hospital|una\s+zanja|"
            r"el\s+cementerio|un\s+cajón))|\bvai\s+(?:acabar|terminar)\s+(?:mort[oa]|no\s+hospital|num\s+saco|"
            r"no\s+cemitério|numa\s+vala)"
            r"|\b(?:te\s+)?(?:vas|van)\s+a\s+morir\s+(?:hoy|pronto|esta\s+noche|mañana|perr\w+|hij[oa]|maldit\w+|"
            r"cabr[oó]n\w*|pendej\w+)\b|\b(?:é|e)\s+um\s+homem\s+morto\b|\b",
            _YOU_PT,
            r"\s+(?:(?:tá|ta|está|estás|tás)\s+mort[oa]\b|vai\s+morrer\s+(?:hoje|logo|amanhã|essa\s+noite|seu|sua|"
            r"desgraçad\w*|filh[oa]|vagabund\w+|lixo|arrombad\w+|otári\w+|porra|caralho)\b)",
        ),
        0.85,
        negatable=False,
        guards=_BANTER,
    ),
    # "te voy a buscar", "vou te achar": a threat only with a menace after it.
    Rule(
        "violence_threat",
        rx_join(
            r"\bte\s+(?:voy|vamos)\s+a\s+(?:buscar|encontrar|cazar|rastrear)\b"
            r"|\b(?:voy|vamos)\s+a\s+(?:buscarte|encontrarte|cazarte|rastrearte)\b"
            r"|\b(?:vou|vô|vo|vamos|vamo)\s+te\s+(?:achar|encontrar|caçar|buscar|pegar)\b"
            r"|\b(?:vou|vo)\s+atrás\s+de\s+(?:",
            _YOU_PT,
            r"|ti)\b",
        ),
        0.85,
        negatable=False,
        guards=(*_BANTER, _no_menace),
    ),
)

ALL_RULES: tuple[Rule, ...] = (*_SELF_HARM, *_VIOLENCE)
