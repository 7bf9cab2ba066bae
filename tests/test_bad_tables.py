"""Every table a user gives (clients, targets, corrections files) is read as a meal log is:
the same encodings and delimiters, and one message for one problem whatever the table."""

from __future__ import annotations

import codecs
import io
import json
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner

from nutrigap.analyzer.errors import (
    BadClientList,
    BadCorrections,
    BadMealLog,
    BadTable,
    BadTargets,
)
from nutrigap.analyzer.logs import read_meal_log, read_table
from nutrigap.analyzer.matching import read_corrections
from nutrigap.analyzer.scoring import read_overrides
from nutrigap.batch.clients import read_clients
from nutrigap.cli import main

BAD_TABLES = Path(__file__).parent / "bad_tables"
SAVE = 'open it in your spreadsheet and save it as "CSV UTF-8 (comma delimited)"'
CLIENTS_HEADER = ("expected for a clients file: client, age, sex (optional: pregnant, "
                  "lactating, diet, targets) (see docs/batch.md)")
EXTRA_CELLS = ("has more cells than the header's {} columns; put quotes around a value that "
               "contains a comma, or write decimals with a point")
TARGETS_EMPTY = ("the targets file is empty; write the header nutrient,value and one row per "
                 "nutrient, e.g. magnesium,300, or TOML lines such as magnesium_mg = 300 (see "
                 "docs/targets-file.md)")


class Refused(NamedTuple):
    error: type[BadTable]
    message: str


def clients(rows, problems=None):
    """A clients file read: (row, client, age, sex, pregnant, diet) per usable row, and the
    message of each unusable one."""
    return rows, problems or {}


# file -> what the reader makes of it: the parsed values, or Refused(error, whole message)
EXPECTED = {
    # --- clients files: the rows a batch runs, or why the file cannot be used ---
    "clients_utf16_tabs.txt": clients([(2, "ann", 34.0, "female", False, ("vegan",)),
                                       (3, "Zoë", 41.0, "male", False, ())]),
    "clients_utf16_no_mark.csv": clients([(2, "ann", 34.0, "female", False, ()),
                                          (3, "bob", 52.0, "m", False, ())]),
    "clients_utf8_mark.csv": clients([(2, "ann", 29.0, "female", True, ()),
                                      (3, "bob", 71.0, "male", False, ())]),
    # the sep= line is no row (Excel hides it); 1,5 is a decimal comma in a ;-file
    "clients_semicolons_sep_line.csv": clients([(2, "ann", 34.0, "f", False,
                                                 ("vegetarian", "nut-free")),
                                                (3, "mia", 1.5, "f", False, ())]),
    "clients_latin1.csv": clients([(2, "José", 45.0, "male", False, ()),
                                   (3, "Zoë", 38.0, "female", False, ())]),
    "clients_tabs.tsv": clients([(2, "ann", 34.0, "F", False, ())]),
    # rows are numbered as a spreadsheet shows them, blank rows included
    "clients_blank_lines_first.csv": clients(
        [(4, "ann", 34.0, "f", False, ())],
        {"bob": 'clients.csv row 6, age: "forty" cannot be used; write the age in years as a '
                "number, e.g. 34"}),
    "clients_extra_cells.csv": clients(
        [(3, "bob", 40.0, "m", False, ())],
        {"ann": "clients.csv row 2: " + EXTRA_CELLS.format(4)}),
    "clients_empty.csv": Refused(BadClientList, "clients.csv: the clients file is empty; write "
                                                "the header client,age,sex and one row per "
                                                "client, e.g. ann,34,female (see docs/batch.md)"),
    "clients_binary.csv": Refused(BadClientList, "clients.csv: the clients file is not text (it "
                                                 f"holds zero bytes); {SAVE}"),
    "clients_header_only.csv": Refused(BadClientList, "clients.csv: row 1: the clients file has "
                                                      "a header but no rows; add one row per "
                                                      "client (see docs/batch.md)"),
    "clients_missing_column.csv": Refused(BadClientList, "clients.csv: row 1: the header has no "
                                                         'sex column, and "gender" is not a '
                                                         "known column; found: client, age, "
                                                         f"gender; {CLIENTS_HEADER}"),
    "clients_workbook.csv": Refused(BadClientList, "clients.csv: the clients file is a zip "
                                                   "archive (what Excel .xlsx, Numbers and "
                                                   "LibreOffice .ods files are), not a CSV text "
                                                   f"file; {SAVE}"),
    # --- targets files: (where, nutrient, field, value in our unit) ---
    "targets_utf16_tabs.txt": [("row 2", "magnesium_mg", "target", 350.0),
                               ("row 3", "vitamin_b12_ug", "target", 2.4)],
    "targets_semicolons.csv": [("row 2", "magnesium_mg", "target", 310.5),
                               ("row 3", "vitamin_d_ug", "target", 20.0)],  # 800 IU
    "targets_sep_line.csv": [("row 2", "calcium_mg", "target", 1200.0)],
    "targets_latin1.csv": [("row 2", "vitamin_d_ug", "target", 25.0)],
    "targets_tabs_decimal_comma.tsv": [("row 2", "vitamin_b6_mg", "ul", 12.5),
                                       ("row 3", "potassium_mg", "target", 3400.0)],
    "targets_utf8_mark.toml": [("line 1", "magnesium_mg", "target", 400.0),
                               ("line 2", "vitamin_d_ug", "target", 25.0)],
    "targets_utf16.toml": [("line 2", "calcium_mg", "ul", 2000.0),
                           ("line 3", "vitamin_b12_ug", "target", 4.0)],
    "targets_empty.csv": Refused(BadTargets, TARGETS_EMPTY),
    "targets_comments_only.toml": Refused(BadTargets, TARGETS_EMPTY),
    "targets_header_only.csv": Refused(BadTargets, "row 1: the targets file has a header but "
                                                   "no rows; add one row per nutrient (see "
                                                   "docs/targets-file.md)"),
    "targets_missing_column.csv": Refused(BadTargets, "row 1: the header has no value column; "
                                                      "found: nutrient, amount; expected for a "
                                                      "targets file: nutrient, value (see "
                                                      "docs/targets-file.md)"),
    # 2,4 in a comma-separated file is two cells, not a decimal: never read as 2
    "targets_extra_cells.csv": Refused(BadTargets, "row 3: " + EXTRA_CELLS.format(2)),
    "targets_pdf.csv": Refused(BadTargets, "the targets file is a PDF document, not a CSV text "
                                           f"file; {SAVE}"),
    # --- corrections files: (name, food_id, row) ---
    "corrections_semicolons.csv": [("Spinach, raw", "sr:11457", 2), ("oj", "sr:09206", 3)],
    "corrections_utf16_tabs.txt": [("crème fraîche", "none", 2), ("OJ", "sr:09206", 3)],
    "corrections_utf8_mark.csv": [("Spinach, Raw", "sr:11457", 2)],
    "corrections_latin1.csv": [("crème fraîche", "none", 2)],
    "corrections_sep_line.csv": [("kale", "sr:11233", 3)],
    "corrections_empty.csv": Refused(BadCorrections, "the corrections file is empty; write the "
                                                     "header name,food_id and one row per logged "
                                                     "name, e.g. oj,sr:09206 (see "
                                                     "docs/corrections.md)"),
    "corrections_header_only.csv": Refused(BadCorrections, "row 1: the corrections file has a "
                                                           "header but no rows; add one row per "
                                                           "logged name (see "
                                                           "docs/corrections.md)"),
    "corrections_missing_column.csv": Refused(BadCorrections, "row 1: the header has no name or "
                                                              "food_id columns; found: food, "
                                                              "id; expected for a corrections "
                                                              "file: name, food_id (see "
                                                              "docs/corrections.md)"),
    "corrections_duplicate_column.csv": Refused(BadCorrections, 'row 1: the column "name" '
                                                                "appears twice (columns A and "
                                                                "C); delete or rename one"),
    "corrections_extra_cells.csv": Refused(BadCorrections, "row 2: " + EXTRA_CELLS.format(2)),
    "corrections_broken_utf16.csv": Refused(BadCorrections, "the corrections file starts with a "
                                                            "UTF-16 marker but is not UTF-16 "
                                                            f"text; {SAVE}"),
    "corrections_not_text_encoding.csv": Refused(BadCorrections, "the corrections file is "
                                                                 "neither UTF-8 nor "
                                                                 "Windows-1252 text; " + SAVE),
}


def read(path: Path):
    """The file read by the reader of its kind (the start of its name)."""
    kind = path.name.split("_")[0]
    with path.open("rb") as fp:
        if kind == "clients":
            book = read_clients(fp, folder=Path("/clinic"))
            return clients([(r.row, r.client, r.age, r.sex, r.pregnant, r.diet)
                            for r in book.rows.values()], book.problems)
        if kind == "targets":
            table = read_overrides(fp)
            return list(table[["where", "nutrient", "field", "value"]].itertuples(
                index=False, name=None))
        return list(read_corrections(fp).itertuples(index=False, name=None))


def test_every_sample_table_has_its_expected_reading():
    assert {p.name for p in BAD_TABLES.iterdir()} == set(EXPECTED)
    refusals = [e.message for e in EXPECTED.values() if isinstance(e, Refused)]
    assert len(set(refusals)) == len(refusals) - 1  # empty and comments-only targets share one


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_table_is_read_or_refused_with_its_message(name):
    expected = EXPECTED[name]
    if isinstance(expected, Refused):
        with pytest.raises(expected.error) as caught:
            read(BAD_TABLES / name)
        assert str(caught.value) == expected.message
    else:
        assert read(BAD_TABLES / name) == expected


# --- one problem, one message, whatever the table -----------------------------------------

BROKEN = {
    "empty": (b" \r\n", "the {} is empty; "),
    "workbook": (b"PK\x03\x04" + b"\x00" * 40,
                 "the {} is a zip archive (what Excel .xlsx, Numbers and LibreOffice .ods "
                 f"files are), not a CSV text file; {SAVE}"),
    "zero bytes": (bytes(range(256)), f"the {{}} is not text (it holds zero bytes); {SAVE}"),
    "control characters": (b"a,b\n" + bytes(range(1, 9)) * 20,
                           "the {} is not text (it holds 160 control characters); " + SAVE),
    "broken UTF-16": (codecs.BOM_UTF16_LE + b"a\x00,\x00b",
                      f"the {{}} starts with a UTF-16 marker but is not UTF-16 text; {SAVE}"),
    "neither encoding": (b"a,b\n\x81,\x8d\n",
                         f"the {{}} is neither UTF-8 nor Windows-1252 text; {SAVE}"),
}
READERS = {
    "meal log": (lambda fp: read_meal_log(fp), BadMealLog, ""),
    "clients file": (lambda fp: read_clients(fp, folder=Path(".")), BadClientList,
                     "clients.csv: "),
    "targets file": (read_overrides, BadTargets, ""),
    "corrections file": (read_corrections, BadCorrections, ""),
}


@pytest.mark.parametrize("kind", sorted(READERS))
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_file_gets_one_message_naming_the_kind_whatever_the_table(case, kind):
    data, message = BROKEN[case]
    reader, error, prefix = READERS[kind]
    with pytest.raises(error) as caught:
        reader(io.BytesIO(data))
    assert str(caught.value).startswith(prefix + message.format(kind))


def test_the_format_says_how_the_table_was_read():
    data = "sep=;\n\nclient;age\nann;1,5\n".encode("utf-16")
    table, form = read_table(data, what="clients file")
    assert (form.encoding, form.bom, form.delimiter, form.sep_line, form.decimal_comma,
            form.header_row) == ("utf-16", True, ";", True, True, 2)
    assert table.header == ["client", "age"]
    assert [(row.number, row.cells) for row in table.rows()] == [(3, ["ann", "1,5"])]
    _, plain = read_table(b"client,age\nann,34\n", what="clients file")
    assert (plain.encoding, plain.bom, plain.delimiter, plain.decimal_comma) == (
        "utf-8", False, ",", False)


def test_a_file_larger_than_the_limit_is_refused_by_its_kind():
    with pytest.raises(BadTargets) as caught:
        read_table(b"nutrient,value\n" + b"magnesium,300\n" * 20, what="targets file",
                   max_bytes=100)
    assert str(caught.value) == ("the targets file is larger than 100 bytes; keep one row per "
                                 "nutrient")


def test_paths_are_not_opened():
    with pytest.raises(TypeError, match="bytes or a binary file object"):
        read_table(Path("clients.csv"), what="clients file")


# --- at the edges: the command line, the batch and the web app ----------------------------

LOG = ("date,meal,food,amount,unit\n2024-05-06,lunch,\"Spinach, raw\",60,g\n"
       "2024-05-06,dinner,salmon,120,g\n")


@pytest.fixture
def built_in_foods(tmp_path, monkeypatch):
    """The built-in food table only: no database from this machine's user folder."""
    monkeypatch.delenv("NUTRIGAP_FOODS", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))


def test_batch_reads_a_utf16_clients_file_and_a_semicolon_corrections_file(tmp_path,
                                                                            built_in_foods):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "ann.csv").write_text(LOG.replace("salmon", "grandma's stew"), encoding="utf-8")
    (logs / "Zoë.csv").write_text(LOG, encoding="utf-8")
    clients_file = tmp_path / "clients.csv"
    clients_file.write_bytes((BAD_TABLES / "clients_utf16_tabs.txt").read_bytes())
    matches = tmp_path / "matches.csv"
    matches.write_text("name;food_id\ngrandma's stew;sr:16015\nSpinach, raw;sr:11457\n",
                       encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(logs), "--clients", str(clients_file),
                                       "-o", str(out), "--format", "json", "--matches",
                                       str(matches), "--workers", "1"])
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stdout.splitlines()[0] == ("2 clients: 2 done now, 0 already up to date "
                                             "(skipped), 0 failed")
    ann = json.loads((out / "ann.json").read_text(encoding="utf-8"))
    stew = next(m for m in ann["matches"] if m["name"] == "grandma's stew")
    assert (stew["food_id"], stew["method"]) == ("sr:16015", "correction")
    zoe = json.loads((out / "Zoë.json").read_text(encoding="utf-8"))
    assert zoe["statuses"]["magnesium_mg"]["target"] == 420  # a man of 41, from the UTF-16 row


def test_a_broken_corrections_file_is_one_message_naming_the_file(tmp_path, built_in_foods):
    matches = tmp_path / "matches.csv"
    matches.write_bytes((BAD_TABLES / "corrections_header_only.csv").read_bytes())
    result = CliRunner().invoke(main, ["foods", "match", "oj", "--matches", str(matches)])
    assert result.exit_code == 2
    assert result.output == (f"Error: {matches}: row 1: the corrections file has a header but "
                             "no rows; add one row per logged name (see docs/corrections.md)\n")


def test_foods_match_takes_a_utf16_corrections_file(tmp_path, built_in_foods):
    matches = tmp_path / "matches.txt"
    matches.write_bytes((BAD_TABLES / "corrections_utf16_tabs.txt").read_bytes())
    result = CliRunner().invoke(main, ["foods", "match", "oj", "--matches", str(matches)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == "    method: correction, confidence 100"


def test_targets_takes_a_semicolon_file_with_decimal_commas(tmp_path):
    targets = tmp_path / "targets.csv"
    targets.write_bytes((BAD_TABLES / "targets_semicolons.csv").read_bytes())
    result = CliRunner().invoke(main, ["targets", "--age", "34", "--sex", "female",
                                       "--targets", str(targets)])
    assert result.exit_code == 0, result.output
    assert any("310.5" in line and "Magnesium" in line for line in result.output.splitlines())


def test_the_web_caseload_reads_a_utf16_clients_file_and_log(tmp_path, monkeypatch):
    pytest.importorskip("flask", reason="the web page needs the web extra")
    from nutrigap.web import create_app
    from nutrigap.web.tasks import has_client_column

    caseload = ("client\tdate\tmeal\tfood\tamount\tunit\r\n"
                "ann\t2024-05-06\tlunch\tbanana\t1\tmedium\r\n"
                "Zoë\t2024-05-06\tdinner\tsalmon\t120\tg\r\n").encode("utf-16")
    assert has_client_column(caseload)
    assert not has_client_column(LOG.encode("utf-16"))
    monkeypatch.delenv("NUTRIGAP_FOODS", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))
    app = create_app({"TESTING": True, "WORKERS": 1})
    try:
        form = {"logs": [(io.BytesIO(caseload), "caseload.txt")],
                "clients": (io.BytesIO((BAD_TABLES / "clients_utf16_tabs.txt").read_bytes()),
                            "clients.csv"),
                "formats": ["json"]}
        response = app.test_client().post("/caseload", data=form,
                                          content_type="multipart/form-data")
    finally:
        app.extensions["nutrigap_pool"].close()
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["X-Nutrigap-Clients"] == "2 done, 0 failed"
