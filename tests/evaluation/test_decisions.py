"""Decision statistics and the golden export, on a real (SQLite) database with recorded decisions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from app.cases.models import Case, Message
from app.db import make_engine
from app.evaluation.decisions import decision_stats, export_golden
from app.evaluation.suites import GoldenCase
from app.migrate import upgrade
from app.review.models import Decision
from app.triage.models import Draft

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


def _case(session: Session, n: int, body: str, category: str, prompt: str) -> tuple[Case, Draft]:
    case = Case(
        channel="email",
        thread_key=f"t{n}",
        requester_id=f"u{n}",
        requester_kind="user",
        status="resolved",
        category=category,
    )
    session.add(case)
    session.flush()
    assert case.id is not None
    session.add(
        Message(
            case_id=case.id,
            channel="email",
            external_id=f"e{n}",
            sender_id=f"u{n}",
            sender_kind="user",
            body=body,
            request_hash="x",
            created_at=T0,
        )
    )
    draft = Draft(
        case_id=case.id,
        category=category,
        priority="P2",
        reply="Draft reply.",
        provider="offline",
        model="m",
        prompt_version=prompt,
        taxonomy_version="t",
        created_at=T0 + timedelta(minutes=1),
        risk_flags=[{"code": "pii_shared"}],
    )
    session.add(draft)
    session.flush()
    return case, draft


def _decide(
    session: Session,
    case: Case,
    draft: Draft,
    action: str,
    text: str | None = None,
    distance: int | None = None,
    reason: str | None = None,
) -> None:
    assert case.id is not None
    session.add(
        Decision(
            case_id=case.id,
            draft_id=draft.id,
            action=action,
            text=text,
            edit_distance=distance,
            reason=reason,
            category=draft.category,
            prompt_version=draft.prompt_version,
            actor="s",
            created_at=T0 + timedelta(minutes=5),
        )
    )


@pytest.fixture
def session(tmp_path: Path) -> Session:
    url = f"sqlite:///{tmp_path / 'triage.db'}"
    upgrade(url)
    with Session(make_engine(url)) as s:
        c1, d1 = _case(s, 1, "My coins never came. Email me at ana@example.com", "recharge_payment", "draft@v3")
        _decide(s, c1, d1, "approve", "Draft reply.", 0)
        c2, d2 = _case(s, 2, "Refund please, call +44 7700 900123", "refund_request", "draft@v3")
        _decide(s, c2, d2, "edit", "I'll call you on +44 7700 900123 about the refund.", 30)
        c3, d3 = _case(s, 3, "Refund again", "refund_request", "draft@v4")
        _decide(s, c3, d3, "reject", reason="wrong_policy")
        _decide(s, c3, d3, "edit", "Final answer.", 10)
        c4, d4 = _case(s, 4, "Threats in my LIVE", "safety_report", "draft@v4")
        _decide(s, c4, d4, "escalate")
        s.commit()
        yield s


def test_rates_per_category_and_prompt_version(session: Session) -> None:
    stats = decision_stats(session)
    assert stats["overall"]["reviewed"] == 4  # escalations are counted beside, not in the rates
    assert stats["overall"]["acceptance_rate"] == 0.25
    assert stats["overall"]["edit_rate"] == 0.5
    assert stats["overall"]["escalated"] == 1
    refund = stats["by_category"]["refund_request"]
    assert (refund["reviewed"], refund["edit_rate"], refund["reject_rate"], refund["mean_edit_distance"]) == (
        3,
        0.6667,
        0.3333,
        20.0,
    )
    assert stats["by_prompt_version"]["draft@v3"]["acceptance_rate"] == 0.5
    assert stats["by_prompt_version"]["draft@v4"]["acceptance_rate"] == 0.0
    assert stats["reject_reasons"] == {"wrong_policy": 1}
    assert decision_stats(session, since=T0 + timedelta(days=1))["overall"]["decisions"] == 0


def test_golden_export_keeps_approved_and_edited_cases_with_pii_redacted(session: Session) -> None:
    rows = export_golden(session)
    assert [r["action"] for r in rows] == ["approve", "edit", "edit"]
    cases = [GoldenCase.model_validate(r) for r in rows]  # the golden suite can read what was exported
    assert cases[0].body == "My coins never came. Email me at <EMAIL_1>"
    assert cases[1].final_reply == "I'll call you on <PHONE_1> about the refund."  # same value, same placeholder
    assert "+44" not in json.dumps(rows) and "ana@example.com" not in json.dumps(rows)
    assert cases[2].category.value == "refund_request" and cases[2].prompt_version == "draft@v4"
    assert rows[0]["flags"] == ["pii_shared"]
