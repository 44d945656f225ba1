"""Demo users and inbound messages for ``make run`` — ingested through the same service as the API."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from app.auth.models import User
from app.auth.service import create_user, issue_token
from app.cases.intake import accept_message
from app.cases.schemas import MessageIn
from app.services import Services

DEMO_MESSAGES = Path(__file__).parent / "messages.jsonl"
DEMO_USERS = {
    "demo-specialist": "specialist",
    "demo-lead": "lead",
    "demo-policy": "policy_writer",
    "demo-qa": "qa",
    "demo-admin": "admin",
}


@dataclass(frozen=True)
class DemoSeed:
    tokens: dict[str, str]
    ingested: int
    replayed: int


def _user_token(session: Session, name: str, role: str) -> str:
    """A fresh token for the demo user (tokens are stored hashed, so an old one cannot be shown again)."""
    user = session.exec(select(User).where(User.name == name)).first()
    if user is None:
        _user, token = create_user(session, name=name, role=role)
        return token
    return issue_token(session, user, label="demo")


def demo_messages(days: int, path: Path = DEMO_MESSAGES) -> list[tuple[MessageIn, timedelta]]:
    out: list[tuple[MessageIn, timedelta]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw: dict[str, Any] = json.loads(line)
        days_ago = min(int(raw.pop("days_ago", 0)), max(days - 1, 0))
        hours_ago = int(raw.pop("hours_ago", 0))
        out.append((MessageIn.model_validate(raw), timedelta(days=days_ago, hours=hours_ago)))
    return out


def seed_demo(services: Services, *, days: int = 7) -> DemoSeed:
    now = services.clock.now()
    ingested = replayed = 0
    with Session(services.engine, expire_on_commit=False) as session:
        tokens = {name: _user_token(session, name, role) for name, role in DEMO_USERS.items()}
        for message, age in sorted(demo_messages(days), key=lambda pair: -pair[1]):
            message.received_at = now - age
            outcome = accept_message(
                session, message, idem_key=None, actor="demo", now=now, max_attempts=services.settings.job_max_attempts
            )
            if outcome.needs_draft:
                ingested += 1
            else:
                replayed += 1
        session.commit()
    return DemoSeed(tokens=tokens, ingested=ingested, replayed=replayed)
