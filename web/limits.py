"""What one request may cost: the upload size limit, and a time limit on the analysis.

The analysis and the PDF run in worker processes of their own. A request waits for its worker
at most `timeout` seconds; past that the worker is killed, because killing a process is the
only sure way to stop work stuck inside pandas or WeasyPrint, and a fresh worker takes its place.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
from collections.abc import Callable

DEFAULT_UPLOAD_MB = 10
# Room for the form's other fields and the multipart boundaries around the file itself.
FORM_OVERHEAD_BYTES = 64 * 1024

log = logging.getLogger(__name__)


def upload_limit_bytes(megabytes: float) -> int:
    """The size of the largest request body accepted for an upload limit in MB (MiB)."""
    if not megabytes > 0:
        raise ValueError(f"the upload limit must be more than 0 MB, not {megabytes}")
    return int(megabytes * 1024 * 1024) + FORM_OVERHEAD_BYTES


class TooSlow(Exception):
    """The analysis did not finish within the time limit; its worker was stopped."""


class Busy(Exception):
    """Every worker stayed busy for as long as a request may wait for one."""


class WorkerFailed(Exception):
    """A worker process died or hit an error that is not the user's (a bug, out of memory)."""


def where(exc: BaseException) -> str:
    """Type and place of an exception; not its text, which may quote the uploaded file."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    place = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb is not None else "?"
    return f"{type(exc).__name__} at {place}"


def _serve(conn, initializer, initargs) -> None:
    """A worker's life: set up once, say so, then run one task at a time until the pipe
    closes."""
    # Ctrl-C in the terminal reaches the whole process group; the server stops its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if initializer is not None:
            initializer(*initargs)
    except Exception as exc:
        conn.send(("failed", where(exc)))
        return
    conn.send(("ready", None))
    while True:
        try:
            func, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", func(*args))
        except Exception as exc:  # reported to the server; the worker goes on
            reply = ("failed", where(exc))
        conn.send(reply)


class _Worker:
    """One worker process and the pipe the server talks to it through."""

    def __init__(self, context, initializer, initargs):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, initializer, initargs),
                                       daemon=True, name="nutrigap-web-worker")
        self.process.start()
        child.close()
        self.ready = False

    def _receive(self, timeout: float, late: type[Exception]):
        if not self.conn.poll(timeout):
            raise late(f"no answer within {timeout:g} s")
        try:
            status, value = self.conn.recv()
        except (EOFError, OSError):
            raise WorkerFailed(f"the worker process stopped (exit code "
                               f"{self.process.exitcode})") from None
        if status == "failed":
            raise WorkerFailed(value)
        return value

    def wait_ready(self, timeout: float) -> None:
        """Wait for the set-up (imports, the food table), which the time limit leaves out."""
        if not self.ready:
            self._receive(timeout, WorkerFailed)
            self.ready = True

    def call(self, func: Callable, args: tuple, timeout: float):
        try:
            self.conn.send((func, args))
        except OSError:
            raise WorkerFailed(f"the worker process stopped (exit code "
                               f"{self.process.exitcode})") from None
        return self._receive(timeout, TooSlow)

    def stop(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class WorkerPool:
    """Up to `size` worker processes; `run` sends a task to an idle one and waits for it."""

    def __init__(self, size: int, timeout: float, *, initializer: Callable | None = None,
                 initargs: tuple = (), wait: float | None = None,
                 startup: float = 300, preload: tuple[str, ...] = (),
                 start_method: str = "forkserver"):
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.size, self.timeout = size, timeout
        self.wait = timeout if wait is None else wait  # longest wait for a free worker
        self.startup = startup  # longest a new worker may take to set itself up
        self._context = multiprocessing.get_context(start_method)
        if preload and start_method == "forkserver":
            # imported once by the fork server, so a new worker starts with them loaded
            # (ignored when the fork server of this process is already running)
            self._context.set_forkserver_preload(list(preload))
        self._initializer, self._initargs = initializer, initargs
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False

    def warm(self) -> None:
        """Start every worker now, so that the first requests do not wait for the set-up."""
        with self._lock:
            while len(self._idle) < self.size and not self._closed:
                self._idle.append(_Worker(self._context, self._initializer, self._initargs))

    def run(self, func: Callable, *args, timeout: float | None = None):
        """func(*args) in a worker; raises TooSlow, Busy or WorkerFailed instead of hanging.

        `func` and its arguments are pickled, so func must be a module-level function.
        """
        timeout = self.timeout if timeout is None else timeout
        if not self._slots.acquire(timeout=self.wait):
            raise Busy(f"every worker was busy for {self.wait:g} s")
        try:
            worker = self._take()
            try:
                worker.wait_ready(self.startup)
                result = worker.call(func, args, timeout)
            except BaseException as exc:
                # a worker that timed out or broke is never reused
                worker.stop()
                log.warning("a worker was stopped: %s", type(exc).__name__)
                raise
            self._give_back(worker)
            return result
        finally:
            self._slots.release()

    def _take(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise WorkerFailed("the server is shutting down")
            while self._idle:
                worker = self._idle.pop()
                if worker.process.is_alive():
                    return worker
                worker.stop()
        return _Worker(self._context, self._initializer, self._initargs)

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                worker.stop()
            else:
                self._idle.append(worker)

    def close(self) -> None:
        """Stop every idle worker; busy ones stop when their task returns."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()

    def processes(self) -> list[int]:
        """The process ids of the idle workers (for tests and the benchmark)."""
        with self._lock:
            return [w.process.pid for w in self._idle]
