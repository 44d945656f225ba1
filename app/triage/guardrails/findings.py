"""The one shape every guardrail reports in, stored with the draft and shown in the console."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Finding:
    """``blocking`` findings stop a plain approve: the specialist must edit (or reject) the draft first."""

    code: str
    message: str
    blocking: bool = False

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def clip(text: str, limit: int = 120) -> str:
    """Quote a piece of the draft in a finding without flooding the console."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
