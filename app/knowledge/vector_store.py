"""Where chunk embeddings live: a ``VectorStore`` protocol, the Chroma adapter, and an in-memory fake.

This is the only module that imports ``chromadb``. Two things about Chroma shape the adapter:

* We always pass embeddings ourselves and create the collection with ``embedding_function=None``. Left to its
  default, Chroma would attach its own ONNX MiniLM, which downloads a model on first use (fails offline) and
  would silently embed with a model other than ours.
* An embedded ``PersistentClient`` keeps its HNSW index in process memory. Writes made by *another* process
  (``triage kb sync`` while the server runs) reach the SQLite metadata at once, but the in-memory vector index of
  a long-lived process does not see them: ``get`` returns the new chunks while ``query`` keeps returning the
  deleted ones. So every write stamps a fresh ``revision`` into the collection metadata, and an embedded store
  that finds a revision it did not see reopens its client, which reloads the index from disk. A Chroma server
  has one index for all clients, so the HTTP store never needs to reopen.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import numpy as np

from app.knowledge.embeddings import FloatArray
from app.knowledge.splitting import Chunk

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from chromadb.config import Settings

DEFAULT_COLLECTION = "kb_chunks"
_REVISION_KEY = "revision"
_EMPTY_REVISION = "empty"


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as indexed, with the hash of the article text it was cut from."""

    chunk: Chunk
    content_hash: str


@dataclass(frozen=True)
class ArticleChunks:
    """One article's chunks with their embeddings (one row per chunk) and the article's content hash."""

    chunks: list[Chunk]
    embeddings: FloatArray
    content_hash: str


class VectorStore(Protocol):
    """Chunk vectors, replaced one whole article at a time, queried by cosine similarity."""

    def upsert(self, chunks: list[Chunk], embeddings: FloatArray, content_hash: str) -> None:
        """Index one article's chunks, replacing whatever that article had indexed before."""
        ...

    def upsert_many(self, articles: Sequence[ArticleChunks]) -> None:
        """``upsert`` for several articles in one write and one revision: what a sync of many changes needs."""
        ...

    def delete_article(self, article_id: str) -> None: ...

    def query(self, embedding: FloatArray, k: int, locale: str | None = None) -> list[tuple[Chunk, float]]:
        """Up to ``k`` chunks with their cosine similarity, best first; ``locale`` filters strictly."""
        ...

    def query_ids(self, embedding: FloatArray, k: int, locale: str | None = None) -> list[tuple[str, float]]:
        """``query`` without the texts and metadata: chunk ids and similarities, for callers that hold the chunks."""
        ...

    def all_chunks(self) -> list[StoredChunk]: ...

    def chunk_hashes(self) -> dict[str, str]:
        """Every chunk id with the content hash of its article: enough to tell what changed, without the texts."""
        ...

    def get_chunks(self, chunk_ids: Sequence[str]) -> list[StoredChunk]:
        """The stored chunks with these ids (missing ones are left out), in any order."""
        ...

    def article_hashes(self) -> dict[str, str]: ...

    def revision(self) -> str:
        """An opaque token that changes whenever the indexed content changes, as seen by any process."""
        ...

    def ping(self) -> None: ...


def _check_upsert(chunks: list[Chunk], embeddings: FloatArray) -> str:
    """The one article id the chunks belong to; mismatched input is a programming error, caught early."""
    if not chunks:
        raise ValueError("upsert needs at least one chunk; use delete_article to remove an article")
    article_ids = {c.article_id for c in chunks}
    if len(article_ids) != 1:
        raise ValueError(f"upsert takes the chunks of one article, got {sorted(article_ids)}")
    if embeddings.ndim != 2 or embeddings.shape[0] != len(chunks):
        raise ValueError(f"expected {len(chunks)} embedding rows, got shape {embeddings.shape}")
    return chunks[0].article_id


def _to_metadata(chunk: Chunk, content_hash: str) -> dict[str, str | int]:
    return {
        "article_id": chunk.article_id,
        "version": chunk.version,
        "title": chunk.title,
        "locale": chunk.locale,
        "categories": ",".join(chunk.categories),
        "section": chunk.section,
        "content_hash": content_hash,
    }


def _from_metadata(chunk_id: str, text: str, meta: Mapping[str, Any]) -> StoredChunk:
    categories = str(meta.get("categories") or "")
    chunk = Chunk(
        chunk_id=chunk_id,
        article_id=str(meta["article_id"]),
        version=int(meta["version"]),
        title=str(meta["title"]),
        locale=str(meta["locale"]),
        categories=tuple(c for c in categories.split(",") if c),
        section=str(meta["section"]),
        text=text,
    )
    return StoredChunk(chunk=chunk, content_hash=str(meta["content_hash"]))


def _chunk_order(stored: StoredChunk) -> tuple[str, int]:
    """Article id, then position: ``#10`` sorts after ``#9``."""
    return stored.chunk.article_id, int(stored.chunk.chunk_id.rsplit("#", 1)[1])


class InMemoryVectorStore:
    """The fake: same contract as Chroma (exact cosine search), nothing persisted, one process only."""

    def __init__(self) -> None:
        self._rows: dict[str, tuple[StoredChunk, FloatArray]] = {}
        self._revision = 0
        self._lock = threading.Lock()

    def upsert(self, chunks: list[Chunk], embeddings: FloatArray, content_hash: str) -> None:
        self.upsert_many([ArticleChunks(chunks, embeddings, content_hash)])

    def upsert_many(self, articles: Sequence[ArticleChunks]) -> None:
        ids = [_check_upsert(a.chunks, a.embeddings) for a in articles]
        with self._lock:
            for article_id, article in zip(ids, articles, strict=True):
                self._drop(article_id)
                for chunk, vector in zip(article.chunks, article.embeddings, strict=True):
                    self._rows[chunk.chunk_id] = (StoredChunk(chunk, article.content_hash), vector.astype(np.float32))
            self._revision += 1

    def delete_article(self, article_id: str) -> None:
        with self._lock:
            self._drop(article_id)
            self._revision += 1

    def _drop(self, article_id: str) -> None:
        for key in [k for k, (s, _) in self._rows.items() if s.chunk.article_id == article_id]:
            del self._rows[key]

    def query(self, embedding: FloatArray, k: int, locale: str | None = None) -> list[tuple[Chunk, float]]:
        with self._lock:
            rows = [(s.chunk, v) for s, v in self._rows.values() if locale is None or s.chunk.locale == locale]
        if not rows or k <= 0:
            return []
        matrix = np.stack([v for _, v in rows])
        query = embedding.reshape(-1)
        sims = matrix @ query / np.clip(np.linalg.norm(matrix, axis=1) * np.linalg.norm(query), 1e-12, None)
        order = np.argsort(-sims, kind="stable")[:k]
        return [(rows[i][0], float(sims[i])) for i in order]

    def query_ids(self, embedding: FloatArray, k: int, locale: str | None = None) -> list[tuple[str, float]]:
        return [(chunk.chunk_id, sim) for chunk, sim in self.query(embedding, k, locale)]

    def all_chunks(self) -> list[StoredChunk]:
        with self._lock:
            return sorted((s for s, _ in self._rows.values()), key=_chunk_order)

    def chunk_hashes(self) -> dict[str, str]:
        with self._lock:
            return {cid: s.content_hash for cid, (s, _) in self._rows.items()}

    def get_chunks(self, chunk_ids: Sequence[str]) -> list[StoredChunk]:
        with self._lock:
            return [self._rows[cid][0] for cid in chunk_ids if cid in self._rows]

    def article_hashes(self) -> dict[str, str]:
        with self._lock:
            return {s.chunk.article_id: s.content_hash for s, _ in self._rows.values()}

    def revision(self) -> str:
        return str(self._revision)

    def ping(self) -> None:
        return None


class ChromaVectorStore:
    """Chroma adapter. Build it with ``persistent(path)`` (embedded) or ``http(url)`` (a Chroma server).

    Keep one instance per index and process (the app's dependency provides one): embedded clients on the
    same path share one Chroma "system" per process, so a second instance could not reload a stale index.
    Calls are serialised with a lock because a reload swaps the client under concurrent readers.
    """

    def __init__(
        self, connect: Callable[[], ClientAPI], collection: str = DEFAULT_COLLECTION, *, embedded: bool
    ) -> None:
        self._connect = connect
        self._collection_name = collection
        self._embedded = embedded
        self._lock = threading.RLock()
        self._seen_revision = ""
        self._client, self._collection = self._open()

    @classmethod
    def persistent(cls, path: Path | str, collection: str = DEFAULT_COLLECTION) -> ChromaVectorStore:
        """Embedded Chroma in a directory; created if missing."""
        import chromadb

        directory = str(Path(path).expanduser().resolve())
        Path(directory).mkdir(parents=True, exist_ok=True)
        return cls(lambda: chromadb.PersistentClient(path=directory, settings=_settings()), collection, embedded=True)

    @classmethod
    def http(
        cls, url: str, collection: str = DEFAULT_COLLECTION, headers: dict[str, str] | None = None
    ) -> ChromaVectorStore:
        """A Chroma server, e.g. ``http://chroma:8000``; ``headers`` carry an auth token if the server needs one."""
        import chromadb

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
            raise ValueError(f"TRIAGE_CHROMA_URL must look like http://host:8000, got {url!r}")
        ssl = parts.scheme == "https"
        port = parts.port or (443 if ssl else 8000)
        host = parts.hostname
        return cls(
            lambda: chromadb.HttpClient(host=host, port=port, ssl=ssl, headers=headers, settings=_settings()),
            collection,
            embedded=False,
        )

    def _open(self) -> tuple[ClientAPI, Collection]:
        client = self._connect()
        # embedding_function=None: we always pass vectors, and Chroma must not load (or download) its own model.
        collection = client.get_or_create_collection(
            name=self._collection_name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )
        self._seen_revision = _revision_of(client, self._collection_name)
        return client, collection

    def close(self) -> None:
        with self._lock:
            _close(self._client)

    def _read_revision(self) -> str:
        return _revision_of(self._client, self._collection_name)

    def _ensure_fresh(self) -> None:
        """Reload an embedded index another process has changed since we last looked (see module docstring)."""
        if not self._embedded:
            return
        current = self._read_revision()
        if current != self._seen_revision:
            _close(self._client)
            self._client, self._collection = self._open()

    def _bump_revision(self) -> None:
        # modify(metadata=...) replaces the whole metadata mapping, so the revision is the only key we keep there.
        revision = uuid.uuid4().hex
        self._collection.modify(metadata={_REVISION_KEY: revision})
        self._seen_revision = revision

    def upsert(self, chunks: list[Chunk], embeddings: FloatArray, content_hash: str) -> None:
        self.upsert_many([ArticleChunks(chunks, embeddings, content_hash)])

    def upsert_many(self, articles: Sequence[ArticleChunks]) -> None:
        """One Chroma write per ``max_batch_size`` chunks, one lookup of old chunks, one revision.

        A sync of 2,000 articles used to make four round trips per article (upsert, get, delete, revision), each
        of which also re-read the revision; now it makes a handful for the whole sync.
        """
        article_ids = [_check_upsert(a.chunks, a.embeddings) for a in articles]
        if not articles:
            return
        chunks = [c for a in articles for c in a.chunks]
        vectors = np.concatenate([np.asarray(a.embeddings, dtype=np.float32) for a in articles], axis=0)
        metadatas = [_to_metadata(c, a.content_hash) for a in articles for c in a.chunks]
        ids = [c.chunk_id for c in chunks]
        with self._lock:
            self._ensure_fresh()
            step = self._client.get_max_batch_size()
            # Write the new chunks before removing the old version's, so a concurrent reader sees one or the
            # other (or briefly both), never an article with no chunks.
            for start in range(0, len(ids), step):
                end = start + step
                self._collection.upsert(
                    ids=ids[start:end],
                    embeddings=list(vectors[start:end]),
                    documents=[c.text for c in chunks[start:end]],
                    metadatas=list(metadatas[start:end]),
                )
            stale = sorted(set(self._ids_of(article_ids)) - set(ids))
            for start in range(0, len(stale), step):
                self._collection.delete(ids=stale[start : start + step])
            self._bump_revision()

    def _ids_of(self, article_ids: list[str]) -> list[str]:
        found: list[str] = []
        for start in range(0, len(article_ids), 500):
            wanted = sorted(set(article_ids[start : start + 500]))
            where: dict[str, Any] = {"article_id": {"$in": wanted}} if len(wanted) > 1 else {"article_id": wanted[0]}
            found += self._collection.get(where=where, include=[])["ids"]
        return found

    def delete_article(self, article_id: str) -> None:
        with self._lock:
            self._ensure_fresh()
            self._collection.delete(where={"article_id": article_id})
            self._bump_revision()

    def query(self, embedding: FloatArray, k: int, locale: str | None = None) -> list[tuple[Chunk, float]]:
        if k <= 0:
            return []
        with self._lock:
            self._ensure_fresh()
            result = self._collection.query(
                query_embeddings=np.asarray(embedding, dtype=np.float32).reshape(1, -1),
                n_results=k,
                where={"locale": locale} if locale else None,
                include=["documents", "metadatas", "distances"],
            )
        ids, docs = result["ids"][0], (result["documents"] or [[]])[0]
        metas, dists = (result["metadatas"] or [[]])[0], (result["distances"] or [[]])[0]
        # Chroma's cosine space reports distance = 1 - cosine similarity.
        return [
            (_from_metadata(i, d or "", m or {}).chunk, 1.0 - float(dist))
            for i, d, m, dist in zip(ids, docs, metas, dists, strict=True)
        ]

    def query_ids(self, embedding: FloatArray, k: int, locale: str | None = None) -> list[tuple[str, float]]:
        if k <= 0:
            return []
        with self._lock:
            self._ensure_fresh()
            # Distances only: reading documents and metadata back from Chroma's SQLite was most of a query's time.
            result = self._collection.query(
                query_embeddings=np.asarray(embedding, dtype=np.float32).reshape(1, -1),
                n_results=k,
                where={"locale": locale} if locale else None,
                include=["distances"],
            )
        dists = (result["distances"] or [[]])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], dists, strict=True)]

    def all_chunks(self) -> list[StoredChunk]:
        with self._lock:
            result = self._collection.get(include=["documents", "metadatas"])
        rows = zip(result["ids"], result["documents"] or [], result["metadatas"] or [], strict=True)
        return sorted((_from_metadata(i, d or "", m or {}) for i, d, m in rows), key=_chunk_order)

    def chunk_hashes(self) -> dict[str, str]:
        with self._lock:
            result = self._collection.get(include=["metadatas"])
        metas = result["metadatas"] or []
        return {i: str(m["content_hash"]) for i, m in zip(result["ids"], metas, strict=True) if m}

    def get_chunks(self, chunk_ids: Sequence[str]) -> list[StoredChunk]:
        found: list[StoredChunk] = []
        with self._lock:
            step = self._client.get_max_batch_size()
            for start in range(0, len(chunk_ids), step):
                result = self._collection.get(
                    ids=list(chunk_ids[start : start + step]), include=["documents", "metadatas"]
                )
                rows = zip(result["ids"], result["documents"] or [], result["metadatas"] or [], strict=True)
                found += [_from_metadata(i, d or "", m or {}) for i, d, m in rows]
        return found

    def article_hashes(self) -> dict[str, str]:
        with self._lock:
            metas = self._collection.get(include=["metadatas"])["metadatas"] or []
        return {str(m["article_id"]): str(m["content_hash"]) for m in metas if m}

    def revision(self) -> str:
        with self._lock:
            return self._read_revision()

    def ping(self) -> None:
        with self._lock:
            self._client.heartbeat()


def _close(client: ClientAPI) -> None:
    # close() exists on chromadb's concrete Client (both factories return one) but not on the ClientAPI type.
    close: Callable[[], None] | None = getattr(client, "close", None)
    if close is not None:
        close()


def _revision_of(client: ClientAPI, name: str) -> str:
    # Re-read from SQLite or the server: a Collection object caches the metadata it was fetched with.
    meta = client.get_collection(name).metadata or {}
    return str(meta.get(_REVISION_KEY, _EMPTY_REVISION))


def _settings() -> Settings:
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False)
