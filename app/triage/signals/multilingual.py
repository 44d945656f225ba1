"""Risk phrasings in Spanish, Portuguese and Hinglish (Hindi written in Latin script).

StreamNest's inbox is not English-only, and the messages that matter most are the ones written in a hurry in the
writer's first language ("tô pensando em me matar", "me va a matar", "paise do warna viral kar dungi"). These
rules cover the common phrasings of each flag in the three languages the inbox sees most; they share the rule
loop, so negation and guards work as for English (the negation words here are the English ones, so a negated
Spanish or Portuguese phrase is still flagged — the safe side for a critical flag).
"""

from __future__ import annotations

import re

from app.triage.signals.base import Context, Rule, Signal, scan
from app.triage.signals.patterns import compile_rx

_MINOR_WORD_ES_PT = (
    r"(?:niñ[oa]s?|nen[ae]s?|hij[oa]s?|herman[oa]s?|sobrin[oa]s?|niet[oa]s?|chic[oa]s?|criança|crianças|menin[oa]s?|"
    r"filh[oa]s?|irmão|irmã|netos?|netas?|garot[oa]s?|menor(?:es)?)"
)
_MINOR_WORD_HI = r"(?:bach(?:a|ha|i|hi|che|chi|cha|ee)|bachcha|bachchi|ladk[ai]|beta|beti|bhai|behen|chhota|chhoti)"


_ACCENTS = {
    "á": "[áa]",
    "é": "[ée]",
    "í": "[íi]",
    "ó": "[óo]",
    "ú": "[úu]",
    "ã": "[ãa]",
    "õ": "[õo]",
    "ç": "[çc]",
    "ê": "[êe]",
    "ô": "[ôo]",
    "â": "[âa]",
    "ñ": "[ñn]",
}


def _rx(pattern: str) -> re.Pattern[str]:
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


# A parent "killing" their child over a bill is hyperbole ("mi mamá me va a matar", "minha mãe vai me matar").
_PARENT_BEFORE = compile_rx(
    r"(?:mam[áa]|mama|m[ãa]e|pap[áa]|pai|madre|padre|mom|mum|dad|mummy|papa|wife|novia|namorada)\W+(?:\w+\W+){0,3}$"
)


def _parent_hyperbole(text: str, match: re.Match[str]) -> bool:
    return _PARENT_BEFORE.search(text, max(0, match.start() - 40), match.start()) is not None


def _age_ok(text: str, match: re.Match[str]) -> bool:
    """Veto ages of 18 and over (the patterns capture the number in ``age``)."""
    return not 4 <= int(match.group("age")) <= 17


RULES: tuple[Rule, ...] = (
    # self_harm
    Rule(
        "self_harm",
        _rx(
            r"\bsuicid(?:arme|arse|arte|arnos|ar|ará|aria|aré|io|ios|a|as|o|ou|ando)\b|\bquitarme\s+la\s+vida\b"
            r"|\b(?:me\s+)?quiero\s+morir\b|\bquisiera\s+morir(?:me)?\b|\bno\s+quiero\s+(?:seguir\s+)?vivir\b|\bmatarme\b|\bmatarse\b|\bse\s+(?:quiere|quería|va\s+a|iba\s+a|piensa|pensaba|intentó|trató\s+de)\s+(?:matar|suicidar)\b"
            r"|\bme\s+quiero\s+matar\b|\bquer\s+se\s+matar\b"
            r"|\bacabar\s+con\s+(?:mi\s+vida|todo)\b|\b(?:cortarme|hacerme\s+daño|me\s+corto|me\s+estoy\s+cortando)\b|\bautolesi\w+"
            r"|\b(?:pensando\s+em|penso\s+em|vou|quero|vontade\s+de|tentar|tentei)\s+me\s+matar\b|\bse\s+matar\b|\bnão\s+quero\s+(?:mais\s+)?viver\b|\bquero\s+morrer\b"
            r"|\btirar\s+(?:a\s+)?minha\s+(?:própria\s+)?vida\b|\bacabar\s+com\s+(?:a\s+)?minha\s+vida\b|\bme\s+cortar\b"
            r"|\bautomutila\w+"
            r"|\bjeene\s+ka\s+(?:mann|man|mn|dil)\s+nahi\b|\bjeena\s+nahi\s+(?:chahta|chahti|hai)\b|\bmarna\s+(?:chahta|chahti|hai)\b"
            r"|\bmar\s+jaana\s+(?:chahta|chahti)\b|\bkhudkushi\b|\bsuicide\s+kar\s+(?:lunga|lungi|raha|rahi|dunga|dungi|lu|loon)\b"
            r"|\bsab\s+khatam\s+kar(?:na|ne|dunga|dungi)\b|\bapni\s+jaan\s+(?:de|le)\s+(?:dunga|dungi|lunga|lungi|doon|loon)\b"
            r"|\bkhud\s+ko\s+(?:khatam|maar)\b"
        ),
        0.9,
        negatable=False,
    ),
    # violence_threat
    Rule(
        "violence_threat",
        _rx(
            r"\b(?:te|lo|la|los|me|nos)\s+(?:va|voy|vamos|van|iba)\s+a\s+(?:matar|apuñalar|golpear|pegar\s+un\s+tiro|disparar|"
            r"quemar|buscar\s+y\s+matar)\b|\b(?:voy|va|vamos|van)\s+a\s+(?:matarte|matarlo|matarla|matarme|apuñalarte|golpearte)\b"
            r"|\bte\s+mato\b|\bsé\s+dónde\s+vives\b|\bsabe\s+dónde\s+vivo\b|\bamenaz\w+\s+(?:de\s+muerte|con\s+matar\w*)\b"
            r"|\bamenazas\s+de\s+muerte\b|\bapuñal\w+"
            r"|\b(?:vai|vou|vão|ia|iam)\s+(?:me|te|nos|lhe)\s+(?:matar|achar\s+e|pegar\s+e|esfaquear|bater|espancar)\b|\bvou\s+te\s+matar\b"
            r"|\bte\s+mato\b|\besfaque\w+|\bsei\s+onde\s+(?:você|vc|voce|tu)\s+mora\b|\bsabe\s+onde\s+(?:eu\s+)?moro\b"
            r"|\bameaç\w+\s+de\s+morte\b|\bameaç\w+\s+(?:me\s+)?matar\b"
            r"|\bmaar\s*(?:dunga|dungi|denge|daalunga|dalunga|dalega|dega|daalega)\b|\bmaar(?:e|)ga\b|\bmaaregi\b|\bmarega\b"
            r"|\bjaan\s+se\s+maar\w*|\bghar\s+aa(?:ke|kar)\s+maar\w*|\bchaku\s+maar\w*|\bgoli\s+maar\w*"
        ),
        0.9,
        negatable=False,
        guards=(_parent_hyperbole,),
    ),
    # minor_safety: explicit ages under 18 for a child word, and spending or LIVE by one
    Rule(
        "minor_safety",
        _rx(
            r"\b"
            + _MINOR_WORD_ES_PT
            + r"\s+(?:de\s+(?:uns\s+|unos\s+|apenas\s+|solo\s+|só\s+)?|que\s+tiene\s+|que\s+tem\s+"
            r"|tiene\s+|tem\s+|con\s+|com\s+)"
            r"(?P<age>\d{1,2})\s+(?:años|anos|añitos|aninhos)\b"
        ),
        0.85,
        negatable=False,
        guards=(_age_ok,),
    ),
    Rule(
        "minor_safety",
        _rx(
            r"\b(?P<age>10|11|12|13|14|15|16|17|4|5|6|7|8|9)(?!\d)(?:\s*-\s*\d{1,2})?\s+(?:saal|sal|years?)\s+(?:ka|ki|ke)\s+(?:"
            + _MINOR_WORD_HI
            + r"|ladk[ai]|beta|beti)"
            r"|\b(?:mera|meri|uska|uski)\s+(?:" + _MINOR_WORD_HI + r")\s+(?P<age2>\d{1,2})\s+(?:saal|sal)\b"
        ),
        0.85,
        negatable=False,
        guards=(lambda t, m: not 4 <= int(m.group("age") or m.group("age2")) <= 17,),
    ),
    Rule(
        "minor_safety",
        _rx(
            r"\bmenor(?:es)?\s+de\s+(?:edad|idade|18)\b|\b(?:niñ[oa]s?|criança|crianças|menin[oa]s?\s+pequen[oa]s?)\s+(?:[\w']+\s+){0,4}?"
            r"(?:haciendo\s+live|en\s+(?:vivo|directo|live)|fazendo\s+live|ao\s+vivo|transmitiendo|transmitindo|sol[ao]s?|sozinh[oa]s?)\b"
            r"|\bpedofil\w+|\bpornografía\s+infantil\b|\bpornografia\s+infantil\b|\bexplotación\s+infantil\b"
        ),
        0.85,
        negatable=False,
    ),
    # extortion
    Rule(
        "extortion",
        _rx(
            r"\bchantaj\w+|\bextorsi\w+|\bsextorsi\w+|\bchantag\w+|\bextors\w+|\bsextors\w+"
            r"|\bvazar\s+(?:minhas|meus|as|os|suas|seus|nossas|nossos)\s+(?:fotos|vídeos|videos|nudes|conversas|prints)\b"
            r"|\b(?:o|si\s+no)\s+(?:lo|la|los|las|te)\s+(?:mand\w+|public\w+|sub\w+|envi\w+|muestr\w+|pas\w+)\s+(?:a|con)\s+(?:mi|tu|su|toda)\b"
            r"|\bviral\s+kar\s+(?:dunga|dungi|denge|doonga|doongi|dega|degi)\b|\bpaise\s+(?:do|de|bhejo)\s+(?:warna|nahi\s+to)\b"
            r"|\bwarna\s+(?:photos?|videos?|pics?|sab)\s+(?:viral|leak|bhej)\w*"
        ),
        0.9,
        negatable=False,
    ),
    # account_takeover
    Rule(
        "account_takeover",
        _rx(
            r"\b(?:hackearam|invadiram|roubaram)\s+(?:a\s+)?minha\s+conta\b|\bmudaram\s+(?:o\s+|a\s+|meu\s+|minha\s+)?(?:email|e-mail|senha|"
            r"número|celular)\b|\b(?:hackearon|me\s+robaron|robaron)\s+(?:la\s+|mi\s+)?cuenta\b|\bcambiaron\s+(?:mi|el|la)\s+(?:correo|email|"
            r"contraseña|número)\b|\baccount\s+hack\s+ho\s+gaya\b|\bkisi\s+ne\s+(?:mera\s+)?account\s+(?:hack|le\s+liya|chura)"
        ),
        0.85,
        negatable=False,
    ),
    # fraud_scam
    Rule(
        "fraud_scam",
        _rx(
            r"\b(?:golpe|golpista|golpistas|estafa|estafas|estafador\w*|estafaron|fraude)\b|\bagencia\s+falsa\b|\bagência\s+falsa\b"
            r"|\botp\s+(?:maang|mang)\w*|\b(?:password|otp)\s+(?:de\s+do|bhejo|mang\w*)"
        ),
        0.8,
        negatable=False,
    ),
    # chargeback_threat
    Rule(
        "chargeback_threat",
        _rx(
            r"\bcontracargo\w*|\bdisputa\s+(?:con|en)\s+(?:mi|el)\s+banco\b|\b(?:contestei|contestação|contestar)\s+(?:a\s+|o\s+)?"
            r"(?:compra|cobrança|pagamento)\s+(?:no|com\s+o)\s+banco\b|\bbank\s+(?:mein|me|se|pe)\s+(?:dispute|chargeback|complaint)\b"
        ),
        0.85,
        negatable=False,
    ),
    # payment_anomaly
    Rule(
        "payment_anomaly",
        _rx(
            r"\b(?:me\s+)?(?:cobraron|cobran)\s+(?:dos|tres|cuatro|\d+)\s+veces\b|\bcobro\s+(?:doble|duplicado)\b"
            r"|\bcobrad[oa]s?\s+(?:duas|três|tres|quatro|\d+)\s+vezes\b|\bcobrança\s+(?:dupla|duplicada)\b"
            r"|\b(?:2|3|4|5|do|teen|char)\s+(?:baar|bar)\s+(?:paise\s+)?(?:kat|cut)\s+gay\w*|\bpaise\s+(?:\d+|do|teen)\s+(?:baar|bar)\s+kat"
        ),
        0.85,
        negatable=False,
    ),
    # repeat_complaint
    Rule(
        "repeat_complaint",
        _rx(
            r"\b(?:segunda|tercera|cuarta|quinta|terceira|quarta)\s+vez\s+que\s+(?:les\s+|lhes\s+|te\s+)?(?:escribo|escrevo|mando|"
            r"pregunto|reclamo|contacto|entro\s+en\s+contacto)\b|\b(?:teesri|tisri|doosri|dusri|chauthi)\s+(?:baar|bar)\b"
        ),
        0.8,
        negatable=False,
    ),
    # prompt_injection
    Rule(
        "prompt_injection",
        _rx(
            r"\b(?:nota|instrucción|instrucciones|mensaje)\s+para\s+(?:el|la)\s+(?:asistente|ia|bot|modelo)\b|\bignora\s+(?:tus|las|todas\s+las)\s+"
            r"(?:reglas|instrucciones)\b|\b(?:instrução|instruções|nota|recado)\s+para\s+(?:a|o)\s+(?:ia|assistente|bot|modelo)\b"
            r"|\bignore\s+(?:suas|as|todas\s+as)\s+(?:regras|instruções)\b|\bresponda\s+apenas\b|\bresponde\s+solo\s+con\b"
            r"|\b(?:rules?|instructions?|niyam|policy|policies)\s+(?:ko\s+)?ignore\s+kar\w*"
            r"|\bignora\s+(?:tus|las|todas\s+las|sus)\s+instrucciones\b|\binstrucciones\s+(?:anteriores|previas)\b"
            r"|\binstruções\s+(?:anteriores|prévias)\b|\bprompt\s+(?:de|do)\s+sistema\b"
        ),
        0.85,
        negatable=False,
    ),
)

ALL_RULES: tuple[Rule, ...] = RULES
_INJECTION_RULES = tuple(rule for rule in RULES if rule.code == "prompt_injection")


def detect_injection_signals(ctx: Context) -> list[Signal]:
    """Only the prompt-injection rules (for :func:`app.triage.signals.detect_injection`)."""
    return scan(ctx, _INJECTION_RULES)


def detect(ctx: Context) -> list[Signal]:
    """Spanish, Portuguese and Hinglish signals."""
    return scan(ctx, RULES)
