"""A stand-in for FoodData Central's download folder (fdc.nal.usda.gov/fdc-datasets), served
on 127.0.0.1 for the tests.

It serves the zips a test gives it as USDA's server does: Content-Length on every answer,
byte ranges (206 with Content-Range, 416 past the end). A test can make it cut the
connection part-way through a file, ignore ranges, or answer a status instead of the file;
every request is recorded with its Range header.
"""

from __future__ import annotations

import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/fdc-datasets"


class FakeDownloads:
    """Start with `FakeDownloads(files)`, point nutrigap at `.url`, stop with `.close()`."""

    def __init__(self, files: dict[str, bytes]):
        self.files = dict(files)
        self.requests: list[tuple[str, str | None]] = []  # (file name, Range header)
        self.cut_after: dict[str, list[int]] = {}  # file -> bytes sent before each cut
        self.status: dict[str, int] = {}  # file -> status answered instead of the file
        self.ignore_range = False
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,),
                                        daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{PREFIX}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_GET(self):  # noqa: N802 (the name http.server calls)
                name = self.path.rsplit("/", 1)[-1]
                asked = self.headers.get("Range")
                fake.requests.append((name, asked))
                if not self.path.startswith(PREFIX + "/") or name not in fake.files:
                    return self._plain(404, "Not Found")
                if name in fake.status:
                    return self._plain(fake.status[name], "Service Unavailable")
                data = fake.files[name]
                start = 0
                match = re.fullmatch(r"bytes=(\d+)-", asked or "")
                if match and not fake.ignore_range:
                    start = int(match.group(1))
                    if start >= len(data):
                        self.send_response(416)
                        self.send_header("Content-Range", f"bytes */{len(data)}")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range",
                                     f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                self.send_header("Content-Type", "application/zip")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Accept-Ranges", "bytes")
                self.end_headers()
                cuts = fake.cut_after.get(name)
                if cuts:
                    # Send part of the body, then drop the connection as a broken line does.
                    self.wfile.write(body[:cuts.pop(0)])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.wfile.write(body)

            def _plain(self, status: int, reason: str):
                body = f"{status} {reason}".encode()
                self.send_response(status, reason)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens: connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
