"""The yardstick for ``benchmarks/ingest.py``: a bare FastAPI endpoint with the same request and response models.

It parses and validates ``MessageIn`` exactly as ``POST /v1/messages`` does and answers 202 with an
``IngestResult``, but stores nothing and checks no token: the cost of FastAPI + pydantic + uvicorn alone, which is
the ceiling any real ingest path is measured against.
"""

from __future__ import annotations

import itertools

from fastapi import FastAPI, status

from app.cases.schemas import IngestResult, MessageIn

app = FastAPI(title="bare ingest")
_ids = itertools.count(1)


@app.post("/v1/messages", status_code=status.HTTP_202_ACCEPTED, response_model=IngestResult)
def post_message(message: MessageIn) -> IngestResult:
    number = next(_ids)
    return IngestResult(case_id=number, message_id=number, status="new")
