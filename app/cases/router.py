"""POST /v1/messages: accept a message from any channel, idempotently; drafting happens in a job.

The hottest endpoint, so it is lean: ``async`` with dependencies that touch nothing, then the request joins the
group-commit writer (``ingest_writer``), which checks the token and stores the message inside a transaction it
may share with other requests, and answers once that transaction has committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlalchemy.exc import DBAPIError

from app.auth.authorize import INGEST_ROLES, check_role
from app.auth.deps import PresentedCredentials, current_user
from app.cases.schemas import IngestResult, MessageIn
from app.cases.service import IngestConflict
from app.deps import ServicesDep
from app.metrics import MESSAGES_INGESTED
from app.validation import SafeText


class CredentialsBeforeBodyRoute(APIRoute):
    """Ingest checks the token late (inside the writer's transaction), so FastAPI would report a malformed body
    before a bad token. This route restores the usual order for the error path only: a request whose body fails
    validation is first asked for valid credentials of an ingest role (401/403), then told what is wrong (422).
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handle_credentials_first(request: Request) -> Response:
            try:
                return await handle(request)
            except RequestValidationError:
                engine = request.app.state.services.engine
                user = await run_in_threadpool(current_user, request, engine)
                check_role(user.role, {role.value for role in INGEST_ROLES})
                raise

        return handle_credentials_first


router = APIRouter(prefix="/v1", tags=["messages"], route_class=CredentialsBeforeBodyRoute)
log = logging.getLogger(__name__)


@router.post("/messages", status_code=status.HTTP_202_ACCEPTED, response_model=IngestResult)
async def post_message(
    message: MessageIn,
    presented: PresentedCredentials,
    services: ServicesDep,
    idempotency_key: Annotated[SafeText | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> IngestResult:
    limit = services.settings.max_body_bytes
    size = len(message.body.encode("utf-8"))
    if size > limit:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            f"body is {size} bytes of text; the limit is {limit} bytes. Split the message or "
            "send the long part as an attachment reference in metadata.",
        )
    try:
        result, created = await services.ingest_writer.submit(message, presented, idempotency_key)
    except DBAPIError as exc:
        # Not stored, so not accepted: the channel must retry (ingest is idempotent, so a retry is always safe).
        # Logged whole for the operator; the log formatter strips the driver's copy of the values (app.logs).
        log.error("ingest: a message could not be stored", exc_info=exc)
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            f"the message could not be stored ({type(exc.orig).__name__ if exc.orig else 'database error'}); "
            "it was not accepted, retry it",
            headers={"Retry-After": "5"},
        ) from exc
    except IngestConflict as exc:
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
    MESSAGES_INGESTED.labels(channel=message.channel.value, replay=str(not created).lower()).inc()
    return result
