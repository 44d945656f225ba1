"""A supervised pool of worker processes: a child that dies (OOM kill, segfault, a bug) is started again.

``triage worker --processes N`` runs one of these. Jobs survive a dead child anyway (its lease expires and another
worker reclaims the job), but without a restart the pool would shrink silently until nothing drafts. Restarts back
off per slot (1 s doubling to 60 s, reset after a child has lived for a minute) so a child that crashes at start
cannot spin the machine.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess

log = logging.getLogger("triage.supervisor")

_HEALTHY_AFTER_S = 60.0


@dataclass
class _Slot:
    index: int
    process: BaseProcess | None = None
    started_at: float = 0.0
    restarts: int = 0
    not_before: float = 0.0
    backoff_s: float = field(default=0.0)


class WorkerPool:
    """Keep ``size`` processes running ``target(index)`` until ``stop()``."""

    def __init__(
        self,
        target: Callable[[int], None],
        size: int,
        *,
        poll_s: float = 0.5,
        backoff_start_s: float = 1.0,
        backoff_max_s: float = 60.0,
    ) -> None:
        self._target = target
        self._slots = [_Slot(i) for i in range(size)]
        self._poll_s = poll_s
        self._backoff_start_s = backoff_start_s
        self._backoff_max_s = backoff_max_s
        self._stopping = threading.Event()
        self._context = multiprocessing.get_context("spawn")

    @property
    def restarts(self) -> int:
        return sum(slot.restarts for slot in self._slots)

    def pids(self) -> list[int | None]:
        return [slot.process.pid if slot.process is not None else None for slot in self._slots]

    def _start(self, slot: _Slot) -> None:
        slot.process = self._context.Process(target=self._target, args=(slot.index,), daemon=False)
        slot.process.start()
        slot.started_at = time.monotonic()

    def _check(self, slot: _Slot, now: float) -> None:
        process = slot.process
        if process is not None and process.is_alive():
            if now - slot.started_at > _HEALTHY_AFTER_S:
                slot.backoff_s = 0.0
            return
        if process is not None:
            process.join(0)
            log.warning(
                "worker process exited; restarting",
                extra={"slot": slot.index, "pid": process.pid, "exitcode": process.exitcode},
            )
            slot.process = None
            slot.backoff_s = min(self._backoff_max_s, max(self._backoff_start_s, slot.backoff_s * 2))
            slot.not_before = now + slot.backoff_s
            slot.restarts += 1
        if now >= slot.not_before and not self._stopping.is_set():
            self._start(slot)

    def run(self) -> None:
        """Start every slot and supervise until ``stop()``; then terminate the children and wait for them."""
        for slot in self._slots:
            self._start(slot)
        try:
            while not self._stopping.wait(self._poll_s):
                now = time.monotonic()
                for slot in self._slots:
                    self._check(slot, now)
        finally:
            self._shutdown()

    def stop(self) -> None:
        self._stopping.set()

    def _shutdown(self, grace_s: float = 15.0) -> None:
        alive = [slot.process for slot in self._slots if slot.process is not None and slot.process.is_alive()]
        for process in alive:
            process.terminate()  # SIGTERM: the worker finishes its current job's bookkeeping and exits
        deadline = time.monotonic() + grace_s
        for process in alive:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
