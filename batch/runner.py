"""Run a caseload: plan one job per client, skip those already done, run the rest in parallel,
then write summary.csv, errors.csv and the caseload overview."""

from __future__ import annotations

import difflib
import json
import multiprocessing
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from nutrigap.analyzer.limits import MAX_TARGETS_BYTES
from nutrigap.atomic import (
    CannotWrite,
    check_outputs,
    describe_os_error,
    output_problem,
    read_files,
)
from nutrigap.batch.client_jobs import (
    STATE_DIR,
    ClientJob,
    Outcome,
    Settings,
    check_settings,
    fingerprint,
    init_worker,
    output_path,
    outputs_intact,
    run_client,
    stamp_path,
    sweep_temp_files,
    too_slow,
)
from nutrigap.batch.clients import ClientBook, read_clients
from nutrigap.batch.inputs import (
    NOT_READ_RULE,
    BadBatchInput,
    Discovery,
    Failure,
    client_key,
    discover,
    read_capped,
)
from nutrigap.batch.lock import holding
from nutrigap.batch.summary import SUMMARY_COLUMNS, batch_files, write_batch_files
from nutrigap.workers import GRACE_SECONDS, TooSlow, WorkerPool

OnOutcome = Callable[[Outcome], None]
CRASHED = ("a worker process stopped while this client was being done (out of memory, or a "
           "crash in a library); run the batch again to retry it")


@dataclass
class Plan:
    """The clients to run now, the ones already up to date, and the ones that cannot run."""

    todo: list[ClientJob] = field(default_factory=list)
    current: list[dict] = field(default_factory=list)  # summary rows of up-to-date clients
    failures: list[Failure] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)  # files in INPUT that are not logs
    unlogged: list[str] = field(default_factory=list)  # in clients.csv but with no log


@dataclass
class BatchResult:
    """What a batch did: how many clients were run and skipped, what failed, what it wrote."""

    ran: int
    skipped: int
    failures: list[Failure]
    rows: list[dict]
    written: list[Path]
    plan: Plan


def plan_batch(input_path: Path, clients_path: Path, settings: Settings, *,
               force: bool = False, shown_as: Path | None = None) -> Plan:
    """Read clients.csv and INPUT and decide, client by client, what has to be done;
    `shown_as` names INPUT in messages, summary.csv and errors.csv (see inputs.discover)."""
    if Path(input_path).resolve() == settings.outdir.resolve():
        raise BadBatchInput("OUTDIR is the INPUT folder; write the reports to another folder "
                            "(-o reports/) so they are not read back as logs")
    with open(clients_path, "rb") as fp:
        book = read_clients(fp, folder=clients_path.resolve().parent)
    found = discover(input_path, skip=(clients_path, settings.outdir), shown_as=shown_as)
    inputs = {"clients.csv": clients_path, "--matches": settings.matches,
              "--foods": settings.foods, "INPUT": input_path,
              **{f"the log {log.name}": log.file for log in found.logs},
              **{f'the targets file "{row.targets}"': book.targets_path(row)
                 for row in book.rows.values()}}
    # the caseload's own files must not land on anything the batch reads
    check_outputs({name: settings.outdir / name for name in batch_files(settings.formats)},
                  inputs)
    return make_plan(found, book, settings, force=force, reads=read_files(inputs))


def make_plan(found: Discovery, book: ClientBook, settings: Settings, *,
              force: bool = False, reads: dict | None = None) -> Plan:
    """One job per client with a log and a usable clients.csv row; a failure for the others.
    `reads` (atomic.read_files) are the files the batch reads, which no report may replace."""
    plan = Plan(failures=list(found.failures), ignored=list(found.ignored))
    ids = book.ids()
    seen = {client_key(c.client) for c in [*found.logs, *found.failures]}
    plan.unlogged = sorted(c for key, c in ids.items() if key not in seen)
    rowless = [log.client for log in found.logs if client_key(log.client) not in ids]
    for client in plan.unlogged:
        plan.failures.append(no_log(client, found, book, near(client, rowless)))
    for log in found.logs:
        # the report files take the id as clients.csv writes it: Alice.csv -> alice.pdf
        log = replace(log, client=ids.get(client_key(log.client), log.client))
        file = log.name
        if log.client in book.problems:
            plan.failures.append(Failure(log.client, file, book.problems[log.client]))
            continue
        person = book.rows.get(log.client)
        if person is None:
            message = (f'"{log.client}" has no row in clients.csv; add one with at least '
                       "client, age and sex")
            other = near(log.client, plan.unlogged)
            if other:
                message += (f'; or, if this is client "{other}" of clients.csv (who has no '
                            "log), spell the id the same in both")
            plan.failures.append(Failure(log.client, file, message))
            continue
        blocked = _blocked_output(log.client, settings, reads or {})
        if blocked:
            plan.failures.append(Failure(log.client, file, blocked))
            continue
        targets_file = book.targets_path(person)
        targets = None
        if targets_file is not None:
            try:
                # no more than the reader takes: the cell may name a device such as /dev/zero
                targets = read_capped(targets_file, MAX_TARGETS_BYTES)
            except OSError as exc:
                plan.failures.append(Failure(log.client, file, (
                    f'clients.csv row {person.row}: targets file "{person.targets}" cannot be '
                    f"read ({exc.strerror}: {targets_file}); the path is relative to "
                    "clients.csv")))
                continue
        job = ClientJob(log, person, targets, str(targets_file) if targets_file else None,
                        fingerprint(log, person, targets, settings))
        row = None if force else up_to_date(job, settings)
        if row is not None:
            plan.current.append(row)
        else:
            plan.todo.append(job)
    return plan


def _blocked_output(client: str, settings: Settings, reads: dict) -> str | None:
    """Why one of a client's report files cannot be written without destroying data (it is
    a file the batch reads, or not a regular file), or None."""
    for fmt in settings.formats:
        path = output_path(settings, client, fmt)
        problem = output_problem(path, reads)
        if problem:
            return f"cannot write the report {path}: {problem}"
    return None


def no_log(client: str, found: Discovery, book: ClientBook, near: str | None = None
           ) -> Failure:
    """The failure of a client in clients.csv with no log in INPUT: in errors.csv and the
    caseload overview, so nobody on the list drops out of the batch unseen. `near` is a
    client of INPUT with no clients.csv row whose id is close to this one (a typo)."""
    where, expected = found.missing_log(client)
    person = book.rows.get(client)
    row = f"row {person.row}" if person else "their row"
    what = "rows" if found.shared else "log"
    message = (f"no log found: {expected}; add the client's {what}, or remove {row} from "
               "clients.csv")
    if near:
        message += (f'; is the log of "{near}" (which has no row in clients.csv) this '
                    "client's? Then spell the id the same in both")
    if client in book.problems:
        message += "\n" + book.problems[client]
    return Failure(client, where, message)


def near(client: str, others: list[str]) -> str | None:
    """The one id among `others` so like `client` that it is probably a typo of it."""
    keys = {client_key(o): o for o in others}
    close = difflib.get_close_matches(client_key(client), list(keys), n=2, cutoff=0.8)
    return keys[close[0]] if len(close) == 1 else None


def up_to_date(job: ClientJob, settings: Settings) -> dict | None:
    """The client's summary row when their reports are the ones their stamp records (size and
    SHA-256) and newer than everything they are made from (log, targets file, match
    corrections); otherwise None."""
    try:
        stamp = json.loads(stamp_path(settings.outdir, job.log.client).read_text("utf-8"))
        if stamp.get("fingerprint") != job.fingerprint:
            return None
        sources = [job.targets_file, settings.matches]
        if job.log.data is None:  # a shared file's rows are compared by content instead
            sources.append(str(job.log.file))
        newest = max((os.stat(s).st_mtime_ns for s in sources if s), default=0)
        for fmt in settings.formats:
            if os.stat(output_path(settings, job.log.client, fmt)).st_mtime_ns < newest:
                return None
        if not outputs_intact(stamp, settings, job.log.client):
            return None
    except (OSError, ValueError, AttributeError):
        return None
    row = stamp.get("summary")
    # a row from before summary.csv gained a column is made again rather than left blank
    return row if isinstance(row, dict) and set(SUMMARY_COLUMNS) <= set(row) else None


def run_local(jobs: list[ClientJob], settings: Settings, workers: int,
              on_outcome: OnOutcome) -> None:
    """Run the jobs on `workers` worker processes (in this process when there is one)."""
    if workers <= 1 or len(jobs) <= 1:
        init_worker(settings.foods, settings.matches)
        for job in jobs:
            on_outcome(run_client(job, settings))
        return
    size = min(workers, len(jobs))
    # Each job stops itself at the time limit (run_client); a worker stuck where it cannot
    # is killed a little later, and its client alone fails.
    hard_limit = settings.time_limit + GRACE_SECONDS if settings.time_limit else None
    pool = WorkerPool(size, hard_limit, initializer=init_worker,
                      initargs=(settings.foods, settings.matches))
    pool_context(settings)
    todo = iter(jobs)
    take = threading.Lock()
    done: queue.Queue[Outcome] = queue.Queue()
    # less a little: file times come from a coarser clock than time_ns()
    started_ns = time.time_ns() - 50_000_000

    def feed() -> None:
        while True:
            with take:
                job = next(todo, None)
            if job is None:
                return
            done.put(_run_in(pool, job, settings, started_ns))

    threads = [threading.Thread(target=feed, daemon=True, name=f"nutrigap-feed-{n}")
               for n in range(size)]
    try:
        for thread in threads:
            thread.start()
        for _ in jobs:
            on_outcome(done.get())
    finally:
        pool.close(busy_too=True)


def _run_in(pool: WorkerPool, job: ClientJob, settings: Settings, started_ns: int) -> Outcome:
    """One client in a worker of the pool; a worker killed at the time limit, or one that
    died, costs this client alone."""
    try:
        return pool.run(run_client, job, settings)
    except TooSlow:
        return Outcome(job.log.client, job.log.name, None, too_slow(settings.time_limit))
    except Exception:  # the worker died (out of memory, a crash in a library)
        return lost_outcome(job, settings, started_ns)


def pool_context(settings: Settings):
    """The forkserver the pool's workers are forked from, started now so that it imports the
    analysis and report libraries while this process reads the caseload; each worker then
    starts with them imported (once, not once per worker)."""
    # forkserver: workers start from a clean process, not a copy of this one and its threads
    context = multiprocessing.get_context("forkserver")
    modules = ["nutrigap.batch.client_jobs", "nutrigap.analyzer.pipeline", "nutrigap.foods.store",
               "nutrigap.reports.render"]
    if "pdf" in settings.formats or "html" in settings.formats:
        modules += ["nutrigap.reports.templating", "weasyprint"]
    context.set_forkserver_preload(modules)  # only heeded when the server is not yet running
    from multiprocessing import forkserver

    forkserver.ensure_running()
    return context


def lost_outcome(job: ClientJob, settings: Settings, started_ns: int) -> Outcome:
    """The outcome of a job whose worker died: it may have finished the client just before,
    in which case its stamp, written after its reports and after `started_ns`, says so;
    otherwise the client is reported as lost, to be retried."""
    stamp = stamp_path(settings.outdir, job.log.client)
    try:
        if stamp.stat().st_mtime_ns >= started_ns:
            row = up_to_date(job, settings)
            if row is not None:
                return Outcome(job.log.client, job.log.name, row, None)
    except OSError:
        pass
    return Outcome(job.log.client, job.log.name, None, CRASHED)


class Progress:
    """A tqdm bar on a terminal; one plain line per client in a log file or pipe."""

    def __init__(self, total: int, stream=None):
        self.total, self.count = total, 0
        self.stream = stream or sys.stderr
        self.bar = None
        if total and hasattr(self.stream, "isatty") and self.stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=self.stream, unit="client", dynamic_ncols=True)

    def __call__(self, outcome: Outcome) -> None:
        self.count += 1
        first_line = (outcome.message or "").splitlines()[0] if outcome.message else ""
        if self.bar is not None:
            if not outcome.ok:
                self.bar.write(f"{outcome.client}: failed: {first_line}", file=self.stream)
            self.bar.update(1)
            return
        status = f"done in {outcome.seconds:.1f} s" if outcome.ok else f"failed: {first_line}"
        print(f"[{self.count}/{self.total}] {outcome.client}: {status}", file=self.stream,
              flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_batch(input_path: Path, clients_path: Path, settings: Settings, *,
              workers: int | None = None, force: bool = False,
              execute: Callable[[list[ClientJob], OnOutcome], None] | None = None,
              stream=None, shown_as: Path | None = None) -> BatchResult:
    """The whole batch: plan, run what is not done yet, write the caseload files. One batch
    at a time writes into an output folder (batch.lock); a second one is refused."""
    with holding(settings.outdir / STATE_DIR, settings.outdir):
        return _run_batch(input_path, clients_path, settings, workers=workers, force=force,
                          execute=execute, stream=stream, shown_as=shown_as)


def _run_batch(input_path, clients_path, settings, *, workers, force, execute, stream,
               shown_as) -> BatchResult:
    sweep_temp_files(settings.outdir)  # after taking the lock: no other batch is writing
    plan = plan_batch(input_path, clients_path, settings, force=force, shown_as=shown_as)
    outcomes: list[Outcome] = []
    workers = workers or os.cpu_count() or 1
    if plan.todo:
        in_process = execute is None and (workers <= 1 or len(plan.todo) <= 1)
        if execute is None and not in_process:
            pool_context(settings)
        check_settings(settings, keep=in_process)
    progress = Progress(len(plan.todo), stream)

    def record(outcome: Outcome) -> None:
        outcomes.append(outcome)
        progress(outcome)

    try:
        if execute is None:
            run_local(plan.todo, settings, workers, record)
        else:
            execute(plan.todo, record)
    finally:
        progress.close()
    failures = plan.failures + [Failure(o.client, o.file, o.message or "") for o in outcomes
                                if not o.ok]
    rows = plan.current + [o.summary for o in outcomes if o.ok and o.summary is not None]
    try:
        written = write_batch_files(settings.outdir, settings.formats, rows, failures,
                                    not_read=[p.name for p in plan.ignored])
    except OSError as exc:
        raise CannotWrite(f"cannot write {exc.filename or 'the caseload files'} "
                          f"({describe_os_error(exc)}); the client reports written so far are "
                          "whole and kept: make room or choose a folder you can write to, and "
                          "run the same command again") from None
    ran = sum(o.ok for o in outcomes)
    return BatchResult(ran, len(plan.current), _sorted(failures), rows, written, plan)


def _sorted(failures: Iterable[Failure]) -> list[Failure]:
    return sorted(failures, key=lambda f: (f.client, f.file))


def describe(result: BatchResult, settings: Settings) -> list[str]:
    """What the batch did, in a few lines for the terminal."""
    total = result.ran + result.skipped + len(result.failures)
    lines = [f"{total} client{'s' if total != 1 else ''}: {result.ran} done now, "
             f"{result.skipped} already up to date (skipped), {len(result.failures)} failed"]
    if result.failures:
        lines.append(f"The {len(result.failures)} failed client"
                     f"{'s are' if len(result.failures) != 1 else ' is'} listed with the "
                     f"reason in {settings.outdir / 'errors.csv'}; fix them and run the same "
                     "command again (finished clients are skipped).")
    plan = result.plan
    if plan.unlogged:
        lines.append(f"In clients.csv but with no log (counted as failed): "
                     f"{_names(plan.unlogged)}")
    if plan.ignored:
        lines.append(f"Not read, as not meal logs ({NOT_READ_RULE}): "
                     + _names([p.name for p in plan.ignored]))
    lines.append("Wrote " + ", ".join(str(p) for p in result.written))
    return lines


def _names(names: list[str], most: int = 10) -> str:
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more
