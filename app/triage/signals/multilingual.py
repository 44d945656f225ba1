"""Risk phrasings in Spanish, Portuguese and Hinglish (Hindi written in Latin script).

StreamNest's inbox is not English-only, and the messages that matter most are the ones written in a hurry in the
writer's first language ("tô pensando em me matar", "me va a matar", "paise do warna viral kar dungi"). These
rules cover the common phrasings of each flag in the three languages the inbox sees most, and share the rule loop
with the English detectors. The four critical flags in Spanish and Portuguese live in :mod:`.multilingual_harm`
and :mod:`.multilingual_exploitation`, with their own negation and hyperbole checks (:mod:`.multilingual_text`);
this module holds the Hinglish ones (not negatable: the English negation words would miss "nahi", the safe side
for a critical flag) and the other flags in all three languages, and runs them all.
"""

from __future__ import annotations

from app.triage.signals import multilingual_exploitation, multilingual_harm
from app.triage.signals.base import Context, Rule, Signal, scan
from app.triage.signals.multilingual_text import rx

_MINOR_WORD_HI = r"(?:bach(?:a|ha|i|hi|che|chi|cha|ee)|bachcha|bachchi|ladk[ai]|beta|beti|bhai|behen|chhota|chhoti)"

RULES: tuple[Rule, ...] = (
    # self_harm, violence_threat, minor_safety and extortion in Hinglish
    Rule(
        "self_harm",
        rx(
            r"\bjeene\s+ka\s+(?:mann|man|mn|dil)\s+nahi\b|\bjeena\s+nahi\s+(?:chahta|chahti|hai)\b|\bmarna\s+(?:chahta|chahti|hai)\b"
            r"|\bmar\s+jaana\s+(?:chahta|chahti)\b|\bkhudkushi\b|\bsuicide\s+kar\s+(?:lunga|lungi|raha|rahi|dunga|dungi|lu|loon)\b"
            r"|\bsab\s+khatam\s+kar(?:na|ne|dunga|dungi)\b|\bapni\s+jaan\s+(?:de|le)\s+(?:dunga|dungi|lunga|lungi|doon|loon)\b"
            r"|\bkhud\s+ko\s+(?:khatam|maar)\b"
        ),
        0.9,
        negatable=False,
    ),
    Rule(
        "violence_threat",
        rx(
            r"\bmaar\s*(?:dunga|dungi|denge|daalunga|dalunga|dalega|dega|daalega)\b|\bmaar(?:e|)ga\b|\bmaaregi\b|\bmarega\b"
            r"|\bjaan\s+se\s+maar\w*|\bghar\s+aa(?:ke|kar)\s+maar\w*|\bchaku\s+maar\w*|\bgoli\s+maar\w*"
        ),
        0.9,
        negatable=False,
    ),
    Rule(
        "minor_safety",
        rx(
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
        "extortion",
        rx(
            r"\bviral\s+kar\s+(?:dunga|dungi|denge|doonga|doongi|dega|degi)\b|\bpaise\s+(?:do|de|bhejo)\s+(?:warna|nahi\s+to)\b"
            r"|\bwarna\s+(?:photos?|videos?|pics?|sab)\s+(?:viral|leak|bhej)\w*"
        ),
        0.9,
        negatable=False,
    ),
    # account_takeover
    Rule(
        "account_takeover",
        rx(
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
        rx(
            r"\b(?:golpe|golpista|golpistas|estafa|estafas|estafador\w*|estafaron|fraude)\b|\bagencia\s+falsa\b|\bagência\s+falsa\b"
            r"|\botp\s+(?:maang|mang)\w*|\b(?:password|otp)\s+(?:de\s+do|bhejo|mang\w*)"
        ),
        0.8,
        negatable=False,
    ),
    # chargeback_threat
    Rule(
        "chargeback_threat",
        rx(
            r"\bcontracargo\w*|\bdisputa\s+(?:con|en)\s+(?:mi|el)\s+banco\b|\b(?:contestei|contestação|contestar)\s+(?:a\s+|o\s+)?"
            r"(?:compra|cobrança|pagamento)\s+(?:no|com\s+o)\s+banco\b|\bbank\s+(?:mein|me|se|pe)\s+(?:dispute|chargeback|complaint)\b"
        ),
        0.85,
        negatable=False,
    ),
    # payment_anomaly
    Rule(
        "payment_anomaly",
        rx(
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
        rx(
            r"\b(?:segunda|tercera|cuarta|quinta|terceira|quarta)\s+vez\s+que\s+(?:les\s+|lhes\s+|te\s+)?(?:escribo|escrevo|mando|"
            r"pregunto|reclamo|contacto|entro\s+en\s+contacto)\b|\b(?:teesri|tisri|doosri|dusri|chauthi)\s+(?:baar|bar)\b"
        ),
        0.8,
        negatable=False,
    ),
    # prompt_injection
    Rule(
        "prompt_injection",
        rx(
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

ALL_RULES: tuple[Rule, ...] = RULES + multilingual_harm.ALL_RULES + multilingual_exploitation.ALL_RULES
_INJECTION_RULES = tuple(rule for rule in RULES if rule.code == "prompt_injection")


def detect_injection_signals(ctx: Context) -> list[Signal]:
    """Only the prompt-injection rules (for :func:`app.triage.signals.detect_injection`)."""
    return scan(ctx, _INJECTION_RULES)


def detect(ctx: Context) -> list[Signal]:
    """Spanish, Portuguese and Hinglish signals."""
    return scan(ctx, ALL_RULES)
