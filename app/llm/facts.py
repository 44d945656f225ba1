"""What the requester has already given, read from the conversation (en/es/pt), and reply guidance filled from it.

The offline provider composes replies from a knowledge-base article's "Reply guidance", which policy writers own.
A guidance line may carry a condition, so the article itself says what to write when a fact is known and what
to ask when it is not::

    [if not withdrawal_id] If it is older than 15 days, reply with the withdrawal ID.
    [if withdrawal_id] Thanks for the withdrawal ID {withdrawal_id}; we are checking it with payments.

A line keeps its place only when its condition holds and every ``{slot}`` has a value from the conversation; a
slot with no value drops the line, so nothing is ever invented. Lines without a condition are kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# Each fact: a pattern whose first group is the value. Order ids before generic transaction ids, so a Google Play
# order is not also read as a transaction reference.
_ID = r"[A-Z0-9][A-Z0-9._-]{4,}"
_PATTERNS: dict[str, re.Pattern[str]] = {
    "withdrawal_id": re.compile(r"\b(WD-?\d{3,})\b", re.IGNORECASE),
    "order_id": re.compile(r"\b(GPA\.\d{4}-\d{4}-\d{4}-\d{5}|M[A-Z0-9]{9})\b"),
    "reference": re.compile(r"\b(SN-[A-Z0-9-]{3,})\b", re.IGNORECASE),
    "transaction_id": re.compile(
        r"(?:transaction|transacci[oó]n|transa[cç][aã]o|order|orden|pedido|recibo|receipt)\s*"
        r"(?:id|n[uú]mero|number|no\.?|#)?\s*(?:is|es|[ée]|:|#)?\s*(" + _ID + r")",
        re.IGNORECASE,
    ),
    "amount": re.compile(
        r"((?:US\$|R\$|\$|€|£)\s?\d+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?\s?(?:USD|EUR|BRL|MXN|GBP|€|d[oó]lares|reais|euros))",
        re.IGNORECASE,
    ),
    "date": re.compile(
        r"\b(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{1,2}\s+(?:de\s+)?(?:jan|feb|fev|mar|apr|abr|may|mai|jun|"
        r"jul|aug|ago|sep|set|oct|out|nov|dec|dic|dez)[a-zç]*)\b",
        re.IGNORECASE,
    ),
    "username": re.compile(r"(?<![\w@])(@[A-Za-z0-9_.]{2,30})"),
    "device": re.compile(r"\b(iPhone(?:\s?\d+)?|iPad|Android|Samsung(?:\s+Galaxy)?(?:\s?[A-Z]?\d+)?|Pixel\s?\d*)\b"),
    "store": re.compile(r"\b(Google Play|App Store|Apple|PayPal)\b", re.IGNORECASE),
}
# Statements rather than values: "nothing under Action required" answers a guidance line that asks to check it.
_STATEMENTS: dict[str, re.Pattern[str]] = {
    "action_required_checked": re.compile(
        r"(?:nothing|no hay nada|nada|no aparece nada|n[aã]o (?:h[aá]|aparece) nada)[^.\n]{0,30}"
        r"(?:action required|acci[oó]n requerida|a[cç][aã]o necess[aá]ria)"
        r"|(?:action required|acci[oó]n requerida|a[cç][aã]o necess[aá]ria)[^.\n]{0,30}"
        r"(?:is empty|nothing|est[aá] vac[ií]a|vazi[oa]|nada)",
        re.IGNORECASE,
    ),
}
FACT_NAMES = frozenset(_PATTERNS) | frozenset(_STATEMENTS)
_CONDITION = re.compile(r"^\[if (not )?([a-z_|]+)\]\s*")  # a|b: either fact
_SLOT = re.compile(r"\{([a-z_]+)\}")


def extract_facts(texts: Iterable[str]) -> dict[str, str]:
    """Facts the requester gave across ``texts`` (oldest first); a later mention of the same fact wins."""
    facts: dict[str, str] = {}
    for text in texts:
        for name, pattern in _PATTERNS.items():
            found = [m.group(1).strip() for m in pattern.finditer(text)]
            if name == "transaction_id":
                found = [v for v in found if any(c.isdigit() for c in v) and v not in facts.values()]
            if found:
                facts[name] = found[-1]
        for name, pattern in _STATEMENTS.items():
            if pattern.search(text):
                facts[name] = "yes"
    return facts


def has_conditions(guidance: str) -> bool:
    return any(_CONDITION.match(line.strip()) for line in guidance.splitlines())


def render_guidance(guidance: str, facts: Mapping[str, str]) -> str:
    """The guidance with each conditional line kept or dropped, slots filled; paragraphs re-joined."""
    paragraphs: list[list[str]] = [[]]
    for raw in guidance.strip().splitlines():
        line = raw.strip()
        if not line:
            paragraphs.append([])
            continue
        match = _CONDITION.match(line)
        if match:
            negated, names = bool(match.group(1)), match.group(2).split("|")
            if any(facts.get(name) for name in names) == negated:
                continue
            line = line[match.end() :]
        slots = _SLOT.findall(line)
        if any(not facts.get(slot) for slot in slots):
            continue  # a slot with nothing from the conversation: drop the line rather than invent its value
        paragraphs[-1].append(_SLOT.sub(lambda m: facts[m.group(1)], line))
    return "\n\n".join(" ".join(p) for p in paragraphs if p)


def unknown_names(guidance: str) -> list[str]:
    """Condition and slot names a guidance text uses that the extractor does not know (a policy writer's typo)."""
    names: set[str] = set()
    for line in guidance.splitlines():
        match = _CONDITION.match(line.strip())
        if match:
            names.update(match.group(2).split("|"))
        names.update(_SLOT.findall(line))
    return sorted(names - FACT_NAMES)
