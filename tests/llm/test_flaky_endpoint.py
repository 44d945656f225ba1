"""End to end through the job queue: an endpoint failing 30% of calls costs no message, and attempts are bounded.

Real service wiring (SQLite, the API, the worker, the openai provider with a database call log); the network is
respx and retrieval a fixed hit, since retrieval quality is not what is measured here.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.clock import ManualClock
from app.config import Settings
from app.db import make_engine
from app.jobs.models import Job
from app.llm.call_log import DbCallRecorder
from app.llm.models import LLMCall
from app.llm.openai_provider import OpenAIProvider
from app.main import create_app
from app.migrate import upgrade
from app.services import Services
from app.triage.model_store import StoreBackedFlagModel
from tests.conftest import add_user, auth
from tests.llm.conftest import BASE_URL, COMPLETIONS, HIT, FixedRetriever, NoCatalog, answer, completion, error

MESSAGES = 12
ALWAYS_FAILS = "always-fails"


@pytest.fixture
def services(tmp_path: Path, flag_model: StoreBackedFlagModel) -> Iterator[Services]:
    settings = Settings(
        data_dir=tmp_path,
        llm_provider="openai",
        llm_base_url=BASE_URL,
        llm_model="flaky-model",
        job_backoff_base_s=0,
        job_backoff_max_s=0,
    )
    upgrade(settings.resolved_database_url)
    call_log_engine = make_engine(settings.resolved_database_url)
    http = httpx.AsyncClient()
    provider = OpenAIProvider.from_settings(settings, DbCallRecorder(call_log_engine), http_client=http)
    built = Services(
        settings,
        provider=provider,
        retriever=FixedRetriever([HIT]),
        catalog=NoCatalog(),
        clock=ManualClock(),
        flag_model=flag_model,
    )
    yield built
    built.close()
    call_log_engine.dispose()
    asyncio.run(http.aclose())


def test_a_server_failing_30_percent_of_calls_loses_no_message(services: Services) -> None:
    rng = random.Random(30)
    calls: dict[str, int] = {}

    def flaky(request: httpx.Request) -> httpx.Response:
        user = json.loads(request.content)["messages"][1]["content"]
        key = ALWAYS_FAILS if ALWAYS_FAILS in user else "other"
        calls[key] = calls.get(key, 0) + 1
        if key == ALWAYS_FAILS or rng.random() < 0.3:
            return error(503, "overloaded")
        return completion(answer(citations=[]))

    token = add_user(services, "specialist", "specialist")
    with (
        respx.mock(assert_all_called=False) as router,
        TestClient(create_app(services.settings, services, run_worker=False)) as client,
    ):
        route = router.post(COMPLETIONS).mock(side_effect=flaky)
        case_ids = []
        for n in range(MESSAGES):
            body = f"My coins from order {n} did not arrive" + (f" ({ALWAYS_FAILS})" if n == 0 else "")
            message = {
                "channel": "api",
                "external_id": f"m-{n}",
                "sender": {"id": f"u-{n}", "kind": "user"},
                "body": body,
            }
            response = client.post("/v1/messages", json=message, headers=auth(token))
            assert response.status_code == 202, response.text
            case_ids.append(response.json()["case_id"])

        asyncio.run(services.worker().drain())

        statuses = [client.get(f"/v1/cases/{cid}", headers=auth(token)).json()["status"] for cid in case_ids]
    assert statuses[0] == "draft_failed"
    assert set(statuses[1:]) == {"awaiting_review"}
    # client retries are 0 with TRIAGE_JOB_MAX_ATTEMPTS=6: six calls, then the case fails visibly
    assert calls[ALWAYS_FAILS] == 6
    with Session(services.engine) as session:
        jobs = session.exec(select(Job)).all()
        logged = session.exec(select(LLMCall)).all()
    assert {j.status for j in jobs} == {"done", "dead"}
    assert all(j.attempts <= 6 for j in jobs)
    dead = [j for j in jobs if j.status == "dead"]
    assert len(dead) == 1 and "HTTP 503" in (dead[0].last_error or "")
    # one call-log row per HTTP exchange, with outcome, tokens and prompt version, and no message text
    assert len(logged) == route.call_count
    assert {row.outcome for row in logged} == {"ok", "error"}
    assert all(row.prompt_version.startswith("draft_system@") for row in logged)
    assert sum(row.prompt_tokens for row in logged if row.outcome == "ok") == 120 * (MESSAGES - 1)
    assert not any("coins" in (row.error or "") for row in logged)
