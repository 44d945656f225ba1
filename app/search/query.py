"""What a search asks for: words (each matched as a prefix, all required) and filters on the case and the date."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.taxonomy import RISK_FLAGS, Category
from app.validation import text_problem

MAX_TERMS = 12
LIMIT_MAX = 200
_WORD = re.compile(r"\w+", re.UNICODE)


class Kind(StrEnum):
    MESSAGE = "message"
    DRAFT = "draft"
    NOTE = "note"


class SearchQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(min_length=1, max_length=500, description="words to find; every word must match (as a prefix)")
    requester: str | None = Field(default=None, max_length=200, description="requester id, or the start of a name")
    category: Category | None = None
    flag: str | None = Field(default=None, max_length=40, description="a risk flag the case carries")
    owner: str | None = Field(default=None, max_length=100, description="the case's owner (a user name)")
    since: date | None = Field(default=None, description="on or after this day (UTC)")
    until: date | None = Field(default=None, description="on or before this day (UTC)")
    kind: Kind | None = Field(default=None, description="only messages, drafts or notes")
    limit: int = Field(default=50, ge=1, le=LIMIT_MAX)

    @field_validator("q", "requester", "owner")
    @classmethod
    def _storable(cls, value: str | None) -> str | None:
        if value is None:
            return None
        problem = text_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value.strip() or None

    @field_validator("q")
    @classmethod
    def _has_words(cls, value: str | None) -> str | None:
        if not terms_of(value or ""):
            raise ValueError("give at least one word to search for (letters or digits)")
        return value

    @field_validator("flag")
    @classmethod
    def _known_flag(cls, value: str | None) -> str | None:
        if value and value not in RISK_FLAGS:
            raise ValueError(f"unknown risk flag {value!r}; one of: {', '.join(RISK_FLAGS)}")
        return value or None

    @property
    def terms(self) -> list[str]:
        return terms_of(self.q)


def terms_of(text: str) -> list[str]:
    """Lower-cased words, de-duplicated, at most ``MAX_TERMS``: punctuation never reaches a query language."""
    seen: list[str] = []
    for word in _WORD.findall(text.lower()):
        word = word.strip("_")
        if word and word not in seen:
            seen.append(word[:60])
    return seen[:MAX_TERMS]
