"""FastAPI dependencies as ``Annotated`` aliases; all read the ``Services`` on ``app.state``.

The ones that only hand out an object are ``async def``: FastAPI runs a plain ``def`` dependency in the thread
pool, a hop that cost more than many endpoints' own work.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.clock import Clock
from app.config import Settings
from app.knowledge.embeddings import Embedder
from app.knowledge.retrieval import HybridRetriever
from app.knowledge.vector_store import VectorStore
from app.services import Services
from app.triage.pipeline import FlagModel


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_app_settings(services: ServicesDep) -> Settings:
    return services.settings


async def get_engine(services: ServicesDep) -> Engine:
    return services.engine


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    """A session per request that commits when the endpoint returns normally and rolls back otherwise."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


async def get_clock(services: ServicesDep) -> Clock:
    return services.clock


def get_store(services: ServicesDep) -> VectorStore:
    return services.store


def get_embedder(services: ServicesDep) -> Embedder:
    return services.embedder


def get_retriever(services: ServicesDep) -> HybridRetriever:
    return services.retriever


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SessionDep = Annotated[Session, Depends(get_session)]
ClockDep = Annotated[Clock, Depends(get_clock)]
StoreDep = Annotated[VectorStore, Depends(get_store)]
EmbedderDep = Annotated[Embedder, Depends(get_embedder)]
RetrieverDep = Annotated[HybridRetriever, Depends(get_retriever)]


def get_flag_model(services: ServicesDep) -> FlagModel | None:
    return services.flag_model


FlagModelDep = Annotated[FlagModel | None, Depends(get_flag_model)]
