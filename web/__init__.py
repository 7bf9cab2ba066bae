"""nutrigap's upload page: a meal log in, its report out (`nutrigap serve`).

`create_app` builds the Flask app; `views` holds the routes, `forms` checks what was entered,
`limits` caps the upload size, `security` sets the response headers, and `tasks` is the work
done in the worker processes (nutrigap.workers, which limit each one's time and memory).
"""

from __future__ import annotations

import atexit
import io
import os
import signal
import socket
import sys
from pathlib import Path

from flask import Flask, Request

from nutrigap.analyzer.errors import NutrigapError
from nutrigap.web.limits import (
    DEFAULT_UPLOAD_MB,
    MAX_FILES,
    MAX_FORM_PARTS,
    READ_TIMEOUT,
    TooManyFiles,
    upload_limit_bytes,
)
from nutrigap.workers import WorkerPool

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

DEFAULTS = {
    "MAX_UPLOAD_MB": DEFAULT_UPLOAD_MB,
    "FOODS": None,  # food database path; None: $NUTRIGAP_FOODS or the user's default
    "WORKERS": min(4, os.cpu_count() or 1),  # analyses running at once
    "ANALYSIS_TIMEOUT": 90,  # seconds for one log's analysis and report
    "CASELOAD_TIMEOUT": 600,  # seconds for a whole caseload
    "QUEUE_WAIT": 120,  # seconds a request may wait for a free worker
    "WORKER_MEMORY_MB": None,  # MB per worker; None: nutrigap.workers.worker_memory_mb()
    "READ_TIMEOUT": READ_TIMEOUT,  # seconds `nutrigap serve` waits for a stalled request
    "MAX_FORM_PARTS": MAX_FORM_PARTS,  # Flask's own setting (its MAX_FORM_MEMORY_SIZE, the
    # longest text field, stays 500,000 bytes)
    # The template lives with the examples in the source tree (an editable install uses it
    # where it is); None or a missing file makes the link say it is not installed.
    "TEMPLATE_CSV": Path(__file__).resolve().parent.parent / "examples" / "template.csv",
}


class CannotServe(NutrigapError):
    """The address or port to serve on cannot be used."""


class InMemoryRequest(Request):
    """Uploads are kept in memory (the size limit bounds them), never in a temporary file;
    a form may carry MAX_FILES files."""

    files_read = 0

    def _get_file_stream(self, total_content_length, content_type, filename=None,
                         content_length=None):
        self.files_read += 1
        if self.files_read > MAX_FILES:
            raise TooManyFiles()
        return io.BytesIO()


def create_app(test_config: dict | None = None) -> Flask:
    """The web app, with its worker pool; `test_config` overrides the settings above."""
    app = Flask(__name__)
    app.request_class = InMemoryRequest
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("NUTRIGAP_WEB")  # e.g. NUTRIGAP_WEB_MAX_UPLOAD_MB=20
    if test_config:
        app.config.from_mapping(test_config)
    app.config["MAX_CONTENT_LENGTH"] = upload_limit_bytes(float(app.config["MAX_UPLOAD_MB"]))
    foods = food_database(app.config["FOODS"])

    from nutrigap.web import tasks

    pool = WorkerPool(int(app.config["WORKERS"]), float(app.config["ANALYSIS_TIMEOUT"]),
                      initializer=tasks.load, initargs=(foods,),
                      wait=float(app.config["QUEUE_WAIT"]), preload=tasks.PRELOAD,
                      memory_mb=_optional_int(app.config["WORKER_MEMORY_MB"]))
    app.extensions["nutrigap_pool"] = pool
    app.extensions["nutrigap_foods"] = foods  # passed with each task, as to the initializer
    atexit.register(pool.close)

    from nutrigap.web import security, views

    app.register_blueprint(views.bp)
    views.register_error_pages(app)

    @app.after_request
    def _headers(response):
        from flask import request

        return security.add_headers(response, private=request.endpoint != "static")

    return app


def _optional_int(value) -> int | None:
    return None if value in (None, "") else int(float(value))


def food_database(option) -> str | None:
    """The food database the workers load (None: the built-in table only), decided here once.

    A database given by --foods or $NUTRIGAP_FOODS that is missing or unreadable is refused
    now, not at the first upload.
    """
    from nutrigap.foods.store import ENV_VAR, count_foods, resolve_db_path

    chosen = resolve_db_path(option)
    if option or os.environ.get(ENV_VAR):
        count_foods(chosen)
        return str(chosen)
    return str(chosen) if chosen.exists() else None


def make_app_server(host: str, port: int, app: Flask):
    """Werkzeug's threaded server for the app: it names no version in its Server header, and
    drops a connection that sends nothing for READ_TIMEOUT seconds, so that a stalled client
    does not hold a thread for ever (behind a reverse proxy, the proxy does this too)."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Handler(WSGIRequestHandler):
        timeout = float(app.config["READ_TIMEOUT"])

        def version_string(self) -> str:
            return "nutrigap"

    return make_server(host, port, app, threaded=True, request_handler=Handler)


def serve(host: str = "127.0.0.1", port: int = 8000, *, max_upload_mb: float = 10,
          foods: str | None = None, echo=print) -> None:
    """Run the app on host:port until Ctrl-C (port 0 picks a free port and says which)."""
    app = create_app({"MAX_UPLOAD_MB": max_upload_mb, "FOODS": foods})
    pool = app.extensions["nutrigap_pool"]
    try:
        # Werkzeug exits with its own words when the port is taken; a trial bind says it in
        # ours, the way every other error of the command is reported
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        pool.close()
        raise CannotServe(f"cannot listen on {host} port {port} ({exc.strerror or exc}); "
                          "choose another --port, or stop the program that uses it") from None
    server = make_app_server(host, port, app)
    pool.warm()
    shown = f"[{host}]" if ":" in host else host
    echo(f"nutrigap is serving http://{shown}:{server.server_port}/ (Ctrl-C to stop)")
    if host not in LOOPBACK_HOSTS:
        echo("Warning: the page can be reached from other computers. For shared use, run it "
             "behind a WSGI server such as gunicorn with HTTPS in front (see docs/web.md).")
    # `kill` stops the server as Ctrl-C does, stopping the workers on the way out
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        pool.close()
