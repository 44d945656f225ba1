"""No PII in any log line, including driver errors: a failed write on PostgreSQL quotes the whole row in its
DETAIL, and SQLAlchemy would append the bound parameters — neither may reach the logs (issue 16)."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import text
from sqlmodel import Session

from app.cases.models import Message
from app.logs import configure_logging
from app.main import create_app
from app.services import Services
from tests.conftest import add_user, auth
from tests.web.conftest import _free_port

EMAIL = "mia.lopez@example.com"
CARD = "4111 1111 1111 1111"
SECRETS = (EMAIL, "mia.lopez", CARD, "4111")
MESSAGE = {
    "channel": "email",
    "external_id": "leak-1",
    "sender": {"id": EMAIL, "kind": "user", "name": "Mia Lopez"},
    "subject": "charged twice",
    "body": f"My card {CARD} was charged twice, write to {EMAIL}",
}


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Tests call ``configure_logging`` as ``triage serve`` does (in the test body, where stderr is captured);
    the process-wide logging state is put back afterwards."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, logging.getLogRecordFactory())
    try:
        yield
    finally:
        root.handlers[:], level, factory = saved
        root.setLevel(level)
        logging.setLogRecordFactory(factory)


def refuse_card_numbers(services: Services) -> None:
    """Make the database itself refuse the message, as a constraint or a broken disk would mid-ingest."""
    with services.engine.begin() as conn:
        if services.engine.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE messages ADD CONSTRAINT no_cards CHECK (body NOT LIKE '%4111%')"))
        else:
            conn.execute(
                text(
                    "CREATE TRIGGER no_cards BEFORE INSERT ON messages WHEN NEW.body LIKE '%4111%' "
                    "BEGIN SELECT RAISE(ABORT, 'refused by a test constraint'); END"
                )
            )


def json_lines(err: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert lines, f"no JSON log lines in {err!r}"
    return lines


def test_a_failed_ingest_write_logs_no_body_email_or_card(
    services: Services, restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO")
    token = add_user(services, "ingest", "integration")
    refuse_card_numbers(services)
    app = create_app(services.settings, services, run_worker=False)
    port = _free_port()
    # log_config=None, as `triage serve` runs it: uvicorn's error log goes through our handler
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        response = httpx.post(f"http://127.0.0.1:{port}/v1/messages", json=MESSAGE, headers=auth(token), timeout=30)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert response.status_code == 503 and "not accepted" in response.json()["detail"], response.text
    err = capsys.readouterr().err
    errors = [line for line in json_lines(err) if line["levelname"] == "ERROR"]
    assert errors, "the failure must still be logged"
    assert any("IntegrityError" in str(line.get("exc_info")) for line in errors), errors
    for secret in SECRETS:
        assert secret not in err, f"{secret!r} leaked into the logs"


def test_driver_errors_logged_any_way_carry_no_values(
    services: Services, restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """The ways code logs a failure — ``log.exception``, ``%s`` of the error, the worker's ``extra`` error text."""
    configure_logging("INFO")
    refuse_card_numbers(services)
    with Session(services.engine) as session:
        session.add(Message(case_id=1, channel="email", external_id="x", sender_id=EMAIL, sender_kind="user",
                            body=MESSAGE["body"], request_hash="h"))  # fmt: skip
        with pytest.raises(Exception) as caught:
            session.flush()
    if services.engine.dialect.name == "postgresql":  # "DETAIL: Failing row contains (…)": the leak to stop
        assert any(secret in str(caught.value) for secret in SECRETS), "the driver error should quote the row"
    log = logging.getLogger("app.test")
    try:
        raise RuntimeError("draft job failed") from caught.value
    except RuntimeError:
        log.exception("worker loop error")
    log.warning("could not store: %s", caught.value)
    log.warning("job failed", extra={"error": f"{type(caught.value).__name__}: {caught.value}"})
    lines = json_lines(capsys.readouterr().err)
    assert len(lines) == 3
    assert "IntegrityError" in lines[0]["exc_info"] and "RuntimeError: draft job failed" in lines[0]["exc_info"]
    for secret in SECRETS:
        assert secret not in json.dumps(lines), f"{secret!r} leaked into the logs"
