"""POST /v1/messages: accept a message from any channel, idempotently; drafting happens in a job."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, status
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.auth.deps import Ingestor
from app.cases.intake import accept_message
from app.cases.schemas import IngestResult, MessageIn
from app.cases.service import IngestConflict, find_replay
from app.deps import ClockDep, EngineDep, SettingsDep
from app.metrics import MESSAGES_INGESTED
from app.validation import SafeText

router = APIRouter(prefix="/v1", tags=["messages"])


@router.post("/messages", status_code=status.HTTP_202_ACCEPTED, response_model=IngestResult)
def post_message(
    message: MessageIn,
    user: Ingestor,
    engine: EngineDep,
    settings: SettingsDep,
    clock: ClockDep,
    idempotency_key: Annotated[SafeText | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> IngestResult:
    size = len(message.body.encode("utf-8"))
    if size > settings.max_body_bytes:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            f"body is {size} bytes of text; the limit is {settings.max_body_bytes} bytes. Split the message or "
            "send the long part as an attachment reference in metadata.",
        )
    for attempt in range(2):
        with Session(engine, expire_on_commit=False) as session:
            try:
                outcome = accept_message(
                    session,
                    message,
                    idem_key=idempotency_key,
                    actor=user.name,
                    now=clock.now(),
                    max_attempts=settings.job_max_attempts,
                )
                session.commit()
            except IngestConflict as exc:
                session.rollback()
                raise HTTPException(
                    status.HTTP_422_UNPROCESSABLE_CONTENT,
                    [
                        {
                            "loc": ["header" if exc.field == "Idempotency-Key" else "body", exc.field],
                            "msg": str(exc),
                            "type": "idempotency_conflict",
                        }
                    ],
                ) from exc
            except IntegrityError:
                # A concurrent identical request won the race: answer as its replay.
                session.rollback()
                if attempt == 0:
                    continue
                raise
        MESSAGES_INGESTED.labels(channel=message.channel.value, replay=str(not outcome.created).lower()).inc()
        return outcome.result
    with Session(engine) as session:  # pragma: no cover - second race, extremely unlikely
        replay = find_replay(session, message, idempotency_key)
        assert replay is not None
        return replay.result
