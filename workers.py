"""Worker processes for the batch and the web app, and what one job in them may cost.

Each job runs in a worker process of its own. A worker has a memory limit, so one job cannot
take the machine (a job past it fails with MemoryError, or its worker dies, and the others go
on); a job has a time limit, past which its worker is killed, because killing a process is the
only sure way to stop work stuck inside pandas or WeasyPrint; and a worker ends when the
process that started it ends, even if that one is killed outright (by the out-of-memory
killer, say), so no worker is left running for nobody.

The limits' values are in analyzer/limits.py with the others (docs/limits.md).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Iterator

from nutrigap.analyzer.limits import WORKER_MEMORY_BYTES

#: how much longer than its limit a job is given to stop by itself before its worker is killed
GRACE_SECONDS = 15

log = logging.getLogger(__name__)


def worker_memory_mb() -> int:
    """The memory limit of a worker process in MB ($NUTRIGAP_WORKER_MEMORY_MB, else
    analyzer.limits.WORKER_MEMORY_BYTES); 0: none."""
    default = WORKER_MEMORY_BYTES // 1024 ** 2
    text = os.environ.get("NUTRIGAP_WORKER_MEMORY_MB", "").strip()
    try:
        return max(0, int(float(text))) if text else default
    except ValueError:
        return default


def limit_memory(megabytes: int) -> None:
    """Let this process use at most `megabytes` MB of data; an allocation past it raises
    MemoryError. Where the system has no such limit (Windows), nothing is done."""
    if megabytes <= 0:
        return
    try:
        import resource
    except ImportError:
        return
    wanted = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_DATA, (wanted, hard))


def exit_with(pid: int) -> None:
    """End this process as soon as process `pid` ends (a daemon thread waits for it). On
    Windows, where the pool cannot run (it forks), nothing is done: there os.kill ends a
    process rather than asking after it."""
    if os.name == "nt":
        return

    def watch() -> None:
        try:
            handle = os.pidfd_open(pid)  # Linux: readable once the process has ended
        except (AttributeError, OSError):
            handle = None
        if handle is not None:
            select.select([handle], [], [])
        else:
            while _alive(pid):
                time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="nutrigap-exit-with-parent").start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # there, but not ours to signal
    return True


class OutOfTime(BaseException):
    """A job ran past its time limit. A BaseException, so that a library catching Exception
    does not swallow it."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise OutOfTime in this thread if the block runs longer than `seconds` (None or 0: no
    limit). In the main thread an alarm signal interrupts even a blocked read; in another
    thread the exception is raised at the next Python instruction, so a job stuck in C code
    is stopped only by killing its worker (WorkerPool)."""
    if not seconds:
        yield
    elif threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _thread_alarm(seconds):
            yield


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def ring(signum, frame):
        raise OutOfTime(seconds)

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _thread_alarm(seconds: float) -> Iterator[None]:
    thread = ctypes.c_ulong(threading.get_ident())
    raise_in = ctypes.pythonapi.PyThreadState_SetAsyncExc
    lock = threading.Lock()
    state = {"done": False, "rang": False}

    def ring() -> None:
        with lock:
            if not state["done"]:
                raise_in(thread, ctypes.py_object(OutOfTime))
                state["rang"] = True

    timer = threading.Timer(seconds, ring)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
            timer.cancel()
            if state["rang"]:  # the block ended first: take back the exception if still pending
                raise_in(thread, None)


# --- the pool ---------------------------------------------------------------------------------


class TooSlow(Exception):
    """The job did not finish within the time limit; its worker was stopped."""


class Busy(Exception):
    """Every worker stayed busy for as long as a caller may wait for one."""


class WorkerFailed(Exception):
    """A worker process died or hit an error that is not the user's (a bug, out of memory)."""


def where(exc: BaseException) -> str:
    """Type and place of an exception; not its text, which may quote the uploaded file."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    place = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb is not None else "?"
    return f"{type(exc).__name__} at {place}"


def _serve(conn, initializer, initargs, memory_mb: int, parent: int) -> None:
    """A worker's life: set up once, say so, then run one job at a time until the pipe
    closes or the process that started the pool ends."""
    # Ctrl-C in the terminal reaches the whole process group; the pool's owner stops workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with(parent)
    limit_memory(memory_mb)
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
        except Exception as exc:  # reported to the caller; the worker goes on
            reply = ("failed", where(exc))
        conn.send(reply)


class _Worker:
    """One worker process and the pipe the pool talks to it through."""

    def __init__(self, context, initializer, initargs, memory_mb: int):
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, initializer, initargs, memory_mb, os.getpid()),
            daemon=True, name="nutrigap-worker")
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
    """Up to `size` worker processes; `run` sends a job to an idle one and waits for it, at
    most `timeout` seconds (None: as long as it takes).

    Each worker has `memory_mb` MB of memory at most (None: worker_memory_mb()) and ends when
    the process that made the pool ends.
    """

    def __init__(self, size: int, timeout: float | None, *,
                 initializer: Callable | None = None,
                 initargs: tuple = (), wait: float | None = None,
                 startup: float = 300, preload: tuple[str, ...] = (),
                 memory_mb: int | None = None, start_method: str = "forkserver"):
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.size, self.timeout = size, timeout
        self.wait = timeout if wait is None else wait  # longest wait for a free worker
        self.startup = startup  # longest a new worker may take to set itself up
        self.memory_mb = worker_memory_mb() if memory_mb is None else memory_mb
        self._context = multiprocessing.get_context(start_method)
        if preload and start_method == "forkserver":
            # imported once by the fork server, so a new worker starts with them loaded
            # (ignored when the fork server of this process is already running)
            self._context.set_forkserver_preload(list(preload))
        self._initializer, self._initargs = initializer, initargs
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def _new_worker(self) -> _Worker:
        return _Worker(self._context, self._initializer, self._initargs, self.memory_mb)

    def warm(self) -> None:
        """Start every worker now, so that the first jobs do not wait for the set-up."""
        with self._lock:
            while len(self._idle) < self.size and not self._closed:
                self._idle.append(self._new_worker())

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
                self._drop(worker)
                log.warning("a worker was stopped: %s", type(exc).__name__)
                raise
            self._give_back(worker)
            return result
        finally:
            self._slots.release()

    def _take(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise WorkerFailed("the pool is shutting down")
            while self._idle:
                worker = self._idle.pop()
                if worker.process.is_alive():
                    self._busy.add(worker)
                    return worker
                worker.stop()
            worker = self._new_worker()
            self._busy.add(worker)
            return worker

    def _drop(self, worker: _Worker) -> None:
        with self._lock:
            self._busy.discard(worker)
        worker.stop()

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            self._busy.discard(worker)
            if not self._closed:
                self._idle.append(worker)
                return
        worker.stop()

    def close(self, *, busy_too: bool = False) -> None:
        """Stop every idle worker; busy ones stop when their job returns, or now with
        `busy_too`."""
        with self._lock:
            self._closed = True
            stopping, self._idle = self._idle, []
            if busy_too:
                stopping += list(self._busy)
        for worker in stopping:
            worker.stop()

    def processes(self) -> list[int]:
        """The process ids of the idle workers (for tests and the benchmark)."""
        with self._lock:
            return [w.process.pid for w in self._idle]
