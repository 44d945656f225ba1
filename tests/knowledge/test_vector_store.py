"""The Chroma adapter and the in-memory fake must behave the same; Chroma runs for real in a tmp directory."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.knowledge.articles import parse_article
from app.knowledge.embeddings import HashingEmbedder
from app.knowledge.splitting import Chunk, split_article
from app.knowledge.vector_store import ArticleChunks, ChromaVectorStore, InMemoryVectorStore, VectorStore
from tests.knowledge.samples import COINS, COINS_ES, GIFT, TAX

REPO_ROOT = Path(__file__).resolve().parents[2]
EMBEDDER = HashingEmbedder(dimension=64)


def _index(store: VectorStore, text: str) -> list[Chunk]:
    article = parse_article(text)
    chunks = split_article(article)
    store.upsert(chunks, EMBEDDER.embed([c.text for c in chunks]), article.content_hash)
    return chunks


@pytest.fixture(params=["memory", "chroma"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[VectorStore]:
    if request.param == "memory":
        yield InMemoryVectorStore()
        return
    chroma = ChromaVectorStore.persistent(tmp_path / "chroma")
    yield chroma
    chroma.close()


def test_query_returns_cosine_similarity_best_first(store: VectorStore) -> None:
    chunks = _index(store, COINS) + _index(store, GIFT)
    target = chunks[1]
    results = store.query(EMBEDDER.embed([target.text])[0], k=3)
    assert results[0][0].chunk_id == target.chunk_id
    assert results[0][1] == pytest.approx(1.0, abs=1e-5)
    sims = [s for _, s in results]
    assert sims == sorted(sims, reverse=True) and len(results) == 3
    assert results[0][0] == target  # every field survives the round trip through the store


def test_query_k_larger_than_index_and_empty_index(store: VectorStore) -> None:
    vector = EMBEDDER.embed(["coins"])[0]
    assert store.query(vector, k=5) == []
    chunks = _index(store, GIFT)
    assert len(store.query(vector, k=50)) == len(chunks)


def test_locale_filter(store: VectorStore) -> None:
    _index(store, COINS)
    es_chunks = _index(store, COINS_ES)
    results = store.query(EMBEDDER.embed(["Monedas"])[0], k=10, locale="es")
    assert {c.chunk_id for c, _ in results} == {c.chunk_id for c in es_chunks}
    assert store.query(EMBEDDER.embed(["Monedas"])[0], k=10, locale="fr") == []


def test_upsert_replaces_the_previous_version(store: VectorStore) -> None:
    _index(store, COINS)
    v2_text = COINS.replace("version: 1", "version: 2").replace("## Reply guidance", "## Tone")
    v2 = _index(store, v2_text)
    stored = [s for s in store.all_chunks() if s.chunk.article_id == "recharge-coins-not-credited"]
    assert [s.chunk.chunk_id for s in stored] == [c.chunk_id for c in v2]
    assert all(s.chunk.version == 2 for s in stored)
    assert store.article_hashes() == {"recharge-coins-not-credited": parse_article(v2_text).content_hash}


def test_upsert_of_a_shorter_text_drops_leftover_chunks(store: VectorStore) -> None:
    full = _index(store, COINS)
    short = COINS.split("## What the specialist may promise")[0]
    kept = _index(store, short)  # same id and version, fewer chunks
    assert len(kept) < len(full)
    assert [s.chunk.chunk_id for s in store.all_chunks()] == [c.chunk_id for c in kept]


def test_delete_and_hashes(store: VectorStore) -> None:
    _index(store, COINS)
    _index(store, TAX)
    assert set(store.article_hashes()) == {"recharge-coins-not-credited", "payout-tax-forms"}
    store.delete_article("recharge-coins-not-credited")
    assert set(store.article_hashes()) == {"payout-tax-forms"}
    assert all(s.chunk.article_id == "payout-tax-forms" for s in store.all_chunks())
    assert all(c.article_id == "payout-tax-forms" for c, _ in store.query(EMBEDDER.embed(["coins"])[0], k=20))


def test_all_chunks_in_document_order(store: VectorStore) -> None:
    chunks = _index(store, TAX) + _index(store, COINS)
    stored = store.all_chunks()
    assert [s.chunk for s in stored] == sorted(chunks, key=lambda c: (c.article_id, int(c.chunk_id.split("#")[1])))
    assert {s.content_hash for s in stored} == {parse_article(COINS).content_hash, parse_article(TAX).content_hash}


def test_revision_changes_on_writes_only(store: VectorStore) -> None:
    first = store.revision()
    _index(store, COINS)
    second = store.revision()
    assert second != first
    store.query(EMBEDDER.embed(["coins"])[0], k=3)
    store.all_chunks()
    assert store.revision() == second
    store.delete_article("recharge-coins-not-credited")
    assert store.revision() not in (first, second)


def test_upsert_many_replaces_several_articles_in_one_revision(store: VectorStore) -> None:
    _index(store, COINS)
    before = store.revision()
    articles = [parse_article(t) for t in (COINS.replace("version: 1", "version: 2"), TAX, GIFT)]
    batch = []
    for article in articles:
        chunks = split_article(article)
        batch.append(ArticleChunks(chunks, EMBEDDER.embed([c.text for c in chunks]), article.content_hash))
    store.upsert_many(batch)
    assert store.revision() != before
    expected = {c.chunk_id: a.content_hash for a, b in zip(articles, batch, strict=True) for c in b.chunks}
    assert store.chunk_hashes() == expected  # version 1 of the coins article is gone
    some = sorted(expected)[:3]
    assert sorted(s.chunk.chunk_id for s in store.get_chunks([*some, "missing@v1#0"])) == some


def test_query_ids_match_query(store: VectorStore) -> None:
    _index(store, COINS)
    _index(store, COINS_ES)
    _index(store, TAX)
    vector = EMBEDDER.embed(["coins never arrived"])[0]
    for locale in (None, "es"):
        full = store.query(vector, k=4, locale=locale)
        ids = store.query_ids(vector, k=4, locale=locale)
        assert [cid for cid, _ in ids] == [c.chunk_id for c, _ in full]
        assert [sim for _, sim in ids] == pytest.approx([sim for _, sim in full], abs=1e-6)


def test_upsert_rejects_mismatched_input(store: VectorStore) -> None:
    chunks = split_article(parse_article(COINS)) + split_article(parse_article(GIFT))
    with pytest.raises(ValueError, match="one article"):
        store.upsert(chunks, EMBEDDER.embed([c.text for c in chunks]), "h")
    one = split_article(parse_article(COINS))
    with pytest.raises(ValueError, match="embedding rows"):
        store.upsert(one, EMBEDDER.embed(["just one"]), "h")


def test_ping(store: VectorStore) -> None:
    store.ping()


# --- Chroma only -------------------------------------------------------------------------------------------------


def test_index_persists_across_instances(tmp_path: Path) -> None:
    first = ChromaVectorStore.persistent(tmp_path / "db")
    chunks = _index(first, TAX)
    revision = first.revision()
    first.close()
    reopened = ChromaVectorStore.persistent(tmp_path / "db")
    assert [s.chunk for s in reopened.all_chunks()] == chunks
    assert reopened.revision() == revision
    reopened.close()


def test_second_instance_sees_changes(tmp_path: Path) -> None:
    reader = ChromaVectorStore.persistent(tmp_path / "db")
    writer = ChromaVectorStore.persistent(tmp_path / "db")
    before = reader.revision()
    _index(writer, GIFT)
    assert reader.revision() != before
    assert reader.article_hashes() == writer.article_hashes()
    assert reader.query(EMBEDDER.embed(["gift"])[0], k=1)[0][0].article_id == "gift-sent-to-wrong-live"
    writer.close()
    reader.close()


_WRITER_SCRIPT = """
import sys
from pathlib import Path
from app.knowledge.articles import parse_article
from app.knowledge.embeddings import HashingEmbedder
from app.knowledge.indexer import index_article
from app.knowledge.vector_store import ChromaVectorStore

store = ChromaVectorStore.persistent(sys.argv[1])
if sys.argv[2] == "delete":
    store.delete_article(sys.argv[3])
else:
    index_article(parse_article(Path(sys.argv[3]).read_text()), store, HashingEmbedder(dimension=64))
store.close()
"""


def _in_other_process(tmp_path: Path, *args: str) -> None:
    env = {**os.environ, "HOME": str(tmp_path / "home"), "PYTHONPATH": str(REPO_ROOT)}
    subprocess.run([sys.executable, "-c", _WRITER_SCRIPT, *args], check=True, cwd=REPO_ROOT, env=env, timeout=120)


def test_long_lived_store_sees_writes_from_another_process(tmp_path: Path) -> None:
    """The server keeps a store open while `triage kb sync` writes from another process."""
    db = tmp_path / "db"
    server = ChromaVectorStore.persistent(db)
    _index(server, COINS)
    probe = EMBEDDER.embed([split_article(parse_article(GIFT))[0].text])[0]
    assert server.query(probe, k=1)[0][0].article_id == "recharge-coins-not-credited"  # vector index now loaded

    article_file = tmp_path / "gift.md"
    article_file.write_text(GIFT, encoding="utf-8")
    _in_other_process(tmp_path, str(db), "upsert", str(article_file))
    assert server.query(probe, k=1)[0][0].article_id == "gift-sent-to-wrong-live"
    assert "gift-sent-to-wrong-live" in server.article_hashes()

    _in_other_process(tmp_path, str(db), "delete", "recharge-coins-not-credited")
    assert {c.article_id for c, _ in server.query(probe, k=20)} == {"gift-sent-to-wrong-live"}
    server.close()
    # Chroma never fetched its default embedding model (it would land under ~/.cache/chroma and fail offline).
    assert not (tmp_path / "home" / ".cache" / "chroma").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = Path(sys.executable).parent / "chroma"
    if not binary.exists():
        pytest.skip("the `chroma` CLI is not installed beside this Python")
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = (data / "server.log").open("wb")
    proc = subprocess.Popen(
        [str(binary), "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.skip("the Chroma server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_http_store_against_a_real_chroma_server(chroma_server: str) -> None:
    api = ChromaVectorStore.http(chroma_server, collection="kb_http_test")
    worker = ChromaVectorStore.http(chroma_server, collection="kb_http_test")
    api.ping()
    before = api.revision()
    chunks = _index(worker, TAX)
    assert api.revision() != before
    result = api.query(EMBEDDER.embed([chunks[0].text])[0], k=1)
    assert result[0][0] == chunks[0] and result[0][1] == pytest.approx(1.0, abs=1e-5)
    worker.delete_article("payout-tax-forms")
    assert api.all_chunks() == []


def test_http_ping_fails_when_server_is_down() -> None:
    store_factory_error: Exception | None = None
    try:
        store = ChromaVectorStore.http(f"http://127.0.0.1:{_free_port()}")
        store.ping()
    except Exception as exc:  # connection refused surfaces at connect or at ping, depending on the client
        store_factory_error = exc
    assert store_factory_error is not None


@pytest.mark.parametrize("url", ["chroma:8000", "ftp://chroma:8000", "http://chroma:8000/api"])
def test_http_rejects_malformed_urls(url: str) -> None:
    with pytest.raises(ValueError, match="TRIAGE_CHROMA_URL"):
        ChromaVectorStore.http(url)
