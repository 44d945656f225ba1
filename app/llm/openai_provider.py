"""Drafts with any OpenAI-compatible endpoint (OpenAI, Azure OpenAI v1, vLLM, Ollama, llama.cpp) — the only
module that imports ``openai``.

What it guarantees, and why:
- **Bounded time and cost.** Every call has a timeout and ``max_tokens`` (not ``max_completion_tokens``, which
  llama.cpp ignores). The SDK's own retries are off; tenacity retries timeouts, connection errors, 429 and 5xx
  ``client_retries`` times with jittered backoff, sleeping the ``Retry-After`` a 429 asks for. 400/401/403/404
  never retry: the same request would fail the same way. Client and job retries share one budget of
  ``MAX_ATTEMPTS_PER_MESSAGE`` (the policy is in ``app/llm/retries.py``). A daily token budget makes jobs wait.
- **Validated output.** The model must answer the draft schema (``json_schema`` where the server takes it,
  ``json_object`` with a ``schema`` where it does not, as llama.cpp's server); an answer that does not validate
  gets one repair turn carrying the validation error, then fails with that error as the reason.
- **Accounting.** Each HTTP exchange leaves a ``CallRecord`` (tokens, latency, prompt versions, outcome; no text).
The ``httpx.AsyncClient`` is passed in explicitly: openai 3.x otherwise sends through ``httpx2``, which respx
cannot intercept, and the client is where timeouts and pool limits belong.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

import httpx
import openai
from openai.types.chat import ChatCompletion
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

from app.clock import utcnow
from app.config import Settings
from app.llm.answer import InvalidAnswer, answer_schema, language_notes, parse_answer, repair_turn, taxonomy_variables
from app.llm.call_log import CallOutcome, CallRecord, CallRecorder, DailyTokenBudget
from app.llm.language import language_name, resolve_language
from app.llm.prompts import PromptTemplate, load_prompt
from app.llm.provider import ProviderError
from app.llm.retries import HttpFailure, client_retries_for, failure_for_status, should_retry, wait
from app.llm.schemas import DraftProposal, DraftRequest, ProviderResult

log = logging.getLogger("triage.llm")

ResponseFormatMode = Literal["auto", "json_schema", "json_object"]


@dataclass
class _Exchange:
    completion: ChatCompletion
    latency_ms: int


@dataclass
class _Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0


class OpenAIProvider:
    name = "openai"

    def __init__(
        self,
        *,
        model: str,
        system_prompt: PromptTemplate,
        user_prompt: PromptTemplate,
        recorder: CallRecorder,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout_s: float = 60.0,
        max_tokens: int = 800,
        temperature: float | None = 0.2,
        client_retries: int = 0,
        response_format: ResponseFormatMode = "auto",
        daily_token_budget: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        max_connections: int = 16,
        clock: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.model = model
        self._system = system_prompt
        self._user = user_prompt
        self._recorder = recorder
        self._timeout_s = timeout_s
        self._max_tokens = max_tokens
        self._temperature = temperature
        self._client_retries = client_retries
        self._format: ResponseFormatMode = response_format
        self._budget = DailyTokenBudget(recorder, daily_token_budget, clock)
        self._clock = clock
        self._sleep = sleep
        self.prompt_name = "draft"
        self.prompt_version = f"{system_prompt.version}+{user_prompt.version}"
        self._base_url = base_url
        self._max_connections = max_connections
        self._api_key = api_key or "not-needed"  # local servers take any key; the SDK insists on one
        self._injected = self._sdk(http_client) if http_client is not None else None
        # One pooled client per event loop: the API's loop (readiness) and the worker thread's loop must not
        # share connections, which are bound to the loop that opened them.
        self._per_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, openai.AsyncOpenAI] = (
            weakref.WeakKeyDictionary()
        )

    def _sdk(self, http_client: httpx.AsyncClient) -> openai.AsyncOpenAI:
        # openai 3.x types http_client as httpx2.AsyncClient but accepts an httpx one at run time (see docstring).
        return openai.AsyncOpenAI(
            base_url=self._base_url,
            api_key=self._api_key,
            timeout=self._timeout_s,
            max_retries=0,
            http_client=cast(Any, http_client),
        )

    @property
    def _client(self) -> openai.AsyncOpenAI:
        if self._injected is not None:
            return self._injected
        loop = asyncio.get_running_loop()
        client = self._per_loop.get(loop)
        if client is None:
            http = httpx.AsyncClient(
                timeout=httpx.Timeout(self._timeout_s, connect=min(10.0, self._timeout_s)),
                limits=httpx.Limits(
                    max_connections=self._max_connections, max_keepalive_connections=self._max_connections
                ),
            )
            client = self._per_loop[loop] = self._sdk(http)
        return client

    @classmethod
    def from_settings(
        cls, settings: Settings, recorder: CallRecorder, http_client: httpx.AsyncClient | None = None
    ) -> OpenAIProvider:
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        if not key and not settings.llm_base_url:
            raise ValueError(
                "TRIAGE_LLM_PROVIDER=openai needs TRIAGE_LLM_API_KEY for api.openai.com, or TRIAGE_LLM_BASE_URL "
                "for another OpenAI-compatible server (see docs/llm.md)"
            )
        return cls(
            model=settings.llm_model,
            system_prompt=load_prompt(settings.prompts_dir, "draft_system"),
            user_prompt=load_prompt(settings.prompts_dir, "draft_user"),
            recorder=recorder,
            base_url=settings.llm_base_url,
            api_key=key,
            timeout_s=settings.llm_timeout_s,
            max_tokens=settings.llm_max_tokens,
            temperature=settings.llm_temperature,
            client_retries=client_retries_for(settings),
            response_format=settings.llm_response_format,
            daily_token_budget=settings.llm_daily_token_budget,
            http_client=http_client,
            max_connections=settings.llm_max_connections,
        )

    async def ping(self) -> None:
        try:
            await self._client.models.list(timeout=min(5.0, self._timeout_s))
        except openai.OpenAIError as exc:
            raise ProviderError(f"LLM endpoint not reachable: {type(exc).__name__}") from exc

    async def aclose(self) -> None:
        """Close this event loop's connections (an injected client belongs to its owner)."""
        client = self._per_loop.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.close()

    async def draft(self, request: DraftRequest) -> ProviderResult:
        self._budget.check()
        started = time.perf_counter()
        language = resolve_language(request.locale, request.message)
        messages = self._messages(request, language)
        article_ids = [a.article_id for a in request.articles]
        usage = _Usage()
        exchange = await self._exchange(request, messages, article_ids, usage)
        try:
            proposal = self._accept(request, exchange)
        except InvalidAnswer as first:
            if not first.repairable:
                raise ProviderError(first.reason, retryable=first.retryable) from first
            messages += repair_turn(_content(exchange.completion), first.reason)
            exchange = await self._exchange(request, messages, article_ids, usage)
            try:
                proposal = self._accept(request, exchange)
            except InvalidAnswer as second:
                reason = f"invalid model output after one repair attempt: {second.reason}"
                raise ProviderError(reason, retryable=second.retryable) from second
        return ProviderResult(
            proposal=proposal,
            provider=self.name,
            model=self.model,
            prompt_name=self.prompt_name,
            prompt_version=self.prompt_version,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            latency_ms=_ms(started),
            notes=language_notes(request, language),
        )

    def _messages(self, request: DraftRequest, language: str) -> list[dict[str, str]]:
        system = self._system.render(
            **taxonomy_variables(),
            language=language_name(language),
            canary=request.canary or secrets.token_hex(8),
        )
        user = self._user.render(
            boundary=secrets.token_hex(6),
            language=language_name(language),
            sender_kind=request.sender_kind,
            rule_flags=sorted({f.code for f in request.rule_flags}),  # codes only: evidence quotes raw text
            uncertain_flags=sorted(set(request.uncertain_flags)),
            articles=[a.model_dump() for a in request.articles],
            thread=request.thread,
            subject=request.subject,
            message=request.message,
        )
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    def _accept(self, request: DraftRequest, exchange: _Exchange) -> DraftProposal:
        """Parse and record the exchange with its outcome; re-raise ``InvalidAnswer`` after recording it."""
        usage = exchange.completion.usage
        prompt_tokens, completion_tokens = (usage.prompt_tokens, usage.completion_tokens) if usage else (0, 0)
        try:
            choice = exchange.completion.choices[0] if exchange.completion.choices else None
            proposal = parse_answer(
                choice.message.content if choice else None,
                finish_reason=choice.finish_reason if choice else None,
                refusal=getattr(choice.message, "refusal", None) if choice else None,
                max_tokens=self._max_tokens,
            )
        except InvalidAnswer as exc:
            self._record(request, exc.outcome, exchange.latency_ms, prompt_tokens, completion_tokens, exc.reason)
            raise
        self._record(request, CallOutcome.OK, exchange.latency_ms, prompt_tokens, completion_tokens)
        return proposal

    async def _exchange(
        self, request: DraftRequest, messages: list[dict[str, str]], article_ids: list[str], usage: _Usage
    ) -> _Exchange:
        """One logical call with client retries; learns once whether the server takes ``json_schema``."""
        mode: ResponseFormatMode = "json_schema" if self._format == "auto" else self._format
        try:
            exchange = await self._with_retries(request, messages, article_ids, mode)
        except HttpFailure as exc:
            if not (self._format == "auto" and exc.format_rejected):
                raise
            log.info("endpoint rejected response_format json_schema; using json_object with a schema")
            exchange = await self._with_retries(request, messages, article_ids, "json_object")
            self._format = "json_object"
        else:
            if self._format == "auto":
                self._format = "json_schema"
        if exchange.completion.usage:
            usage.prompt_tokens += exchange.completion.usage.prompt_tokens
            usage.completion_tokens += exchange.completion.usage.completion_tokens
        return exchange

    async def _with_retries(
        self, request: DraftRequest, messages: list[dict[str, str]], article_ids: list[str], mode: ResponseFormatMode
    ) -> _Exchange:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(1 + self._client_retries),
            wait=wait,
            retry=retry_if_exception(should_retry),
            sleep=self._sleep,
            reraise=True,
        )
        result: _Exchange = await retrying(self._call_once, request, messages, article_ids, mode)
        return result

    async def _call_once(
        self, request: DraftRequest, messages: list[dict[str, str]], article_ids: list[str], mode: ResponseFormatMode
    ) -> _Exchange:
        fmt: dict[str, Any]
        if mode == "json_schema":
            schema = answer_schema(article_ids)
            fmt = {"type": "json_schema", "json_schema": {"name": "triage_draft", "schema": schema, "strict": True}}
        else:  # for llama.cpp-style servers, which turn ``schema`` into a grammar
            fmt = {"type": "json_object", "schema": answer_schema(article_ids, bounded=True)}
        options: dict[str, Any] = {"response_format": fmt}
        if self._temperature is not None:
            options["temperature"] = self._temperature
        started = time.perf_counter()
        try:
            completion = await self._client.chat.completions.create(
                model=self.model, messages=cast(Any, messages), max_tokens=self._max_tokens, extra_body=options
            )
        except openai.APIStatusError as exc:
            failure = failure_for_status(exc.status_code, exc.message, exc.response.headers)
            outcome = CallOutcome.RATE_LIMITED if failure.status == 429 else CallOutcome.ERROR
            self._record(request, outcome, _ms(started), 0, 0, str(failure))
            raise failure from exc
        except openai.APITimeoutError as exc:
            self._record(request, CallOutcome.TIMEOUT, _ms(started), 0, 0, "timeout")
            raise HttpFailure(f"no answer within {self._timeout_s:g} s", status=None, retryable=True) from exc
        except openai.APIConnectionError as exc:
            self._record(request, CallOutcome.ERROR, _ms(started), 0, 0, "connection failed")
            raise HttpFailure("could not connect to the LLM endpoint", status=None, retryable=True) from exc
        except openai.OpenAIError as exc:  # e.g. an answer the SDK cannot read: fail the attempt, visibly
            self._record(request, CallOutcome.ERROR, _ms(started), 0, 0, type(exc).__name__)
            raise HttpFailure(
                f"unusable answer from the LLM endpoint ({type(exc).__name__})", status=None, retryable=True
            ) from exc
        return _Exchange(completion, _ms(started))

    def _record(
        self,
        request: DraftRequest,
        outcome: CallOutcome,
        latency_ms: int,
        prompt_tokens: int,
        completion_tokens: int,
        error: str | None = None,
    ) -> None:
        self._recorder.record(
            CallRecord(
                correlation_id=request.correlation_id,
                provider=self.name,
                model=self.model,
                prompt_name=self.prompt_name,
                prompt_version=self.prompt_version,
                outcome=outcome,
                prompt_tokens=prompt_tokens,
                completion_tokens=completion_tokens,
                latency_ms=latency_ms,
                error=error[:500] if error else None,
                created_at=self._clock(),
            )
        )
        log.info(
            "llm call",
            extra={
                "correlation_id": request.correlation_id,
                "model": self.model,
                "outcome": outcome.value,
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "latency_ms": latency_ms,
            },
        )


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def _content(completion: ChatCompletion) -> str:
    return (completion.choices[0].message.content or "") if completion.choices else ""
