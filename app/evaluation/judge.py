"""LLM-as-judge for drafts: groundedness, policy compliance and tone, 1-5 each, from ``prompts/judge_rubric.md``.

Only used when an LLM provider is configured; the offline provider's replies are reviewed policy text, so a
judge would grade the knowledge base, not a model. The judge talks to the same OpenAI-compatible endpoint as
the provider, through plain ``httpx`` (the ``openai`` SDK stays in its one adapter module), with the message and
reply PII-redacted when redaction is on. An answer that does not validate is a judge error, counted and shown,
never a silent default score.
"""

from __future__ import annotations

import json
import secrets
from typing import Protocol

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.config import Settings
from app.llm.prompts import PromptTemplate, load_prompt
from app.triage.redaction import redact

OPENAI_URL = "https://api.openai.com/v1"


class JudgeError(Exception):
    """The judge gave no usable grade (HTTP error, timeout, or an answer that is not the rubric's JSON)."""


class JudgeScore(BaseModel):
    model_config = ConfigDict(extra="ignore")

    groundedness: int = Field(ge=1, le=5)
    policy_compliance: int = Field(ge=1, le=5)
    tone: int = Field(ge=1, le=5)
    rationale: str = ""


class Judge(Protocol):
    name: str
    prompt_version: str

    async def score(self, *, message: str, reply: str, articles: list[str]) -> JudgeScore: ...


class HttpJudge:
    """Grades with any OpenAI-compatible chat-completions endpoint."""

    def __init__(
        self,
        *,
        model: str,
        prompt: PromptTemplate,
        base_url: str = OPENAI_URL,
        api_key: str | None = None,
        redact_pii: bool = True,
        timeout_s: float = 60.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.name = f"judge:{model}"
        self.prompt_version = prompt.version
        self._model = model
        self._prompt = prompt
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._headers = {"Authorization": f"Bearer {api_key or 'not-needed'}"}
        self._redact = redact_pii
        self._timeout = timeout_s
        self._client = client

    @classmethod
    def from_settings(cls, settings: Settings, client: httpx.AsyncClient | None = None) -> HttpJudge | None:
        """A judge on the configured LLM endpoint, or None when no LLM provider is configured."""
        if settings.llm_provider != "openai":
            return None
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        return cls(
            model=settings.llm_model,
            prompt=load_prompt(settings.prompts_dir, "judge_rubric"),
            base_url=settings.llm_base_url or OPENAI_URL,
            api_key=key,
            redact_pii=settings.redaction_enabled,
            timeout_s=settings.llm_timeout_s,
            client=client,
        )

    async def score(self, *, message: str, reply: str, articles: list[str]) -> JudgeScore:
        if self._redact:
            message, reply = redact(message).text, redact(reply).text
        content = self._prompt.render(message=message, reply=reply, articles=articles, boundary=secrets.token_hex(6))
        body = {
            "model": self._model,
            "messages": [{"role": "user", "content": content}],
            "temperature": 0,
            "max_tokens": 300,
            "response_format": {"type": "json_object"},
        }
        try:
            if self._client is not None:
                response = await self._client.post(self._url, json=body, headers=self._headers, timeout=self._timeout)
            else:
                async with httpx.AsyncClient(timeout=self._timeout) as client:
                    response = await client.post(self._url, json=body, headers=self._headers)
            response.raise_for_status()
            raw = response.json()["choices"][0]["message"]["content"] or ""
        except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
            raise JudgeError(f"judge call failed: {type(exc).__name__}: {str(exc)[:200]}") from exc
        try:
            return JudgeScore.model_validate(json.loads(_json_object(raw)))
        except (ValueError, ValidationError) as exc:
            raise JudgeError(f"judge answer is not the rubric's JSON: {str(exc)[:200]}") from exc


def _json_object(raw: str) -> str:
    """The outermost ``{…}`` of an answer (some servers wrap JSON in prose or code fences)."""
    start, end = raw.find("{"), raw.rfind("}")
    if start < 0 or end < start:
        raise ValueError("no JSON object in the answer")
    return raw[start : end + 1]
