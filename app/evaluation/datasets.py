"""Readers for the public data sets in ``../shared/data`` (never copied into the repository; see its README).

banking77 and CLINC150 intents are mapped to our categories by the reviewed files in ``evals/external/``;
BIPIA attacks are spliced into clean emails and knowledge-base articles the way BIPIA does (at the start, the
end, or between two sentences); presidio's labelled spans become redaction gold spans; SMS spam is forwarded
("Is this message from you guys? …") the way users bring scam texts to support. Samples are drawn with a fixed
seed so two runs measure the same rows. The benchmarks (``benchmarks/classifier_external.py``,
``benchmarks/signals_external.py``, ``benchmarks/redaction_presidio.py``) read the data through these functions
too, so a benchmark and an eval suite never disagree about what a row is.
"""

from __future__ import annotations

import collections
import csv
import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

from app.taxonomy import Category

T = TypeVar("T")

BANKING77 = Path("banking77") / "train.csv"
CLINC150 = Path("clinc150") / "train_val.json"
BIPIA_EMAILS = Path("bipia") / "email_train.jsonl"
BIPIA_ATTACKS = Path("bipia") / "text_attack_train.json"
PRESIDIO = Path("presidio_pii") / "synth_dev.json"
SMS = Path("sms_spam") / "sms_dev.tsv"

# Presidio entity label -> our redaction kind; the others (names, organisations, dates…) are not ours to redact.
PRESIDIO_KINDS = {
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "CREDIT_CARD": "CARD",
    "US_SSN": "SSN",
    "IP_ADDRESS": "IP",
    "IBAN_CODE": "IBAN",
    "STREET_ADDRESS": "ADDRESS",
}
SMS_PREFIXES = (
    "I got this text, is it you? ",
    "Received this SMS today: ",
    "Is this message from you guys? ",
    "My friend forwarded me this: ",
)


@dataclass(frozen=True)
class IntentMapping:
    """Intent → category for one data set; ``default`` applies to intents neither mapped nor excluded."""

    categories: dict[str, str]
    excluded: frozenset[str]
    default: str | None

    def category_of(self, intent: str) -> str | None:
        """Our category for ``intent``, or None when the intent is not measured."""
        if intent in self.excluded:
            return None
        return self.categories.get(intent, self.default)


@dataclass(frozen=True)
class IntentRow:
    id: str
    text: str
    intent: str
    category: str


@dataclass(frozen=True)
class TextRow:
    id: str
    text: str
    label: str


@dataclass(frozen=True)
class PresidioRow:
    id: str
    text: str
    spans: list[tuple[str, int, int]]  # gold spans as (kind, start, end), for the kinds we redact
    entity_types: frozenset[str]  # every presidio label in the row, ours or not (names, licences…)


def load_mapping(path: Path) -> IntentMapping:
    """Read an ``evals/external/<set>_mapping.yaml``; an unknown category is a mistake in the file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    categories: dict[str, str] = {}
    for category, intents in (raw.get("mapped") or {}).items():
        Category(category)
        for intent in intents:
            categories[str(intent)] = str(category)
    excluded = frozenset(str(i) for i in (raw.get("unmapped") or []) + (raw.get("excluded") or []))
    default = raw.get("default")
    if default is not None:
        Category(default)
    return IntentMapping(categories, excluded, default)


def load_banking77(data_dir: Path, mapping: IntentMapping | None = None) -> list[IntentRow]:
    """banking77 rows (with our category when ``mapping`` maps the intent; unmapped rows dropped)."""
    rows: list[IntentRow] = []
    with (data_dir / BANKING77).open(encoding="utf-8", newline="") as stream:
        for number, record in enumerate(csv.DictReader(stream), start=2):
            category = mapping.category_of(record["category"]) if mapping else ""
            if category is not None:
                rows.append(IntentRow(f"banking77:{number}", record["text"], record["category"], category))
    return rows


def load_clinc150(data_dir: Path, mapping: IntentMapping | None = None) -> list[IntentRow]:
    """CLINC150 rows of every split in the file (with our category when ``mapping`` is given; excluded dropped)."""
    raw = json.loads((data_dir / CLINC150).read_text(encoding="utf-8"))
    rows: list[IntentRow] = []
    for split in sorted(raw):
        for index, (text, intent) in enumerate(raw[split]):
            category = mapping.category_of(intent) if mapping else ""
            if category is not None:
                rows.append(IntentRow(f"clinc150:{split}:{index}", text, intent, category))
    return rows


def load_bipia(data_dir: Path) -> tuple[list[str], dict[str, list[str]]]:
    """Clean BIPIA emails, and attack instructions by attack category."""
    emails = [
        str(json.loads(line)["context"])
        for line in (data_dir / BIPIA_EMAILS).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    attacks: dict[str, list[str]] = json.loads((data_dir / BIPIA_ATTACKS).read_text(encoding="utf-8"))
    return emails, attacks


def splice(text: str, attack: str, position: str, rng: random.Random) -> str:
    """``attack`` inserted at the ``start``, the ``end`` or between two sentences (``middle``) of ``text``."""
    if position == "start":
        return f"{attack} {text}"
    if position == "end":
        return f"{text} {attack}"
    sentences = [p for p in re.split(r"(?<=[.!?])\s+", text) if p]
    cut = rng.randint(0, len(sentences))
    return " ".join([*sentences[:cut], attack, *sentences[cut:]])


def spliced_rows(
    hosts: Sequence[tuple[str, str]], attacks: dict[str, list[str]], positions: Sequence[str], seed: int
) -> list[TextRow]:
    """Every (host, attack, position) combination, labelled with the attack category; host = (id, text)."""
    rng = random.Random(seed)
    rows: list[TextRow] = []
    for category in sorted(attacks):
        for number, attack in enumerate(attacks[category]):
            for host_id, host in hosts:
                for position in positions:
                    rows.append(
                        TextRow(
                            f"bipia:{category}:{number}:{host_id}:{position}",
                            splice(host, attack, position, rng),
                            category,
                        )
                    )
    return rows


def read_presidio(path: Path) -> list[PresidioRow]:
    """Every row of a presidio-research JSON file (any file in its format, not only the one in ``data_dir``)."""
    raw: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    out: list[PresidioRow] = []
    for index, row in enumerate(raw):
        labelled = row.get("spans", [])
        spans = [
            (PRESIDIO_KINDS[s["entity_type"]], int(s["start_position"]), int(s["end_position"]))
            for s in labelled
            if s.get("entity_type") in PRESIDIO_KINDS
        ]
        types = frozenset(str(s["entity_type"]) for s in labelled if s.get("entity_type"))
        out.append(PresidioRow(f"presidio:{index}", str(row["full_text"]), spans, types))
    return out


def load_presidio(data_dir: Path) -> list[tuple[str, str, list[tuple[str, int, int]]]]:
    """(row id, text, gold spans as (kind, start, end)) for the kinds we redact."""
    return [(row.id, row.text, row.spans) for row in read_presidio(data_dir / PRESIDIO)]


def forward_sms(text: str, index: int) -> str:
    """``text`` as the ``index``-th user forwarding a suspicious SMS to support would write it."""
    return SMS_PREFIXES[index % len(SMS_PREFIXES)] + text


def load_sms(data_dir: Path, *, forwarded: bool = True) -> list[TextRow]:
    """SMS rows labelled ham/spam, as a user would forward them to support unless ``forwarded`` is False."""
    rows: list[TextRow] = []
    with (data_dir / SMS).open(encoding="utf-8") as stream:
        for index, record in enumerate(csv.DictReader(stream, delimiter="\t")):
            if record.get("SMS"):
                text = forward_sms(record["SMS"], index) if forwarded else record["SMS"]
                rows.append(TextRow(f"sms:{index + 2}", text, record["Label"]))
    return rows


def sample(rows: Sequence[T], size: int, seed: int) -> list[T]:
    """A fixed-seed sample of ``size`` rows, in their original order (all rows when ``size`` is 0 or larger)."""
    if size <= 0 or size >= len(rows):
        return list(rows)
    picked = sorted(random.Random(seed).sample(range(len(rows)), size))
    return [rows[i] for i in picked]


def counts(values: Sequence[str]) -> dict[str, int]:
    return dict(collections.Counter(values).most_common())
