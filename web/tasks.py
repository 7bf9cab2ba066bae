"""The work done in a worker process: one meal log to a report, or a caseload to a zip.

Each task returns a plain dict, `{"body": ...}` or `{"error": ..., "problems": [...]}`, so that
the core's exceptions (which carry lists of problems) reach the server as the same words.
"""

from __future__ import annotations

import io
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


def load(foods: str | None) -> None:
    """Set this worker up (the pool's initializer): its Analyzer over the food database the
    server chose (None: the built-in table, with the user's database if one appears), and one
    tiny PDF so that the fonts are found before the first real report is drawn."""
    from nutrigap.reports.pdf import html_to_pdf
    from nutrigap.runtime import kept_analyzer

    try:
        kept_analyzer(foods)
    except NutrigapError:
        return  # kept: every task reports it rather than the worker dying
    html_to_pdf("<p>nutrigap</p>")


def failure(exc: NutrigapError) -> dict:
    """An error of the core as plain data: its message, and its row problems if it has any."""
    problems = [str(p) for p in getattr(exc, "problems", [])]
    total = getattr(exc, "total", len(problems))
    if total > len(problems):
        problems.append(f"... and {total - len(problems)} more problems of the same kinds")
    return {"error": str(exc), "problems": problems}


def analyze_upload(data: bytes, filename: str, choices: dict, foods: str | None) -> dict:
    """One uploaded meal log to a PDF (bytes) or HTML page (text), as `choices` asks; `foods`
    is the food database the worker was set up with."""
    try:
        report = _report(data, filename, choices, foods)
        from nutrigap.reports import render

        if choices["output"] == "html":
            return {"body": render.to_html(report, paper=choices["paper"])}
        return {"body": render.to_pdf(report, paper=choices["paper"])}
    except NutrigapError as exc:
        return failure(exc)


def _report(data: bytes, filename: str, choices: dict, foods: str | None) -> dict:
    from nutrigap.analyzer.errors import BadMealLog
    from nutrigap.analyzer.logs import SeveralClients, read_meal_log, several_clients_problem
    from nutrigap.runtime import analyze_quietly, kept_analyzer, report_options

    analyzer = kept_analyzer(foods)
    try:
        items, info = read_meal_log(io.BytesIO(data), one_person=True)
    except SeveralClients as exc:
        fix = ("upload it under \"A dietitian's caseload\", which makes one report per "
               "client, or upload a file with one client's rows")
        raise BadMealLog([several_clients_problem(exc.clients, fix)]) from None
    options = report_options(diet=tuple(choices["diet"]), exclude=tuple(choices["exclude"]),
                             log_name=filename)
    return analyze_quietly(analyzer, items, info, choices["profile"], options)


def caseload_zip(workdir: str, formats: tuple[str, ...], foods: str | None,
                 time_limit: float | None = None) -> dict:
    """Run the caseload laid out in `workdir` with one worker, each client within
    `time_limit` seconds (None: the batch's own limit); the reports as a zip (bytes)."""
    from nutrigap.batch.clients import BadClientList
    from nutrigap.runtime import kept_analyzer

    try:
        kept_analyzer(foods)  # a worker whose food table could not be loaded says so first
        folder = Path(workdir)
        check_target_files(folder)
        result = _run(folder, formats, foods, time_limit)
        return {"body": zip_folder(folder / REPORTS_DIR), "ran": result.ran,
                "failed": len(result.failures)}
    except BadClientList as exc:
        # the page shows several files' names; say which one the rows are in
        return {"error": str(exc), "problems": [f"clients.csv {p}" for p in exc.problems]}
    except NutrigapError as exc:
        return failure(exc)


def _run(folder: Path, formats: tuple[str, ...], foods: str | None, time_limit: float | None):
    from nutrigap.analyzer.limits import CLIENT_SECONDS
    from nutrigap.batch.client_jobs import Settings
    from nutrigap.batch.runner import run_batch

    logs = sorted((folder / LOGS_DIR).iterdir())
    shared = len(logs) == 1 and has_client_column(logs[0].read_bytes())
    source = logs[0] if shared else folder / LOGS_DIR
    settings = Settings(folder / REPORTS_DIR, formats, foods, None, time_limit or CLIENT_SECONDS)
    # summary.csv, errors.csv and the messages name the files as the dietitian uploaded
    # them, never by their place on the server
    return run_batch(source, folder / CLIENTS_FILE, settings, workers=1, stream=io.StringIO(),
                     shown_as=Path(source.name) if shared else Path("."))


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
