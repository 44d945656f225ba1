"""`triage ingest` as scripts use it: one JSON line out per message, replays marked, bad lines named, exit 1."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli.test_cli import cli_env, run

__all__ = ["cli_env"]  # the fixture, shared with the other CLI tests

LINES = [
    {"channel": "in_app_chat", "external_id": "a1", "sender": {"id": "u1", "kind": "user"}, "body": "coins missing"},
    {"channel": "fax", "external_id": "b", "sender": {"id": "u", "kind": "user"}, "body": "hi"},
    {"channel": "email", "external_id": "c1", "sender": {"id": "u2", "kind": "user"}, "body": "my payout is late"},
    {"channel": "in_app_chat", "external_id": "a1", "sender": {"id": "u1", "kind": "user"}, "body": "other text"},
]


def test_ingest_is_idempotent_and_queues_one_draft_per_message(cli_env: dict[str, str], tmp_path: Path) -> None:
    source = tmp_path / "messages.jsonl"
    source.write_text("\n".join(json.dumps(line) for line in LINES) + "\n\nnot json\n", encoding="utf-8")

    first = run(cli_env, "ingest", str(source))
    assert first.returncode == 1, first.stderr[-2000:]
    out = [json.loads(line) for line in first.stdout.splitlines()]
    assert [row["line"] for row in out] == [1, 2, 3, 4, 6], "blank lines are skipped, every other line answered"
    coins, fax, payout, reused_id, garbage = out
    assert coins == {"line": 1, "case_id": 1, "message_id": 1, "status": "new", "replay": False}
    assert payout == {"line": 3, "case_id": 2, "message_id": 2, "status": "new", "replay": False}
    assert "channel" in fax["error"]
    assert reused_id["error"] == "external_id 'a1' on channel 'in_app_chat' was already ingested with different content"
    assert "Invalid JSON" in garbage["error"]

    second = run(cli_env, "ingest", str(source))
    replayed = [json.loads(line) for line in second.stdout.splitlines()]
    assert replayed[0] == {**coins, "replay": True} and replayed[2] == {**payout, "replay": True}

    with sqlite3.connect(Path(cli_env["TRIAGE_DATA_DIR"]) / "triage.db") as db:
        jobs = db.execute("select kind, case_id, payload, status from jobs order by case_id, priority").fetchall()
    assert jobs == [  # per message its risk screen, then its draft; replays add nothing
        ("screen", 1, '{"message_id": 1}', "queued"),
        ("draft", 1, '{"message_id": 1}', "queued"),
        ("screen", 2, '{"message_id": 2}', "queued"),
        ("draft", 2, '{"message_id": 2}', "queued"),
    ]


def test_ingest_names_a_missing_file(cli_env: dict[str, str], tmp_path: Path) -> None:
    result = run(cli_env, "ingest", str(tmp_path / "nope.jsonl"))
    assert result.returncode == 2 and "no such file" in result.stderr and result.stdout == ""
