"""The demo's escalations are staffed as a team would have them: owners, one awaiting acknowledgement, the newest
unowned; the police request is on the legal queue."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from app.cases.models import Case
from app.demo.seed import seed_demo
from app.demo.staffing import screen_now, staff_escalations
from app.safety import ownership, packets


def test_seeded_escalations_get_owners_and_ack_state(make_services: Any) -> None:
    services = make_services()
    seed_demo(services, days=7)
    screen_now(services)
    staffed = staff_escalations(services)
    with Session(services.engine) as session:
        cases = {c.id: c for c in session.exec(select(Case))}
        watches = sorted(ownership.open_watches(session), key=lambda w: cases[w.case_id].last_message_at)
        legal = packets.legal_queue(session)
    assert len(watches) >= 3 and staffed == len(watches) - 1
    assert watches[-1].owner is None, "the newest escalation has just come in"
    assert all(w.owner for w in watches[:-1])
    assert [w.acked_at is None for w in watches[:-1]].count(True) == 1, "one assigned, awaiting acknowledgement"
    assert [p.payload["agency"] for p in legal] == ["Lakeside Police Department, Cyber Unit"]
    assert staff_escalations(services) == 0, "idempotent"
