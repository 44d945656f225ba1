"""``triage worker --processes N`` keeps N workers alive: a child that dies is replaced, stop ends them all."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

from app.jobs.supervisor import WorkerPool


def _record_start_then_crash(index: int) -> None:
    with open(os.environ["TRIAGE_TEST_STARTS"], "a") as handle:
        handle.write(f"{index}\n")
    sys.exit(3)


def _run_until_killed(_index: int) -> None:
    while True:
        time.sleep(0.1)


def _wait_for(predicate: object, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_a_crashing_child_is_restarted_with_backoff(tmp_path: Path) -> None:
    starts = tmp_path / "starts"
    starts.touch()
    os.environ["TRIAGE_TEST_STARTS"] = str(starts)  # inherited by the spawned children
    pool = WorkerPool(_record_start_then_crash, 1, poll_s=0.02, backoff_start_s=0.05, backoff_max_s=0.2)
    runner = threading.Thread(target=pool.run)
    runner.start()
    try:
        assert _wait_for(lambda: len(starts.read_text().split()) >= 3), "the dead child was not restarted"
    finally:
        pool.stop()
        runner.join(30)
    assert not runner.is_alive()
    assert pool.restarts >= 2


def test_a_killed_child_is_replaced_and_stop_ends_every_child() -> None:
    pool = WorkerPool(_run_until_killed, 2, poll_s=0.02, backoff_start_s=0.05)
    runner = threading.Thread(target=pool.run)
    runner.start()
    try:
        assert _wait_for(lambda: all(pool.pids()))
        first, second = pool.pids()
        assert first is not None and second is not None
        os.kill(first, signal.SIGKILL)
        assert _wait_for(lambda: pool.pids()[0] not in (None, first)), "the killed worker was not replaced"
        assert pool.pids()[1] == second, "the healthy worker is left alone"
        survivors = [pid for pid in pool.pids() if pid is not None]
    finally:
        pool.stop()
        runner.join(30)
    assert not runner.is_alive()
    for pid in survivors:
        assert _wait_for(lambda pid=pid: not _alive(pid), timeout=10), f"worker {pid} outlived the pool"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purposes (the pool joined it; the test process may not have reaped it yet).
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()
