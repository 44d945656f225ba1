"""The ``deliver_reply`` job: send a case's queued replies, in order, each at most once as the receiver sees it.

Per delivery: (1) check and prepare in one committed transaction — the approval record must exist, the
transport must be configured, the attempt is counted and the SMTP Message-ID fixed; (2) send, outside any
transaction; (3) record ``sent`` in a second transaction. A worker that dies between (2) and (3) leaves the
job's lease to expire; the next worker sends again with the same Message-ID / ``Idempotency-Key``, and the
receiver drops the copy. That is the exactly-once we can promise without a two-phase commit with every mail
server: at-least-once sending, with a stable key the receiver deduplicates on.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prometheus_client import Counter
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.cases.models import Case, Message
from app.cases.states import record_event
from app.channels.email_intake import remember
from app.clock import Clock
from app.config import Settings
from app.delivery.compose import message_id_for, reply_email, webhook_headers, webhook_payload
from app.delivery.models import Delivery, DeliveryStatus, Transport
from app.delivery.outbox import thread_of
from app.delivery.senders import DeliveryDeferred, DeliveryRefused, MailSender, classify_http
from app.escalation.webhook import WebhookSender
from app.jobs import queue
from app.jobs.models import Job
from app.jobs.worker import JobFailed
from app.review.models import Action, Decision

DELIVERIES = Counter("triage_deliveries_total", "Reply delivery attempts by outcome", ["transport", "outcome"])
_APPROVALS = (Action.APPROVE.value, Action.EDIT.value)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def approval_for(session: Session, delivery: Delivery, message: Message) -> Decision | None:
    """The approve/edit decision that sent exactly this text at exactly this time, or None."""
    if delivery.decision_id is not None:
        return session.get(Decision, delivery.decision_id)
    candidates = session.exec(
        select(Decision).where(Decision.case_id == delivery.case_id, col(Decision.action).in_(_APPROVALS))
    ).all()
    for decision in candidates:
        close = abs(_aware(decision.created_at) - _aware(message.created_at)) <= timedelta(seconds=1)
        if close and (decision.text or "").strip() == message.body.strip():
            return decision
    return None


class DeliveryJobHandler:
    def __init__(
        self,
        engine: Engine,
        mail_sender: MailSender | None,
        webhook_sender: WebhookSender,
        clock: Clock,
        settings: Settings,
    ) -> None:
        self._engine = engine
        self._mail = mail_sender
        self._webhook = webhook_sender
        self._clock = clock
        self._settings = settings

    def _pending(self, case_id: int) -> list[int]:
        with Session(self._engine) as session:
            ids = session.exec(
                select(Delivery.id)
                .where(Delivery.case_id == case_id, Delivery.status == DeliveryStatus.QUEUED.value)
                .order_by(col(Delivery.id))
            ).all()
        return [i for i in ids if i is not None]

    async def run(self, job: Job) -> None:
        assert job.case_id is not None
        for delivery_id in self._pending(job.case_id):
            await self._deliver(delivery_id)
        with Session(self._engine, expire_on_commit=False) as session:
            if not queue.complete(session, job, now=self._clock.now()):
                session.rollback()
                return
            session.commit()

    def _refusal(self, session: Session, delivery: Delivery, message: Message) -> str | None:
        approval = approval_for(session, delivery, message)
        if approval is None:
            return "no approval record for this reply: nothing is sent without an approve or edit decision"
        delivery.decision_id = approval.id
        if delivery.transport == Transport.SMTP.value:
            if self._mail is None:
                return "no SMTP server is configured: set TRIAGE_SMTP_HOST, then retry"
            if "@" not in delivery.recipient:
                return "the requester has no email address to reply to"
        elif not self._settings.reply_webhook_url:
            return "no reply webhook is configured: set TRIAGE_REPLY_WEBHOOK_URL, then retry"
        return None

    async def _deliver(self, delivery_id: int) -> None:
        now = self._clock.now()
        with Session(self._engine, expire_on_commit=False) as session:
            delivery = session.get(Delivery, delivery_id)
            if delivery is None or delivery.status != DeliveryStatus.QUEUED.value:
                return  # sent or failed meanwhile (another worker, a retry): nothing to do
            message = session.get(Message, delivery.message_id)
            case = session.get(Case, delivery.case_id)
            assert message is not None and case is not None
            refusal = self._refusal(session, delivery, message)
            if refusal is not None:
                self._fail(session, delivery, refusal, now=now)
                session.commit()
                return
            delivery.attempts += 1
            delivery.updated_at = now
            if delivery.transport == Transport.SMTP.value and delivery.message_id_header is None:
                delivery.message_id_header = message_id_for(delivery, self._settings)
                thread = thread_of(case) or delivery.message_id_header.strip("<>")
                # The requester's answer to our reply names this id: index it so it finds this thread.
                remember(
                    session,
                    delivery.message_id_header.strip("<>"),
                    thread_id=thread,
                    case_id=case.id,
                    direction="outbound",
                )
            session.add(delivery)
            session.commit()
        try:
            await self._send(delivery, message, case)
        except DeliveryRefused as exc:
            DELIVERIES.labels(transport=delivery.transport, outcome="refused").inc()
            with Session(self._engine, expire_on_commit=False) as session:
                current = session.get(Delivery, delivery_id)
                assert current is not None
                self._fail(session, current, str(exc)[:2000], now=self._clock.now())
                session.commit()
            return
        except Exception as exc:
            DELIVERIES.labels(transport=delivery.transport, outcome="deferred").inc()
            detail = str(exc) if isinstance(exc, DeliveryDeferred) else f"{type(exc).__name__}: {exc}"
            error = f"attempt {delivery.attempts}: {detail}"[:2000]
            with Session(self._engine, expire_on_commit=False) as session:
                current = session.get(Delivery, delivery_id)
                assert current is not None
                current.last_error = error
                current.updated_at = self._clock.now()
                session.add(current)
                session.commit()
            raise JobFailed(f"delivery {delivery_id}: {error}") from exc
        DELIVERIES.labels(transport=delivery.transport, outcome="sent").inc()
        self._record_sent(delivery_id)

    async def _send(self, delivery: Delivery, message: Message, case: Case) -> None:
        if delivery.transport == Transport.SMTP.value:
            assert self._mail is not None
            await self._mail.send(reply_email(delivery, message, case, self._settings))
            return
        url = self._settings.reply_webhook_url
        assert url is not None
        secret = self._settings.reply_webhook_secret
        body = webhook_payload(delivery, message, case)
        timestamp = str(int(self._clock.now().timestamp()))
        headers = webhook_headers(
            delivery, body, secret=secret.get_secret_value() if secret else None, timestamp=timestamp
        )
        status = await self._webhook.post(url, body, headers)
        failure = classify_http(status)
        if failure is not None:
            raise failure(f"reply webhook answered HTTP {status}")

    def _record_sent(self, delivery_id: int) -> None:
        now = self._clock.now()
        with Session(self._engine, expire_on_commit=False) as session:
            delivery = session.get(Delivery, delivery_id)
            assert delivery is not None
            delivery.status = DeliveryStatus.SENT.value
            delivery.sent_at = now
            delivery.updated_at = now
            delivery.last_error = None
            session.add(delivery)
            record_event(
                session,
                delivery.case_id,
                "reply_delivered",
                actor="worker",
                detail={"delivery_id": delivery.id, "transport": delivery.transport, "attempts": delivery.attempts},
                now=now,
            )
            session.commit()

    def _fail(self, session: Session, delivery: Delivery, reason: str, *, now: datetime) -> None:
        delivery.status = DeliveryStatus.FAILED.value
        delivery.last_error = reason
        delivery.updated_at = now
        session.add(delivery)
        record_event(
            session,
            delivery.case_id,
            "reply_delivery_failed",
            actor="worker",
            detail={"delivery_id": delivery.id, "attempts": delivery.attempts, "error": reason[:500]},
            now=now,
        )

    def on_dead(self, session: Session, job: Job, error: str) -> None:
        """Attempts exhausted: every reply still waiting on this case is failed with the reason (a retry revives)."""
        if job.case_id is None:
            return
        waiting = session.exec(
            select(Delivery).where(Delivery.case_id == job.case_id, Delivery.status == DeliveryStatus.QUEUED.value)
        ).all()
        for delivery in waiting:
            last = delivery.last_error or error
            self._fail(
                session, delivery, f"gave up after {job.attempts} attempts: {last}"[:2000], now=self._clock.now()
            )
