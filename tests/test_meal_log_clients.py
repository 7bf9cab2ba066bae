"""A log with a client column: one client is read as before, several are never added together."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nutrigap.analyzer.errors import BadMealLog
from nutrigap.analyzer.logs.clients import SeveralClients
from nutrigap.analyzer.logs.meal_log import read_meal_log
from nutrigap.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "example-log.csv"


def caseload_text(*clients: str) -> str:
    """The example week once per client, in one file with a client column."""
    header, *rows = EXAMPLE.read_text(encoding="utf-8").splitlines()
    lines = [f"client,{header}"]
    for client in clients:
        lines += [f"{client},{row}" for row in rows if row.strip()]
    return "\n".join(lines) + "\n"


def read(text: str, **options):
    return read_meal_log(io.BytesIO(text.encode("utf-8")), **options)


def test_a_report_on_one_person_refuses_a_log_of_two_clients_naming_them():
    with pytest.raises(SeveralClients) as refused:
        read(caseload_text("alice", "bob"), one_person=True)
    assert refused.value.clients == {"alice": 89, "bob": 89}
    assert str(refused.value) == (
        "the client column holds 2 clients (alice, bob); one report would add their meals "
        "together as if one person ate them; analyse one of them with --client alice, or each "
        "of them with nutrigap batch (one report per client)")


def test_many_clients_are_named_first_few_and_counted():
    names = [f"c{i:02d}" for i in range(1, 13)]
    with pytest.raises(SeveralClients) as refused:
        read(caseload_text(*names), one_person=True)
    assert "holds 12 clients (c01, c02, c03, c04, c05 and 7 more)" in str(refused.value)


def test_a_log_whose_client_column_holds_one_client_is_read_as_before():
    one, info = read(caseload_text("alice"), one_person=True)
    plain, _ = read(EXAMPLE.read_text(encoding="utf-8"), one_person=True)
    assert (one["client"] == "alice").all()
    assert one.drop(columns="client").equals(plain.drop(columns="client"))
    assert info.clients == ["alice"]
    assert not any("client" in note for note in info.notes)


def test_client_picks_one_clients_rows_with_their_row_numbers_and_says_so():
    text = caseload_text("alice", "bob")
    alice_only, _ = read(caseload_text("alice"))
    bob, info = read(text, client="Bob", one_person=True)  # case does not matter
    assert (bob["client"] == "bob").all()
    assert bob["row"].min() == 91  # bob's rows start after alice's 89 and the header
    assert bob.drop(columns=["client", "row"]).equals(
        alice_only.drop(columns=["client", "row"]))
    assert info.clients == ["alice", "bob"]
    assert "only client bob's rows were read (89 of 178 rows; the file also holds alice)" in (
        info.notes)


def test_client_leaves_rows_without_a_client_out_and_names_them():
    text = (caseload_text("alice") + "bob,2024-03-05,lunch,Apple,1,medium,\n"
            ",2024-03-05,,Pear,1,medium,\n")
    alice_only, _ = read(caseload_text("alice"))
    items, info = read(text, client="alice")
    assert items["row"].tolist() == alice_only["row"].tolist()
    assert (items["client"] == "alice").all()
    assert any("1 row with no client left out (row 92)" in note for note in info.notes)


def test_an_unknown_client_or_a_log_without_clients_is_refused_with_the_fix():
    with pytest.raises(BadMealLog, match=r"--client zed: no row has this client; the file's "
                                         r"clients are alice, bob"):
        read(caseload_text("alice", "bob"), client="zed")
    with pytest.raises(BadMealLog, match=r"no client column .* leave out --client"):
        read(EXAMPLE.read_text(encoding="utf-8"), client="alice")


# --- the command line --------------------------------------------------------------------


def test_check_lists_the_clients_it_found(tmp_path):
    path = tmp_path / "caseload.csv"
    path.write_text(caseload_text("alice", "bob"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert ("note: the client column holds 2 clients: alice (89 rows), bob (89 rows); analyse "
            "one with --client NAME, or each of them with nutrigap batch") in result.output
    result = CliRunner().invoke(main, ["check", str(path), "--client", "alice"])
    assert result.exit_code == 0, result.output
    assert "note: only client alice's rows were read" in result.output


def test_analyze_refuses_two_clients_and_reports_on_the_one_asked_for(tmp_path):
    path = tmp_path / "caseload.csv"
    path.write_text(caseload_text("alice", "bob"), encoding="utf-8")
    single = tmp_path / "alice.csv"
    single.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    profile = ["--age", "34", "--sex", "female"]

    refused = CliRunner().invoke(main, ["analyze", str(path), *profile])
    assert refused.exit_code == 2
    assert "Error: the client column holds 2 clients (alice, bob)" in refused.output
    assert not list(tmp_path.glob("*.pdf"))

    result = CliRunner().invoke(main, ["analyze", str(path), "--client", "alice", *profile,
                                       "--json", str(tmp_path / "alice-shared.json")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "caseload-alice-report.pdf").exists()
    alone = CliRunner().invoke(main, ["analyze", str(single), *profile,
                                      "--json", str(tmp_path / "alice-alone.json")])
    assert alone.exit_code == 0, alone.output
    shared = json.loads((tmp_path / "alice-shared.json").read_text(encoding="utf-8"))
    own = json.loads((tmp_path / "alice-alone.json").read_text(encoding="utf-8"))
    assert (shared["log"]["name"], own["log"]["name"]) == ("caseload.csv, client alice",
                                                           "alice.csv")
    for key in ("magnesium_mg", "calcium_mg", "potassium_mg"):
        assert shared["statuses"][key]["average"] == own["statuses"][key]["average"]


def test_another_clients_bad_rows_do_not_stop_a_report_on_one_client():
    text = caseload_text("alice") + ("bob,2024-03-05,lunch,Apple,two,medium,\n"
                                     "bob,2024-03-05,lunch,Pear,1,medium,,extra cell\n")
    items, _ = read(text, client="alice")
    assert (items["client"] == "alice").all()
    with pytest.raises(BadMealLog) as refused:
        read(text, client="bob")
    assert [p.row for p in refused.value.problems] == [91, 92]
