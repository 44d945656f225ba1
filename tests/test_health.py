"""Readiness separates "can accept" (database) from "can draft" (vector store and LLM provider too)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from app.config import Settings
from app.llm.call_log import InMemoryCallRecorder
from app.llm.openai_provider import OpenAIProvider
from app.main import create_app
from tests.conftest import add_user, auth, drop_pg


def unreachable_llm(tmp_path: Path) -> OpenAIProvider:
    """The real OpenAI adapter on an endpoint that refuses every connection."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    settings = Settings(
        data_dir=tmp_path, llm_provider="openai", llm_base_url="http://llm.test/v1", llm_model="m", llm_client_retries=0
    )
    client = httpx.AsyncClient(transport=httpx.MockTransport(refuse))
    return OpenAIProvider.from_settings(settings, InMemoryCallRecorder(), http_client=client)


def test_llm_down_is_ready_to_accept_but_not_to_draft(make_services: Any, database_url: str, tmp_path: Path) -> None:
    services = make_services(database_url, provider=unreachable_llm(tmp_path))
    token = add_user(services, "s", "specialist")
    with TestClient(create_app(services.settings, services, run_worker=False)) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        body = ready.json()
        assert body["status"] == "ready" and body["accepting"] is True and body["drafting"] is False
        assert body["checks"]["database"] == "ok" and body["checks"]["vector_store"] == "ok"
        assert body["checks"]["provider"].startswith("error: ")
        # what "accepting" promises: ingest and the queue work while the LLM is down
        message = {"channel": "api", "external_id": "r-1", "sender": {"id": "u", "kind": "user"}, "body": "help"}
        assert client.post("/v1/messages", json=message, headers=auth(token)).status_code == 202
        assert client.get("/v1/queue", headers=auth(token)).json()["total"] == 1


def test_database_down_is_not_ready(make_services: Any, database_url: str, tmp_path: Path) -> None:
    on_sqlite = database_url.startswith("sqlite")
    url = f"sqlite:///{tmp_path / 'db' / 'triage.db'}" if on_sqlite else database_url
    services = make_services(url)
    with TestClient(create_app(services.settings, services, run_worker=False)) as client:
        assert client.get("/readyz").json()["accepting"] is True
        if on_sqlite:
            shutil.rmtree(tmp_path / "db")  # the file and its directory are gone: SQLite cannot open it
        else:
            drop_pg(database_url)
        services.engine.dispose()
        ready = client.get("/readyz")
        assert ready.status_code == 503, ready.text
        body = ready.json()
        assert body["status"] == "not_ready" and body["accepting"] is False and body["drafting"] is False
        assert body["checks"]["database"].startswith("error: ")
        assert "postgres" not in body["checks"]["database"] and "triage.db" not in body["checks"]["database"]
