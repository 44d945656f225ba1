"""Spanish, Portuguese and Hinglish phrasings of the main flags, and the hyperbole they must not catch."""

from __future__ import annotations

import pytest

from app.triage.signals import detect_signals

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
