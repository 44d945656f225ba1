"""The public contact form: ``POST /v1/inbound/webform``, the one ingest door that needs no token.

A requester on the help page has no account with us, so the form is guarded instead by what fits an anonymous
door: off unless ``TRIAGE_WEBFORM_ENABLED=true``, a per-IP rate limit, a CAPTCHA hook
(``app.channels.captcha``), a honeypot field bots fill in, and the same validation as every other channel.
The answer carries a reference, never the case id, so the form cannot be used to walk our case numbers.
Replies go back by email to the address given.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from app.cases.intake import accept_message
from app.cases.schemas import Channel, MessageIn, SenderIn, SenderKind
from app.cases.service import IngestConflict
from app.channels.captcha import CaptchaUnavailable, CaptchaVerifier
from app.channels.router import conflict, in_transaction
from app.deps import ClockDep, EngineDep, ServicesDep, SettingsDep
from app.metrics import MESSAGES_INGESTED
from app.ratelimit.store import SharedRateLimiter
from app.validation import SafeText
from app.web.login_limiter import client_key, retry_after_header

router = APIRouter(prefix="/v1/inbound", tags=["channels"])

CAPTCHA_FIELDS = ("captcha_token", "h-captcha-response", "g-recaptcha-response", "cf-turnstile-response")
HONEYPOT = "website"  # hidden on the page; people leave it empty


class WebFormIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    email: SafeText = Field(min_length=3, max_length=254)
    name: SafeText | None = Field(default=None, max_length=200)
    subject: SafeText | None = Field(default=None, max_length=500)
    message: SafeText = Field(min_length=1, max_length=20_000)
    locale: str | None = Field(default=None, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$", max_length=16)

    @field_validator("email")
    @classmethod
    def _address(cls, value: str) -> str:
        value = value.strip().lower()
        local, _, domain = value.partition("@")
        if not local or "." not in domain or any(c.isspace() or c in "<>,;\"'" for c in value):
            raise ValueError("must be an email address we can reply to, like name@example.com")
        return value

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must contain text, not only whitespace")
        return value


def get_captcha(services: ServicesDep) -> CaptchaVerifier:
    return services.captcha_verifier


def get_form_limiter(services: ServicesDep) -> SharedRateLimiter:
    return services.webform_limiter


async def _fields(request: Request) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            data = await request.json()
        except ValueError as exc:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "body: not valid JSON") from exc
        if not isinstance(data, dict):
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "body: must be a JSON object")
        return data
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        return {k: v for k, v in form.items() if isinstance(v, str)}  # uploaded files are not taken
    raise HTTPException(
        status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "send the form as application/x-www-form-urlencoded or JSON"
    )


def reference_for(form: WebFormIn, day: str) -> str:
    """Same person, same text, same day: the same reference (a double submit is one message, not two)."""
    identity = "\x1f".join([form.email, form.subject or "", form.message, day])
    return f"webform-{hashlib.sha256(identity.encode()).hexdigest()[:32]}"


@router.post(
    "/webform",
    status_code=status.HTTP_202_ACCEPTED,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {"schema": WebFormIn.model_json_schema()},
                "application/json": {"schema": WebFormIn.model_json_schema()},
            },
        }
    },
)
async def post_webform(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    clock: ClockDep,
    captcha: Annotated[CaptchaVerifier, Depends(get_captcha)],
    limiter: Annotated[SharedRateLimiter, Depends(get_form_limiter)],
) -> JSONResponse:
    """A contact-form submission from the public help page (no token: see the module docstring)."""
    if not settings.webform_enabled:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "the web form is off: set TRIAGE_WEBFORM_ENABLED=true")
    client = client_key(request)
    wait = limiter.retry_after(client)
    if wait is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"too many submissions from this address; try again in {retry_after_header(wait)} s",
            headers={"Retry-After": retry_after_header(wait)},
        )
    limiter.failed(client)  # every submission counts against the window, accepted or not
    data = await _fields(request)
    if str(data.get(HONEYPOT) or "").strip():
        return JSONResponse({"status": "received"}, status_code=status.HTTP_202_ACCEPTED)  # a bot: say nothing
    token = next((str(data[f]) for f in CAPTCHA_FIELDS if data.get(f)), None)
    try:
        human = await captcha.verify(token, client)
    except CaptchaUnavailable as exc:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "the CAPTCHA could not be checked just now; send the form again in a minute",
            headers={"Retry-After": "30"},
        ) from exc
    if not human:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "captcha: missing or not accepted; solve it and send again")
    try:
        form = WebFormIn.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False)) from exc
    if len(form.message.encode()) > settings.max_body_bytes:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "message: longer than the limit")
    now = clock.now()
    reference = reference_for(form, now.date().isoformat())
    message = MessageIn(
        channel=Channel.WEB_FORM,
        external_id=reference,
        sender=SenderIn(id=form.email, kind=SenderKind.USER, name=form.name),
        subject=form.subject,
        body=form.message,
        locale=form.locale,
        metadata={"web_form": {"reply_to": form.email}},
    )

    def work(session: Session) -> Any:
        return accept_message(
            session, message, idem_key=None, actor="webform", now=now, max_attempts=settings.job_max_attempts
        )

    try:
        outcome = await run_in_threadpool(in_transaction, engine, work)
    except IngestConflict as exc:
        raise conflict(exc) from exc
    MESSAGES_INGESTED.labels(channel=Channel.WEB_FORM.value, replay=str(not outcome.created).lower()).inc()
    return JSONResponse({"status": "received", "reference": reference}, status_code=status.HTTP_202_ACCEPTED)
