"""One client's job: read their log, analyse it, write each report format atomically
(nutrigap.atomic: a killed batch leaves the old report or the new one, and swept-up temporary
files)."""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from nutrigap.analyzer.errors import NutrigapError
from nutrigap.analyzer.limits import CLIENT_SECONDS
from nutrigap.analyzer.pipeline import Analyzer
from nutrigap.atomic import describe_os_error, sweep, write_atomic
from nutrigap.batch.clients import ClientRow
from nutrigap.batch.inputs import ClientLog
from nutrigap.batch.summary import summary_row
from nutrigap.runtime import (
    analyze_quietly,
    file_identity,
    forget_analyzer,
    kept_analyzer,
    report_options,
)
from nutrigap.workers import OutOfTime, time_limit, worker_memory_mb

FORMATS = ("pdf", "json", "csv", "html")
STATE_DIR = ".nutrigap-batch"  # per-client stamps: what each finished report was made from


@dataclass(frozen=True)
class Settings:
    """What every job of one batch shares."""

    outdir: Path
    formats: tuple[str, ...] = ("pdf",)
    foods: str | None = None  # food database path (None: the default lookup)
    matches: str | None = None  # match-corrections file
    time_limit: float | None = CLIENT_SECONDS  # seconds one client may take (None: no limit)


@dataclass(frozen=True)
class ClientJob:
    """Everything one client's reports are made from."""

    log: ClientLog
    person: ClientRow
    targets: bytes | None = None  # the client's target-override file, read by the batch
    targets_file: str | None = None
    fingerprint: str = ""


@dataclass(frozen=True)
class Outcome:
    """What became of one client: a summary row, or the message saying why not."""

    client: str
    file: str
    summary: dict | None = None
    message: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.message is None


def parse_formats(text: str) -> tuple[str, ...]:
    """'pdf,json' -> ('pdf', 'json'); raises ValueError naming an unknown format."""
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f'"{text}" is not a list of report formats; use one or more of '
                         f"{', '.join(FORMATS)} separated by commas, e.g. pdf,json")
    return formats


def output_path(settings: Settings, client: str, fmt: str) -> Path:
    """Where a client's report in one format goes."""
    return settings.outdir / f"{client}.{fmt}"


def stamp_path(outdir: Path, client: str) -> Path:
    """Where the stamp of a client's finished reports is kept."""
    return outdir / STATE_DIR / f"{client}.json"


def fingerprint(log: ClientLog, person: ClientRow, targets: bytes | None,
                settings: Settings) -> str:
    """Changes when anything a client's reports are made from changes."""
    parts = {
        "log": log.identity(),
        "person": person.model_dump(mode="json", exclude={"row"}),
        "targets": hashlib.sha256(targets).hexdigest() if targets is not None else None,
        "formats": sorted(settings.formats),
        "matches": file_identity(settings.matches),
        "foods": foods_identity(settings.foods),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def foods_identity(foods: str | None) -> dict:
    """Changes when the food data a report is made from changes: the imported database
    (after `nutrigap foods import`), or the built-in table and its rules (a new version)."""
    from nutrigap.foods.store import resolve_db_path

    return {"database": file_identity(resolve_db_path(foods)),
            "built_in": _built_in_digest()}


@functools.cache
def _built_in_digest() -> str:
    """A digest of the data files shipped with the package: foods, portions, aliases, the
    DRI table and the matching rules."""
    from importlib import resources

    digest = hashlib.sha256()
    for package in ("nutrigap.foods", "nutrigap.analyzer"):
        folder = resources.files(package).joinpath("data")
        for item in sorted(folder.iterdir(), key=lambda i: i.name):
            if item.is_file():
                digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return digest.hexdigest()


def init_worker(foods: str | None, matches: str | None) -> None:
    """Load this process's Analyzer (a pool's initializer); a load that fails is kept, and
    reported by every client this process runs, rather than the pool dying unexplained."""
    try:
        kept_analyzer(foods, matches)
    except NutrigapError:
        pass


def check_settings(settings: Settings, keep: bool) -> None:
    """Load the food table and corrections here first, so a bad --foods or --matches stops
    the batch with one message instead of failing every client; `keep` keeps them loaded."""
    try:
        kept_analyzer(settings.foods, settings.matches)
    finally:
        if not keep:
            forget_analyzer()


def run_client(job: ClientJob, settings: Settings) -> Outcome:
    """Make one client's reports within the time limit; any failure becomes the Outcome's
    message, never a raise."""
    started = time.perf_counter()
    file = job.log.name
    try:
        with time_limit(settings.time_limit):
            row = make_reports(job, settings)
        return Outcome(job.log.client, file, row, None, time.perf_counter() - started)
    except OutOfTime:
        message = too_slow(settings.time_limit)
    except NutrigapError as exc:
        message = str(exc)
    except MemoryError:
        message = out_of_memory()
    except OSError as exc:
        message = (f"cannot write {exc.filename or settings.outdir} ({describe_os_error(exc)}); "
                   "check that the output folder is writable and the disk is not full")
    except Exception as exc:  # a bug must cost one client, not the caseload
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = (f"unexpected error {type(exc).__name__}: {exc} (at {Path(where.filename).name}"
                   f" line {where.lineno}); please report it with this client's log")
    return Outcome(job.log.client, file, None, message, time.perf_counter() - started)


def make_reports(job: ClientJob, settings: Settings) -> dict:
    """Write a client's reports, then their stamp; returns their summary row."""
    stamp = stamp_path(settings.outdir, job.log.client)
    # no stamp while the outputs are being replaced: a batch killed now redoes this client
    stamp.unlink(missing_ok=True)
    report = analyze_client(job, kept_analyzer(settings.foods, settings.matches))
    outputs = {}
    for fmt in settings.formats:
        data = render(fmt, report)
        write_atomic(output_path(settings, job.log.client, fmt), data)
        outputs[fmt] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    row = summary_row(job.log.client, job.log.name, report)
    write_atomic(stamp, json.dumps({"fingerprint": job.fingerprint, "summary": row,
                                    "outputs": outputs}) + "\n")
    return row


def outputs_intact(stamp: dict, settings: Settings, client: str) -> bool:
    """Whether each of a client's report files is the one their stamp records (size and
    SHA-256): a report truncated, emptied or edited since is made again."""
    recorded = stamp.get("outputs")
    if not isinstance(recorded, dict) or set(recorded) != set(settings.formats):
        return False
    for fmt, expected in recorded.items():
        path = output_path(settings, client, fmt)
        if not isinstance(expected, dict) or os.stat(path).st_size != expected.get("size"):
            return False
        digest = hashlib.sha256()
        with open(path, "rb") as fp:
            for block in iter(lambda: fp.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != expected.get("sha256"):
            return False
    return True


def too_slow(seconds: float | None) -> str:
    """The message of a client stopped at the time limit."""
    return (f"took longer than the {seconds:g} second{'' if seconds == 1 else 's'} a client "
            "may take, and was stopped; split the log into shorter ones (one per few months), "
            "or give nutrigap batch more time with --time-per-client")


def out_of_memory() -> str:
    """The message of a client that needed more memory than a worker may use."""
    return (f"needed more memory than a worker process may use ({worker_memory_mb()} MB, "
            "$NUTRIGAP_WORKER_MEMORY_MB); split the log into shorter ones (one per few months), "
            "or raise the limit")


def analyze_client(job: ClientJob, analyzer: Analyzer) -> dict:
    """The report dict for one client, with their log's row numbers as the file shows them."""
    from nutrigap.analyzer.logs import read_meal_log

    log = job.log
    # A client's rows of a shared file keep the row numbers that file shows.
    items, info = read_meal_log(io.BytesIO(log.read()),
                                row_numbers=log.rows or None)
    profile = job.person.profile()
    overrides = None
    if job.targets is not None:
        from nutrigap.analyzer.scoring import read_overrides

        try:
            overrides = read_overrides(io.BytesIO(job.targets))
        except NutrigapError as exc:
            # named as clients.csv names it: an absolute path would show a server's folders
            raise NutrigapError(f'targets file "{job.person.targets}": {exc}') from None
    options = report_options(diet=job.person.diet, overrides=overrides, log_name=log.client)
    return analyze_quietly(analyzer, items, info, profile, options)


def render(fmt: str, report: dict) -> bytes:
    """One report format as bytes."""
    from nutrigap.reports import render as renderers

    content = getattr(renderers, f"to_{fmt}")(report)
    return content.encode("utf-8") if isinstance(content, str) else content


def sweep_temp_files(outdir: Path) -> int:
    """Remove the half-written files a killed batch left behind; returns how many."""
    return sweep(outdir) + sweep(outdir / STATE_DIR)
