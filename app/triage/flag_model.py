"""Critical flags from meaning, not wording: nearest examples on MiniLM sentence embeddings.

The rule detectors (``app/triage/signals``) are precise and explainable but only know the phrasings someone
wrote down; on fresh wording they missed about a quarter of critical messages ("writing my note rn", "he won't
walk again"). This model is a logistic regression on MiniLM sentence embeddings, fitted at start-up (well under
a second) on 440 short example sentences (``training/critical_examples.jsonl``: 60 per critical flag, and 200
harmless ones — gaming slang, jokes, lyrics, ordinary support). Each sentence of a message is scored; a flag is
raised when one sentence's probability for it reaches the threshold. It only adds flags; the rules' flags stand.

Settings were chosen on the labelled set (evals/data/labelled_messages.jsonl) alone, for precision first —
a false critical flag sends a scam report the suicide-safety template and pages the safety team: no hard
negative flagged and precision ≥ 0.95 for the model on its own (C = 1, p ≥ 0.7; at p ≥ 0.6 it called police
requests threats and phishing reports extortion). On the fresh set, never tuned on, critical recall went from
0.762 (rules) to 0.812, precision 0.924 → 0.929, hard negatives flagged 3/40 → 3/40; the model alone was right
every time it fired there (``benchmarks/critical_flags.py``).

It is a *detector that needs no LLM*, so its flags carry the source ``rule`` like the pattern detectors'
(the contract knows ``rule`` and ``llm``); its evidence is the sentence and its confidence the similarity.
The embedding model is English-only: Spanish and Portuguese rely on the rules' multilingual cues.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from app.knowledge.embedding_cache import cached_embed
from app.knowledge.embeddings import Embedder, FloatArray
from app.taxonomy import CRITICAL_FLAGS, FlagSource, severity_of
from app.triage.signals import Signal

_RESOURCE = "critical_examples.jsonl"
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_MAX_SENTENCES = 16
_MIN_WORDS = 3
_NONE = "none"


@dataclass(frozen=True)
class FlagExample:
    text: str
    flag: str | None  # None: a harmless look-alike or an ordinary support sentence


@dataclass(frozen=True)
class FlagModelSettings:
    """``probability``: a sentence's probability for a flag that raises it; ``c``: inverse regularisation."""

    probability: float = 0.7
    c: float = 1.0


def load_flag_examples() -> list[FlagExample]:
    text = resources.files("app.triage.training").joinpath(_RESOURCE).read_text(encoding="utf-8")
    examples = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        flag = row.get("flag")
        if flag is not None and flag not in CRITICAL_FLAGS:
            raise ValueError(f"{_RESOURCE} line {number}: flag must be a critical flag or null, not {flag!r}")
        examples.append(FlagExample(text=str(row["text"]), flag=flag))
    return examples


def message_sentences(text: str) -> list[str]:
    """The sentences worth comparing: three words or more, the first ``_MAX_SENTENCES`` of them."""
    found = [m.group(0).strip() for m in _SENTENCE.finditer(text)]
    return [s for s in found if len(s.split()) >= _MIN_WORDS][:_MAX_SENTENCES]


class CriticalFlagModel:
    def __init__(
        self, embedder: Embedder, examples: list[FlagExample], vectors: FloatArray, settings: FlagModelSettings
    ) -> None:
        self._embedder = embedder
        self._threshold = settings.probability
        labels = [e.flag or _NONE for e in examples]
        self._regression = LogisticRegression(C=settings.c, max_iter=2000, class_weight="balanced")
        self._regression.fit(vectors, labels)
        self._classes = [str(c) for c in self._regression.classes_]

    @classmethod
    def load(
        cls, embedder: Embedder, cache_dir: Path | None = None, settings: FlagModelSettings | None = None
    ) -> CriticalFlagModel:
        examples = load_flag_examples()
        return cls(
            embedder,
            examples,
            cached_embed(embedder, [e.text for e in examples], cache_dir, "flag"),
            settings or FlagModelSettings(),
        )

    def detect(self, text: str) -> list[Signal]:
        sentences = message_sentences(text)
        if not sentences:
            return []
        return self.detect_embedded(text, sentences, self._embedder.embed(sentences))

    def detect_embedded(self, text: str, sentences: list[str], vectors: FloatArray) -> list[Signal]:
        probabilities = self._regression.predict_proba(vectors)
        signals = []
        for column, flag in enumerate(self._classes):
            if flag == _NONE:
                continue
            index = int(np.argmax(probabilities[:, column]))
            probability = float(probabilities[index, column])
            if probability < self._threshold:
                continue
            sentence = sentences[index]
            start = text.find(sentence)
            signals.append(
                Signal(
                    code=flag,
                    severity=severity_of(flag),
                    evidence=sentence[:300],
                    start=start if start >= 0 else None,
                    end=start + len(sentence) if start >= 0 else None,
                    confidence=round(probability, 3),
                    source=FlagSource.RULE,
                )
            )
        return signals
