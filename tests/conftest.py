"""Shared fixtures: real SQLite (or PostgreSQL) databases, a real Chroma directory, the real embedder.

Expensive things are built once per session (the MiniLM embedder, the classifier, the indexed knowledge base)
and each test gets its own database file and its own copy of the Chroma directory, so tests never share state.
"""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from filelock import FileLock
from sqlmodel import Session

from app.auth.service import create_user
from app.clock import ManualClock
from app.config import PROJECT_ROOT, Settings
from app.knowledge.embeddings import Embedder, get_embedder
from app.knowledge.multilingual_embeddings import embedder_named
from app.knowledge.vector_store import ChromaVectorStore
from app.llm.factory import build_provider
from app.llm.provider import Provider
from app.main import create_app
from app.migrate import upgrade
from app.services import Services
from app.setup import sync_knowledge
from app.triage.model_store import FlagModelStore, StoreBackedFlagModel

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return get_embedder()


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("session")


# Content-keyed caches that outlive a session (embedding is the slow part of the suite): a changed example or
# article changes the key, so a stale cache is never used.
TEST_CACHE = PROJECT_ROOT / "var" / "test-cache"


@pytest.fixture(scope="session")
def flag_model(session_dir: Path) -> StoreBackedFlagModel:
    """The shipped risk-flag model (a store with no trained model of its own falls back to it)."""
    return StoreBackedFlagModel(FlagModelStore(session_dir / "models", embedder_named))


@pytest.fixture(scope="session")
def offline_provider(embedder: Embedder) -> Provider:
    """The real offline provider; the classifier's example vectors are cached by content hash."""
    return build_provider(Settings(data_dir=TEST_CACHE), embedder)


def _kb_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted((PROJECT_ROOT / "knowledge_base").rglob("*.md")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def indexed_chroma(embedder: Embedder, session_dir: Path) -> Path:
    """A Chroma directory holding the real knowledge_base/, built once per KB content."""
    target = TEST_CACHE / f"kb-index-{embedder.name}-{embedder.dimension}-{_kb_digest()}"
    TEST_CACHE.mkdir(parents=True, exist_ok=True)
    # pytest-xdist workers start together: the first builds the index, the others wait and reuse it.
    with FileLock(str(target) + ".lock"):
        if (target / "READY").is_file():
            return target / "chroma"
        data_dir = session_dir / "kb"
        settings = Settings(data_dir=data_dir)
        services = Services(settings, embedder=embedder)
        upgrade(settings.resolved_database_url)
        sync_knowledge(services)
        services.close()
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        shutil.copytree(settings.resolved_chroma_path, target / "chroma")
        (target / "READY").write_text("ok")
        return target / "chroma"


def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=2):
            return True
    except Exception:
        return False


def fresh_pg_url() -> str:
    import psycopg

    name = f"triage_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_pg(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[-1]
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each database test runs on SQLite and on PostgreSQL (skipped, with the reason, where it is absent)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'triage.db'}"
        return
    if not pg_available():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432 (user postgres): the scale-out path is untested")
    url = fresh_pg_url()
    try:
        yield url
    finally:
        drop_pg(url)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def make_services(
    tmp_path: Path,
    embedder: Embedder,
    offline_provider: Provider,
    indexed_chroma: Path,
    clock: ManualClock,
    flag_model: StoreBackedFlagModel,
) -> Iterator[Any]:
    """Build ``Services`` on a fresh database with a private copy of the indexed knowledge base."""
    built: list[Services] = []

    def make(
        database_url: str | None = None, provider: Provider | None = None, flag_model: Any = flag_model, **settings: Any
    ) -> Services:
        chroma = tmp_path / f"chroma-{len(built)}"
        shutil.copytree(indexed_chroma, chroma)
        kb_dir = tmp_path / f"kb-{len(built)}"
        shutil.copytree(PROJECT_ROOT / "knowledge_base", kb_dir)
        config = Settings(
            data_dir=tmp_path,
            database_url=database_url or f"sqlite:///{tmp_path / 'triage.db'}",
            chroma_path=chroma,
            knowledge_dir=kb_dir,
            job_backoff_base_s=0,
            job_backoff_max_s=0,
            **settings,
        )
        services = Services(
            config,
            embedder=embedder,
            provider=provider or offline_provider,
            clock=clock,
            store=ChromaVectorStore.persistent(chroma),
            flag_model=flag_model,
        )
        upgrade(config.resolved_database_url)
        sync_knowledge(services)
        built.append(services)
        return services

    yield make
    for services in built:
        services.close()


@pytest.fixture
def services(make_services: Any, database_url: str) -> Services:
    built: Services = make_services(database_url)
    return built


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    app = create_app(services.settings, services, run_worker=False)
    with TestClient(app) as test_client:
        yield test_client


def add_user(services: Services, name: str, role: str) -> str:
    with Session(services.engine, expire_on_commit=False) as session:
        _user, token = create_user(session, name=name, role=role)
        session.commit()
    return token


@pytest.fixture
def tokens(services: Services) -> dict[str, str]:
    roles = ["specialist", "policy_writer", "qa", "admin", "integration"]
    return {role: add_user(services, f"test-{role}", role) for role in roles}


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def drain(services: Services) -> int:
    """Run every due job now (the embedded worker is off in tests so timing is deterministic)."""
    return asyncio.run(services.worker().drain())
