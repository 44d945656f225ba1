"""The SMTP listener over a real socket: 250 only once the case is committed, 550 for what no one can answer."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.channels.smtp import ListenerController, listener
from app.services import Services
from tests.channels.conftest import case_of
from tests.channels.test_inbound_email import FIRST
from tests.delivery.peers import token


@pytest.fixture
def smtp(light: Services) -> Iterator[ListenerController]:
    settings = light.settings.model_copy(update={"smtp_listen_recipients": "support@triage.localhost,@help.example"})
    server = listener(light.engine, light.clock, settings, host="127.0.0.1", port=0)
    server.start()
    yield server
    server.stop()


def test_mail_delivered_over_smtp_becomes_a_case(smtp: ListenerController, api: TestClient, light: Services) -> None:
    with smtplib.SMTP("127.0.0.1", smtp.port, timeout=10) as client:
        refused = client.sendmail("mia@example.com", ["support@triage.localhost"], FIRST)
        assert refused == {}
        again = client.sendmail("mia@example.com", ["desk@help.example"], FIRST)  # the MTA retried: a replay
        assert again == {}
    items = api.get("/v1/queue", headers={"Authorization": f"Bearer {token(light, 'specialist')}"}).json()["items"]
    assert len(items) == 1
    case = case_of(api, token(light, "specialist", "s2"), items[0]["id"])
    assert case["channel"] == "email" and len(case["messages"]) == 1
    assert case["messages"][0]["metadata"]["email"]["message_id"] == "root-0@example.com"


def test_unknown_recipients_and_unanswerable_mail_are_refused(smtp: ListenerController) -> None:
    with smtplib.SMTP("127.0.0.1", smtp.port, timeout=10) as client:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            client.sendmail("mia@example.com", ["someone@elsewhere.example"], FIRST)
        assert refused.value.recipients["someone@elsewhere.example"][0] == 550
    with smtplib.SMTP("127.0.0.1", smtp.port, timeout=10) as client:
        with pytest.raises(smtplib.SMTPDataError) as data_error:
            client.sendmail("x@example.com", ["support@triage.localhost"], b"Subject: no sender\n\nhello\n")
        assert data_error.value.smtp_code == 550 and b"From" in data_error.value.smtp_error


def test_a_database_failure_is_a_temporary_451(light: Services) -> None:
    broken = replace_engine(light)
    server = listener(broken.engine, light.clock, light.settings, host="127.0.0.1", port=0)
    server.start()
    try:
        with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
            with pytest.raises(smtplib.SMTPDataError) as error:
                client.sendmail("mia@example.com", ["support@triage.localhost"], FIRST)
            assert error.value.smtp_code == 451  # the sending MTA keeps the message and tries again later
    finally:
        server.stop()
        broken.close()


def replace_engine(light: Services) -> Services:
    """Services whose database file does not exist and cannot be created: every transaction fails."""
    settings = light.settings.model_copy(update={"database_url": "sqlite:////nonexistent-dir/triage.db"})
    return Services(settings, clock=light.clock)
