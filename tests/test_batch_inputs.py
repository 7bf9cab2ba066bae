"""Finding the clients' logs: a folder of files, or one file cut by its client column."""

from __future__ import annotations

from pathlib import Path

import pytest

from nutrigap.batch.inputs import BadBatchInput, discover, id_problem, split_by_client

OURS = "date,meal,food,amount,unit\n2024-05-06,breakfast,oats,40,g\n"
CRONOMETER = ("Day,Time,Group,Food Name,Amount,Energy (kcal),Magnesium (mg),Category\n"
              '2024-05-06,8:01 AM,Breakfast,"Oats, Rolled","40.00 g",150.00,55.00,"Cereals"\n')


def write(folder: Path, name: str, text: str = OURS) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_folder_gives_one_log_per_file_named_after_it(tmp_path):
    write(tmp_path, "ann.csv")
    write(tmp_path, "bob.tsv", OURS.replace(",", "\t"))
    write(tmp_path, "Cy Smith.csv", CRONOMETER)
    found = discover(tmp_path)
    assert [(log.client, log.file.name) for log in found.logs] == [
        ("Cy Smith", "Cy Smith.csv"), ("ann", "ann.csv"), ("bob", "bob.tsv")]
    assert found.logs[0].read() == CRONOMETER.encode()
    assert found.failures == [] and found.ignored == []


def test_other_files_are_listed_as_not_read_and_hidden_files_and_folders_are_passed_over(
        tmp_path):
    write(tmp_path, "ann.csv")
    write(tmp_path, "notes.docx", "x")
    write(tmp_path, ".~lock.ann.csv#", "x")
    (tmp_path / "reports").mkdir()
    clients = write(tmp_path, "clients.csv", "client,age,sex\nann,34,f\n")
    found = discover(tmp_path, skip=(clients,))
    assert [log.client for log in found.logs] == ["ann"]
    assert [p.name for p in found.ignored] == ["notes.docx"]


def test_a_txt_file_is_a_log_only_when_its_first_row_is_a_meal_log_header(tmp_path):
    write(tmp_path, "notes.txt", "Call ann on Monday, ask about her B12 tablets\nbob: cramps\n")
    write(tmp_path, "todo.txt", "")
    write(tmp_path, "ben.txt", OURS.replace(",", "\t"))
    write(tmp_path, "cy.txt", CRONOMETER)
    # one column short of our format: still a log, so the reader can say what to add
    write(tmp_path, "dee.txt", "date,food,qty\n2024-05-06,oats,40\n")
    found = discover(tmp_path)
    assert [log.client for log in found.logs] == ["ben", "cy", "dee"]
    assert [p.name for p in found.ignored] == ["notes.txt", "todo.txt"]
    assert found.failures == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252"])
def test_a_long_txt_log_as_spreadsheets_save_it_is_read_as_a_log(tmp_path, encoding):
    # Excel's "Unicode text" is UTF-16 with tabs; past 64 KB only the top is looked at
    rows = "".join(f"2024-05-{1 + n % 28:02d}\tlunch\tcafé au lait\t1\tcup\r\n"
                   for n in range(3000))
    (tmp_path / "ann.txt").write_bytes(("date\tmeal\tfood\tamount\tunit\r\n" + rows)
                                       .encode(encoding))
    assert (tmp_path / "ann.txt").stat().st_size > 64 * 1024
    assert [log.client for log in discover(tmp_path).logs] == ["ann"]


def test_a_folder_of_notes_only_says_which_files_are_read(tmp_path):
    write(tmp_path, "notes.txt", "Call ann on Monday\n")
    with pytest.raises(BadBatchInput, match=r"has no meal logs \(files ending in .csv, .tsv, "
                                            r"or .txt files whose first row is a meal log's"):
        discover(tmp_path)


def test_two_files_for_one_client_are_that_clients_error(tmp_path):
    write(tmp_path, "ann.csv")
    write(tmp_path, "ann.txt")
    write(tmp_path, "bob.csv")
    found = discover(tmp_path)
    assert [log.client for log in found.logs] == ["bob"]
    (failure,) = found.failures
    assert failure.client == "ann"
    assert failure.message == ('ann.csv and ann.txt both give client "ann"; rename or remove '
                               "one of them")


def test_file_names_give_ids_trimmed_and_two_spellings_of_one_client_are_its_error(tmp_path):
    write(tmp_path, "eve .csv")  # a trailing space, as a rename on Windows can leave
    write(tmp_path, "Alice.csv")
    write(tmp_path, "alice.tsv", OURS.replace(",", "\t"))
    found = discover(tmp_path)
    assert [(log.client, log.file.name) for log in found.logs] == [("eve", "eve .csv")]
    (failure,) = found.failures
    assert (failure.client, Path(failure.file).name) == ("Alice", "Alice.csv")
    assert failure.message == (
        'Alice.csv and alice.tsv both give client "Alice" (client ids are matched without '
        "regard to capitals or surrounding spaces); rename or remove one of them")


def test_a_shared_file_takes_one_client_in_any_capitals(tmp_path):
    text = "date,food,amount,unit,client\n2024-05-06,oats,40,g,Ann\n2024-05-07,rice,1,cup, ann\n"
    (ann,) = split_by_client(text.encode(), tmp_path / "all.csv").logs
    assert (ann.client, ann.rows) == ("Ann", (2, 3))


def test_a_file_named_like_the_batch_outputs_is_refused(tmp_path):
    write(tmp_path, "summary.csv")
    write(tmp_path, "ann.csv")
    found = discover(tmp_path)
    assert [f.message for f in found.failures] == [
        'client id "summary" is kept for the batch\'s own summary files; rename the file']


def test_an_empty_folder_says_what_it_needs(tmp_path):
    write(tmp_path, "readme.md", "hello")
    with pytest.raises(BadBatchInput, match="has no meal logs"):
        discover(tmp_path)


SHARED = ("date,meal,food,amount,unit,client\n"
          "2024-05-06,breakfast,oats,40,g,ann\n"
          '2024-05-06,lunch,"lentils, boiled",1,cup,bob\n'
          "\n"
          "2024-05-07,breakfast,oats,40,g,ann\n"
          "2024-05-07,breakfast,eggs,2,medium,\n"
          "2024-05-07,dinner,rice,1,cup, bob \n")


def test_one_file_is_cut_per_client_keeping_its_row_numbers(tmp_path):
    found = split_by_client(SHARED.encode(), tmp_path / "all.csv")
    ann, bob = found.logs
    assert (ann.client, ann.rows, bob.client, bob.rows) == ("ann", (2, 5), "bob", (3, 7))
    assert ann.read().decode() == ("date,meal,food,amount,unit,client\n"
                                   "2024-05-06,breakfast,oats,40,g,ann\n"
                                   "2024-05-07,breakfast,oats,40,g,ann\n")
    assert '"lentils, boiled"' in bob.read().decode()
    # row 3 of bob's own slice is row 7 of the file the dietitian has open
    assert [bob.file_row(r) for r in (2, 3)] == [3, 7]
    (no_id,) = found.failures
    assert no_id.message == "row 6: no client id; fill in the client column"


def test_a_shared_file_keeps_its_delimiter_and_tells_apart_changed_clients(tmp_path):
    text = ("sep=;\ndate;food;amount;unit;Client\n"
            "2024-05-06;oats;40;g;ann\n2024-05-06;rice;1;cup;bob\n")
    before = {log.client: log for log in split_by_client(text.encode("cp1252"), tmp_path).logs}
    assert before["ann"].read() == b"date;food;amount;unit;Client\n2024-05-06;oats;40;g;ann\n"
    assert before["ann"].rows == (2,)
    after = {log.client: log for log in split_by_client(
        text.replace("rice;1", "rice;2").encode(), tmp_path).logs}
    assert after["ann"].identity() == before["ann"].identity()
    assert after["bob"].identity() != before["bob"].identity()


def test_one_file_without_a_client_column_is_a_usage_error(tmp_path):
    path = write(tmp_path, "ann.csv")
    with pytest.raises(BadBatchInput, match="one log without a client column; add a client"):
        discover(path)


def test_a_spreadsheet_workbook_is_refused_as_input(tmp_path):
    path = tmp_path / "caseload.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(BadBatchInput, match="caseload.xlsx: the meal log is a zip archive"):
        discover(path)


@pytest.mark.parametrize(("client", "fine"), [
    ("ann", True), ("Ann Smith-2", True), ("zoë", True), ("../ann", False), ("a/b", False),
    (".hidden", False), ("Errors", False), ("caseload", False), ("x" * 200, True),
    ("x" * 201, False), ("é" * 100, True), ("é" * 101, False), ("東" * 66, True),
    ("東" * 67, False),
])
def test_client_ids_must_be_able_to_name_files(client, fine):
    assert (id_problem(client) is None) is fine
