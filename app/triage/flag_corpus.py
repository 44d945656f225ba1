"""The labelled corpus the risk-flag model learns from, and its one fixed train / dev / test split.

The corpus is ``app/triage/training/corpus/*.jsonl`` (written for training, never from the eval sets; its README
says by whom and under which licence) plus the older ``critical_examples.jsonl`` sentences. Each row is a whole
message with every flag that applies, so one row teaches all thirteen flags at once: a positive for its flags
and a negative for the others.

The split is by message and by content: a row's part is a hash of its normalised text, so it never changes when
rows are added, reordered or files renamed, and a duplicate can never sit on both sides. ``test`` is only ever
scored as a whole (``triage eval run risk_flags_test``, ``triage model train``); no unit test reads its rows.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

from app.taxonomy import RISK_FLAGS

CORPUS_PACKAGE = "app.triage.training"
CORPUS_FOLDER = "corpus"
LEGACY_FILE = "critical_examples.jsonl"
LANGUAGES = ("en", "es", "pt")


class Split(StrEnum):
    TRAIN = "train"
    DEV = "dev"
    TEST = "test"


# Shares of the hash space: 70% train, 15% dev (thresholds and calibration), 15% test (reported, never tuned).
_DEV_FROM = 70
_TEST_FROM = 85


@dataclass(frozen=True)
class FlagExample:
    """One labelled message. ``flags`` are all the flags it carries; ``hard_negative_for`` what it only resembles."""

    text: str
    flags: frozenset[str]
    lang: str = "en"
    kind: str = "ordinary"
    register: str = ""
    hard_negative_for: frozenset[str] = field(default_factory=frozenset)
    category: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    source: str = "corpus"
    # A specialist's correction labels one flag only ("this is not extortion" says nothing of the others); it
    # always trains, so the held-back test split stays the same set of shipped rows from model to model.
    teaches_only: frozenset[str] | None = None
    group: str | None = None  # rows of one group share a split (all spliced variants of one attack kind)

    @property
    def split(self) -> Split:
        return Split.TRAIN if self.source == "correction" else split_of(self.group or self.text)

    def teaches(self, flag: str) -> bool:
        return self.teaches_only is None or flag in self.teaches_only


def normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def split_of(text: str) -> Split:
    bucket = int(hashlib.sha256(normalised(text).encode()).hexdigest()[:8], 16) % 100
    if bucket >= _TEST_FROM:
        return Split.TEST
    if bucket >= _DEV_FROM:
        return Split.DEV
    return Split.TRAIN


class CorpusError(ValueError):
    """A corpus row that cannot be used; the message names the file and line."""


def parse_row(row: dict[str, Any], where: str, source: str = "corpus") -> FlagExample:
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: 'text' must be a non-empty string")
    flags = row.get("flags", [])
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        raise CorpusError(f"{where}: 'flags' must be a list of flag codes")
    unknown = sorted(set(flags) - set(RISK_FLAGS))
    if unknown:
        raise CorpusError(f"{where}: unknown flag codes {unknown}")
    negative_for = row.get("hard_negative_for") or []
    lang = str(row.get("lang", "en"))
    if lang not in LANGUAGES:
        raise CorpusError(f"{where}: 'lang' must be one of {list(LANGUAGES)}, not {lang!r}")
    metadata = row.get("metadata") or {}
    return FlagExample(
        text=text.strip(),
        flags=frozenset(flags),
        lang=lang,
        kind=str(row.get("kind", "positive" if flags else "ordinary")),
        register=str(row.get("register", "")),
        hard_negative_for=frozenset(str(f) for f in negative_for),
        category=row.get("category"),
        metadata=metadata if isinstance(metadata, dict) else {},
        source=source,
    )


def _read_jsonl(text: str, name: str, source: str) -> Iterable[FlagExample]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{name} line {number}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise CorpusError(f"{name} line {number}: expected an object")
        yield parse_row(row, f"{name} line {number}", source)


def _legacy_rows(text: str) -> Iterable[FlagExample]:
    """``critical_examples.jsonl``: one sentence per row with ``flag`` (a critical code) or null."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        flag = row.get("flag")
        yield parse_row(
            {"text": row["text"], "flags": [flag] if flag else [], "kind": "positive" if flag else "ordinary"},
            f"{LEGACY_FILE} line {number}",
            source="legacy",
        )


def load_corpus() -> list[FlagExample]:
    """Every shipped row, de-duplicated by normalised text (the first occurrence wins)."""
    root = resources.files(CORPUS_PACKAGE)
    rows: list[FlagExample] = []
    folder = root.joinpath(CORPUS_FOLDER)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".jsonl"):
            rows.extend(_read_jsonl(entry.read_text(encoding="utf-8"), f"{CORPUS_FOLDER}/{entry.name}", "corpus"))
    rows.extend(_legacy_rows(root.joinpath(LEGACY_FILE).read_text(encoding="utf-8")))
    seen: set[str] = set()
    unique = []
    for row in rows:
        key = normalised(row.text)
        if key not in seen:
            seen.add(key)
            unique.append(row)
    return unique


def read_corpus_path(path: Path) -> list[FlagExample]:
    """A corpus-format file, or every ``*.jsonl`` in a folder (sorted by name), for eval suites."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    rows: list[FlagExample] = []
    for file in files:
        rows.extend(_read_jsonl(file.read_text(encoding="utf-8"), file.name, "corpus"))
    return rows


def corpus_digest(rows: Iterable[FlagExample]) -> str:
    """Identifies the exact training data a model saw (recorded in the model file)."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(f"{normalised(row.text)}\0{','.join(sorted(row.flags))}\n".encode())
    return digest.hexdigest()[:16]


def by_split(rows: Iterable[FlagExample]) -> dict[Split, list[FlagExample]]:
    parts: dict[Split, list[FlagExample]] = {s: [] for s in Split}
    for row in rows:
        parts[row.split].append(row)
    return parts
