"""Spanish, Portuguese and Hinglish phrasings of the main flags, and the hyperbole they must not catch."""

from __future__ import annotations

import pytest

from app.taxonomy import CRITICAL_FLAGS
from app.triage.signals import detect_signals, run_detectors
from app.triage.signals.base import Context

POSITIVES = [
    ("self_harm", "ya no quiero vivir, voy a acabar con todo esta noche"),
    ("self_harm", "tô pensando em me matar, ninguém liga"),
    ("self_harm", "nao quero mais viver"),
    ("self_harm", "bhai mera jeene ka mann nahi hai ab, suicide kar lunga"),
    ("self_harm", "el streamer dijo que se va a suicidar en vivo"),
    ("violence_threat", "un usuario me dijo que me va a matar y sabe dónde vivo"),
    ("violence_threat", "ele disse que vai me matar, sei onde você mora"),
    ("violence_threat", "usne bola ghar aake maar dunga"),
    ("minor_safety", "mi hija de 12 años está haciendo live y le piden fotos"),
    ("minor_safety", "meri beti 13 saal ki hai aur live pe gifts bhej rahi hai"),
    ("minor_safety", "tem uma criança de 10 anos fazendo live sozinha"),
    ("extortion", "me están chantajeando con mis fotos"),
    ("extortion", "ele vai vazar minhas fotos se eu não pagar"),
    ("extortion", "paise do warna photos viral kar dungi"),
    ("account_takeover", "hackearon mi cuenta y cambiaron mi correo"),
    ("account_takeover", "invadiram minha conta e mudaram a senha"),
    ("fraud_scam", "es una estafa, me pidieron la contraseña"),
    ("chargeback_threat", "voy a abrir un contracargo"),
    ("payment_anomaly", "me cobraron tres veces la recarga"),
    ("repeat_complaint", "es la tercera vez que les escribo"),
]

NEGATIVES = [
    "mi mamá me va a matar cuando vea la factura",
    "minha mãe vai me matar",
    "este juego me mata de risa",
    "mi hijo tiene 20 años y quiere monedas",
    "quiero cancelar mi suscripción",
    "no puedo iniciar sesión en mi cuenta",
    "meri beti 19 saal ki hai",
    "paise wapas chahiye bhai",
    "o lag tá me matando kkkk",
]


@pytest.mark.parametrize(("code", "text"), POSITIVES)
def test_positive(code: str, text: str) -> None:
    assert code in {s.code for s in detect_signals(text)}


@pytest.mark.parametrize("text", NEGATIVES)
def test_negative_has_no_serious_flag(text: str) -> None:
    serious = [s.code for s in detect_signals(text) if s.severity.value in ("critical", "high")]
    assert serious == []


# Spanish (Spain and Latin America) and Portuguese (Brazil and Portugal) as people type in chat: missing accents,
# clipped words ("vo", "vc", "q", "kiero"), Portuguese hyphenated clitics. The critical flags only have these rules
# outside English, so each flag gets its own list.
ES_PT_CRITICAL: dict[str, list[str]] = {
    "self_harm": [
        "me voy a matar esta noche, ya no puedo mas",
        "ya no kiero vivir, nadie me quiere",
        "quiero desaparecer, todo me sale mal",
        "el streamer dijo q se va a matar en el live",
        "me estoy cortando otra vez desde que me banearon",
        "estoy pensando en suicidarme",
        "me voy a tirar de un puente",
        "vo me mata hj, ninguem liga",
        "não aguento mais viver",
        "vou acabar com tudo hoje",
        "to me cortando de novo",
        "ela falou na live que vai se matar",
        "vou-me matar",
        "tomei uma caixa inteira de remédio",
    ],
    "violence_threat": [
        "un tipo me escribio: te voy a matar",
        "le voy a romper la cara a ese idiota",
        "se donde vives y te voy a buscar hasta encontrarte",
        "un viewer dice que va a venir a mi casa a matarme",
        "estas muerto, ya sabemos donde vives",
        "te voy a meter un tiro",
        "vou te matar",
        "sei onde vc mora",
        "vou te pegar na saída",
        "quero te dar um tiro na cara",
        "vou quebrar sua cara",
        "ele me ameaçou de morte na live",
        "vou-te matar, sei onde moras",
    ],
    "minor_safety": [
        "esa niña tiene 12 años y esta en vivo",
        "es una niña de primaria haciendo live",
        "es menor de edad y le mandan regalos",
        "un señor le pidió fotos a mi hija de 11",
        "tengo 13 años y un tipo me pidio fotos",
        "venden packs de menores en los comentarios",
        "menina de 13 anos fazendo live",
        "ele pediu nudes pra uma menina de doze",
        "tão vendendo nudes de menor",
        "tenho 14 anos e um cara pediu fotos",
        "ela tem só 12 anos e tá fazendo live",
        "minha sobrinha de 9 anos tá em live",
    ],
    "extortion": [
        "si no me pagas publico tus fotos",
        "manda dinero o subo el video",
        "me está chantajeando",
        "amenaza con publicar mis fotos intimas si no le pago",
        "tiene mis fotos y me pide dinero para no publicarlas",
        "o me pagas o tus fotos terminan en internet",
        "ou paga ou eu mando seus nudes",
        "vou vazar suas fotos",
        "se eu não pagar ele vai divulgar minhas fotos",
        "ele ta me extorquindo",
        "manda o pix senão eu vazo tudo",
        "se não pagares publico as tuas fotos",
    ],
}

# Negation, hyperbole, games and look-alikes: none of these is a critical case.
ES_PT_NOT_CRITICAL = [
    # negation
    "no me voy a matar, tranquilos",
    "nunca me haría daño",
    "jamás me quitaría la vida",
    "no estoy pensando en suicidarme",
    "nadie te va a matar",
    "no es menor de edad, tiene 22",
    "no me están chantajeando, solo quiero saber",
    "não vou me matar, calma",
    "eu nunca vou te machucar",
    "não sei onde você mora, manda o endereço",
    # hyperbole
    "me muero de risa con este streamer",
    "me quiero morir de la verguenza jajaja",
    "te voy a matar a besos",
    "mi mamá me va a matar cuando vea la factura",
    "este lag me va a matar",
    "morri de rir com a live",
    "essa prova vai me matar kkkk",
    "vou me matar de rir",
    "quero sumir desse app, vou deletar minha conta",
    # games
    "lo maté en el juego",
    "te mato en fortnite",
    "te voy a matar en la partida jaja",
    "matei o boss",
    "vou te matar no x1 kkkk",
    "vou acabar com tudo nesse torneio",
    # look-alikes: hair, a frozen app, ages of things, quantities, complaints
    "voy a cortarme el pelo antes del live",
    "el live se corta a cada rato",
    "la app se va a colgar otra vez",
    "no quiero seguir viviendo en esta ciudad, me mudo",
    "mi perro tiene 12 años y sale en mis lives",
    "tengo 15 años de experiencia como streamer",
    "faz 12 anos que eu jogo",
    "a menor taxa de saque é qual?",
    "si no me respondes voy a subir el video de la queja a mis redes",
    "pagué para no ver anuncios y siguen apareciendo",
    "mi novio me hace chantaje emocional",
    "vou te pegar no aeroporto amanhã",
]

# The same words, asserted and then negated: the negation alone must turn the flag off.
ES_PT_NEGATED = [
    ("self_harm", "me voy a matar", "no me voy a matar"),
    ("self_harm", "vou me matar hoje", "eu não vou me matar hoje"),
    ("self_harm", "quiero morir", "no quiero morir, solo quiero mi dinero"),
    ("violence_threat", "te voy a hacer daño", "nunca te voy a hacer daño"),
    ("violence_threat", "vou te matar", "não vou te matar"),
    ("minor_safety", "ela é menor de idade", "ela não é menor de idade"),
    ("extortion", "me está extorsionando", "nadie me está extorsionando"),
]


@pytest.mark.parametrize(("code", "text"), [(code, text) for code, texts in ES_PT_CRITICAL.items() for text in texts])
def test_spanish_portuguese_critical_flag(code: str, text: str) -> None:
    found = [s for s in detect_signals(text) if s.code == code]
    assert found, text
    [signal] = found
    assert signal.start is not None and signal.end is not None
    assert text[signal.start : signal.end] == signal.evidence
    assert 0 < len(signal.evidence) <= 80


@pytest.mark.parametrize("text", ES_PT_NOT_CRITICAL)
def test_spanish_portuguese_negation_hyperbole_and_games_are_not_critical(text: str) -> None:
    assert not {s.code for s in detect_signals(text)} & CRITICAL_FLAGS


@pytest.mark.parametrize(("code", "asserted", "negated"), ES_PT_NEGATED)
def test_spanish_portuguese_negation_turns_the_flag_off(code: str, asserted: str, negated: str) -> None:
    assert code in {s.code for s in detect_signals(asserted)}
    assert code not in {s.code for s in detect_signals(negated)}


def test_conditional_negation_is_not_a_negation() -> None:
    """'si no me pagas' / 'se não pagar' is a condition: the threat after it still stands."""
    assert "violence_threat" in {s.code for s in detect_signals("si no me pagas te voy a matar")}
    assert "extortion" in {s.code for s in detect_signals("se não pagar vou espalhar seus nudes")}


def test_spanish_portuguese_trigger_index_finds_what_a_full_scan_finds() -> None:
    texts = [t for ts in ES_PT_CRITICAL.values() for t in ts] + ES_PT_NOT_CRITICAL
    for text in texts:
        fast = [(s.code, s.start, s.end) for s in detect_signals(text)]
        full = [(s.code, s.start, s.end) for s in run_detectors(Context.build(text))]
        assert fast == full, text


@pytest.mark.parametrize(
    "text", ["o cara disse que vai me achar e me esfaquear", "dijo que me va a encontrar y apuñalarme esta noche"]
)
def test_finding_someone_then_hurting_them_is_a_threat(text: str) -> None:
    assert "violence_threat" in {s.code for s in detect_signals(text)}
