"""The batch's corner cases: ids too long for a file name, a client that never finishes, broken
reports, two batches on one folder, a folder that cannot be written, and a batch whose main
process is killed."""

from __future__ import annotations

import csv
import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from nutrigap.cli import main

ROOT = Path(__file__).resolve().parent.parent
LOG_ROWS = ["2024-05-06,breakfast,banana,1,medium", "2024-05-06,dinner,salmon,120,g",
            "2024-05-07,lunch,\"lentils, boiled\",1,cup"]
LOG = "date,meal,food,amount,unit\n" + "\n".join(LOG_ROWS) + "\n"




def caseload(tmp_path: Path, names: list[str], *, stuck: str | None = None) -> tuple[Path, Path]:
    """A folder with one log per client, and clients.csv; `stuck` names a client whose log
    is a pipe nobody writes to, so that reading it never ends."""
    logs = tmp_path / "logs"
    logs.mkdir()
    for name in names:
        (logs / f"{name}.csv").write_text(LOG, encoding="utf-8")
    if stuck:
        os.mkfifo(logs / f"{stuck}.csv")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\n" + "".join(f"{c},40,f\n" for c in [*names, stuck]
                                                    if c), encoding="utf-8")
    return logs, clients


def batch(*args) -> object:
    return CliRunner().invoke(main, ["batch", *map(str, args)])


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fp:
        return list(csv.DictReader(fp))


def command(*args) -> list[str]:
    return [sys.executable, "-m", "nutrigap", "batch", *map(str, args)]


def test_ids_too_long_for_a_file_name_fail_alone(tmp_path):
    cjk, accented = "東" * 120, "é" * 120  # 360 and 240 bytes
    rows = ["date,meal,food,amount,unit,client"]
    for client in ("ann", cjk, accented):
        rows += [f"{row},{client}" for row in LOG_ROWS]
    shared = tmp_path / "caseload.csv"
    shared.write_text("\n".join(rows) + "\n", encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text(f"client,age,sex\nann,34,f\n{cjk},40,m\n{accented},50,f\n",
                       encoding="utf-8")
    out = tmp_path / "out"
    result = batch(shared, "--clients", clients, "-o", out, "--format", "json", "--workers",
                   "1")
    assert result.exit_code == 1, result.output + result.stderr
    assert [r["client"] for r in read_csv(out / "summary.csv")] == ["ann"]
    errors = {e["client"]: e["message"] for e in read_csv(out / "errors.csv")}
    assert errors[cjk] == (f'row 5: client id "{cjk[:20]}..." has 360 bytes; a client id names '
                           "its report files, so it may have up to 200 bytes (as many letters "
                           "a-z, fewer accented letters or other scripts); change the client id")
    assert errors[accented].startswith(f'row 8: client id "{accented[:20]}..." has 240 bytes')
    assert (out / "caseload.json").exists() and (out / "ann.json").exists()


def test_a_client_that_never_finishes_is_stopped_and_fails_alone(tmp_path):
    # "a-stuck" comes first, so that its time runs while the others are done
    logs, clients = caseload(tmp_path, ["ann", "bob"], stuck="a-stuck")
    out = tmp_path / "out"
    result = batch(logs, "--clients", clients, "-o", out, "--format", "json", "--workers", "2",
                   "--time-per-client", "10")
    assert result.exit_code == 1, result.output + result.stderr
    assert result.stdout.splitlines()[0] == ("3 clients: 2 done now, 0 already up to date "
                                             "(skipped), 1 failed")
    assert [r["client"] for r in read_csv(out / "summary.csv")] == ["ann", "bob"]
    (error,) = read_csv(out / "errors.csv")
    assert error["client"] == "a-stuck"
    assert error["message"] == ("took longer than the 10 seconds a client may take, and was "
                                "stopped; split the log into shorter ones (one per few months), "
                                "or give nutrigap batch more time with --time-per-client")


def test_a_report_broken_after_the_batch_is_made_again(tmp_path):
    logs, clients = caseload(tmp_path, ["ann", "bob"])
    out = tmp_path / "out"
    args = (logs, "--clients", clients, "-o", out, "--format", "json,csv", "--workers", "1")
    assert batch(*args).exit_code == 0
    reports = [out / name for name in ("ann.json", "ann.csv", "bob.json", "bob.csv")]
    whole = [p.read_bytes() for p in reports]
    reports[0].write_bytes(whole[0][: len(whole[0]) // 2])  # truncated
    reports[1].write_bytes(b"")  # emptied
    reports[2].write_bytes(b"{" + whole[2][1:-2] + b"X}")  # the same size, other bytes
    result = batch(*args)
    assert result.stdout.splitlines()[0] == ("2 clients: 2 done now, 0 already up to date "
                                             "(skipped), 0 failed")
    assert [p.read_bytes() for p in reports] == whole
    again = batch(*args)
    assert again.stdout.splitlines()[0].startswith("2 clients: 0 done now, 2 already")


def test_a_second_batch_on_the_same_folder_is_refused_while_the_first_runs(tmp_path):
    logs, clients = caseload(tmp_path, ["ann"])
    out = tmp_path / "out"
    # another batch holding the folder: a process that takes the lock and waits
    with subprocess.Popen(
            [sys.executable, "-c", "import sys; from pathlib import Path; "
             "from nutrigap.batch.lock import holding\n"
             f"with holding(Path({str(out / '.nutrigap-batch')!r}), Path({str(out)!r})):\n"
             "    print('held', flush=True); sys.stdin.read()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT) as holder:
        try:
            assert holder.stdout.readline() == "held\n"
            result = batch(logs, "--clients", clients, "-o", out, "--format", "json")
            assert result.exit_code == 2
            assert result.stderr.startswith(f"Error: another nutrigap batch is writing into "
                                            f"{out} (process {holder.pid} on ")
            assert result.stderr.endswith("; wait for it to finish, or write this one into "
                                          "another folder (-o)\n")
            assert not (out / "summary.csv").exists()
        finally:
            holder.kill()  # killed, it lets go of the lock; its lock file stays behind
    result = batch(logs, "--clients", clients, "-o", out, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    assert (out / "summary.csv").exists()


def _no_file_writes():
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, not kills
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def test_a_folder_that_cannot_be_written_is_one_message(tmp_path):
    pytest.importorskip("resource", reason="no file-size limits on this system")
    logs, clients = caseload(tmp_path, ["ann"])
    out = tmp_path / "out"
    # every write fails, as on a full or read-only disk, whoever runs the test
    done = subprocess.run(command(logs, "--clients", clients, "-o", out, "--format", "json"),
                          capture_output=True, text=True, cwd=ROOT,
                          preexec_fn=_no_file_writes, timeout=300)
    assert done.returncode == 2, done.stderr
    assert done.stderr == (f"Error: cannot write into {out} (the file is larger than this "
                           "process may write); choose a folder you can write to (-o)\n")


def test_a_disk_that_fills_while_the_overview_is_written_is_one_message(tmp_path,
                                                                         monkeypatch):
    from nutrigap.atomic import write_atomic
    from nutrigap.batch import summary

    logs, clients = caseload(tmp_path, ["ann", "bob"])
    out = tmp_path / "out"

    def fills_up(path, content):
        if Path(path).name.startswith("caseload"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        write_atomic(path, content)

    monkeypatch.setattr(summary, "write_atomic", fills_up)
    args = (logs, "--clients", clients, "-o", out, "--format", "json", "--workers", "1")
    result = batch(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] + "\n" == (
        f"Error: cannot write {out / 'caseload.json'} (the disk is full); "
                             "the client reports written so far are whole and kept: make room "
                             "or choose a folder you can write to, and run the same command "
                             "again\n")
    assert json.loads((out / "ann.json").read_text(encoding="utf-8"))["period"]
    monkeypatch.setattr(summary, "write_atomic", write_atomic)
    again = batch(*args)
    assert again.stdout.splitlines()[0].startswith("2 clients: 0 done now, 2 already")
    assert (out / "caseload.json").exists()


def test_killing_the_main_process_ends_every_process_it_started(tmp_path):
    psutil = pytest.importorskip("psutil", reason="psutil comes with the distributed extra")
    logs, clients = caseload(tmp_path, ["ann"], stuck="stuck")
    out = tmp_path / "out"
    batch_process = subprocess.Popen(
        command(logs, "--clients", clients, "-o", out, "--format", "json", "--workers", "2"),
        cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        # ann's stamp says both workers have their client: ann done, "stuck" waiting on its
        # log for as long as the time limit (300 s)
        deadline = time.monotonic() + 240
        while not (out / ".nutrigap-batch" / "ann.json").exists():
            assert batch_process.poll() is None, "the batch ended before ann was done"
            assert time.monotonic() < deadline, "ann was not done in 4 minutes"
            time.sleep(0.05)
        started = psutil.Process(batch_process.pid).children(recursive=True)
        assert len(started) >= 3  # the fork server, the workers (and the resource tracker)
    finally:
        batch_process.kill()  # the main process alone, as the out-of-memory killer does
        batch_process.wait()
    _, alive = psutil.wait_procs(started, timeout=60)
    for process in alive:
        process.kill()
    assert alive == []
