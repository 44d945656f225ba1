"""Email both ways over real SMTP: the listener takes the requester's mail, the approved reply reaches a loopback
mail server threaded under it, and the requester's answer to our reply comes back to the same case."""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.cases.models import Case, Message
from app.channels.smtp import listener
from app.clock import ManualClock
from app.delivery.outbox import enqueue_delivery
from app.delivery.senders import SmtpMailSender
from app.delivery.tasks import DeliveryJobHandler
from app.main import create_app
from app.services import Services
from tests.channels.test_inbound_email import FIRST
from tests.conftest import auth, drain
from tests.delivery.peers import Mailbox, delivery_worker, light_services, run_jobs, start_mailbox, token

SUPPORT = "Support <support@help.example>"


def smtp_send(port: int, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail("mia@example.com", ["support@help.example"], raw)


def edit_reply(client: TestClient, bearer: str, case_id: int, text: str) -> Any:
    version = client.get(f"/v1/cases/{case_id}", headers=auth(bearer)).json()["version"]
    response = client.post(
        f"/v1/cases/{case_id}/decisions",
        json={"action": "edit", "text": text, "case_version": version},
        headers=auth(bearer),
    )
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box, server = start_mailbox()
    yield box, server.port
    server.stop()


def test_email_in_over_smtp_approved_reply_out_threaded(
    make_services: Any, clock: ManualClock, mailbox: tuple[Mailbox, int]
) -> None:
    """Done when: an email sent to the SMTP listener becomes a case, and its approved reply (a real offline draft,
    approved) arrives at the loopback SMTP server threaded under the original."""
    box, mx_port = mailbox
    services: Services = make_services(smtp_host="127.0.0.1", smtp_port=mx_port, email_from=SUPPORT)
    inbound = listener(services.engine, clock, services.settings, host="127.0.0.1", port=0)
    inbound.start()
    try:
        smtp_send(inbound.port, FIRST)
        specialist = token(services, "specialist")
        with TestClient(create_app(services.settings, services, run_worker=False)) as client:
            case_id = client.get("/v1/queue", headers=auth(specialist)).json()["items"][0]["id"]
            drain(services)  # screening and the offline draft
            draft = client.get(f"/v1/cases/{case_id}", headers=auth(specialist)).json()["draft"]
            approved = client.post(
                f"/v1/cases/{case_id}/decisions", json={"action": "approve"}, headers=auth(specialist)
            )
            assert approved.status_code == 201, approved.text
            queued = client.get(f"/v1/cases/{case_id}", headers=auth(specialist)).json()["deliveries"]
            assert [d["status"] for d in queued] == ["queued"]
            drain(services)

            assert len(box.received) == 1
            reply = box.received[0]
            assert reply["To"] == "mia@example.com" and reply["From"] == SUPPORT
            assert reply["Subject"] == "Re: coins missing"
            assert reply["In-Reply-To"] == "<root-0@example.com>"
            assert reply["References"] == "<root-0@example.com>"
            assert str(reply["Message-ID"]).endswith("@help.example>")
            assert reply.get_content().replace("\r\n", "\n").strip() == draft["reply"].strip()
            case = client.get(f"/v1/cases/{case_id}", headers=auth(specialist)).json()
            delivery = case["deliveries"][0]
            assert delivery["status"] == "sent" and delivery["message_id_header"] == reply["Message-ID"]
            assert case["messages"][-1]["metadata"]["email"]["in_reply_to"] == "root-0@example.com"
            assert "reply_delivered" in [e["kind"] for e in case["events"]]

            # The requester answers our reply; their client kept only our Message-ID.
            answer = EmailMessage()
            answer["From"] = "Mia Chen <mia@example.com>"
            answer["To"] = "support@help.example"
            answer["Subject"] = "Re: Re: coins missing"
            answer["Message-ID"] = "<answer-3@example.com>"
            answer["In-Reply-To"] = str(reply["Message-ID"])
            answer.set_content("Thanks, the coins are there now!\n\nOn Mon, Support wrote:\n> We credited them.")
            smtp_send(inbound.port, answer.as_bytes())
            reopened = client.get(f"/v1/cases/{case_id}", headers=auth(specialist)).json()
            assert (
                reopened["status"] == "new" and reopened["messages"][-1]["body"] == "Thanks, the coins are there now!"
            )
    finally:
        inbound.stop()


@pytest.fixture
def light(tmp_path: Path, clock: ManualClock, mailbox: tuple[Mailbox, int]) -> Iterator[Services]:
    services = light_services(
        tmp_path,
        clock,
        smtp_host="127.0.0.1",
        smtp_port=mailbox[1],
        email_from=SUPPORT,
        job_backoff_base_s=1,  # a deferred attempt waits for the (manual) clock, so each drain is one attempt
        job_backoff_max_s=4,
    )
    yield services
    services.close()


def _email_case(client: TestClient, services: Services) -> int:
    raw = {"content-type": "message/rfc822", **auth(token(services, "integration", "mta"))}
    response = client.post("/v1/inbound/email", content=FIRST, headers=raw)
    assert response.status_code == 202, response.text
    case_id: int = response.json()["case_id"]
    return case_id


def test_nothing_is_sent_without_an_approval_record(light: Services, mailbox: tuple[Mailbox, int]) -> None:
    with TestClient(create_app(light.settings, light, run_worker=False)) as client:
        case_id = _email_case(client, light)
        with Session(light.engine) as session:  # an outbound row with no decision behind it (a bug, a bad script)
            case = session.get(Case, case_id)
            assert case is not None
            message = Message(
                case_id=case_id,
                direction="outbound",
                channel="email",
                external_id="rogue-1",
                sender_id="script",
                sender_kind="agent",
                body="unapproved text",
                request_hash="",
            )
            enqueue_delivery(session, case, message, now=light.clock.now())
            session.commit()
        run_jobs(delivery_worker(light))
        assert mailbox[0].received == []
        delivery = client.get(f"/v1/cases/{case_id}/deliveries", headers=auth(token(light, "specialist"))).json()
        assert delivery["items"][0]["status"] == "failed"
        assert "no approval record" in delivery["items"][0]["last_error"]


def test_refused_then_retried_by_hand(light: Services, mailbox: tuple[Mailbox, int], clock: ManualClock) -> None:
    box, _port = mailbox
    specialist = token(light, "specialist")
    with TestClient(create_app(light.settings, light, run_worker=False)) as client:
        case_id = _email_case(client, light)
        edit_reply(client, specialist, case_id, "We credited the 1,000 coins to your account.")
        box.refuse_with = "451 4.2.1 mailbox busy, try later"
        worker = delivery_worker(light)
        run_jobs(worker)
        waiting = client.get(f"/v1/cases/{case_id}", headers=auth(specialist)).json()["deliveries"][0]
        assert waiting["status"] == "queued" and "451" in waiting["last_error"] and waiting["attempts"] == 1
        assert waiting["next_attempt_at"] is not None

        box.refuse_with = "550 5.1.1 no such user"
        clock.advance(seconds=2)
        run_jobs(worker)
        failed = client.get(f"/v1/cases/{case_id}", headers=auth(specialist)).json()["deliveries"][0]
        assert failed["status"] == "failed" and "550" in failed["last_error"]
        assert box.received == []

        qa = client.post(f"/v1/deliveries/{failed['id']}/retry", headers=auth(token(light, "qa")))
        assert qa.status_code == 403
        assert client.post("/v1/deliveries/999/retry", headers=auth(specialist)).status_code == 404
        box.refuse_with = None  # the address was fixed on their side
        retried = client.post(f"/v1/deliveries/{failed['id']}/retry", headers=auth(specialist))
        assert retried.status_code == 202 and retried.json()["status"] == "queued"
        run_jobs(worker)
        sent = client.get(f"/v1/cases/{case_id}", headers=auth(specialist)).json()
        assert sent["deliveries"][0]["status"] == "sent" and sent["deliveries"][0]["attempts"] == 3
        assert len(box.received) == 1
        again = client.post(f"/v1/deliveries/{failed['id']}/retry", headers=auth(specialist))
        assert again.status_code == 409 and "already sent" in again.text
        assert client.get("/v1/deliveries?status=failed", headers=auth(specialist)).json()["items"] == []
        listed = client.get("/v1/deliveries", headers=auth(specialist)).json()["items"]
        assert [(d["id"], d["status"]) for d in listed] == [(failed["id"], "sent")]
        assert client.get("/v1/deliveries?status=lost", headers=auth(specialist)).status_code == 422


class WorkerDied(BaseException):
    """The process ends mid-job: nothing after this line of the handler runs, nothing is recorded."""


class DiesAfterSending:
    def __init__(self, inner: SmtpMailSender) -> None:
        self.inner = inner

    async def send(self, message: EmailMessage) -> None:
        await self.inner.send(message)
        raise WorkerDied()


def test_a_worker_dying_after_the_send_does_not_duplicate_the_email(
    light: Services, mailbox: tuple[Mailbox, int], clock: ManualClock
) -> None:
    box, port = mailbox
    specialist = token(light, "specialist")
    with TestClient(create_app(light.settings, light, run_worker=False)) as client:
        case_id = _email_case(client, light)
        edit_reply(client, specialist, case_id, "Your coins are credited.")
        real = SmtpMailSender("127.0.0.1", port)
        dying = DeliveryJobHandler(light.engine, DiesAfterSending(real), light.webhook_sender, clock, light.settings)
        with pytest.raises(WorkerDied):
            asyncio.run(delivery_worker(light, handler=dying).run_once())
        assert len(box.received) == 1  # it went out, but the worker never wrote that down
        assert (
            client.get(f"/v1/cases/{case_id}", headers=auth(specialist)).json()["deliveries"][0]["status"] == "queued"
        )

        clock.advance(seconds=light.settings.job_lease_s + 1)  # the dead worker's lease runs out
        assert run_jobs(delivery_worker(light)) == 1
        assert len(box.received) == 2 and len(box.unique) == 1  # same Message-ID: the mail store keeps one
        case = client.get(f"/v1/cases/{case_id}", headers=auth(specialist)).json()
        assert case["deliveries"][0]["status"] == "sent" and case["deliveries"][0]["attempts"] == 2
        assert [e["kind"] for e in case["events"]].count("reply_delivered") == 1


def test_without_an_smtp_server_the_case_says_so(tmp_path: Path, clock: ManualClock) -> None:
    services = light_services(tmp_path, clock)
    specialist = token(services, "specialist")
    with TestClient(create_app(services.settings, services, run_worker=False)) as client:
        case_id = _email_case(client, services)
        edit_reply(client, specialist, case_id, "Answer")
        run_jobs(delivery_worker(services))
        delivery = client.get(f"/v1/cases/{case_id}", headers=auth(specialist)).json()["deliveries"][0]
        assert delivery["status"] == "failed" and "TRIAGE_SMTP_HOST" in delivery["last_error"]
    services.close()


def _dsn(message_id: str, status: str) -> bytes:
    return f"""From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
To: support@help.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-{status}@mx.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

I'm sorry to have to inform you that your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

Final-Recipient: rfc822; mia@example.com
Action: {"failed" if status.startswith("5") else "delayed"}
Status: {status}
Diagnostic-Code: smtp; 550 5.1.1 <mia@example.com>: user unknown

--B
Content-Type: text/rfc822-headers

From: {SUPPORT}
To: mia@example.com
Subject: Re: coins missing
Message-ID: {message_id}

--B--
""".encode()


def test_a_bounce_after_sending_fails_the_delivery_with_the_diagnostic(
    light: Services, mailbox: tuple[Mailbox, int]
) -> None:
    specialist = token(light, "specialist")
    with TestClient(create_app(light.settings, light, run_worker=False)) as client:
        case_id = _email_case(client, light)
        edit_reply(client, specialist, case_id, "Your coins are credited.")
        run_jobs(delivery_worker(light))
        sent = client.get(f"/v1/cases/{case_id}", headers=auth(specialist)).json()["deliveries"][0]
        assert sent["status"] == "sent"
        raw = {"content-type": "message/rfc822", **auth(token(light, "integration", "mta2"))}
        delayed = client.post("/v1/inbound/email", content=_dsn(sent["message_id_header"], "4.4.1"), headers=raw)
        assert delayed.status_code == 200 and delayed.json()["status"] == "ignored"
        still = client.get(f"/v1/cases/{case_id}", headers=auth(specialist)).json()["deliveries"][0]
        assert still["status"] == "sent"  # a delay notice is not a failure
        bounced = client.post("/v1/inbound/email", content=_dsn(sent["message_id_header"], "5.1.1"), headers=raw)
        assert bounced.status_code == 200 and f"delivery {sent['id']}" in bounced.json()["reason"]
        case = client.get(f"/v1/cases/{case_id}", headers=auth(specialist)).json()
        assert case["deliveries"][0]["status"] == "failed"
        assert "user unknown" in case["deliveries"][0]["last_error"]
        assert "reply_bounced" in [e["kind"] for e in case["events"]]
        assert case["status"] == "resolved"  # a bounce is not the requester writing: no case is opened or reopened
