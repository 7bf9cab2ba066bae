"""Files nutrigap cannot use are refused with one message and exit code 2, never a traceback:
devices that never end, template folders that are not template folders, TOML nested without
end, and a file whose first line must not be repeated."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from nutrigap.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "example-log.csv"
PERSON = ["--age", "34", "--sex", "female"]
# the shape of a line of /etc/shadow: a user, a password hash, dates
SHADOW = "root:$6$Qv1xHsOr$Kq8VnP3cHAZ0vBsdbE2yTjW9hA/Lmu1o.fX7rYpeS0:19675:0:99999:7:::\n"

needs_dev_zero = pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


@needs_dev_zero
def test_targets_from_dev_zero_are_refused_after_64_kb():
    result = run("targets", *PERSON, "--targets", "/dev/zero")
    assert result.exit_code == 2
    assert result.stderr == ("Error: the targets file is larger than 64 KB; keep one row per "
                             "nutrient\n")


@needs_dev_zero
def test_a_logo_from_dev_zero_is_refused_after_2_mb(tmp_path):
    result = run("analyze", EXAMPLE, *PERSON, "-o", tmp_path / "r.pdf", "--logo", "/dev/zero")
    assert result.exit_code == 2
    assert result.stderr == ("Error: logo /dev/zero: larger than 2 MB, too large for a report "
                             "header; save it smaller\n")


def test_a_toml_targets_file_nested_5000_deep_is_refused(tmp_path):
    targets = tmp_path / "deep.toml"
    targets.write_text("magnesium_mg = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    result = run("targets", *PERSON, "--targets", targets)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the targets file nests lists or tables too deeply")


def test_a_targets_file_that_is_no_table_is_not_quoted(tmp_path):
    targets = tmp_path / "shadow"
    targets.write_text(SHADOW, encoding="utf-8")
    result = run("targets", *PERSON, "--targets", targets)
    assert result.exit_code == 2
    assert result.stderr == ("Error: row 1: the first row names none of the columns of a "
                             "targets file (nutrient, value); check that this is the right file "
                             "(see docs/targets-file.md)\n")


def test_a_template_that_is_not_utf8_is_named(tmp_path):
    templates = tmp_path / "clinic"
    templates.mkdir()
    (templates / "report.html").write_bytes(b"<p>Caf\xe9 {{ report.schema }}</p>")
    result = run("analyze", EXAMPLE, *PERSON, "-o", tmp_path / "r.pdf",
                 "--template-dir", templates)
    assert result.exit_code == 2
    assert result.stderr == ("Error: template report.html is not UTF-8 text; save it as UTF-8, "
                             "or leave it out of --template-dir to use the built-in one\n")
    assert not (tmp_path / "r.pdf").exists()


def test_a_template_folder_of_more_than_1000_entries_is_refused_before_it_is_walked(tmp_path):
    folder = tmp_path / "home"
    for n in range(10):
        sub = folder / f"project{n}"
        sub.mkdir(parents=True)
        for m in range(100):
            (sub / f"note{m}.txt").touch()
    result = run("analyze", EXAMPLE, *PERSON, "-o", tmp_path / "r.pdf", "--template-dir", folder)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: --template-dir {folder} holds more than 1,000 files and "
                             "folders; give the folder that holds the clinic's templates alone\n")


def test_a_template_file_over_1_mb_is_refused(tmp_path):
    templates = tmp_path / "clinic"
    templates.mkdir()
    big = templates / "report.html"
    big.write_text("{{ report.schema }}" + " " * (1024 * 1024), encoding="utf-8")
    result = run("analyze", EXAMPLE, *PERSON, "-o", tmp_path / "r.pdf",
                 "--template-dir", templates)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: template {big} is larger than 1 MB, too large to be a "
                             "template; leave it out of --template-dir\n")


@needs_dev_zero
@pytest.mark.slow  # a caseload analysed
def test_batch_targets_cells_naming_dev_zero_or_a_system_file_fail_alone_unquoted(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    log = EXAMPLE.read_text(encoding="utf-8")
    for client in ("ann", "bob", "cy"):
        (logs / f"{client}.csv").write_text(log, encoding="utf-8")
    (tmp_path / "shadow").write_text(SHADOW, encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex,targets\nann,34,f,/dev/zero\nbob,40,m,shadow\ncy,50,f,\n",
                       encoding="utf-8")
    out = tmp_path / "out"
    result = run("batch", logs, "--clients", clients, "-o", out, "--format", "json",
                 "--workers", "1")
    assert result.exit_code == 1
    with open(out / "errors.csv", newline="", encoding="utf-8") as fp:
        errors = {row["client"]: row["message"] for row in csv.DictReader(fp)}
    assert errors == {
        "ann": 'targets file "/dev/zero": the targets file is larger than 64 KB; keep one row '
               "per nutrient",
        "bob": 'targets file "shadow": row 1: the first row names none of the columns of a '
               "targets file (nutrient, value); check that this is the right file (see "
               "docs/targets-file.md)",
    }
    assert (out / "cy.json").exists()


@needs_dev_zero
def test_a_batch_input_file_read_from_dev_zero_is_refused_after_200_mb(tmp_path):
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nann,34,f\n", encoding="utf-8")
    result = run("batch", "/dev/zero", "--clients", clients, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr == ("Error: /dev/zero is larger than 200 MB; split the caseload into "
                             "several files and run a batch on each\n")
