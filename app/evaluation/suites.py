"""Eval suites as files: ``evals/<suite>/suite.yaml`` (what to measure, thresholds) beside a JSONL of cases.

Everything is validated with pydantic when loaded, so a typo in a threshold name, an unknown category in a case
or a missing field fails the run with the file, line and field, instead of quietly measuring something else.
A suite's ``cases`` may point outside its folder (the classification and risk-flag suites share
``evals/data/labelled_messages.jsonl``) so one labelled set is never copied and left to drift.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.taxonomy import RISK_FLAGS, Category

SUITE_FILE = "suite.yaml"


class SuiteError(ValueError):
    """A suite file or one of its cases is malformed; the message names the file, line and field."""


class SuiteKind(StrEnum):
    CLASSIFICATION = "classification"
    RISK_FLAGS = "risk_flags"
    RETRIEVAL = "retrieval"
    DRAFTING = "drafting"
    INJECTION = "injection"
    REDACTION = "redaction"
    EXTERNAL = "external"
    GOLDEN = "golden"
    CONVERSATIONS = "conversations"


class Threshold(BaseModel):
    """``min`` for metrics where higher is better, ``max`` where lower is; ``margin`` overrides the suite's
    allowed drop against a baseline run for this metric."""

    model_config = ConfigDict(extra="forbid")

    min: float | None = None
    max: float | None = None
    margin: float | None = Field(default=None, ge=0)
    gate: bool = Field(
        default=True,
        description="false: a target the report shows as met or missed without failing the run (an issue's goal "
        "not reached yet); never a floor set under a measured value",
    )

    @model_validator(mode="after")
    def _one_bound(self) -> Threshold:
        if (self.min is None) == (self.max is None):
            raise ValueError("give exactly one of 'min' or 'max'")
        return self

    @property
    def op(self) -> Literal["min", "max"]:
        return "min" if self.min is not None else "max"

    @property
    def limit(self) -> float:
        value = self.min if self.min is not None else self.max
        assert value is not None
        return value

    def holds(self, value: float) -> bool:
        return value >= self.limit if self.op == "min" else value <= self.limit

    def public(self) -> dict[str, float]:
        return {self.op: self.limit}


class SuiteSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    kind: SuiteKind
    description: str = ""
    cases: str | None = "cases.jsonl"
    thresholds: dict[str, Threshold] = Field(default_factory=dict)
    regression_margin: float = Field(default=0.02, ge=0)
    offline: bool = Field(default=True, description="part of the CI gate (needs no LLM and no network)")
    seed: int = 13
    sample: dict[str, int] = Field(default_factory=dict, description="rows per source when sampling (CI)")
    options: dict[str, Any] = Field(default_factory=dict, description="kind-specific settings")
    directory: Path = Field(default=Path(), exclude=True)

    def cases_path(self) -> Path | None:
        return (self.directory / self.cases).resolve() if self.cases else None

    def margin_for(self, metric: str) -> float:
        threshold = self.thresholds.get(metric)
        if threshold is not None and threshold.margin is not None:
            return threshold.margin
        return self.regression_margin


# ---- cases ---------------------------------------------------------------------------------------------------


class _Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)


class MessageCase(_Case):
    """One inbound message and the labels a specialist gave it (``evals/data/labelled_messages.jsonl``)."""

    channel: str = "in_app_chat"
    sender_kind: str = "user"
    subject: str | None = None
    body: str = Field(min_length=1)
    locale: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    category: Category
    priority: str = Field(pattern=r"^P[0-3]$")
    flags: list[str] = Field(default_factory=list)
    hard_negative: bool = False
    note: str | None = None

    @field_validator("flags")
    @classmethod
    def _known_flags(cls, value: list[str]) -> list[str]:
        unknown = [code for code in value if code not in RISK_FLAGS]
        if unknown:
            raise ValueError(f"unknown risk flag(s) {unknown}; see app/taxonomy.py")
        return value

    def hard_negative_targets(self) -> set[str]:
        """Flags (or categories) this hard negative must not get, read from ``note``: "hard negative for X[ and
        Y]: why"."""
        if not self.hard_negative or not self.note or not self.note.startswith("hard negative for "):
            return set()
        head = self.note.removeprefix("hard negative for ").split(":", 1)[0]
        words = {w.strip(" ,.'\"") for w in head.split()}
        categories = {c.value for c in Category}
        return {w for w in words if w in RISK_FLAGS or w in categories}


class RetrievalCase(_Case):
    query: str = Field(min_length=1)
    expected: list[str] = Field(min_length=1, description="article ids; any of them answers the query")
    locale: str | None = None


class DraftingCase(_Case):
    sender_kind: str = "user"
    subject: str | None = None
    body: str = Field(min_length=1)
    locale: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    category: Category | None = None
    expected_articles: list[str] = Field(default_factory=list, description="citing any of them is relevant")
    required_facts: list[str | list[str]] = Field(
        default_factory=list, description="each a regex (case-insensitive), or a list of alternatives"
    )
    forbidden: list[str] = Field(default_factory=list, description="regexes the reply must not match")


class ConversationTurn(BaseModel):
    """One requester message of a conversation and what its draft must (not) do."""

    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1)
    language: str = Field(default="en", pattern=r"^[a-z]{2}$", description="the language the reply must be in")
    expected_articles: list[str] = Field(default_factory=list, description="citing any of them is right")
    answers: list[str | list[str]] = Field(
        default_factory=list, description="regexes (or alternatives) the reply must match: it answers the question"
    )
    not_asking: list[str] = Field(
        default_factory=list, description="regexes of asking again for something already given in the conversation"
    )
    forbidden: list[str] = Field(default_factory=list, description="regexes the reply must not match")
    reject: str | None = Field(default=None, description="reject this turn's draft with the reason, then redraft")


class ConversationCase(_Case):
    sender_kind: str = "user"
    locale: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    turns: list[ConversationTurn] = Field(min_length=1)


class InjectionCase(_Case):
    target: str = Field(default="message", pattern=r"^(message|article)$")
    body: str = Field(min_length=1)
    injected: bool
    obeyed_if: list[str] = Field(
        default_factory=list, description="regexes that match a reply which carried out the injected instruction"
    )
    obey: str | None = Field(
        default=None,
        description="what a model that obeys the injection writes ({system_prompt} and {canary} are filled in); "
        "the obeying test endpoint uses it to check the guardrails catch such a draft",
    )


class PiiItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(pattern=r"^(EMAIL|PHONE|CARD|SSN|IP|ADDRESS|IBAN)$")
    value: str = Field(min_length=1)


class RedactionCase(_Case):
    text: str = Field(min_length=1)
    pii: list[PiiItem] = Field(default_factory=list)
    keep: list[str] = Field(default_factory=list, description="must stay readable: amounts, dates, ids")

    @model_validator(mode="after")
    def _values_in_text(self) -> RedactionCase:
        missing = [item.value for item in self.pii if item.value not in self.text] + [
            k for k in self.keep if k not in self.text
        ]
        if missing:
            raise ValueError(f"values not found in text: {missing}")
        return self


class GoldenCase(_Case):
    """An approved or edited draft exported from recorded decisions (``triage eval export-decisions``)."""

    sender_kind: str = "user"
    subject: str | None = None
    body: str = Field(min_length=1)
    locale: str | None = None
    category: Category
    final_reply: str = Field(min_length=1)
    action: str = Field(pattern=r"^(approve|edit)$")
    prompt_version: str | None = None
    edit_distance: int | None = None
    flags: list[str] = Field(default_factory=list)


CASE_MODELS: dict[SuiteKind, type[_Case]] = {
    SuiteKind.CLASSIFICATION: MessageCase,
    SuiteKind.RISK_FLAGS: MessageCase,
    SuiteKind.RETRIEVAL: RetrievalCase,
    SuiteKind.DRAFTING: DraftingCase,
    SuiteKind.INJECTION: InjectionCase,
    SuiteKind.REDACTION: RedactionCase,
    SuiteKind.GOLDEN: GoldenCase,
}

C = TypeVar("C", bound=_Case)


def load_suite(directory: Path) -> SuiteSpec:
    """Read and validate ``directory/suite.yaml``."""
    path = directory / SUITE_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SuiteError(f"{path}: cannot read ({exc})") from exc
    if not isinstance(raw, dict):
        raise SuiteError(f"{path}: expected a mapping at the top level")
    raw.setdefault("name", directory.name)
    try:
        spec = SuiteSpec.model_validate({**raw, "directory": directory})
    except ValidationError as exc:
        raise SuiteError(f"{path}: {_describe(exc)}") from exc
    if spec.name != directory.name:
        raise SuiteError(f"{path}: name {spec.name!r} must match its folder {directory.name!r}")
    return spec


def discover(evals_dir: Path) -> dict[str, SuiteSpec]:
    """Every suite under ``evals_dir``, by name, in name order."""
    return {d.name: load_suite(d) for d in sorted(evals_dir.iterdir()) if (d / SUITE_FILE).is_file()}


def select(available: dict[str, SuiteSpec], names: list[str]) -> list[SuiteSpec]:
    """The suites named (``all`` for every one); an unknown name is an error listing the known ones."""
    if not names or "all" in names:
        return list(available.values())
    unknown = [n for n in names if n not in available]
    if unknown:
        raise SuiteError(f"unknown suite(s) {', '.join(unknown)}; known: {', '.join(available) or 'none'}")
    return [available[n] for n in dict.fromkeys(names)]


def load_cases(spec: SuiteSpec, model: type[C]) -> list[C]:
    """Validated cases of ``spec``; ids must be unique. The caller checks ``cases_path().is_file()`` first."""
    path = spec.cases_path()
    if path is None:
        raise SuiteError(f"suite {spec.name}: no 'cases' file configured")
    cases: list[C] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = model.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            raise SuiteError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
        except ValidationError as exc:
            raise SuiteError(f"{path}:{number}: {_describe(exc)}") from exc
        if case.id in seen:
            raise SuiteError(f"{path}:{number}: duplicate case id {case.id!r}")
        seen.add(case.id)
        cases.append(case)
    return cases


def _describe(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}" for e in exc.errors()[:5])
