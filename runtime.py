"""What every edge (the command line, a batch worker, a web worker) does around the pure core:
keep one Analyzer per process, read the match corrections, stamp a report's options with
today's date and the installed version, and keep the solver's own printing off the terminal
while a log is analysed.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import threading
from datetime import date
from importlib.metadata import PackageNotFoundError, version

import pandas as pd

from nutrigap.analyzer.errors import BadCorrections, NutrigapError
from nutrigap.analyzer.logs import LogInfo
from nutrigap.analyzer.pipeline import Analyzer, Options
from nutrigap.analyzer.scoring import Profile
from nutrigap.foods.store import load_foods, resolve_db_path

# The Analyzer this process keeps: (what it was loaded from, the Analyzer, or the message of
# the load that failed). Pool workers, Dask workers and web workers each have their own.
_kept: tuple[tuple, Analyzer | None, str | None] | None = None
_kept_lock = threading.Lock()


def kept_analyzer(foods=None, matches=None) -> Analyzer:
    """The Analyzer this process keeps for a food database (None: the default lookup of
    `load_foods`) and a corrections file: loaded on first use, and again only when either
    file changes, so a long-lived worker sees an edited one. A load that fails raises its
    NutrigapError, and raises it again without reloading until a file changes."""
    global _kept
    key = (str(foods) if foods else None, str(matches) if matches else None,
           file_identity(resolve_db_path(foods)), file_identity(matches))
    with _kept_lock:
        if _kept is None or _kept[0] != key:
            _kept = None  # the old table is let go before the new one is loaded
            try:
                _kept = (key, load_analyzer(foods, matches), None)
            except NutrigapError as exc:
                _kept = (key, None, str(exc))
        _, analyzer, error = _kept
    if analyzer is None:
        raise NutrigapError(error)
    return analyzer


def forget_analyzer() -> None:
    """Let go of the kept Analyzer (a process that hands the work to others keeps none)."""
    global _kept
    with _kept_lock:
        _kept = None


def load_analyzer(foods=None, matches=None) -> Analyzer:
    """An Analyzer over the food table `load_foods(foods)` and the corrections file `matches`."""
    table = load_foods(foods)
    return Analyzer(table, read_corrections(matches) if matches else None)


def file_identity(path) -> str | None:
    """Changes when the file at `path` changes (size and modification time); None if absent."""
    if not path or not os.path.exists(path):
        return None
    stat = os.stat(path)
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def installed_version() -> str:
    """The installed nutrigap's version, for the report's heading and methods."""
    try:
        return version("nutrigap")
    except PackageNotFoundError:  # running from a checkout that was never pip-installed
        return "unknown"


def report_options(**choices) -> Options:
    """Options dated today and naming the installed version; `choices` are Options' fields."""
    return Options(generated=date.today(), version=installed_version(), **choices)


def read_corrections(path) -> pd.DataFrame:
    """The corrections file (name,food_id) at `path`, read as every user table is; its rows
    are checked by Analyzer. A problem names the file."""
    from nutrigap.analyzer.matching import read_corrections as read_table_of_corrections

    try:
        with open(path, "rb") as fp:
            return read_table_of_corrections(fp)
    except BadCorrections as exc:
        raise BadCorrections(f"{path}: {exc}") from None


def analyze_quietly(analyzer: Analyzer, items: pd.DataFrame, info: LogInfo,
                    profile: Profile | dict, options: Options) -> dict:
    """`analyzer.analyze(...)` with the solver's C-level printing kept off standard output."""
    with _solver_output_silenced():
        return analyzer.analyze(items, info, profile, options)


@contextlib.contextmanager
def _solver_output_silenced():
    """Standard output (file descriptor 1) pointed at the null device for the block.

    The plan's solver (HiGHS) writes some debugging lines with C's printf whatever its own
    options say, such as "HighsMipSolverData::transformNewIntegerFeasibleSolution
    tmpSolver.run();", which would reach the terminal looking like a crash. C's buffer is
    flushed before fd 1 is put back, so nothing is written late. While this runs, other
    threads' writes to fd 1 are lost too; nutrigap prints nothing while it analyses a log.
    """
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError, AttributeError):  # no fd 1 to redirect
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        _flush_c_stdout()
        os.dup2(saved, 1)
        os.close(saved)


def _flush_c_stdout() -> None:
    try:
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError, TypeError):  # no C library to ask (e.g. Windows)
        pass
