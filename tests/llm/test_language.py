"""Requester language: the channel's locale wins; otherwise function words decide, conservatively."""

from __future__ import annotations

import pytest

from app.llm.language import guess_language, language_name, normalise_locale, resolve_language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I paid for coins yesterday but my balance did not change, can you check it please?", "en"),
        ("Hola, pagué las monedas con mi tarjeta pero no me llegaron. ¿Qué puedo hacer?", "es"),
        ("Olá, paguei pelas moedas mas não recebi nada na minha conta, estou sem saldo", "pt"),
        ("Bonjour, j'ai acheté des pièces mais elles ne sont pas sur mon compte", "fr"),
        ("Hallo, ich habe Münzen gekauft, aber sie sind nicht auf meinem Konto", "de"),
        ("Ciao, ho comprato le monete ma non sono arrivate sul mio account", "it"),
        ("Halo, saya sudah beli koin tapi belum masuk ke akun saya", "id"),
    ],
)
def test_detects_supported_languages(text: str, code: str) -> None:
    guess = guess_language(text)
    assert guess is not None and guess.code == code


@pytest.mark.parametrize("text", ["refund pls", "coins missing!!", "LIVE gift PayPal 9.99", ""])
def test_too_little_evidence_is_no_guess(text: str) -> None:
    assert guess_language(text) is None
    assert resolve_language(None, text) == "en"


def test_the_channel_locale_wins_over_the_words() -> None:
    assert resolve_language("pt-BR", "I paid for coins but they did not arrive") == "pt"
    assert resolve_language("es_MX", "") == "es"
    assert resolve_language(None, "Hola, pagué las monedas pero no me llegaron") == "es"


def test_locale_normalisation_and_names() -> None:
    assert normalise_locale(" EN-gb ") == "en"
    assert normalise_locale("12") is None and normalise_locale("") is None
    assert language_name("id") == "Indonesian" and language_name("nl") == "nl"
