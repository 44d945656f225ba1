"""When to retry an LLM call and how long to wait: the error policy of the openai provider, without the SDK.

Kept apart so the rules read in one place: which HTTP statuses are worth another try (timeouts, 429, 5xx),
which never are (400/401/403/404, a rejected ``response_format``), how ``Retry-After`` is honoured, and how
client retries and job retries share one bound per message.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Mapping
from datetime import UTC, datetime

from tenacity import RetryCallState, wait_random_exponential

from app.config import Settings
from app.llm.provider import ProviderError

MAX_ATTEMPTS_PER_MESSAGE = 6  # job attempts x (1 + client retries); a repair turn is part of its attempt
MAX_CLIENT_WAIT_S = 20.0  # a longer Retry-After is left to the job queue instead of holding a worker
_FORMAT_REJECTED = re.compile(r"response_format|json_schema", re.IGNORECASE)


class HttpFailure(ProviderError):
    def __init__(
        self,
        message: str,
        *,
        status: int | None,
        retryable: bool,
        retry_after_s: float | None = None,
        format_rejected: bool = False,
    ) -> None:
        super().__init__(message, retryable=retryable, retry_after_s=retry_after_s)
        self.status = status
        self.format_rejected = format_rejected  # the server refused our response_format, not the request


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date); None when absent or bad."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            return max(0.0, float(raw) * scale)
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(raw)
            except (TypeError, ValueError):
                return None
            return max(0.0, (when - datetime.now(UTC)).total_seconds())
    return None


def client_retries_for(settings: Settings) -> int:
    """Client retries per job attempt such that job attempts x (1 + retries) stays within the per-message bound."""
    fits = max(0, MAX_ATTEMPTS_PER_MESSAGE // settings.job_max_attempts - 1)
    wanted = settings.llm_client_retries
    if wanted is None:
        return fits
    if (1 + wanted) * settings.job_max_attempts > MAX_ATTEMPTS_PER_MESSAGE:
        raise ValueError(
            f"TRIAGE_LLM_CLIENT_RETRIES={wanted} with TRIAGE_JOB_MAX_ATTEMPTS={settings.job_max_attempts} allows "
            f"{(1 + wanted) * settings.job_max_attempts} LLM attempts per message; the limit is "
            f"{MAX_ATTEMPTS_PER_MESSAGE}. Lower one of them (e.g. TRIAGE_JOB_MAX_ATTEMPTS=3 with 1 client retry)"
        )
    return wanted


def failure_for_status(status: int, message: str, headers: Mapping[str, str]) -> HttpFailure:
    """The ``ProviderError`` for an HTTP error answer, with a reason a specialist can act on."""
    # The first line only: servers append tracebacks or echo request fields (redacted, but still text).
    detail = message.strip().splitlines()[0][:300] if message.strip() else ""
    if status in (400, 422, 500) and _FORMAT_REJECTED.search(message):
        # llama_cpp.server answers 500 to json_schema; never worth a retry, maybe worth json_object (auto mode)
        reason = f"HTTP {status}: the endpoint rejected the response_format: {detail}"
        return HttpFailure(reason, status=status, retryable=False, format_rejected=True)
    if status == 429:
        delay = retry_after(headers)
        return HttpFailure(f"rate limited (HTTP 429): {detail}", status=status, retryable=True, retry_after_s=delay)
    if status in (401, 403):
        hint = "check TRIAGE_LLM_API_KEY and the key's permissions"
        return HttpFailure(f"HTTP {status} from the LLM endpoint ({hint}): {detail}", status=status, retryable=False)
    if status == 404:
        hint = "check TRIAGE_LLM_MODEL and TRIAGE_LLM_BASE_URL"
        return HttpFailure(f"HTTP 404 from the LLM endpoint ({hint}): {detail}", status=status, retryable=False)
    retryable = status >= 500 or status in (408, 409)
    return HttpFailure(f"HTTP {status} from the LLM endpoint: {detail}", status=status, retryable=retryable)


def should_retry(exc: BaseException) -> bool:
    if not isinstance(exc, ProviderError) or not exc.retryable:
        return False
    return exc.retry_after_s is None or exc.retry_after_s <= MAX_CLIENT_WAIT_S


_backoff = wait_random_exponential(multiplier=0.5, max=8)


def wait(state: RetryCallState) -> float:
    """The server's ``Retry-After`` when it gave one, else jittered exponential backoff."""
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, ProviderError) and exc.retry_after_s is not None:
        return exc.retry_after_s
    return float(_backoff(state))
