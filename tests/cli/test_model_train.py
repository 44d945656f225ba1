"""`triage model train` from the shipped corpus plus a specialist's correction: the next model learns it.

One real training run (about a minute on two cores): the corpus, the embedder and the gate are the real ones.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session

from app.cases.models import Case
from app.clock import utcnow
from app.db import make_engine
from app.knowledge.multilingual_embeddings import embedder_named
from app.migrate import upgrade
from app.triage.flag_classifier import FlagClassifier, FlagModelParams
from app.triage.model_store import FlagModelStore, shipped_model_path
from app.triage.models import FlagCorrection

TRIAGE = str(Path(sys.executable).parent / "triage")
# Fresh wording (not a corpus row): a creator's ban appeal with a line about not being around much longer.
TEXT = "appeal for my ban pls. after this i'm giving my mic and ring light to my little brother, won't need them"


def _triage(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
    env["TRIAGE_DATA_DIR"] = str(tmp_path)
    return subprocess.run([TRIAGE, *args], capture_output=True, text=True, env=env, timeout=900, check=False)


def test_a_correction_changes_the_next_model(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'triage.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        case = Case(channel="in_app_chat", thread_key="t", requester_id="u", requester_kind="creator", status="new")
        session.add(case)
        session.flush()
        assert case.id is not None
        for _ in range(3):  # three specialists saw the same pattern
            session.add(
                FlagCorrection(
                    case_id=case.id,
                    code="self_harm",
                    action="add",
                    reason="giving things away",
                    actor="lead",
                    text=TEXT,
                    lang="en",
                    created_at=utcnow(),
                )
            )
        session.commit()
    engine.dispose()

    shipped = FlagModelParams.load(shipped_model_path())
    result = _triage(tmp_path, "model", "train")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["corrections"] == 1  # the latest correction per case and flag
    assert report["replaces"] == shipped.version and report["version"] != shipped.version
    assert report["seconds"] < 300
    assert set(report["test"]["recall"]) >= {"self_harm", "pii_shared"}

    store = FlagModelStore(tmp_path / "models", embedder_named)
    new = store.current()
    assert new.version == report["version"] and new.params.meta["corrections_through_id"] == 3
    old = FlagClassifier(shipped, embedder_named(shipped.embedder))
    column = list(shipped.flags).index("self_harm")
    assert new.probabilities([TEXT])[0, column] > old.probabilities([TEXT])[0, column]

    listed = json.loads(_triage(tmp_path, "model", "list").stdout)
    assert listed == {"current": new.version, "installed": [new.version]}
    shown = json.loads(_triage(tmp_path, "model", "show").stdout)
    assert shown["version"] == new.version and shown["corrections"] == 1
    refused = _triage(tmp_path, "model", "use", "no-such-version")
    assert refused.returncode == 2 and "no model no-such-version" in refused.stderr
