"""The upload page under load: many uploads from concurrent clients to a real `nutrigap serve`.

Starts the server on a free port of 127.0.0.1 (built-in foods only, its own temporary folder),
then sends uploads from concurrent clients: the example log to a PDF report and, every tenth
upload, a three-client caseload to a zip of JSON reports (`--caseload-format pdf` for PDFs).
Checks that every upload succeeds with a real PDF or zip, and that nothing the server was sent
is left in its temporary folder, while it runs and after it stops. Prints requests per second
and the latency percentiles.

Usage: python benchmarks/load_web.py [--uploads 104] [--clients 8] [--log PATH] [--output pdf]
"""

from __future__ import annotations

import argparse
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_LOG = ROOT / "examples" / "example-log.csv"
# multiprocessing keeps the fork server's socket in a folder of this name while it runs
MULTIPROCESSING_DIR = "pymp-"
CASELOAD_CLIENTS = b"client,age,sex,pregnant,lactating,diet,targets\n" \
                   b"amy,34,female,,,,\nbo,58,male,,,vegetarian,\ncal,71,female,,,,\n"


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    """`nutrigap serve --port 0` with its own temporary and data folders; returns its URL."""
    env = {k: v for k, v in os.environ.items() if k != "NUTRIGAP_FOODS"}
    env.update(TMPDIR=str(folder / "tmp"), XDG_DATA_HOME=str(folder / "data"),
               PYTHONUNBUFFERED="1")
    (folder / "tmp").mkdir()
    process = subprocess.Popen([sys.executable, "-m", "nutrigap", "serve", "--port", "0"],
                               cwd=folder, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout],
                     daemon=True).start()
    first = lines.get(timeout=120)
    if not first.startswith("nutrigap is serving "):
        process.kill()
        raise SystemExit(f"the server did not start: {first}")
    return process, first.split()[3]


def leftovers(tmp: Path) -> list[str]:
    """What is in the server's temporary folder besides multiprocessing's own socket folder."""
    return sorted(p.name for p in tmp.iterdir() if not p.name.startswith(MULTIPROCESSING_DIR))


def upload_log(session: requests.Session, url: str, log: bytes, name: str, output: str):
    response = session.post(url + "analyze", files={"log": (name, log, "text/csv")},
                            data={"age": "34", "sex": "female", "output": output},
                            timeout=600)
    expected = b"%PDF-" if output == "pdf" else b"<!doctype html>"
    ok = response.status_code == 200 and response.content.startswith(expected)
    return ok, f"analyze {response.status_code}"


def upload_caseload(session: requests.Session, url: str, log: bytes, fmt: str):
    files = [("logs", (f"{c}.csv", log, "text/csv")) for c in ("amy", "bo", "cal")]
    files.append(("clients", ("clients.csv", CASELOAD_CLIENTS, "text/csv")))
    response = session.post(url + "caseload", files=files, data={"formats": fmt},
                            timeout=900)
    ok = response.status_code == 200
    if ok:
        with zipfile.ZipFile(BytesIO(response.content)) as archive:
            wanted = {f"{c}.{fmt}" for c in ("amy", "bo", "cal")} | {"summary.csv"}
            ok = wanted <= set(archive.namelist())
    return ok, f"caseload {response.status_code}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=104)
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--log", type=Path, default=EXAMPLE_LOG)
    parser.add_argument("--output", choices=("pdf", "html"), default="pdf")
    parser.add_argument("--caseload-every", type=int, default=10,
                        help="every Nth upload is a caseload (0: none)")
    parser.add_argument("--caseload-format", choices=("json", "pdf"), default="json",
                        help="report format of the caseloads (pdf: three PDFs and the "
                             "overview each)")
    args = parser.parse_args()
    log = args.log.read_bytes()

    with tempfile.TemporaryDirectory(prefix="nutrigap-load-") as work:
        folder = Path(work)
        server, url = start_server(folder)
        try:
            requests.get(url, timeout=30).raise_for_status()
            local = threading.local()

            def one(n: int):
                session = getattr(local, "session", None) or requests.Session()
                local.session = session
                started = time.perf_counter()
                if args.caseload_every and n % args.caseload_every == args.caseload_every - 1:
                    ok, what = upload_caseload(session, url, log, args.caseload_format)
                else:
                    ok, what = upload_log(session, url, log, args.log.name, args.output)
                return ok, what, time.perf_counter() - started

            started = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                results = list(pool.map(one, range(args.uploads)))
            elapsed = time.perf_counter() - started
            left_running = leftovers(folder / "tmp")
        finally:
            server.terminate()
            server.wait(timeout=60)
        left_after = sorted(p.name for p in (folder / "tmp").iterdir())

    failed = [what for ok, what, _ in results if not ok]
    latencies = sorted(seconds for _, _, seconds in results)
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    caseloads = sum(what.startswith("caseload") for _, what, _ in results)
    print(f"uploads: {len(results)} ({len(results) - caseloads} logs to {args.output}, "
          f"{caseloads} three-client caseloads to {args.caseload_format}) from "
          f"{args.clients} concurrent clients; log {args.log.name} ({len(log):,} bytes)")
    print(f"succeeded: {len(results) - len(failed)}, failed: {len(failed)}"
          + (f" ({', '.join(sorted(set(failed)))})" if failed else ""))
    print(f"time: {elapsed:.1f} s, {len(results) / elapsed:.2f} requests per second")
    print(f"latency: median {statistics.median(latencies):.2f} s, p95 {p95:.2f} s, "
          f"max {latencies[-1]:.2f} s")
    print(f"temporary files left while running: {len(left_running)}"
          + (f" ({', '.join(left_running)})" if left_running else ""))
    print(f"temporary files left after stopping: {len(left_after)}"
          + (f" ({', '.join(left_after)})" if left_after else ""))
    return 1 if failed or left_running or left_after else 0


if __name__ == "__main__":
    sys.exit(main())
