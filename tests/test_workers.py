"""Worker processes and what one job may cost: the time limit inside a job, the memory limit
of a worker."""

from __future__ import annotations

import os
import threading
import time

import pytest

from nutrigap.analyzer.limits import WORKER_MEMORY_BYTES
from nutrigap.workers import OutOfTime, WorkerFailed, WorkerPool, time_limit, worker_memory_mb


def test_a_read_that_never_ends_is_stopped_at_the_time_limit_in_the_main_thread(tmp_path):
    pipe = tmp_path / "log.csv"
    os.mkfifo(pipe)  # nobody ever writes to it: opening it waits for ever
    with pytest.raises(OutOfTime), time_limit(0.5):
        pipe.read_bytes()


def test_endless_python_work_is_stopped_at_the_time_limit_in_another_thread():
    caught = []

    def spin():
        try:
            with time_limit(0.5):
                while True:
                    pass
        except OutOfTime:
            caught.append("stopped")

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    thread.join(60)
    assert caught == ["stopped"]


@pytest.mark.parametrize("where", ["main", "thread"])
def test_a_job_within_its_limit_is_not_stopped_later(where):
    outcome = []

    def job():
        try:
            with time_limit(0.3):
                pass
            time.sleep(0.6)  # past the limit, after the block ended
            outcome.append("finished")
        except OutOfTime:
            outcome.append("stopped")

    if where == "main":
        job()
    else:
        thread = threading.Thread(target=job)
        thread.start()
        thread.join(60)
    assert outcome == ["finished"]


def test_the_memory_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("NUTRIGAP_WORKER_MEMORY_MB", "512")
    assert worker_memory_mb() == 512
    monkeypatch.setenv("NUTRIGAP_WORKER_MEMORY_MB", "lots")
    assert worker_memory_mb() == WORKER_MEMORY_BYTES // 1024 ** 2 == 4096
    monkeypatch.setenv("NUTRIGAP_WORKER_MEMORY_MB", "0")
    assert worker_memory_mb() == 0


def test_a_job_past_the_memory_limit_fails_and_the_worker_goes_on():
    pytest.importorskip("resource", reason="no memory limits on this system")
    pool = WorkerPool(1, timeout=120, memory_mb=1024)
    try:
        with pytest.raises(WorkerFailed, match=r"^MemoryError at "):
            pool.run(bytearray, 3 * 1024 ** 3)  # 3 GB
        assert len(pool.run(bytearray, 100 * 1024 ** 2)) == 100 * 1024 ** 2
    finally:
        pool.close()
