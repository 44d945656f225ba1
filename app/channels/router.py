"""Inbound doors beside ``POST /v1/messages``: raw email over HTTP and the signed chat/DM webhook.

Both end in ``accept_message`` (through ``accept_email`` for mail) in one transaction, exactly like the JSON
API, so replays answer the same and a message is never stored without its jobs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Header, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from app.auth.deps import Ingestor
from app.cases.intake import accept_message
from app.cases.schemas import Channel, IngestResult, MessageIn
from app.cases.service import IngestConflict
from app.channels.email_intake import EmailRefused, accept_email
from app.deps import ClockDep, EngineDep, SettingsDep
from app.escalation.webhook import verify
from app.metrics import MESSAGES_INGESTED
from app.validation import SafeText

router = APIRouter(prefix="/v1/inbound", tags=["channels"])

EMAIL_TYPES = ("message/rfc822", "application/octet-stream", "text/plain")
WEBHOOK_CHANNELS = (Channel.IN_APP_CHAT, Channel.SOCIAL_DM)
T = TypeVar("T")


def conflict(exc: IngestConflict) -> HTTPException:
    where = "header" if exc.field == "Idempotency-Key" else "body"
    return HTTPException(
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        [{"loc": [where, exc.field], "msg": str(exc), "type": "idempotency_conflict"}],
    )


def in_transaction(engine: Engine, work: Callable[[Session], T]) -> T:
    """Run ``work`` and commit; a concurrent identical delivery that won the race is answered as its replay."""
    for attempt in range(2):
        with Session(engine, expire_on_commit=False) as session:
            try:
                result = work(session)
                session.commit()
                return result
            except IntegrityError:
                session.rollback()
                if attempt == 1:
                    raise
    raise AssertionError("unreachable")  # pragma: no cover


RAW_EMAIL_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            media: {"schema": {"type": "string", "format": "binary"}}
            for media in ("message/rfc822", "application/octet-stream")
        },
    }
}
SIGNED_MESSAGE_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MessageIn"}}},
    }
}


@router.post("/email", status_code=status.HTTP_202_ACCEPTED, openapi_extra=RAW_EMAIL_BODY)
async def post_email(
    request: Request,
    user: Ingestor,
    engine: EngineDep,
    settings: SettingsDep,
    clock: ClockDep,
    idempotency_key: Annotated[SafeText | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> JSONResponse:
    """Ingest one raw RFC 822 message (``Content-Type: message/rfc822``), e.g. piped from an MTA."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in EMAIL_TYPES:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            f"Content-Type {content_type or '(none)'!r}: send the raw message as message/rfc822",
        )
    raw = await request.body()
    if not raw.strip():
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "body: empty; send the raw RFC 822 message")
    if len(raw) > settings.inbound_email_max_bytes:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            f"the email is {len(raw)} bytes; the limit is {settings.inbound_email_max_bytes} "
            "(TRIAGE_INBOUND_EMAIL_MAX_BYTES)",
        )

    def work(session: Session) -> Any:
        return accept_email(
            session,
            raw,
            actor=user.name,
            now=clock.now(),
            max_attempts=settings.job_max_attempts,
            max_body_bytes=settings.max_body_bytes,
            idem_key=idempotency_key,
        )

    try:
        outcome = await run_in_threadpool(in_transaction, engine, work)
    except EmailRefused as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    except IngestConflict as exc:
        raise conflict(exc) from exc
    if outcome.status != "ignored":
        MESSAGES_INGESTED.labels(channel="email", replay=str(outcome.status == "replay").lower()).inc()
    code = status.HTTP_200_OK if outcome.status == "ignored" else status.HTTP_202_ACCEPTED
    return JSONResponse(outcome.as_json(), status_code=code)


def signature_problem(
    secret: str, timestamp: str | None, signature: str | None, body: bytes, *, now_s: float, tolerance_s: int
) -> str | None:
    """Why a signed request must be refused, or None: missing headers, a stale timestamp, a wrong signature."""
    if not timestamp or not signature:
        return "missing X-Triage-Timestamp or X-Triage-Signature header"
    if not (timestamp.isascii() and timestamp.isdigit()):
        return "X-Triage-Timestamp must be Unix seconds"
    if abs(now_s - int(timestamp)) > tolerance_s:
        return f"X-Triage-Timestamp is more than {tolerance_s} s from our clock: refused as a possible replay"
    if not verify(secret, timestamp, body, signature):
        return "X-Triage-Signature does not match: expected sha256=HMAC(secret, timestamp + '.' + body)"
    return None


@router.post(
    "/webhook", status_code=status.HTTP_202_ACCEPTED, response_model=IngestResult, openapi_extra=SIGNED_MESSAGE_BODY
)
async def post_webhook(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    clock: ClockDep,
    x_triage_timestamp: Annotated[str | None, Header(max_length=20)] = None,
    x_triage_signature: Annotated[str | None, Header(max_length=100)] = None,
    idempotency_key: Annotated[SafeText | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> IngestResult:
    """A chat or DM message from the platform, signed like the escalation webhook (the signature is the
    credential: only a holder of ``TRIAGE_INBOUND_WEBHOOK_SECRET`` can post)."""
    secret = settings.inbound_webhook_secret
    if secret is None:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "the inbound webhook is off: set TRIAGE_INBOUND_WEBHOOK_SECRET to enable it"
        )
    body = await request.body()
    problem = signature_problem(
        secret.get_secret_value(),
        x_triage_timestamp,
        x_triage_signature,
        body,
        now_s=clock.now().timestamp(),
        tolerance_s=settings.inbound_webhook_tolerance_s,
    )
    if problem is not None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, problem)
    try:
        message = MessageIn.model_validate_json(body)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False)) from exc
    if message.channel not in WEBHOOK_CHANNELS:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"channel: this webhook takes {' or '.join(c.value for c in WEBHOOK_CHANNELS)}; "
            f"got {message.channel.value!r} (email has POST /v1/inbound/email)",
        )
    if len(message.body.encode()) > settings.max_body_bytes:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE, f"body is longer than the limit of {settings.max_body_bytes} bytes"
        )

    def work(session: Session) -> Any:
        return accept_message(
            session,
            message,
            idem_key=idempotency_key,
            actor="webhook",
            now=clock.now(),
            max_attempts=settings.job_max_attempts,
        )

    try:
        outcome = await run_in_threadpool(in_transaction, engine, work)
    except IngestConflict as exc:
        raise conflict(exc) from exc
    MESSAGES_INGESTED.labels(channel=message.channel.value, replay=str(not outcome.created).lower()).inc()
    result: IngestResult = outcome.result
    return result
