"""`nutrigap batch --scheduler`: the same per-client jobs on a Dask cluster (here on loopback)."""

from __future__ import annotations

import csv
import json
import sys

import pytest
from click.testing import CliRunner

from nutrigap.batch.distributed import ClusterError, connect
from nutrigap.cli import main


def our_log(seed: int) -> str:
    """Three days of a small log in our format."""
    foods = [("oats, dry", "40", "g"), ("banana", "1", "medium"), ("salmon", "120", "g"),
             ("spinach, raw", "60", "g"), ("whole milk", "250", "ml")]
    lines = ["date,meal,food,amount,unit"]
    for day in range(3):
        for n in range(4):
            food, amount, unit = foods[(seed + day + n) % len(foods)]
            lines.append(f'2024-05-{6 + day:02d},meal {n},"{food}",{amount},{unit}')
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("dask.distributed",
                                      reason="Dask distributed is not installed "
                                             "(pip install 'nutrigap[distributed]')")
    # processes=False: the worker is a thread pool in this process, reached over loopback TCP
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  protocol="tcp", host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0") as local:
        yield local


def test_the_caseload_runs_on_the_cluster_and_says_outdir_must_be_shared(cluster, tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    for n, name in enumerate(("ann", "bob", "cy")):
        (logs / f"{name}.csv").write_text(our_log(n), encoding="utf-8")
    (logs / "dee.csv").write_text("date,meal,food,amount,unit\n2024-05-06,lunch,rice,lots,\n",
                                  encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nann,34,f\nbob,40,m\ncy,71,f\ndee,20,m\n",
                       encoding="utf-8")
    out = tmp_path / "out"
    args = ["batch", str(logs), "--clients", str(clients), "-o", str(out), "--format", "json",
            "--scheduler", cluster.scheduler_address]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output + result.stderr
    assert f"Running on the Dask cluster at {cluster.scheduler_address}" in result.stderr, \
        result.stderr
    assert f"into {out.resolve()}, so that folder must be on storage every worker" \
        in result.stderr
    assert sorted(p.stem for p in out.glob("*.json") if p.stem != "caseload") == \
        ["ann", "bob", "cy"]
    assert json.loads((out / "bob.json").read_text(encoding="utf-8"))["period"]["days_logged"] == 3
    with open(out / "errors.csv", newline="", encoding="utf-8") as fp:
        (error,) = list(csv.DictReader(fp))
    assert error["client"] == "dee" and error["message"].startswith('row 2, amount: "lots"')

    again = CliRunner().invoke(main, args)
    assert again.stdout.splitlines()[0] == ("4 clients: 0 done now, 3 already up to date "
                                            "(skipped), 1 failed")


def test_an_unreachable_scheduler_is_named_with_what_to_check():
    pytest.importorskip("dask.distributed", reason="Dask distributed is not installed")
    with pytest.raises(ClusterError, match=r"cannot reach the Dask scheduler at "
                                           r"tcp://127.0.0.1:9 .*check the address"):
        connect("tcp://127.0.0.1:9", timeout=1)


def test_without_the_distributed_extra_the_message_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # as if it were not installed
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "ann.csv").write_text(our_log(0), encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nann,34,f\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(logs), "--clients", str(clients), "-o",
                                       str(tmp_path / "out"), "--scheduler", "tcp://a:8786"])
    assert result.exit_code == 2
    assert result.stderr.endswith("--scheduler needs Dask distributed, which is not installed; "
                                  "install it with: pip install 'nutrigap[distributed]'\n")


def test_a_relative_outdir_reaches_workers_that_run_in_another_folder(tmp_path, monkeypatch):
    distributed = pytest.importorskip("dask.distributed",
                                      reason="Dask distributed is not installed")
    elsewhere = tmp_path / "workers-home"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the worker process starts, and stays, in this folder
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  protocol="tcp", host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0") as local:
        here = tmp_path / "here"
        (here / "logs").mkdir(parents=True)
        monkeypatch.chdir(here)
        for n, name in enumerate(("ann", "bob")):
            (here / "logs" / f"{name}.csv").write_text(our_log(n), encoding="utf-8")
        (here / "clients.csv").write_text("client,age,sex\nann,34,f\nbob,40,m\n",
                                          encoding="utf-8")
        args = ["batch", "logs", "--clients", "clients.csv", "-o", "out", "--format", "json",
                "--scheduler", local.scheduler_address]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output + result.stderr
        assert result.stdout.splitlines()[0].startswith("2 clients: 2 done now")
        assert sorted(p.name for p in (here / "out").glob("*.json")) == [
            "ann.json", "bob.json", "caseload.json"]
        assert not (elsewhere / "out").exists()
        again = CliRunner().invoke(main, args)
        assert again.stdout.splitlines()[0] == ("2 clients: 0 done now, 2 already up to date "
                                                "(skipped), 0 failed")


def test_workers_that_cannot_see_outdir_stop_the_batch_before_any_client(cluster, tmp_path,
                                                                          monkeypatch):
    from nutrigap.batch import distributed

    # as a worker on a machine without the shared folder answers
    monkeypatch.setattr(distributed, "sees_marker", lambda path, token: False)
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "ann.csv").write_text(our_log(0), encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nann,34,f\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(logs), "--clients", str(clients), "-o",
                                       str(out), "--format", "json", "--scheduler",
                                       cluster.scheduler_address])
    assert result.exit_code == 2
    (worker,) = cluster.scheduler_info["workers"]
    assert result.stderr.endswith(
        f"Error: the Dask worker {worker} cannot see {out} (a file written there was not found "
        "at that path); put OUTDIR on storage every worker reaches at the same path (a shared "
        "or network drive) and run the batch again\n")
    assert not (out / "ann.json").exists()
    assert [p.name for p in (out / ".nutrigap-batch").iterdir()] == ["lock"]
