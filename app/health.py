"""Liveness, readiness and metrics: no token needed (ops tooling and load balancers call them).

Readiness answers two questions, because they fail separately: can this process *accept* work (ingest, queue,
decisions — only the database is needed) and can it *draft* (the vector store and the LLM provider too). An LLM
outage must not take the API out of a load balancer: messages are still accepted, their drafts wait as jobs.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from app.deps import ServicesDep
from app.services import Services

router = APIRouter(tags=["health"])

PROVIDER_PING_TIMEOUT_S = 5.0  # a hung provider must not hang the probe; it then counts as down


class Readiness(BaseModel):
    """What ``GET /readyz`` answers: 200 while ``accepting``, 503 when not."""

    status: str = Field(description="'ready' when the service can accept work (HTTP 200), else 'not_ready' (503)")
    accepting: bool = Field(description="ingest, the queue and decisions work: the database answers")
    drafting: bool = Field(
        description="drafts are being made: database, vector store and LLM provider all answer. When false while "
        "accepting, messages are stored and their draft jobs wait until it is back"
    )
    checks: dict[str, str] = Field(
        description="'ok' or 'error: <ExceptionType>' for each of database, vector_store, provider"
    )


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


def _check_database(services: Services) -> None:
    with services.engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def _check_store(services: Services) -> None:
    services.store.ping()


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "cannot accept work: the database does not answer"}},
)
async def readyz(services: ServicesDep) -> JSONResponse:
    """200 while messages can be accepted, even if drafting is down; 503 only when they cannot."""
    checks: dict[str, str] = {}
    for name, probe in (("database", _check_database), ("vector_store", _check_store)):
        try:
            await run_in_threadpool(probe, services)
            checks[name] = "ok"
        except Exception as exc:
            # the type only: driver messages can carry connection strings or statement parameters
            checks[name] = f"error: {type(exc).__name__}"
    try:
        await asyncio.wait_for(services.provider.ping(), timeout=PROVIDER_PING_TIMEOUT_S)
        checks["provider"] = "ok"
    except Exception as exc:
        checks["provider"] = f"error: {type(exc).__name__}"
    accepting = checks["database"] == "ok"
    drafting = all(value == "ok" for value in checks.values())
    body = Readiness(
        status="ready" if accepting else "not_ready", accepting=accepting, drafting=drafting, checks=checks
    )
    return JSONResponse(body.model_dump(), status_code=200 if accepting else 503)


@router.get("/metrics")
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
