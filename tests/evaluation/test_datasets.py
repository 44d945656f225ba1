"""The data-set readers shared by the eval suites and the benchmarks, on small files in the real formats."""

from __future__ import annotations

import json
from pathlib import Path

from app.evaluation import datasets as ds

CLINC = {"train": [["freeze my card", "freeze_account"], ["play a song", "play_music"]], "oos_train": [["hi", "oos"]]}
PRESIDIO = [
    {
        "full_text": "Mail ann@example.com, Ann Lee",
        "spans": [
            {"entity_type": "EMAIL_ADDRESS", "start_position": 5, "end_position": 20},
            {"entity_type": "PERSON", "start_position": 22, "end_position": 29},
        ],
    },
    {"full_text": "nothing here", "spans": []},
]
SMS = "Label\tSMS\nham\tsee you at 6\nspam\t\nspam\tWIN a prize now\n"


def write(data_dir: Path) -> Path:
    for relative, text in (
        (ds.CLINC150, json.dumps(CLINC)),
        (ds.PRESIDIO, json.dumps(PRESIDIO)),
        (ds.SMS, SMS),
    ):
        (data_dir / relative).parent.mkdir(parents=True, exist_ok=True)
        (data_dir / relative).write_text(text, encoding="utf-8")
    return data_dir


def test_clinc_without_a_mapping_keeps_every_row_of_every_split(tmp_path: Path) -> None:
    rows = ds.load_clinc150(write(tmp_path))
    assert [(r.text, r.intent, r.category) for r in rows] == [
        ("hi", "oos", ""),
        ("freeze my card", "freeze_account", ""),
        ("play a song", "play_music", ""),
    ]
    assert [r.id for r in rows] == ["clinc150:oos_train:0", "clinc150:train:0", "clinc150:train:1"]


def test_clinc_with_a_mapping_drops_what_it_excludes(tmp_path: Path) -> None:
    mapping = ds.IntentMapping({"freeze_account": "account_access"}, frozenset({"play_music"}), "feedback_other")
    rows = ds.load_clinc150(write(tmp_path), mapping)
    assert [(r.intent, r.category) for r in rows] == [("oos", "feedback_other"), ("freeze_account", "account_access")]


def test_presidio_rows_keep_our_spans_and_every_label(tmp_path: Path) -> None:
    rows = ds.read_presidio(write(tmp_path) / ds.PRESIDIO)
    first, empty = rows
    assert first.spans == [("EMAIL", 5, 20)] and first.text[5:20] == "ann@example.com"
    assert first.entity_types == {"EMAIL_ADDRESS", "PERSON"}, "labels we do not redact are still reported"
    assert empty.spans == [] and empty.entity_types == frozenset()
    assert ds.load_presidio(tmp_path) == [(r.id, r.text, r.spans) for r in rows]


def test_sms_rows_are_forwarded_unless_asked_for_raw(tmp_path: Path) -> None:
    write(tmp_path)
    raw = ds.load_sms(tmp_path, forwarded=False)
    assert [(r.id, r.text, r.label) for r in raw] == [
        ("sms:2", "see you at 6", "ham"),
        ("sms:4", "WIN a prize now", "spam"),
    ]
    forwarded = ds.load_sms(tmp_path)
    # The prefix follows the row's place in the file, so an empty row still uses up its prefix.
    assert [r.text for r in forwarded] == [ds.forward_sms("see you at 6", 0), ds.forward_sms("WIN a prize now", 2)]
    assert forwarded[1].text == "Is this message from you guys? WIN a prize now"
