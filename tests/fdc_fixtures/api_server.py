"""A stand-in for the FoodData Central API, served on 127.0.0.1 for the tests.

It answers the three endpoints nutrigap calls with the JSON files beside this module, which
follow the API's schemas (SRLegacyFoodItem, FoundationFoodItem, SurveyFoodItem,
BrandedFoodItem, SearchResult). Their nutrient values are SR28's and FNDDS 2017-2018's; the
ids other than 168462 (Spinach, raw), 747448 (Strawberries, raw) and 337985 (Beef curry) are
stand-ins. The Branded foods (2340001 Oatly oat milk, 2340101 Arnold keto bread, and the
search for "oatly oat milk") carry label values written for these tests in the way packages
print them, turned into values per 100 ml or 100 g as FoodData Central gives them. Like the
real API it refuses requests without an api_key, and `queue` lets a test script failures
first.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

HERE = Path(__file__).parent
PREFIX = "/fdc"
INVALID_KEY = "NOT-A-REAL-KEY"


@pytest.fixture(autouse=True)
def no_proxy_for_the_local_server(monkeypatch):
    """Imported by the API tests: a proxy set in the environment would otherwise receive the
    requests to 127.0.0.1."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


def fetch_runner(url: str, tmp_path, monkeypatch, api_key: str):
    """A function running `nutrigap foods fetch ARGS...` against the stand-in server at `url`,
    with a fresh food database and answer cache under `tmp_path`."""
    from click.testing import CliRunner

    from nutrigap.cli import main

    monkeypatch.setenv("NUTRIGAP_FDC_URL", url)
    monkeypatch.setenv("NUTRIGAP_FOODS", str(tmp_path / "foods.sqlite"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("FDC_API_KEY", api_key)

    def run(*args):
        return CliRunner().invoke(main, ["foods", "fetch", *args])

    return run


def load(name: str):
    return json.loads((HERE / name).read_text(encoding="utf-8"))


class FakeFdc:
    """Start with `FakeFdc()`, point a client at `.url`, stop with `.close()`."""

    def __init__(self):
        self.items = {item["fdcId"]: item for item in (
            load("food_168462_sr_legacy.json"), load("food_747448_foundation.json"),
            load("food_337985_survey.json"), load("food_2340001_branded.json"),
            load("food_2340101_branded.json"))}
        self.search_answer = load("search_spinach_raw.json")
        self.requests: list[dict] = []  # every request received, in order
        self.queue: list[tuple] = []  # (status, headers, body) answered before the routes
        self.delay = 0.0  # seconds to wait before answering, to provoke timeouts
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

    def answer(self, method: str, path: str, query: dict, body) -> tuple[int, dict, object]:
        if self.queue:
            return self.queue.pop(0)
        key = query.get("api_key")
        if not key:
            return 403, {}, {"error": {"code": "API_KEY_MISSING", "message": "No api_key was "
                                       "supplied. Get one at https://api.nal.usda.gov:443"}}
        if key == INVALID_KEY:
            return 403, {}, {"error": {"code": "API_KEY_INVALID", "message": "An invalid "
                                       "api_key was supplied. Get one at "
                                       "https://api.nal.usda.gov:443"}}
        if method == "GET" and path == "/v1/foods/search":
            return 200, {}, self.search_answer
        if method == "GET" and path.startswith("/v1/food/"):
            item = self.items.get(int(path.rsplit("/", 1)[1]))
            return (200, {}, item) if item else (404, {}, None)
        if method == "POST" and path == "/v1/foods":
            return 200, {}, [self.items[i] for i in body["fdcIds"] if i in self.items]
        return 404, {}, None

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self._serve(None)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self._serve(json.loads(self.rfile.read(length) or b"null"))

            def _serve(self, body):
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                path = parts.path.removeprefix(PREFIX)
                fake.requests.append({"method": self.command, "path": path, "query": query,
                                      "body": body})
                time.sleep(fake.delay)
                status, headers, payload = fake.answer(self.command, path, query, body)
                data = b"" if payload is None else (
                    payload if isinstance(payload, bytes) else json.dumps(payload).encode())
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (timeout tests)

            def log_message(self, *args):
                pass

        return Handler
