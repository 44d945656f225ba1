"""Where flag-model files live and which one is current.

A fresh clone uses the model shipped in the package (``app/triage/training/model/``). ``triage model train``
writes each new model as ``<data_dir>/models/flags-<version>.npz`` and then points ``current.json`` at it with an
atomic rename, so API processes and workers sharing the data directory switch to it on their next message
(one ``stat`` per call) without a restart, and never read a half-written file. Old files are kept: rolling
back is pointing ``current.json`` at an earlier version (``triage model use``).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from app.knowledge.embeddings import Embedder
from app.triage.flag_classifier import FlagClassifier, FlagModelParams, FlagScore, ModelFileError
from app.triage.signals import Signal

SHIPPED_PACKAGE = "app.triage.training"
SHIPPED_FOLDER = "model"
POINTER = "current.json"


def shipped_model_path() -> Path:
    """The newest model file shipped inside the package."""
    folder = Path(str(resources.files(SHIPPED_PACKAGE).joinpath(SHIPPED_FOLDER)))
    files = sorted(folder.glob("flags-*.npz"))
    if not files:
        raise ModelFileError(f"no flag model is shipped in {folder}: run `triage model train --ship`")
    return files[-1]


def shipped_folder() -> Path:
    return Path(str(resources.files(SHIPPED_PACKAGE).joinpath(SHIPPED_FOLDER)))


class FlagModelStore:
    """The current flag model for this data directory, reloaded when another process installs a new one."""

    def __init__(self, models_dir: Path, embedder_for: Callable[[str], Embedder]) -> None:
        self._dir = models_dir
        self._embedder_for = embedder_for
        self._lock = threading.Lock()
        self._loaded: tuple[float | None, FlagClassifier] | None = None

    @property
    def models_dir(self) -> Path:
        return self._dir

    def _pointer_mtime(self) -> float | None:
        try:
            return (self._dir / POINTER).stat().st_mtime_ns / 1e9
        except OSError:
            return None

    def current_path(self) -> Path:
        pointer = self._dir / POINTER
        if pointer.exists():
            try:
                name = json.loads(pointer.read_text(encoding="utf-8"))["file"]
            except (OSError, ValueError, KeyError) as exc:
                raise ModelFileError(f"{pointer} is unreadable: {exc}") from exc
            path = self._dir / Path(str(name)).name
            if path.exists():
                return path
            raise ModelFileError(f"{pointer} points at {name}, which does not exist")
        return shipped_model_path()

    def current(self) -> FlagClassifier:
        mtime = self._pointer_mtime()
        with self._lock:
            if self._loaded is None or self._loaded[0] != mtime:
                params = FlagModelParams.load(self.current_path())
                self._loaded = (mtime, FlagClassifier(params, self._embedder_for(params.embedder)))
            return self._loaded[1]

    def install(self, params: FlagModelParams) -> Path:
        """Write the model file, then make it current (atomically)."""
        self._dir.mkdir(parents=True, exist_ok=True)
        path = self._dir / f"flags-{params.version}.npz"
        params.save(path)
        self.use(params.version)
        return path

    def use(self, version: str) -> None:
        path = self._dir / f"flags-{version}.npz"
        if not path.exists():
            raise ModelFileError(f"no model {version} in {self._dir}")
        FlagModelParams.load(path)  # refuse to point at a file that does not load
        fd, tmp = tempfile.mkstemp(dir=self._dir, prefix=".current-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"version": version, "file": path.name}, handle)
        os.replace(tmp, self._dir / POINTER)

    def versions(self) -> list[str]:
        return sorted(p.stem.removeprefix("flags-") for p in self._dir.glob("flags-*.npz"))


class StoreBackedFlagModel:
    """The pipeline's ``FlagModel``: always the store's current model (its version goes on every draft)."""

    def __init__(self, store: FlagModelStore) -> None:
        self._store = store

    @property
    def version(self) -> str:
        return self._store.current().version

    def classifier(self) -> FlagClassifier:
        return self._store.current()

    def score(self, text: str) -> list[FlagScore]:
        return self._store.current().score(text)

    def detect(self, text: str) -> list[Signal]:
        return self._store.current().detect(text)

    def locate(self, text: str, code: str) -> list[tuple[int, int]]:
        return self._store.current().locate(text, code)
