"""``create_app(settings)``: wiring only — routers, middleware, error handlers, and the embedded worker."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from app.auth.router import router as users_router
from app.cases.router import router as messages_router
from app.channels.router import router as channels_router
from app.channels.webform import router as webform_router
from app.config import Settings, get_settings
from app.delivery.router import pages as delivery_pages
from app.delivery.router import router as delivery_router
from app.health import router as health_router
from app.insights.router import router as insights_router
from app.jobs.worker import BackgroundWorker
from app.knowledge.router import router as kb_router
from app.logs import configure_logging
from app.macros.router import router as macros_router
from app.migrate import upgrade
from app.notes.router import router as notes_router
from app.review.flags_router import router as flags_router
from app.review.router import router as review_router
from app.safety.router import router as safety_router
from app.search.router import router as search_router
from app.services import Services
from app.web.router import install_console
from app.web.router import router as web_router
from app.web.security import BodySizeLimitMiddleware, SecurityHeadersMiddleware


def _summarise(errors: list[dict[str, Any]]) -> str:
    parts = []
    for error in errors[:5]:
        loc = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{loc}: {error.get('msg', 'invalid')}")
    return "; ".join(parts)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = jsonable_encoder(exc.errors(), exclude={"input", "ctx", "url"})
    return JSONResponse({"detail": errors, "message": _summarise(errors)}, status_code=422)


def freeze_startup_heap() -> None:
    """Exclude everything alive after start-up from the cyclic garbage collector's full passes.

    The API imports a lot (numpy, chromadb, sklearn, pydantic models): a full collection walked all of it and
    took 250-650 ms under ingest load, stalling every request in flight (it was the p95 of ``POST /v1/messages``).
    Frozen objects are still freed by reference counting; only cycles among them wait, and start-up objects live
    as long as the process anyway. For server processes only: a test suite creating many apps would keep their
    cycles.
    """
    gc.collect()
    gc.freeze()


def create_app(
    settings: Settings | None = None,
    services: Services | None = None,
    *,
    run_worker: bool | None = None,
    freeze_heap: bool = False,
) -> FastAPI:
    settings = settings or get_settings()
    services = services or Services(settings)
    start_worker = settings.embedded_worker if run_worker is None else run_worker

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        upgrade(settings.resolved_database_url)
        background = BackgroundWorker(services.worker()) if start_worker else None
        if background is not None:
            background.start()
        if freeze_heap:
            freeze_startup_heap()
        try:
            yield
        finally:
            if background is not None:
                background.stop()
            services.close()

    app = FastAPI(title="Triage Desk", version="0.1.0", lifespan=lifespan)
    app.state.services = services
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes * 8 + 64 * 1024)
    app.add_exception_handler(RequestValidationError, _validation_error)
    install_console(app)
    for router in (
        health_router,
        messages_router,
        review_router,
        flags_router,
        kb_router,
        users_router,
        insights_router,
        safety_router,
        web_router,
        channels_router,
        webform_router,
        delivery_router,
        delivery_pages,
        notes_router,
        macros_router,
        search_router,
    ):
        app.include_router(router)
    return app


def app_factory() -> FastAPI:
    """Entry point for ``uvicorn --factory app.main:app_factory``."""
    settings = get_settings()
    configure_logging(settings.log_level)
    return create_app(settings, freeze_heap=True)
