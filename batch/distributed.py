"""The same per-client jobs on an existing Dask distributed cluster (`--scheduler`)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path

from nutrigap.analyzer.errors import NutrigapError
from nutrigap.batch.client_jobs import STATE_DIR, ClientJob, Outcome, Settings, run_client

INSTALL_HINT = "pip install 'nutrigap[distributed]'"


class ClusterError(NutrigapError):
    """The Dask scheduler cannot be used: the extra is not installed or it cannot be reached."""


def shared_storage_note(settings: Settings, address: str) -> str:
    """What the user must know before the cluster writes their reports."""
    return (f"Running on the Dask cluster at {address}. Its workers write the reports straight "
            f"into {settings.outdir.resolve()}, so that folder must be on storage every worker "
            "reaches at the same path (a shared or network drive)"
            + (f", and so must the food database {settings.foods}" if settings.foods else "")
            + (f" and the corrections file {settings.matches}" if settings.matches else "")
            + ". The logs themselves are sent to the workers.")


def for_cluster(settings: Settings) -> Settings:
    """The settings with OUTDIR, the food database and the corrections file as absolute
    paths: a relative one would be read against each worker's own working folder."""
    def absolute(path):
        return None if path is None else type(path)(os.path.abspath(path))

    return replace(settings, outdir=Path(os.path.abspath(settings.outdir)),
                   foods=absolute(settings.foods), matches=absolute(settings.matches))


def workers_not_seeing(client, outdir: Path) -> list[str]:
    """The workers that do not see OUTDIR as this process does: a marker file is written
    into it, and each worker is asked whether it finds it with the same contents."""
    token = uuid.uuid4().hex
    marker = Path(outdir) / STATE_DIR / f"workers-see-{token[:12]}"
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(token, encoding="utf-8")
    try:
        answers = client.run(sees_marker, str(marker), token)
    finally:
        with suppress(OSError):
            marker.unlink()
    return sorted(worker for worker, seen in answers.items() if not seen)


def sees_marker(path: str, token: str) -> bool:
    """On a worker: whether the marker file is there with the token in it."""
    try:
        return Path(path).read_text(encoding="utf-8") == token
    except OSError:
        return False


def connect(address: str, timeout: float = 10.0):
    """A dask.distributed Client for the scheduler at `address` (tcp://host:port)."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise ClusterError(f"--scheduler needs Dask distributed, which is not installed; "
                           f"install it with: {INSTALL_HINT}") from None
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({exc}); check the "
                           "address (tcp://host:8786) and that the scheduler is running") \
            from None


def run_on_cluster(client, jobs: list[ClientJob], settings: Settings, on_outcome,
                   in_flight: int | None = None) -> None:
    """Run the jobs on the cluster, a few per worker at a time, reporting each as it ends."""
    from dask.distributed import as_completed

    if in_flight is None:
        in_flight = max(2, 2 * sum(client.nthreads().values()))
    queue = list(reversed(jobs))
    pending: dict = {}

    def submit() -> None:
        while queue and len(pending) < in_flight:
            job = queue.pop()
            future = client.submit(run_client, _with_log_bytes(job), settings, pure=False,
                                   key=f"nutrigap-{job.log.client}-{job.fingerprint[:12]}")
            pending[future] = job
            finished.add(future)

    finished = as_completed([], loop=client.loop)
    submit()
    for future in finished:
        job = pending.pop(future)
        try:
            outcome = future.result()
        except Exception as exc:  # a worker died or the task could not be shipped
            outcome = Outcome(job.log.client, job.log.name, None,
                              f"the Dask cluster could not run this client ({exc}); run the "
                              "batch again to retry it")
        on_outcome(outcome)
        future.release()
        submit()


def _with_log_bytes(job: ClientJob) -> ClientJob:
    from dataclasses import replace

    # The log travels with its job, read only when sent (memory stays flat), so the workers
    # need not see INPUT. With no row list its row numbers stay those of the file.
    if job.log.data is not None:
        return job
    return replace(job, log=replace(job.log, data=job.log.read(), rows=()))


@contextmanager
def cluster_executor(address: str, settings: Settings) -> Iterator:
    """Connect to the scheduler; yields the `execute` function runner.run_batch takes."""
    client = connect(address)

    def execute(jobs: list[ClientJob], on_outcome) -> None:
        if not jobs:
            return
        blind = workers_not_seeing(client, settings.outdir)
        if blind:
            raise ClusterError(
                f"the Dask worker{'s' if len(blind) > 1 else ''} {', '.join(blind)} cannot see "
                f"{settings.outdir} (a file written there was not found at that path); put "
                "OUTDIR on storage every worker reaches at the same path (a shared or network "
                "drive) and run the batch again")
        run_on_cluster(client, jobs, settings, on_outcome)

    try:
        yield execute
    finally:
        client.close()
