"""Session cookies: signed, expiring, tamper-evident; the secret is generated once and kept private."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import SecretStr

from app.config import Settings
from app.web.session import SECRET_FILE, SessionClaims, SessionSigner, load_secret

CLAIMS = SessionClaims(user_id=3, login_token_id=7, session_token_id=11, nonce="n0nce", expires_at=2_000)


def test_round_trip_and_expiry() -> None:
    signer = SessionSigner(b"k" * 32)
    cookie = signer.dumps(CLAIMS)
    assert signer.loads(cookie, now=1_999) == CLAIMS
    assert signer.loads(cookie, now=2_000) is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda c: c[:-1] + ("0" if c[-1] != "0" else "1"),  # signature changed
        lambda c: "e30" + c[3:],  # payload changed
        lambda c: c.split(".")[0],  # no signature
        lambda c: "garbage",
        lambda c: "",
    ],
)
def test_tampered_cookies_are_refused(mangle: object) -> None:
    signer = SessionSigner(b"k" * 32)
    assert signer.loads(mangle(SessionSigner(b"k" * 32).dumps(CLAIMS)), now=0) is None  # type: ignore[operator]


def test_other_secret_cannot_forge() -> None:
    assert SessionSigner(b"a" * 32).loads(SessionSigner(b"b" * 32).dumps(CLAIMS), now=0) is None


def test_csrf_tokens_are_bound_to_the_session() -> None:
    signer = SessionSigner(b"k" * 32)
    token = signer.csrf_token(CLAIMS)
    assert signer.check_csrf(CLAIMS, token)
    other = SessionClaims(**{**CLAIMS.__dict__, "nonce": "another"})
    assert not signer.check_csrf(other, token)
    assert not signer.check_csrf(CLAIMS, None) and not signer.check_csrf(CLAIMS, "")
    assert signer.check_login_csrf("cookie", signer.login_csrf_token("cookie"))
    assert not signer.check_login_csrf("planted", signer.login_csrf_token("cookie"))
    assert not signer.check_login_csrf(None, signer.login_csrf_token("cookie"))


def test_secret_is_generated_once_private_and_reused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = load_secret(settings)
    path = tmp_path / SECRET_FILE
    assert len(first) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret(Settings(data_dir=tmp_path)) == first


def test_configured_secret_wins_and_must_be_long(tmp_path: Path) -> None:
    assert load_secret(Settings(data_dir=tmp_path, session_secret=SecretStr("x" * 40))) == b"x" * 40
    assert not (tmp_path / SECRET_FILE).exists()
    with pytest.raises(ValueError, match="at least 32"):
        load_secret(Settings(data_dir=tmp_path, session_secret=SecretStr("short")))
