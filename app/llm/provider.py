"""The one interface every drafting backend implements (offline, OpenAI-compatible, test fakes)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from app.llm.schemas import DraftRequest, ProviderResult


class ProviderError(Exception):
    """A provider call failed; ``retryable`` tells the job queue whether trying again can help."""

    def __init__(self, message: str, *, retryable: bool = True, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after_s = retry_after_s


@runtime_checkable
class Provider(Protocol):
    name: str
    model: str

    async def draft(self, request: DraftRequest) -> ProviderResult: ...

    async def ping(self) -> None:
        """Raise if the provider cannot serve (readiness)."""
        ...
