"""The work a web worker does, run in this process: a caseload's reports named as uploaded."""

from __future__ import annotations

import csv
import io
import os
import zipfile

LOG = (b"date,meal,food,amount,unit\n2024-05-06,lunch,banana,1,medium\n"
       b"2024-05-06,dinner,salmon,120,g\n")


def test_a_caseload_names_the_uploaded_files_without_changing_directory(tmp_path, monkeypatch):
    from nutrigap.web import tasks

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))
    monkeypatch.delenv("NUTRIGAP_FOODS", raising=False)

    def refuse(path):
        raise AssertionError(f"the worker changed its directory to {path}")

    monkeypatch.setattr(os, "chdir", refuse)
    (tmp_path / tasks.LOGS_DIR).mkdir()
    (tmp_path / tasks.LOGS_DIR / "ana.csv").write_bytes(LOG)
    (tmp_path / tasks.CLIENTS_FILE).write_bytes(b"client,age,sex\nana,34,female\nbob,50,male\n")
    result = tasks.caseload_zip(str(tmp_path), ("json",), None)
    assert "error" not in result, result
    assert (result["ran"], result["failed"]) == (1, 1)
    with zipfile.ZipFile(io.BytesIO(result["body"])) as archive:
        summary = list(csv.DictReader(io.StringIO(archive.read("summary.csv").decode())))
        errors = list(csv.DictReader(io.StringIO(archive.read("errors.csv").decode())))
    assert [(r["client"], r["file"]) for r in summary] == [("ana", "ana.csv")]
    assert [(e["client"], e["file"]) for e in errors] == [("bob", "bob.csv")]
    assert errors[0]["message"].startswith("no log found: expected bob.csv (or .tsv);")
    assert str(tmp_path) not in errors[0]["message"]


def test_a_client_of_a_caseload_has_the_time_of_one_analysis(tmp_path):
    from nutrigap.web import tasks

    (tmp_path / tasks.LOGS_DIR).mkdir()
    for name in ("bob", "cy"):  # logs whose reading never ends
        os.mkfifo(tmp_path / tasks.LOGS_DIR / f"{name}.csv")
    (tmp_path / tasks.CLIENTS_FILE).write_bytes(b"client,age,sex\nbob,50,male\ncy,40,female\n")
    result = tasks.caseload_zip(str(tmp_path), ("json",), None, 1)
    assert (result["ran"], result["failed"]) == (0, 2)
    with zipfile.ZipFile(io.BytesIO(result["body"])) as archive:
        errors = list(csv.DictReader(io.StringIO(archive.read("errors.csv").decode())))
    assert [(e["client"], e["message"][:45]) for e in errors] == [
        (name, "took longer than the 1 second a client may ta") for name in ("bob", "cy")]
