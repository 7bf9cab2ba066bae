"""What every edge (the command line, a batch worker, a web worker) does around the pure core:
read the match corrections, stamp a report's options with today's date and the installed
version, and keep the solver's own printing off the terminal while a log is analysed.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from datetime import date
from importlib.metadata import PackageNotFoundError, version

import pandas as pd

from nutrigap.analyzer.errors import BadCorrections
from nutrigap.analyzer.logs import LogInfo
from nutrigap.analyzer.pipeline import Analyzer, Options
from nutrigap.analyzer.scoring import Profile


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
    """The corrections CSV (name,food_id) as a DataFrame; its rows are checked by Analyzer."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except (ValueError, OSError) as exc:  # empty, unparsable or not UTF-8
        raise BadCorrections(f"the matches file {path} cannot be read as CSV ({exc}); write "
                             'one line per logged name, e.g. "oj,sr:09206", under the header '
                             "name,food_id") from None


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
