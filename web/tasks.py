"""The work done in a worker process: one meal log to a report, or a caseload to a zip.

Each task returns a plain dict, `{"body": ...}` or `{"error": ..., "problems": [...]}`, so that
the core's exceptions (which carry lists of problems) reach the server as the same words.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from nutrigap.analyzer.errors import NutrigapError

# Imported once by the fork server that starts the workers.
PRELOAD = ("nutrigap.web.tasks", "nutrigap.analyzer.pipeline", "nutrigap.analyzer.logs",
           "nutrigap.reports.render",
           "nutrigap.reports.pdf", "weasyprint", "nutrigap.batch.runner")

# Inside a caseload's working folder: the uploaded logs, the clients file, the reports.
LOGS_DIR = "logs"
CLIENTS_FILE = "clients.csv"
REPORTS_DIR = "reports"

# Loaded once per worker process by `load`, then used by every task the worker runs.
_STATE: dict = {}


def load(foods: str | None) -> None:
    """Set this worker up (the pool's initializer): the food table and its matcher, and one
    tiny PDF so that the fonts are found before the first real report is drawn.

    `foods` is the food database the server chose; None means the built-in table only.
    """
    from nutrigap.analyzer.pipeline import matcher_for
    from nutrigap.foods.embedded import load_embedded
    from nutrigap.foods.store import load_foods
    from nutrigap.reports.pdf import html_to_pdf

    _STATE["foods"] = foods
    try:
        _STATE["table"] = load_foods(foods) if foods else load_embedded()
    except NutrigapError as exc:
        _STATE["error"] = str(exc)  # every task reports it rather than the worker dying
        return
    matcher_for(_STATE["table"])
    html_to_pdf("<p>nutrigap</p>")


def failure(exc: NutrigapError) -> dict:
    """An error of the core as plain data: its message, and its row problems if it has any."""
    problems = [str(p) for p in getattr(exc, "problems", [])]
    total = getattr(exc, "total", len(problems))
    if total > len(problems):
        problems.append(f"... and {total - len(problems)} more problems of the same kinds")
    return {"error": str(exc), "problems": problems}


def analyze_upload(data: bytes, filename: str, choices: dict) -> dict:
    """One uploaded meal log to a PDF (bytes) or HTML page (text), as `choices` asks."""
    try:
        if "error" in _STATE:
            raise NutrigapError(_STATE["error"])
        report = _report(data, filename, choices)
        from nutrigap.reports import render

        if choices["output"] == "html":
            return {"body": render.to_html(report, paper=choices["paper"])}
        return {"body": render.to_pdf(report, paper=choices["paper"])}
    except NutrigapError as exc:
        return failure(exc)


def _report(data: bytes, filename: str, choices: dict) -> dict:
    from nutrigap.analyzer.errors import BadMealLog
    from nutrigap.analyzer.logs import SeveralClients, read_meal_log, several_clients_problem
    from nutrigap.analyzer.pipeline import analyze

    try:
        items, info = read_meal_log(io.BytesIO(data), one_person=True)
    except SeveralClients as exc:
        fix = ("upload it under \"A dietitian's caseload\", which makes one report per "
               "client, or upload a file with one client's rows")
        raise BadMealLog([several_clients_problem(exc.clients, fix)]) from None
    return analyze(items, info, _STATE["table"], choices["profile"],
                   diet=tuple(choices["diet"]), exclude=tuple(choices["exclude"]),
                   log_name=filename)


def caseload_zip(workdir: str, formats: tuple[str, ...]) -> dict:
    """Run the caseload laid out in `workdir` with one worker; the reports as a zip (bytes)."""
    from nutrigap.batch.clients import BadClientList

    try:
        if "error" in _STATE:
            raise NutrigapError(_STATE["error"])
        folder = Path(workdir)
        check_target_files(folder)
        here = os.getcwd()
        # Relative paths make the file names in summary.csv and errors.csv the names the
        # dietitian uploaded, not paths on the server. A worker runs one task at a time.
        os.chdir(folder / LOGS_DIR)
        try:
            result = _run(formats)
        finally:
            os.chdir(here)
        return {"body": zip_folder(folder / REPORTS_DIR), "ran": result.ran,
                "failed": len(result.failures)}
    except BadClientList as exc:
        # the page shows several files' names; say which one the rows are in
        return {"error": str(exc), "problems": [f"clients.csv {p}" for p in exc.problems]}
    except NutrigapError as exc:
        return failure(exc)


def _run(formats: tuple[str, ...]):
    from nutrigap.batch.client_jobs import Settings
    from nutrigap.batch.runner import run_batch

    logs = sorted(Path(".").iterdir())
    shared = len(logs) == 1 and has_client_column(logs[0].read_bytes())
    source = logs[0] if shared else Path(".")
    settings = Settings(Path("..") / REPORTS_DIR, formats, _STATE["foods"], None)
    return run_batch(source, Path("..") / CLIENTS_FILE, settings, workers=1,
                     stream=io.StringIO())


def has_client_column(data: bytes) -> bool:
    """Whether a log's header has a `client` column (one file holding many clients)."""
    from nutrigap.analyzer.logs import head_of, read_table

    try:
        table, _ = read_table(head_of(data), what="meal log")
    except NutrigapError:
        return False  # the batch reads the file again and says what is wrong with it
    return "client" in table.names


def check_target_files(folder: Path) -> None:
    """Refuse a clients.csv whose `targets` cells name anything but an uploaded file.

    On a server, a path in that column must never reach the server's own files.
    """
    from nutrigap.analyzer.errors import Problem
    from nutrigap.batch.clients import BadClientList, read_clients

    with open(folder / CLIENTS_FILE, "rb") as fp:
        book = read_clients(fp, folder=folder)
    problems = []
    for row in book.rows.values():
        if row.targets is None:
            continue
        name = row.targets
        plain = name == Path(name).name and "\\" not in name and not name.startswith(".")
        if not plain or name in (CLIENTS_FILE, LOGS_DIR, REPORTS_DIR):
            problems.append(Problem(row.row, "targets", name,
                                    "must be just the file name of a target file uploaded "
                                    "with the caseload, without a folder"))
        elif not (folder / name).is_file():
            problems.append(Problem(row.row, "targets", name,
                                    "was not among the uploaded target files; add it under "
                                    "Target files"))
    if problems:
        raise BadClientList(problems)


def zip_folder(folder: Path) -> bytes:
    """The reports, summary.csv, errors.csv and caseload overview as one zip archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if path.is_file():  # not the batch's own state folder
                archive.write(path, path.name)
    return buffer.getvalue()
