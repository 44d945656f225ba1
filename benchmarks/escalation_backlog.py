"""How long a critical message waits to be escalated when it arrives behind a backlog of ordinary ones.

Ingests ``--backlog`` ordinary messages (the demo messages, with fresh ids and senders), then one critical message
("someone says he will kill me if I stream tonight…"), into a fresh SQLite database with the real knowledge base,
offline provider and critical-flag model, and runs one worker as ``triage worker`` would. Prints the seconds and
the number of jobs run until the critical case is ``escalated``, and (for comparison) how many ordinary drafts
were written by then. Before job priorities and the screen job, the critical message was drafted (and escalated)
only after every draft ahead of it: p50 176 s behind 2,000 messages.

Run: ``.venv/bin/python benchmarks/escalation_backlog.py [--backlog 2000]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session, func, select

from app.cases.intake import accept_message
from app.cases.models import Case
from app.cases.schemas import MessageIn
from app.config import PROJECT_ROOT, Settings
from app.services import Services
from app.setup import ensure_ready
from app.triage.models import Draft

CRITICAL = {
    "channel": "in_app_chat",
    "external_id": "critical-1",
    "sender": {"id": "creator-critical", "kind": "creator"},
    "body": "someone in my LIVE chat says he will kill me if I stream tonight, he posted my street and house number",
}


def backlog_messages(count: int) -> list[MessageIn]:
    demo = [json.loads(line) for line in (PROJECT_ROOT / "app/demo/messages.jsonl").read_text().splitlines() if line]
    out: list[MessageIn] = []
    for i in range(count):
        row = dict(demo[i % len(demo)])
        for key in ("days_ago", "hours_ago"):
            row.pop(key, None)
        row["external_id"] = f"backlog-{i}"
        row["sender"] = {**row["sender"], "id": f"backlog-user-{i}"}
        out.append(MessageIn.model_validate(row))
    return out


async def run(backlog: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), knowledge_dir=PROJECT_ROOT / "knowledge_base")
        services = Services(settings)
        ensure_ready(services)
        now = services.clock.now()
        with Session(services.engine) as session:
            for message in backlog_messages(backlog):
                accept_message(session, message, idem_key=None, actor="bench", now=now, max_attempts=3)
            critical = accept_message(
                session, MessageIn.model_validate(CRITICAL), idem_key=None, actor="bench", now=now, max_attempts=3
            )
            session.commit()
        case_id = critical.result.case_id
        worker = services.worker()
        services.flag_model  # noqa: B018  (load models before timing, as a running worker has)
        services.pipeline  # noqa: B018
        started = time.perf_counter()
        jobs = 0
        while await worker.run_once():
            jobs += 1
            with Session(services.engine) as session:
                case = session.get(Case, case_id)
                assert case is not None
                if case.status == "escalated":
                    drafts = session.exec(select(func.count()).select_from(Draft)).one()
                    break
        elapsed = time.perf_counter() - started
        print(f"backlog {backlog}: critical case escalated after {elapsed:.1f} s and {jobs} jobs")
        print(f"  ordinary drafts written by then: {drafts} of {backlog}")
        print(f"  screening cost: {elapsed / max(1, jobs) * 1000:.1f} ms per job on average")
        services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backlog", type=int, default=2000)
    args = parser.parse_args()
    asyncio.run(run(args.backlog))


if __name__ == "__main__":
    main()
