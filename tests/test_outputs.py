"""Outputs never destroy data: an output that is an input, another output, or something other
than a regular file (a device, a pipe) is refused before any work is done."""

from __future__ import annotations

import csv
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from nutrigap.atomic import CannotWrite, check_outputs, replacing, write_atomic
from nutrigap.cli import main

ROOT = Path(__file__).resolve().parent.parent
LOG = ("date,meal,food,amount,unit\n2024-05-06,lunch,banana,1,medium\n"
       "2024-05-06,dinner,salmon,120,g\n")




@pytest.fixture
def log(tmp_path) -> Path:
    path = tmp_path / "week.csv"
    path.write_text(LOG, encoding="utf-8")
    return path


def analyze(log: Path, *options) -> object:
    return CliRunner().invoke(main, ["analyze", str(log), "--age", "34", "--sex", "female",
                                     *map(str, options)])


READS_IT = "which this command reads; writing there would destroy it, so choose another file name"


@pytest.mark.parametrize("option", ["--csv", "-o", "--json", "--html"])
def test_the_log_itself_is_never_an_output(log, option):
    result = analyze(log, option, log)
    assert result.exit_code == 2
    assert result.output == (f"Error: cannot write {log} ({option}): that is the meal log, "
                             f"{READS_IT}\n")
    assert log.read_text(encoding="utf-8") == LOG


def test_another_name_for_the_log_is_known_too(log, tmp_path):
    (tmp_path / "link.csv").symlink_to(log)
    os.link(log, tmp_path / "hard.csv")
    (tmp_path / "matches.csv").write_text("name,food_id\n", encoding="utf-8")
    for name, what in (("link.csv", "the meal log"), ("hard.csv", "the meal log"),
                       ("matches.csv", "--matches")):
        extra = ["--matches", tmp_path / "matches.csv"] if name == "matches.csv" else []
        result = analyze(log, *extra, "--csv", tmp_path / name)
        assert result.exit_code == 2
        assert f"that is {what}, which this command reads" in result.output
    assert log.read_text(encoding="utf-8") == LOG


def test_two_outputs_on_one_path_are_refused(log, tmp_path):
    result = analyze(log, "-o", tmp_path / "r.out", "--json", tmp_path / "." / "r.out")
    assert result.exit_code == 2
    assert result.output == (f"Error: -o and --json both name {tmp_path / '.' / 'r.out'}; give "
                             "each output a file of its own\n")
    assert not (tmp_path / "r.out").exists()


def test_a_pipe_is_refused_and_left_as_it_is(log, tmp_path):
    pipe = tmp_path / "report.pdf"
    os.mkfifo(pipe)
    result = analyze(log, "-o", pipe)
    assert result.exit_code == 2
    assert result.output == (f"Error: cannot write {pipe} (-o): it is a pipe, not a file. "
                             "nutrigap writes a whole new file and renames it into place, which "
                             "would replace a pipe; give the name of a file\n")
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    # the one writer every command uses refuses it too
    with pytest.raises(CannotWrite, match="it is a pipe"):
        write_atomic(pipe, b"%PDF")
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_a_device_is_refused(log):
    result = analyze(log, "-o", "/dev/full")
    assert result.exit_code == 2
    assert "cannot write /dev/full (-o): it is a device, not a file" in result.output
    with pytest.raises(CannotWrite, match="it is a device"), replacing("/dev/full"):
        pass
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_standard_output_as_a_pipe_is_refused(log):
    done = subprocess.run([sys.executable, "-m", "nutrigap", "analyze", str(log), "--age",
                           "34", "--sex", "female", "--json", "/dev/stdout"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("Error: cannot write /dev/stdout (--json): it is a pipe")
    assert done.stdout == ""


def test_a_link_to_a_file_is_followed_and_kept(tmp_path):
    target = tmp_path / "reports" / "2024-05.json"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new"


def test_outputs_are_checked_before_any_work_and_a_folder_is_named(tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(CannotWrite, match=r"\(--html\): it is a folder; give a file name"):
        check_outputs({"--html": tmp_path / "out"})
    check_outputs({"-o": tmp_path / "new" / "r.pdf", "--csv": None})
    assert (tmp_path / "new").is_dir()


def test_a_batch_report_never_replaces_a_file_the_batch_reads(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    for name in ("ann", "clients"):
        (logs / f"{name}.csv").write_text(LOG, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    # clients.csv kept in the output folder, and a client whose csv report would replace it
    clients = out / "clients.csv"
    clients.write_text("client,age,sex\nann,34,f\nclients,40,m\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(logs), "--clients", str(clients), "-o",
                                       str(out), "--format", "json,csv", "--workers", "1"])
    assert result.exit_code == 1, result.output + result.stderr
    assert clients.read_text(encoding="utf-8") == "client,age,sex\nann,34,f\nclients,40,m\n"
    with open(out / "errors.csv", newline="", encoding="utf-8") as fp:
        (error,) = csv.DictReader(fp)
    assert (error["client"], error["file"]) == ("clients", str(logs / "clients.csv"))
    assert error["message"] == (f"cannot write the report {out / 'clients.csv'}: that is "
                                f"clients.csv, {READS_IT}")
    assert (out / "ann.csv").exists()

    # the batch's own summary.csv on clients.csv stops the batch before any client
    moved = tmp_path / "summary.csv"
    moved.write_text("client,age,sex\nann,34,f\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(logs), "--clients", str(moved), "-o",
                                       str(tmp_path), "--format", "json"])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: cannot write {moved} (summary.csv): that is clients.csv, "
                             f"{READS_IT}\n")
    assert moved.read_text(encoding="utf-8") == "client,age,sex\nann,34,f\n"


def test_the_food_database_is_never_an_import_or_a_pipe(tmp_path):
    download = tmp_path / "FoodData_Central_sr_legacy_food_csv_2018-04.zip"
    download.write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip
    result = CliRunner().invoke(main, ["foods", "import", str(download), "--foods",
                                       str(download)])
    assert result.exit_code == 2
    assert result.output == (f"Error: cannot write {download} (--foods): that is PATH, "
                             f"{READS_IT}\n")
    assert download.read_bytes() == b"PK\x05\x06" + b"\x00" * 18
    pipe = tmp_path / "foods.sqlite"
    os.mkfifo(pipe)
    # refused before anything is fetched: no server is asked
    result = CliRunner().invoke(main, ["foods", "fetch", "tempeh", "--foods", str(pipe),
                                       "--api-url", "http://127.0.0.1:9"])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: cannot write {pipe} (--foods): it is a pipe")
