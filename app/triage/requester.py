"""What the channel says about the requester: their region (for crisis lines) and facts that fill reply slots."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.llm.facts import FACT_NAMES


def region_of(metadata: Mapping[str, Any], locale: str | None) -> str:
    """The requester's country (ISO 3166 alpha-2) from the channel's metadata, else the locale's region, else ''."""
    for key in ("country", "region", "country_code"):
        value = metadata.get(key)
        if isinstance(value, str) and len(value.strip()) == 2:
            return value.strip().upper()
    parts = (locale or "").replace("_", "-").split("-")
    return parts[1].upper() if len(parts) > 1 and len(parts[1]) == 2 else ""


def context_facts(metadata: Mapping[str, Any]) -> dict[str, str]:
    """The channel's metadata values named like conversation facts (order_id, amount…), as text."""
    return {k: str(v) for k, v in metadata.items() if k in FACT_NAMES and isinstance(v, (str, int, float)) and v}
