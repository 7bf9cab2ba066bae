"""The routes: the upload page, one log's report, a caseload's zip, the CSV template, and the
error pages."""

from __future__ import annotations

import functools
import io
import re
import tempfile
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    render_template,
    request,
    send_file,
)
from werkzeug.exceptions import HTTPException

from nutrigap.web import forms, tasks
from nutrigap.web.security import report_policy
from nutrigap.workers import Busy, TooSlow, WorkerFailed, where

bp = Blueprint("web", __name__)


class PageError(Exception):
    """Something to tell the person above the form, with the HTTP status to send."""

    def __init__(self, status: int, title: str, message: str = "",
                 problems: list[str] | None = None, retry_after: int | None = None):
        super().__init__(title)
        self.status, self.title, self.message = status, title, message
        self.problems = problems or []
        self.retry_after = retry_after


FIELDS_NEED_CHANGE = "Some fields need a change"


@functools.cache
def _diets() -> list[tuple[str, str]]:
    from nutrigap.analyzer.suggestions import diet_table

    return [(name, row["description"]) for name, row in diet_table().iterrows()]


def _choices() -> dict:
    """What the templates list as choices, from the same tables the forms check against."""
    return {"sexes": forms.SEXES, "stages": forms.STAGES, "papers": forms.PAPERS,
            "diets": _diets(), "formats": forms.CASELOAD_FORMATS,
            "max_upload_mb": f"{float(current_app.config['MAX_UPLOAD_MB']):g}"}


def _require_form() -> None:
    """Uploads come as multipart/form-data, as the page's own forms send them."""
    if request.mimetype != "multipart/form-data":
        abort(415, description=f'The form was sent as "{request.mimetype or "nothing"}"; '
                               "files can only be uploaded as multipart/form-data. Use the "
                               "form on this page, or send it that way (curl -F).")


def _foods() -> str | None:
    """The food database the workers were set up with (see create_app)."""
    return current_app.extensions["nutrigap_foods"]


def _in_worker(func, *args, timeout: float):
    """Run a job in a worker process; its refusals and failures become a PageError."""
    try:
        result = current_app.extensions["nutrigap_pool"].run(func, *args, timeout=timeout)
    except TooSlow:
        raise PageError(503, "The analysis took too long",
                        f"It ran for {timeout:g} seconds and was stopped. Very long logs take "
                        "longest: split the file into smaller ones (for example one per "
                        "month) and upload them one at a time.") from None
    except Busy:
        raise PageError(503, "The server is busy", "Other uploads are being analysed; try "
                        "again in a minute.", retry_after=60) from None
    except WorkerFailed as exc:
        current_app.logger.error("a worker failed: %s", exc)  # the place, not the upload
        raise PageError(500, "Something went wrong", "The server failed while working on "
                        "this file. Try again; if it happens again, the file may have found "
                        "a bug in nutrigap.") from None
    if "error" in result:
        if result["problems"]:
            raise PageError(400, "The file could not be used", "Fix these rows in your "
                            "spreadsheet, save it as CSV and choose it again:",
                            result["problems"])
        raise PageError(400, "The report could not be made", result["error"])
    return result


def _page(template: str, form, status: int = 200, error: PageError | None = None):
    response = make_response(render_template(
        template, values=form.values, errors=form.errors, error=error, **_choices()), status)
    if error is not None and error.retry_after:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


@bp.get("/")
def index():
    """The upload page."""
    return _page("index.html", forms.AnalysisForm(forms.empty_analysis_values()))


@bp.post("/analyze")
def analyze():
    """One meal log to its report: a PDF download, or the HTML page to read in the browser."""
    _require_form()
    form = forms.read_analysis_form(request.form, request.files)
    if not form.ok:
        return _page("index.html", form, 400, PageError(400, FIELDS_NEED_CHANGE))
    try:
        result = _in_worker(tasks.analyze_upload, form.log.data, form.log.name, form.choices(),
                            _foods(), timeout=float(current_app.config["ANALYSIS_TIMEOUT"]))
    except PageError as exc:
        return _page("index.html", form, exc.status, exc)
    body = result["body"]
    if form.values["output"] == "html":
        response = make_response(body)
        response.headers["Content-Security-Policy"] = report_policy(body)
        response.headers["Content-Disposition"] = (
            f"inline; filename={_safe_stem(form.log.stem)}-report.html")
        return response
    return send_file(io.BytesIO(body), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{_safe_stem(form.log.stem)}-report.pdf")


def _safe_stem(stem: str) -> str:
    """A download name that any file system takes: letters, digits, '-', '_' and '.'."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.")
    return cleaned[:80] or "meal-log"


@bp.get("/caseload")
def caseload_form():
    """The dietitian's page: many clients' logs to one zip of reports."""
    return _page("caseload.html", forms.CaseloadForm(forms.empty_caseload_values()))


@bp.post("/caseload")
def caseload():
    """A caseload to a zip: one report per client, summary.csv, errors.csv, the overview."""
    _require_form()
    form = forms.read_caseload_form(request.form, request.files)
    if not form.ok:
        return _page("caseload.html", form, 400, PageError(400, FIELDS_NEED_CHANGE))
    try:
        # removed, with everything the batch wrote, before the response goes out
        with tempfile.TemporaryDirectory(prefix="nutrigap-web-") as workdir:
            _lay_out(Path(workdir), form)
            # each client has the time one log has on the first page
            result = _in_worker(tasks.caseload_zip, workdir, tuple(form.values["formats"]),
                                _foods(), float(current_app.config["ANALYSIS_TIMEOUT"]),
                                timeout=float(current_app.config["CASELOAD_TIMEOUT"]))
    except PageError as exc:
        return _page("caseload.html", form, exc.status, exc)
    response = send_file(io.BytesIO(result["body"]), mimetype="application/zip",
                         as_attachment=True, download_name="nutrigap-caseload.zip")
    response.headers["X-Nutrigap-Clients"] = f"{result['ran']} done, {result['failed']} failed"
    return response


def _lay_out(folder: Path, form: forms.CaseloadForm) -> None:
    """The uploads as the batch reads them: logs/, clients.csv and the target files."""
    (folder / tasks.LOGS_DIR).mkdir()
    for upload in form.logs:
        (folder / tasks.LOGS_DIR / upload.name).write_bytes(upload.data)
    (folder / tasks.CLIENTS_FILE).write_bytes(form.clients.data)
    for upload in form.targets:
        (folder / upload.name).write_bytes(upload.data)


@bp.get("/template.csv")
def template_csv():
    """The meal-log template to fill in."""
    path = current_app.config.get("TEMPLATE_CSV")
    if not path or not Path(path).is_file():
        abort(404, description="The CSV template is not installed with this copy of nutrigap. "
                               "Make a CSV with the columns date, meal, food, amount, unit.")
    return send_file(path, mimetype="text/csv", as_attachment=True,
                     download_name="nutrigap-template.csv")


# --- error pages ---------------------------------------------------------------------------


# Title and words per status, for the errors this app does not describe itself.
_PAGES = {
    404: ("Page not found", "There is no page at this address. Start again from the upload "
                            "page."),
    405: ("Not a way to use this page", "This address takes uploads from the form only. Start "
                                        "again from the upload page."),
    415: ("Not an upload", "Files can only be uploaded with the form on the upload page."),
    500: ("Something went wrong", "The server hit an error it did not expect. Try again; if "
                                  "it happens again, please report it."),
}


def _words(error: HTTPException) -> tuple[str, str]:
    title, default = _PAGES.get(error.code, (error.name, error.name))
    # a description given where the error was raised says more than the generic words
    given = error.description if error.description != type(error).description else None
    return title, given or default


def register_error_pages(app) -> None:
    """Friendly pages for the HTTP errors, and the 413 page for an upload over the limit."""

    @app.errorhandler(413)
    def too_large(error):
        from nutrigap.web.limits import MAX_FILES, TooManyFiles

        if isinstance(error, TooManyFiles):
            return render_template("error.html", title="Too many files", code=413, message=(
                f"One upload may carry up to {MAX_FILES} files. Upload a caseload in parts, "
                f"or as one CSV with a client column.")), 413
        length = request.content_length
        if length is not None and length <= app.config["MAX_CONTENT_LENGTH"]:
            # within the size limit: too many parts, or too long a text field
            return render_template("error.html", title="The form is too large", code=413,
                                   message=(
                f"A form may have up to {app.config['MAX_FORM_PARTS']} parts (files and "
                f"fields), and a text field up to {app.config['MAX_FORM_MEMORY_SIZE'] // 1000:,} "
                "KB. Use the form on this page as it is.")), 413
        limit = f"{float(app.config['MAX_UPLOAD_MB']):g}"
        return render_template("413.html", max_upload_mb=limit), 413

    @app.errorhandler(HTTPException)
    def http_error(error):
        title, message = _words(error)
        return render_template("error.html", title=title, code=error.code,
                               message=message), error.code

    @app.errorhandler(TimeoutError)
    def stalled(_error):
        # the upload stopped arriving (nutrigap serve's read timeout)
        return render_template("error.html", title="The upload stalled", code=408, message=(
            "The file stopped arriving before the whole form was received. Check the "
            "connection and send it again.")), 408

    @app.errorhandler(Exception)
    def unexpected(error):
        # the kind and place only: an exception's text may quote what was uploaded
        app.logger.error("unexpected error: %s", where(error))
        title, message = _PAGES[500]
        return render_template("error.html", title=title, code=500, message=message), 500
